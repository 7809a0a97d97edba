/**
 * Mechanics of the discrete-event simulator (Algorithm 2): virtual times, staleness, grace
 * period, termination, communications, determinism, purity, errors. Instances are tiny
 * (least squares in R^2 or softmax on 6 features) so every run takes milliseconds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matFromRows } from '../../../src/numeric/index.ts';
import { dyluSteps, gaussianMixture, leastSquares, runAsync, runDiLoCo, softmaxRegression } from '../../../src/optimizers/async/index.ts';
import type { AsyncHyper, AsyncProblem, AsyncTrace } from '../../../src/optimizers/async/index.ts';
import { errorOf, sameBits } from './_helpers.ts';

/** least squares in R^2, one shard per worker, targets differ per shard */
function lsProblem(k: number): AsyncProblem {
  const shards = Array.from({ length: k }, (_, i) => ({
    X: matFromRows([[1, 0], [0, 1], [1, 1]]),
    y: Float64Array.of(i, 1 - i, 0.5),
  }));
  return { model: leastSquares(2), shards };
}

const baseHyper = (k: number, speeds: number[]): AsyncHyper => ({
  k, speeds, H: 8, inner: { kind: 'sgd', lr: 0.125 }, outer: { kind: 'sgd', eps: 0.5 },
  dylu: false, gracePeriod: 0, tMax: 200, seed: 1, shardMode: 'pinned',
});

const softmaxProblem = (): AsyncProblem => {
  const data = gaussianMixture({ seed: 9, features: 6, classes: 3, n: 240, shards: 4, evalSize: 48 });
  return { model: softmaxRegression(6, 3), shards: data.shards, evalSet: data.evalSet };
};
const softmaxHyper = (over: Partial<AsyncHyper> = {}): AsyncHyper => ({
  k: 4, speeds: [3, 2.5, 1, 0.5], H: 12,
  inner: { kind: 'adamw', lr: 0.03, weightDecay: 0.01, schedule: { etaMin: 0.001, warmup: 4, T: 200 } },
  outer: { kind: 'delayedNesterov', eps: 0.5, beta: 0.9, N: 4, c: 0.1 }, dylu: true,
  gracePeriod: 0.4, tMax: 400, seed: 42, shardMode: 'eq2', batchSize: 8, ...over,
});

/** every column of a trace with Float64Arrays as arrays, so JSON equality is bit equality for finite values */
const dump = (t: AsyncTrace): string => JSON.stringify(t, (_, v) => (v instanceof Float64Array ? Array.from(v) : v));

const hetArb = fc.record({
  speeds: fc.array(fc.integer({ min: 1, max: 16 }).map((j) => j / 4), { minLength: 1, maxLength: 5 }),
  grace: fc.integer({ min: 0, max: 8 }).map((j) => j / 4),
  dylu: fc.boolean(),
});

describe('runAsync mechanics', () => {
  it('times, staleness, steps, termination and communications are consistent with Algorithm 2', () => {
    fc.assert(
      fc.property(hetArb, ({ speeds, grace, dylu }) => {
        const k = speeds.length;
        const hyper = { ...baseHyper(k, speeds), gracePeriod: grace, dylu, tMax: 60 };
        const tr = runAsync(lsProblem(k), hyper);
        const steps = dylu ? dyluSteps(speeds, 8) : speeds.map(() => 8);
        let prevTime = 0;
        tr.updates.forEach((u, j) => {
          expect(u.time).toBeGreaterThanOrEqual(prevTime);
          prevTime = u.time;
          expect(u.steps).toBe(steps[u.worker]);
          expect(u.shard).toBe(u.worker); // pinned
          expect(u.time).toBe(u.start + u.steps / speeds[u.worker]); // exact: the simulator's own expression
          // staleness recounted: updates applied after this job's download (a restart happens after its window)
          const later = tr.updates.slice(0, j).filter((p) => p.time > u.start).length;
          expect(u.staleness).toBe(later);
          // a job starts at time 0 or at the time of an earlier update (restart after a window)
          if (u.start !== 0) expect(tr.updates.slice(0, j).some((p) => p.time === u.start)).toBe(true);
        });
        const total = tr.updates.reduce((a, u) => a + u.steps, 0);
        expect(tr.totalLocalSteps.at(-1)).toBe(total);
        expect(total).toBeGreaterThanOrEqual(hyper.tMax);
        expect(total - tr.updates.at(-1)!.steps).toBeLessThan(hyper.tMax);
        expect(tr.communications.at(-1)).toBe(tr.updates.length); // one upload per server update
        expect(tr.rounds.at(-1)).toBe(tr.updates.length);
        expect(sameBits(tr.theta, tr.models.at(-1)!)).toBe(true);
      }),
    );
  });

  it('grace period: a worker finishing within tau_grace of the window start is applied in the window and restarts with the others', () => {
    // completion times 8/1 = 8 and 8/0.95 = 8.42...; the second is 0.42 after the first
    const problem = lsProblem(2);
    const inWindow = runAsync(problem, { ...baseHyper(2, [1, 0.95]), gracePeriod: 0.5, tMax: 32 });
    const outside = runAsync(problem, { ...baseHyper(2, [1, 0.95]), gracePeriod: 0.4, tMax: 32 });
    const t1 = 8 / 0.95;
    // inside: both restart together at t1, so the second jobs start at t1
    expect(inWindow.updates.slice(2, 4).map((u) => u.start)).toEqual([t1, t1]);
    // outside: worker 0 restarts alone at 8, worker 1 at t1
    const starts = outside.updates.slice(2).map((u) => [u.worker, u.start]);
    expect(starts).toContainEqual([0, 8]);
    expect(starts).toContainEqual([1, t1]);
    // the window is anchored at its first completion (tau_sync = min), it does not slide: with
    // completions 8, 8.33, 8.60 and tau_grace 0.5 the third is 0.60 after the anchor and is left out
    const three = runAsync(lsProblem(3), { ...baseHyper(3, [1, 0.96, 0.93]), gracePeriod: 0.5, tMax: 80 });
    const second = three.updates.slice(3).map((u) => [u.worker, u.start]);
    expect(second).toContainEqual([0, 8 / 0.96]);
    expect(second).toContainEqual([1, 8 / 0.96]);
    expect(second).toContainEqual([2, 8 / 0.93]);
  });

  it('equal speeds: all k finish together, are applied with staleness 0..k-1 and restart from one model', () => {
    const k = 3;
    const tr = runAsync(lsProblem(k), { ...baseHyper(k, [2, 2, 2]), tMax: 8 * k * 4 });
    expect(tr.updates.length).toBe(12);
    tr.updates.forEach((u, j) => {
      expect(u.worker).toBe(j % k); // ties broken by worker id
      expect(u.staleness).toBe(j % k);
      expect(u.time).toBe(4 * (Math.floor(j / k) + 1));
    });
  });

  it('eq. 2 with equal shards and equal jobs: each restart deals the shards out as a permutation, worker 0 first to shard 0', () => {
    // Idle workers start in id order. After j equal jobs on j distinct shards those shards are over-sampled
    // (n_i / sum n = 1/j > 1/S), so the next draw avoids them; when all are balanced the fallback picks
    // the least-visited shard with the lowest index, shard 0.
    const k = 4;
    const problem = { model: leastSquares(2), shards: lsProblem(k).shards };
    const tr = runAsync(problem, { ...baseHyper(k, [1, 1, 1, 1]), shardMode: 'eq2', seed: 77, tMax: 8 * k * 5 });
    for (let r = 0; r < 5; r++) {
      const round = tr.updates.slice(r * k, (r + 1) * k);
      expect(round.map((u) => u.worker)).toEqual([0, 1, 2, 3]);
      expect(round[0].shard).toBe(0);
      expect([...round.map((u) => u.shard)].sort()).toEqual([0, 1, 2, 3]);
    }
  });

  it("record { every: n } keeps every n-th server update and always the last one; 'last' and lists as in the shared RecordSpec", () => {
    const tr = runAsync(lsProblem(2), { ...baseHyper(2, [1, 0.7]), record: { every: 3 }, tMax: 70 });
    const n = tr.updates.length;
    const expected = [0, ...Array.from({ length: Math.floor(n / 3) }, (_, i) => 3 * (i + 1))];
    if (n % 3 !== 0) expected.push(n);
    expect(tr.rounds).toEqual(expected);
    expect(tr.time.length).toBe(expected.length);
    expect(tr.loss.every(Number.isFinite)).toBe(true);
    const last = runAsync(lsProblem(2), { ...baseHyper(2, [1, 0.7]), record: 'last', tMax: 70 });
    expect(last.rounds).toEqual([n]);
    expect(sameBits(last.models[0], tr.theta)).toBe(true);
    const listed = runDiLoCo(lsProblem(2), { ...baseHyper(2, [1, 0.7]), record: [1, 4], tMax: 70 });
    expect(listed.rounds).toEqual([1, 4]);
    expect(errorOf(() => runDiLoCo(lsProblem(2), { ...baseHyper(2, [1, 0.7]), record: [1, 400], tMax: 70 }))).toBe(
      'runDiLoCo: record asks for round 400 but the run ended after round 5',
    );
  });
});

describe('determinism and purity', () => {
  it('the same seed gives the same trace bit for bit; another seed changes the shard draws and minibatches', () => {
    const p = softmaxProblem();
    const a = runAsync(p, softmaxHyper());
    const b = runAsync(softmaxProblem(), softmaxHyper());
    expect(dump(a)).toBe(dump(b));
    const c = runAsync(p, softmaxHyper({ seed: 43 }));
    expect(sameBits(a.theta, c.theta)).toBe(false);
    const s1 = runDiLoCo(p, softmaxHyper({ outer: { kind: 'nesterov', eps: 0.5, beta: 0.9 } }));
    const s2 = runDiLoCo(softmaxProblem(), softmaxHyper({ outer: { kind: 'nesterov', eps: 0.5, beta: 0.9 } }));
    expect(dump(s1)).toBe(dump(s2));
  });

  it('never mutates the problem or the hyperparameters', () => {
    const p = { ...softmaxProblem(), theta0: new Float64Array(21).fill(0.125) };
    const h = softmaxHyper();
    const snap = (x: unknown) => JSON.stringify(x, (_, v) => (v instanceof Float64Array ? Array.from(v) : typeof v === 'function' ? 'fn' : v));
    const before = [snap(p), snap(h)];
    runAsync(p, h);
    runDiLoCo(p, h);
    expect([snap(p), snap(h)]).toEqual(before);
  });
});

describe('errors', () => {
  it('are one line and name the function, the rule and the values', () => {
    const p = lsProblem(2);
    const h = baseHyper(2, [1, 1]);
    expect(errorOf(() => runAsync(p, { ...h, speeds: [1] }))).toBe('runAsync: speeds has 1 entries but k = 2');
    expect(errorOf(() => runAsync(p, { ...h, speeds: [1, -1] }))).toBe('runAsync: speed of worker 1 must be positive and finite, got -1');
    expect(errorOf(() => runAsync(lsProblem(3), h))).toBe("runAsync: shardMode 'pinned' needs one shard per worker, got 3 shards for k = 2");
    expect(errorOf(() => runAsync(p, { ...h, gracePeriod: -1 }))).toBe('runAsync: gracePeriod must be finite and >= 0, got -1');
    expect(errorOf(() => runAsync(p, { ...h, minSteps: 9 }))).toBe('runAsync: minSteps must be an integer in [0, H] = [0, 8], got 9');
    expect(errorOf(() => runDiLoCo(p, { ...h, tMax: 0 }))).toBe('runDiLoCo: tMax must be an integer >= 1, got 0');
    expect(errorOf(() => runAsync(p, { ...h, outer: { kind: 'delayedNesterov', eps: 1, beta: 0.9, N: 4, c: 0.5 } }))).toMatch(/^delayedNesterov: c = 0.5 /);
    expect(errorOf(() => runAsync({ ...p, theta0: Float64Array.of(1) }, h))).toBe('runAsync: theta0 has 1 entries but the model has dim 2');
    const bad = { model: softmaxRegression(2, 2), shards: [{ X: matFromRows([[1, 2]]), y: Float64Array.of(2) }] };
    expect(errorOf(() => runAsync(bad, { ...h, k: 1, speeds: [1] }))).toBe('runAsync: shard 0: softmaxRegression: label 0 is 2, expected an integer in [0, 1]');
    // divergence is reported, never carried on as NaN
    expect(errorOf(() => runAsync(p, { ...h, inner: { kind: 'sgd', lr: 50 }, tMax: 100000 }))).toMatch(
      /^runAsync: inner loss is (Infinity|NaN) at worker \d, shard \d, shard step \d+ \(lr 50\); lower the inner learning rate$/,
    );
  });
});
