/**
 * Outer Nesterov momentum in the exact PyTorch form `SGD(momentum=beta, nesterov=True,
 * dampening=0)`, which is the paper's eq. 4 (docs/theory.md#33-outer-nesterov-and-sequential-updates, property A-1):
 *   buf   <- beta buf + g
 *   theta <- theta - eps (g + beta buf)
 * Expanding buf gives eq. 4: theta <- theta - eps (beta^2 m_old + (1 + beta) g). The float
 * operations follow PyTorch's order: buf.mul_(beta).add_(g); d = g.add(buf, alpha=beta);
 * theta.add_(d, alpha=-eps).
 *   eps  = outer learning rate (> 0)
 *   beta = momentum decay in [0, 1)
 */
import type { Vec } from '../../../numeric/types.ts';
import { checkPush, checkRate, checkTheta0, type OuterOptimizer, type OuterState } from './types.ts';

export interface NesterovState extends OuterState {
  readonly buf: Vec;
}

export function outerNesterov(hyper: { eps: number; beta: number }): OuterOptimizer<NesterovState> {
  const { eps, beta } = hyper;
  if (!(Number.isFinite(eps) && eps > 0)) throw new Error(`outerNesterov: eps must be positive and finite, got ${eps}`);
  checkRate('outerNesterov', 'beta', beta, 0, 1, true);
  return {
    name: `nesterov(eps=${eps}, beta=${beta})`,
    init(theta0: Vec): NesterovState {
      checkTheta0('outerNesterov.init', theta0);
      return { theta: Float64Array.from(theta0), t: 0, buf: new Float64Array(theta0.length) };
    },
    step(state: NesterovState, g: Vec): NesterovState {
      checkPush('outerNesterov.step', state.theta, g);
      const n = g.length;
      const theta = new Float64Array(n);
      const buf = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const b = state.buf[i] * beta + g[i];
        buf[i] = b;
        theta[i] = state.theta[i] + -eps * (g[i] + beta * b);
      }
      return { theta, t: state.t + 1, buf };
    },
  };
}
