/**
 * The subprocess plug-in protocol (src/gate/subprocess.ts): an optimizer in another language runs as a command.
 * The Python example (ci/example-subject.py) is an independent implementation of Local-GD and centralized GD.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/gate/mutants/index.ts';
import { callCommand, subprocessSubject, traceFromJson } from '../../src/gate/subprocess.ts';
import { localGD } from '../../src/optimizers/localGD.ts';
import { centralizedGD } from '../../src/optimizers/centralizedGD.ts';
import type { RunFn, Trace } from '../../src/optimizers/types.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';
import { checkTheorem } from '../../src/spec/index.ts';
import { spec as nonsepL1 } from '../../properties/implicit-bias/nonseparable.l1-exact.prop.ts';

const fixture = (f: string, ...args: string[]) => [`node ${JSON.stringify(join(REPO_ROOT, 'test', 'gate', 'fixtures', 'commands', f))}`, ...args].join(' ');
const PY = `python3 ${JSON.stringify(join(REPO_ROOT, 'ci', 'example-subject.py'))}`;

const ds: FederatedDataset = {
  task: 'regression', d: 3,
  nodes: [
    { X: { rows: 2, cols: 3, data: Float64Array.of(1, 0.5, -1, 0, 2, 0.25) }, y: Float64Array.of(1, -3) },
    { X: { rows: 1, cols: 3, data: Float64Array.of(-0.5, 1, 1) }, y: Float64Array.of(0.5) },
  ],
};

describe('subprocess protocol: round trip', () => {
  it('doubles travel exactly (JSON shortest round-trip form), typed arrays as plain arrays, the problem with its d', () => {
    const s = subprocessSubject(fixture('echo-w0.mjs'));
    expect(Object.keys(s)).toEqual(['localGD']);
    const w0 = Float64Array.of(0.1, 1 / 3, 5e-324, -1.7976931348623157e308, 2 ** -1074 * 3, Math.PI);
    const t = (s.localGD as RunFn<Record<string, unknown>>)(ds, { loss: { name: 'squared' }, eta: 0.1, L: 1, R: 1, w0 });
    expect(t.models[0]).toBeInstanceOf(Float64Array);
    expect([...t.models[0]].every((x, j) => Object.is(x, w0[j]))).toBe(true);
    expect(t.extra).toEqual({ d: 3, nodes: 2 });
    expect(t.algorithm).toBe('localGD (subprocess)');
  });

  it('the Python example agrees with the reference Local-GD and centralized GD to rounding', () => {
    const s = subprocessSubject(PY);
    expect(Object.keys(s).sort()).toEqual(['centralizedGD', 'localGD']);
    const h = { loss: { name: 'logistic', l2: 0.125 }, eta: 0.25, L: [3, 5], R: 6, alpha: 'uniform' };
    const cls: FederatedDataset = { ...ds, task: 'classification', nodes: ds.nodes.map((n) => ({ ...n, y: n.y.map((v) => (v > 0 ? 1 : -1)) })) };
    const close = (a: Trace, b: Trace) => {
      expect(a.rounds).toEqual(b.rounds);
      expect(a.communications).toEqual(b.communications);
      // why: 6 rounds of <= 5 steps on |w| < 4 with O(d n) flops each, different summation orders: well under 1e-12
      a.models.forEach((m, i) => m.forEach((x, j) => expect(Math.abs(x - b.models[i][j])).toBeLessThan(1e-12)));
      a.loss.forEach((x, i) => expect(Math.abs(x - b.loss[i])).toBeLessThan(1e-12));
    };
    close((s.localGD as RunFn<typeof h>)(cls, h), localGD.run(cls, h as never));
    const hc = { loss: { name: 'squared' }, eta: 0.1, T: 7, record: [0, 3, 7] };
    close((s.centralizedGD as RunFn<typeof hc>)(ds, hc), centralizedGD.run(ds, hc as never));
  });

  it('traceFromJson checks shapes and names the offending entry', () => {
    expect(() => traceFromJson([1], 'localGD')).toThrow('the answer must be a JSON object (a trace), got an array');
    expect(() => traceFromJson({ rounds: [0], loss: [0], communications: [0] }, 'localGD')).toThrow('the trace has no "models" array');
    expect(() => traceFromJson({ rounds: [0], models: [[1, null]], loss: [0], communications: [0] }, 'localGD')).toThrow('models[0][1] must be a number, got null');
    expect(() => traceFromJson({ rounds: [0], models: [[1]], loss: 'x', communications: [0] }, 'localGD')).toThrow('loss must be an array of numbers, got string');
  });
});

describe('subprocess protocol: a misbehaving plug-in is a one-line error, never a crash or a hang', () => {
  const call = (mode: string, timeoutMs = 20_000) => () =>
    (subprocessSubject(fixture('misbehave.mjs', mode), { timeoutMs }).localGD as RunFn<Record<string, unknown>>)(ds, { loss: { name: 'squared' }, eta: 0.1, L: 1, R: 1 });
  it.each([
    ['crash', /^subject command '.*misbehave\.mjs" crash' \(localGD\): exited with code 3: Traceback: something broke$/],
    ['garbage', /: the answer is not JSON: 'hello, I am not JSON'$/],
    ['silent', /: the answer is not JSON: nothing was written to standard output$/],
    ['bad-trace', /\(localGD\): models\[0\]\[1\] must be a number, got "two"$/],
    ['nan', /: the answer is not JSON \(NaN and Infinity are not JSON: did the run diverge\?\): '\{"rounds":\[0\],"models":\[\[NaN\]\]/],
  ])('%s', (mode, message) => {
    expect(call(mode)).toThrow(message);
  });
  it('a plug-in that hangs is killed after the per-call timeout', () => {
    const t0 = performance.now();
    expect(call('hang', 1500)).toThrow(/\(localGD\): no answer within 1500 ms \(killed\)$/);
    expect(performance.now() - t0).toBeLessThan(15_000);
  });
  it('the handshake refuses unknown capabilities and empty commands', () => {
    expect(() => subprocessSubject(fixture('misbehave.mjs', 'unknown-cap'))).toThrow(/: unknown capability 'teleport' \(offered over a process: centralizedGD, /);
    expect(() => subprocessSubject('  ')).toThrow('subprocessSubject: the command must be a non-empty string, got "  "');
    expect(() => callCommand('exit 7', { capability: 'capabilities' })).toThrow("subject command 'exit 7' (capabilities): exited with code 7");
    // a command that exits without reading a large request (the write fails with EPIPE) is judged by its exit status
    expect(() => callCommand('exit 7', { capability: 'capabilities', pad: 'x'.repeat(2 ** 21) })).toThrow("subject command 'exit 7' (capabilities): exited with code 7");
  });
  it('through the runner, a crashing plug-in is a violated verdict with the replay command', async () => {
    const subject = subprocessSubject(fixture('misbehave.mjs', 'crash'));
    const v = await checkTheorem(nonsepL1, { subject, seed: 1, profile: 'ci', shrink: false });
    expect(v.status).toBe('violated');
    if (v.status === 'violated') {
      expect(v.message).toMatch(/^subject threw: subject command '.*' \(localGD\): exited with code 3: Traceback: something broke/);
      expect(v.command).toContain('--id Z-N1-l1');
    }
  });
});

// python3 is on every CI machine (.ci/run installs it from Debian otherwise)
describe('lsgd-spec check --subject-cmd', () => {
  const lsgd = (...args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'lsgd-spec.js'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, LSGD_SEED: '5' } });
  it('the Python example passes Z-N1-l1; with the planted uniform-weights bug it fails, with a replay line that names the command', () => {
    // 3 runs each: every run starts the interpreter a few hundred times (about 30 ms each)
    const ok = lsgd('check', '--id', 'Z-N1-l1', '--profile', 'ci', '--runs', '3', '--subject-cmd', 'python3 ci/example-subject.py');
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^✓ Z-N1-l1 holds /m);
    const bad = lsgd('check', '--id', 'Z-N1-l1', '--profile', 'ci', '--runs', '3', '--subject-cmd', 'python3 ci/example-subject.py --bug uniform');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/^ {2}replay: LSGD_SEED=5 npx lsgd-spec check --id Z-N1-l1 --seed 5 --path \S+ --profile ci --subject-cmd 'python3 ci\/example-subject.py --bug uniform'$/m);
  });
  it('--subject and --subject-cmd together are refused in one line', () => {
    const r = lsgd('check', '--subject', 'a.ts', '--subject-cmd', 'b');
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('lsgd-spec: check: give --subject MODULE.ts or --subject-cmd COMMAND, not both');
  });
});
