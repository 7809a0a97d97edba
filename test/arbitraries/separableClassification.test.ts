import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { separableClassification, type SeparableClassification } from '../../src/arbitraries/index.ts';
import { EPS } from '../../src/numeric/index.ts';
import { pooled } from '../../src/problems/dataset.ts';
import { datasetValues, expectDeterministic, onGrid, shrinkRun } from './_helpers.ts';

const BITS = 2; // default gridBits: x * 4 is an integer

/**
 * Hypotheses re-checked in exact integer arithmetic (BigInt on the grid): every y_i x_i^T w* > 0 and
 * (min_i y_i x_i^T w*)^2 >= ratio^2 ||w*||^2 max_i ||x_i||^2, i.e. gamma* / max||x|| >= ratio; plus the label skew.
 */
function hypotheses(v: SeparableClassification, ratio = 1 / 16, bothClasses = true): string | null {
  const { X, y } = pooled(v.dataset);
  const d = v.dataset.d;
  if (v.dataset.task !== 'classification' || y.some((t) => t !== 1 && t !== -1)) return 'labels are not +-1';
  if (!onGrid(datasetValues(v.dataset), BITS)) return 'a value is off the dyadic grid';
  const w = Array.from(v.meta.wStar, (x) => BigInt(x));
  let minM: bigint | null = null;
  let maxN2 = 0n;
  for (let i = 0; i < X.rows; i++) {
    let m = 0n;
    let n2 = 0n;
    for (let c = 0; c < d; c++) {
      const x = BigInt(X.data[i * d + c] * 2 ** BITS);
      m += x * w[c];
      n2 += x * x;
    }
    m *= BigInt(y[i]);
    if (m <= 0n) return `row ${i} is not separated by w*`;
    if (minM === null || m < minM) minM = m;
    if (n2 > maxN2) maxN2 = n2;
  }
  const ww = w.reduce((a, x) => a + x * x, 0n);
  const [num, den] = [BigInt(Math.round(ratio * 2 ** 20)), 1n << 20n]; // ratio is a multiple of 2^-20 in these tests
  if (minM! * minM! * den * den < num * num * ww * maxN2) return 'margin floor violated';
  const labels = v.dataset.nodes.map((nd) => Array.from(nd.y));
  if (bothClasses && !(y.includes(1) && y.includes(-1))) return 'the pooled labels have one class';
  if (v.meta.labelSkew === 'one-class' && labels.some((l) => new Set(l).size > 1)) return 'a one-class node has two labels';
  if (v.meta.labelSkew === 'sorted') {
    const all = labels.flat();
    if (all.some((t, i) => i > 0 && t > all[i - 1])) return 'labels are not sorted';
  }
  return null;
}

describe('separableClassification', () => {
  it('gives the same instances for the same seed', () => {
    expectDeterministic(separableClassification(), 42);
  });

  it('every value is separated through the origin by w* with gamma*/max||x|| >= the floor (exact), with its label skew', () => {
    fc.assert(
      fc.property(separableClassification(), (v) => {
        expect(hypotheses(v)).toBeNull();
      }),
    );
  });

  it('honours a high margin floor and fixed skews', () => {
    for (const labelSkew of ['one-class', 'sorted'] as const) {
      fc.assert(
        fc.property(separableClassification({ minMarginRatio: 0.375, labelSkew, minNodes: 2 }), (v) => {
          expect(v.meta.labelSkew).toBe(labelSkew);
          expect(v.meta.marginRatioBound).toBeGreaterThanOrEqual(0.375);
          expect(hypotheses(v, 0.375)).toBeNull();
        }),
      );
    }
  });

  // Decimal certification: ~5 ms per instance.
  it('is certified by maxMarginSolution: gamma* / max||x|| >= the floor and >= the planted bound; wHat cached', () => {
    fc.assert(
      fc.property(separableClassification(), (v) => {
        const ref = v.reference();
        expect(v.reference()).toBe(ref);
        // why: gamma* is the certified 50-digit value rounded to f64, radius one sqrt of an exact sum
        const tol = 4 * EPS * ref.gamma;
        expect(ref.gamma + tol).toBeGreaterThanOrEqual((1 / 16) * v.meta.radius);
        expect(ref.gamma + tol).toBeGreaterThanOrEqual(v.meta.marginRatioBound * v.meta.radius);
        const { X, y } = pooled(v.dataset);
        for (let i = 0; i < X.rows; i++) {
          let m = 0;
          for (let c = 0; c < v.dataset.d; c++) m += X.data[i * v.dataset.d + c] * ref.wHat[c];
          // why: y_i x_i^T wHat >= 1 holds to 50 digits; the f64 dot adds d roundings of size |x||wHat|
          expect(y[i] * m).toBeGreaterThanOrEqual(1 - 8 * v.dataset.d * EPS * (1 + Math.abs(m)));
        }
      }),
      { numRuns: 20 },
    );
  });

  it('the checker has teeth: a flipped label and a point moved onto the separator are reported', () => {
    const [v] = fc.sample(separableClassification({ maxDim: 3, minDim: 2 }), { seed: 11, numRuns: 1 });
    const nd = v.dataset.nodes[0];
    const y = Float64Array.from(nd.y);
    y[0] = -y[0];
    const flipped = { ...v, dataset: { ...v.dataset, nodes: [{ ...nd, y }, ...v.dataset.nodes.slice(1)] } };
    expect(hypotheses(flipped)).toBe('row 0 is not separated by w*');
    const data = Float64Array.from(nd.X.data);
    data.fill(0, 0, v.dataset.d); // x_0 = 0: margin 0
    const zero = { ...v, dataset: { ...v.dataset, nodes: [{ ...nd, X: { ...nd.X, data } }, ...v.dataset.nodes.slice(1)] } };
    expect(hypotheses(zero)).toBe('row 0 is not separated by w*');
  });

  it('the pooled data has both classes in every draw (400), while one-class nodes still occur', () => {
    const values = fc.sample(separableClassification(), { seed: 4242, numRuns: 400 });
    expect(values.map((v) => hypotheses(v)).filter((e) => e !== null)).toEqual([]);
    expect(values.filter((v) => v.meta.regimes.includes('one-class-node')).length).toBeGreaterThan(40);
    for (const maxRowsPerNode of [1, 2, 8]) {
      fc.assert(
        fc.property(separableClassification({ maxNodes: 1, maxRowsPerNode: 2, labelSkew: 'any' }), separableClassification({ maxRowsPerNode }), (one, v) => {
          expect(one.meta.K).toBe(1);
          expect(one.meta.N).toBe(2);
          expect(one.meta.labelSkew).not.toBe('one-class');
          expect(hypotheses(one)).toBeNull();
          expect(Math.max(...v.meta.sizes)).toBeLessThanOrEqual(maxRowsPerNode);
          expect(hypotheses(v)).toBeNull();
        }),
        { numRuns: 30 },
      );
    }
    // bothClasses false: a one-node 'one-class' data set, as asked
    const [solo] = fc.sample(separableClassification({ labelSkew: 'one-class', maxNodes: 1, bothClasses: false }), { seed: 1, numRuns: 1 });
    expect(new Set(solo.dataset.nodes[0].y).size).toBe(1);
    expect(hypotheses(solo, 1 / 16, false)).toBeNull();
  });

  it('shrinks toward few samples, d = 1 and iid labels through valid values only', () => {
    const { counterexample: c, invalid } = shrinkRun(separableClassification(), (v) => hypotheses(v), (v) => v.meta.N < 5);
    expect(invalid).toEqual([]);
    expect(c.meta.N).toBe(5);
    expect(c.meta.d).toBe(1);
    expect(c.meta.labelSkew).toBe('iid');
    expect(c.meta.regimes).not.toContain('given-weights');
  });

  it('rejects impossible constraints at once, naming the values', () => {
    expect(() => separableClassification({ labelSkew: 'one-class', maxNodes: 1 })).toThrow(
      "separableClassification: labelSkew 'one-class' with bothClasses needs constraints.maxNodes >= 2 (one one-class node is a one-class data set), got 1",
    );
    expect(() => separableClassification({ maxNodes: 1, maxRowsPerNode: 1 })).toThrow(
      'separableClassification: bothClasses needs two samples: constraints.maxNodes (1) and constraints.maxRowsPerNode (1) allow only one',
    );
    expect(() => separableClassification({ maxNodes: 1, maxRowsPerNode: 1, bothClasses: false })).not.toThrow();
    expect(() => separableClassification({ minMarginRatio: 0.75 })).toThrow('separableClassification: constraints.minMarginRatio must be a finite number in [0, 0.5], got 0.75');
    expect(() => separableClassification({ minMarginRatio: 0 })).toThrow('separableClassification: constraints.minMarginRatio must be > 0, got 0');
    expect(() => separableClassification({ minDim: 7, maxDim: 3 })).toThrow('separableClassification: constraints.minDim (7) > constraints.maxDim (3)');
    expect(() => separableClassification({ labelSkew: 'skewed' as never })).toThrow("constraints.labelSkew must be one of 'iid', 'dirichlet', 'sorted', 'one-class', 'any'");
  });
});
