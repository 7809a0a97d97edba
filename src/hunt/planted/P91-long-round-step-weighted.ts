/**
 * Planted rare bug for the hunt's targeted-versus-random comparison (bench/hunt.bench.ts), not part of the CI
 * mutation report: it is rare by design, so a short `check` is not expected to kill it.
 *
 * Step-weighted aggregation by a hair: the server weights node k by alpha_k (1 + PER_STEP L_k), renormalised, as if
 * a FedNova-style step normaliser were half applied. With equal L_k nothing changes; the error grows with how
 * unequal and how long the nodes' local runs are, and exceeds the regression drift properties' tolerance only on
 * long, very unequal rounds: well under 1% of random draws. The reference round
 * (src/gate/mutants/_federatedComposite.ts) with ONE part swapped, the weights.
 */
import type { FederatedContext } from '../../optimizers/parts/federated.ts';
import { participantWeights } from '../../optimizers/parts/aggregate.ts';
import { faultyFederated } from '../../gate/mutants/_federatedComposite.ts';
import { override, type Mutant } from '../../gate/mutants/types.ts';

/** Extra weight per local step. */
export const PER_STEP = 2 ** -44;

const weights = (ctx: FederatedContext, participants: readonly number[]): ArrayLike<number> => {
  const beta = participantWeights(ctx.alpha, participants, participants === ctx.eligible);
  const raw = beta.map((b, i) => b * (1 + PER_STEP * ctx.L[participants[i]]));
  let total = 0;
  for (const r of raw) total += r;
  return raw.map((r) => r / total);
};

export const mutant: Mutant = {
  id: 'P91-long-round-step-weighted',
  bug: 'aggregation weights scaled by (1 + 2^-44 L_k): wrong only by a hair, most on long unequal rounds',
  source: 'planted for the hunt comparison: an aggregation error that only shows on long rounds with unequal local steps',
  affects: ['localGD'],
  apply: (subject) => override(subject, { localGD: faultyFederated('localGD', { weights }) }),
};
