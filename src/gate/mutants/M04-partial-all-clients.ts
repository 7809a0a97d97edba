/**
 * Planted bug M04-partial-all-clients (docs/planted-bugs.md#m04-partial-all-clients; reported class 4): with partial participation the aggregate is normalised by all clients instead of the
 * sampled ones: w^{r+1} = sum_{k in S_r} (n_k / N) w_k (N = samples of ALL clients) instead of
 * sum_{k in S_r} (n_k / N_{S_r}) w_k. The weights of a partial round then sum to N_{S_r} / N < 1 and the model is
 * pulled toward 0 every round; full participation is unchanged.
 *
 * The reference round (_federatedComposite.ts) with ONE part swapped, the weights: participantWeights is called with
 * full = true (beta_k = alpha_k as they are) on a partial round.
 */
import { participantWeights } from '../../optimizers/parts/aggregate.ts';
import type { FederatedContext } from '../../optimizers/parts/federated.ts';
import { faultyFederated } from './_federatedComposite.ts';
import { override } from './types.ts';
import type { Mutant } from './types.ts';

/** The bug: the participants' weights are alpha_k as they are, not renormalised over the sampled clients. */
const weights = (ctx: FederatedContext, participants: readonly number[]) => participantWeights(ctx.alpha, participants, true);

export const mutant: Mutant = {
  id: 'M04-partial-all-clients',
  bug: 'partial participation normalised by the total over all clients instead of the sampled ones',
  source: 'reported bug class 4 (docs/planted-bugs.md#reported-bug-classes)',
  affects: ['localGD', 'localSGD'],
  apply: (subject) => override(subject, { localGD: faultyFederated('localGD', { weights }), localSGD: faultyFederated('localSGD', { weights }) }),
};
