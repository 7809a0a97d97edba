/**
 * The observables of the classification properties (docs/theory.md#0-notation-and-conventions, docs/theory.md#13-classification-with-local-gd): norms, distances, the direction error ang,
 * the margins and the normalised and smoothed margins. Pure functions of vectors and the signed rows Z = diag(y) X;
 * re-exported by classification.support.ts. Not a property file.
 */
import type { Mat, Vec } from '../../src/numeric/index.ts';
import type { LossName } from '../../src/problems/losses.ts';

/** z_i^T v[off .. off + d) */
export function rowDot(Z: Mat, i: number, v: ArrayLike<number>, off: number): number {
  let s = 0;
  for (let c = 0; c < Z.cols; c++) s += Z.data[i * Z.cols + c] * v[off + c];
  return s;
}

export function norm(u: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < u.length; j++) s += u[j] * u[j];
  return Math.sqrt(s);
}

export function distance(u: ArrayLike<number>, v: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < u.length; j++) s += (u[j] - v[j]) ** 2;
  return Math.sqrt(s);
}

/** ang(u, v) = || u/||u|| - v/||v|| || (docs/theory.md#0-notation-and-conventions); 2 (its largest value) when u = 0. */
export function angle(u: Vec, v: Vec): number {
  const nu = norm(u);
  const nv = norm(v);
  if (!(nu > 0)) return 2;
  let s = 0;
  for (let j = 0; j < u.length; j++) s += (u[j] / nu - v[j] / nv) ** 2;
  return Math.sqrt(s);
}

/** margins z_i^T w */
export function margins(Z: Mat, w: Vec): Float64Array {
  const m = new Float64Array(Z.rows);
  for (let i = 0; i < Z.rows; i++) m[i] = rowDot(Z, i, w, 0);
  return m;
}

/** gamma(w) = min_i z_i^T w / ||w|| (the normalised margin); -Infinity for w = 0. */
export function normalisedMargin(Z: Mat, w: Vec): number {
  const nw = norm(w);
  if (!(nw > 0)) return -Infinity;
  return Math.min(...margins(Z, w)) / nw;
}

/**
 * Smoothed margin (Lyu & Li 2020): psi(w) / ||w|| with, for the pooled sum loss S(w) = sum_i l(z_i^T w),
 *   exponential  psi = -log S(w)                    (= -log sum_i exp(-m_i), a log-sum-exp)
 *   logistic     psi = -log(exp(S(w)) - 1)
 * Both satisfy psi <= min_i m_i, so psi/||w|| <= gamma(w) <= gamma*. Below: psi >= min_i m_i - log N (exponential);
 * psi >= min_i m_i - log N - sum_i e^{-m_i} (logistic: l(m) <= e^{-m} and e^S - 1 <= S e^S), the same bound once the
 * margins are large (the regime of Z-C2-margin). Computed in the
 * log domain (no underflow for large margins). -Infinity for w = 0.
 */
export function smoothedMargin(loss: LossName, Z: Mat, w: Vec): number {
  const nw = norm(w);
  if (!(nw > 0)) return -Infinity;
  const m = margins(Z, w);
  // log l(m_i): exponential -m; logistic log(log1p(e^{-m}))
  const logl = Array.from(m, (v) => (loss === 'exponential' ? -v : logSoftplusNeg(v)));
  const top = Math.max(...logl);
  let s = 0;
  for (const a of logl) s += Math.exp(a - top);
  const logS = top + Math.log(s);
  if (loss === 'exponential') return -logS / nw;
  const S = Math.exp(logS);
  // log(expm1(S)) = log S + log(expm1(S) / S); the ratio is 1 when S underflows
  const psi = -(S === 0 ? logS : S > 700 ? S + Math.log1p(-Math.exp(-S)) : logS + Math.log(Math.expm1(S) / S));
  return psi / nw;
}

/** log(log(1 + e^{-m})) without underflow. */
function logSoftplusNeg(m: number): number {
  if (m <= 0) return Math.log(-m + Math.log1p(Math.exp(m)));
  const u = Math.exp(-m);
  return u === 0 ? -m : -m + Math.log(Math.log1p(u) / u);
}

