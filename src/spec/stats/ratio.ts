/**
 * Ratio of two means, R = E X / E Y, with a confidence interval by Fieller's theorem (exact for normal
 * means, may be unbounded) or the delta method (first order). Samples are independent by default, or paired
 * (x[i], y[i] from the same seed) with `paired: true`, which adds the covariance term.
 * Degrees of freedom: n - 1 when paired, min(nx, ny) - 1 when independent (conservative, no Welch correction).
 */
import { studentTQuantile } from './special.ts';
import { summarize } from './summary.ts';
import { checkConfidence, checkSamples } from './validate.ts';

export interface RatioInterval {
  readonly ratio: number;
  readonly lo: number;
  readonly hi: number;
  /** false when Fieller's set is unbounded (the denominator mean is not significantly away from 0) */
  readonly bounded: boolean;
  readonly df: number;
  readonly confidence: number;
  readonly method: string;
}

export interface RatioOptions {
  readonly confidence: number;
  readonly method?: 'fieller' | 'delta';
  readonly paired?: boolean;
}

export function ratioOfMeans(x: ArrayLike<number>, y: ArrayLike<number>, opts: RatioOptions): RatioInterval {
  const fn = 'ratioOfMeans';
  checkConfidence(fn, opts.confidence);
  checkSamples(fn, 'x', x, 2);
  checkSamples(fn, 'y', y, 2);
  const method = opts.method ?? 'fieller';
  if (method !== 'fieller' && method !== 'delta') throw new Error(`${fn}: method must be 'fieller' or 'delta', got '${String(method)}'`);
  const paired = opts.paired ?? false;
  if (paired && x.length !== y.length) throw new Error(`${fn}: paired samples need equal lengths, got ${x.length} and ${y.length}`);
  const sx = summarize(x);
  const sy = summarize(y);
  if (sy.mean === 0) throw new Error(`${fn}: the mean of y is 0, the ratio is undefined`);
  const vx = sx.variance / sx.n;
  const vy = sy.variance / sy.n;
  let cxy = 0;
  if (paired) {
    let c = 0;
    for (let i = 0; i < x.length; i++) c += (x[i] - sx.mean) * (y[i] - sy.mean);
    cxy = c / (x.length - 1) / x.length;
  }
  const df = paired ? x.length - 1 : Math.min(sx.n, sy.n) - 1;
  const t = studentTQuantile(1 - (1 - opts.confidence) / 2, df);
  const R = sx.mean / sy.mean;
  const label = `${paired ? 'paired' : 'independent'} samples, t with ${df} df`;
  if (method === 'delta') {
    const v = vx / (sy.mean * sy.mean) + (R * R * vy) / (sy.mean * sy.mean) - (2 * R * cxy) / (sy.mean * sy.mean);
    const hw = t * Math.sqrt(Math.max(0, v));
    return { ratio: R, lo: R - hw, hi: R + hw, bounded: true, df, confidence: opts.confidence, method: `delta method, ${label}` };
  }
  // Fieller: {ρ : (x̄ - ρ ȳ)^2 <= t^2 (vx - 2ρ cxy + ρ^2 vy)}, i.e. A ρ^2 - 2 B ρ + C <= 0
  const t2 = t * t;
  const A = sy.mean * sy.mean - t2 * vy;
  const B = sx.mean * sy.mean - t2 * cxy;
  const C = sx.mean * sx.mean - t2 * vx;
  if (A <= 0) {
    return { ratio: R, lo: -Infinity, hi: Infinity, bounded: false, df, confidence: opts.confidence,
      method: `Fieller (unbounded: mean of y within ${t.toPrecision(4)} standard errors of 0), ${label}` };
  }
  const disc = Math.sqrt(Math.max(0, B * B - A * C));
  return { ratio: R, lo: (B - disc) / A, hi: (B + disc) / A, bounded: true, df, confidence: opts.confidence, method: `Fieller, ${label}` };
}

export interface RatioDecision {
  readonly violated: boolean;
  readonly interval: RatioInterval;
  readonly claimedLo: number;
  readonly claimedHi: number;
  readonly summary: string;
}

/**
 * Test a claim "E X / E Y lies in [claimedLo, claimedHi]" (e.g. a speed-up ratio in [2, 8]): violated only
 * when the two-sided interval at `confidence` is disjoint from the claimed range, so a true claim is
 * refuted with probability at most (1 - confidence)/2 at either end.
 */
export function ratioClaimDecision(
  x: ArrayLike<number>, y: ArrayLike<number>, opts: RatioOptions & { readonly claimedLo: number; readonly claimedHi: number },
): RatioDecision {
  const { claimedLo: lo, claimedHi: hi } = opts;
  if (!(lo <= hi) || Number.isNaN(lo) || Number.isNaN(hi)) throw new Error(`ratioClaimDecision: need claimedLo <= claimedHi, got [${lo}, ${hi}]`);
  const iv = ratioOfMeans(x, y, opts);
  const violated = iv.hi < lo || iv.lo > hi;
  const summary = `ratio ${iv.ratio.toPrecision(4)}, ${opts.confidence * 100}% ${iv.method} interval [${iv.lo.toPrecision(4)}, ${iv.hi.toPrecision(4)}] ` +
    `${violated ? 'is disjoint from' : 'meets'} the claimed range [${lo}, ${hi}]`;
  return { violated, interval: iv, claimedLo: lo, claimedHi: hi, summary };
}
