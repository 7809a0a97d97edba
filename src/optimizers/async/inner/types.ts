/**
 * Inner (worker) optimisers. Each worker keeps its own state across jobs (docs/theory.md#32-asynchronous-framework: the
 * AdamW state is never communicated or reset, even when the worker switches shards).
 * `step` is the pure form (fresh state and theta); `stepInPlace` is the allocation-free form the
 * simulator uses on buffers it owns (a per-job copy of theta and of the worker's state).
 */
import type { Vec } from '../../../numeric/types.ts';

export interface InnerState {
  /** number of steps taken by this worker so far */
  readonly t: number;
}

export interface InnerOptimizer<S extends InnerState = InnerState> {
  readonly name: string;
  init(dim: number): S;
  /** deep copy, so the caller can update it in place */
  clone(state: S): S;
  /** pure: returns the new state and parameters; inputs untouched */
  step(state: S, theta: Vec, grad: Vec, lr: number): { state: S; theta: Vec };
  /** in place on theta and state (caller-owned copies); increments state.t */
  stepInPlace(state: S, theta: Vec, grad: Vec, lr: number): void;
}
