import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { angle, distance, margins, norm, normalisedMargin, smoothedMargin } from '../../../properties/implicit-bias/classification.observables.support.ts';

const Z = { rows: 2, cols: 2, data: Float64Array.of(1, 0, 0, 2) };

describe('classification observables (closed forms)', () => {
  it('norm, distance, ang: ang of orthogonal unit vectors is sqrt 2, of opposite ones 2, and 2 at u = 0', () => {
    expect(norm(Float64Array.of(3, 4))).toBe(5);
    expect(distance(Float64Array.of(1, 1), Float64Array.of(4, 5))).toBe(5);
    expect(angle(Float64Array.of(2, 0), Float64Array.of(0, 3))).toBeCloseTo(Math.SQRT2, 15);
    expect(angle(Float64Array.of(2, 0), Float64Array.of(-1, 0))).toBe(2);
    expect(angle(Float64Array.of(0, 0), Float64Array.of(1, 0))).toBe(2);
  });

  it('margins and the normalised margin: Z = diag(1, 2), w = (1, 1) gives margins (1, 2) and gamma = 1/sqrt 2; -Infinity at 0', () => {
    expect(Array.from(margins(Z, Float64Array.of(1, 1)))).toEqual([1, 2]);
    expect(normalisedMargin(Z, Float64Array.of(1, 1))).toBeCloseTo(1 / Math.SQRT2, 15);
    expect(normalisedMargin(Z, Float64Array.of(0, 0))).toBe(-Infinity);
  });

  it('smoothed margin: the closed forms at moderate margins, min m - log N (- S_exp for logistic) <= psi <= min m, and no underflow at margin 1000', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 20, noNaN: true }), fc.double({ min: 0.1, max: 20, noNaN: true }), (a, b) => {
        const w = Float64Array.of(a, b);
        const m = [a, 2 * b];
        const nw = Math.hypot(a, b);
        const S = Math.exp(-m[0]) + Math.exp(-m[1]);
        // why: a handful of exp/log roundings on O(1..40) values, relative ~ 16 eps of the larger of psi and log N
        const tol = 64 * Number.EPSILON * (Math.max(...m) + 1);
        expect(Math.abs(smoothedMargin('exponential', Z, w) * nw + Math.log(S))).toBeLessThanOrEqual(tol);
        const Sl = Math.log1p(Math.exp(-m[0])) + Math.log1p(Math.exp(-m[1]));
        expect(Math.abs(smoothedMargin('logistic', Z, w) * nw + Math.log(Math.expm1(Sl)))).toBeLessThanOrEqual(tol);
        for (const loss of ['exponential', 'logistic'] as const) {
          const psi = smoothedMargin(loss, Z, w) * nw;
          expect(psi).toBeLessThanOrEqual(Math.min(...m) + tol);
          // logistic: l(m) <= e^-m and e^S - 1 <= S e^S give the extra -S_exp (header of the support file)
          expect(psi).toBeGreaterThanOrEqual(Math.min(...m) - Math.log(2) - (loss === 'logistic' ? S : 0) - tol);
        }
      }),
    );
    const big = Float64Array.of(1000, 1000);
    for (const loss of ['exponential', 'logistic'] as const) {
      const g = smoothedMargin(loss, Z, big);
      expect(Number.isFinite(g)).toBe(true);
      expect(g).toBeLessThanOrEqual(normalisedMargin(Z, big));
    }
  });
});
