/** The `check` command end to end on the demonstration registry in test/spec/fixtures/registry. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/cli/check.ts';
import { openSubject } from '../../src/subject/index.ts';
import { defineTheorem } from '../../src/spec/defineTheorem.ts';
import { outcomeOf, type Verdict } from '../../src/spec/verdict.ts';
import { maxBelowMean } from './fixtures/toy.ts';

const root = fileURLToPath(new URL('./fixtures/registry', import.meta.url));
const seed = process.env.LSGD_SEED ?? '42';

async function check(argv: string[], at = root): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCheck(argv, { root: at, env: { LSGD_SEED: seed }, out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('lsgd-spec check', () => {
  it('exit 0 and one summary line per theorem when every theorem holds', async () => {
    const r = await check(['--profile', 'ci', '--subject', 'subjects/correct.ts']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^✓ T-MAX1 holds \(25 runs, closest .*\)$/m);
    expect(r.out).toMatch(/^✓ T-SUM1 holds \(50 runs, closest exact agreement \(zero slack\), .*\)$/m);
    expect(r.out).toMatch(new RegExp(`^2 theorems: 2 hold, 0 violated, 0 vacuous, 0 interrupted \\(0 not applicable\\); seed ${seed}, profile ci$`, 'm'));
    expect(r.out.split('\n').at(-1)).toBe('check passed: every theorem met its expectation');
  });

  it("a recorded refutation (expect: 'refuted') that is refuted passes, reported as a finding; one that holds is reported, not failed", async () => {
    const r = await check(['--family', '_findings', '--profile', 'ci', '--subject', 'subjects/correct.ts']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^✗ T-FALSE1 — .* violated$/m);
    expect(r.out).toMatch(/^ {2}replay: LSGD_SEED=-?\d+ npx lsgd-spec check --id T-FALSE1 /m);
    expect(r.out).toMatch(/^ {2}finding \(expected: a recorded refutation, reproduced\)$/m);
    expect(r.out).toMatch(/^1 of them are recorded refutations \(expect: 'refuted'\): 1 reproduced, 0 not reproduced this run$/m);
    // a subject whose maxAbs is 0 makes the false claim hold: the finding is not reproduced, which is not a failure
    const z = await check(['--family', '_findings', '--profile', 'ci', '--subject', 'subjects/zero-max.ts']);
    expect(z.code).toBe(0);
    expect(z.out).toMatch(/^✓ T-FALSE1 holds .*\n {2}finding \(expected a recorded refutation; not reproduced with seed -?\d+ at profile ci: not a failure\)$/m);
    const j = JSON.parse((await check(['--family', '_findings', '--profile', 'ci', '--subject', 'subjects/correct.ts', '--json'])).out) as { expect: string; outcome: string; status: string }[];
    expect(j.map((v) => [v.status, v.expect, v.outcome])).toEqual([['violated', 'refuted', 'pass']]);
  });

  it('exit 1 with a replay command that, run again, reproduces the same counterexample', async () => {
    const r = await check(['--id', 'T-SUM1', '--profile', 'ci', '--subject', 'subjects/buggy.ts']);
    expect(r.code).toBe(1);
    const m = /replay: LSGD_SEED=(-?\d+) npx lsgd-spec check --id T-SUM1 --seed (-?\d+) --path (\S+) --profile ci --subject subjects\/buggy.ts$/m.exec(r.out);
    expect(m).not.toBeNull();
    expect([m![1], m![2]]).toEqual([seed, seed]);
    expect(r.out).toMatch(/^ {2}counterexample \(shrunk\): \[.*\]$/m);
    const first = JSON.parse((await check(['--id', 'T-SUM1', '--profile', 'ci', '--subject', 'subjects/buggy.ts', '--json'])).out);
    const again = JSON.parse((await check(['--id', 'T-SUM1', '--seed', m![2], '--path', m![3], '--profile', 'ci', '--subject', 'subjects/buggy.ts', '--json'])).out);
    expect(again[0].status).toBe('violated');
    expect(again[0].counterexample).toEqual(first[0].counterexample);
    expect(again[0].path).toBe(m![3]);
  });

  it('--json prints a machine-readable array of verdicts', async () => {
    const r = await check(['--family', 'toy', '--profile', 'ci', '--subject', 'subjects/correct.ts', '--json']);
    const vs = JSON.parse(r.out) as { id: string; status: string; runs: number }[];
    expect(vs.map((v) => [v.id, v.status, v.runs])).toEqual([['T-MAX1', 'holds', 25], ['T-SUM1', 'holds', 50]]);
  });

  it('the built-in subject (the default) lacks the toy capabilities: not applicable, one line each; nothing exercised fails', async () => {
    const r = await check(['--profile', 'ci']);
    expect(r.out).toMatch(/^! T-SUM1 interrupted: not applicable: subject lacks sum \([\d.]+ s\)$/m);
    expect(r.out).toMatch(/2 interrupted \(2 not applicable\)/);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^check: no theorem was exercised: the subject offers .*localGD.*, the selected theorems need maxAbs, sum \(--allow-unexercised accepts this\)$/m);
    expect(r.out).toMatch(/^check FAILED: no theorem was exercised$/m);
    const allowed = await check(['--profile', 'ci', '--allow-unexercised']);
    expect(allowed.code).toBe(0);
  });

  it('an underscore family runs only when asked for', async () => {
    const r = await check(['--family', '_examples', '--profile', 'ci', '--subject', 'subjects/correct.ts']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^✓ T-MONO1 holds/m);
  });

  it('user mistakes are one-line errors with exit 2 (a registry without properties exits 1), never a stack trace', async () => {
    const usage = async (argv: string[], message: string | RegExp) => {
      const r = await check(argv);
      expect([r.code, r.out]).toEqual([2, '']);
      expect(r.err).toMatch(typeof message === 'string' ? new RegExp(`^lsgd-spec: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : message);
    };
    await usage(['--id', 'Z-R1', '--subject', 'subjects/correct.ts'], 'check: unknown id Z-R1');
    await usage(['--path', '1:2', '--subject', 'subjects/correct.ts'], 'check: --path replays one counterexample; select exactly one theorem with --id (selected 0)');
    await usage(['--profile', 'nightly'], "check: --profile must be one of ci, default, hunt, got 'nightly'");
    await usage(['--seed', 'x'], "check: --seed must be an integer written in decimal digits (like 42), got 'x'");
    await expect(openSubject({ kind: 'module', path: 'subjects/none.ts', base: root })).rejects.toThrow(/^--subject subjects\/none.ts: no such file/);
    const subjects = fileURLToPath(new URL('./fixtures/registry/subjects', import.meta.url));
    const empty = await check([], subjects);
    expect([empty.code, empty.err]).toEqual([1, `lsgd-spec: check: no properties found under ${subjects}`]);
  });

  it('registry errors fail the run even when the theorems that loaded hold', async () => {
    const bad = fileURLToPath(new URL('./fixtures/registry-bad', import.meta.url));
    const r = await check(['--profile', 'ci', '--subject', `${bad}/subjects/correct.ts`], bad);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^registry: duplicate id T-SUM1/m);
    expect(r.out).toMatch(/2 hold/);
  });
});

describe('outcomeOf: a verdict against its expectation', () => {
  const base = { id: 'T-X', title: 't', kind: 'tight' as const, seed: 1, profile: 'ci' as const, elapsedMs: 0 };
  const holds = { ...base, status: 'holds' as const, runs: 1, evidence: { vacuousRuns: 0 } } as unknown as Verdict;
  const violated = { ...base, status: 'violated' as const, message: 'm', path: '', command: 'c', runs: 1, shrinks: 0 } as unknown as Verdict;
  const vacuous = { ...base, status: 'vacuous' as const, reason: 'r' } as unknown as Verdict;
  const na = { ...base, status: 'interrupted' as const, cause: 'not-applicable' as const, reason: 'r', runs: 0 } as Verdict;
  const broken = { ...base, status: 'interrupted' as const, cause: 'spec-error' as const, reason: 'r', runs: 0 } as Verdict;
  it('theorems pass only when they hold or do not apply; recorded refutations fail only when their check breaks', () => {
    expect([holds, violated, vacuous, na, broken].map((v) => outcomeOf(v))).toEqual(['pass', 'fail', 'fail', 'pass', 'fail']);
    expect([holds, violated, vacuous, na, broken].map((v) => outcomeOf(v, 'refuted'))).toEqual(['not-reproduced', 'pass', 'not-reproduced', 'pass', 'fail']);
  });
  it("defineTheorem rejects an expectation other than 'holds' or 'refuted'", () => {
    const { runsPerProfile: _r, ...rest } = maxBelowMean as unknown as Record<string, unknown>;
    expect(() => defineTheorem({ ...rest, expect: 'maybe' } as never)).toThrow("defineTheorem(T-FALSE1): expect must be 'holds' or 'refuted', got 'maybe'");
  });
});
