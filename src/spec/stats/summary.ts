/**
 * Running mean and variance (Welford 1962; merge by Chan, Golub and LeVeque 1979). Immutable state:
 * `welfordPush` returns a new state, so a summary is a fold and replays bit for bit.
 */
import { checkSamples } from './validate.ts';

export interface Welford {
  readonly n: number;
  readonly mean: number;
  /** sum of squared deviations from the mean */
  readonly m2: number;
  readonly min: number;
  readonly max: number;
}

export const WELFORD_EMPTY: Welford = Object.freeze({ n: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity });

export function welfordPush(s: Welford, x: number): Welford {
  if (!Number.isFinite(x)) throw new Error(`welfordPush: sample ${s.n} is ${x}, expected a finite number`);
  const n = s.n + 1;
  const delta = x - s.mean;
  const mean = s.mean + delta / n;
  return { n, mean, m2: s.m2 + delta * (x - mean), min: Math.min(s.min, x), max: Math.max(s.max, x) };
}

/** Combine the summaries of two disjoint sample sets. */
export function welfordMerge(a: Welford, b: Welford): Welford {
  if (a.n === 0) return b;
  if (b.n === 0) return a;
  const n = a.n + b.n;
  const delta = b.mean - a.mean;
  return {
    n,
    mean: a.mean + (delta * b.n) / n,
    m2: a.m2 + b.m2 + (delta * delta * a.n * b.n) / n,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
  };
}

export interface Summary {
  readonly n: number;
  readonly mean: number;
  /** unbiased sample variance, m2 / (n - 1) */
  readonly variance: number;
  readonly sd: number;
  /** standard error of the mean, sd / sqrt(n) */
  readonly se: number;
  readonly min: number;
  readonly max: number;
}

/** Mean, unbiased variance, sd, standard error, min and max of at least 2 finite samples. */
export function summarize(xs: ArrayLike<number>): Summary {
  checkSamples('summarize', 'xs', xs, 2);
  let n = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    n++;
    const delta = x - mean;
    mean += delta / n;
    m2 += delta * (x - mean);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const variance = m2 / (n - 1);
  const sd = Math.sqrt(variance);
  return { n, mean, variance, sd, se: sd / Math.sqrt(n), min, max };
}

/** Summary of a Welford state (n >= 2). */
export function summaryOf(s: Welford): Summary {
  if (s.n < 2) throw new Error(`summaryOf: need at least 2 samples, got ${s.n}`);
  const variance = s.m2 / (s.n - 1);
  const sd = Math.sqrt(variance);
  return { n: s.n, mean: s.mean, variance, sd, se: sd / Math.sqrt(s.n), min: s.min, max: s.max };
}
