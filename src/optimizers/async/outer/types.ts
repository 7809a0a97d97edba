/**
 * Outer (server) optimisers in optax style: `init(theta0) -> state`, `step(state, g) -> state`,
 * pure: `step` returns a fresh state and never writes to its inputs. `g` is the pseudo-gradient
 * theta_start - theta_end (old minus new, docs/theory.md#31-diloco), so a step with eps > 0 moves theta
 * towards the worker's model.
 */
import type { Vec } from '../../../numeric/types.ts';

export interface OuterState {
  readonly theta: Vec;
  /** number of pseudo-gradients applied so far */
  readonly t: number;
}

export interface OuterOptimizer<S extends OuterState = OuterState> {
  readonly name: string;
  init(theta0: Vec): S;
  step(state: S, g: Vec): S;
}

/** One-line validation shared by the outer optimisers. */
export function checkPush(fn: string, theta: Vec, g: Vec): void {
  if (g.length !== theta.length) {
    throw new Error(`${fn}: pseudo-gradient has ${g.length} entries but theta has ${theta.length}`);
  }
  for (let i = 0; i < g.length; i++) {
    if (!Number.isFinite(g[i])) throw new Error(`${fn}: pseudo-gradient entry ${i} is ${g[i]} (must be finite)`);
  }
}

export function checkTheta0(fn: string, theta0: Vec): void {
  for (let i = 0; i < theta0.length; i++) {
    if (!Number.isFinite(theta0[i])) throw new Error(`${fn}: theta0 entry ${i} is ${theta0[i]} (must be finite)`);
  }
}

export function checkRate(fn: string, name: string, value: number, lo: number, hi: number, hiOpen = false): void {
  const ok = Number.isFinite(value) && value >= lo && (hiOpen ? value < hi : value <= hi);
  if (!ok) throw new Error(`${fn}: ${name} must lie in [${lo}, ${hi}${hiOpen ? ')' : ']'}, got ${value}`);
}
