/**
 * Inner AdamW with torch.optim.AdamW semantics (decoupled weight decay, bias correction,
 * amsgrad = False, single-tensor path), in PyTorch's order of floating-point operations:
 *   t <- t + 1
 *   theta <- theta (1 - lr lambda)                      decoupled weight decay, applied first
 *   m <- lerp(m, g, 1 - beta1)                          = beta1 m + (1 - beta1) g
 *   v <- beta2 v + (1 - beta2) g^2
 *   theta <- theta - (lr / (1 - beta1^t)) m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 *   lr = eta_t; beta1, beta2 (defaults 0.9, 0.999); eps (1e-8); lambda = weightDecay (0.01)
 * `lerp` follows torch.lerp: start + w (end - start) for w < 0.5, end - (end - start)(1 - w) otherwise.
 */
import type { Vec } from '../../../numeric/types.ts';
import type { InnerOptimizer, InnerState } from './types.ts';

export interface AdamWState extends InnerState {
  t: number;
  readonly m: Vec;
  readonly v: Vec;
}

export interface AdamWHyper {
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

export function innerAdamW(hyper: AdamWHyper = {}): InnerOptimizer<AdamWState> {
  const beta1 = hyper.beta1 ?? 0.9;
  const beta2 = hyper.beta2 ?? 0.999;
  const eps = hyper.eps ?? 1e-8;
  const wd = hyper.weightDecay ?? 0.01;
  for (const [name, value] of [['beta1', beta1], ['beta2', beta2]] as const) {
    if (!(Number.isFinite(value) && value >= 0 && value < 1)) throw new Error(`innerAdamW: ${name} must lie in [0, 1), got ${value}`);
  }
  if (!(Number.isFinite(eps) && eps > 0)) throw new Error(`innerAdamW: eps must be positive and finite, got ${eps}`);
  if (!(Number.isFinite(wd) && wd >= 0)) throw new Error(`innerAdamW: weightDecay must be finite and >= 0, got ${wd}`);
  const w1 = 1 - beta1;
  const stepInPlace = (state: AdamWState, theta: Vec, grad: Vec, lr: number): void => {
    const t = state.t + 1;
    state.t = t;
    const { m, v } = state;
    const decay = 1 - lr * wd;
    const stepSize = lr / (1 - beta1 ** t);
    const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
    const n = theta.length;
    for (let i = 0; i < n; i++) {
      const g = grad[i];
      theta[i] *= decay;
      const mi = w1 < 0.5 ? m[i] + w1 * (g - m[i]) : g - (g - m[i]) * (1 - w1);
      const vi = v[i] * beta2 + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      theta[i] += -stepSize * (mi / (Math.sqrt(vi) / bc2Sqrt + eps));
    }
  };
  return {
    name: `adamw(beta1=${beta1}, beta2=${beta2}, eps=${eps}, weightDecay=${wd})`,
    init: (dim) => ({ t: 0, m: new Float64Array(dim), v: new Float64Array(dim) }),
    clone: (s) => ({ t: s.t, m: Float64Array.from(s.m), v: Float64Array.from(s.v) }),
    stepInPlace,
    step(state, theta, grad, lr) {
      if (grad.length !== theta.length || state.m.length !== theta.length) {
        throw new Error(`innerAdamW.step: grad has ${grad.length}, state ${state.m.length} and theta ${theta.length} entries (must be equal)`);
      }
      const s = { t: state.t, m: Float64Array.from(state.m), v: Float64Array.from(state.v) };
      const th = Float64Array.from(theta);
      stepInPlace(s, th, grad, lr);
      return { state: s, theta: th };
    },
  };
}
