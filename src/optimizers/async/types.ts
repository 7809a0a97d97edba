/**
 * Types of the asynchronous Local-SGD simulator (Liu et al. 2024, arXiv 2401.09135v2;
 * docs/theory.md#3-asynchronous-local-sgd-liu-et-al). Symbols follow the paper: k workers, H inner steps of the fastest worker,
 * v speeds (steps per virtual second), beta / N / c / eps for the outer optimiser,
 * tau_grace the grace period, t_max the total number of local steps.
 */
import type { Mat, Vec } from '../../numeric/types.ts';
import type { RecordSpec, RunFn, Trace } from '../types.ts';

/**
 * A tiny differentiable model. `lossAndGrad` writes the gradient of the MEAN loss over the
 * batch rows into `gradOut` (length `dim`) and returns that mean loss (the repo convention,
 * src/problems/types.ts). It must not write to theta, X or y. Implementations may keep
 * scratch buffers in a closure (the simulator is single-threaded).
 */
/** A model named by data, so it can be rebuilt on the other side of the plug-in protocol (ci/PROTOCOL.md). */
export type ModelDescriptor =
  | { readonly kind: 'leastSquares'; readonly features: number }
  | { readonly kind: 'softmax'; readonly features: number; readonly classes: number };

export interface Model {
  readonly name: string;
  /** how to rebuild this model elsewhere (the models of ./models have one) */
  readonly descriptor?: ModelDescriptor;
  readonly dim: number;
  /** number of input features (columns of X) */
  readonly features: number;
  lossAndGrad(theta: Vec, X: Mat, y: Vec, gradOut: Vec): number;
  loss(theta: Vec, X: Mat, y: Vec): number;
  /** throws a one-line Error if (X, y) does not fit the model (shape, labels) */
  check(X: Mat, y: Vec): void;
}

export interface Shard {
  readonly X: Mat;
  readonly y: Vec;
}

export interface AsyncProblem {
  readonly model: Model;
  /** data shards D_1..D_S; in 'pinned' mode S must equal k and worker i always uses shard i */
  readonly shards: readonly Shard[];
  /** the loss in the trace is evaluated here; without it the trace records NaN-free empty losses */
  readonly evalSet?: Shard;
  /** initial server model theta_0 (default zeros) */
  readonly theta0?: Vec;
}

/** Eq. 3: linear warmup then cosine decay to etaMin, indexed by the shard's own step counter. */
export interface ScheduleConfig {
  /** eta_min >= 0, the floor after warmup */
  readonly etaMin: number;
  /** t_warmup >= 0 (integer steps) */
  readonly warmup: number;
  /** T: the step at which the cosine reaches eta_min (T - t_warmup is clamped at 0) */
  readonly T: number;
}

export type InnerConfig =
  | {
      readonly kind: 'sgd';
      /** eta (or eta_max with a schedule) */
      readonly lr: number;
      /** coupled L2 weight decay, PyTorch SGD semantics (default 0) */
      readonly weightDecay?: number;
      readonly schedule?: ScheduleConfig;
    }
  | {
      readonly kind: 'adamw';
      readonly lr: number;
      /** defaults follow torch.optim.AdamW: beta1 0.9, beta2 0.999, eps 1e-8, weightDecay 0.01 */
      readonly beta1?: number;
      readonly beta2?: number;
      readonly eps?: number;
      readonly weightDecay?: number;
      readonly schedule?: ScheduleConfig;
    };

export type OuterConfig =
  | { readonly kind: 'sgd'; readonly eps: number; /** heavy-ball momentum, default 0 */ readonly beta?: number }
  | { readonly kind: 'nesterov'; readonly eps: number; readonly beta: number }
  | {
      readonly kind: 'delayedNesterov';
      readonly eps: number;
      readonly beta: number;
      readonly N: number;
      readonly c: number;
      /** permit c outside [0, 1/N] (e.g. Table 4's c = 0.1 at N = 16); otherwise such c throws */
      readonly allowOutOfRangeC?: boolean;
    };

export type ShardMode = 'eq2' | 'pinned';

export interface AsyncHyper {
  /** number of workers */
  readonly k: number;
  /** v_w: speed of worker w in inner steps per virtual second (> 0) */
  readonly speeds: readonly number[];
  /** H: inner steps per job (of the fastest worker when dylu is on) */
  readonly H: number;
  readonly inner: InnerConfig;
  readonly outer: OuterConfig;
  /** Dynamic Local Updates, eq. 6 */
  readonly dylu: boolean;
  /** DyLU floor on the step count (default 1; 0 parks workers that would get 0 steps) */
  readonly minSteps?: number;
  /** tau_grace >= 0 in virtual seconds (ignored by the synchronous baseline) */
  readonly gracePeriod: number;
  /** t_max: stop once this many local steps have been applied at the server */
  readonly tMax: number;
  readonly seed: number;
  readonly shardMode: ShardMode;
  /** minibatch size; undefined or >= shard size means the full shard, in row order */
  readonly batchSize?: number;
  /**
   * which rounds to record (src/optimizers/types.ts RecordSpec; default 'all'); a round is a server update
   * for runAsync and an outer step for runDiLoCo
   */
  readonly record?: RecordSpec;
}

/** One application of a pseudo-gradient at the server. */
export interface UpdateRecord {
  /** virtual time at which the server applied it */
  readonly time: number;
  readonly worker: number;
  /** server updates applied between the job's start (model download) and this application */
  readonly staleness: number;
  /** inner steps the job ran */
  readonly steps: number;
  readonly shard: number;
  /** virtual time at which the job started */
  readonly start: number;
}

/**
 * Trace of a run: the shared Trace (src/optimizers/types.ts) plus the async columns. Entry j of every
 * column is a recorded round; round 0 is the initial model. Conventions here:
 *  - rounds: server updates applied (runAsync) or outer steps (runDiLoCo);
 *  - loss: the model's mean loss on problem.evalSet, or without one the pooled mean over all training rows;
 *  - communications: cumulative pseudo-gradient uploads (worker -> server), as in the shared Trace;
 *  - time: virtual time in seconds;
 *  - totalLocalSteps: t_local of Algorithm 2, the inner steps of all applied jobs;
 *  - localSteps (runDiLoCo only, the shared meaning): sum over outer steps of the largest job's steps.
 */
export interface AsyncTrace extends Trace {
  time: number[];
  totalLocalSteps: number[];
  /** every server update, in order (the sync baseline lists each worker's contribution, staleness 0) */
  updates: UpdateRecord[];
  /** workers that never ran because DyLU gave them 0 steps (only with minSteps = 0) */
  parked: number[];
  /** final server model */
  theta: Vec;
}

/**
 * The optax-style shape of both drivers (asyncLocalSGD in simulator.ts, diloco in diloco.ts): init validates and
 * builds a frozen state, step is pure (never writes to its argument or to anything the caller passed to init) and
 * throws on a done state, and run is the fold of step from init (the RunFn that subject.ts offers as the
 * asyncLocalSGD / diloco capability). One step is one round: one server update (async) or one outer step (DiLoCo).
 */
export interface AsyncAlgorithm<S extends { readonly round: number; readonly done: boolean }> {
  readonly name: string;
  init(problem: AsyncProblem, hyper: AsyncHyper): S;
  step(state: S): S;
  readonly run: RunFn<AsyncHyper, AsyncProblem, AsyncTrace>;
}
