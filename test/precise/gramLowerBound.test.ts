import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eigSym, gramT } from '../../src/numeric/index.ts';
import { gramMinEigenLowerBound } from '../../src/precise/index.ts';

describe('gramMinEigenLowerBound', () => {
  it('closed form: X = diag(1, 2^-3) has lambda_min(X^T X) = 2^-6; the bound is proved below it and within the halving search (>= 1/4 of it)', () => {
    const t = gramMinEigenLowerBound({ rows: 2, cols: 2, data: Float64Array.of(1, 0, 0, 0.125) });
    expect(t).toBeLessThanOrEqual(2 ** -6);
    // why: the search starts at 1/2 of the f64 estimate and halves; the first try passes for a well-conditioned Gram
    expect(t).toBeGreaterThanOrEqual(2 ** -8);
  });

  it('dependent columns give 0 (no positive bound exists), and so does an empty matrix', () => {
    expect(gramMinEigenLowerBound({ rows: 3, cols: 2, data: Float64Array.of(1, 2, -1, -2, 0.5, 1) })).toBe(0);
    expect(gramMinEigenLowerBound({ rows: 0, cols: 2, data: new Float64Array(0) })).toBe(0);
  });

  it('row weights: X^T C X with C = diag(c) is bounded exactly; zero weights on a row remove it; bad weights are one-line errors', () => {
    const X = { rows: 3, cols: 2, data: Float64Array.of(1, 0, 0, 1, 1, 1) };
    // X^T diag(1, 0, 0) X = diag(1, 0): singular, no positive bound
    expect(gramMinEigenLowerBound(X, [1, 0, 0])).toBe(0);
    // X^T diag(0.25, 0.25, 0) X = I / 4 (closed form): proved within one halving of 1/4
    const t = gramMinEigenLowerBound(X, [0.25, 0.25, 0]);
    expect(t).toBeLessThanOrEqual(0.25);
    expect(t).toBeGreaterThanOrEqual(0.25 / 4);
    // a weight that is not a short dyadic (e^-1): the bound stays below the f64 eigenvalue 0.5 e^-1 + ... computed here
    const c = [Math.exp(-1), Math.exp(-2), Math.exp(-3)];
    const G = { rows: 2, cols: 2, data: Float64Array.of(c[0] + c[2], c[2], c[2], c[1] + c[2]) };
    const lmin = eigSym(G).values[0];
    const tc = gramMinEigenLowerBound(X, c);
    // why: the f64 eigenvalue of a 2 x 2 Gram of O(1) entries is within a few eps of the exact one
    expect(tc).toBeLessThanOrEqual(lmin + 8 * Number.EPSILON);
    expect(tc).toBeGreaterThanOrEqual(lmin / 4);
    expect(() => gramMinEigenLowerBound(X, [1, -1, 0])).toThrow('gramMinEigenLowerBound: weights[1] is -1; weights must be finite and >= 0');
    expect(() => gramMinEigenLowerBound(X, [1, 1])).toThrow('gramMinEigenLowerBound: 2 weights for 3 rows');
  });

  it('on random dyadic tall matrices it never exceeds the f64 smallest eigenvalue by more than its rounding', () => {
    const entry = fc.integer({ min: -16, max: 16 }).map((k) => k / 8);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 4 }), fc.array(entry, { minLength: 64, maxLength: 64 }), (d, extra, vals) => {
        const rows = d + extra;
        const X = { rows, cols: d, data: Float64Array.from(vals.slice(0, rows * d)) };
        const t = gramMinEigenLowerBound(X);
        const ev = eigSym(gramT(X)).values;
        const lmin = ev[0];
        const lmax = ev[ev.length - 1];
        // why: the f64 eigensolver is backward stable, |error| <= ~d eps lambda_max; the bound is proved exactly
        expect(t).toBeLessThanOrEqual(lmin + 16 * d * Number.EPSILON * lmax);
        expect(t).toBeGreaterThanOrEqual(0);
        // why: a well-conditioned Gram passes Sylvester's test within the first halvings (60 allowed)
        if (lmin > 1e-3 * lmax) expect(t).toBeGreaterThanOrEqual(lmin / 2 ** 4);
      }),
      { numRuns: 60 },
    );
  });
});
