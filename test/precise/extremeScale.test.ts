/**
 * The certified solvers on finite doubles at the ends of the f64 range and on badly scaled data, each against an
 * answer known exactly (by hand, or from scale equivariance on dyadic data):
 *  - min-norm: invariant under row scaling of X w = y (y alike), equivariant under scaling of y (w scales alike);
 *    column scaling changes the answer and is used only when the solution set is one point (square, exact fallback);
 *  - max-margin: w(c Z) = w(Z) / c for c > 0 (the constraints c z_i^T (w / c) >= 1 are those of Z);
 *  - PL: mu = sigma_min(A)^2 / m beyond the f64 range is refused with its value.
 */
import { describe, expect, it } from 'vitest';
import { matFromRows } from '../../src/numeric/index.ts';
import { maxMarginSolution, minNormSolution, plOptimum } from '../../src/precise/index.ts';
import { T, exactD, relErr, residualD, rng, strs } from './_helpers.ts';

/** 50 digits requested: correctly rounded answers agree with the exact ones to 1e-49 relative (normwise). */
const REL = new T('1e-49');
const vec = (...v: number[]) => Float64Array.from(v);
const mat = (rows: number[][]) => matFromRows(rows);

describe('minNormSolution: extreme magnitudes', () => {
  // B = [[1, 0, 1], [0, 1, -1]]: B B^T = [[2, -1], [-1, 2]], so B^+ (1, 1) = B^T (1, 1) = (1, 1, 0)
  const B = [[1, 0, 1], [0, 1, -1]];
  const D = 1e308;

  it('entries 1e308: X = D B with y = D (1, 1) gives (1, 1, 0); with y = (1, 1) it gives (1, 1, 0) / D', () => {
    const X = mat(B.map((r) => r.map((v) => v * D)));
    const r = minNormSolution(X, vec(D, D));
    expect(r.wDecimal).toEqual(['1', '1', '0']);
    // the bound covers the rounding of the iterate to 50 digits times ||X||_F ~ 2.4e308: relative to ||y||, 1e-50
    expect(new T(r.certificate.residualNorm).lte(exactD(D).times('1e-50'))).toBe(true);
    const s = minNormSolution(X, vec(1, 1));
    const inv = new T(1).div(exactD(D));
    expect(relErr(s.wDecimal, [inv, inv, new T(0)]).lte(REL)).toBe(true);
    expect(Number(s.certificate.residualNorm)).toBeLessThan(1e-45);
  });

  it('subnormals: diag(5e-324) with y = (5e-324, 1e-323) gives (1, 2), with y = (1, 1) gives 2^1074 twice', () => {
    const s = 5e-324;
    const X = mat([[s, 0], [0, s]]);
    expect(minNormSolution(X, vec(s, 2 * s)).wDecimal).toEqual(['1', '2']);
    const big = new T(2).pow(1074);
    expect(relErr(minNormSolution(X, vec(1, 1)).wDecimal, [big, big]).lte(REL)).toBe(true);
    // one subnormal row x = s (1, 2, 0): w = y x / ||x||^2 = 2s s (1, 2, 0) / (5 s^2)
    expect(minNormSolution(mat([[s, 2 * s, 0]]), vec(2 * s)).wDecimal).toEqual(['0.4', '0.8', '0']);
  });

  it('rows of size 1e200 and 1e-200 (rows scaled one by one): w = (1/3, 2/3, 1/3)', () => {
    const a = 1e200;
    const b = 1e-200;
    // a (w1 + w2) = a and b (w2 + w3) = b: the rows of [[1, 1, 0], [0, 1, 1]], whose Gram inverse is [[2, -1], [-1, 2]] / 3
    const r = minNormSolution(mat([[a, a, 0], [0, b, b]]), vec(a, b));
    const third = new T(1).div(3);
    expect(relErr(r.wDecimal, [third, third.times(2), third]).lte(REL)).toBe(true);
  });

  it('columns of size 1e200 and 1e-200 in the same rows (square: solved in rationals): w = (3 / (2a), -1 / (2b))', () => {
    const a = 1e200;
    const b = 1e-200;
    const X = mat([[a, b], [a, -b]]);
    const r = minNormSolution(X, vec(1, 2));
    const want = [new T(3).div(exactD(a).times(2)), new T(-1).div(exactD(b).times(2))];
    // componentwise: the rational path resolves the 1e-200 entry too, not only the norm
    want.forEach((w, j) => expect(new T(r.wDecimal[j]).minus(w).abs().lte(w.abs().times(REL))).toBe(true));
    expect(residualD(X, strs(r.wDecimal), vec(1, 2)).lte(new T(r.certificate.residualNorm))).toBe(true);
  });

  it('scaling X and y by 2^k changes nothing; scaling y alone by 2^k scales w by 2^k (k from -1060 to 1000)', () => {
    const r0 = rng(11);
    const rows = Array.from({ length: 3 }, () => Array.from({ length: 5 }, () => Math.round((2 * r0() - 1) * 256) / 64));
    const y = Array.from({ length: 3 }, () => Math.round((2 * r0() - 1) * 256) / 64);
    const ref = minNormSolution(mat(rows), vec(...y)).wDecimal;
    for (const k of [-1060, -600, 600, 1000]) {
      const c = 2 ** k;
      const Xk = mat(rows.map((r) => r.map((v) => v * c)));
      expect(minNormSolution(Xk, vec(...y.map((v) => v * c))).wDecimal).toEqual(ref);
      const yk = k > 0 ? 2 ** Math.min(k, 1000) : 2 ** Math.max(k, -1000);
      const s = minNormSolution(mat(rows), vec(...y.map((v) => v * yk)));
      expect(relErr(s.wDecimal, strs(ref).map((v) => v.times(new T(2).pow(Math.log2(yk))))).lte(REL)).toBe(true);
    }
  });
});

describe('maxMarginSolution: positive scaling of the whole data', () => {
  // rows (1, 2) and (2, 1) are the support: w = (1/3, 1/3), margin 1 on both; the others have margins > 1
  const base = [[1, 2], [2, 1], [3, 0.5], [-1, -3], [0.5, 4], [2, 2]];
  const labels = vec(1, 1, 1, -1, 1, 1);

  it.each([0, 1021, -1072])('Z 2^%i: w = (1/3, 1/3) 2^-k, support rows 0 and 1', (k) => {
    const c = 2 ** k;
    const r = maxMarginSolution(mat(base.map((row) => row.map((v) => v * c))), labels);
    const w = new T(1).div(3).div(new T(2).pow(k));
    expect(relErr(r.wDecimal, [w, w]).lte(REL)).toBe(true);
    expect(r.support).toEqual([0, 1]);
  });

  it('rows of size 1e200 and 1e-200: both active, w = (1/a, 1/b)', () => {
    const a = 1e200;
    const b = 1e-200;
    const r = maxMarginSolution(mat([[a, 0], [0, b]]), vec(1, 1));
    const want = [new T(1).div(exactD(a)), new T(1).div(exactD(b))];
    want.forEach((w, j) => expect(new T(r.wDecimal[j]).minus(w).abs().lte(w.abs().times(REL))).toBe(true));
    expect(r.support).toEqual([0, 1]);
  });
});

describe('plOptimum: beyond the f64 range, one line naming the value and the rule', () => {
  it.each([
    ['1e308', 1e308, /mu = sigma_min\(A\)\^2 \/ m = Infinity is not a positive finite double/],
    ['5e-324', 5e-324, /mu = sigma_min\(A\)\^2 \/ m = 0 is not a positive finite double/],
  ])('least squares with entries %s (consistent): mu is not a double', (_, s, msg) => {
    // consistent: A = s [[1, 0], [0, 1], [1, 1]], b = s (1, 0.5, 1.5), x* = (1, 0.5), but mu = s^2 sigma_min^2 / 3
    const f = () => plOptimum({ kind: 'least-squares', A: mat([[s, 0], [0, s], [s, s]]), b: vec(s, s / 2, s + s / 2) });
    expect(f).toThrow(msg);
    expect(f).toThrow(/^[^\n]*$/);
  });
});
