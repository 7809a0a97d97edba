/**
 * Outer SGD with optional heavy-ball momentum, PyTorch `SGD(momentum=beta, nesterov=False,
 * dampening=0)`:  buf <- beta buf + g;  theta <- theta - eps buf.  With beta = 0 this is
 * theta <- theta - eps g, and with eps = 1 and synchronous averaging it is FedAvg /
 * parameter averaging (docs/theory.md#31-diloco, property A-8).
 *   eps  = outer learning rate (> 0)
 *   beta = momentum in [0, 1) (default 0)
 */
import type { Vec } from '../../../numeric/types.ts';
import { checkPush, checkRate, checkTheta0, type OuterOptimizer, type OuterState } from './types.ts';

export interface OuterSgdState extends OuterState {
  /** momentum buffer (all zeros when beta = 0) */
  readonly buf: Vec;
}

export function outerSgd(hyper: { eps: number; beta?: number }): OuterOptimizer<OuterSgdState> {
  const eps = hyper.eps;
  const beta = hyper.beta ?? 0;
  if (!(Number.isFinite(eps) && eps > 0)) throw new Error(`outerSgd: eps must be positive and finite, got ${eps}`);
  checkRate('outerSgd', 'beta', beta, 0, 1, true);
  return {
    name: beta === 0 ? `sgd(eps=${eps})` : `sgdm(eps=${eps}, beta=${beta})`,
    init(theta0: Vec): OuterSgdState {
      checkTheta0('outerSgd.init', theta0);
      return { theta: Float64Array.from(theta0), t: 0, buf: new Float64Array(theta0.length) };
    },
    step(state: OuterSgdState, g: Vec): OuterSgdState {
      checkPush('outerSgd.step', state.theta, g);
      const n = g.length;
      const theta = new Float64Array(n);
      const buf = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const b = beta === 0 ? g[i] : beta * state.buf[i] + g[i];
        buf[i] = beta === 0 ? 0 : b;
        theta[i] = state.theta[i] - eps * b;
      }
      return { theta, t: state.t + 1, buf };
    },
  };
}
