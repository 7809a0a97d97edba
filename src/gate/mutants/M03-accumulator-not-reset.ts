/**
 * Planted bug M03-accumulator-not-reset (docs/planted-bugs.md#m03-accumulator-not-reset; reported class 3): the aggregation accumulator is not reset between rounds, so the weighted sum starts
 * from the previous global model: w^{r+1} = w^r + sum_k beta_k w_k instead of sum_k beta_k w_k. Faulty composite of
 * the Local-GD parts with one part swapped (the accumulator's starting value; _federatedComposite.ts).
 * On regression the round map becomes w -> (I + T) w + c: every direction grows (eigenvalues 1 + lambda(T) >= 1),
 * and a null-space component of w0 doubles every round.
 */
import { faultyFederated } from './_federatedComposite.ts';
import { override } from './types.ts';
import type { Mutant } from './types.ts';

export const mutant: Mutant = {
  id: 'M03-accumulator-not-reset',
  bug: 'aggregation accumulator not reset between rounds (weighted sum started from the previous global model)',
  source: 'reported bug class 3 (docs/planted-bugs.md#reported-bug-classes)',
  affects: ['localGD', 'localSGD'],
  apply: (subject) => override(subject, {
    localGD: faultyFederated('localGD', { accInit: 'previous-model' }),
    localSGD: faultyFederated('localSGD', { accInit: 'previous-model' }),
  }),
};
