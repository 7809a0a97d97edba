import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EPS, add, allFinite, axpy, dist2, dot, dotRange, epsTol, gemv, gemvT, gram, gramT, matmul, norm2, normInf, scale, sub,
  transpose, within,
} from '../../src/numeric/index.ts';
import type { Mat } from '../../src/numeric/index.ts';
import * as X from './_exact.ts';

const dim = (max: number) => fc.integer({ min: 0, max });
// cols up to 13 covers every remainder of the 4-way unrolled loops (0..3) several times.
const matAndVec = X.dyadicMat(dim(7), dim(13)).chain((A) => fc.tuple(fc.constant(A), X.vecOf(A.cols), X.vecOf(A.rows)));
/**
 * Real data in [-1, 1]: 31-bit significands at magnitudes 2^-20..1, so products round (results are compared with exact
 * references under a tolerance) but nothing comes near underflow, where the relative bounds below would not hold.
 */
const realEntry = fc
  .tuple(fc.integer({ min: -(2 ** 30), max: 2 ** 30 }), fc.integer({ min: -20, max: 0 }))
  .map(([m, e]) => m * 2 ** (e - 30));

function rowOf(A: Mat, i: number): Float64Array {
  return A.data.slice(i * A.cols, (i + 1) * A.cols);
}
function colOf(A: Mat, j: number): Float64Array {
  return Float64Array.from({ length: A.rows }, (_, i) => A.data[i * A.cols + j]);
}
function frozenCopy(...xs: Float64Array[]): Float64Array[] {
  return xs.map((x) => x.slice());
}

describe('dot, dotRange', () => {
  it('equal the exact sum on small-integer dyadic data (exact in f64), at any offset', () => {
    fc.assert(
      fc.property(dim(20).chain((n) => fc.tuple(X.vecOf(n), X.vecOf(n), fc.nat(n))), ([x, y, o]) => {
        expect(dot(x, y)).toBe(X.toNumber(X.dot(x, y)));
        const m = x.length - o;
        expect(dotRange(x, o, y, o, m)).toBe(X.toNumber(X.dot(x.subarray(o), y.subarray(o))));
      }),
    );
  });

  it('on real data, stay within the gamma_n bound of the exact value', () => {
    fc.assert(
      fc.property(dim(40).chain((n) => fc.tuple(X.vecOf(n, realEntry), X.vecOf(n, realEntry))), ([x, y]) => {
        const exact = X.toNumber(X.dot(x, y));
        // why: |fl(x.y) - x.y| <= gamma_n |x|.|y| (Higham Thm 3.5); gamma_n < n*EPS for n*EPS < 1
        const tol = epsTol(Math.max(1, x.length), X.toNumber(X.absDot(x, y)), 'gamma_n bound of a length-n dot');
        expect(within(dot(x, y), exact, tol)).toBe(true);
      }),
    );
  });

  it('dot rejects vectors of different lengths, naming both', () => {
    expect(() => dot(new Float64Array(3), new Float64Array(4))).toThrow('dot: length mismatch 3 vs 4');
  });
});

describe('gemv, gemvT', () => {
  it('gemv: entry i is the exact dot of row i with x; writes into out; inputs untouched', () => {
    fc.assert(
      fc.property(matAndVec, ([A, x]) => {
        const [A0, x0] = frozenCopy(A.data, x);
        const out = new Float64Array(A.rows).fill(NaN);
        expect(gemv(A, x, out)).toBe(out);
        for (let i = 0; i < A.rows; i++) expect(out[i]).toBe(X.toNumber(X.dot(rowOf(A, i), x)));
        expect([A.data, x]).toEqual([A0, x0]);
      }),
    );
  });

  it('gemvT: entry j is the exact dot of column j with y; equals gemv of the transpose; accumulate adds to out', () => {
    fc.assert(
      fc.property(matAndVec, X.vecOf(13), ([A, , y], base) => {
        const out = gemvT(A, y, new Float64Array(A.cols).fill(NaN));
        for (let j = 0; j < A.cols; j++) expect(out[j]).toBe(X.toNumber(X.dot(colOf(A, j), y)));
        expect(out).toEqual(gemv(transpose(A), y));
        const acc = base.slice(0, A.cols);
        gemvT(A, y, acc, true);
        for (let j = 0; j < A.cols; j++) expect(acc[j]).toBe(base[j] + out[j]);
      }),
    );
  });

  it('on real data, gemv and gemvT agree with the exact products within gamma_n |A||x|', () => {
    const realCase = fc
      .tuple(dim(6), dim(30))
      .chain(([r, c]) => fc.tuple(X.dyadicMat(fc.constant(r), fc.constant(c), realEntry), X.vecOf(c, realEntry), X.vecOf(r, realEntry)));
    fc.assert(
      fc.property(realCase, ([A, x, y]) => {
        const Ax = gemv(A, x);
        for (let i = 0; i < A.rows; i++) {
          // why: each entry is a length-cols dot product, so gamma_cols |a_i|.|x| bounds it (Higham Thm 3.5)
          const tol = epsTol(Math.max(1, A.cols), X.toNumber(X.absDot(rowOf(A, i), x)), 'gamma_n bound of a row dot');
          expect(within(Ax[i], X.toNumber(X.dot(rowOf(A, i), x)), tol)).toBe(true);
        }
        for (let i = 0; i < A.rows; i++) expect(Ax[i]).toBe(dot(rowOf(A, i), x)); // documented: same summation order as dot
        const ATy = gemvT(A, y);
        for (let j = 0; j < A.cols; j++) {
          const tol = epsTol(Math.max(1, A.rows), X.toNumber(X.absDot(colOf(A, j), y)), 'gamma_n bound of a column dot');
          expect(within(ATy[j], X.toNumber(X.dot(colOf(A, j), y)), tol)).toBe(true);
        }
      }),
    );
  });
});

describe('gram, gramT, matmul', () => {
  const mats = X.dyadicMat(dim(6), dim(9));

  it('matmul equals the exact reference triple loop; gram = A A^T and gramT = A^T A, exactly and symmetric', () => {
    fc.assert(
      fc.property(mats.chain((A) => fc.tuple(fc.constant(A), X.dyadicMat(fc.constant(A.cols), dim(5)))), ([A, B]) => {
        const C = matmul(A, B);
        expect([C.rows, C.cols]).toEqual([A.rows, B.cols]);
        expect(Array.from(C.data)).toEqual(X.matmulExact(A, B).flat());
        const G = gram(A);
        expect(Array.from(G.data)).toEqual(X.matmulExact(A, transpose(A)).flat());
        expect(G).toEqual(matmul(A, transpose(A)));
        expect(G).toEqual(transpose(G));
        const H = gramT(A);
        expect(Array.from(H.data)).toEqual(X.matmulExact(transpose(A), A).flat());
        expect(H).toEqual(transpose(H));
      }),
    );
  });

  it('on real data, gram is bit-symmetric and within gamma_n |A||A|^T of the exact product', () => {
    fc.assert(
      fc.property(X.dyadicMat(dim(6), dim(20), realEntry), (A) => {
        const G = gram(A);
        expect(G).toEqual(transpose(G));
        const exact = X.matmulExact(A, transpose(A));
        for (let i = 0; i < A.rows; i++) {
          for (let j = 0; j < A.rows; j++) {
            // why: each entry is one length-cols dot product (Higham Thm 3.5)
            const tol = epsTol(Math.max(1, A.cols), X.toNumber(X.absDot(rowOf(A, i), rowOf(A, j))), 'gamma_n of a row-row dot');
            expect(within(G.data[i * A.rows + j], exact[i][j], tol)).toBe(true);
          }
        }
      }),
    );
  });

  it('matmul rejects inner dimensions that differ, naming both shapes', () => {
    const A: Mat = { rows: 2, cols: 3, data: new Float64Array(6) };
    expect(() => matmul(A, A)).toThrow('matmul: inner dimensions differ (2x3 times 2x3)');
  });
});

describe('elementwise kernels', () => {
  const pair = dim(9).chain((n) => fc.tuple(X.vecOf(n), X.vecOf(n), X.dyadicEntry));

  it('axpy updates y in place by a x; scale, sub, add are exact on dyadic data and leave inputs alone', () => {
    fc.assert(
      fc.property(pair, ([x, y, a]) => {
        const [x0, y0] = frozenCopy(x, y);
        expect(Array.from(scale(a, x))).toEqual(Array.from(x, (v) => a * v));
        expect(Array.from(sub(x, y))).toEqual(Array.from(x, (v, i) => X.toNumber(X.sub(X.toExact(v), X.toExact(y[i])))));
        expect(Array.from(add(x, y))).toEqual(Array.from(x, (v, i) => X.toNumber(X.add(X.toExact(v), X.toExact(y[i])))));
        expect([x, y]).toEqual([x0, y0]);
        const yy = y.slice();
        expect(axpy(a, x, yy)).toBe(yy);
        expect(Array.from(yy)).toEqual(Array.from(y, (v, i) => X.toNumber(X.add(X.toExact(v), X.mul(X.toExact(a), X.toExact(x[i]))))));
      }),
    );
  });

  it('normInf is the largest |x_i|, NaN when any entry is NaN; allFinite spots NaN and +-Infinity', () => {
    fc.assert(
      fc.property(dim(9).chain((n) => X.vecOf(n)), (x) => {
        expect(normInf(x)).toBe(x.reduce((m, v) => Math.max(m, Math.abs(v)), 0));
        expect(allFinite(x)).toBe(true);
      }),
    );
    expect(normInf(Float64Array.of(1, NaN, 2))).toBeNaN();
    expect(normInf(Float64Array.of(NaN, 5))).toBeNaN();
    for (const bad of [NaN, Infinity, -Infinity]) expect(allFinite([1, bad, 2])).toBe(false);
  });
});

describe('norm2, dist2', () => {
  /** Reference norm: scale by an exact power of two, sum the squares exactly, one correctly rounded sqrt at the end. */
  function refNorm(x: Float64Array): number {
    const big = x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    if (big === 0) return 0;
    const p = 2 ** -Math.floor(Math.log2(big));
    const ss = X.toNumber(X.dot(x.map((v) => v * p), x.map((v) => v * p)));
    return Math.sqrt(ss) / p;
  }

  it('has no overflow with 1e200 entries and no underflow with 1e-200 entries', () => {
    for (const mag of [1e200, 1e-200, 1e300, 1e-300, 1]) {
      for (const n of [1, 2, 5, 17]) {
        const x = Float64Array.from({ length: n }, (_, i) => mag * (i % 2 ? -1 : 1) * (1 + i / 8));
        const got = norm2(x);
        expect(Number.isFinite(got) && got > 0).toBe(true);
        // why: scaled sum of n squares and one sqrt: relative error below (n + 2) eps of the exact norm
        expect(within(got, refNorm(x), epsTol(n + 2, refNorm(x), 'scaled sum of squares + sqrt'))).toBe(true);
      }
    }
  });

  it('matches the exact norm on wide-range data; Pythagorean triples are exact; the empty vector has norm 0', () => {
    fc.assert(
      fc.property(dim(30).chain((n) => X.vecOf(n, X.wideEntry)), (x) => {
        const ref = refNorm(x);
        expect(within(norm2(x), ref, epsTol(x.length + 2, ref, 'scaled sum of squares + sqrt'))).toBe(true);
      }),
    );
    for (const [a, b, c] of [[3, 4, 5], [5, 12, 13], [8, 15, 17]]) expect(norm2(Float64Array.of(a * 2 ** 600, b * 2 ** 600))).toBe(c * 2 ** 600);
    expect(norm2(new Float64Array(0))).toBe(0);
    expect(norm2(new Float64Array(4))).toBe(0);
  });

  it('dist2(x, y) = ||x - y|| within tolerance, 0 for equal vectors', () => {
    fc.assert(
      fc.property(dim(30).chain((n) => fc.tuple(X.vecOf(n, realEntry), X.vecOf(n, realEntry))), ([x, y]) => {
        const diff = Float64Array.from(x, (v, i) => X.toNumber(X.sub(X.toExact(v), X.toExact(y[i]))));
        const ref = refNorm(diff);
        // why: one rounding per difference, a compensated sum of squares and a sqrt: a few eps relative
        expect(within(dist2(x, y), ref, epsTol(4, ref, 'rounded differences + compensated squares + sqrt'))).toBe(true);
        expect(dist2(x, x)).toBe(0);
      }),
    );
  });
});

describe('dist2 and eigSym guards', () => {
  it('dist2 scales like norm2: no overflow at 1e200, no underflow at 1e-200, NaN propagates', async () => {
    const { dist2 } = await import('../../src/numeric/kernels.ts');
    // 4 eps relative: the scaled form rounds a ratio, its square, a sum, a sqrt and a product (5 roundings of eps/2)
    const tol = 4 * EPS;
    expect(Math.abs(dist2(Float64Array.of(3e200, 0), Float64Array.of(0, -4e200)) / 5e200 - 1)).toBeLessThanOrEqual(tol);
    expect(Math.abs(dist2(Float64Array.of(3e-200, 0), Float64Array.of(0, 4e-200)) / 5e-200 - 1)).toBeLessThanOrEqual(tol);
    expect(Number.isNaN(dist2(Float64Array.of(NaN, 0), Float64Array.of(0, 0)))).toBe(true);
    expect(() => dist2(Float64Array.of(1), Float64Array.of(1, 2))).toThrow(/dist2: length mismatch 1 vs 2/);
  });
  it('eigSym rejects a non-symmetric matrix with the offending entries', async () => {
    const { eigSym } = await import('../../src/numeric/linalg.ts');
    const { matFromRows } = await import('../../src/numeric/types.ts');
    expect(() => eigSym(matFromRows([[1, 2], [3, 4]]))).toThrow(/eigSym: matrix is not symmetric: \(0, 1\) = 2 but \(1, 0\) = 3/);
  });
});
