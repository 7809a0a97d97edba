/**
 * Planted bug M10-no-restart (docs/planted-bugs.md#m10-no-restart; reported class 10): local models are not restarted from the new global model each round; a node keeps
 * its own previous local model (round 0 starts from w0). Faulty composite of the Local-GD parts with one part swapped
 * (the model a node starts from; _federatedComposite.ts). Each node then runs plain GD on its own loss forever and the
 * global model is only a weighted average of independent runs: on interpolating regression it tends to
 * sum_k alpha_k P_{S_k}(w0) (S_k = {w : X_k w = y_k}), which depends on the weights and is not an interpolator.
 */
import { faultyFederated } from './_federatedComposite.ts';
import { override } from './types.ts';
import type { Mutant } from './types.ts';

const hooks = { start: (k: number, w: Float64Array, memory: readonly (Float64Array | undefined)[]) => memory[k] ?? w };

export const mutant: Mutant = {
  id: 'M10-no-restart',
  bug: 'local models not restarted from the new global model each round (a node keeps its previous local model)',
  source: 'reported bug class 10 (docs/planted-bugs.md#reported-bug-classes)',
  affects: ['localGD', 'localSGD'],
  apply: (subject) => override(subject, {
    localGD: faultyFederated('localGD', hooks),
    localSGD: faultyFederated('localSGD', hooks),
  }),
};
