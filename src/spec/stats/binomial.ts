/**
 * Intervals and decisions for a success frequency: Clopper-Pearson (exact binomial, conservative) and
 * Wilson (score interval, approximate), the exact binomial distribution, and the exact false-alarm size of
 * the frequency decision (so a report can say how conservative it is).
 */
import { invRegIncBeta, logGamma, normalQuantile, regIncBeta } from './special.ts';
import { checkClaim, refutes, sideForClaim, type Claim } from './meanCI.ts';
import { checkConfidence, checkSide, tailMass, type Interval, type Side } from './validate.ts';

export interface FrequencyInterval extends Interval {
  readonly successes: number;
  readonly n: number;
  readonly estimate: number;
}

function checkCounts(fn: string, k: number, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${fn}: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(k) || k < 0 || k > n) throw new Error(`${fn}: successes must be an integer in [0, ${n}], got ${k}`);
}

/** log of the binomial pmf P(X = k), X ~ Bin(n, p). */
export function binomialLogPmf(k: number, n: number, p: number): number {
  checkCounts('binomialLogPmf', k, n);
  if (!(p >= 0 && p <= 1)) throw new Error(`binomialLogPmf: p must be in [0, 1], got ${p}`);
  if (p === 0) return k === 0 ? 0 : -Infinity;
  if (p === 1) return k === n ? 0 : -Infinity;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/** P(X <= k), X ~ Bin(n, p), via I_{1-p}(n - k, k + 1). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`binomialCdf: n must be a positive integer, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new Error(`binomialCdf: p must be in [0, 1], got ${p}`);
  if (!Number.isInteger(k)) throw new Error(`binomialCdf: k must be an integer, got ${k}`);
  if (k < 0) return 0;
  if (k >= n) return 1;
  return regIncBeta(1 - p, n - k, k + 1, p);
}

export interface FrequencyCIOptions {
  readonly confidence: number;
  readonly side?: Side;
}

/** Clopper-Pearson interval: inverts the exact binomial tests; coverage >= confidence for every p. */
export function clopperPearson(successes: number, n: number, opts: FrequencyCIOptions): FrequencyInterval {
  const fn = 'clopperPearson';
  checkCounts(fn, successes, n);
  checkConfidence(fn, opts.confidence);
  const side = opts.side ?? 'two-sided';
  checkSide(fn, side);
  const a = tailMass(opts.confidence, side);
  const k = successes;
  const lo = side === 'upper' || k === 0 ? 0 : invRegIncBeta(a, k, n - k + 1);
  const hi = side === 'lower' || k === n ? 1 : invRegIncBeta(1 - a, k + 1, n - k);
  return { lo, hi, successes: k, n, estimate: k / n, confidence: opts.confidence, side, method: 'Clopper-Pearson (exact binomial)' };
}

/** Wilson score interval; approximate coverage, shorter than Clopper-Pearson. */
export function wilson(successes: number, n: number, opts: FrequencyCIOptions): FrequencyInterval {
  const fn = 'wilson';
  checkCounts(fn, successes, n);
  checkConfidence(fn, opts.confidence);
  const side = opts.side ?? 'two-sided';
  checkSide(fn, side);
  const z = normalQuantile(1 - tailMass(opts.confidence, side));
  const ph = successes / n;
  const z2n = (z * z) / n;
  const center = (ph + z2n / 2) / (1 + z2n);
  const hw = (z / (1 + z2n)) * Math.sqrt((ph * (1 - ph)) / n + (z * z) / (4 * n * n));
  return {
    lo: side === 'upper' ? 0 : Math.max(0, center - hw),
    hi: side === 'lower' ? 1 : Math.min(1, center + hw),
    successes, n, estimate: ph, confidence: opts.confidence, side, method: 'Wilson score (approximate)',
  };
}

export interface FrequencyDecisionOptions {
  readonly claimed: number;
  readonly claim: Claim;
  readonly confidence: number;
  readonly method?: 'clopper-pearson' | 'wilson';
}

export interface FrequencyDecision {
  readonly violated: boolean;
  readonly interval: FrequencyInterval;
  readonly claimed: number;
  readonly claim: Claim;
  readonly summary: string;
}

/**
 * Decide "the success frequency is at least / at most / equal to p0" from k successes in n trials: violated
 * only when the one-sided (two-sided for 'equal') interval excludes p0. With Clopper-Pearson the false-alarm
 * probability under a true claim is at most 1 - confidence (see frequencyDecisionSize for the exact value).
 */
export function frequencyDecision(successes: number, n: number, opts: FrequencyDecisionOptions): FrequencyDecision {
  const fn = 'frequencyDecision';
  checkClaim(fn, opts.claim);
  if (!(opts.claimed >= 0 && opts.claimed <= 1)) throw new Error(`${fn}: claimed frequency must be in [0, 1], got ${opts.claimed}`);
  const method = opts.method ?? 'clopper-pearson';
  if (method !== 'clopper-pearson' && method !== 'wilson') throw new Error(`${fn}: method must be 'clopper-pearson' or 'wilson', got '${String(method)}'`);
  const o = { confidence: opts.confidence, side: sideForClaim(opts.claim) };
  const iv = method === 'wilson' ? wilson(successes, n, o) : clopperPearson(successes, n, o);
  const violated = refutes(iv, opts.claim, opts.claimed);
  const summary = `${successes}/${n} successes (${(iv.estimate * 100).toFixed(2)}%), ${opts.confidence * 100}% ${iv.side} ${iv.method} ` +
    `interval [${iv.lo.toPrecision(6)}, ${iv.hi.toPrecision(6)}] ${violated ? 'excludes' : 'is consistent with'} claim ${opts.claim} ${opts.claimed}`;
  return { violated, interval: iv, claimed: opts.claimed, claim: opts.claim, summary };
}

/** Exact probability that frequencyDecision reports violated when the true frequency is `truth` (sum over k of the pmf). */
export function frequencyDecisionSize(n: number, truth: number, opts: FrequencyDecisionOptions): number {
  let size = 0;
  for (let k = 0; k <= n; k++) {
    if (frequencyDecision(k, n, opts).violated) size += Math.exp(binomialLogPmf(k, n, truth));
  }
  return size;
}
