/**
 * Confidence intervals for a mean: Student t (normal data, exact level), Hoeffding and empirical Bernstein
 * (any distribution on a known range [a, b], conservative), and the claim decision built on them.
 */
import { studentTQuantile } from './special.ts';
import { summarize, type Summary } from './summary.ts';
import { checkConfidence, checkSamples, checkSide, tailMass, type Interval, type Side } from './validate.ts';

export interface MeanInterval extends Interval {
  readonly n: number;
  readonly mean: number;
  /** distance from the mean to each finite end */
  readonly halfWidth: number;
}

export interface MeanCIOptions {
  readonly confidence: number;
  readonly side?: Side;
}

export interface BoundedMeanCIOptions extends MeanCIOptions {
  /** every sample lies in [range[0], range[1]] (checked) */
  readonly range: readonly [number, number];
}

function ends(mean: number, hw: number, side: Side, lo0: number, hi0: number): { lo: number; hi: number } {
  return {
    lo: side === 'upper' ? lo0 : Math.max(lo0, mean - hw),
    hi: side === 'lower' ? hi0 : Math.min(hi0, mean + hw),
  };
}

/** Student t interval for the mean: mean ± t_{n-1} · sd/√n. Exact coverage for i.i.d. normal samples. */
export function tInterval(xs: ArrayLike<number> | Summary, opts: MeanCIOptions): MeanInterval {
  const fn = 'tInterval';
  checkConfidence(fn, opts.confidence);
  const side = opts.side ?? 'two-sided';
  checkSide(fn, side);
  const s = 'se' in xs ? xs : summarize(xs);
  if (s.n < 2) throw new Error(`${fn}: need at least 2 samples, got ${s.n}`);
  const t = studentTQuantile(1 - tailMass(opts.confidence, side), s.n - 1);
  const hw = t * s.se;
  return { ...ends(s.mean, hw, side, -Infinity, Infinity), n: s.n, mean: s.mean, halfWidth: hw, confidence: opts.confidence, side,
    method: `Student t, ${s.n - 1} df (assumes i.i.d. normal samples)` };
}

function checkRange(fn: string, xs: ArrayLike<number>, range: readonly [number, number]): number {
  const [a, b] = range;
  if (!(Number.isFinite(a) && Number.isFinite(b) && a < b)) throw new Error(`${fn}: range must be finite with a < b, got [${a}, ${b}]`);
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] < a || xs[i] > b) throw new Error(`${fn}: sample ${i} is ${xs[i]}, outside the declared range [${a}, ${b}]`);
  }
  return b - a;
}

/** Hoeffding interval: mean ± R·√(ln(1/δ)/(2n)), δ the miss mass per side; valid for any law on [a, b]. */
export function hoeffdingInterval(xs: ArrayLike<number>, opts: BoundedMeanCIOptions): MeanInterval {
  const fn = 'hoeffdingInterval';
  checkConfidence(fn, opts.confidence);
  const side = opts.side ?? 'two-sided';
  checkSide(fn, side);
  checkSamples(fn, 'xs', xs, 1);
  const R = checkRange(fn, xs, opts.range);
  const n = xs.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += (xs[i] - mean) / (i + 1);
  const hw = R * Math.sqrt(Math.log(1 / tailMass(opts.confidence, side)) / (2 * n));
  return { ...ends(mean, hw, side, opts.range[0], opts.range[1]), n, mean, halfWidth: hw, confidence: opts.confidence, side,
    method: `Hoeffding, range [${opts.range[0]}, ${opts.range[1]}] (any i.i.d. law on the range)` };
}

/**
 * Empirical Bernstein interval (Maurer and Pontil 2009, Theorem 4, rescaled to [a, b]):
 * mean ± (√(2 V ln(2/δ)/n) + 7 R ln(2/δ)/(3(n-1))), V the unbiased sample variance, δ the miss mass per side.
 * Tighter than Hoeffding when the variance is small.
 */
export function empiricalBernsteinInterval(xs: ArrayLike<number>, opts: BoundedMeanCIOptions): MeanInterval {
  const fn = 'empiricalBernsteinInterval';
  checkConfidence(fn, opts.confidence);
  const side = opts.side ?? 'two-sided';
  checkSide(fn, side);
  checkSamples(fn, 'xs', xs, 2);
  const R = checkRange(fn, xs, opts.range);
  const s = summarize(xs);
  const l = Math.log(2 / tailMass(opts.confidence, side));
  const hw = Math.sqrt((2 * s.variance * l) / s.n) + (7 * R * l) / (3 * (s.n - 1));
  return { ...ends(s.mean, hw, side, opts.range[0], opts.range[1]), n: s.n, mean: s.mean, halfWidth: hw, confidence: opts.confidence, side,
    method: `empirical Bernstein (Maurer-Pontil), range [${opts.range[0]}, ${opts.range[1]}]` };
}

export type Claim = 'at-least' | 'at-most' | 'equal';

export function checkClaim(fn: string, claim: string): asserts claim is Claim {
  if (claim !== 'at-least' && claim !== 'at-most' && claim !== 'equal') {
    throw new Error(`${fn}: claim must be 'at-least', 'at-most' or 'equal', got '${claim}'`);
  }
}

/** The interval side that can refute a claim: 'at-least θ0' is refuted by an upper bound below θ0. */
export function sideForClaim(claim: Claim): Side {
  return claim === 'at-least' ? 'upper' : claim === 'at-most' ? 'lower' : 'two-sided';
}

/** True when the interval refutes the claim about θ0 (the claimed value lies outside it on the refuting side). */
export function refutes(iv: { lo: number; hi: number }, claim: Claim, claimed: number): boolean {
  if (claim === 'at-least') return iv.hi < claimed;
  if (claim === 'at-most') return iv.lo > claimed;
  return iv.hi < claimed || iv.lo > claimed;
}

export interface MeanDecision {
  readonly violated: boolean;
  readonly interval: MeanInterval;
  readonly claimed: number;
  readonly claim: Claim;
  /** one line for reports */
  readonly summary: string;
}

export interface MeanClaimOptions {
  readonly claimed: number;
  readonly claim: Claim;
  readonly confidence: number;
  readonly method: 't' | 'hoeffding' | 'empirical-bernstein';
  readonly range?: readonly [number, number];
}

/**
 * Decide a claim "E X is at least / at most / equal to θ0" from i.i.d. samples: violated only when the
 * one-sided (two-sided for 'equal') interval at `confidence` excludes θ0, so a true claim is rejected with
 * probability at most 1 - confidence (exactly, for the t method on normal data).
 */
export function meanClaimDecision(xs: ArrayLike<number>, opts: MeanClaimOptions): MeanDecision {
  const fn = 'meanClaimDecision';
  checkClaim(fn, opts.claim);
  if (!Number.isFinite(opts.claimed)) throw new Error(`${fn}: claimed mean must be finite, got ${opts.claimed}`);
  const side = sideForClaim(opts.claim);
  let iv: MeanInterval;
  if (opts.method === 't') iv = tInterval(xs, { confidence: opts.confidence, side });
  else if (opts.method === 'hoeffding' || opts.method === 'empirical-bernstein') {
    if (!opts.range) throw new Error(`${fn}: method '${opts.method}' needs a range [a, b]`);
    const o = { confidence: opts.confidence, side, range: opts.range };
    iv = opts.method === 'hoeffding' ? hoeffdingInterval(xs, o) : empiricalBernsteinInterval(xs, o);
  } else throw new Error(`${fn}: method must be 't', 'hoeffding' or 'empirical-bernstein', got '${String(opts.method)}'`);
  const violated = refutes(iv, opts.claim, opts.claimed);
  const summary = `mean ${iv.mean.toPrecision(6)} (n ${iv.n}), ${opts.confidence * 100}% ${side} interval [${iv.lo.toPrecision(6)}, ${iv.hi.toPrecision(6)}] ` +
    `${violated ? 'excludes' : 'is consistent with'} claim ${opts.claim} ${opts.claimed}`;
  return { violated, interval: iv, claimed: opts.claimed, claim: opts.claim, summary };
}
