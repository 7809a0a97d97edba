/**
 * Linear algebra of Local-GD on the squared loss, shared by the `regression.*` properties of the implicit-bias family
 * (docs/theory.md#02-certified-references closed form, docs/theory.md#12-regression). Not a property file (the registry loads only *.prop.ts).
 *
 * MEAN convention (src/problems/types.ts): node k's gradient is X_k^T (X_k w - y_k) / n_k, so one local step is
 *   w -> B_k w + eta g_k,   B_k = I - eta H_k,   H_k = X_k^T X_k / n_k,   g_k = X_k^T y_k / n_k,
 * L_k steps are w -> A_k w + c_k with A_k = B_k^{L_k}, c_k = sum_{j < L_k} B_k^j eta g_k, and one round is
 *   w -> T w + c,   T = sum_k alpha_k A_k,   c = sum_k alpha_k c_k.
 * T is symmetric, equals I on null(X) and maps row(X) into itself; rho = spectral radius of T on row(X).
 *
 * Everything here is f64 with a stated error bound; the exact (rational) references live in regression.exact.support.ts.
 */
import { EPS, eigSym, gemv, gramT, norm2, svd } from '../../src/numeric/index.ts';
import type { Mat, Vec } from '../../src/numeric/index.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';

/** Normalised weights raw_k / sum raw, with the same arithmetic as the optimizers (parts/problem.ts). */
export function normalisedWeights(raw: readonly number[]): Float64Array {
  let total = 0;
  for (const v of raw) total += v;
  return Float64Array.from(raw, (v) => v / total);
}

export function frobenius(X: Mat): number {
  return norm2(X.data);
}

export interface NodeMap {
  /** A_k = B_k^{L_k} */
  readonly A: Mat;
  /** c_k = sum_{j < L_k} B_k^j eta g_k */
  readonly c: Vec;
  /** lambda_max(H_k) (f64 eigensolver) */
  readonly lambdaMax: number;
  /** ||B_k||_2 <= max(1, |1 - eta lambda_max|): eigenvalues of B_k are 1 - eta lambda, lambda in [0, lambda_max] */
  readonly stepNorm: number;
  /** bound on ||A_k(f64) - A_k||_2 */
  readonly error: number;
}

function identity(d: number): Float64Array {
  const I = new Float64Array(d * d);
  for (let i = 0; i < d; i++) I[i * d + i] = 1;
  return I;
}

function mulSquare(P: Float64Array, Q: Float64Array, d: number): Float64Array {
  const C = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const a = P[i * d + k];
      if (a === 0) continue;
      for (let j = 0; j < d; j++) C[i * d + j] += a * Q[k * d + j];
    }
  }
  return C;
}

/** Node k's L-step map (A_k, c_k) in f64, with an error bound. */
export function nodeMap(X: Mat, y: Vec, eta: number, L: number): NodeMap {
  const d = X.cols;
  const n = X.rows;
  const G = gramT(X);
  const B = identity(d);
  for (let i = 0; i < d * d; i++) B[i] -= (eta * G.data[i]) / n;
  const lambdaMax = eigSym({ rows: d, cols: d, data: Float64Array.from(G.data, (v) => v / n) }).values[d - 1];
  const stepNorm = Math.max(1, Math.abs(1 - eta * lambdaMax));
  const g = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) g[j] += (X.data[i * d + j] * y[i]) / n;
  let A = identity(d);
  let c: Vec = new Float64Array(d);
  for (let l = 0; l < L; l++) {
    A = mulSquare(B, A, d);
    const next = gemv({ rows: d, cols: d, data: B }, c);
    for (let j = 0; j < d; j++) next[j] += eta * g[j];
    c = next;
  }
  // why: each product B A_j has entrywise error <= gamma_d |B||A_j| with Frobenius norms <= sqrt(d) ||.||_2, and the
  // earlier errors are carried by B (norm stepNorm); B itself is rounded by (n + 2) eps relative to 1 + eta ||X||_F^2/n
  const kT = d * d + n + 4;
  const error = L * stepNorm ** L * kT * EPS * (1 + (eta * frobenius(X) ** 2) / n);
  return { A: { rows: d, cols: d, data: A }, c, lambdaMax, stepNorm, error };
}

export interface RoundMap {
  readonly T: Mat;
  readonly c: Vec;
  readonly nodes: readonly NodeMap[];
  /** G = max_k ||B_k||^{L_k}: how much a local run can stretch a deviation from the limit within one round */
  readonly growth: number;
  /** bound on ||T(f64) - T||_2 */
  readonly error: number;
}

export function roundMap(ds: FederatedDataset, eta: number, L: readonly number[], alpha: Vec): RoundMap {
  const d = ds.d;
  const T = new Float64Array(d * d);
  const c = new Float64Array(d);
  const nodes: NodeMap[] = [];
  let growth = 1;
  let error = 0;
  ds.nodes.forEach((nd, k) => {
    const m = nodeMap(nd.X, nd.y, eta, L[k]);
    nodes.push(m);
    for (let i = 0; i < d * d; i++) T[i] += alpha[k] * m.A.data[i];
    for (let j = 0; j < d; j++) c[j] += alpha[k] * m.c[j];
    growth = Math.max(growth, m.stepNorm ** L[k]);
    error += alpha[k] * m.error + 2 * ds.nodes.length * EPS * m.stepNorm ** L[k];
  });
  return { T: { rows: d, cols: d, data: T }, c, nodes, growth, error };
}

export interface RowBasis {
  /** d x r, orthonormal columns spanning row(X) of the pooled X (r = rank) */
  readonly Q: Mat;
  /** sigma_max / sigma_min of the pooled X over its nonzero singular values */
  readonly kappa: number;
  /** bound on the angle between span(Q) and row(X): k max(N, d) eps kappa */
  readonly angle: number;
}

export function rowBasis(X: Mat): RowBasis {
  const s = svd(X);
  const r = s.rank;
  const d = X.cols;
  const Q = new Float64Array(d * r);
  for (let i = 0; i < d; i++) for (let j = 0; j < r; j++) Q[i * r + j] = s.V.data[i * s.V.cols + j];
  const kappa = s.s[0] / s.s[r - 1];
  // why: a backward-stable SVD moves the row space by at most ~ max(N, d) eps ||X|| / sigma_min (Wedin), doubled
  const angle = 2 * Math.max(X.rows, d) * EPS * kappa;
  return { Q: { rows: d, cols: r, data: Q }, kappa, angle };
}

/** Q^T v (length r). */
export function coords(Q: Mat, v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(Q.cols);
  for (let i = 0; i < Q.rows; i++) {
    const vi = v[i];
    if (vi === 0) continue;
    for (let j = 0; j < Q.cols; j++) out[j] += Q.data[i * Q.cols + j] * vi;
  }
  return out;
}

/** ||P_row v|| = ||Q^T v||. */
export function rowNorm(Q: Mat, v: ArrayLike<number>): number {
  return norm2(coords(Q, v));
}

/** ||v - Q Q^T v||, the distance of v from row(X). */
export function rowDistance(Q: Mat, v: ArrayLike<number>): number {
  const a = coords(Q, v);
  const r = new Float64Array(Q.rows);
  for (let i = 0; i < Q.rows; i++) {
    let s = v[i];
    for (let j = 0; j < Q.cols; j++) s -= Q.data[i * Q.cols + j] * a[j];
    r[i] = s;
  }
  return norm2(r);
}

export interface RowSpectrum {
  /** eigenvalues of T restricted to row(X), ascending */
  readonly values: Vec;
  readonly rho: number;
  /** the eigenvalue of largest modulus and its unit eigenvector (length d, in row(X)) */
  readonly lambdaTop: number;
  readonly vTop: Vec;
  /** ||T vTop - lambdaTop vTop||, computed in f64 */
  readonly residual: number;
  /** bound on |rho(f64) - rho| */
  readonly error: number;
}

/** Spectrum of T on row(X) from eigSym(Q^T T Q) (symmetrised: T is symmetric up to its rounding). */
export function rowSpectrum(round: RoundMap, basis: RowBasis): RowSpectrum {
  const { T } = round;
  const { Q } = basis;
  const d = T.rows;
  const r = Q.cols;
  const TQ = new Float64Array(d * r);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const t = T.data[i * d + k];
      if (t === 0) continue;
      for (let j = 0; j < r; j++) TQ[i * r + j] += t * Q.data[k * r + j];
    }
  }
  const M = new Float64Array(r * r);
  for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += Q.data[i * r + a] * TQ[i * r + b];
    M[a * r + b] = s;
  }
  for (let a = 0; a < r; a++) for (let b = a + 1; b < r; b++) M[a * r + b] = M[b * r + a] = (M[a * r + b] + M[b * r + a]) / 2;
  const e = eigSym({ rows: r, cols: r, data: M });
  const lo = e.values[0];
  const hi = e.values[r - 1];
  const top = Math.abs(lo) > Math.abs(hi) ? 0 : r - 1;
  const lambdaTop = e.values[top];
  const vTop = new Float64Array(d);
  for (let i = 0; i < d; i++) for (let j = 0; j < r; j++) vTop[i] += Q.data[i * r + j] * e.V.data[j * r + top];
  const nv = norm2(vTop);
  for (let i = 0; i < d; i++) vTop[i] /= nv;
  const Tv = gemv(T, vTop);
  for (let i = 0; i < d; i++) Tv[i] -= lambdaTop * vTop[i];
  const normT = Math.max(Math.abs(lo), Math.abs(hi), 1);
  // why: Weyl: rounding of T (round.error), of Q^T T Q and the eigensolver (~ (d + r) eps ||T||, doubled), and the
  // tilt of span(Q) against row(X) (2 angle ||T||, T = I on the null space)
  const error = round.error + (2 * (d + r) * EPS + 2 * basis.angle) * normT;
  return { values: e.values, rho: Math.abs(lambdaTop), lambdaTop, vTop, residual: norm2(Tv), error };
}

/**
 * Bound on the f64 rounding that ONE round of Local-GD adds to the global model, when every local iterate has norm
 * <= W (docs/theory.md#01-local-gd-round round, computed as in src/optimizers/parts: gradients by length-d and length-n_k dot products,
 * aggregation by a length-K weighted sum), with eps = 2u per operation: EPS for f64, EPS32 for the f32 GPU kernel
 * (2u per operation also covers fma fused or not, and the f32 rounding of alpha). An error injected at a local step is carried by at most G = growth through
 * the remaining local steps of the round. Per step of node k: (d + n_k + 2) eps (W + eta ||X_k||_F (||X_k||_F W +
 * ||y_k||) / n_k); aggregation: (2K + 1) eps W (the products, the sum, and sum beta_k = 1 only up to K eps).
 */
export function roundRounding(ds: FederatedDataset, eta: number, L: readonly number[], alpha: Vec, growth: number, W: number, eps = EPS): number {
  let D = (2 * ds.nodes.length + 1) * eps * W;
  ds.nodes.forEach((nd, k) => {
    const n = nd.X.rows;
    const fx = frobenius(nd.X);
    const sigma = W + (eta * fx * (fx * W + norm2(nd.y))) / n;
    D += alpha[k] * L[k] * growth * (ds.d + n + 2) * eps * sigma;
  });
  return D;
}

/** Rounds R with rho^R <= target (at least minRounds); Infinity when rho >= 1. */
export function roundsFor(rho: number, target: number, minRounds = 1): number {
  if (!(rho < 1)) return Infinity;
  if (rho === 0) return minRounds;
  return Math.max(minRounds, Math.ceil(Math.log(target) / Math.log(rho)));
}
