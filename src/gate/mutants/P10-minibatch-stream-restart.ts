/**
 * Planted beyond the table (docs/planted-bugs.md: "plant more where a theorem's property looks weak"; Z-S1-tracking): the
 * minibatch stream restarts every round. A node's t-th local step should draw its rows from the counter
 * (minibatch, k, t) with t = r L_k + l, the node-local iteration; the bug passes t0 = 0 every round, so round r reuses
 * the minibatches of round 0 (the reported pattern: a data-loader iterator re-created at every communication round,
 * whose first batches repeat with a fixed seed). Faulty composite of the Local-SGD parts with one part swapped (the
 * client update's counter offset; _federatedComposite.ts). Full-batch Local-GD draws nothing and is unaffected.
 */
import type { Mat, Vec } from '../../numeric/types.ts';
import { clientSteps } from '../../optimizers/parts/clientUpdate.ts';
import type { ClientBuffers, ClientSpec } from '../../optimizers/parts/clientUpdate.ts';
import { faultyFederated } from './_federatedComposite.ts';
import { override } from './types.ts';
import type { Mutant } from './types.ts';

/** clientSteps with the node-local iteration counter restarted at 0 every round (the bug). */
function restartingClientSteps(spec: ClientSpec, X: Mat, y: Vec, w: Vec, L: number, stream: number, _t0: number, out: Vec, buf: ClientBuffers): Vec {
  return clientSteps(spec, X, y, w, L, stream, 0, out, buf);
}

export const mutant: Mutant = {
  id: 'P10-minibatch-stream-restart',
  bug: 'the minibatch stream restarts every round (round r reuses the minibatches of round 0)',
  source: 'planted for Z-S1-tracking (data-loader iterator re-created each round with a fixed seed)',
  affects: ['localSGD'],
  apply: (subject) => override(subject, { localSGD: faultyFederated('localSGD', { steps: restartingClientSteps }) }),
};
