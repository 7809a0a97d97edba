/** Shared checks of the arbitraries' contract tests (not a test file itself). */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Mat, Vec } from '../../src/numeric/types.ts';
import { exactRank, toIntMatrix } from '../../src/precise/index.ts';
import { pooled } from '../../src/problems/dataset.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';

/** Exact rank of X (and of [X | y] when y is given), decided over the rationals by src/precise. */
export function rankOf(X: Mat, y?: Vec): { rank: number; rankAugmented: number } {
  const r = exactRank(toIntMatrix(X, y), X.cols);
  return { rank: r.rank, rankAugmented: r.rankAugmented };
}

export function pooledX(ds: FederatedDataset): Mat {
  return pooled(ds).X;
}

/** Every entry is an integer multiple of 2^-bits and at most `max` in magnitude. */
export function onGrid(values: ArrayLike<number>, bits: number, max = 2 ** 20): boolean {
  for (let i = 0; i < values.length; i++) {
    const s = values[i] * 2 ** bits;
    if (!Number.isInteger(s) || Math.abs(values[i]) > max) return false;
  }
  return true;
}

export function datasetValues(ds: FederatedDataset): number[] {
  return ds.nodes.flatMap((nd) => [...nd.X.data, ...nd.y, ...(nd.weight === undefined ? [] : [nd.weight])]);
}

/** Same seed, same values (compared through fast-check's printer); another seed gives other values. */
export function expectDeterministic<T>(arb: fc.Arbitrary<T>, seed: number): void {
  const a = fc.sample(arb, { seed, numRuns: 8 }).map((v) => fc.stringify(v));
  const b = fc.sample(arb, { seed, numRuns: 8 }).map((v) => fc.stringify(v));
  const c = fc.sample(arb, { seed: seed ^ 0x5a5a5a5, numRuns: 8 }).map((v) => fc.stringify(v));
  expect(b).toEqual(a);
  expect(c).not.toEqual(a);
}

/**
 * Run a property that fails on "large" values (`small` false) and record the hypotheses checker's verdict on EVERY
 * value fast-check tries, shrink candidates included. Returns the shrunk counterexample and the failures seen.
 */
export function shrinkRun<T>(
  arb: fc.Arbitrary<T>,
  hypotheses: (v: T) => string | null,
  small: (v: T) => boolean,
): { counterexample: T; tried: number; numRuns: number; numShrinks: number; invalid: string[] } {
  const invalid: string[] = [];
  let tried = 0;
  const details = fc.check(
    fc.property(arb, (v) => {
      tried++;
      const e = hypotheses(v);
      if (e !== null) invalid.push(e);
      return small(v);
    }),
    { numRuns: 100 },
  );
  if (!details.failed || details.counterexample === null) throw new Error('shrinkRun: the property never failed (make `small` stricter)');
  return { counterexample: details.counterexample[0], tried, numRuns: details.numRuns, numShrinks: details.numShrinks, invalid };
}

/** Share of values hitting each regime. */
export function regimeShares(values: readonly { meta: { regimes: readonly string[] } }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) for (const r of new Set(v.meta.regimes)) counts[r] = (counts[r] ?? 0) + 1;
  const shares: Record<string, number> = {};
  for (const [k, c] of Object.entries(counts)) shares[k] = c / values.length;
  return shares;
}
