/**
 * End to end: `lsgd-spec check --subject-cmd` on the Python subjects of ci/examples over lsgd-spec/2. The correct
 * subjects pass a selection of theorems (conformance, a path-level property per family, the asynchronous ones of the
 * torch subject); planted bugs fail with a replay line that repeats the command. Each check is one process of the
 * gate and one of the subject; the selection keeps the file near two minutes on a loaded 2-core machine, and every
 * check has its own generous timeout (per-call timeouts inside the gate make the verdicts speed-independent).
 */
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/subject/index.ts';

const CHECK_TIMEOUT_MS = 400_000;
const NUMPY = '/usr/bin/python3 ci/examples/numpy_subject.py';
const TORCH = '/usr/bin/python3 ci/examples/torch_subject.py';

interface Run { readonly status: number | null; readonly stdout: string; readonly stderr: string }

/** One `lsgd-spec check` on a subject command with the given theorem ids (ci profile, seed 5). */
function check(cmd: string, ids: readonly string[], extra: readonly string[] = []): Promise<Run> {
  const args = ['bin/lsgd-spec.js', 'check', '--profile', 'ci', '--seed', '5', '--subject-cmd', cmd, ...ids.flatMap((id) => ['--id', id]), ...extra];
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, LSGD_SEED: '5' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`check timed out after ${CHECK_TIMEOUT_MS} ms: ${cmd} ${ids.join(' ')}\n${stdout}\n${stderr}`));
    }, CHECK_TIMEOUT_MS);
    p.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const NUMPY_IDS = ['C-1-trace-shape', 'C-2-zero-weight', 'C-3-stationary', 'C-4-recurrence', 'Z-N1-l1', 'Z-R3-stability', 'Z-S1-tracking'];
const TORCH_IDS = ['C-1-trace-shape', 'C-2-zero-weight', 'C-3-stationary', 'C-4-recurrence', 'A-1', 'A-3', 'A-4', 'A-5D-dylu-steps', 'A-6', 'A-7', 'A-8'];

describe('lsgd-spec check on the Python subjects (lsgd-spec/2)', () => {
  let runs: Record<string, Run>;
  beforeAll(async () => {
    // The checks run at once: each spends much of its wall time starting node and Python.
    const [numpy, own, uniform, firstM, sgdStep, withReplacement, torch, noNesterov] = await Promise.all([
      check(NUMPY, NUMPY_IDS),
      check(`${NUMPY} --sampler own`, ['C-4-recurrence', 'C-5-sampler']),
      check(`${NUMPY} --bug uniform`, ['C-4-recurrence', 'Z-N1-l1']),
      check(`${NUMPY} --bug first-m`, ['C-4-recurrence']),
      check(`${NUMPY} --bug sgd-step`, ['C-4-recurrence']),
      check(`${NUMPY} --sampler own --bug with-replacement`, ['C-5-sampler']),
      check(TORCH, TORCH_IDS),
      check(`${TORCH} --bug no-nesterov`, ['A-1']),
    ]);
    runs = { numpy, own, uniform, firstM, sgdStep, withReplacement, torch, noNesterov };
  }, CHECK_TIMEOUT_MS + 30_000);

  it('the numpy subject passes conformance (C-4: its recurrence on the gate draws) and one path-level theorem per federated family', () => {
    const r = runs.numpy;
    expect(r.status, r.stdout + r.stderr).toBe(0);
    for (const id of NUMPY_IDS) expect(r.stdout).toMatch(new RegExp(`^✓ ${id} holds`, 'm'));
  });

  it('with --sampler own it passes the distribution-level sampler check C-5', () => {
    const r = runs.own;
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^✓ C-5-sampler holds/m);
  });

  it('the torch subject passes conformance, the outer optimisers, DyLU, the sampler, the schedule, DiLoCo and async DN', () => {
    const r = runs.torch;
    expect(r.status, r.stdout + r.stderr).toBe(0);
    for (const id of TORCH_IDS) expect(r.stdout).toMatch(new RegExp(`^✓ ${id} holds`, 'm'));
  });

  it('--bug uniform (numpy) fails C-4 and Z-N1-l1, with a replay line that repeats the subject command', () => {
    const r = runs.uniform;
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^✗ C-4-recurrence .* violated$/m);
    expect(r.stdout).toMatch(/^✗ Z-N1-l1 .* violated$/m);
    expect(r.stdout).toMatch(/^ {2}replay: LSGD_SEED=5 npx lsgd-spec check --id Z-N1-l1 --seed 5 --path \S+ --profile ci --subject-cmd '\/usr\/bin\/python3 ci\/examples\/numpy_subject.py --bug uniform'$/m);
  });

  it('--bug first-m and --bug sgd-step (numpy) fail the recurrence check C-4 on the gate draws', () => {
    for (const r of [runs.firstM, runs.sgdStep]) {
      expect(r.status, r.stdout).toBe(1);
      expect(r.stdout).toMatch(/^✗ C-4-recurrence .* violated$/m);
    }
  });

  it('--bug with-replacement with its own sampler (numpy) fails the sampler check C-5', () => {
    const r = runs.withReplacement;
    expect(r.status, r.stdout).toBe(1);
    expect(r.stdout).toMatch(/^✗ C-5-sampler .* violated$/m);
  });

  it('--bug no-nesterov (torch) fails A-1 (outer Nesterov = torch.optim.SGD(nesterov=True))', () => {
    const r = runs.noNesterov;
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^✗ A-1 .* violated$/m);
  });
});
