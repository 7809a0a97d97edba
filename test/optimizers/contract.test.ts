/**
 * The contract every reference optimizer keeps (src/optimizers/types.ts): pure init/step over frozen states that are
 * never mutated, replayable steps, the same trace bit for bit for the same seed, a well-formed Trace, and
 * run(problem, hyper) equal to folding init/step by hand.
 */
import { describe, expect, it } from 'vitest';
import type { Vec } from '../../src/numeric/index.ts';
import {
  adaLupaSGD, centralizedGD, centralizedSGD, localGD, localSGD, lupaSGD, modifiedLocalGD, runFold,
} from '../../src/optimizers/index.ts';
import type { FoldState, Optimizer, Trace } from '../../src/optimizers/index.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';
import { bitsEqual, snapshot } from './_problems.ts';

const node = (rows: number[][], y: number[]) => ({ X: { rows: rows.length, cols: 2, data: Float64Array.from(rows.flat()) }, y: Float64Array.from(y) });
const ds: FederatedDataset = {
  task: 'classification', d: 2,
  nodes: [node([[1, 0.5], [0.25, -1], [-0.5, 0.75]], [1, -1, 1]), node([[0.5, 0.5]], [-1]), node([[2, -1], [1, 1]], [1, 1])],
};
const loss = { name: 'logistic' as const, l2: 0.125 };
const w0 = Float64Array.of(0.25, -0.5);

interface Subject { name: string; opt: Optimizer<any, FoldState>; hyper: Record<string, unknown> }
const subjects: Subject[] = [
  { name: 'centralizedGD', opt: centralizedGD, hyper: { loss, eta: 0.5, T: 6, w0 } },
  { name: 'centralizedSGD', opt: centralizedSGD, hyper: { loss, eta: { a: 1, b: 2, mu: 1 }, T: 6, B: 2, w0, seed: 5 } },
  { name: 'localGD', opt: localGD, hyper: { loss, eta: 0.5, L: [1, 3, 2], R: 4, w0, participants: 2, seed: 5 } },
  { name: 'localSGD', opt: localSGD, hyper: { loss, eta: 0.5, L: 3, R: 4, B: 2, w0, seed: 5, alpha: 'uniform' } },
  { name: 'modifiedLocalGD', opt: modifiedLocalGD, hyper: { variant: 'normalized', loss, eta: 0.25, etaG: 0.5, L: 4, R: 4, w0 } },
  { name: 'lupaSGD', opt: lupaSGD, hyper: { loss, eta: 0.5, T: 11, tau: 3, p: 3, B: 2, w0, seed: 5 } },
  { name: 'adaLupaSGD', opt: adaLupaSGD, hyper: { loss, eta: 0.5, T: 11, tau0: 2, B: 1, w0, seed: 5, sampling: 'shards' } },
];

const sameTrace = (a: Trace, b: Trace): boolean =>
  a.algorithm === b.algorithm && a.models.length === b.models.length && a.models.every((m, i) => bitsEqual(m, b.models[i])) &&
  a.loss.every((x, i) => Object.is(x, b.loss[i])) && JSON.stringify([a.rounds, a.communications, a.localSteps, a.extra]) === JSON.stringify([b.rounds, b.communications, b.localSteps, b.extra]);

describe.each(subjects)('$name keeps the optimizer contract', ({ opt, hyper }) => {
  it('states are frozen and never mutated; step(s) is replayable bit for bit; the problem and w0 are untouched', () => {
    const before = snapshot(ds);
    const s0 = opt.init(ds, hyper);
    const w0copy = Array.from(s0.w);
    const s1 = opt.step(s0);
    const s1again = opt.step(s0);
    const s2 = opt.step(s1);
    expect([s0, s1, s2].every((s) => Object.isFrozen(s))).toBe(true);
    expect(Array.from(s0.w)).toEqual(w0copy);
    expect(s0.w).not.toBe(w0);
    expect(bitsEqual(s1.w, s1again.w)).toBe(true);
    expect(bitsEqual(opt.step(s1again).w, s2.w)).toBe(true);
    expect(s1.round).toBe(1);
    expect(Array.from(w0)).toEqual([0.25, -0.5]);
    expect(snapshot(ds)).toEqual(before);
  });

  it('run twice gives the same trace bit for bit, equal to folding init/step by hand', () => {
    const a = opt.run(ds, hyper);
    const b = opt.run(ds, hyper);
    expect(sameTrace(a, b)).toBe(true);
    let s = opt.init(ds, hyper);
    const models: Vec[] = [s.w];
    while (!s.done) {
      s = opt.step(s);
      models.push(s.w);
    }
    expect(models.length).toBe(a.models.length);
    expect(models.every((m, i) => bitsEqual(m, a.models[i]))).toBe(true);
    expect(sameTrace(runFold(opt, ds, hyper), a)).toBe(true);
  });

  it('the trace is well formed: aligned arrays, rounds 0..R, finite losses equal to objective, counters non-decreasing', () => {
    const t = opt.run(ds, hyper);
    const n = t.rounds.length;
    expect([t.models.length, t.loss.length, t.communications.length, t.localSteps!.length]).toEqual([n, n, n, n]);
    expect(t.rounds).toEqual([...Array(n).keys()]);
    expect(t.loss.every(Number.isFinite)).toBe(true);
    for (let i = 1; i < n; i++) {
      expect(t.communications[i]).toBeGreaterThanOrEqual(t.communications[i - 1]);
      expect(t.localSteps![i]).toBeGreaterThan(t.localSteps![i - 1]);
    }
    let s = opt.init(ds, hyper);
    expect(Object.is(opt.objective(s), t.loss[0])).toBe(true);
    s = opt.step(s);
    expect(Object.is(opt.objective(s), t.loss[1])).toBe(true);
    t.models[0][0] = 99; // the trace owns its models: writing to them cannot reach a state or another trace
    expect(opt.run(ds, hyper).models[0][0]).toBe(0.25);
  });
});
