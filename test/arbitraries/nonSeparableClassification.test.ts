import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nonSeparableClassification, type NonSeparableClassification } from '../../src/arbitraries/index.ts';
import { maxMarginSolution, NotSeparableError } from '../../src/precise/index.ts';
import { pooled } from '../../src/problems/dataset.ts';
import { datasetValues, expectDeterministic, onGrid, shrinkRun } from './_helpers.ts';

const BITS = 2;

/** Gordan witness re-checked in BigInt: lambda_j > 0 and sum_j lambda_j y_j x_j = 0 exactly, no zero witness point. */
function hypotheses(v: NonSeparableClassification): string | null {
  const d = v.dataset.d;
  if (v.dataset.nodes.some((nd) => nd.y.some((t) => t !== 1 && t !== -1))) return 'labels are not +-1';
  if (v.dataset.nodes.some((nd) => nd.X.rows < 1)) return 'a node has no rows';
  if (!onGrid(datasetValues(v.dataset), BITS)) return 'a value is off the dyadic grid';
  for (const [k, nd] of v.dataset.nodes.entries()) {
    for (let i = 0; i < nd.X.rows; i++) {
      if (nd.X.data.subarray(i * d, (i + 1) * d).every((x) => x === 0)) return `node ${k} row ${i} is the zero vector`;
    }
  }
  const { rows, lambda } = v.meta.witness;
  if (rows.length < 2 || rows.length !== lambda.length) return 'witness has fewer than two rows';
  if (new Set(rows.map((r) => `${r.node}:${r.row}`)).size !== rows.length) return 'witness repeats a row';
  const sum = new Array<bigint>(d).fill(0n);
  for (let j = 0; j < rows.length; j++) {
    if (!(lambda[j] > 0) || !Number.isInteger(lambda[j])) return `lambda_${j} = ${lambda[j]} is not a positive integer`;
    const nd = v.dataset.nodes[rows[j].node];
    let nonzero = false;
    for (let c = 0; c < d; c++) {
      const x = nd.X.data[rows[j].row * d + c];
      if (x !== 0) nonzero = true;
      sum[c] += BigInt(lambda[j]) * BigInt(nd.y[rows[j].row]) * BigInt(x * 2 ** BITS);
    }
    if (!nonzero) return `witness row ${j} is the zero vector`;
  }
  if (sum.some((s) => s !== 0n)) return 'sum lambda_j y_j x_j != 0';
  return null;
}

describe('nonSeparableClassification', () => {
  it('gives the same instances for the same seed', () => {
    expectDeterministic(nonSeparableClassification(), 42);
  });

  it('every value carries an exact Gordan witness of non-separability', () => {
    fc.assert(
      fc.property(nonSeparableClassification(), (v) => {
        expect(hypotheses(v)).toBeNull();
      }),
    );
  });

  it('is certified by maxMarginSolution: NotSeparableError with an exact witness of its own', () => {
    fc.assert(
      fc.property(nonSeparableClassification(), (v) => {
        const { X, y } = pooled(v.dataset);
        let err: unknown = null;
        try {
          maxMarginSolution(X, y);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(NotSeparableError);
        // its own witness: no point is 0, so it needs at least two rows
        expect((err as NotSeparableError).witness.indices.length).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 20 },
    );
  });

  it('the checker has teeth: a perturbed witness point is reported', () => {
    const [v] = fc.sample(nonSeparableClassification(), { seed: 13, numRuns: 1 });
    const r = v.meta.witness.rows[0];
    const nd = v.dataset.nodes[r.node];
    const data = Float64Array.from(nd.X.data);
    data[r.row * v.dataset.d] += 0.25;
    const nodes = v.dataset.nodes.map((x, k) => (k === r.node ? { ...x, X: { ...x.X, data } } : x));
    expect(hypotheses({ ...v, dataset: { ...v.dataset, nodes } })).toBe('sum lambda_j y_j x_j != 0');
  });

  it('no point is ever the zero vector (400 draws; the checker rejects a zeroed background row)', () => {
    const values = fc.sample(nonSeparableClassification(), { seed: 77, numRuns: 400 });
    expect(values.map(hypotheses).filter((e) => e !== null)).toEqual([]);
    const v = values.find((x) => x.meta.N > x.meta.witness.rows.length)!;
    const used = new Set(v.meta.witness.rows.map((r) => `${r.node}:${r.row}`));
    const k = v.dataset.nodes.findIndex((nd, kk) => Array.from({ length: nd.X.rows }, (_, i) => i).some((i) => !used.has(`${kk}:${i}`)));
    const nd = v.dataset.nodes[k];
    const i = Array.from({ length: nd.X.rows }, (_, ii) => ii).find((ii) => !used.has(`${k}:${ii}`))!;
    const data = Float64Array.from(nd.X.data);
    data.fill(0, i * v.dataset.d, (i + 1) * v.dataset.d);
    const nodes = v.dataset.nodes.map((x, kk) => (kk === k ? { ...x, X: { ...x.X, data } } : x));
    expect(hypotheses({ ...v, dataset: { ...v.dataset, nodes } })).toBe(`node ${k} row ${i} is the zero vector`);
  });

  it('shrinks to few samples, a small witness and small d through valid values only', () => {
    const { counterexample: c, invalid } = shrinkRun(nonSeparableClassification(), (v) => hypotheses(v), (v) => v.meta.N < 4);
    expect(invalid).toEqual([]);
    expect(c.meta.N).toBe(4);
    // the witness size m + 1 <= d + 1 is part of N, so m and d can stop above 1 (a local minimum of the shrinker)
    expect(c.meta.d).toBeLessThanOrEqual(3);
    expect(c.meta.witness.rows.length).toBeLessThanOrEqual(4);
    expect(c.meta.regimes).not.toContain('given-weights');
  });

  it('rejects impossible constraints at once, naming the values', () => {
    expect(() => nonSeparableClassification({ maxWitnessRank: 0 })).toThrow('nonSeparableClassification: constraints.maxWitnessRank must be an integer in [1, 256], got 0');
    expect(() => nonSeparableClassification({ minNodes: 3, maxNodes: 2 })).toThrow('nonSeparableClassification: constraints.minNodes (3) > constraints.maxNodes (2)');
  });
});
