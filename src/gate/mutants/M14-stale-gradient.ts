/**
 * Planted bug M14-stale-gradient (docs/planted-bugs.md#m14-stale-gradient; reported class 14): the local step evaluates the gradient at the stale global model instead of the current
 * local model, w_{k,l+1} = w_{k,l} - eta grad f_k(w^r) (minibatch: the same rows as the reference draws at that step).
 * Faulty composite of the Local-GD parts with one part swapped (the client update: clientSteps with the gradient point
 * changed; everything else, including the RNG keys and the step-size schedule, as in parts/clientUpdate.ts).
 * On regression one round becomes w -> w - eta sum_k alpha_k L_k grad f_k(w): the interpolating limit survives (the
 * fixed points still interpolate) but the contraction T changes, and without interpolation the fixed point moves.
 */
import type { Mat, Vec } from '../../numeric/types.ts';
import { stepAt } from '../../optimizers/parts/check.ts';
import type { ClientBuffers, ClientSpec } from '../../optimizers/parts/clientUpdate.ts';
import { indicesBelow, normals, PURPOSE } from '../../optimizers/rng.ts';
import { nodeGrad, nodeGradRows } from '../../problems/losses.ts';
import { faultyFederated } from './_federatedComposite.ts';
import { override } from './types.ts';
import type { Mutant } from './types.ts';

/** clientSteps with the gradient taken at the round's starting model w (the bug) instead of the local iterate; also planted into LUPA-SGD (M14-lupa-stale-gradient). */
export function staleClientSteps(spec: ClientSpec, X: Mat, y: Vec, w: Vec, L: number, stream: number, t0: number, out: Vec, buf: ClientBuffers): Vec {
  const { loss, eta, batch, noise, key } = spec;
  const { grad, idx, xi } = buf;
  const d = w.length;
  out.set(w);
  for (let l = 0; l < L; l++) {
    const t = t0 + l;
    if (batch === null) {
      nodeGrad(loss, X, y, w, grad);
    } else {
      indicesBelow(key, PURPOSE.minibatch, stream, t, X.rows, idx, batch);
      nodeGradRows(loss, X, y, w, idx, batch, grad);
    }
    if (noise !== 0) {
      normals(key, PURPOSE.gradNoise, stream, t, xi, d);
      for (let j = 0; j < d; j++) grad[j] += noise * xi[j];
    }
    const e = stepAt(eta, t);
    for (let j = 0; j < d; j++) out[j] -= e * grad[j];
  }
  return out;
}

export const mutant: Mutant = {
  id: 'M14-stale-gradient',
  bug: 'gradient computed on the stale global model instead of the current local model',
  source: 'reported bug class 14 (docs/planted-bugs.md#reported-bug-classes)',
  affects: ['localGD', 'localSGD'],
  apply: (subject) => override(subject, {
    localGD: faultyFederated('localGD', { steps: staleClientSteps }),
    localSGD: faultyFederated('localSGD', { steps: staleClientSteps }),
  }),
};
