/**
 * Shared shapes of the optimizer layer: the Trace every run returns, the plug-in signature RunFn, and the optax-style
 * Optimizer (pure init/step over an immutable state). A reference algorithm and a user-supplied optimizer have the
 * same RunFn shape, so the gate can swap one for the other.
 */
import type { Vec } from '../numeric/types.ts';
import type { FederatedDataset } from '../problems/types.ts';

/**
 * The record of one run. All arrays have one entry per recorded round, in increasing round order.
 * Round 0 is the initial model; round r is the global model after r rounds (communication rounds for the
 * federated algorithms, averaging rounds for LUPA-SGD, single steps for the centralized baselines).
 */
export interface Trace {
  algorithm: string;
  /** round index of each record, 0 = initial */
  rounds: number[];
  /** global model at that round (fresh arrays owned by the trace) */
  models: Vec[];
  /** global objective F = sum_k alpha_k f_k at that model (mean-per-node convention, src/problems/types.ts) */
  loss: number[];
  /** cumulative number of model uploads (node -> server) */
  communications: number[];
  /**
   * cumulative sequential local steps: the sum over completed rounds of the largest number of local steps that a
   * node took in that round (= L r for uniform L; = t, the iteration counter, for LUPA-SGD; = steps for the
   * centralized baselines)
   */
  localSteps?: number[];
  /** virtual time (async only) */
  time?: number[];
  /** algorithm-specific data: per-round arrays (one entry per completed round, index r - 1) and a final summary */
  extra?: Record<string, unknown>;
}

/**
 * The plug-in shape: a whole run from a problem and hyperparameters to a trace. P and T default to the federated
 * problems and the shared Trace; the asynchronous capabilities (asyncLocalSGD, diloco) are
 * RunFn<AsyncHyper, AsyncProblem, AsyncTrace> (src/optimizers/async/types.ts).
 */
export type RunFn<H, P = FederatedDataset, T extends Trace = Trace> = (problem: P, hyper: H) => T;

/**
 * Which rounds a trace records:
 *   'all'          every round 0, 1, ..., R (the default);
 *   'last'         only the final round;
 *   number[]       exactly these rounds (strictly increasing integers >= 0; a round after the end is an error);
 *   { every: k }   rounds 0, k, 2k, ... and the final round.
 */
export type RecordSpec = 'all' | 'last' | readonly number[] | { readonly every: number };

/** Hyperparameters every optimizer accepts. */
export interface CommonHyper {
  /** initial model w0 (default: zeros of length d) */
  readonly w0?: Vec;
  /** 32-bit integer seed of the counter-based RNG (default 0); deterministic algorithms ignore it */
  readonly seed?: number;
  /** which rounds to record (default 'all') */
  readonly record?: RecordSpec;
}

/**
 * The part of every optimizer state that the fold driver reads. States are immutable: step returns a new state
 * and never writes to the old one or to anything the caller passed in (tests check this).
 */
export interface FoldState {
  /** completed rounds */
  readonly round: number;
  /** global model after `round` rounds; never mutated */
  readonly w: Vec;
  /** cumulative uploads node -> server */
  readonly communications: number;
  /** cumulative sequential local steps (see Trace.localSteps) */
  readonly localSteps: number;
  /** true when the run is complete (R rounds, or T local steps); step on a done state throws */
  readonly done: boolean;
}

export interface Optimizer<H, S extends FoldState> {
  readonly name: string;
  init(problem: FederatedDataset, hyper: H): S;
  /** one round; pure */
  step(state: S): S;
  /** the global objective F at the state's model (the value written to Trace.loss) */
  objective(state: S): number;
  /** per-round data for Trace.extra, read after every step (e.g. the participants or tau of that round) */
  roundInfo?(state: S): Record<string, unknown>;
  /** final data for Trace.extra, read once at the end */
  summary?(state: S): Record<string, unknown>;
  run: RunFn<H>;
}
