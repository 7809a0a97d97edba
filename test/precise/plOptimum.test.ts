/**
 * plOptimum: closed forms (1-d ridge, consistent least squares with F* = 0, duplicated columns, symmetric
 * logistic data with x* = 0), gradient certificates re-checked independently in 90 digits, error paths.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minNormSolution, plOptimum } from '../../src/precise/index.ts';
import { eigSym, matFromRows, svd } from '../../src/numeric/index.ts';
import type { Mat, Vec } from '../../src/numeric/index.ts';
import { T, dotD, exactD, matArb, normD, rowD, rng, randMat, randVec, strs, vecArb, type TD } from './_helpers.ts';

/** 90-digit gradient of the mean least-squares objective at x. */
function lsGrad(A: Mat, b: Vec, lambda: number, x: TD[]): TD[] {
  const m = A.rows;
  const g = x.map((v) => v.times(exactD(lambda)));
  for (let i = 0; i < m; i++) {
    const a = rowD(A, i);
    const r = dotD(a, x).minus(exactD(b[i]));
    a.forEach((v, j) => (g[j] = g[j].plus(v.times(r).div(m))));
  }
  return g;
}

/** 90-digit gradient of the mean logistic objective at x. */
function logGrad(X: Mat, y: Vec, lambda: number, x: TD[]): TD[] {
  const m = X.rows;
  const g = x.map((v) => v.times(exactD(lambda)));
  for (let i = 0; i < m; i++) {
    const z = rowD(X, i).map((v) => v.times(y[i]));
    const s = new T(1).div(dotD(z, x).exp().plus(1));
    z.forEach((v, j) => (g[j] = g[j].minus(v.times(s).div(m))));
  }
  return g;
}

describe('plOptimum: least squares', () => {
  it('one column: x* = (a^T b / m) / (||a||^2 / m + lambda) and F* in closed form', () => {
    const a = [1, 2, -0.5, 3];
    const b = [0.25, 1, 2, -1];
    const lambda = 0.375;
    const m = 4;
    const r = plOptimum({ kind: 'least-squares', A: matFromRows(a.map((v) => [v])), b: Float64Array.from(b), lambda });
    const ab = a.reduce((s, v, i) => s + v * b[i], 0);
    const aa = a.reduce((s, v) => s + v * v, 0);
    const x = new T(ab).div(m).div(new T(aa).div(m).plus(lambda));
    const F = b.reduce((s, bi, i) => s.plus(x.times(a[i]).minus(bi).pow(2)), new T(0)).div(2 * m).plus(x.pow(2).times(lambda).div(2));
    expect(r.xDecimal).toEqual([x.toSignificantDigits(50).toString()]);
    expect(r.FDecimal).toBe(F.toSignificantDigits(50).toString());
    expect(r.certificate.digits).toBe(50);
  });

  it('consistent (m < d): F* = 0 exactly and the minimiser is the min-norm solution', () => {
    const r0 = rng(21);
    const A = randMat(r0, 3, 7);
    const b = randVec(r0, 3);
    const r = plOptimum({ kind: 'least-squares', A, b });
    expect(r.FDecimal).toBe('0');
    expect(r.certificate.exactZero).toBe(true);
    expect(r.xDecimal).toEqual(minNormSolution(A, b).wDecimal);
  });

  it('a duplicated column: the min-norm minimiser splits the weight evenly and F* is unchanged', () => {
    const r0 = rng(4);
    const A = randMat(r0, 12, 3);
    const b = randVec(r0, 12);
    const A2 = matFromRows(Array.from({ length: 12 }, (_, i) => [A.data[i * 3], A.data[i * 3 + 1], A.data[i * 3 + 2], A.data[i * 3]]));
    const full = plOptimum({ kind: 'least-squares', A, b });
    const dup = plOptimum({ kind: 'least-squares', A: A2, b });
    expect(dup.certificate.rankDeficient).toBe(true);
    const x = strs(dup.xDecimal);
    const xf = strs(full.xDecimal);
    expect(x[0].minus(x[3]).abs().lte('1e-49')).toBe(true);
    expect(x[0].plus(x[3]).minus(xf[0]).abs().lte('1e-48')).toBe(true);
    expect(x[1].minus(xf[1]).abs().lte('1e-48')).toBe(true);
    expect(new T(dup.FDecimal).minus(full.FDecimal).abs().lte(new T('1e-48').times(full.FDecimal))).toBe(true);
  });

  it('gradient certificate: the 90-digit gradient at the returned x is below the reported bound and tiny', () => {
    const inst = fc.record({ m: fc.integer({ min: 1, max: 8 }), d: fc.integer({ min: 1, max: 4 }) }).chain(({ m, d }) =>
      fc.record({ A: matArb(m, d), b: vecArb(m), lambda: fc.constantFrom(0, 0.0625, 1) }),
    );
    fc.assert(
      fc.property(inst, ({ A, b, lambda }) => {
        const r = plOptimum({ kind: 'least-squares', A, b, lambda });
        const g = normD(lsGrad(A, b, lambda, strs(r.xDecimal)));
        expect(g.lte(r.certificate.gradNorm)).toBe(true);
        expect(g.lte(new T('1e-46').times(normD(strs(r.xDecimal)).plus(1)))).toBe(true);
      }),
    );
  });
});

describe('plOptimum: logistic', () => {
  it('symmetric data (each x with both labels): x* = 0 and F* = log 2', () => {
    const X = matFromRows([[1, 2], [1, 2], [-0.5, 3], [-0.5, 3]]);
    const r = plOptimum({ kind: 'logistic', X, y: Float64Array.from([1, -1, 1, -1]), lambda: 0.5 });
    expect(r.xDecimal).toEqual(['0', '0']);
    expect(r.FDecimal).toBe(new T(2).ln().toSignificantDigits(50).toString());
    expect(new T(r.certificate.gradNorm).lte('1e-60')).toBe(true); // only the evaluation-error term of the bound
  });

  it('gradient certificate on random data: 90-digit gradient below the bound; F matches a 90-digit evaluation', () => {
    const inst = fc.record({ m: fc.integer({ min: 1, max: 6 }), d: fc.integer({ min: 1, max: 3 }) }).chain(({ m, d }) =>
      fc.record({ X: matArb(m, d), y: fc.array(fc.constantFrom(-1, 1), { minLength: m, maxLength: m }), lambda: fc.constantFrom(0.125, 1) }),
    );
    fc.assert(
      fc.property(inst, ({ X, y, lambda }) => {
        const yv = Float64Array.from(y);
        const r = plOptimum({ kind: 'logistic', X, y: yv, lambda }, { digits: 30 });
        const x = strs(r.xDecimal);
        const g = normD(logGrad(X, yv, lambda, x));
        expect(g.lte(r.certificate.gradNorm)).toBe(true);
        expect(g.lte('1e-27')).toBe(true);
        let F = x.reduce((s, v) => s.plus(v.pow(2)), new T(0)).times(lambda).div(2);
        for (let i = 0; i < X.rows; i++) F = F.plus(dotD(rowD(X, i), x).times(-yv[i]).exp().plus(1).ln().div(X.rows));
        expect(F.minus(r.FDecimal).abs().lte(new T('1e-29').times(F))).toBe(true);
      }),
      { numRuns: 10 }, // Decimal exp/ln at 45 digits: about 50 ms a run
    );
  });
});

/** lambda_min of the f64 Hessian of the mean logistic loss at x (the certificate's mu may not exceed it). */
function hessianMin(X: Mat, y: Vec, x: Vec): number {
  const d = X.cols;
  const H = new Float64Array(d * d);
  for (let i = 0; i < X.rows; i++) {
    let t = 0;
    for (let j = 0; j < d; j++) t += y[i] * X.data[i * d + j] * x[j];
    const s = 1 / (1 + Math.exp(t));
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) H[a * d + b] += (s * (1 - s) * X.data[i * d + a] * X.data[i * d + b]) / X.rows;
  }
  return eigSym({ rows: d, cols: d, data: H }).values[0];
}

describe('plOptimum: plain logistic (lambda = 0), certified by local strong convexity', () => {
  it('symmetric data without a penalty: x* = 0, F* = log 2, and mu is at most lambda_min(H(0)) = lambda_min(X^T X / m) / 4', () => {
    const X = matFromRows([[1, 2], [1, 2], [-0.5, 3], [-0.5, 3]]);
    const y = Float64Array.from([1, -1, 1, -1]);
    const r = plOptimum({ kind: 'logistic', X, y, lambda: 0 });
    expect(r.xDecimal).toEqual(['0', '0']);
    expect(r.FDecimal).toBe(new T(2).ln().toSignificantDigits(50).toString());
    const h0 = hessianMin(X, y, new Float64Array(2));
    expect(r.certificate.mu).toBeGreaterThan(0);
    expect(r.certificate.mu).toBeLessThanOrEqual(h0);
    expect(r.certificate.mu).toBeGreaterThan(h0 / 4); // the exact Gram bound starts at half the f64 estimate
  });

  it('strictly non-separable random data (rows z_1..z_k and -(z_1 + ... + z_k): u = 1 > 0 with Z^T u = 0): certified minimiser', () => {
    // every row set {z_1..z_k, -(sum z)} has the all-ones Stiemke vector, so no w != 0 has Zw >= 0: the minimiser exists;
    // labels are folded into the rows (y_i = +1, or a row and its label flipped together), full column rank by fc.pre
    const inst = fc.record({ k: fc.integer({ min: 2, max: 5 }), d: fc.integer({ min: 1, max: 3 }) }).chain(({ k, d }) =>
      fc.record({ Z: matArb(k, d), flip: fc.array(fc.boolean(), { minLength: k + 1, maxLength: k + 1 }) }),
    );
    fc.assert(
      fc.property(inst, ({ Z, flip }) => {
        const d = Z.cols;
        const rowsZ: number[][] = [];
        for (let i = 0; i < Z.rows; i++) rowsZ.push(Array.from(Z.data.subarray(i * d, (i + 1) * d)));
        rowsZ.push(Array.from({ length: d }, (_, j) => -rowsZ.reduce((s, z) => s + z[j], 0))); // exact: 1/64 grid, small sums
        const gram = svd(matFromRows(rowsZ)).s;
        fc.pre(gram.length === d && gram[d - 1] > 1e-6 * gram[0]); // full column rank
        const X = matFromRows(rowsZ.map((z, i) => (flip[i] ? z.map((v) => -v) : z)));
        const y = Float64Array.from(flip, (f) => (f ? -1 : 1));
        const r = plOptimum({ kind: 'logistic', X, y, lambda: 0 }, { digits: 30 });
        const x = strs(r.xDecimal);
        const g = normD(logGrad(X, y, 0, x));
        expect(g.lte(r.certificate.gradNorm)).toBe(true);
        expect(g.lte('1e-27')).toBe(true);
        expect(r.certificate.mu).toBeGreaterThan(0);
        expect(r.certificate.mu).toBeLessThanOrEqual(hessianMin(X, y, r.x) * (1 + 1e-9)); // never overstated
        let F = new T(0);
        for (let i = 0; i < X.rows; i++) F = F.plus(dotD(rowD(X, i), x).times(-y[i]).exp().plus(1).ln().div(X.rows));
        expect(F.minus(r.FDecimal).abs().lte(new T('1e-29').times(F))).toBe(true);
      }),
      { numRuns: 10 },
    );
  });

  it.each([
    ['separable through the origin (w = (-2, 1.4) separates)', [[1, 2], [3, 4]], [1, -1], /plOptimum: logistic Newton refinement stalled .*separable or weakly separable data .*use lambda > 0/],
    ['weakly separable (w = (0, 1) has Zw = (0, 0, 1) >= 0): the infimum is not attained', [[1, 0], [-1, 0], [0, 1]], [1, 1, 1], /plOptimum: logistic .*separable or weakly separable .*use lambda > 0/],
    ['rank-deficient (two parallel rows): flat along the null space', [[1, 2], [-1, -2]], [1, 1], /plOptimum: logistic with lambda = 0 needs X of full column rank d = 2, but its rank is 1 \(decided exactly\)/],
  ])('%s: a one-line error, nothing uncertified', (_name, Xr, yr, msg) => {
    const f = () => plOptimum({ kind: 'logistic', X: matFromRows(Xr), y: Float64Array.from(yr), lambda: 0 });
    expect(f).toThrow(msg);
    try { f(); } catch (e) { expect((e as Error).message).not.toContain('\n'); }
  });
});

describe('plOptimum: bad input', () => {
  const A = matFromRows([[1, 2], [3, 4]]);
  it.each([
    [() => plOptimum({ kind: 'logistic', X: A, y: Float64Array.from([1, -1]), lambda: -1 }), /plOptimum: logistic lambda must be finite and >= 0, got -1/],
    [() => plOptimum({ kind: 'logistic', X: A, y: Float64Array.from([1, -1]), lambda: NaN }), /plOptimum: logistic lambda must be finite and >= 0, got NaN/],
    [() => plOptimum({ kind: 'logistic', X: A, y: Float64Array.from([1, 0]), lambda: 1 }), /plOptimum: labels\[1\] is 0; labels must be -1 or \+1/],
    [() => plOptimum({ kind: 'least-squares', A, b: Float64Array.from([1, 2]), lambda: -1 }), /plOptimum: least-squares lambda must be finite and >= 0, got -1/],
    [() => plOptimum({ kind: 'least-squares', A, b: Float64Array.from([1]) }), /plOptimum: A has 2 rows but b has 1 entries/],
    [() => plOptimum({ kind: 'least-squares', A, b: Float64Array.from([1, 2]) }, { digits: 1000 }), /plOptimum: digits must be an integer in \[6, 300\], got 1000/],
  ])('%#: throws a one-line message', (f, msg) => {
    expect(f).toThrow(msg);
  });
});
