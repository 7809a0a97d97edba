import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineTheorem } from '../../src/spec/defineTheorem.ts';
import { checkTheorem, replayCommand } from '../../src/spec/runner.ts';
import { isFailure, type Verdict } from '../../src/spec/verdict.ts';
import { buggySubject, coinFrequency, correctSubject, maxAbsBound, prefixMax, sumReverse } from './fixtures/toy.ts';

// the run's seed (vitest.setup.ts puts it in LSGD_SEED), so a failure here replays with the printed command
const seed = Number(process.env.LSGD_SEED ?? 42);

function expectStatus<S extends Verdict['status']>(v: Verdict, s: S): asserts v is Extract<Verdict, { status: S }> {
  expect({ id: v.id, status: v.status, detail: v.status === 'holds' ? '' : 'reason' in v ? v.reason : 'message' in v ? v.message : '' })
    .toMatchObject({ status: s });
}

describe('checkTheorem on toy theorems', () => {
  it('tight: holds on the correct subject, with the closest approach as evidence', async () => {
    const v = await checkTheorem(sumReverse, { subject: correctSubject, seed, profile: 'ci' });
    expectStatus(v, 'holds');
    expect(v.runs).toBe(50); // the spec's ci profile
    expect(v.evidence.worst?.difference).toBe(0);
    expect(v.evidence.worst?.allowed).toBe(0);
  });

  it('tight: a planted bug is violated with a shrunk counterexample and a replay command that reproduces it', async () => {
    const v = await checkTheorem(sumReverse, { subject: buggySubject, seed, profile: 'ci' });
    expectStatus(v, 'violated');
    const xs = v.counterexample as number[];
    // the bug drops one element of lists longer than 3: the minimal failure is four entries, one of them ±1
    expect(xs.length).toBe(4);
    expect(xs.reduce((a, b) => a + Math.abs(b), 0)).toBe(1);
    expect(Math.abs(v.difference!)).toBe(1);
    expect(v.tolerance?.allowed).toBe(0);
    expect(v.command).toBe(`LSGD_SEED=${seed} npx lsgd-spec check --id T-SUM1 --seed ${seed} --path ${v.path} --profile ci`);
    expect(v.command).toBe(replayCommand({ id: 'T-SUM1', seed, path: v.path, profile: 'ci' }));
    expect(v.hypothesisReport).toEqual([{ name: 'integers in [-100, 100]', holds: true }]);

    const again = await checkTheorem(sumReverse, { subject: buggySubject, seed, profile: 'ci', path: v.path });
    expectStatus(again, 'violated');
    expect(again.counterexample).toEqual(v.counterexample);
    expect([again.observed, again.bound, again.path]).toEqual([v.observed, v.bound, v.path]);
  });

  it('shrink: false stops at the first failure (no shrink steps); its path replays it', async () => {
    const v = await checkTheorem(sumReverse, { subject: buggySubject, seed, profile: 'ci', shrink: false });
    expectStatus(v, 'violated');
    expect(v.shrinks).toBe(0);
    // replay with the same option gives the same instance; without it fast-check resumes shrinking from there
    const again = await checkTheorem(sumReverse, { subject: buggySubject, seed, profile: 'ci', path: v.path, shrink: false });
    expectStatus(again, 'violated');
    expect(again.counterexample).toEqual(v.counterexample);
    const shrunk = await checkTheorem(sumReverse, { subject: buggySubject, seed, profile: 'ci', path: v.path });
    expectStatus(shrunk, 'violated');
    expect((shrunk.counterexample as number[]).length).toBeLessThanOrEqual((v.counterexample as number[]).length);
  });

  it('rejects a seed outside the 32-bit range', async () => {
    await expect(checkTheorem(sumReverse, { subject: correctSubject, seed: 2 ** 31 })).rejects.toThrow(/^checkTheorem\(T-SUM1\): seed must be a 32-bit signed integer, got 2147483648$/);
  });

  it('upper-bound: holds on the correct subject, violated (shrunk to one ±1 entry) on the bug', async () => {
    expectStatus(await checkTheorem(maxAbsBound, { subject: correctSubject, seed, profile: 'ci' }), 'holds');
    const v = await checkTheorem(maxAbsBound, { subject: buggySubject, seed, profile: 'ci' });
    expectStatus(v, 'violated');
    // shrunk to a single ±1 among zeros (fast-check does not always drop the zeros)
    expect((v.counterexample as number[]).reduce((a, b) => a + Math.abs(b), 0)).toBe(1);
    expect([v.observed, v.bound, v.difference]).toEqual([2, 1, 1]);
  });

  it('monotone: running maxima hold; the identity map is violated at a decrease of a shrunk list', async () => {
    expectStatus(await checkTheorem(prefixMax, { subject: correctSubject, seed, profile: 'ci' }), 'holds');
    const v = await checkTheorem(prefixMax, { subject: buggySubject, seed, profile: 'ci' });
    expectStatus(v, 'violated');
    const xs = v.counterexample as number[];
    // fast-check's greedy shrinker does not always reach [1, 0]; the runner guarantees a shrunk, consistent report
    expect(v.shrinks).toBeGreaterThan(0);
    const i = v.index!;
    expect(xs[i - 1] - xs[i]).toBeGreaterThan(0);
    expect([v.difference, v.observed, v.bound]).toEqual([xs[i - 1] - xs[i], xs, undefined]); // a monotone claim has no separate bound
    expect(v.message).toMatch(new RegExp(`^sequence is not non-decreasing at index ${i}: `));
  });
});

describe('subjects that misbehave become verdicts, never crashes', () => {
  const base = { seed, profile: 'ci' as const };

  it('a subject that throws: violated with the message', async () => {
    const v = await checkTheorem(sumReverse, { ...base, subject: { sum: () => { throw new RangeError('overflow in sum'); } } });
    expectStatus(v, 'violated');
    expect(v.message).toBe('subject threw: RangeError: overflow in sum');
    expect(v.difference).toBeUndefined();
    expect(v.counterexample).toEqual([]); // shrunk to the empty list
  });

  it('NaN and wrong shapes: violated with the offending entry named', async () => {
    const nan = await checkTheorem(sumReverse, { ...base, subject: { sum: (xs: number[]) => (xs.length > 2 ? Number.NaN : xs.reduce((a, b) => a + b, 0)) } });
    expectStatus(nan, 'violated');
    expect(nan.message).toBe('subject returned an invalid value: observed is NaN');
    expect(nan.counterexample).toEqual([0, 0, 0]);
    const nanAt2 = (xs: number[]) => (correctSubject.prefixMax as (v: number[]) => number[])(xs).map((m, i) => (i === 2 ? Number.NaN : m));
    const shape = await checkTheorem(prefixMax, { ...base, subject: { prefixMax: nanAt2 } });
    expectStatus(shape, 'violated');
    expect(shape.message).toMatch(/^subject returned an invalid value: observed\[2\] is NaN$/);
    const arr = await checkTheorem(sumReverse, { ...base, subject: { sum: (xs: number[]) => [xs.length] } });
    expectStatus(arr, 'violated');
    expect(arr.message).toBe('shape mismatch: observed is an array of 1 but bound is a number');
  });

  it('shrinking is capped by a count, not by time: the report says so and its replay reproduces the case exactly', async () => {
    const full = await checkTheorem(sumReverse, { subject: buggySubject, seed, profile: 'ci' });
    expectStatus(full, 'violated');
    expect(full.shrinkTruncated).toBeUndefined();
    const cut = await checkTheorem(sumReverse, { subject: buggySubject, seed, profile: 'ci', maxShrinkCandidates: 1 });
    expectStatus(cut, 'violated');
    expect(cut.shrinkTruncated).toBe(true);
    expect(cut.message).toMatch(/\(shrinking stopped after 1 candidates: the cap of 1; the replay command reproduces this case\)$/);
    expect(cut.command).toBe(`${replayCommand({ id: 'T-SUM1', seed, path: cut.path, profile: 'ci' })} --no-shrink`);
    // the same cap, the same case, on any machine; --no-shrink at the reported path gives that case bit for bit
    const again = await checkTheorem(sumReverse, { subject: buggySubject, seed, profile: 'ci', maxShrinkCandidates: 1 });
    expectStatus(again, 'violated');
    expect(again.counterexample).toEqual(cut.counterexample);
    const replay = await checkTheorem(sumReverse, { subject: buggySubject, seed, profile: 'ci', path: cut.path, shrink: false });
    expectStatus(replay, 'violated');
    expect(replay.counterexample).toEqual(cut.counterexample);
  });

  it('a synchronous subject that runs long is interrupted by the time budget', async () => {
    const slow = { sum: (xs: number[]) => { const t = performance.now(); while (performance.now() - t < 25); return xs.reduce((a, b) => a + b, 0); } };
    const v = await checkTheorem(sumReverse, { ...base, subject: slow, numRuns: 1000, timeBudgetMs: 60 });
    expectStatus(v, 'interrupted');
    expect(v.cause).toBe('time-budget');
    expect(v.runs).toBeLessThan(1000);
    expect(v.reason).toMatch(/^time budget of 60 ms exhausted after \d+ of 1000 runs$/);
    expect(isFailure(v)).toBe(true);
  });

  it('an asynchronous subject that never answers is cut off by the per-run timeout', async () => {
    const never = { sum: () => new Promise<number>(() => {}) };
    const t0 = performance.now();
    const v = await checkTheorem(sumReverse, { ...base, subject: never, runTimeoutMs: 20 });
    expectStatus(v, 'interrupted');
    expect(v.cause).toBe('run-timeout');
    expect(performance.now() - t0).toBeLessThan(5000); // not shrunk run after run
  });

  it('a synchronous subject slower than the per-run timeout is judged after it returns', async () => {
    const slow = { sum: (xs: number[]) => { const t = performance.now(); while (performance.now() - t < 15); return xs.reduce((a, b) => a + b, 0); } };
    const v = await checkTheorem(sumReverse, { ...base, subject: slow, runTimeoutMs: 5 });
    expectStatus(v, 'interrupted');
    expect([v.cause, v.reason, v.runs]).toEqual(['run-timeout', 'a run exceeded the per-run budget of 5 ms', 1]); // the first run, not shrunk
  });

  it('a subject without the capability: interrupted as not applicable, which is not a failure', async () => {
    const v = await checkTheorem(sumReverse, { ...base, subject: { maxAbs: correctSubject.maxAbs } });
    expectStatus(v, 'interrupted');
    expect(v.reason).toBe('not applicable: subject lacks sum');
    expect(isFailure(v)).toBe(false);
  });
});

describe('spec-side problems', () => {
  const base = { seed, profile: 'ci' as const, subject: correctSubject };
  const common = {
    title: 'toy', source: { paper: 'toy', version: 'n/a', locator: 'here', provenance: 'derived' as const }, statement: 'x',
    kind: 'tight' as const, observe: (x: number) => x, bound: (x: number) => x, tolerance: { abs: 0, why: 'exact' },
  };

  it('a generated instance that breaks a hypothesis is reported (interrupted), shrunk, never skipped', async () => {
    const th = defineTheorem({ ...common, id: 'T-HYP1', hypotheses: [{ name: 'x < 50', check: (x: number) => x < 50 || `x = ${x}` }], instances: fc.integer({ min: 0, max: 100 }) });
    const v = await checkTheorem(th, base);
    expectStatus(v, 'interrupted');
    expect([v.cause, v.reason, v.counterexample]).toEqual(['hypothesis', 'hypothesis failed on generated instance: x < 50: x = 50', 50]);
  });

  it('vacuous: when most instances do not exercise the claim', async () => {
    const th = defineTheorem({ ...common, id: 'T-VAC1', hypotheses: [], instances: fc.integer({ min: 0, max: 100 }), nonVacuous: (x: number) => x > 95 || 'x did not exceed 95' });
    const v = await checkTheorem(th, { ...base, numRuns: 40 });
    expectStatus(v, 'vacuous');
    expect(v.reason).toMatch(/^only \d+ of 40 runs exercised the claim \(need 20\); e\.g\. x did not exceed 95$/);
    const some = defineTheorem({ ...common, id: 'T-VAC2', hypotheses: [], instances: fc.integer({ min: 0, max: 100 }), nonVacuous: (x: number) => x % 4 !== 0 || 'multiple of 4' });
    const h = await checkTheorem(some, { ...base, numRuns: 40 });
    expectStatus(h, 'holds');
    expect(h.evidence.vacuousRuns + h.evidence.nonVacuousRuns).toBe(40);
  });

  it('a hypothesis checker must give a reason: returning false is a spec error', async () => {
    const th = defineTheorem({ ...common, id: 'T-HYP2', hypotheses: [{ name: 'silent', check: ((x: number) => x > -1) as unknown as (x: number) => true }], instances: fc.integer({ min: -5, max: 5 }) });
    const v = await checkTheorem(th, base);
    expectStatus(v, 'interrupted');
    expect([v.cause, v.reason]).toEqual(['spec-error', "spec error: hypothesis 'silent' returned false, expected true or a reason string"]);
  });

  it('a bound that throws is a spec error (interrupted), not a violation of the subject', async () => {
    const th = defineTheorem({ ...common, id: 'T-ERR1', hypotheses: [], instances: fc.integer(), bound: () => { throw new Error('oops'); } });
    const v = await checkTheorem(th, base);
    expectStatus(v, 'interrupted');
    expect([v.cause, v.reason]).toEqual(['spec-error', 'spec error: bound threw: oops']);
  });
});

describe('frequency claims', () => {
  it('holds on a coin with heads 90% of the time; refuted on a fair coin via the Clopper-Pearson interval', async () => {
    const ok = await checkTheorem(coinFrequency, { subject: correctSubject, seed });
    expectStatus(ok, 'holds');
    const f = ok.evidence.frequency!;
    expect(f.n).toBe(400);
    expect(f.hi).toBeGreaterThanOrEqual(0.9);
    const bad = await checkTheorem(coinFrequency, { subject: buggySubject, seed });
    expectStatus(bad, 'violated');
    expect(bad.tolerance!.allowed).toBeLessThan(bad.difference!); // the interval's reach is shorter than the shortfall
    expect(bad.command).toBe(`LSGD_SEED=${seed} npx lsgd-spec check --id T-FREQ1 --seed ${seed}`);
    expect(unitHashOk(bad.counterexample as number)).toBe(false); // the example instance is a failure (tails)
    const again = await checkTheorem(coinFrequency, { subject: buggySubject, seed });
    expectStatus(again, 'violated');
    expect(again.observed).toBe(bad.observed); // the seed replays the sample
  });

  it("method 'exact' evaluates the whole population and compares the frequency as is", async () => {
    const th = defineTheorem({
      id: 'T-FREQ2', title: 'at most half of 0..9 are below 5', source: { paper: 'toy', version: 'n/a', locator: 'here', provenance: 'derived' },
      statement: 'x', kind: 'frequency', hypotheses: [], instances: fc.integer({ min: 0, max: 9 }),
      frequency: { statistic: (x: number, s) => (s.below as (x: number) => boolean)(x), claimedFrequency: 0.5, claim: 'at-most', samples: 1, confidence: 0.99, method: 'exact', population: () => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] },
    });
    const ok = await checkTheorem(th, { subject: { below: (x: number) => x < 5 }, seed });
    expectStatus(ok, 'holds');
    expect([ok.evidence.frequency!.successes, ok.evidence.frequency!.n]).toEqual([5, 10]);
    const bad = await checkTheorem(th, { subject: { below: (x: number) => x <= 5 }, seed });
    expectStatus(bad, 'violated');
    expect([bad.observed, bad.difference, bad.tolerance!.allowed]).toEqual([0.6, 0.6 - 0.5, 0]);
  });

  it('a subject that throws or answers a non-boolean is a violated verdict naming the sample, never a crash', async () => {
    const th = defineTheorem({
      id: 'T-FREQ3', title: 'statistic from the subject', source: { paper: 'toy', version: 'n/a', locator: 'here', provenance: 'derived' },
      statement: 'x', kind: 'frequency', hypotheses: [], instances: fc.integer({ min: 0, max: 9 }),
      frequency: { statistic: (x: number, s) => (s.f as (x: number) => boolean)(x), claimedFrequency: 0.5, claim: 'at-least', samples: 20, confidence: 0.99, method: 'monte-carlo' },
    });
    const threw = await checkTheorem(th, { subject: { f: () => { throw new Error('boom'); } }, seed });
    expectStatus(threw, 'violated');
    expect(threw.message).toBe('subject threw on sample 0: boom');
    expect(threw.bound).toBe(0.5);
    expect(threw.command).toContain('--id T-FREQ3');
    const garbage = await checkTheorem(th, { subject: { f: () => 'yes' }, seed });
    expectStatus(garbage, 'violated');
    expect(garbage.message).toBe('statistic returned yes on sample 0, expected a boolean');
  });
});

function unitHashOk(seed: number): boolean {
  return (correctSubject.coin as (s: number) => boolean)(seed) && (buggySubject.coin as (s: number) => boolean)(seed);
}
