/**
 * Planted beyond the table (for property A-6): the shard sampler ignores eq. 2 and draws uniformly over all
 * shards with the same counter-based stream, so over-sampled shards keep being drawn (the bug class of a
 * data loader that forgets its balancing weights). Replaces 'sampleShard' only; the asynchronous drivers keep
 * the reference sampler (A-6 reads the sampler directly).
 */
import { rngKey, uniformAt } from '../../optimizers/rng.ts';
import { ASYNC_PURPOSE, ASYNC_STREAM } from '../../optimizers/async/_internals/streams.ts';
import type { ShardCounts } from '../../optimizers/async/index.ts';
import { override, type Mutant } from './types.ts';

export function uniformShard(c: ShardCounts, seed: number, job: number): number {
  const S = c.sizes.length;
  return Math.min(S - 1, Math.floor(uniformAt(rngKey(seed, ASYNC_STREAM), ASYNC_PURPOSE.shard, 0, job, 0) * S));
}

export const mutant: Mutant = {
  id: 'P31-uniform-shard-sampler',
  bug: 'shard sampler ignores the eq. 2 weights and draws uniformly over all shards',
  source: 'planted for A-6 (eq. 2 support); no reported class in docs/planted-bugs.md',
  affects: ['sampleShard'],
  apply: (subject) => override(subject, { sampleShard: uniformShard }),
};
