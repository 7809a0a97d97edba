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
