/**
 * Inner SGD, PyTorch `SGD(lr, weight_decay=lambda)` without momentum:
 *   d <- grad + lambda theta;   theta <- theta - lr d
 *   lr     = eta_t (constant or from the eq. 3 schedule)
 *   lambda = weightDecay >= 0 (coupled L2, default 0)
 */
import type { Vec } from '../../../numeric/types.ts';
import type { InnerOptimizer, InnerState } from './types.ts';

export interface InnerSgdState extends InnerState {
  t: number;
}

export function innerSgd(hyper: { weightDecay?: number } = {}): InnerOptimizer<InnerSgdState> {
  const wd = hyper.weightDecay ?? 0;
  if (!(Number.isFinite(wd) && wd >= 0)) throw new Error(`innerSgd: weightDecay must be finite and >= 0, got ${wd}`);
  const stepInPlace = (state: InnerSgdState, theta: Vec, grad: Vec, lr: number): void => {
    const n = theta.length;
    if (wd === 0) {
      for (let i = 0; i < n; i++) theta[i] -= lr * grad[i];
    } else {
      for (let i = 0; i < n; i++) theta[i] -= lr * (grad[i] + wd * theta[i]);
    }
    state.t += 1;
  };
  return {
    name: wd === 0 ? 'sgd' : `sgd(weightDecay=${wd})`,
    init: () => ({ t: 0 }),
    clone: (s) => ({ t: s.t }),
    stepInPlace,
    step(state, theta, grad, lr) {
      if (grad.length !== theta.length) throw new Error(`innerSgd.step: grad has ${grad.length} entries but theta has ${theta.length}`);
      const s = { t: state.t };
      const th = Float64Array.from(theta);
      stepInPlace(s, th, grad, lr);
      return { state: s, theta: th };
    },
  };
}
