/**
 * Planted rare bug for the hunt's targeted-versus-random comparison (bench/hunt.bench.ts), not part of the CI
 * mutation report: it is rare by design, so a short `check` is not expected to kill it.
 *
 * Smoothed client weights: the server aggregates with beta_k = (alpha_k + SMOOTH) / (1 + |S| SMOOTH), the kind of
 * "+ epsilon" frameworks add so that no client weight is zero. The weights move by SMOOTH |1 - |S| alpha_k| /
 * (1 + |S| SMOOTH): nothing on balanced nodes, the most when one node holds nearly all the weight, and the drift's
 * fixed point moves in proportion (times how different the nodes' data are). It exceeds the regression drift
 * properties' tolerance only with one dominant node on heterogeneous data: well under 1% of random draws.
 * The reference round (src/gate/mutants/_federatedComposite.ts) with ONE part swapped, the weights.
 */
import type { FederatedContext } from '../../optimizers/parts/federated.ts';
import { participantWeights } from '../../optimizers/parts/aggregate.ts';
import { faultyFederated } from '../../gate/mutants/_federatedComposite.ts';
import { override, type Mutant } from '../../gate/mutants/types.ts';

/** The additive smoothing of the normalised weights. */
export const SMOOTH = 2 ** -45;

const weights = (ctx: FederatedContext, participants: readonly number[]): ArrayLike<number> => {
  const beta = participantWeights(ctx.alpha, participants, participants === ctx.eligible);
  const scale = 1 + beta.length * SMOOTH;
  return beta.map((b) => (b + SMOOTH) / scale);
};

export const mutant: Mutant = {
  id: 'P90-dominant-node-smoothing',
  bug: 'aggregation weights smoothed by +2^-45 each (renormalised): wrong only by a hair, most with one dominant node',
  source: 'planted for the hunt comparison: a weighting error that only shows when one node holds nearly all the weight',
  affects: ['localGD'],
  apply: (subject) => override(subject, { localGD: faultyFederated('localGD', { weights }) }),
};
