/**
 * f64 active-set solver for least-distance programming (LDP), used only to PROPOSE an active set
 * that the exact/Decimal stage then certifies or corrects.
 *
 *   LDP:  minimise ||v||  subject to  Z v >= h.
 *
 * Lawson & Hanson (Solving Least Squares Problems, ch. 23): with E = [Z^T; h^T] ((d+1) x N) and
 * f = e_{d+1}, solve the NNLS problem  min ||E u - f||, u >= 0  by their active-set algorithm.
 *  - If the residual r = E u - f is nonzero, v = -r_{1:d} / r_{d+1} solves the LDP and the
 *    multipliers of Z v >= h are lambda = u / (1 - h^T u); the passive set of u is the active set.
 *  - If r = 0, then Z^T u = 0, h^T u = 1, u >= 0: a Farkas certificate that Z v >= h is infeasible.
 * The NNLS normal equations use the Gram K = E^T E = Z Z^T + h h^T (no penalty, no soft margin).
 */
import { EPS, gram, type Mat, type Vec } from '../numeric/index.ts';
import { cholesky } from '../numeric/index.ts';

export interface NnlsLdpResult {
  /** the NNLS solution u >= 0 (N entries) */
  readonly u: Vec;
  /** indices with u_i > 0 (ascending) */
  readonly passive: number[];
  /** ||E u - f||^2 = ||Z^T u||^2 + (h^T u - 1)^2; 0 means infeasible */
  readonly residualSq: number;
  /** multipliers u / (1 - h^T u) (meaningful when residualSq > 0) */
  readonly lambda: Vec;
  readonly iterations: number;
}

function solveSub(K: Float64Array, N: number, P: readonly number[], h: Vec): Float64Array | null {
  const p = P.length;
  const data = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) data[a * p + b] = K[P[a] * N + P[b]];
  try {
    const s = cholesky({ rows: p, cols: p, data }).solve(Float64Array.from(P, (i) => h[i]));
    for (let a = 0; a < p; a++) if (!Number.isFinite(s[a])) return null;
    return s;
  } catch {
    return null;
  }
}

export function nnlsLdp(Z: Mat, h: Vec): NnlsLdpResult {
  const N = Z.rows;
  const d = Z.cols;
  // Two exact reformulations keep the f64 problem well scaled (they change neither the feasible set
  // nor the active set): v -> v / g with Z -> g Z (g a power of two making max ||z_i|| ~ max |h_i|,
  // so that ||v|| is moderate and the NNLS residual 1 / (1 + ||v||^2) is not lost in rounding), and
  // each row (z_i, h_i) -> c_i (z_i, h_i) with unit norm. Multipliers map back as lambda_i = g^2 c_i lambda'_i.
  let zmax = 0;
  let hmax = 0;
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += Z.data[i * d + j] ** 2;
    zmax = Math.max(zmax, Math.sqrt(s));
    hmax = Math.max(hmax, Math.abs(h[i]));
  }
  const g = zmax > 0 ? 2 ** Math.round(Math.log2((hmax > 0 ? hmax : 1) / zmax)) : 1;
  const c = new Float64Array(N);
  const Zs = new Float64Array(N * d);
  const hs = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let s = h[i] * h[i];
    for (let j = 0; j < d; j++) s += (g * Z.data[i * d + j]) ** 2;
    c[i] = s > 0 ? 1 / Math.sqrt(s) : 1;
    for (let j = 0; j < d; j++) Zs[i * d + j] = c[i] * g * Z.data[i * d + j];
    hs[i] = c[i] * h[i];
  }
  const r = nnlsLdpScaled({ rows: N, cols: d, data: Zs }, hs);
  const u = Float64Array.from(r.u, (v, i) => v * c[i]);
  const lambda = Float64Array.from(r.lambda, (v, i) => v * c[i] * g * g);
  return { ...r, u, lambda };
}

function nnlsLdpScaled(Z: Mat, h: Vec): NnlsLdpResult {
  const N = Z.rows;
  const d = Z.cols;
  const K = Float64Array.from(gram(Z).data);
  let hmax = 0;
  let kmax = 0;
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) K[i * N + j] += h[i] * h[j];
    hmax = Math.max(hmax, Math.abs(h[i]));
    kmax = Math.max(kmax, K[i * N + i]);
  }
  const u = new Float64Array(N);
  const inP = new Uint8Array(N);
  const banned = new Uint8Array(N);
  let P: number[] = [];
  const wv = new Float64Array(N);
  const maxIter = 3 * N + 30;
  let iterations = 0;
  for (; iterations < maxIter; iterations++) {
    let usum = 0;
    for (let i = 0; i < N; i++) {
      let s = h[i];
      for (const k of P) s -= K[i * N + k] * u[k];
      wv[i] = s;
      usum += u[i];
    }
    const tol = 64 * (N + 1) * EPS * (hmax + kmax * usum);
    let t = -1;
    let best = tol;
    for (let i = 0; i < N; i++) if (!inP[i] && !banned[i] && wv[i] > best) { best = wv[i]; t = i; }
    if (t < 0) break;
    P.push(t);
    inP[t] = 1;
    for (let inner = 0; inner < maxIter; inner++) {
      const s = solveSub(K, N, P, h);
      if (s === null) {
        if (inP[t]) { P = P.filter((i) => i !== t); inP[t] = 0; u[t] = 0; }
        banned[t] = 1;
        break;
      }
      let allPos = true;
      for (let a = 0; a < P.length; a++) if (!(s[a] > 0)) allPos = false;
      if (allPos) {
        P.forEach((i, a) => (u[i] = s[a]));
        banned.fill(0);
        break;
      }
      let alpha = 1;
      P.forEach((i, a) => {
        if (s[a] <= 0) alpha = Math.min(alpha, u[i] / (u[i] - s[a]));
      });
      let umax = 0;
      P.forEach((i, a) => {
        u[i] += alpha * (s[a] - u[i]);
        umax = Math.max(umax, u[i]);
      });
      const keep: number[] = [];
      for (const i of P) {
        if (u[i] > 16 * EPS * umax) keep.push(i);
        else { u[i] = 0; inP[i] = 0; }
      }
      if (!inP[t]) banned[t] = 1; // t left at once: do not pick it again in this round
      P = keep;
      if (P.length === 0) break;
    }
  }
  const zu = new Float64Array(d);
  let hu = 0;
  for (let i = 0; i < N; i++) {
    if (u[i] === 0) continue;
    hu += h[i] * u[i];
    for (let j = 0; j < d; j++) zu[j] += u[i] * Z.data[i * d + j];
  }
  let residualSq = (hu - 1) * (hu - 1);
  for (let j = 0; j < d; j++) residualSq += zu[j] * zu[j];
  const denom = 1 - hu;
  const lambda = Float64Array.from(u, (x) => (denom > 0 ? x / denom : 0));
  const passive: number[] = [];
  for (let i = 0; i < N; i++) if (u[i] > 0) passive.push(i);
  return { u, passive, residualSq, lambda, iterations };
}
