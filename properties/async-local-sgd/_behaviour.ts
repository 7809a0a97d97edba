/**
 * The random instances of the behavioural frequency claims A-B1..A-B3 (not a property file): a softmax
 * regression on a Gaussian mixture with ill-conditioned features (kappa = 10, so the loss keeps falling over the
 * whole budget and outer momentum matters), k heterogeneous workers, and the three methods the paper compares at
 * the same budget of local steps:
 *   sync     DiLoCo, outer Nesterov (eps 0.7, beta 0.9), every worker H steps            (Algorithm 1)
 *   dnDylu   async, Delayed Nesterov (N = k, c = 0, eps 0.7, beta 0.9) + DyLU (eq. 6)    (Algorithms 2-3, eq. 6)
 *   vanilla  async, per-push Nesterov (eps 0.7 / k, beta 0.9), every worker H steps      ("async DiLoCo")
 * Inner AdamW (lr 0.005, no weight decay, eq. 3 schedule to lr/10 over the shard's share of the budget), eq. 2 shard
 * sampling, minibatches of 16, grace period 0.1 H / v_max. Losses are the pooled training loss (the objective).
 * The vanilla outer rate eps / k is the per-push scale DN uses (g / N), so vanilla and DN differ only in when the
 * momentum is applied. All hyperparameters were fixed before the frequencies were measured (proofs-notes/A-B*.md).
 */
import fc from 'fast-check';
import { capability } from '../../src/subject/index.ts';
import type { AsyncHyper, AsyncProblem, AsyncTrace } from '../../src/optimizers/async/index.ts';
import type { Subject } from '../../src/spec/index.ts';
import { workerSpeeds } from '../../src/arbitraries/index.ts';
import { mixtureProblem, type MixtureSpec } from './_mixture.ts';
import type { AsyncRunFn } from './_shared.ts';

export interface BehaviourRun {
  readonly data: MixtureSpec;
  readonly speeds: readonly number[];
  readonly regime: string;
  readonly H: number;
  /** outer steps of the synchronous run; every method gets R k H local steps */
  readonly R: number;
  /** inner AdamW learning rate (INNER_LR in the claims' instances) */
  readonly innerLr: number;
  readonly seed: number;
}

export const OUTER_EPS = 0.7;
export const OUTER_BETA = 0.9;
export const INNER_LR = 0.005;
export const GRACE_FRACTION = 0.1;

export const behaviourInstances: fc.Arbitrary<BehaviourRun> = fc
  .oneof(
    workerSpeeds({ regime: 'mild', minWorkers: 2, maxWorkers: 6 }),
    workerSpeeds({ regime: 'very', minWorkers: 2, maxWorkers: 6 }),
    workerSpeeds({ regime: 'stragglers', minWorkers: 3, maxWorkers: 6 }),
  )
  .chain((ws) =>
    fc.record({
      data: fc.record({
        dataSeed: fc.nat(1 << 20), d: fc.integer({ min: 4, max: 6 }), C: fc.integer({ min: 3, max: 4 }), shards: fc.constant(ws.speeds.length),
        perShard: fc.constant(48), noise: fc.constant(0.7), kappa: fc.constant(10),
      }),
      speeds: fc.constant(ws.speeds),
      regime: fc.constant(ws.regime),
      H: fc.integer({ min: 4, max: 8 }),
      R: fc.constant(24),
      innerLr: fc.constant(INNER_LR),
      seed: fc.nat(1 << 20),
    }),
  );

export const heterogeneous = { name: 'heterogeneous speeds', check: (p: BehaviourRun) => Math.max(...p.speeds) > Math.min(...p.speeds) || `speeds ${JSON.stringify(p.speeds)}` };

const problems = new WeakMap<BehaviourRun, AsyncProblem>();
export function problemOf(p: BehaviourRun): AsyncProblem {
  let pr = problems.get(p);
  if (!pr) {
    pr = mixtureProblem(p.data);
    problems.set(p, pr);
  }
  return pr;
}

function baseHyper(p: BehaviourRun): AsyncHyper {
  const k = p.speeds.length;
  const tMax = p.R * k * p.H;
  const lr = p.innerLr;
  return {
    k, speeds: p.speeds, H: p.H,
    inner: { kind: 'adamw', lr, weightDecay: 0, schedule: { etaMin: lr / 10, warmup: 0, T: Math.ceil(tMax / k) } },
    outer: { kind: 'nesterov', eps: OUTER_EPS, beta: OUTER_BETA }, dylu: false,
    gracePeriod: (GRACE_FRACTION * p.H) / Math.max(...p.speeds), tMax, seed: p.seed, shardMode: 'eq2', batchSize: 16,
  };
}

/** sync DiLoCo; async Delayed Nesterov with DyLU; async DN alone (report plot only); async Nesterov applied per update */
export type Method = 'sync' | 'dnDylu' | 'dn' | 'vanilla';

/** One method's trace through the subject ('diloco' or 'asyncLocalSGD'); record 'all' or only the last point. */
export function runMethod(p: BehaviourRun, subject: Subject, method: Method, record: 'all' | 'last'): AsyncTrace {
  const b = baseHyper(p);
  const k = b.k;
  if (method === 'sync') return capability<AsyncRunFn>(subject, 'diloco')(problemOf(p), { ...b, record });
  const hyper: AsyncHyper = method === 'dnDylu' || method === 'dn'
    ? { ...b, outer: { kind: 'delayedNesterov', eps: OUTER_EPS, beta: OUTER_BETA, N: k, c: 0 }, dylu: method === 'dnDylu', record }
    : { ...b, outer: { kind: 'nesterov', eps: OUTER_EPS / k, beta: OUTER_BETA }, record };
  return capability<AsyncRunFn>(subject, 'asyncLocalSGD')(problemOf(p), hyper);
}

/** Virtual time at which the trace first reaches loss <= target (Infinity if it never does). */
export function timeToTarget(t: AsyncTrace, target: number): number {
  const i = t.loss.findIndex((l) => l <= target);
  return i < 0 ? Infinity : t.time[i];
}

/** Fraction of the synchronous run's loss reduction used as the target (A-B1) and as the margin (A-B3). */
export const TARGET_FRACTION = 0.9;
export const MATCH_MARGIN = 0.1;
