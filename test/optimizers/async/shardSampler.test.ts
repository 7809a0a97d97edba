/** Eq. 2 shard sampler: support, degenerate fallbacks, frequencies, replay, purity. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleShard, shardWeights } from '../../../src/optimizers/async/index.ts';
import type { ShardCounts } from '../../../src/optimizers/async/index.ts';
import { errorOf } from './_helpers.ts';

const countsArb: fc.Arbitrary<ShardCounts> = fc.integer({ min: 1, max: 8 }).chain((S) =>
  fc.record({
    sizes: fc.array(fc.integer({ min: 1, max: 50 }), { minLength: S, maxLength: S }),
    learned: fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: S, maxLength: S }),
    visits: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: S, maxLength: S }),
  }),
);

/** index of the first minimum */
const argminFirst = (xs: readonly number[]): number => xs.indexOf(Math.min(...xs));

describe('sampleShard (eq. 2)', () => {
  it('never picks an over-sampled or balanced shard: |D_i| sum n > n_i sum |D| exactly', () => {
    fc.assert(
      fc.property(countsArb, fc.integer(), fc.nat(1 << 20), (c, seed, job) => {
        const sD = c.sizes.reduce((a, b) => a + b, 0);
        const sN = c.learned.reduce((a, b) => a + b, 0);
        const i = sampleShard(c, seed, job);
        const under = c.sizes.map((d, j) => d * sN > c.learned[j] * sD);
        if (under.some((u) => u)) expect(under[i]).toBe(true);
        else expect(i).toBe(argminFirst(c.visits)); // degenerate: least visited, lowest index
      }),
    );
  });

  it('falls back to the least-visited shard (ties to the lowest index) when nothing is learned yet or all shards are balanced', () => {
    fc.assert(
      fc.property(countsArb, fc.integer({ min: 0, max: 7 }), fc.integer(), fc.nat(), (c, q, seed, job) => {
        const zero = { ...c, learned: c.sizes.map(() => 0) };
        expect(sampleShard(zero, seed, job)).toBe(argminFirst(c.visits));
        const balanced = { ...c, learned: c.sizes.map((d) => q * d) };
        expect(shardWeights(balanced).every((w) => w === 0)).toBe(true);
        expect(sampleShard(balanced, seed, job)).toBe(argminFirst(c.visits));
      }),
    );
    expect(sampleShard({ sizes: [5, 5, 5], learned: [0, 0, 0], visits: [2, 1, 1] }, 1, 0)).toBe(1);
  });

  it('draws in proportion to max(|D_i|/sum|D| - n_i/sum n, 0) (5-sigma binomial band, 20000 keyed draws)', () => {
    const c = { sizes: [10, 30, 20, 40], learned: [60, 0, 40, 0], visits: [0, 0, 0, 0] };
    // p_i ∝ max(d_i/100 - n_i/100, 0) = (0, 0.3, 0, 0.4) -> (0, 3/7, 0, 4/7)
    const p = [0, 3 / 7, 0, 4 / 7];
    const draws = 20000;
    const counts = [0, 0, 0, 0];
    for (let j = 0; j < draws; j++) counts[sampleShard(c, 2024, j)] += 1;
    p.forEach((pi, i) => {
      const sd = Math.sqrt(draws * pi * (1 - pi));
      expect(Math.abs(counts[i] - draws * pi)).toBeLessThanOrEqual(5 * sd); // why: 5 sigma of Binomial(draws, p_i); 0 for p_i = 0
    });
  });

  it('replays: the draw is a pure function of (counts, seed, job) and does not touch the counts', () => {
    fc.assert(
      fc.property(countsArb, fc.integer(), fc.nat(), (c, seed, job) => {
        const snap = JSON.stringify(c);
        expect(sampleShard(c, seed, job)).toBe(sampleShard(JSON.parse(snap) as ShardCounts, seed, job));
        expect(JSON.stringify(c)).toBe(snap);
      }),
    );
  });

  it('rejects inconsistent counts with one-line errors', () => {
    expect(errorOf(() => sampleShard({ sizes: [1, 2], learned: [0], visits: [0, 0] }, 1, 0))).toBe(
      'shardWeights: sizes, learned and visits have 2, 1 and 2 entries (must be equal)',
    );
    expect(errorOf(() => sampleShard({ sizes: [0], learned: [0], visits: [0] }, 1, 0))).toBe('shardWeights: shard 0 size must be a positive integer, got 0');
    expect(errorOf(() => sampleShard({ sizes: [], learned: [], visits: [] }, 1, 0))).toBe('shardWeights: there are no shards');
  });
});
