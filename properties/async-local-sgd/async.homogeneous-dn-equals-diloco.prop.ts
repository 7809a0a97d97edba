/**
 * with homogeneous workers, Delayed Nesterov with N = k and c = 0, pinned shards and per-worker inner
 * states, asynchronous Local-SGD is synchronous DiLoCo with Nesterov (footnote 5 of the paper; the exact
 * conditions are ours, docs/theory.md#36-homogeneous-equivalence). The subject's 'asyncLocalSGD' runs R cycles of k pushes; the bound
 * is the reference synchronous DiLoCo (Algorithm 1, runDiLoCo; A-8 checks it against hand averaging) after
 * each of its R outer steps.
 */
import fc from 'fast-check';
import { defineTheorem } from '../../src/spec/index.ts';
import { capability } from '../../src/subject/index.ts';
import { EPS } from '../../src/numeric/index.ts';
import { runDiLoCo } from '../../src/optimizers/async/index.ts';
import type { AsyncHyper, AsyncProblem } from '../../src/optimizers/async/index.ts';
import { workerSpeeds } from '../../src/arbitraries/index.ts';
import { betaArb, concat, epsArb, maxAbs, PAPER, VERSION, type AsyncRunFn } from './_shared.ts';
import { gradientEntryBound, mixtureProblem, softmaxSmoothness, type MixtureSpec } from './_mixture.ts';

export interface HomogeneousRun {
  readonly data: MixtureSpec;
  readonly speeds: readonly number[];
  readonly H: number;
  /** outer steps of the synchronous run (R k server updates of the asynchronous one) */
  readonly R: number;
  /** inner SGD rate as a fraction of 2 / L (L: softmaxSmoothness) */
  readonly lrFraction: number;
  readonly schedule: boolean;
  readonly batchSize: number | undefined;
  readonly eps: number;
  readonly beta: number;
  readonly N: number;
  readonly c: number;
  readonly shardMode: 'pinned' | 'eq2';
  readonly seed: number;
}

const instances: fc.Arbitrary<HomogeneousRun> = workerSpeeds({ regime: 'homogeneous', minWorkers: 2, maxWorkers: 4 }).chain((ws) => {
  const k = ws.speeds.length;
  return fc.record({
    data: fc.record({ dataSeed: fc.nat(1 << 20), d: fc.integer({ min: 2, max: 4 }), C: fc.integer({ min: 2, max: 3 }), shards: fc.constant(k), perShard: fc.integer({ min: 4, max: 24 }) }),
    speeds: fc.constant(ws.speeds),
    H: fc.integer({ min: 1, max: 5 }),
    R: fc.integer({ min: 2, max: 6 }),
    lrFraction: fc.integer({ min: 1, max: 16 }).map((j) => j / 16),
    schedule: fc.boolean(),
    batchSize: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
    eps: epsArb,
    beta: betaArb,
    N: fc.constant(k),
    c: fc.constant(0),
    shardMode: fc.constant('pinned' as const),
    seed: fc.nat(1 << 20),
  });
});

interface Built {
  readonly problem: AsyncProblem;
  readonly hyper: AsyncHyper;
  readonly lr: number;
}

const cache = new WeakMap<HomogeneousRun, Built>();
/** The problem and the asynchronous hyperparameters of an instance (pure; memoised per instance object). */
export function build(p: HomogeneousRun): Built {
  const hit = cache.get(p);
  if (hit) return hit;
  const problem = mixtureProblem(p.data);
  const k = p.speeds.length;
  const lr = (p.lrFraction * 2) / softmaxSmoothness(problem);
  const hyper: AsyncHyper = {
    k, speeds: p.speeds, H: p.H,
    inner: { kind: 'sgd', lr, ...(p.schedule ? { schedule: { etaMin: lr / 8, warmup: 1, T: p.R * p.H } } : {}) },
    outer: { kind: 'delayedNesterov', eps: p.eps, beta: p.beta, N: p.N, c: p.c },
    dylu: false, gracePeriod: 0, tMax: p.R * k * p.H, seed: p.seed, shardMode: p.shardMode, batchSize: p.batchSize,
  };
  const b = { problem, hyper, lr };
  cache.set(p, b);
  return b;
}

/** Error growth per outer step of the (theta, m) pair under Nesterov when the local map is 1-Lipschitz (see the note). */
export function growth(eps: number, beta: number): number {
  return Math.max(beta + 2, 1 + eps * (2 + 2 * beta + beta * beta));
}

export const spec = defineTheorem({
  id: 'A-4',
  title: 'homogeneous workers, DN with N = k and c = 0, pinned shards: asynchronous Local-SGD equals synchronous DiLoCo',
  source: { paper: PAPER, version: VERSION, locator: 'Sec. 5 footnote 5 (equivalence without heterogeneity); conditions docs/theory.md#36-homogeneous-equivalence', provenance: ['read', 'derived'] },
  statement: String.raw`v_1 = \dots = v_k,\ N = k,\ c = 0,\ \text{pinned shards} \;\Longrightarrow\; \theta^{\mathrm{async}}_{r k} = \theta^{\mathrm{DiLoCo}}_{r}\quad (r = 1, \dots, R)`,
  kind: 'equivalence',
  requires: ['asyncLocalSGD'],
  hypotheses: [
    { name: 'homogeneous speeds', check: (p: HomogeneousRun) => p.speeds.every((v) => v === p.speeds[0]) || `speeds ${JSON.stringify(p.speeds)}` },
    { name: 'N = k', check: (p: HomogeneousRun) => p.N === p.speeds.length || `N = ${p.N}, k = ${p.speeds.length}` },
    { name: 'c = 0', check: (p: HomogeneousRun) => p.c === 0 || `c = ${p.c}` },
    { name: 'pinned shards', check: (p: HomogeneousRun) => p.shardMode === 'pinned' || `shard mode ${p.shardMode}` },
    { name: 'inner rate <= 2/L (tolerance: local map 1-Lipschitz)', check: (p: HomogeneousRun) => (p.lrFraction > 0 && p.lrFraction <= 1) || `lr fraction ${p.lrFraction}` },
  ],
  instances,
  observe: (p, subject) => {
    const { problem, hyper } = build(p);
    const k = hyper.k;
    const record = Array.from({ length: p.R }, (_, r) => (r + 1) * k);
    return concat(capability<AsyncRunFn>(subject, 'asyncLocalSGD')(problem, { ...hyper, record }).models);
  },
  bound: (p) => {
    const { problem, hyper } = build(p);
    const record = Array.from({ length: p.R }, (_, r) => r + 1);
    return concat(runDiLoCo(problem, { ...hyper, outer: { kind: 'nesterov', eps: p.eps, beta: p.beta }, record }).models);
  },
  tolerance: (p, _o, bound) => {
    const { problem, hyper, lr } = build(p);
    const k = hyper.k;
    const delta = p.H * lr * gradientEntryBound(problem); // |pseudo-gradient entry| <= H lr max|grad entry|
    const S = maxAbs(bound) + p.eps * delta * (1 + p.beta / (1 - p.beta));
    const G = growth(p.eps, p.beta);
    const dim = problem.model.dim;
    const inject = 4 * (k + 2) * EPS * S * Math.sqrt(dim);
    return {
      abs: (inject * (G ** p.R - 1)) / (G - 1),
      why: '4(k+2) EPS S sqrt(dim) rounding per outer step (k per-push moves vs one), grown by G = max(beta+2, 1+eps(2+2beta+beta^2)) per step over R steps',
    };
  },
  profiles: { ci: 25, default: 100, hunt: 2000 },
  hints: [
    'momentum applied at every push (docs/planted-bugs.md#m12-dn-momentum-every-push) makes the async run vanilla Nesterov, which differs from DiLoCo from the second push on',
    'heterogeneous speeds, eq. 2 shard sampling or N != k break the equivalence (dropped hypotheses)',
  ],
});
