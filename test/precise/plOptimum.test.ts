/**
 * plOptimum: closed forms (1-d ridge, consistent least squares with F* = 0, duplicated columns, symmetric
 * logistic data with x* = 0), gradient certificates re-checked independently in 90 digits, error paths.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minNormSolution, plOptimum } from '../../src/precise/index.ts';
import { matFromRows } from '../../src/numeric/index.ts';
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

describe('plOptimum: bad input', () => {
  const A = matFromRows([[1, 2], [3, 4]]);
  it.each([
    [() => plOptimum({ kind: 'logistic', X: A, y: Float64Array.from([1, -1]), lambda: 0 }), /plOptimum: logistic needs lambda > 0 .*got 0/],
    [() => plOptimum({ kind: 'logistic', X: A, y: Float64Array.from([1, 0]), lambda: 1 }), /plOptimum: labels\[1\] is 0; labels must be -1 or \+1/],
    [() => plOptimum({ kind: 'least-squares', A, b: Float64Array.from([1, 2]), lambda: -1 }), /plOptimum: least-squares lambda must be finite and >= 0, got -1/],
    [() => plOptimum({ kind: 'least-squares', A, b: Float64Array.from([1]) }), /plOptimum: A has 2 rows but b has 1 entries/],
    [() => plOptimum({ kind: 'least-squares', A, b: Float64Array.from([1, 2]) }, { digits: 1000 }), /plOptimum: digits must be an integer in \[6, 300\], got 1000/],
  ])('%#: throws a one-line message', (f, msg) => {
    expect(f).toThrow(msg);
  });
});
