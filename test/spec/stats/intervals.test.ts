import { describe, expect, it } from 'vitest';
import fx from '../../fixtures/stats/stats.json' with { type: 'json' };
import { EPS } from '../../../src/numeric/index.ts';
import {
  WELFORD_EMPTY, binomialCdf, binomialLogPmf, clopperPearson, empiricalBernsteinInterval, hoeffdingInterval, summarize, summaryOf,
  tInterval, welfordMerge, welfordPush, wilson, type Welford,
} from '../../../src/spec/stats/index.ts';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const fold = (xs: readonly number[]): Welford => xs.reduce(welfordPush, WELFORD_EMPTY);

describe('Welford summaries', () => {
  it('mean and variance match the two-pass formulas, with a 1e9 offset that breaks the naive sum of squares', () => {
    const xs = [4, 7, 13, 16].map((v) => 1e9 + v); // exact variance 30, mean 1e9 + 10
    const s = summarize(xs);
    expect(s.mean).toBe(1e9 + 10);
    // why: Welford's update error is a few eps * offset^0 per step on deviations of size ~10
    expect(Math.abs(s.variance - 30)).toBeLessThanOrEqual(64 * EPS * 30);
    expect([s.min, s.max]).toEqual([1e9 + 4, 1e9 + 16]);
    expect(fold(xs).mean).toBe(s.mean);
  });

  it('merging the summaries of two halves equals the summary of the whole (up to rounding)', () => {
    const xs = fx.tInterval.xs;
    const whole = summaryOf(fold(xs));
    const merged = summaryOf(welfordMerge(fold(xs.slice(0, 7)), fold(xs.slice(7))));
    expect(rel(merged.mean, whole.mean)).toBeLessThanOrEqual(16 * EPS); // why: two different summation orders of 17 terms
    expect(rel(merged.variance, whole.variance)).toBeLessThanOrEqual(64 * EPS);
    expect(rel(whole.variance, fx.tInterval.variance)).toBeLessThanOrEqual(64 * EPS); // numpy var(ddof=1)
    expect([merged.min, merged.max]).toEqual([whole.min, whole.max]);
  });

  it('rejects too few or non-finite samples', () => {
    expect(() => summarize([1])).toThrow(/^summarize: xs needs at least 2 samples, got 1$/);
    expect(() => summarize([1, Number.NaN])).toThrow(/^summarize: xs\[1\] is NaN, expected a finite number$/);
    expect(() => welfordPush(WELFORD_EMPTY, Infinity)).toThrow(/^welfordPush: sample 0 is Infinity/);
  });
});

describe('mean intervals against the scipy fixture', () => {
  it('Student t two-sided and one-sided', () => {
    const f = fx.tInterval;
    const iv = tInterval(f.xs, { confidence: f.confidence });
    // why: mean and sd to a few eps, t quantile to ~1e-14 (special.test.ts): 1e3 eps relative to the interval ends
    expect(rel(iv.lo, f.lo)).toBeLessThanOrEqual(1e3 * EPS);
    expect(rel(iv.hi, f.hi)).toBeLessThanOrEqual(1e3 * EPS);
    const up = tInterval(f.xs, { confidence: 0.95, side: 'upper' });
    expect(up.lo).toBe(-Infinity);
    expect(rel(up.hi, f.upper95)).toBeLessThanOrEqual(1e3 * EPS);
  });

  it('Hoeffding and empirical Bernstein half-widths', () => {
    const f = fx.boundedMean;
    const range = f.range as [number, number];
    const h = hoeffdingInterval(f.xs, { confidence: f.confidence, range });
    const b = empiricalBernsteinInterval(f.xs, { confidence: f.confidence, range });
    expect(rel(h.halfWidth, f.hoeffdingHalfWidth)).toBeLessThanOrEqual(64 * EPS); // why: closed forms, a few roundings
    expect(rel(b.halfWidth, f.bernsteinHalfWidth)).toBeLessThanOrEqual(64 * EPS);
    expect(rel(h.mean, f.mean)).toBeLessThanOrEqual(64 * EPS);
    expect(h.lo).toBeGreaterThanOrEqual(range[0]); // clipped to the declared range
    expect(h.hi).toBeLessThanOrEqual(range[1]);
  });

  it('rejects samples outside the declared range and bad confidence', () => {
    expect(() => hoeffdingInterval([0.5, 3], { confidence: 0.9, range: [0, 2] })).toThrow(/^hoeffdingInterval: sample 1 is 3, outside the declared range \[0, 2\]$/);
    expect(() => tInterval([1, 2, 3], { confidence: 1 })).toThrow(/^tInterval: confidence must be in \(0, 1\), got 1$/);
  });
});

describe('frequency intervals', () => {
  it('Clopper-Pearson and Wilson match the scipy fixture (two-sided and one-sided)', () => {
    for (const f of fx.binomialIntervals) {
      const cp = clopperPearson(f.k, f.n, { confidence: f.confidence });
      const up = clopperPearson(f.k, f.n, { confidence: f.confidence, side: 'upper' });
      const lo = clopperPearson(f.k, f.n, { confidence: f.confidence, side: 'lower' });
      const w = wilson(f.k, f.n, { confidence: f.confidence });
      // why: inverse incomplete beta with shapes up to n + 1 (special.test.ts bound 64 eps (1 + sqrt(a + b)))
      const tol = 64 * EPS * (1 + Math.sqrt(f.n + 1));
      const close = (a: number, b: number) => (b === 0 || b === 1 ? a === b : rel(a, b) <= tol);
      expect([f.k, f.n, close(cp.lo, f.lo), close(cp.hi, f.hi), close(up.hi, f.upper1), close(lo.lo, f.lower1)]).toEqual([f.k, f.n, true, true, true, true]);
      expect([up.lo, lo.hi]).toEqual([0, 1]);
      expect(close(w.lo, f.wilsonLo) && close(w.hi, f.wilsonHi)).toBe(true);
    }
  });

  it('Clopper-Pearson ends are where the exact binomial tails (summed term by term) equal alpha/2', () => {
    const n = 60;
    const conf = 0.9;
    for (const k of [1, 7, 30, 59]) {
      const iv = clopperPearson(k, n, { confidence: conf });
      // independent check: direct sums of the pmf, not the incomplete beta
      const tail = (p: number, from: number, to: number) => {
        let s = 0;
        for (let j = from; j <= to; j++) s += Math.exp(binomialLogPmf(j, n, p));
        return s;
      };
      // why: n + 1 terms each with relative error ~ 100 eps (lnΓ of size ~200 exponentiated)
      expect(Math.abs(tail(iv.lo, k, n) - 0.05)).toBeLessThanOrEqual(1e4 * EPS);
      expect(Math.abs(tail(iv.hi, 0, k) - 0.05)).toBeLessThanOrEqual(1e4 * EPS);
      expect(Math.abs(binomialCdf(k, n, iv.hi) - 0.05)).toBeLessThanOrEqual(1e4 * EPS);
    }
  });

  it('binomialCdf matches scipy', () => {
    for (const [k, n, p, v] of fx.binomialCdf) expect(rel(binomialCdf(k, n, p), v)).toBeLessThanOrEqual(64 * EPS * (1 + Math.sqrt(n)));
  });

  it('rejects impossible counts', () => {
    expect(() => clopperPearson(11, 10, { confidence: 0.95 })).toThrow(/^clopperPearson: successes must be an integer in \[0, 10\], got 11$/);
    expect(() => wilson(1, 0, { confidence: 0.95 })).toThrow(/^wilson: n must be a positive integer, got 0$/);
  });
});
