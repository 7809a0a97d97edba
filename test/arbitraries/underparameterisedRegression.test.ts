import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { underparameterisedRegression, type UnderparameterisedRegression } from '../../src/arbitraries/index.ts';
import { minNormSolution } from '../../src/precise/index.ts';
import { pooled } from '../../src/problems/dataset.ts';
import { datasetValues, expectDeterministic, onGrid, rankOf, shrinkRun } from './_helpers.ts';

/** The declared hypotheses, re-checked exactly (ranks over the rationals), independently of the construction. */
function hypotheses(v: UnderparameterisedRegression, bits = 4): string | null {
  const { X, y } = pooled(v.dataset);
  const N = X.rows;
  const d = v.dataset.d;
  if (!(N > d)) return `N = ${N} does not exceed d = ${d}`;
  if (v.dataset.nodes.some((nd) => nd.X.rows < 1)) return 'a node has no rows';
  if (!onGrid(datasetValues(v.dataset), bits) || !onGrid(v.w0, bits)) return 'a value is off the dyadic grid';
  const { rank, rankAugmented } = rankOf(X, y);
  if (rank !== d) return `rank ${rank} < d = ${d}`;
  if (v.meta.system === 'inconsistent') {
    if (rankAugmented !== d + 1) return 'declared inconsistent but [X | y] has rank d';
    const w = v.meta.witness;
    if (w === undefined) return 'inconsistent without a witness';
    const a = v.dataset.nodes[w.a.node];
    const b = v.dataset.nodes[w.b.node];
    for (let c = 0; c < d; c++) if (b.X.data[w.b.row * d + c] !== w.factor * a.X.data[w.a.row * d + c]) return 'witness rows are not proportional';
    if (b.y[w.b.row] - w.factor * a.y[w.a.row] !== w.gap || w.gap === 0) return 'witness targets are consistent';
  }
  if (v.meta.localFullRowRank) {
    for (const nd of v.dataset.nodes) {
      if (nd.X.rows > d || rankOf(nd.X).rank !== nd.X.rows) return `a node with ${nd.X.rows} rows lacks full row rank`;
    }
  }
  return null;
}

describe('underparameterisedRegression', () => {
  it('gives the same instances for the same seed', () => {
    expectDeterministic(underparameterisedRegression(), 42);
  });

  it('every value has N > d, rank d (exact), grid data, and its declared inconsistency / local rank', () => {
    fc.assert(
      fc.property(underparameterisedRegression(), (v) => {
        expect(hypotheses(v)).toBeNull();
      }),
    );
  });

  it('localRowsAtMostD gives n_k <= d with full row rank on every node (the Cimmino setting)', () => {
    fc.assert(
      fc.property(underparameterisedRegression({ localRowsAtMostD: true, system: 'inconsistent' }), (v) => {
        expect(v.meta.localFullRowRank).toBe(true);
        expect(v.meta.system).toBe('inconsistent');
        expect(v.meta.K).toBeGreaterThanOrEqual(2);
        expect(hypotheses(v)).toBeNull();
      }),
    );
  });

  it('is certified by minNormSolution: inconsistent systems are refused, every local system is solved exactly', () => {
    fc.assert(
      fc.property(underparameterisedRegression({ localRowsAtMostD: true, maxNodes: 3 }), (v) => {
        const { X, y } = pooled(v.dataset);
        if (v.meta.system === 'inconsistent') expect(() => minNormSolution(X, y)).toThrow(/inconsistent/);
        for (const nd of v.dataset.nodes) expect(minNormSolution(nd.X, nd.y).certificate.rank).toBe(nd.X.rows);
      }),
      { numRuns: 20 },
    );
  });

  it('the checker has teeth: a broken witness and a duplicated column are reported', () => {
    const [v] = fc.sample(underparameterisedRegression({ system: 'inconsistent', minNodes: 2 }), { seed: 5, numRuns: 1 });
    const w = v.meta.witness!;
    const b = v.dataset.nodes[w.b.node];
    const y = Float64Array.from(b.y);
    y[w.b.row] -= w.gap; // now consistent on the pair
    const nodes = v.dataset.nodes.map((nd, k) => (k === w.b.node ? { ...nd, y } : nd));
    expect(hypotheses({ ...v, dataset: { ...v.dataset, nodes } })).toMatch(/rank d|consistent/);
    const d = v.dataset.d;
    const widen = v.dataset.nodes.map((nd) => {
      const data = new Float64Array(nd.X.rows * (d + 1));
      for (let i = 0; i < nd.X.rows; i++) {
        data.set(nd.X.data.subarray(i * d, (i + 1) * d), i * (d + 1));
        data[i * (d + 1) + d] = nd.X.data[i * d];
      }
      return { ...nd, X: { rows: nd.X.rows, cols: d + 1, data } };
    });
    const wide = { ...v, w0: new Float64Array(d + 1), dataset: { ...v.dataset, d: d + 1, nodes: widen } };
    expect(hypotheses(wide)).toMatch(/rank|does not exceed/);
  });

  it('shrinks toward few nodes, small d and homogeneous nodes through valid values only', () => {
    const { counterexample: c, invalid } = shrinkRun(underparameterisedRegression(), (v) => hypotheses(v), (v) => v.meta.N < 6);
    expect(invalid).toEqual([]);
    expect(c.meta.N).toBe(6);
    expect(c.meta.d).toBe(1);
    expect(c.meta.regimes).not.toContain('covariate-shift');
    expect(c.meta.regimes).not.toContain('given-weights');
    expect(c.meta.system).toBe('tall');
  });

  it('never exceeds maxRowsPerNode, with one node too (K = 1 takes n in [2, maxRowsPerNode])', () => {
    for (const [maxNodes, maxRowsPerNode] of [[1, 2], [1, 3], [1, 6], [3, 1], [3, 2], [4, 6]]) {
      fc.assert(
        fc.property(underparameterisedRegression({ maxNodes, maxRowsPerNode }), (v) => {
          expect(Math.max(...v.meta.sizes)).toBeLessThanOrEqual(maxRowsPerNode);
          expect(v.dataset.nodes.every((nd) => nd.X.rows <= maxRowsPerNode)).toBe(true);
          expect(hypotheses(v)).toBeNull();
        }),
        { numRuns: 60 },
      );
    }
  });

  it('rejects impossible constraints at once, naming the values', () => {
    expect(() => underparameterisedRegression({ maxNodes: 1, maxRowsPerNode: 1 })).toThrow(
      'underparameterisedRegression: one node needs constraints.maxRowsPerNode >= 2 (N > d >= 1 needs N >= 2 rows), got maxNodes 1 and maxRowsPerNode 1',
    );
    expect(() => underparameterisedRegression({ covariateShift: false, maxScaleExp: 2 })).toThrow(
      'underparameterisedRegression: constraints.maxScaleExp (2) needs covariateShift (node scales are covariate shift), got covariateShift false',
    );
    expect(() => underparameterisedRegression({ covariateShift: false, maxScaleExp: 0 })).not.toThrow();
    expect(() => underparameterisedRegression({ localRowsAtMostD: true, minNodes: 1 })).toThrow(
      'underparameterisedRegression: localRowsAtMostD needs constraints.minNodes >= 2 (n_k <= d < N is impossible with one node), got 1',
    );
    expect(() => underparameterisedRegression({ localRowsAtMostD: true, maxRowsPerNode: 9, maxDim: 4 })).toThrow(
      'underparameterisedRegression: localRowsAtMostD needs constraints.maxRowsPerNode (9) <= constraints.maxDim (4)',
    );
    expect(() => underparameterisedRegression({ system: 'square' as never })).toThrow("constraints.system must be one of 'tall', 'inconsistent', 'any'");
  });
});
