import { describe, expect, it } from 'vitest';
import { bandDecision, bandPower, powerLawOfMeans } from '../../../src/spec/stats/index.ts';
import { Rng } from '../../../src/arbitraries/_internals/rng.ts';

describe('powerLawOfMeans', () => {
  it('recovers the exponent of exact power-law means (constant replicates: se 0)', () => {
    const x = [1, 2, 4, 8];
    const f = powerLawOfMeans(x, x.map((v) => [3 * v ** -1.5, 3 * v ** -1.5]), { confidence: 0.99 });
    expect(Math.abs(f.slope + 1.5)).toBeLessThan(1e-14);
    expect(f.se).toBeLessThan(1e-14);
  });

  it('delta-method interval covers the slope of the fitted line through the true log means at about its level', () => {
    // Y_km = c x_k^s E_m with a common multiplicative shock E_m ~ Exp(1) (paired replicates): log E[Y] is exactly linear
    const rng = new Rng(7);
    const x = [1, 2, 4, 8];
    let covered = 0;
    const R = 400;
    for (let r = 0; r < R; r++) {
      const M = 48;
      const rows = x.map(() => new Float64Array(M));
      for (let m = 0; m < M; m++) {
        const shared = -Math.log(1 - rng.next());
        x.forEach((v, k) => (rows[k][m] = v ** -1 * (0.5 * shared + 0.5 * -Math.log(1 - rng.next()))));
      }
      const f = powerLawOfMeans(x, rows, { confidence: 0.9 });
      if (f.lo <= -1 && -1 <= f.hi) covered++;
    }
    // why: 400 Bernoulli(~0.9) trials have sd 0.015; the asymptotic interval may under-cover slightly at M = 48
    expect(covered / R).toBeGreaterThan(0.84);
    expect(covered / R).toBeLessThan(0.97);
  });

  it('bad input is a one-line error naming the rule and the value', () => {
    expect(() => powerLawOfMeans([1], [[1, 2]], { confidence: 0.9 })).toThrow(/^powerLawOfMeans: need at least 2 design points, got 1$/);
    expect(() => powerLawOfMeans([1, 2], [[1, 2], [1]], { confidence: 0.9 })).toThrow(/row 1 has 1 replicates, row 0 has 2/);
    expect(() => powerLawOfMeans([1, 2], [[0, 0], [1, 1]], { confidence: 0.9 })).toThrow(/the mean at x\[0\] = 1 is 0/);
    expect(() => powerLawOfMeans([1, 1], [[1, 2], [1, 2]], { confidence: 0.9 })).toThrow(/all x are equal/);
    expect(() => powerLawOfMeans([1, 2], [[1, NaN], [1, 2]], { confidence: 0.9 })).toThrow(/samples\[0\]\[1\] is NaN/);
  });
});

describe('bandDecision and bandPower', () => {
  const fit = { slope: 0, se: 0.1, lo: -0.4, hi: 0.4, df: 40, confidence: 0.999, means: [] };
  it('refutes only when the whole interval misses the band', () => {
    expect(bandDecision(fit, [-Infinity, -0.75]).refuted).toBe(true);
    expect(bandDecision({ ...fit, lo: -0.8 }, [-Infinity, -0.75]).refuted).toBe(false);
    expect(bandDecision(fit, [0.5, 1]).refuted).toBe(true);
  });
  it('power: ~1 far outside the band, ~(1 - confidence)/2 at its edge, and it falls as se grows', () => {
    expect(bandPower(0, 0.05, [-Infinity, -0.75], 0.999)).toBeGreaterThan(0.999);
    expect(Math.abs(bandPower(-0.75, 0.1, [-Infinity, -0.75], 0.99) - 0.005)).toBeLessThan(1e-6);
    expect(bandPower(0, 0.3, [-Infinity, -0.75], 0.999)).toBeLessThan(bandPower(0, 0.1, [-Infinity, -0.75], 0.999));
    expect(() => bandPower(0, 0, [-1, 1], 0.9)).toThrow(/se must be > 0, got 0/);
  });
});
