/**
 * The exponent of a power law E[Y](x) ~ c x^s estimated from Monte Carlo MEANS at a few design points, with paired
 * replicates (common random numbers: replicate m at every design point shares its random streams, so the means are
 * positively correlated and the slope is much sharper than from independent samples).
 *
 *   s_hat = sum_k w_k log(ybar_k),   w_k = (log x_k - mean log x) / S_xx   (the OLS slope of log ybar on log x),
 *
 * the slope of the least-squares line through the log MEANS (not a model assumption: s_hat estimates the slope of
 * the line fitted to the true log E[Y](x_k), whatever shape E[Y] has). Its standard error is the delta method with
 * the replicates' covariance: s_hat - s ~ (1/M) sum_m z_m with z_m = sum_k (w_k / ybar_k)(Y_km - ybar_k), so
 * se = sd(z)/sqrt(M), and the interval is s_hat +- t_{M-1} se (asymptotic in M; the t quantile is the usual
 * small-sample guard).
 *
 * bandDecision: the claim "s lies in [lo, hi]" is refuted when the whole interval lies outside the band; a true
 * claim is refuted with probability <= (1 - confidence)/2 per side (asymptotically). bandPower: the probability of
 * refuting when the true slope is `alternative` (normal approximation with the observed se).
 */
import { normalCdf, normalQuantile, studentTQuantile } from './special.ts';
import { checkConfidence } from './validate.ts';

export interface PowerLawFit {
  readonly slope: number;
  readonly se: number;
  readonly lo: number;
  readonly hi: number;
  readonly df: number;
  readonly confidence: number;
  /** the means ybar_k */
  readonly means: readonly number[];
}

/**
 * samples[k][m]: replicate m at design point x[k] (every row the same length M >= 2; all samples >= 0, every mean
 * > 0). Needs at least two distinct x.
 */
export function powerLawOfMeans(x: ArrayLike<number>, samples: readonly ArrayLike<number>[], opts: { confidence: number }): PowerLawFit {
  const fn = 'powerLawOfMeans';
  checkConfidence(fn, opts.confidence);
  const K = x.length;
  if (K < 2) throw new Error(`${fn}: need at least 2 design points, got ${K}`);
  if (samples.length !== K) throw new Error(`${fn}: x has ${K} design points but samples has ${samples.length} rows`);
  const M = samples[0].length;
  if (M < 2) throw new Error(`${fn}: need at least 2 replicates per design point, got ${M}`);
  const lx = new Float64Array(K);
  const means = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    if (!(x[k] > 0 && Number.isFinite(x[k]))) throw new Error(`${fn}: x[${k}] is ${x[k]}, expected positive and finite`);
    if (samples[k].length !== M) throw new Error(`${fn}: row ${k} has ${samples[k].length} replicates, row 0 has ${M}`);
    lx[k] = Math.log(x[k]);
    let s = 0;
    for (let m = 0; m < M; m++) {
      const v = samples[k][m];
      if (!(v >= 0 && Number.isFinite(v))) throw new Error(`${fn}: samples[${k}][${m}] is ${v}, expected finite and >= 0`);
      s += v;
    }
    means[k] = s / M;
    if (!(means[k] > 0)) throw new Error(`${fn}: the mean at x[${k}] = ${x[k]} is 0; a power law needs positive means`);
  }
  let mx = 0;
  for (let k = 0; k < K; k++) mx += lx[k] / K;
  let sxx = 0;
  for (let k = 0; k < K; k++) sxx += (lx[k] - mx) ** 2;
  if (!(sxx > 0)) throw new Error(`${fn}: all x are equal (${x[0]}), the slope is undefined`);
  const w = Array.from(lx, (v) => (v - mx) / sxx);
  let slope = 0;
  for (let k = 0; k < K; k++) slope += w[k] * Math.log(means[k]);
  let zMean = 0;
  const z = new Float64Array(M);
  for (let m = 0; m < M; m++) {
    let v = 0;
    for (let k = 0; k < K; k++) v += (w[k] / means[k]) * (samples[k][m] - means[k]);
    z[m] = v;
    zMean += v / M;
  }
  let ss = 0;
  for (let m = 0; m < M; m++) ss += (z[m] - zMean) ** 2;
  const se = Math.sqrt(ss / (M - 1) / M);
  const hw = studentTQuantile(1 - (1 - opts.confidence) / 2, M - 1) * se;
  return { slope, se, lo: slope - hw, hi: slope + hw, df: M - 1, confidence: opts.confidence, means: Array.from(means) };
}

/** Refuted iff the interval [fit.lo, fit.hi] misses the band [lo, hi] entirely. */
export function bandDecision(fit: PowerLawFit, band: readonly [number, number]): { refuted: boolean; summary: string } {
  const [lo, hi] = band;
  if (!(lo <= hi)) throw new Error(`bandDecision: band must have lo <= hi, got [${lo}, ${hi}]`);
  const refuted = fit.hi < lo || fit.lo > hi;
  const f = (v: number) => v.toFixed(3);
  return {
    refuted,
    summary: `slope ${f(fit.slope)} (se ${f(fit.se)}), ${(fit.confidence * 100).toPrecision(6)}% interval [${f(fit.lo)}, ${f(fit.hi)}] ${refuted ? 'misses' : 'meets'} the band [${f(lo)}, ${f(hi)}]`,
  };
}

/**
 * Probability that bandDecision refutes when the true slope is `alternative` and the estimate is normal with
 * standard deviation `se` (the interval's half-width is z se with z the normal quantile at the same confidence).
 */
export function bandPower(alternative: number, se: number, band: readonly [number, number], confidence: number): number {
  checkConfidence('bandPower', confidence);
  if (!(se > 0)) throw new Error(`bandPower: se must be > 0, got ${se}`);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  // refuted above: s_hat - z se > hi;  below: s_hat + z se < lo
  return (1 - normalCdf((band[1] + z * se - alternative) / se)) + normalCdf((band[0] - z * se - alternative) / se);
}
