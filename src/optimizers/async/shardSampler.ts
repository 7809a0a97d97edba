/**
 * Shard sampling, eq. 2 of Liu et al. 2024 (docs/theory.md#32-asynchronous-framework). When a worker starts a job it
 * draws shard i with probability
 *   p_i ∝ max(|D_i| / sum_j |D_j| - n_i / sum_j n_j, 0)
 * where n_i counts the data points already assigned to shard i (steps x batch size, counted
 * when a job starts, so concurrent starts see each other). Only under-sampled shards can be
 * drawn. The weights are computed exactly in integers, w_i = max(|D_i| S_n - n_i S_D, 0)
 * = p_i S_D S_n, so "over-sampled" is decided without rounding (exact below 2^53).
 *
 * Degenerate cases (the paper leaves them undefined): if sum_j n_j = 0 (nothing learned yet)
 * or every w_i = 0 (all shards exactly balanced), the sampler falls back to the least-visited
 * shard (fewest jobs started on it), ties to the lowest index. The official notebook uses the
 * least-visited rule always, with random tie-breaks; here ties are deterministic.
 *
 * The draw uses the shared counter-based RNG keyed by (seed, job counter), so runs replay exactly.
 */
import { rngKey, uniformAt } from '../rng.ts';
import { ASYNC_PURPOSE, ASYNC_STREAM } from './_internals/streams.ts';

export interface ShardCounts {
  /** |D_i|: rows in shard i (positive integers) */
  readonly sizes: readonly number[];
  /** n_i: data points already assigned to shard i (integers >= 0) */
  readonly learned: readonly number[];
  /** jobs started on shard i (integers >= 0), for the fallback */
  readonly visits: readonly number[];
}

export function validateCounts(fn: string, c: ShardCounts): void {
  const S = c.sizes.length;
  if (S === 0) throw new Error(`${fn}: there are no shards`);
  if (c.learned.length !== S || c.visits.length !== S) {
    throw new Error(`${fn}: sizes, learned and visits have ${S}, ${c.learned.length} and ${c.visits.length} entries (must be equal)`);
  }
  for (let i = 0; i < S; i++) {
    if (!(Number.isSafeInteger(c.sizes[i]) && c.sizes[i] > 0)) throw new Error(`${fn}: shard ${i} size must be a positive integer, got ${c.sizes[i]}`);
    if (!(Number.isSafeInteger(c.learned[i]) && c.learned[i] >= 0)) throw new Error(`${fn}: shard ${i} learned count must be an integer >= 0, got ${c.learned[i]}`);
    if (!(Number.isSafeInteger(c.visits[i]) && c.visits[i] >= 0)) throw new Error(`${fn}: shard ${i} visit count must be an integer >= 0, got ${c.visits[i]}`);
  }
}

/** Unnormalised eq. 2 weights w_i = max(|D_i| S_n - n_i S_D, 0); all zero in the degenerate cases. */
export function shardWeights(c: ShardCounts): number[] {
  validateCounts('shardWeights', c);
  let sD = 0;
  let sN = 0;
  for (let i = 0; i < c.sizes.length; i++) {
    sD += c.sizes[i];
    sN += c.learned[i];
  }
  const out = c.sizes.map((d, i) => Math.max(d * sN - c.learned[i] * sD, 0));
  for (const w of out) {
    if (!Number.isSafeInteger(w)) throw new Error(`shardWeights: weight ${w} exceeds 2^53 (counts too large for exact sampling)`);
  }
  return out;
}

/** Least-visited shard, ties to the lowest index (the degenerate-case fallback). */
export function leastVisited(visits: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < visits.length; i++) if (visits[i] < visits[best]) best = i;
  return best;
}

/** Eq. 2 draw for job number `job` (>= 0) under `seed`. */
export function sampleShard(c: ShardCounts, seed: number, job: number): number {
  const key = rngKey(seed, ASYNC_STREAM);
  if (!(Number.isInteger(job) && job >= 0 && job <= 0xffffffff)) throw new Error(`sampleShard: job must be an integer in [0, 2^32), got ${job}`);
  const w = shardWeights(c);
  let total = 0;
  for (const x of w) total += x;
  if (total === 0) return leastVisited(c.visits);
  const target = uniformAt(key, ASYNC_PURPOSE.shard, 0, job, 0) * total;
  let acc = 0;
  let last = -1;
  for (let i = 0; i < w.length; i++) {
    if (w[i] === 0) continue;
    acc += w[i];
    last = i;
    if (target < acc) return i;
  }
  return last;
}
