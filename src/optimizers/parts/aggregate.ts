/**
 * Aggregation: which nodes take part in a round and with which weights (theory.md §0.1, w^{k+1} = sum alpha_m w_m).
 *
 * Full participation: every node with alpha_k > 0, weights alpha_k as they are.
 * Partial participation (m nodes per round): a uniformly random m-subset S_r of the positive-weight nodes, drawn
 * from the counter (participation, 0, r), so round r's subset can be recomputed on its own; weights renormalised
 * over the participants, beta_k = alpha_k / sum_{j in S_r} alpha_j (not divided by all K nodes: planted bug #4).
 */
import type { Vec } from '../../numeric/types.ts';
import { PURPOSE, subsetOf } from '../rng.ts';
import type { RngKey } from '../rng.ts';

/**
 * The participants of round r (ascending node indices). m undefined or m >= eligible.length: the `eligible` array
 * itself (callers may test identity to take the full-participation path).
 */
export function roundParticipants(key: RngKey, round: number, eligible: readonly number[], m: number | undefined): readonly number[] {
  if (m === undefined || m >= eligible.length) return eligible;
  return subsetOf(key, PURPOSE.participation, 0, round, eligible.length, m).map((i) => eligible[i]);
}

/** beta_k for k in participants (same order). With full participation these are the alpha_k themselves. */
export function participantWeights(alpha: Vec, participants: readonly number[], full: boolean): Float64Array {
  const beta = new Float64Array(participants.length);
  if (full) {
    for (let i = 0; i < participants.length; i++) beta[i] = alpha[participants[i]];
    return beta;
  }
  let total = 0;
  for (const k of participants) total += alpha[k];
  for (let i = 0; i < participants.length; i++) beta[i] = alpha[participants[i]] / total;
  return beta;
}
