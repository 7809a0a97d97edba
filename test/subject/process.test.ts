/**
 * lsgd-spec/2 over a process (src/subject/channel, src/subject/protocol): one long-lived process, per-call timeouts
 * that kill the whole process group, one retry on a fresh process, and failures reported in one sanitised line.
 * The faulty subjects are test/subject/fixtures/faulty_subject.py; the built-in optimizers served by
 * `lsgd-spec serve` are the well-behaved subject. Timeouts here are short on purpose but far above what a loaded
 * 2-core machine needs for a Python `print`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSubject, REPO_ROOT, type OpenedSubject } from '../../src/subject/index.ts';
import { SubjectFailure } from '../../src/spec/subjectFailure.ts';
import { checkTheorem } from '../../src/spec/runner.ts';
import type { AnyTheorem } from '../../src/spec/types.ts';
import { spec as dyluEq6 } from '../../properties/async-local-sgd/dylu.steps-eq6.prop.ts';
import { spec as nesterovEq4 } from '../../properties/async-local-sgd/outer.nesterov-eq4-equals-torch.prop.ts';
import { spec as minNorm } from '../../properties/implicit-bias/regression.limit-min-norm.prop.ts';

const FAULTY = join(REPO_ROOT, 'test', 'subject', 'fixtures', 'faulty_subject.py');
const faulty = (mode: string, marker = '') => `python3 ${JSON.stringify(FAULTY)} ${mode} ${marker}`.trim();
const SERVE = `${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(join(REPO_ROOT, 'src', 'cli', 'main.ts'))} serve`;

const open = (command: string, timeoutMs?: number): Promise<OpenedSubject> =>
  openSubject({ kind: 'command', command, cwd: REPO_ROOT }, { ...(timeoutMs === undefined ? {} : { timeoutMs }), onNote: () => {} });

const dylu = (s: OpenedSubject) => (s.subject.dyluSteps as (v: number[], H: number) => number[]);

/** Processes whose command line contains `text` (pgrep -f), e.g. the unique `sleep N` a hanging subject started. */
function processesMatching(text: string): number {
  try {
    return execFileSync('pgrep', ['-f', text], { encoding: 'utf8' }).trim().split('\n').filter((l) => l !== '').length;
  } catch {
    return 0; // pgrep exits 1 when nothing matches
  }
}

async function until(f: () => boolean, ms: number): Promise<boolean> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (f()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return f();
}

describe('lsgd-spec/2 over a process', () => {
  it('serves many calls from one process start, answers bit for bit, and closes cleanly', async () => {
    const s = await open(faulty('ok'));
    expect(Object.keys(s.subject)).toEqual(['dyluSteps']);
    for (let H = 1; H <= 40; H++) expect(dylu(s)([1, 2.5, 4], H)).toEqual([1, 2.5, 4].map((v) => Math.max(Math.floor((v * H) / 4), 1)));
    expect(s.stats()).toEqual({ calls: 41, retries: 0, starts: 1 });
    s.close();
  }, 120_000);

  it('a hanging subject costs two per-call timeouts (one retry), then a SubjectFailure; its whole process group dies', async () => {
    const marker = String(900_000 + Math.floor(Math.random() * 99_999));
    const s = await open(faulty('hang', marker), 2_000);
    const t0 = Date.now();
    let err: unknown;
    try {
      dylu(s)([1, 2], 4);
    } catch (e) {
      err = e;
    }
    const elapsed = Date.now() - t0;
    expect(err).toBeInstanceOf(SubjectFailure);
    expect((err as Error).message).toMatch(/no answer within 2000 ms \(process group killed\).*twice: the call was retried once on a fresh start/);
    expect(elapsed).toBeGreaterThanOrEqual(4_000);
    expect(s.stats()).toMatchObject({ retries: 1, starts: 2 });
    s.close();
    // both starts spawned `sleep <marker>` into the group; the group kill took them too
    expect(await until(() => processesMatching(`sleep ${marker}`) === 0, 5_000)).toBe(true);
  }, 120_000);

  it('a crash is reported with its exit code and the last lines of stderr', async () => {
    const s = await open(faulty('crash'));
    expect(() => dylu(s)([1], 2)).toThrow(/exited with code 3 before answering; stderr: faulty_subject: simulated crash/);
    s.close();
  }, 120_000);

  it('a crash on the first call is retried once on a fresh process, which answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lsgd-flaky-'));
    try {
      const s = await open(faulty('flaky', join(dir, 'marker')));
      expect(dylu(s)([2, 4], 8)).toEqual([4, 8]);
      expect(s.stats()).toMatchObject({ retries: 1, starts: 2 });
      expect(existsSync(join(dir, 'marker'))).toBe(true);
      s.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('a subject that answered is not a timeout, even while a background child holds its stdout open', async () => {
    const s = await open(faulty('bgchild'), 20_000);
    const t0 = Date.now();
    expect(dylu(s)([1, 4], 8)).toEqual([2, 8]);
    expect(Date.now() - t0).toBeLessThan(20_000);
    s.close();
  }, 120_000);

  it('control bytes from the subject are escaped, and stray stdout lines are quoted as such', async () => {
    const s = await open(faulty('noisy'));
    let msg = '';
    try {
      dylu(s)([1], 1);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/exited with code 4/);
    expect(msg).toContain('bad \\x1b]0;title\\x07 bytes');
    expect(msg).toContain('non-protocol output on stdout: progress \\x1b[31mred\\x00 text');
    expect(msg).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    s.close();
  }, 120_000);

  it('a misspelt capability is refused at the handshake with a suggestion', async () => {
    await expect(open(faulty('misspelt'))).rejects.toThrow(/'localGd' is not a capability \(did you mean 'localGD'\?\)/);
  }, 120_000);

  it('a failing subject is reported at once, not shrunk call by call: a theorem costs at most two timeouts', async () => {
    const marker = String(800_000 + Math.floor(Math.random() * 99_999));
    const s = await open(faulty('hang', marker), 2_000);
    const v = await checkTheorem(dyluEq6, { subject: s.subject, seed: 7, profile: 'ci' });
    expect(v.status).toBe('violated');
    if (v.status === 'violated') expect(v.message).toMatch(/^subject failed \(not shrunk/);
    // hello, the first call and its one retry: no shrinking candidate reached the subject
    expect(s.stats()).toEqual({ calls: 3, retries: 1, starts: 2 });
    s.close();
    expect(await until(() => processesMatching(`sleep ${marker}`) === 0, 5_000)).toBe(true);
  }, 120_000);
});

describe('the built-in optimizers served over lsgd-spec/2 (lsgd-spec serve)', () => {
  it('run, call and outer-optimiser handles give the same verdicts as in-process, from one process', async () => {
    const s = await open(SERVE);
    try {
      expect(s.precision).toBe('f64');
      for (const th of [minNorm, dyluEq6, nesterovEq4] as AnyTheorem[]) {
        const v = await checkTheorem(th, { subject: s.subject, seed: 11, profile: 'ci', numRuns: 8 });
        expect([th.id, v.status]).toEqual([th.id, 'holds']);
      }
      expect(s.stats().starts).toBe(1);
      expect(s.stats().calls).toBeGreaterThan(8 * 3);
    } finally {
      s.close();
    }
  }, 180_000);
});
