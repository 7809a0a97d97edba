/**
 * The f32 error model of the WebGPU kernel (src/backends/webgpu/kernel.ts), derived in docs/gpu-backend.md.
 *
 * Unit roundoff u = 2^-24 (round to nearest). + - * are correctly rounded; fma may be fused or rounded twice (llvmpipe
 * does not fuse), so every multiply-add is charged two roundings and the bounds hold for either; exp is within
 * (3 + 2|x|) ULP and x / y within 2.5 ULP (WGSL), an ULP being at most 2u relative. gamma_n = n u / (1 - n u).
 *
 * runBound shadows one planned instance in f64 and carries a bound e on ||w_f32 - w_exact|| through every local
 * step: e <- rho e + delta, where rho = max(|1 - eta lambda|, |1 - eta (h + lambda)|) is the Lipschitz constant of the
 * exact step on the segment (0 <= Hessian <= h, h from the curvature of the loss and lambda_max of the rows' Gram) and
 * delta bounds the rounding the step adds at an iterate of norm <= W = ||w|| + e: the scores (gamma_{d+1}: d products
 * and sums, X rounded to f32), the loss derivative (its Lipschitz constant times the score error, plus its own
 * evaluation error), the gradient sum (gamma_{n+1}), and the update (gamma_5 on w - eta (g + lambda w)). Aggregation adds
 * gamma_{K+1} of sum alpha_k ||w_k||. The f64 shadow's own rounding is the same expression with 2^-53 in place of u;
 * the factor (1 + 2^-20) covers it, so the bound also holds against the f64 reference optimizer's model.
 */
import { eigSym } from '../numeric/index.ts';
import { givenMinibatch } from '../optimizers/parts/draws.ts';
import { indicesBelow, PURPOSE, rngKey } from '../optimizers/rng.ts';
import type { LossName } from '../problems/losses.ts';
import type { RunPlan } from './plan.ts';

export const U_F32 = 2 ** -24;
export const U_F64 = 2 ** -53;

export const gamma = (n: number, u = U_F32): number => (n * u) / (1 - n * u);

/** Relative error bound of WGSL's exp(x): (3 + 2|x|) ULP, an ULP at most 2u relative. */
export const expRel = (x: number, u = U_F32): number => (3 + 2 * Math.abs(x)) * 2 * u;

/** Curvature bound of the per-sample loss in the score (l'' <= this) on scores within `dev` of margin m. */
function curvature(loss: LossName, m: number, dev: number): number {
  if (loss === 'squared') return 1;
  if (loss === 'logistic') return 0.25;
  return Math.exp(-m + dev);
}

/** |l'| bound at scores within dev of s (margin m = y s), and the evaluation error of l' in the kernel. */
function derivative(loss: LossName, s: number, y: number, dev: number, u: number): { lp: number; evalErr: number } {
  if (loss === 'squared') {
    const lp = Math.abs(s - y) + dev;
    return { lp, evalErr: u * (Math.abs(s) + dev + 2 * Math.abs(y)) };
  }
  const m = y * s;
  const big = Math.abs(m) + dev;
  if (loss === 'logistic') {
    const lp = Math.min(1, 1 / (1 + Math.exp(m - dev)));
    return { lp, evalErr: lp * (expRel(big, u) + 8 * u) };
  }
  const lp = Math.exp(-m + dev);
  return { lp, evalErr: lp * (expRel(big, u) + 2 * u) };
}

/** Largest eigenvalue of (1/n) X_I^T X_I for the listed rows, from the smaller Gram, with a rounding margin. */
function lambdaMax(X: Float64Array, d: number, rows: readonly number[]): number {
  const n = rows.length;
  if (n === 0) return 0;
  const G = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += X[rows[a] * d + j] * X[rows[b] * d + j];
      G[a * n + b] = G[b * n + a] = s / n;
    }
  }
  const ev = eigSym({ rows: n, cols: n, data: G }).values;
  // why: a backward-stable symmetric eigensolver is off by ~ n eps ||G||; 4 n eps, plus the Gram's own d eps
  return ev[n - 1] * (1 + (4 * n + 2 * d) * 2 * U_F64);
}

export interface RunBound {
  /** bound on ||w_f32 - w|| at each recorded round (plan.recorded order) */
  readonly model: number[];
  /** bound on |F_f32(w_f32) - F(w)| at each recorded round */
  readonly loss: number[];
}

/** The a-posteriori f32 bound of instance b of a plan (see the header). Cost: one f64 run of the instance. */
export function runBound(plan: RunPlan, b: number, u = U_F32): RunBound {
  const inst = plan.instances[b];
  const { d, K, R, L, rows } = plan;
  const loss = plan.loss.name;
  const lambda = plan.loss.l2 ?? 0;
  const nodes = inst.problem.nodes;
  const key = rngKey(inst.seed);
  const gD = gamma(d + 1, u);
  const g5 = gamma(5, u);
  const gK = gamma(K + 1, u);
  const fullLam = nodes.map((nd) => lambdaMax(nd.X.data, d, Array.from({ length: nd.X.rows }, (_, i) => i)));
  const rowNorm = nodes.map((nd) => Array.from({ length: nd.X.rows }, (_, i) => {
    let q = 0;
    for (let j = 0; j < d; j++) q += nd.X.data[i * d + j] ** 2;
    return Math.sqrt(q);
  }));
  const norm = (v: Float64Array) => Math.sqrt(v.reduce((a, x) => a + x * x, 0));
  let w = Float64Array.from(inst.w0);
  let E = u * norm(w);
  const model: number[] = [];
  const lossB: number[] = [];
  const idx = new Int32Array(plan.batch ?? 0);
  const record = (r: number) => {
    if (!plan.recorded.includes(r) && !(r === plan.rounds[b] && plan.recorded.includes(R))) return;
    model.push(E * (1 + 2 ** -20));
    lossB.push(lossBound(plan, b, w, E, rowNorm, u) * (1 + 2 ** -20));
  };
  record(0);
  for (let r = 0; r < plan.rounds[b]; r++) {
    const acc = new Float64Array(d);
    let accE = 0;
    let accNorm = 0;
    for (let k = 0; k < K; k++) {
      const a = inst.alpha[k];
      if (!(a > 0)) continue;
      const { X, y } = nodes[k];
      const v = Float64Array.from(w);
      let e = E;
      for (let l = 0; l < L[k]; l++) {
        const t = r * L[k] + l;
        const eta = typeof inst.eta === 'number' ? inst.eta : inst.eta.a / (inst.eta.mu * (t + inst.eta.b));
        let I: number[];
        if (plan.batch === null) I = Array.from({ length: rows[k] }, (_, i) => i);
        else {
          if (inst.draws?.minibatches !== undefined) givenMinibatch(inst.draws, k, t, rows[k], idx, plan.batch);
          else indicesBelow(key, PURPOSE.minibatch, k, t, rows[k], idx, plan.batch);
          I = Array.from(idx);
        }
        const n = I.length;
        const W = norm(v) + e;
        const grad = new Float64Array(d);
        let Gm = lambda * W;
        let Gr = 0;
        let hMax = 0;
        for (const i of I) {
          let s = 0;
          for (let j = 0; j < d; j++) s += X.data[i * d + j] * v[j];
          const A = rowNorm[k][i];
          const es = gD * A * W;
          const dev = A * e + es;
          const { lp, evalErr } = derivative(loss, s, y[i], dev, u);
          const lip = curvature(loss, y[i] * s, dev);
          hMax = Math.max(hMax, lip);
          Gr += ((lip * es + evalErr + 2 * u * lp) / n) * A + gamma(n + 1, u) * (lp / n) * A;
          Gm += (lp / n) * A;
          const c = (loss === 'squared' ? s - y[i] : loss === 'logistic' ? -y[i] / (1 + Math.exp(y[i] * s)) : -y[i] * Math.exp(-y[i] * s)) / n;
          for (let j = 0; j < d; j++) grad[j] += c * X.data[i * d + j];
        }
        const lam = plan.batch === null ? fullLam[k] : lambdaMax(X.data, d, I);
        const h = hMax * lam;
        const rho = Math.max(Math.abs(1 - eta * lambda), Math.abs(1 - eta * (h + lambda)));
        const delta = eta * (1 + g5) * Gr + g5 * (W + eta * Gm + eta * lambda * W) + 2 * u * eta * Gm;
        e = rho * e + delta;
        for (let j = 0; j < d; j++) v[j] -= eta * (grad[j] + lambda * v[j]);
      }
      for (let j = 0; j < d; j++) acc[j] += a * v[j];
      accE += a * e;
      accNorm += a * (norm(v) + e);
    }
    w = acc;
    E = (1 + gK) * accE + gK * accNorm;
    record(r + 1);
  }
  return { model, loss: lossB };
}

/**
 * |F_f32(w_f32) - F(w)| when ||w_f32 - w|| <= E: F's change over the ball (mean value: sum alpha_k/n_k |l'| ||x_i||
 * E plus lambda W E) and the kernel's evaluation of F (scores gamma_{d+1}, per-sample loss, the sums gamma_{N+2}).
 */
function lossBound(plan: RunPlan, b: number, w: Float64Array, E: number, rowNorm: number[][], u: number): number {
  const inst = plan.instances[b];
  const { d } = plan;
  const loss = plan.loss.name;
  const lambda = plan.loss.l2 ?? 0;
  let W = 0;
  for (let j = 0; j < d; j++) W += w[j] * w[j];
  W = Math.sqrt(W) + E;
  let change = lambda * W * E;
  let evalErr = gamma(d + 2, u) * lambda * W * W;
  let total = 0.5 * lambda * W * W;
  inst.problem.nodes.forEach((nd, k) => {
    const a = inst.alpha[k];
    if (!(a > 0)) return;
    const n = nd.X.rows;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += nd.X.data[i * d + j] * w[j];
      const A = rowNorm[k][i];
      const es = gamma(d + 1, u) * A * W;
      const dev = A * E + es;
      const { lp } = derivative(loss, s, nd.y[i], dev, u);
      const m = nd.y[i] * s;
      const value = loss === 'squared' ? 0.5 * (Math.abs(s - nd.y[i]) + dev) ** 2 : loss === 'logistic' ? Math.max(0, -m + dev) + Math.log1p(Math.exp(-Math.abs(m) + dev)) : Math.exp(-m + dev);
      const own = loss === 'squared' ? 4 * u * value : loss === 'logistic' ? expRel(Math.abs(m) + dev, u) + 24 * u + 2 * u * value : expRel(Math.abs(m) + dev, u) * value;
      change += (a / n) * lp * A * E;
      evalErr += (a / n) * (lp * es + own);
      total += (a / n) * value;
    }
  });
  const N = plan.N;
  return change + evalErr + gamma(N + plan.K + 4, u) * total;
}
