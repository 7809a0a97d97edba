/**
 * the shard sampler of eq. 2 draws shard i with probability proportional to
 * max(|D_i| / sum |D_j| - n_i / sum n_j, 0), so it never picks an over-sampled (or exactly balanced) shard.
 * The subject's 'sampleShard' is called for many job indices on one sampler state; observed is the number of
 * draws outside the support (decided in exact integers), bound 0. In the degenerate states the paper leaves
 * undefined (nothing learned yet, or every shard exactly balanced) every draw must still be a valid shard.
 * Every instance exercises the claim: the weights sum to sum|D| sum n - sum n sum|D| = 0, so a non-degenerate
 * state always has an over-sampled shard.
 */
import fc from 'fast-check';
import { defineTheorem } from '../../src/spec/index.ts';
import { capability } from '../../src/subject/index.ts';
import { PAPER, VERSION, type SampleShardFn } from './_shared.ts';

export interface SamplerState {
  readonly sizes: number[];
  readonly learned: number[];
  readonly visits: number[];
  readonly seed: number;
  readonly firstJob: number;
  readonly draws: number;
}

const instances: fc.Arbitrary<SamplerState> = fc
  .record({ sizes: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 }), kind: fc.constantFrom('random', 'random', 'random', 'zero', 'balanced') })
  .chain(({ sizes, kind }) =>
    fc.record({
      sizes: fc.constant(sizes),
      learned:
        kind === 'zero' ? fc.constant(sizes.map(() => 0))
          : kind === 'balanced' ? fc.integer({ min: 1, max: 9 }).map((m) => sizes.map((s) => m * s))
            : fc.array(fc.integer({ min: 0, max: 300 }), { minLength: sizes.length, maxLength: sizes.length }),
      visits: fc.array(fc.integer({ min: 0, max: 12 }), { minLength: sizes.length, maxLength: sizes.length }),
      seed: fc.integer({ min: -0x80000000, max: 0x7fffffff }),
      firstJob: fc.nat(1 << 24),
      draws: fc.constant(48),
    }),
  );

/** Exact eq. 2 weights |D_i| sum n - n_i sum |D| (> 0: under-sampled); degenerate when sum n = 0 or none is > 0. */
export function supportOf(p: SamplerState): { weights: number[]; degenerate: boolean } {
  const sD = p.sizes.reduce((a, b) => a + b, 0);
  const sN = p.learned.reduce((a, b) => a + b, 0);
  const weights = p.sizes.map((d, i) => d * sN - p.learned[i] * sD);
  return { weights, degenerate: sN === 0 || weights.every((w) => w <= 0) };
}

export const spec = defineTheorem({
  id: 'A-6',
  title: 'the eq. 2 shard sampler only draws under-sampled shards (and a valid shard in the undefined degenerate states)',
  source: { paper: PAPER, version: VERSION, locator: 'Sec. 3, eq. 2; docs/theory.md#32-asynchronous-framework', provenance: ['read', 'derived'] },
  statement: String.raw`p_i \propto \max\Big(\frac{|D_i|}{\sum_j |D_j|} - \frac{n_i}{\sum_j n_j},\ 0\Big) \;\Longrightarrow\; \Pr[\text{draw } i] = 0 \text{ whenever } |D_i| \textstyle\sum_j n_j \le n_i \sum_j |D_j|`,
  kind: 'equivalence',
  requires: ['sampleShard'],
  hypotheses: [
    { name: 'counts are integers', check: (p: SamplerState) => [...p.sizes, ...p.learned, ...p.visits].every((x) => Number.isSafeInteger(x) && x >= 0) || 'non-integer count' },
    { name: 'shards non-empty', check: (p: SamplerState) => p.sizes.every((s) => s >= 1) || `sizes ${JSON.stringify(p.sizes)}` },
  ],
  instances,
  observe: (p, subject) => {
    const sample = capability<SampleShardFn>(subject, 'sampleShard');
    const { weights, degenerate } = supportOf(p);
    let outside = 0;
    for (let j = p.firstJob; j < p.firstJob + p.draws; j++) {
      const i = sample({ sizes: p.sizes, learned: p.learned, visits: p.visits }, p.seed, j);
      const valid = Number.isInteger(i) && i >= 0 && i < p.sizes.length;
      if (!valid || (!degenerate && weights[i] <= 0)) outside++;
    }
    return outside;
  },
  bound: () => 0,
  tolerance: { abs: 0, why: 'a count of draws; over-sampled is decided in exact integers' },
  profiles: { ci: 50, default: 200, hunt: 5000 },
  hints: ['a sampler that ignores the eq. 2 weights (uniform over shards) draws over-sampled shards'],
});
