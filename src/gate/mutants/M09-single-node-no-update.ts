/**
 * Planted bug M09-single-node-no-update (docs/planted-bugs.md#m09-single-node-no-update; reported class 9): the single-worker path skips the local update, so with one participating node the
 * global model never moves. Faulty composite of the Local-GD parts with one part swapped (a one-participant shortcut
 * that returns w^r; _federatedComposite.ts). Visible only on K = 1 (or one participant per round).
 */
import { faultyFederated } from './_federatedComposite.ts';
import { override } from './types.ts';
import type { Mutant } from './types.ts';

export const mutant: Mutant = {
  id: 'M09-single-node-no-update',
  bug: 'single-worker path skipped the local update (with one node the model never moves)',
  source: 'reported bug class 9 (docs/planted-bugs.md#reported-bug-classes)',
  affects: ['localGD', 'localSGD'],
  apply: (subject) => override(subject, {
    localGD: faultyFederated('localGD', { skipSolo: true }),
    localSGD: faultyFederated('localSGD', { skipSolo: true }),
  }),
};
