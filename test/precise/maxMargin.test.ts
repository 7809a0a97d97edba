/**
 * maxMarginSolution: analytic answers (one point, two points, symmetric sets), the KKT conditions re-checked
 * independently in 90 digits on random separable data, the planted-direction lower bound on gamma*, the exact
 * non-separability witness, and the error paths.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotSeparableError, maxMarginSolution } from '../../src/precise/index.ts';
import { matFromRows } from '../../src/numeric/index.ts';
import type { Mat, Vec } from '../../src/numeric/index.ts';
import { T, dotD, exactD, normD, rowD, solveD, strs, entryArb } from './_helpers.ts';

function labelsOf(v: number[]): Vec {
  return Float64Array.from(v);
}

/** Independent KKT check of a max-margin answer (90 digits): alpha > 0, margins >= 1 - tol, equality on the support, w = sum alpha z. */
function checkKkt(X: Mat, y: Vec, r: ReturnType<typeof maxMarginSolution>): void {
  const w = strs(r.wDecimal);
  const tol = new T('1e-45');
  const z = (i: number) => rowD(X, i).map((v) => v.times(y[i]));
  for (let i = 0; i < X.rows; i++) expect(dotD(z(i), w).gte(new T(1).minus(tol))).toBe(true);
  const alpha = strs(r.alphaDecimal);
  alpha.forEach((a) => expect(a.gt(0)).toBe(true));
  r.support.forEach((i) => expect(dotD(z(i), w).minus(1).abs().lte(tol)).toBe(true));
  const sum = w.map((_, j) => r.support.reduce((s, i, k) => s.plus(alpha[k].times(z(i)[j])), new T(0)));
  expect(normD(sum.map((v, j) => v.minus(w[j]))).lte(tol.times(normD(w).plus(1)))).toBe(true);
  expect(new T(r.gammaDecimal).times(normD(w)).minus(1).abs().lte('1e-49')).toBe(true);
}

describe('maxMarginSolution: analytic answers', () => {
  it('one point: w = x / ||x||^2, gamma = ||x||', () => {
    const r = maxMarginSolution(matFromRows([[3, 4]]), labelsOf([1]));
    expect(r.wDecimal).toEqual(['0.12', '0.16']);
    expect(r.gammaDecimal).toBe('5');
    expect(r.support).toEqual([0]);
    expect(r.alphaDecimal).toEqual(['0.04']);
  });

  it('two points, both support vectors: z1 = (1, 1), z2 = (1, -1) give w = (1, 0), alpha = (1/2, 1/2)', () => {
    const r = maxMarginSolution(matFromRows([[1, 1], [-1, 1]]), labelsOf([1, -1]));
    expect(r.wDecimal).toEqual(['1', '0']);
    expect(r.gammaDecimal).toBe('1');
    expect(r.support).toEqual([0, 1]);
    expect(r.alphaDecimal).toEqual(['0.5', '0.5']);
  });

  it('two points, one support vector: z2 = (2, 1) has margin 2 at w = z1 / ||z1||^2', () => {
    const r = maxMarginSolution(matFromRows([[1, 0], [2, 1]]), labelsOf([1, 1]));
    expect(r.wDecimal).toEqual(['1', '0']);
    expect(r.support).toEqual([0]);
    expect(r.certificate.minMargin).toBe('1');
  });

  it('symmetric set (+-2, +-1) with mirrored labels: w = (1/2, 0), gamma = 2, dependent support reduced', () => {
    const X = matFromRows([[2, 1], [2, -1], [-2, 1], [-2, -1]]);
    const r = maxMarginSolution(X, labelsOf([1, 1, -1, -1]));
    expect(r.wDecimal).toEqual(['0.5', '0']);
    expect(r.gammaDecimal).toBe('2');
    expect(r.support.length).toBe(2); // the four signed rows are two distinct vectors
    checkKkt(X, labelsOf([1, 1, -1, -1]), r);
  });

  it('two general points with both active: w = Z^T (Z Z^T)^{-1} 1 (closed form in 90 digits)', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { minLength: 6, maxLength: 6 }), (a) => {
        const X = matFromRows([a.slice(0, 3), a.slice(3)]);
        const z = [rowD(X, 0), rowD(X, 1)];
        const G = z.map((u) => z.map((v) => dotD(u, v)));
        const det = G[0][0].times(G[1][1]).minus(G[0][1].times(G[1][0]));
        fc.pre(det.gt(new T('1e-3').times(G[0][0].times(G[1][1]))));
        const alpha = solveD(G, [new T(1), new T(1)]);
        fc.pre(alpha[0].gt('1e-6') && alpha[1].gt('1e-6')); // both points are support vectors
        const w = [0, 1, 2].map((j) => alpha[0].times(z[0][j]).plus(alpha[1].times(z[1][j])));
        const r = maxMarginSolution(X, labelsOf([1, 1]));
        const err = normD(strs(r.wDecimal).map((v, j) => v.minus(w[j])));
        expect(err.lte(new T('1e-48').times(normD(w)))).toBe(true);
        expect(r.support).toEqual([0, 1]);
      }),
    );
  });
});

describe('maxMarginSolution: random separable data', () => {
  const inst = fc.record({ n: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 4 }) }).chain(({ n, d }) =>
    fc.record({
      wt: fc.array(entryArb.filter((v) => v !== 0), { minLength: d, maxLength: d }),
      pts: fc.array(fc.array(entryArb, { minLength: d, maxLength: d }), { minLength: n, maxLength: n }),
    }),
  );

  it('KKT holds in 90 digits, and gamma* is at least the margin of the planted direction', () => {
    fc.assert(
      fc.property(inst, ({ wt, pts }) => {
        const dot = (x: number[]) => x.reduce((s, v, j) => s + v * wt[j], 0);
        const kept = pts.filter((x) => dot(x) !== 0); // exact in f64: entries are k/64 with |k| <= 256, d <= 4
        fc.pre(kept.length > 0);
        const X = matFromRows(kept);
        const y = labelsOf(kept.map((x) => Math.sign(dot(x))));
        const r = maxMarginSolution(X, y);
        checkKkt(X, y, r);
        const wtD = wt.map((v) => new T(v));
        let minMargin = new T(Infinity);
        for (let i = 0; i < X.rows; i++) minMargin = T.min(minMargin, dotD(rowD(X, i), wtD).times(y[i])) as typeof minMargin;
        expect(new T(r.gammaDecimal).gte(minMargin.div(normD(wtD)).minus('1e-48'))).toBe(true);
        expect(r.certificate.digitsAchieved).toBe(50);
      }),
    );
  });
});

describe('maxMarginSolution: non-separable data and bad input', () => {
  function expectWitness(X: Mat, y: Vec): NotSeparableError {
    let err: unknown;
    try {
      maxMarginSolution(X, y);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NotSeparableError);
    const w = (err as NotSeparableError).witness;
    // the witness is exact: sum num_i y_i x_i = 0 in integers scaled by 2^k, num_i >= 0, sum num_i = den
    const sum = new Array(X.cols).fill(new T(0));
    w.indices.forEach((i, k) => {
      const u = new T(w.numerators[k]).div(w.denominator);
      expect(u.gt(0)).toBe(true);
      rowD(X, i).forEach((v, j) => (sum[j] = sum[j].plus(v.times(y[i]).times(u))));
    });
    sum.forEach((s) => expect(s.isZero()).toBe(true));
    expect(w.numerators.reduce((s, n) => s + BigInt(n), 0n)).toBe(BigInt(w.denominator));
    return err as NotSeparableError;
  }

  it('the same point with both labels: witness weights (1/2, 1/2)', () => {
    const e = expectWitness(matFromRows([[1, 0.5], [1, 0.5]]), labelsOf([1, -1]));
    expect(e.witness.weights).toEqual(['0.5', '0.5']);
    expect(e.message).toMatch(/^maxMarginSolution: the data are not separable through the origin/);
  });

  it('origin inside the convex hull of three signed points', () => {
    const e = expectWitness(matFromRows([[1, 0], [-1, 1], [-1, -1]]), labelsOf([1, 1, 1]));
    expect(e.witness.indices).toEqual([0, 1, 2]);
    expect(e.witness.weights).toEqual(['0.5', '0.25', '0.25']);
  });

  it('a zero example can never have margin 1', () => {
    const e = expectWitness(matFromRows([[1, 2], [0, 0], [3, 1]]), labelsOf([1, -1, 1]));
    expect(e.witness.indices).toEqual([1]);
  });

  it.each([
    [() => maxMarginSolution(matFromRows([[1, 2]]), labelsOf([0.5])), 'maxMarginSolution: labels[0] is 0.5; labels must be -1 or +1'],
    [() => maxMarginSolution(matFromRows([[1, 2]]), labelsOf([1, 1])), 'maxMarginSolution: X has 1 rows but labels has 2 entries'],
    [() => maxMarginSolution({ rows: 0, cols: 2, data: new Float64Array(0) }, labelsOf([])), 'maxMarginSolution: needs at least one example (X has 0 rows)'],
    [() => maxMarginSolution(matFromRows([[1, NaN]]), labelsOf([1])), 'maxMarginSolution: X[0][1] is NaN; entries must be finite'],
  ])('%#: bad input throws a one-line message', (f, msg) => {
    expect(f).toThrow(msg);
  });

  it('does not mutate its inputs', () => {
    const X = matFromRows([[1, 1], [-1, 1]]);
    const y = labelsOf([1, -1]);
    const copies = [X.data.slice(), y.slice()];
    maxMarginSolution(X, y);
    expect([X.data, y]).toEqual(copies);
    void exactD;
  });
});
