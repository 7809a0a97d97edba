/**
 * maxMarginProjection (docs/theory.md#15-modified-local-gd): closed forms (feasible point, one violated constraint), P(0) = the
 * hard-margin SVM, the projection inequalities checked independently in 90 digits, recovery of the exact
 * correction loop from wrong active sets, infeasibility and bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotSeparableError, maxMarginProjection, maxMarginSolution } from '../../src/precise/index.ts';
import { certifiedLdp } from '../../src/precise/ldp.ts';
import { roundVector } from '../../src/precise/output.ts';
import { matFromRows } from '../../src/numeric/index.ts';
import type { Mat, Vec } from '../../src/numeric/index.ts';
import { T, dotD, entryArb, exactD, normD, rowD, strs } from './_helpers.ts';

const tol = new T('1e-45');

/** Signed rows of points separable by a planted direction, on a k/64 grid. */
const separableZ = fc.record({ n: fc.integer({ min: 1, max: 10 }), d: fc.integer({ min: 1, max: 4 }) }).chain(({ n, d }) =>
  fc.record({
    wt: fc.array(entryArb.filter((v) => v !== 0), { minLength: d, maxLength: d }),
    pts: fc.array(fc.array(entryArb, { minLength: d, maxLength: d }), { minLength: n, maxLength: n }),
    w: fc.array(entryArb, { minLength: d, maxLength: d }),
  }).map(({ wt, pts, w }) => {
    const rows = pts.map((x) => {
      const m = x.reduce((s, v, j) => s + v * wt[j], 0);
      return m === 0 ? wt : x.map((v) => v * Math.sign(m));
    });
    return { Z: matFromRows(rows), w: Float64Array.from(w), wt: Float64Array.from(wt) };
  }),
);

describe('maxMarginProjection: closed forms', () => {
  it('a feasible point is its own projection (empty active set)', () => {
    const Z = matFromRows([[1, 0], [0, 2]]);
    const r = maxMarginProjection(Z, Float64Array.from([1.5, 0.75]));
    expect(r.uDecimal).toEqual(['1.5', '0.75']);
    expect(r.active).toEqual([]);
    expect(Array.from(r.lambda)).toEqual([0, 0]);
  });

  it('one violated constraint: u = w + (1 - z^T w) z / ||z||^2', () => {
    const z = [1, 2, 2];
    const w = [0.5, -0.25, 0];
    const r = maxMarginProjection(matFromRows([z]), Float64Array.from(w));
    const t = new T(1).div(9); // (1 - z^T w) / ||z||^2 with z^T w = 0.5 - 0.5 + 0 = 0 and ||z||^2 = 9
    const ref = w.map((v, j) => new T(v).plus(t.times(z[j])));
    expect(r.uDecimal).toEqual(ref.map((v) => v.toSignificantDigits(50).toString()));
    expect(r.active).toEqual([0]);
    expect(r.lambdaDecimal).toEqual([t.toSignificantDigits(50).toString()]);
  });

  it('P(0) is the hard-margin SVM', () => {
    const X = matFromRows([[1, 0.5], [2, -1], [0.5, 2], [-1, -1]]);
    const y = Float64Array.from([1, -1, 1, -1]);
    const Z = matFromRows([[1, 0.5], [-2, 1], [0.5, 2], [1, 1]]);
    expect(maxMarginProjection(Z, new Float64Array(2)).uDecimal).toEqual(maxMarginSolution(X, y).wDecimal);
  });
});

describe('maxMarginProjection: projection properties (90-digit checks)', () => {
  it('feasible, KKT, and no feasible point is closer: ||u - w|| <= ||v - w|| for v = s * wt feasible', () => {
    fc.assert(
      fc.property(separableZ, ({ Z, w, wt }) => {
        const r = maxMarginProjection(Z, w);
        const u = strs(r.uDecimal);
        for (let i = 0; i < Z.rows; i++) expect(dotD(rowD(Z, i), u).gte(new T(1).minus(tol))).toBe(true);
        const lam = strs(r.lambdaDecimal);
        lam.forEach((l) => expect(l.gt(0)).toBe(true));
        const wD = Array.from(w, exactD);
        // stationarity u = w + Z_A^T lambda
        const s = u.map((v, j) => r.active.reduce((acc, i, k) => acc.minus(lam[k].times(exactD(Z.data[i * Z.cols + j]))), v.minus(wD[j])));
        expect(normD(s).lte(tol.times(normD(u).plus(1)))).toBe(true);
        // a feasible comparison point: a large enough multiple of the planted direction
        const wtD = Array.from(wt, exactD);
        let minM = new T(Infinity);
        for (let i = 0; i < Z.rows; i++) minM = T.min(minM, dotD(rowD(Z, i), wtD)) as typeof minM;
        const v = wtD.map((x) => x.div(minM));
        const du = normD(u.map((x, j) => x.minus(wD[j])));
        expect(du.lte(normD(v.map((x, j) => x.minus(wD[j]))).plus(tol))).toBe(true);
        // projections are idempotent: P(u) = u (u rounded to f64 is feasible up to rounding, so P moves it by ~1e-16)
        const again = maxMarginProjection(Z, r.u);
        expect(normD(strs(again.uDecimal).map((x, j) => x.minus(u[j]))).lte(new T('1e-13').times(normD(u).plus(1)))).toBe(true);
      }),
    );
  });

  it('the exact correction loop reaches the same answer from wrong active sets (empty, all rows, a random half)', () => {
    fc.assert(
      fc.property(separableZ, fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }), ({ Z, w }, pick) => {
        const ref = certifiedLdp(Z, w, 30, 'test');
        const all = Array.from({ length: Z.rows }, (_, i) => i);
        for (const prop of [[], all, all.filter((i) => pick[i])]) {
          const o = certifiedLdp(Z, w, 30, 'test', prop);
          expect(roundVector(o.sol.W, o.sol.F, 25).strs).toEqual(roundVector(ref.sol.W, ref.sol.F, 25).strs);
        }
      }),
      { numRuns: 10 }, // three exact solves per run; 10 runs keep this under a second
    );
  });
});

describe('maxMarginProjection: errors', () => {
  it('an empty polyhedron raises NotSeparableError whatever w is', () => {
    const Z: Mat = matFromRows([[1, 1], [-1, -1]]);
    expect(() => maxMarginProjection(Z, Float64Array.from([3, 3]))).toThrow(NotSeparableError);
  });

  it.each([
    [() => maxMarginProjection(matFromRows([[1, 2]]), Float64Array.from([1])), 'maxMarginProjection: w has 1 entries but the number of columns of Z is 2'],
    [() => maxMarginProjection(matFromRows([[1, Infinity]]), Float64Array.from([1, 1])), 'maxMarginProjection: Z[0][1] is Infinity; entries must be finite'],
    [() => maxMarginProjection(matFromRows([[1, 2]]), Float64Array.from([1, NaN])), 'maxMarginProjection: w[1] is NaN; entries must be finite'],
  ])('%#: bad input throws a one-line message', (f, msg) => {
    expect(f).toThrow(msg);
  });

  it('does not mutate its inputs', () => {
    const Z = matFromRows([[1, 2], [2, -1]]);
    const w: Vec = Float64Array.from([0.25, 0]);
    const copies = [Z.data.slice(), w.slice()];
    maxMarginProjection(Z, w);
    expect([Z.data, w]).toEqual(copies);
  });
});
