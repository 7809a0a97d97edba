/** Ordinary least squares of y on x with a Student t interval for the slope; the log-log slope of a power law. */
import { studentTQuantile } from './special.ts';
import { checkConfidence, checkSamples } from './validate.ts';

export interface SlopeFit {
  readonly slope: number;
  readonly intercept: number;
  /** standard error of the slope, √(SSE/(n-2) / Sxx) */
  readonly seSlope: number;
  readonly df: number;
  readonly lo: number;
  readonly hi: number;
  readonly r2: number;
  readonly confidence: number;
}

/** OLS fit y ≈ intercept + slope·x, with a two-sided t interval (n - 2 df) for the slope. Needs n >= 3 and two distinct x. */
export function olsSlope(x: ArrayLike<number>, y: ArrayLike<number>, opts: { confidence: number }): SlopeFit {
  const fn = 'olsSlope';
  checkConfidence(fn, opts.confidence);
  checkSamples(fn, 'x', x, 3);
  checkSamples(fn, 'y', y, 3);
  if (x.length !== y.length) throw new Error(`${fn}: x has ${x.length} entries but y has ${y.length}`);
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (!(sxx > 0)) throw new Error(`${fn}: all x are equal (${x[0]}), the slope is undefined`);
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const r = y[i] - intercept - slope * x[i];
    sse += r * r;
  }
  const df = n - 2;
  const seSlope = Math.sqrt(sse / df / sxx);
  const hw = studentTQuantile(1 - (1 - opts.confidence) / 2, df) * seSlope;
  return { slope, intercept, seSlope, df, lo: slope - hw, hi: slope + hw, r2: syy > 0 ? 1 - sse / syy : 1, confidence: opts.confidence };
}

/** Slope of log y against log x (the exponent p of y ≈ c·x^p) with its t interval. x and y must be positive. */
export function logLogSlope(x: ArrayLike<number>, y: ArrayLike<number>, opts: { confidence: number }): SlopeFit {
  const fn = 'logLogSlope';
  if (x.length !== y.length) throw new Error(`${fn}: x has ${x.length} entries but y has ${y.length}`);
  const lx = new Float64Array(x.length);
  const ly = new Float64Array(y.length);
  for (let i = 0; i < x.length; i++) {
    if (!(x[i] > 0 && Number.isFinite(x[i]))) throw new Error(`${fn}: x[${i}] is ${x[i]}, expected positive and finite`);
    if (!(y[i] > 0 && Number.isFinite(y[i]))) throw new Error(`${fn}: y[${i}] is ${y[i]}, expected positive and finite`);
    lx[i] = Math.log(x[i]);
    ly[i] = Math.log(y[i]);
  }
  return olsSlope(lx, ly, opts);
}
