/**
 * Losses of lsgd-spec: squared, exponential, logistic, each with an optional L2 term, and two non-convex losses:
 * quartic (phase retrieval), for the counterexamples that drop PL / convexity, and sinsq, a non-convex loss that KEEPS
 * the PL inequality (the non-convex PL objectives of the LUPA-SGD properties).
 *
 * CONVENTION (src/problems/types.ts): a node's loss is the MEAN over its samples plus the L2 term,
 *
 *   f_k(w) = (1/n_k) sum_{i in node k} l(x_i^T w, y_i) + (lambda/2) ||w||^2,      F(w) = sum_k alpha_k f_k(w),
 *
 * so with sum_k alpha_k = 1 the L2 term appears once in F. Per-sample losses, with score s = x^T w and, for the
 * classification losses, margin m = y s (labels y in {-1, +1}):
 *
 *   squared      l = (1/2)(s - y)^2                       dl/ds = s - y
 *   exponential  l = exp(-m)                              dl/ds = -y exp(-m)
 *   logistic     l = log(1 + exp(-m))                     dl/ds = -y sigma(-m),   sigma(t) = 1/(1 + exp(-t))
 *   quartic      l = (1/4)(s^2 - y)^2                     dl/ds = (s^2 - y) s       (y real; NOT convex for y > 0)
 *   sinsq        l = r^2 + 3 sin^2(r),  r = s - y         dl/ds = 2 r + 3 sin(2 r)  (y real; NOT convex, but PL)
 *
 * quartic is a regression loss (any real label). For y > 0 it is a double well in s with minima s = +-sqrt(y) and a
 * local maximum at s = 0, so it is neither convex nor PL: on rows e_1..e_d with y = 1 the objective is the symmetric
 * double well F(x) = (1/4d) sum_i (x_i^2 - 1)^2 of docs/theory.md#26-how-tau-enters (drop PL). For y <= 0 it is convex with its minimum
 * at s = 0. It is not globally smooth (l'' = 3 s^2 - y), so step sizes must come from a bound on the iterates.
 *
 * sinsq is the classic non-convex PL example x^2 + 3 sin^2(x) applied to the residual r = s - y (a regression loss).
 * l'' = 2 + 6 cos(2r) takes both signs (in [-4, 8]), so it is not convex; its only stationary point is r = 0 and
 * (1/2) l'(r)^2 >= mu_g l(r) with mu_g >= 1/6 (the constants, their proof and the d-dimensional objectives built from
 * it are in src/arbitraries/sinPlProblem.ts). Smooth with l'' <= 8, bounded derivative growth (|l'| <= 2|r| + 3).
 *
 * Numerical stability (docs/theory.md#01-local-gd-round losses; the large-margin regime of docs/theory.md#13-classification-with-local-gd):
 *   - logistic is evaluated as max(-m, 0) + log1p(exp(-|m|)) and sigma(-m) from exp(-|m|): finite for every finite
 *     m, no overflow, no log(0); at m = +-1e3 it gives 0 and 1e3 (and derivative 0 and -y), as exact arithmetic rounds.
 *   - exponential: exp(-m) underflows to 0 for large m (harmless), and for m < -709.78 it exceeds the f64 range.
 *     The loss VALUE is then +Infinity (the correctly rounded overflow; never NaN); a GRADIENT cannot be represented,
 *     so every gradient function throws a one-line error naming the node-local sample and its margin.
 *   - quartic: the value overflows to +Infinity for |s| beyond ~1e77 (never NaN); the derivative then overflows and the
 *     gradient functions throw, naming the row and its score.
 *   - a NaN or infinite score (a diverged model) makes the gradient functions throw as well.
 *
 * Hot paths (nodeGrad, nodeGradRows) allocate nothing and work on blocks of four rows: one pass over w gives the
 * four scores, one pass over the gradient adds the four rows while they are in cache. Labels are not re-validated
 * there (validateProblem in src/optimizers/parts/problem.ts checks them once per run); everything else checks shapes
 * in O(1).
 */
import { dotRange } from '../numeric/kernels.ts';
import type { Mat, Vec } from '../numeric/types.ts';
import type { FederatedDataset } from './types.ts';

export type LossName = 'squared' | 'exponential' | 'logistic' | 'quartic' | 'sinsq';

export interface LossSpec {
  readonly name: LossName;
  /** lambda >= 0 of the (lambda/2)||w||^2 term added to every node's mean loss (default 0) */
  readonly l2?: number;
}

export const LOSS_NAMES: readonly LossName[] = ['squared', 'exponential', 'logistic', 'quartic', 'sinsq'];

/** Largest margin magnitude for which exp(-m) is finite: exp(709.78...) is the last finite f64 power of e. */
export const EXP_OVERFLOW_MARGIN = -Math.log(Number.MAX_VALUE);

/** True for the losses whose labels must be -1 or +1 (they use margins y x^T w). */
export function isMarginLoss(name: LossName): boolean {
  return name === 'exponential' || name === 'logistic';
}

/** Throws unless `loss` is a known loss with a finite l2 >= 0. */
export function validateLoss(fn: string, loss: LossSpec): void {
  if (loss === null || typeof loss !== 'object' || !LOSS_NAMES.includes(loss.name)) {
    const got = loss !== null && typeof loss === 'object' ? JSON.stringify(loss.name) : String(loss);
    throw new Error(`${fn}: loss.name must be one of ${LOSS_NAMES.join(', ')}, got ${got}`);
  }
  const l2 = loss.l2 ?? 0;
  if (typeof l2 !== 'number' || !(l2 >= 0) || !Number.isFinite(l2)) {
    throw new Error(`${fn}: loss.l2 must be a finite number >= 0, got ${String(loss.l2)}`);
  }
}

/** l(s, y) for one sample (s = x^T w). Never NaN for finite s, y; exponential may return +Infinity. */
export function sampleLoss(name: LossName, s: number, y: number): number {
  switch (name) {
    case 'squared': {
      const r = s - y;
      return 0.5 * r * r;
    }
    case 'exponential':
      return Math.exp(-y * s);
    case 'logistic': {
      const m = y * s;
      return m >= 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));
    }
    case 'quartic': {
      const r = s * s - y;
      return 0.25 * r * r;
    }
    case 'sinsq': {
      const r = s - y;
      const q = Math.sin(r);
      return r * r + 3 * q * q;
    }
  }
}

/** dl/ds for one sample. Exponential may return -+Infinity (beyond the f64 range); logistic is always finite. */
export function sampleDerivative(name: LossName, s: number, y: number): number {
  switch (name) {
    case 'squared':
      return s - y;
    case 'exponential':
      return -y * Math.exp(-y * s);
    case 'logistic':
      return -y * sigmaNeg(y * s);
    case 'quartic':
      return (s * s - y) * s;
    case 'sinsq':
      return 2 * (s - y) + 3 * Math.sin(2 * (s - y));
  }
}

/** sigma(-m) = 1/(1 + exp(m)) without overflow. */
function sigmaNeg(m: number): number {
  if (m >= 0) {
    const e = Math.exp(-m);
    return e / (1 + e);
  }
  return 1 / (1 + Math.exp(m));
}

// ---------------------------------------------------------------------------------------------------------------
// Node-level functions (mean over the node's rows).

function checkShapes(fn: string, X: Mat, y: Vec, w: Vec, gradOut?: Vec): void {
  if (X.cols !== w.length) throw new Error(`${fn}: X has ${X.cols} columns but w has ${w.length} entries`);
  if (y.length !== X.rows) throw new Error(`${fn}: X has ${X.rows} rows but y has ${y.length} entries`);
  if (gradOut !== undefined && gradOut.length !== w.length) {
    throw new Error(`${fn}: gradOut has ${gradOut.length} entries but w has ${w.length}`);
  }
}

/** out += c * row i of X (unrolled by 4, like gemvT). */
function addRow(data: Float64Array, base: number, d: number, c: number, out: Vec): void {
  let j = 0;
  const d4 = d - (d & 3);
  for (; j < d4; j += 4) {
    out[j] += c * data[base + j];
    out[j + 1] += c * data[base + j + 1];
    out[j + 2] += c * data[base + j + 2];
    out[j + 3] += c * data[base + j + 3];
  }
  for (; j < d; j++) out[j] += c * data[base + j];
}

/**
 * Scores of four rows in one pass over w (one accumulator per row: four independent chains), into score4.
 * The summation order is fixed (j ascending), so every caller of accumulateGrad sees the same bits.
 */
const score4 = new Float64Array(4);
function dotRows4(data: Float64Array, a: number, b: number, c: number, e: number, w: Vec, d: number): void {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let j = 0; j < d; j++) {
    const wj = w[j];
    s0 += data[a + j] * wj;
    s1 += data[b + j] * wj;
    s2 += data[c + j] * wj;
    s3 += data[e + j] * wj;
  }
  score4[0] = s0;
  score4[1] = s1;
  score4[2] = s2;
  score4[3] = s3;
}

/** out[j] = out[j] + c0 x_a[j] + c1 x_b[j] + c2 x_c[j] + c3 x_e[j] (left to right), one pass over out. */
function addRows4(data: Float64Array, a: number, b: number, c: number, e: number, d: number, c0: number, c1: number, c2: number, c3: number, out: Vec): void {
  for (let j = 0; j < d; j++) out[j] = out[j] + c0 * data[a + j] + c1 * data[b + j] + c2 * data[c + j] + c3 * data[e + j];
}

const SQUARED = 0, EXPONENTIAL = 1, LOGISTIC = 2, QUARTIC = 3, SINSQ = 4;

/** dl/ds for the loss kind (the same expressions as sampleDerivative). */
function derivative(kind: number, s: number, yi: number): number {
  if (kind === SQUARED) return s - yi;
  if (kind === EXPONENTIAL) return -yi * Math.exp(-yi * s);
  if (kind === QUARTIC) return (s * s - yi) * s;
  if (kind === SINSQ) return 2 * (s - yi) + 3 * Math.sin(2 * (s - yi));
  return -yi * sigmaNeg(yi * s);
}

/**
 * Sum over the listed rows of (dl/ds)(x_i^T w, y_i) * scale * x_i into gradOut (which is first zeroed), then
 * + lambda w. rows === null means every row. Returns the sum of |dl/ds| (a finiteness probe: +Infinity or NaN means
 * the gradient is not representable). Rows go four at a time (scores in one pass over w, then the four
 * contributions in one pass over gradOut; a block whose four coefficients are all 0 is skipped), the remaining
 * 0-3 rows one at a time. The arithmetic depends only on (X, y, w, rows), never on the caller.
 */
function accumulateGrad(
  name: LossName, X: Mat, y: Vec, w: Vec, rows: Int32Array | null, count: number, scale: number, gradOut: Vec,
): number {
  const { cols: d, data } = X;
  const kind = name === 'squared' ? SQUARED : name === 'exponential' ? EXPONENTIAL : name === 'quartic' ? QUARTIC : name === 'sinsq' ? SINSQ : LOGISTIC;
  gradOut.fill(0);
  let probe = 0;
  let r = 0;
  for (; r + 3 < count; r += 4) {
    const i0 = rows === null ? r : rows[r];
    const i1 = rows === null ? r + 1 : rows[r + 1];
    const i2 = rows === null ? r + 2 : rows[r + 2];
    const i3 = rows === null ? r + 3 : rows[r + 3];
    const a = i0 * d, b = i1 * d, c = i2 * d, e = i3 * d;
    dotRows4(data, a, b, c, e, w, d);
    const c0 = derivative(kind, score4[0], y[i0]);
    const c1 = derivative(kind, score4[1], y[i1]);
    const c2 = derivative(kind, score4[2], y[i2]);
    const c3 = derivative(kind, score4[3], y[i3]);
    probe += Math.abs(c0) + Math.abs(c1) + Math.abs(c2) + Math.abs(c3);
    if (c0 !== 0 || c1 !== 0 || c2 !== 0 || c3 !== 0) addRows4(data, a, b, c, e, d, c0 * scale, c1 * scale, c2 * scale, c3 * scale, gradOut);
  }
  for (; r < count; r++) {
    const i = rows === null ? r : rows[r];
    const ci = derivative(kind, dotRange(data, i * d, w, 0, d), y[i]);
    probe += Math.abs(ci);
    if (ci !== 0) addRow(data, i * d, d, ci * scale, gradOut);
  }
  return probe;
}

function addL2(lambda: number, w: Vec, gradOut: Vec): void {
  if (lambda === 0) return;
  for (let j = 0; j < w.length; j++) gradOut[j] += lambda * w[j];
}

/** The error for a non-representable gradient: names the first offending row (node-local index) and its score. */
function gradientError(fn: string, name: LossName, X: Mat, y: Vec, w: Vec, rows: Int32Array | null, count: number): Error {
  for (let r = 0; r < count; r++) {
    const i = rows === null ? r : rows[r];
    const s = dotRange(X.data, i * X.cols, w, 0, X.cols);
    const c = sampleDerivative(name, s, y[i]);
    if (!Number.isFinite(c)) {
      if (!Number.isFinite(s)) return new Error(`${fn}: the score of row ${i} is ${s} (the model has diverged or is not finite)`);
      if (name === 'exponential') {
        return new Error(`${fn}: the exponential loss overflows f64 at row ${i} (margin ${(y[i] * s).toExponential(3)} < ` +
          `${EXP_OVERFLOW_MARGIN.toFixed(2)}); the step size is probably too large`);
      }
      return new Error(`${fn}: the ${name} loss derivative at row ${i} is ${c} (score ${s})`);
    }
  }
  return new Error(`${fn}: the gradient of the ${name} loss is not finite (the summed derivatives overflow f64)`);
}

/**
 * Mean gradient of the node loss into gradOut (hot path: no loss value, no allocation):
 * gradOut = (1/n) sum_i (dl/ds)(x_i^T w, y_i) x_i + lambda w. Bit-identical to the gradient of nodeLossAndGrad.
 * Throws if n = 0 (a mean over no samples) or if the gradient is not finite (see the header).
 */
export function nodeGrad(loss: LossSpec, X: Mat, y: Vec, w: Vec, gradOut: Vec): Vec {
  checkShapes('nodeGrad', X, y, w, gradOut);
  const n = X.rows;
  if (n === 0) throw new Error('nodeGrad: the node has 0 rows, so its mean loss is undefined');
  const probe = accumulateGrad(loss.name, X, y, w, null, n, 1 / n, gradOut);
  if (!(probe < Infinity)) throw gradientError('nodeGrad', loss.name, X, y, w, null, n);
  addL2(loss.l2 ?? 0, w, gradOut);
  return gradOut;
}

/**
 * Minibatch gradient: the mean over the `count` listed rows (repeats allowed: sampling with replacement) into
 * gradOut, + lambda w. Allocation-free. rows holds node-local row indices in [0, n).
 */
export function nodeGradRows(loss: LossSpec, X: Mat, y: Vec, w: Vec, rows: Int32Array, count: number, gradOut: Vec): Vec {
  checkShapes('nodeGradRows', X, y, w, gradOut);
  if (!Number.isInteger(count) || count < 1 || count > rows.length) {
    throw new Error(`nodeGradRows: count must be an integer in [1, ${rows.length}] (rows.length), got ${count}`);
  }
  const probe = accumulateGrad(loss.name, X, y, w, rows, count, 1 / count, gradOut);
  if (!(probe < Infinity)) throw gradientError('nodeGradRows', loss.name, X, y, w, rows, count);
  addL2(loss.l2 ?? 0, w, gradOut);
  return gradOut;
}

/**
 * Mean loss of a node, f_k(w) = (1/n) sum_i l_i + (lambda/2)||w||^2, with a Neumaier-compensated sum over samples.
 * May be +Infinity (exponential loss beyond the f64 range); never NaN for finite inputs. Throws if n = 0.
 */
export function nodeLoss(loss: LossSpec, X: Mat, y: Vec, w: Vec): number {
  checkShapes('nodeLoss', X, y, w);
  const n = X.rows;
  if (n === 0) throw new Error('nodeLoss: the node has 0 rows, so its mean loss is undefined');
  const { cols: d, data } = X;
  let s0 = 0;
  let comp = 0;
  for (let i = 0; i < n; i++) {
    const v = sampleLoss(loss.name, dotRange(data, i * d, w, 0, d), y[i]);
    const t = s0 + v;
    comp += Math.abs(s0) >= Math.abs(v) ? s0 - t + v : v - t + s0;
    s0 = t;
  }
  // comp is NaN when s0 overflowed to Infinity (Inf - Inf); the sum is then +Infinity, not NaN.
  const sum = s0 === Infinity ? Infinity : s0 + comp;
  return sum / n + l2Term(loss.l2 ?? 0, w);
}

function l2Term(lambda: number, w: Vec): number {
  return lambda === 0 ? 0 : 0.5 * lambda * dotRange(w, 0, w, 0, w.length);
}

/**
 * Mean loss and mean gradient of a node: returns f_k(w) (as nodeLoss, bit for bit) and writes grad f_k(w) into
 * gradOut (as nodeGrad, bit for bit). If `scratch` (length >= n) is given it receives the per-sample derivatives
 * dl/ds (residuals s - y for the squared loss). Allocation-free.
 */
export function nodeLossAndGrad(loss: LossSpec, X: Mat, y: Vec, w: Vec, gradOut: Vec, scratch?: Vec): number {
  checkShapes('nodeLossAndGrad', X, y, w, gradOut);
  const n = X.rows;
  if (n === 0) throw new Error('nodeLossAndGrad: the node has 0 rows, so its mean loss is undefined');
  if (scratch !== undefined && scratch.length < n) {
    throw new Error(`nodeLossAndGrad: scratch has ${scratch.length} entries but the node has ${n} rows`);
  }
  const value = nodeLoss(loss, X, y, w);
  nodeGrad(loss, X, y, w, gradOut);
  if (scratch !== undefined) {
    for (let i = 0; i < n; i++) scratch[i] = sampleDerivative(loss.name, dotRange(X.data, i * X.cols, w, 0, X.cols), y[i]);
  }
  return value;
}

/**
 * Global objective F(w) = sum_k alpha_k f_k(w). alpha defaults to n_k / N (then F is the pooled mean loss). Nodes
 * with alpha_k = 0 are skipped (so zero-row nodes are fine there); a zero-row node with alpha_k > 0 is an error.
 * alpha is used as given (not renormalised); it must be finite and >= 0. Throws on a non-finite w.
 */
export function datasetLoss(ds: FederatedDataset, loss: LossSpec, w: Vec, alpha?: ArrayLike<number>): number {
  const fn = 'datasetLoss';
  validateLoss(fn, loss);
  if (w.length !== ds.d) throw new Error(`${fn}: w has ${w.length} entries but the dataset has d = ${ds.d}`);
  for (let j = 0; j < w.length; j++) {
    if (!Number.isFinite(w[j])) throw new Error(`${fn}: w[${j}] = ${w[j]} is not finite`);
  }
  const K = ds.nodes.length;
  let a: ArrayLike<number>;
  if (alpha === undefined) {
    let N = 0;
    for (const nd of ds.nodes) N += nd.X.rows;
    if (N === 0) throw new Error(`${fn}: every node (${K}) has 0 rows, so the weights n_k/N are undefined`);
    a = ds.nodes.map((nd) => nd.X.rows / N);
  } else {
    if (alpha.length !== K) throw new Error(`${fn}: alpha has ${alpha.length} entries but the dataset has ${K} nodes`);
    for (let k = 0; k < K; k++) {
      if (!(alpha[k] >= 0) || !Number.isFinite(alpha[k])) throw new Error(`${fn}: alpha[${k}] = ${alpha[k]} must be finite and >= 0`);
    }
    a = alpha;
  }
  let total = 0;
  let comp = 0;
  for (let k = 0; k < K; k++) {
    if (a[k] === 0) continue;
    const nd = ds.nodes[k];
    if (nd.X.rows === 0) throw new Error(`${fn}: node ${k} has 0 rows but weight alpha_${k} = ${a[k]} > 0`);
    const v = a[k] * nodeLoss(loss, nd.X, nd.y, w);
    const t = total + v;
    comp += Math.abs(total) >= Math.abs(v) ? total - t + v : v - t + total;
    total = t;
  }
  return total === Infinity ? Infinity : total + comp;
}
