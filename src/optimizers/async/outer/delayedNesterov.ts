/**
 * Delayed Nesterov (DN), Algorithm 3 of Liu et al. 2024 as reconstructed in docs/theory.md#34-delayed-nesterov:
 *   on each pseudo-gradient g_t:
 *     Delta <- Delta + g_t
 *     if (t + 1) mod N == 0:   m <- beta m + Delta / N
 *                              theta <- theta - eps ((1 - c (N - 1)) beta m + g_t / N);  Delta <- 0
 *     else:                    theta <- theta - eps (c beta m + g_t / N)      (m is not updated)
 *     t <- t + 1
 *   eps  = outer learning rate (> 0)
 *   beta = momentum decay in [0, 1)
 *   N    = buffer size / delay period (integer >= 1)
 *   c    = momentum activation, the paper's range [0, 1/N]; outside it only with allowOutOfRangeC
 * Deliberate difference: the milestone coefficient is written 1 - c (N - 1) instead of the
 * paper's 1 - cN + c (equal in exact arithmetic) so that N = 1 gives exactly 1 in floating
 * point and DN with N = 1 is bit-for-bit per-push Nesterov. Over one cycle (docs/theory.md#34-delayed-nesterov):
 *   theta_end = theta_start - eps (mean(g) + beta [ (N-1) c m_old + (1 - (N-1) c) m_new ]).
 */
import type { Vec } from '../../../numeric/types.ts';
import { checkPush, checkRate, checkTheta0, type OuterOptimizer, type OuterState } from './types.ts';

export interface DelayedNesterovState extends OuterState {
  readonly m: Vec;
  /** running sum of the pseudo-gradients of the current cycle */
  readonly delta: Vec;
}

export interface DelayedNesterovHyper {
  eps: number;
  beta: number;
  N: number;
  c: number;
  allowOutOfRangeC?: boolean;
}

export function delayedNesterov(hyper: DelayedNesterovHyper): OuterOptimizer<DelayedNesterovState> {
  const { eps, beta, N, c } = hyper;
  if (!(Number.isFinite(eps) && eps > 0)) throw new Error(`delayedNesterov: eps must be positive and finite, got ${eps}`);
  checkRate('delayedNesterov', 'beta', beta, 0, 1, true);
  if (!Number.isInteger(N) || N < 1) throw new Error(`delayedNesterov: N must be an integer >= 1, got ${N}`);
  if (!Number.isFinite(c)) throw new Error(`delayedNesterov: c must be finite, got ${c}`);
  if (!hyper.allowOutOfRangeC && (c < 0 || c > 1 / N)) {
    throw new Error(
      `delayedNesterov: c = ${c} lies outside the paper's range [0, 1/N] = [0, ${1 / N}] for N = ${N} (pass allowOutOfRangeC to study it)`,
    );
  }
  const milestone = 1 - c * (N - 1);
  return {
    name: `delayedNesterov(eps=${eps}, beta=${beta}, N=${N}, c=${c})`,
    init(theta0: Vec): DelayedNesterovState {
      checkTheta0('delayedNesterov.init', theta0);
      const n = theta0.length;
      return { theta: Float64Array.from(theta0), t: 0, m: new Float64Array(n), delta: new Float64Array(n) };
    },
    step(state: DelayedNesterovState, g: Vec): DelayedNesterovState {
      checkPush('delayedNesterov.step', state.theta, g);
      const n = g.length;
      const theta = new Float64Array(n);
      const m = new Float64Array(n);
      const delta = new Float64Array(n);
      if ((state.t + 1) % N === 0) {
        for (let i = 0; i < n; i++) {
          const mi = beta * state.m[i] + (state.delta[i] + g[i]) / N;
          m[i] = mi;
          theta[i] = state.theta[i] - eps * (milestone * beta * mi + g[i] / N);
        }
      } else {
        for (let i = 0; i < n; i++) {
          m[i] = state.m[i];
          delta[i] = state.delta[i] + g[i];
          theta[i] = state.theta[i] - eps * (c * beta * state.m[i] + g[i] / N);
        }
      }
      return { theta, t: state.t + 1, m, delta };
    },
  };
}
