/**
 * Aggregation: which nodes take part in a round and with which weights (docs/theory.md#01-local-gd-round, w^{k+1} = sum alpha_m w_m).
 *
 * Full participation: every node with alpha_k > 0, weights alpha_k as they are.
 * Partial participation (m nodes per round): a uniformly random m-subset S_r of the positive-weight nodes, drawn
 * from the counter (participation, 0, r), so round r's subset can be recomputed on its own; weights renormalised
 * over the participants, beta_k = alpha_k / sum_{j in S_r} alpha_j (not divided by all K nodes: planted bug docs/planted-bugs.md#m04-partial-all-clients).
 * The same renormalisation applies to every weight rule ('samples', 'uniform', 'given', numbers).
 *
 * Node permutations. With full participation and deterministic clients (Local-GD, Modified Local-GD, LUPA-SGD
 * 'shards' with full batches and no noise), relabelling the nodes (data, L_k and explicit weights together) changes a
 * round only by the rounding of the K-term weighted sum (tests: localGD.test.ts, modifiedLocalGD.test.ts,
 * lupaSGD.test.ts). Random draws are keyed by node or worker INDEX, not by the data: Local-SGD's minibatches
 * (minibatch, k, t), LUPA-SGD's minibatches and noise (j, t), and the participant subset S_r (an index subset of the
 * eligible nodes). So under a relabelling, Local-SGD, partial participation and stochastic LUPA-SGD are invariant
 * only IN DISTRIBUTION (the relabelled run is an equally likely run of the original), not pointwise for a fixed seed;
 * no test asserts them pointwise.
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
