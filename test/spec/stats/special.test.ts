import { describe, expect, it } from 'vitest';
import fx from '../../fixtures/stats/stats.json' with { type: 'json' };
import { EPS } from '../../../src/numeric/index.ts';
import {
  erfc, invRegIncBeta, logBeta, logGamma, normalCdf, normalQuantile, regIncBeta, regIncGammaQ, studentTCdf, studentTQuantile,
} from '../../../src/spec/stats/index.ts';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('special functions against the mpmath/scipy fixture (test/fixtures/stats/make_stats_fixtures.py)', () => {
  it('logGamma: |error| <= 16 eps max(1, |lnΓ|)', () => {
    // why: Lanczos (g = 7) has relative error ~2e-15; near the zeros at 1 and 2 the error is absolute
    for (const [x, v] of fx.logGamma) expect(Math.abs(logGamma(x) - v)).toBeLessThanOrEqual(16 * EPS * Math.max(1, Math.abs(v)));
  });

  it('regIncBeta: relative error <= 64 eps (1 + sqrt(a + b))', () => {
    // why: the prefactor exp(a ln x + b ln y - ln B) loses ~eps * sqrt(a + b) to cancellation in its exponent
    for (const [x, a, b, v] of fx.regIncBeta) expect(rel(regIncBeta(x, a, b), v)).toBeLessThanOrEqual(64 * EPS * (1 + Math.sqrt(a + b)));
  });

  it('invRegIncBeta: relative error <= 64 eps (1 + sqrt(a + b))', () => {
    // why: Halley iteration converges to within 2 ulp of the root of the forward function, whose error is as above
    for (const [p, a, b, v] of fx.invRegIncBeta) expect(rel(invRegIncBeta(p, a, b), v)).toBeLessThanOrEqual(64 * EPS * (1 + Math.sqrt(a + b)));
  });

  it('normalQuantile and normalCdf: relative error <= 64 eps, into the far tails', () => {
    // why: two Halley steps on an erfc with relative error ~10 eps (continued fraction of Q(1/2, z^2))
    for (const [p, v] of fx.normalQuantile) {
      if (v === 0) expect(normalQuantile(p)).toBe(0);
      else expect(rel(normalQuantile(p), v)).toBeLessThanOrEqual(64 * EPS);
    }
    for (const [x, v] of fx.normalCdf) {
      if (v === 0.5) expect(normalCdf(x)).toBe(0.5);
      else expect(rel(normalCdf(x), v)).toBeLessThanOrEqual(1024 * EPS); // why: exp(-x^2/2) at x = 30 amplifies the rounding of x^2 (~450 eps)
    }
  });

  it('studentTQuantile and studentTCdf: relative error <= 64 eps (1 + sqrt(df))', () => {
    // why: they are inverse/forward incomplete betas with shapes (df/2, 1/2); see regIncBeta
    for (const [p, df, v] of fx.studentTQuantile) expect(rel(studentTQuantile(p, df), v)).toBeLessThanOrEqual(64 * EPS * (1 + Math.sqrt(df)));
    for (const [t, df, v] of fx.studentTCdf) {
      if (v === 0) expect(studentTCdf(t, df)).toBe(0); // the fixture underflowed (t = -40, df = 1e5: ~1e-350)
      else expect(rel(studentTCdf(t, df), v)).toBeLessThanOrEqual(64 * EPS * (1 + Math.sqrt(df)));
    }
  });
});

describe('special functions: closed forms and identities', () => {
  const ps = [1e-9, 0.01, 0.2, 0.5 + 2 ** -20, 0.75, 0.99, 1 - 2 ** -30];

  it('t with 1 df is Cauchy: quantile tan(π(p - 1/2)); with 2 df: (2p - 1)/sqrt(2p(1 - p))', () => {
    for (const p of ps) {
      // tan(π(p - 1/2)) in the middle; in the tails the cot form -1/tan(πp), since tan's argument rounds near ±π/2
      const cauchy = Math.abs(p - 0.5) < 0.25 ? Math.tan(Math.PI * (p - 0.5)) : p < 0.5 ? -1 / Math.tan(Math.PI * p) : 1 / Math.tan(Math.PI * (1 - p));
      // why: both sides accurate to a few eps; 64 eps leaves room for the Halley stopping rule (2 ulp) and tan's error
      expect(rel(studentTQuantile(p, 1), cauchy)).toBeLessThanOrEqual(64 * EPS);
      expect(rel(studentTQuantile(p, 2), (2 * p - 1) / Math.sqrt(2 * p * (1 - p)))).toBeLessThanOrEqual(64 * EPS);
    }
  });

  it('df = Infinity gives the normal, and df = 1e7 is within 1e-6 of it', () => {
    for (const p of ps) {
      expect(studentTQuantile(p, Infinity)).toBe(normalQuantile(p));
      // why: t_df quantile = z + (z^3 + z)/(4 df) + O(df^-2); at df 1e7 and |z| <= 6 the gap is < 6e-6 relative
      expect(rel(studentTQuantile(p, 1e7), normalQuantile(p))).toBeLessThanOrEqual(1e-6 * (1 + normalQuantile(p) ** 2));
    }
  });

  it('symmetry I_x(a, b) = 1 - I_{1-x}(b, a), and B(a, b) = B(b, a)', () => {
    for (const [x, a, b] of [[0.3, 2.5, 7], [0.6, 0.5, 0.5], [0.05, 40, 3]]) {
      expect(Math.abs(regIncBeta(x, a, b) - (1 - regIncBeta(1 - x, b, a)))).toBeLessThanOrEqual(16 * EPS); // why: both sides accurate to a few eps absolute
      expect(logBeta(a, b)).toBe(logBeta(b, a));
    }
  });

  it('quantile ∘ cdf round-trips for the t distribution', () => {
    for (const df of [1.5, 4, 17, 250]) {
      for (const p of [1e-6, 0.05, 0.4, 0.8, 0.999]) {
        // why: the cdf is evaluated at the quantile; error ~ eps * sqrt(df) relative to min(p, 1-p)
        expect(Math.abs(studentTCdf(studentTQuantile(p, df), df) - p)).toBeLessThanOrEqual(64 * EPS * (1 + Math.sqrt(df)) * Math.max(p, 1e-3));
      }
    }
  });

  it('erfc(0) = 1, Q(1, x) = exp(-x)', () => {
    expect(erfc(0)).toBe(1);
    for (const x of [0.1, 1, 5, 30]) expect(rel(regIncGammaQ(1, x), Math.exp(-x))).toBeLessThanOrEqual(16 * EPS); // why: series/CF accurate to a few eps
  });

  it('rejects invalid input with a one-line message', () => {
    expect(() => studentTQuantile(1, 3)).toThrow(/^studentTQuantile: p must be in \(0, 1\), got 1$/);
    expect(() => studentTQuantile(0.5, 0)).toThrow(/^studentTQuantile: degrees of freedom must be positive, got 0$/);
    expect(() => regIncBeta(1.5, 1, 1)).toThrow(/^regIncBeta: x must be in \[0, 1\], got 1.5$/);
    expect(() => invRegIncBeta(0.5, -1, 1)).toThrow(/^invRegIncBeta: a must be positive and finite, got -1$/);
    expect(() => normalQuantile(Number.NaN)).toThrow(/normalQuantile: p must be in \(0, 1\), got NaN/);
    expect(() => logGamma(0)).toThrow(/logGamma: x must be positive/);
  });
});
