import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { overparameterisedRegression, type OverparameterisedRegression } from '../../src/arbitraries/index.ts';
import { EPS, gemv, norm2, sub, vstack } from '../../src/numeric/index.ts';
import { datasetValues, expectDeterministic, onGrid, pooledX, rankOf, shrinkRun } from './_helpers.ts';

/** The declared hypotheses, re-checked independently of the construction (exact rank over the rationals). */
function hypotheses(v: OverparameterisedRegression, bits = 4): string | null {
  const X = pooledX(v.dataset);
  const N = X.rows;
  const d = v.dataset.d;
  if (!(d > N)) return `d = ${d} does not exceed N = ${N}`;
  if (v.dataset.nodes.some((nd) => nd.X.rows < 1)) return 'a node has no rows';
  if (v.meta.N !== N || v.meta.d !== d || v.meta.K !== v.dataset.nodes.length) return 'meta disagrees with the data';
  if (!onGrid(datasetValues(v.dataset), bits) || !onGrid(v.w0, bits)) return 'a value is off the dyadic grid';
  const r = rankOf(X).rank;
  if (r !== N) return `rank ${r} < N = ${N}`;
  const u = v.meta.nullVector;
  if (u.every((x) => x === 0)) return 'null vector is zero';
  if (gemv(X, u).some((x) => x !== 0)) return 'X u != 0';
  const r0 = rankOf(vstack([X, { rows: 1, cols: d, data: v.w0 }])).rank;
  if (v.meta.w0Placement === 'zero' && v.w0.some((x) => x !== 0)) return 'w0 placement zero but w0 != 0';
  if (v.meta.w0Placement === 'inside' && r0 !== N) return 'w0 placement inside but w0 is not in row(X)';
  if (v.meta.w0Placement === 'outside' && r0 !== N + 1) return 'w0 placement outside but w0 is in row(X)';
  return null;
}

describe('overparameterisedRegression', () => {
  it('gives the same instances for the same seed', () => {
    expectDeterministic(overparameterisedRegression(), 42);
  });

  it('every value has d > N, full row rank (exact), grid data, a null vector and the declared w0 placement', () => {
    fc.assert(
      fc.property(overparameterisedRegression(), (v) => {
        expect(hypotheses(v)).toBeNull();
      }),
    );
  });

  it('the checker has teeth: a duplicated row, a moved w0 and an off-grid entry are each reported', () => {
    const [v] = fc.sample(overparameterisedRegression({ minNodes: 2, w0: 'inside' }), { seed: 3, numRuns: 1 });
    const nd0 = v.dataset.nodes[0];
    const row0 = nd0.X.data.slice(0, v.dataset.d);
    const dup = { ...v, dataset: { ...v.dataset, nodes: [...v.dataset.nodes, { X: { rows: 1, cols: v.dataset.d, data: row0 }, y: nd0.y.slice(0, 1) }] } };
    // a duplicated row makes rank < N, and d may no longer exceed N
    expect(hypotheses(dup as OverparameterisedRegression)).toMatch(/rank|does not exceed|meta/);
    const moved = { ...v, w0: Float64Array.from(v.w0, (x, i) => x + v.meta.nullVector[i]) };
    expect(hypotheses(moved)).toBe('w0 placement inside but w0 is not in row(X)');
    const data = Float64Array.from(nd0.X.data);
    data[0] += 2 ** -12;
    const off = { ...v, dataset: { ...v.dataset, nodes: [{ ...nd0, X: { ...nd0.X, data } }, ...v.dataset.nodes.slice(1)] } };
    expect(hypotheses(off)).toBe('a value is off the dyadic grid');
  });

  it('honours its constraints', () => {
    const arb = overparameterisedRegression({ minNodes: 2, maxNodes: 3, maxRowsPerNode: 2, minExtraDim: 3, maxExtraDim: 5, w0: 'outside', covariateShift: false, weights: 'given' });
    fc.assert(
      fc.property(arb, (v) => {
        const sizes = v.dataset.nodes.map((nd) => nd.X.rows);
        expect(sizes.length).toBeGreaterThanOrEqual(2);
        expect(sizes.length).toBeLessThanOrEqual(3);
        expect(Math.max(...sizes)).toBeLessThanOrEqual(2);
        expect(v.meta.d - v.meta.N).toBeGreaterThanOrEqual(3);
        expect(v.meta.d - v.meta.N).toBeLessThanOrEqual(5);
        expect(v.meta.w0Placement).toBe('outside');
        expect(v.dataset.nodes.every((nd) => nd.weight !== undefined)).toBe(true);
        expect(v.meta.regimes).not.toContain('covariate-shift');
        expect(hypotheses(v)).toBeNull();
      }),
    );
  });

  // Decimal certification costs ~20 ms per instance: 20 small draws keep this under a second.
  it('is certified by minNormSolution: rank N, X w_mn = y, and the limit from w0 differs from w_mn iff w0 leaves row(X)', () => {
    const arb = overparameterisedRegression({ maxNodes: 3, maxRowsPerNode: 4 });
    fc.assert(
      fc.property(arb, (v) => {
        const ref = v.reference();
        expect(v.reference()).toBe(ref); // computed once, cached
        expect(ref.rank).toBe(v.meta.N);
        const X = pooledX(v.dataset);
        const y = v.dataset.nodes.flatMap((nd) => Array.from(nd.y));
        const r = sub(gemv(X, ref.wMinNorm), Float64Array.from(y));
        const scale = norm2(Float64Array.from(X.data)) * norm2(ref.wMinNorm) + norm2(Float64Array.from(y));
        // why: w_mn is the correctly rounded certified solution; X w costs a length-d dot per row
        expect(norm2(r)).toBeLessThanOrEqual(8 * v.meta.d * EPS * scale);
        const gap = norm2(sub(ref.wLimit, ref.wMinNorm));
        const limScale = norm2(ref.wLimit) + norm2(ref.wMinNorm);
        // why: two roundings of the certified 50-digit solutions to f64
        if (v.meta.w0Placement === 'outside') expect(gap).toBeGreaterThan(4 * EPS * limScale);
        else expect(gap).toBeLessThanOrEqual(4 * EPS * limScale);
      }),
      { numRuns: 20 },
    );
  });

  it('shrinks toward few nodes, small d, homogeneous nodes and w0 = 0, through valid values only', () => {
    const { counterexample: c, tried, numRuns, numShrinks, invalid } = shrinkRun(overparameterisedRegression(), (v) => hypotheses(v), (v) => v.meta.N < 5);
    expect(invalid).toEqual([]);
    // why: the values checked for validity include shrink candidates, not only the generated ones; how many candidates
    // the shrinker tries depends on the seed (24-30 at the 1-2 failing runs typical of N < 5, measured over 400 seeds),
    // so no fixed count is asserted.
    expect(tried).toBeGreaterThan(numRuns);
    expect(numShrinks).toBeGreaterThanOrEqual(1);
    expect(c.meta.N).toBe(5);
    expect(c.meta.d).toBe(6);
    expect(c.meta.regimes).not.toContain('covariate-shift');
    expect(c.meta.regimes).not.toContain('given-weights');
    expect(c.meta.w0Placement).toBe('zero');
  });

  it('rejects impossible constraints at once, naming the values', () => {
    expect(() => overparameterisedRegression({ minNodes: 5, maxNodes: 3 })).toThrow('overparameterisedRegression: constraints.minNodes (5) > constraints.maxNodes (3)');
    expect(() => overparameterisedRegression({ minExtraDim: 0 })).toThrow('overparameterisedRegression: constraints.minExtraDim must be an integer in [1, 256], got 0');
    expect(() => overparameterisedRegression({ minExtraDim: 4, maxExtraDim: 2 })).toThrow('constraints.minExtraDim (4) > constraints.maxExtraDim (2)');
    expect(() => overparameterisedRegression({ w0: 'nowhere' as never })).toThrow("constraints.w0 must be one of 'zero', 'inside', 'outside', 'any', got \"nowhere\"");
    expect(() => overparameterisedRegression({ covariateShift: false, maxScaleExp: 1 })).toThrow(
      'overparameterisedRegression: constraints.maxScaleExp (1) needs covariateShift (node scales are covariate shift), got covariateShift false',
    );
    expect(() => overparameterisedRegression({ covariateShift: false, maxScaleExp: 0 })).not.toThrow();
    expect(() => overparameterisedRegression({ maxNode: 3 } as never)).toThrow("overparameterisedRegression: unknown constraint 'maxNode'");
  });

  it('prints a counterexample as dataset JSON with w0 and regimes', () => {
    const [v] = fc.sample(overparameterisedRegression(), { seed: 7, numRuns: 1 });
    const parsed = JSON.parse(fc.stringify(v)) as { task: string; nodes: { X: number[][] }[]; w0: number[]; regimes: string[] };
    expect(parsed.task).toBe('regression');
    expect(parsed.nodes.length).toBe(v.dataset.nodes.length);
    expect(parsed.nodes[0].X[0]).toEqual(Array.from(v.dataset.nodes[0].X.data.subarray(0, v.dataset.d)));
    expect(parsed.w0).toEqual(Array.from(v.w0));
    expect(parsed.regimes).toEqual(v.meta.regimes);
  });
});
