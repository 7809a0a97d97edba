/**
 * The contract every reference optimizer keeps (src/optimizers/types.ts): pure init/step over frozen states that are
 * never mutated, replayable steps, the same trace bit for bit for the same seed, a well-formed Trace, and
 * run(problem, hyper) equal to folding init/step by hand. The asynchronous drivers (src/optimizers/async, AsyncAlgorithm)
 * keep the same contract over their own problem and trace types, checked at the end of this file.
 */
import { describe, expect, it } from 'vitest';
import type { Vec } from '../../src/numeric/index.ts';
import {
  adaLupaSGD, centralizedGD, centralizedSGD, localGD, localSGD, lupaSGD, modifiedLocalGD, runFold,
} from '../../src/optimizers/index.ts';
import type { FoldState, Optimizer, RunFn, Trace } from '../../src/optimizers/index.ts';
import { gaussianMixture, makeOuter, runAsync, runDiLoCo, softmaxRegression } from '../../src/optimizers/async/index.ts';
import type { AsyncAlgorithm, AsyncHyper, AsyncProblem, AsyncTrace } from '../../src/optimizers/async/index.ts';
import { asyncLocalSGD, asyncLocalSGDWith } from '../../src/optimizers/async/simulator.ts';
import { diloco } from '../../src/optimizers/async/diloco.ts';
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

// ---- the asynchronous drivers (src/optimizers/async): the same contract over AsyncProblem / AsyncTrace ----

/** Every reachable value, exactly: numbers by their f64 bits (so -0, NaN and Infinity are exact), typed arrays entry by entry. */
const exact = (x: unknown): string =>
  JSON.stringify(x, (_k, v: unknown) => {
    if (typeof v === 'number') return `n:${Array.from(new Uint8Array(Float64Array.of(v).buffer)).join('.')}`;
    if (ArrayBuffer.isView(v)) return { [v.constructor.name]: Array.from(v as unknown as ArrayLike<number>, (e) => exact(e)) };
    if (typeof v === 'function') return `fn:${(v as { name: string }).name}`;
    return v;
  });

const mix = gaussianMixture({ seed: 9, features: 3, classes: 3, n: 96, shards: 4, evalSize: 16 });
const asyncProblem: AsyncProblem = { model: softmaxRegression(3, 3), shards: mix.shards, evalSet: mix.evalSet, theta0: Float64Array.from({ length: 12 }, (_, i) => (i % 3) / 8) };
const asyncBase: AsyncHyper = {
  k: 4, speeds: [3, 2.5, 1, 0.25], H: 6,
  inner: { kind: 'adamw', lr: 0.03, schedule: { etaMin: 0.003, warmup: 2, T: 60 } },
  outer: { kind: 'delayedNesterov', eps: 0.5, beta: 0.9, N: 4, c: 0.1 }, dylu: true, minSteps: 0,
  gracePeriod: 0.4, tMax: 90, seed: 42, shardMode: 'eq2', batchSize: 4,
};
const asyncPinned: AsyncHyper = {
  ...asyncBase, inner: { kind: 'sgd', lr: 0.2 }, outer: { kind: 'nesterov', eps: 0.7, beta: 0.8 }, dylu: false, gracePeriod: 0, shardMode: 'pinned', batchSize: undefined,
};

interface AsyncSubject { name: string; alg: AsyncAlgorithm<any>; hyper: AsyncHyper }
const asyncSubjects: AsyncSubject[] = [
  { name: 'asyncLocalSGD (eq. 2, DN, DyLU parking a worker, grace window, AdamW minibatches)', alg: asyncLocalSGD, hyper: asyncBase },
  { name: 'asyncLocalSGD (pinned, Nesterov, inner SGD, full batches)', alg: asyncLocalSGD, hyper: asyncPinned },
  { name: 'asyncLocalSGD with its own parts swapped in (the mutants\' builder)', alg: asyncLocalSGDWith({ outer: (c) => makeOuter(c), push: (g) => g }), hyper: asyncBase },
  { name: 'diloco (eq. 2, DN, DyLU, AdamW minibatches)', alg: diloco, hyper: asyncBase },
  { name: 'diloco (pinned, Nesterov, inner SGD)', alg: diloco, hyper: asyncPinned },
];

const sameAsyncTrace = (a: AsyncTrace, b: AsyncTrace): boolean => exact(a) === exact(b);

describe.each(asyncSubjects)('$name keeps the optimizer contract', ({ alg, hyper }) => {
  it('init/step never write to the problem, the hyperparameters or any earlier state; states are frozen; step(s) replays bit for bit', () => {
    const inputs = exact([asyncProblem, hyper]);
    const s0 = alg.init(asyncProblem, hyper);
    const snap0 = exact(s0);
    const s1 = alg.step(s0);
    const snap1 = exact(s1);
    const s1again = alg.step(s0);
    let s = s1;
    for (let i = 0; i < 6 && !s.done; i++) s = alg.step(s);
    expect(exact(s0)).toBe(snap0);
    expect(exact(s1)).toBe(snap1);
    expect(exact(s1again)).toBe(snap1);
    expect(exact(alg.step(s1again))).toBe(exact(alg.step(s1)));
    expect(exact([asyncProblem, hyper])).toBe(inputs);
    for (const x of [s0, s1, s]) {
      expect(Object.isFrozen(x)).toBe(true);
      for (const v of Object.values(x)) if (Array.isArray(v)) expect(Object.isFrozen(v)).toBe(true);
    }
    expect([s0.round, s1.round]).toEqual([0, 1]);
    expect(s0.theta).not.toBe(asyncProblem.theta0);
  });

  it('run twice gives the same trace bit for bit, equal to folding init/step by hand', () => {
    const a = alg.run(asyncProblem, hyper);
    expect(sameAsyncTrace(a, alg.run(asyncProblem, hyper))).toBe(true);
    let s = alg.init(asyncProblem, hyper);
    const models: Vec[] = [s.theta];
    const time: number[] = [s.time];
    const comms: number[] = [s.communications];
    const updates: unknown[] = [];
    while (!s.done) {
      s = alg.step(s);
      models.push(s.theta);
      time.push(s.time);
      comms.push(s.communications);
      updates.push(...s.updates);
    }
    expect(a.rounds).toEqual([...models.keys()]);
    expect(models.every((m, i) => bitsEqual(m, a.models[i]))).toBe(true);
    expect(bitsEqual(s.theta, a.theta)).toBe(true);
    expect(exact([time, comms, updates])).toBe(exact([a.time, a.communications, a.updates]));
    expect(() => alg.step(s)).toThrow(/^(asyncLocalSGD|diloco)\.step: the run is finished \(t_local = \d+ >= t_max = 90\)$/);
    a.models[0][0] = 99; // the trace owns its models
    expect(alg.run(asyncProblem, hyper).models[0][0]).toBe(asyncProblem.theta0![0]);
  });
});

describe('runAsync and runDiLoCo are the folds of their init/step (the RunFn the subject offers)', () => {
  it.each([asyncBase, asyncPinned])('bit for bit (%#)', (hyper) => {
    expect(sameAsyncTrace(runAsync(asyncProblem, hyper), asyncLocalSGD.run(asyncProblem, hyper))).toBe(true);
    expect(sameAsyncTrace(runDiLoCo(asyncProblem, hyper), diloco.run(asyncProblem, hyper))).toBe(true);
    const runs: RunFn<AsyncHyper, AsyncProblem, AsyncTrace>[] = [runAsync, runDiLoCo];
    expect(runs.map((r) => r(asyncProblem, hyper).algorithm)).toEqual([asyncLocalSGD.run(asyncProblem, hyper).algorithm, diloco.run(asyncProblem, hyper).algorithm]);
  });
});
