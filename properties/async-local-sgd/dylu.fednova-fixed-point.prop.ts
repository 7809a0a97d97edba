/**
 * DyLU with shards pinned to workers and non-IID data biases the fixed point (FedNova, Wang et al. 2020,
 * Lemma 1; exact finite-eta form derived in docs/theory.md#35-dynamic-local-updates). Worker i owns F_i(x) = 1/2 |x - e_i|^2 and runs
 * tau_i = floor(v_i / v_max H) inner GD steps of rate eta per round; synchronous DiLoCo with outer SGD(1, 0)
 * (parameter averaging) converges to sum c_i e_i / sum c_i with c_i = 1 - (1 - eta)^tau_i, not to mean(e_i).
 * The subject's 'diloco' runs R rounds with DyLU on; the bound is the closed form.
 */
import fc from 'fast-check';
import { defineTheorem } from '../../src/spec/index.ts';
import { capability } from '../../src/subject/index.ts';
import { EPS, matFromRows } from '../../src/numeric/index.ts';
import { leastSquares } from '../../src/optimizers/async/index.ts';
import type { AsyncHyper, AsyncProblem } from '../../src/optimizers/async/index.ts';
import { workerSpeeds } from '../../src/arbitraries/index.ts';
import { dyadicVec, exactDylu, maxAbs, maxAbsAll, PAPER, VERSION, type AsyncRunFn } from './_shared.ts';

const D = 4; // X = 2 I_4, y = 2 e: the mean loss (1/8)|2x - 2e|^2 is exactly 1/2 |x - e|^2

export interface FedNovaRun {
  readonly speeds: readonly number[];
  readonly H: number;
  readonly eta: number;
  /** 0: a worker with floor(...) = 0 is parked; 1: the simulator's default floor */
  readonly minSteps: 0 | 1;
  /** the optimum e_i of worker i's quadratic */
  readonly e: number[][];
}

const instances: fc.Arbitrary<FedNovaRun> = fc
  .oneof(
    workerSpeeds({ regime: 'very', minWorkers: 2, maxWorkers: 4 }),
    workerSpeeds({ regime: 'mild', minWorkers: 2, maxWorkers: 4 }),
    workerSpeeds({ regime: 'stragglers', minWorkers: 2, maxWorkers: 4 }),
  )
  .chain((ws) =>
    fc.record({
      speeds: fc.constant(ws.speeds),
      H: fc.integer({ min: 2, max: 20 }),
      eta: fc.integer({ min: 1, max: 12 }).map((j) => j / 16),
      minSteps: fc.constantFrom(0 as const, 1 as const),
      e: fc.array(dyadicVec(D), { minLength: ws.speeds.length, maxLength: ws.speeds.length }),
    }),
  );

interface Reference {
  readonly tau: number[];
  readonly fixed: Float64Array;
  /** contraction per round: mean over active workers of (1 - eta)^tau_i */
  readonly rho: number;
  readonly rounds: number;
}

function reference(p: FedNovaRun): Reference {
  const tau = exactDylu(p.speeds, p.H, p.minSteps);
  const active = tau.flatMap((t, i) => (t > 0 ? [i] : []));
  const c = tau.map((t) => 1 - (1 - p.eta) ** t);
  const cs = active.reduce((a, i) => a + c[i], 0);
  const fixed = new Float64Array(D);
  for (let j = 0; j < D; j++) fixed[j] = active.reduce((a, i) => a + c[i] * p.e[i][j], 0) / cs;
  const rho = active.reduce((a, i) => a + (1 - p.eta) ** tau[i], 0) / active.length;
  // enough rounds for rho^R <= 2^-60, below the rounding floor (rho <= 1 - eta <= 15/16, so at most 645)
  const rounds = Math.ceil((-60 * Math.LN2) / Math.log(rho));
  return { tau, fixed, rho, rounds };
}

function problemOf(p: FedNovaRun): AsyncProblem {
  const X = matFromRows(Array.from({ length: D }, (_, i) => Array.from({ length: D }, (_, j) => (i === j ? 2 : 0))));
  return { model: leastSquares(D), shards: p.e.map((ei) => ({ X, y: Float64Array.from(ei, (v) => 2 * v) })) };
}

export const spec = defineTheorem({
  id: 'A-5',
  title: 'DyLU with pinned non-IID shards: averaging converges to the FedNova-biased point sum c_i e_i / sum c_i',
  source: { paper: `${PAPER}; Wang, Liu, Liang, Joshi, Poor, FedNova (NeurIPS 2020), Lemma 1`, version: VERSION, locator: 'Sec. 4.2, eq. 6 (DyLU); FedNova Lemma 1; docs/theory.md#35-dynamic-local-updates', provenance: ['read', 'derived', 'num'] },
  statement: String.raw`F_i(x) = \tfrac12\|x - e_i\|^2,\ \tau_i = \big\lfloor \tfrac{v_i}{v_{\max}} H \big\rfloor:\quad \lim_{r\to\infty} \theta_r = \frac{\sum_i c_i e_i}{\sum_i c_i},\quad c_i = 1 - (1-\eta)^{\tau_i}`,
  kind: 'tight',
  requires: ['diloco'],
  hypotheses: [
    { name: 'eta in (0, 1)', check: (p: FedNovaRun) => (p.eta > 0 && p.eta < 1) || `eta = ${p.eta}` },
    { name: 'speeds on the 1/4 grid', check: (p: FedNovaRun) => p.speeds.every((v) => v > 0 && Number.isInteger(4 * v)) || `speeds ${JSON.stringify(p.speeds)}` },
    { name: 'one shard per worker', check: (p: FedNovaRun) => p.e.length === p.speeds.length || `${p.e.length} shards, ${p.speeds.length} workers` },
  ],
  instances,
  observe: (p, subject) => {
    const { tau, rounds } = reference(p);
    const hyper: AsyncHyper = {
      k: p.speeds.length, speeds: p.speeds, H: p.H, inner: { kind: 'sgd', lr: p.eta }, outer: { kind: 'sgd', eps: 1 },
      dylu: true, minSteps: p.minSteps, gracePeriod: 0, tMax: rounds * tau.reduce((a, b) => a + b, 0), seed: 0, shardMode: 'pinned', record: 'last',
    };
    return capability<AsyncRunFn>(subject, 'diloco')(problemOf(p), hyper).theta;
  },
  bound: (p) => reference(p).fixed,
  tolerance: (p) => {
    const { tau, fixed, rho, rounds } = reference(p);
    const M = maxAbsAll(p.e);
    return {
      abs: rho ** rounds * maxAbs(fixed) + ((3 * Math.max(...tau) + p.speeds.length + 3) * EPS * M) / (1 - rho),
      why: 'rho^R |x*| left after R rounds (the round map contracts by rho exactly) plus (3 tau_max + k + 3) EPS max|e| rounding per round, summed by 1/(1 - rho)',
    };
  },
  nonVacuous: (p) => {
    const { fixed, tau } = reference(p);
    const active = tau.flatMap((t, i) => (t > 0 ? [i] : []));
    let gap = 0;
    for (let j = 0; j < D; j++) gap = Math.max(gap, Math.abs(fixed[j] - active.reduce((a, i) => a + p.e[i][j], 0) / active.length));
    return gap > 1e-6 || `the biased point equals mean(e_i) up to ${gap} (equal tau or equal e): the weighting is not exercised`;
  },
  profiles: { ci: 25, default: 100, hunt: 2000 },
  hints: ['step counts from the slowest worker (docs/planted-bugs.md#m13-dylu-slowest-reference) change every c_i; a flipped pseudo-gradient (docs/planted-bugs.md#m05-pseudo-gradient-sign) diverges'],
});
