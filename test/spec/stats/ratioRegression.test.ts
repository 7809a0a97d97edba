import { describe, expect, it } from 'vitest';
import fx from '../../fixtures/stats/stats.json' with { type: 'json' };
import { EPS } from '../../../src/numeric/index.ts';
import { bonferroniAlpha, bonferroniConfidence, familyErrorBound, logLogSlope, olsSlope, ratioOfMeans } from '../../../src/spec/stats/index.ts';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
// why: sample moments of <= 20 values plus a t quantile accurate to ~1e-14: 1e3 eps relative
const TOL = 1e3 * EPS;

describe('ratio of means', () => {
  it('Fieller and delta intervals match the numpy fixture (independent and paired samples)', () => {
    for (const f of [fx.ratio.independent, fx.ratio.paired]) {
      const paired = f === fx.ratio.paired;
      const fi = ratioOfMeans(f.x, f.y, { confidence: f.confidence, method: 'fieller', paired });
      const de = ratioOfMeans(f.x, f.y, { confidence: f.confidence, method: 'delta', paired });
      expect(rel(fi.ratio, f.ratio)).toBeLessThanOrEqual(TOL);
      expect([rel(fi.lo, f.fiellerLo) <= TOL, rel(fi.hi, f.fiellerHi) <= TOL, fi.bounded]).toEqual([true, true, true]);
      expect([rel(de.lo, f.deltaLo) <= TOL, rel(de.hi, f.deltaHi) <= TOL]).toEqual([true, true]);
    }
  });

  it('Fieller is unbounded when the denominator mean is within t standard errors of 0', () => {
    const r = ratioOfMeans([1, 2, 3, 4], [-1, 1, -0.5, 0.7], { confidence: 0.95 });
    expect([r.bounded, r.lo, r.hi]).toEqual([false, -Infinity, Infinity]);
  });

  it('rejects a zero denominator mean and unequal paired lengths', () => {
    expect(() => ratioOfMeans([1, 2], [-1, 1], { confidence: 0.9 })).toThrow(/^ratioOfMeans: the mean of y is 0/);
    expect(() => ratioOfMeans([1, 2, 3], [1, 2], { confidence: 0.9, paired: true })).toThrow(/^ratioOfMeans: paired samples need equal lengths, got 3 and 2$/);
  });
});

describe('slopes', () => {
  it('log-log slope matches scipy.stats.linregress and its t interval', () => {
    const f = fx.logLogSlope;
    const s = logLogSlope(f.x, f.y, { confidence: f.confidence });
    expect(rel(s.slope, f.slope)).toBeLessThanOrEqual(TOL);
    expect(rel(s.seSlope, f.se)).toBeLessThanOrEqual(TOL);
    expect([rel(s.lo, f.lo) <= TOL, rel(s.hi, f.hi) <= TOL, rel(s.r2, f.r2) <= TOL]).toEqual([true, true, true]);
  });

  it('an exact power law y = 3 x^-1.5 on dyadic x has slope -1.5 with a vanishing interval', () => {
    const x = [1, 2, 4, 8, 16, 32];
    const y = x.map((v) => 3 * v ** -1.5);
    const s = logLogSlope(x, y, { confidence: 0.99 });
    // why: log of dyadic x is exact up to one rounding; the fitted slope is a ratio of sums of ~6 such terms
    expect(Math.abs(s.slope + 1.5)).toBeLessThanOrEqual(64 * EPS);
    expect(s.hi - s.lo).toBeLessThanOrEqual(1e3 * EPS);
  });

  it('rejects non-positive data, equal x and short input', () => {
    expect(() => logLogSlope([1, 2, 3], [1, 0, 2], { confidence: 0.9 })).toThrow(/^logLogSlope: y\[1\] is 0, expected positive and finite$/);
    expect(() => olsSlope([2, 2, 2], [1, 2, 3], { confidence: 0.9 })).toThrow(/^olsSlope: all x are equal \(2\)/);
    expect(() => olsSlope([1, 2], [1, 2], { confidence: 0.9 })).toThrow(/^olsSlope: x needs at least 3 samples, got 2$/);
  });
});

describe('Bonferroni', () => {
  it('splits the miss probability and the union bound adds it back', () => {
    expect(bonferroniAlpha(0.05, 10)).toBe(0.005);
    const c = bonferroniConfidence(0.95, 4);
    expect(Math.abs(familyErrorBound([1 - c, 1 - c, 1 - c, 1 - c]) - 0.05)).toBeLessThanOrEqual(8 * EPS); // why: 4 additions of values ~0.0125
    expect(() => bonferroniAlpha(0.05, 0)).toThrow(/^bonferroniAlpha: number of comparisons must be a positive integer, got 0$/);
  });
});
