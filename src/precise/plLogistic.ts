/**
 * Certified minimiser and optimum of logistic regression, mean convention:
 *   F(x) = (1/m) sum_i log(1 + exp(-y_i x_i^T x)) + lambda/2 ||x||^2,   lambda >= 0.
 * f64 Newton with backtracking to full f64 accuracy, then refinement: the gradient
 *   m * grad F = -sum_i s_i z_i + m lambda x,   s_i = 1 / (1 + exp(z_i^T x)),  z_i = y_i x_i,
 * has z_i^T x exact (BigInt), s_i in Decimal (digits + 15), the sum exact in BigInt; the step
 * solves the f64 Hessian at the current point. For lambda > 0, F is lambda-strongly convex, so
 * ||x - x*|| <= ||grad F(x)|| / lambda and F(x) - F* <= ||grad F(x)||^2 / (2 lambda): rigorous.
 *
 * lambda = 0 (plain logistic; the minimiser exists and is unique iff Z = diag(y) X has full column rank, decided
 * exactly, and no w != 0 has Z w >= 0, i.e. the data are not even weakly separable through the origin). Nothing is
 * assumed: the answer is certified a posteriori by LOCAL strong convexity. On the ball B(x, r),
 *   H(u) = (1/m) sum_i sigma'(z_i^T u) z_i z_i^T  >=  c_r (1/m) Z^T Z,   c_r = min_i sigma'(|z_i^T x| + ||z_i|| r),
 * (sigma'(t) = e^-|t| / (1 + e^-|t|)^2 >= e^-|t| / 4 falls in |t|), and lambda_min(Z^T Z) >= t is proved exactly
 * (Z^T Z - t I positive definite: integer Gram, fraction-free elimination, every pivot > 0). With mu_r = c_r t / m,
 * if ||grad F(x)|| <= mu_r r / 2 then F > F(x) on the sphere of radius r, so the (global, by convexity) minimiser
 * x* lies in the ball, ||x - x*|| <= ||grad F(x)|| / mu_r and F(x) - F* <= ||grad F(x)||^2 / (2 mu_r). If the test
 * fails (separable or weakly separable data: the infimum is not attained) an error says so; nothing uncertified is
 * returned.
 */
import { cholesky, eigSym, gemv, type Mat, type Vec } from '../numeric/index.ts';
import { exactRank } from './exact.ts';
import { bigToNumber, decompose, scaledBigInt, toIntMatrix, type IntMatrix } from './dyadic.ts';
import { decimalContext, decimalFromDouble, decimalFromDyadic, formatDecimal } from './decimal.ts';
import { boundString, dyadicNormUpper, roundVector, shortDecimal } from './output.ts';
import { frobeniusUpper } from './minNorm.ts';
import type { PlResult } from './plLeastSquares.ts';

function softplusNeg(t: number): number {
  // log(1 + exp(-t)), stable
  return t > 0 ? Math.log1p(Math.exp(-t)) : -t + Math.log1p(Math.exp(t));
}

function hessian(Z: Mat, x: Vec, lambda: number): Mat {
  const m = Z.rows;
  const d = Z.cols;
  const t = gemv(Z, x);
  const H = new Float64Array(d * d);
  for (let i = 0; i < m; i++) {
    const s = 1 / (1 + Math.exp(t[i]));
    const w = (s * (1 - s)) / m;
    if (w === 0) continue;
    const base = i * d;
    for (let a = 0; a < d; a++) {
      const za = w * Z.data[base + a];
      if (za === 0) continue;
      for (let b = a; b < d; b++) H[a * d + b] += za * Z.data[base + b];
    }
  }
  for (let a = 0; a < d; a++) {
    H[a * d + a] += lambda;
    for (let b = 0; b < a; b++) H[a * d + b] = H[b * d + a];
  }
  return { rows: d, cols: d, data: H };
}

function f64Value(Z: Mat, x: Vec, lambda: number): number {
  const t = gemv(Z, x);
  let s = 0;
  for (let i = 0; i < Z.rows; i++) s += softplusNeg(t[i]);
  let q = 0;
  for (const v of x) q += v * v;
  return s / Z.rows + (lambda / 2) * q;
}

function f64Gradient(Z: Mat, x: Vec, lambda: number): Vec {
  const m = Z.rows;
  const d = Z.cols;
  const t = gemv(Z, x);
  const g = Float64Array.from(x, (v) => lambda * v);
  for (let i = 0; i < m; i++) {
    const s = 1 / (1 + Math.exp(t[i]));
    for (let j = 0; j < d; j++) g[j] -= (s * Z.data[i * d + j]) / m;
  }
  return g;
}

/** Newton direction H(x)^-1 g; a Hessian that is not numerically positive definite (lambda = 0 and the iterate
 * running off to infinity along a separating direction) is a one-line error, not a crash. */
function choleskyStep(Z: Mat, x: Vec, lambda: number, g: Vec): Vec {
  try {
    return cholesky(hessian(Z, x, lambda)).solve(g);
  } catch {
    throw new Error(`plOptimum: logistic with lambda = ${lambda}: the Hessian is numerically singular at ||x|| = ${Math.hypot(...x).toExponential(3)} (separable data drive x to infinity and the infimum is not attained); use lambda > 0`);
  }
}

/** f64 damped Newton from 0 until the gradient stops decreasing. */
function newtonF64(Z: Mat, lambda: number): Vec {
  const d = Z.cols;
  let x: Vec = new Float64Array(d);
  let fx = f64Value(Z, x, lambda);
  for (let it = 0; it < 100; it++) {
    const g = f64Gradient(Z, x, lambda);
    const step = choleskyStep(Z, x, lambda, g);
    let dec = 0;
    for (let j = 0; j < d; j++) dec += g[j] * step[j];
    if (!(dec > 1e-30 * (1 + Math.abs(fx)))) break;
    let a = 1;
    let xn = x;
    let fn = fx;
    for (let k = 0; k < 60; k++) {
      xn = Float64Array.from(x, (v, j) => v - a * step[j]);
      fn = f64Value(Z, xn, lambda);
      if (fn <= fx - 1e-4 * a * dec) break;
      a /= 2;
    }
    if (!(fn < fx)) break;
    x = xn;
    fx = fn;
  }
  return x;
}

export function plLogistic(Z: Mat, lambda: number, digits: number, who: string): PlResult {
  const m = Z.rows;
  const d = Z.cols;
  const Zi = toIntMatrix(Z);
  if (lambda === 0) {
    const rank = exactRank(Zi).rank;
    if (rank < d) throw new Error(`${who}: logistic with lambda = 0 needs X of full column rank d = ${d}, but its rank is ${rank} (decided exactly): the loss is flat along the null space and the minimiser is not unique; use lambda > 0`);
  }
  const x0 = newtonF64(Z, lambda);
  // strong-convexity constant for the stop rule: lambda, or (lambda = 0) the f64 smallest Hessian eigenvalue at x0;
  // the certificate below does not trust it
  const muStop = lambda > 0 ? lambda : eigSym(hessian(Z, x0, 0)).values[0];
  if (!(muStop > 0)) throw new Error(`${who}: logistic with lambda = 0: the Hessian at the f64 Newton point is not positive definite (smallest eigenvalue ${muStop}); the data look separable through the origin, where the infimum is not attained; use lambda > 0`);
  let scaleMax = 0;
  for (const v of x0) scaleMax = Math.max(scaleMax, Math.abs(v));
  if (!(scaleMax > 0)) scaleMax = 1;
  const Fx = Math.max(0, Math.ceil((digits + 4) * Math.log2(10)) - Math.floor(Math.log2(scaleMax)) + Zi.maxBits + Math.ceil(Math.log2(d + 1) / 2) + 8);
  const X = Array.from(x0, (v) => scaledBigInt(v, Fx));
  const D = decimalContext(digits + 15);
  const Q = Math.ceil((digits + 12) * Math.log2(10)) + 8;
  const pow2Q = new D(2).pow(Q);
  let E = -Infinity;
  for (const e of Zi.exp) E = Math.max(E, e);
  const { m: lm, e: le } = decompose(lambda);
  const S = Math.max(E + Q, Fx - le, 0);
  const xScale = Math.hypot(...x0);
  const norms: number[] = [];
  const maxIter = Math.ceil(digits / 4) + 12;
  let expT: InstanceType<typeof D>[] = [];
  let G: bigint[] = [];
  const g = new Float64Array(d);
  let iterations = 0;
  for (;;) {
    // exact z_i^T x, Decimal s_i, exact sum
    G = new Array(d).fill(0n);
    expT = [];
    for (let i = 0; i < m; i++) {
      let acc = 0n;
      const base = i * d;
      for (let j = 0; j < d; j++) {
        const z = Zi.ints[base + j];
        if (z !== 0n) acc += z * X[j];
      }
      const ex = decimalFromDyadic(D, acc, -(Zi.exp[i] + Fx)).exp();
      expT.push(ex);
      const Si = BigInt(new D(1).div(ex.plus(1)).times(pow2Q).toFixed(0)) << BigInt(S - Zi.exp[i] - Q);
      for (let j = 0; j < d; j++) {
        const z = Zi.ints[base + j];
        if (z !== 0n) G[j] -= z * Si;
      }
    }
    const c = BigInt(m) * BigInt(lm);
    for (let j = 0; j < d; j++) G[j] += (c * X[j]) << BigInt(S - Fx + le);
    for (let j = 0; j < d; j++) g[j] = bigToNumber(G[j], -S) / m;
    const gn = Math.hypot(...g);
    norms.push(gn);
    if (gn / muStop <= 10 ** -(digits + 1) * xScale || gn === 0) break;
    const k = norms.length;
    if (iterations >= maxIter || (k >= 3 && gn > 0.5 * norms[k - 2] && norms[k - 2] > 0.5 * norms[k - 3])) {
      if (gn / muStop <= 10 ** -(digits - 2) * xScale) break; // floor of the s_i rounding reached
      const why = lambda === 0 ? `; with lambda = 0 this is what separable or weakly separable data do (x runs off to infinity, ||x|| = ${xScale.toExponential(3)} after f64 Newton, and the infimum is not attained): use lambda > 0` : '';
      throw new Error(`${who}: logistic Newton refinement stalled after ${iterations} iterations (gradient norms ${norms.slice(-3).map((v) => v.toExponential(2)).join(' -> ')})${why}`);
    }
    const xd = Float64Array.from(X, (v) => bigToNumber(v, -Fx));
    const step = choleskyStep(Z, xd, lambda, g);
    for (let j = 0; j < d; j++) X[j] -= scaledBigInt(step[j], Fx);
    iterations++;
  }
  const v = roundVector(X, Fx, digits);
  const hNorm = frobeniusUpper(Z) ** 2 / (4 * m) + lambda;
  // the computed gradient differs from the exact one at the iterate by the s_i errors: relative 10^-(digits+12)
  // from Decimal exp/div at digits + 15, plus 2^-Q from the fixed-point rounding; ||sum e_i z_i|| / m <= ||Z||_F max e / sqrt(m)
  const evalErr = (frobeniusUpper(Z) * (10 ** -(digits + 12) + 2 ** -Q)) / Math.sqrt(m);
  const gradB = dyadicNormUpper(G, S).div(m).plus(v.roundingNorm.times(shortDecimal(hNorm * (1 + 1e-12)))).plus(shortDecimal(evalErr));
  let loss = new D(0);
  for (const ex of expT) loss = loss.plus(new D(1).div(ex).plus(1).ln());
  let xs = new D(0);
  for (const x of X) if (x !== 0n) { const t = decimalFromDyadic(D, x, -Fx); xs = xs.plus(t.times(t)); }
  const Fd = loss.div(m).plus(xs.times(decimalFromDouble(D, lambda)).div(2));
  const xNorm = Math.hypot(...v.x);
  const mu = lambda > 0 ? lambda : localMu(Z, Zi, v.x, gradB.toNumber() / DOWN, who);
  const err = norms[norms.length - 1] / mu;
  const dig = err === 0 ? digits : xNorm > 0 ? Math.max(0, Math.min(digits, Math.floor(-Math.log10(err / xNorm)))) : 0;
  return {
    x: v.x,
    xDecimal: v.strs,
    F: Fd.toNumber(),
    FDecimal: formatDecimal(Fd, digits),
    certificate: {
      gradNorm: boundString(gradB),
      digits: dig,
      iterations,
      mu,
      gapBound: boundString(gradB.times(gradB).div(shortDecimal(2 * mu))),
    },
  };
}

/** 1 - 2^-30: a relative safety margin for the few f64 operations below (each rounds by <= 2^-53). */
const DOWN = 1 - 2 ** -30;

/**
 * lambda = 0: a rigorous local strong-convexity constant mu_r on B(x, r) with ||grad F(x)|| <= gradUpper <= mu_r r / 2
 * (see the header), or a one-line error when no such r is found.
 */
function localMu(Z: Mat, Zi: IntMatrix, x: Vec, gradUpper: number, who: string): number {
  const m = Z.rows;
  const d = Z.cols;
  const t = gramLowerBound(Zi, d);
  if (!(t > 0)) throw new Error(`${who}: logistic with lambda = 0: no positive lower bound on lambda_min(Z^T Z) could be proved`);
  const zx = gemv(Z, x);
  const zn = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let q = 0;
    for (let j = 0; j < d; j++) q += Z.data[i * d + j] ** 2;
    zn[i] = Math.sqrt(q) / DOWN;
  }
  // r from 2^-40 (1 + ||x||) down: a small ball keeps c_r close to its value at x; stop at the first r that works
  const xn = Math.hypot(...x);
  for (let r = 2 ** -40 * (1 + xn); r >= 1e-280; r /= 2 ** 20) {
    let aMax = 0;
    for (let i = 0; i < m; i++) aMax = Math.max(aMax, ((Math.abs(zx[i]) + zn[i] * r) / DOWN) / DOWN);
    // |zx_i| carries the gemv rounding, relative (d + 1) 2^-53 of sum |z_ij x_j| <= ||z_i|| ||x||: added in
    const aUp = aMax + (d + 2) * 2 ** -52 * Math.max(...zn) * xn;
    const c = (Math.exp(-aUp) / 4) * DOWN * DOWN; // Math.exp within 1 ulp
    const mu = ((c * t) / m) * DOWN;
    if (mu > 0 && gradUpper <= (mu * r) / 2 * DOWN) return mu;
  }
  throw new Error(`${who}: logistic with lambda = 0: the gradient ${gradUpper.toExponential(3)} is not small enough for the local strong-convexity certificate at ||x|| = ${xn.toExponential(3)}; the data look separable (or weakly separable) through the origin, where the infimum is not attained; use lambda > 0`);
}

/**
 * A dyadic t > 0 with lambda_min(Z^T C Z) >= t, proved exactly, for row weights C = diag(c_i) (c_i >= 0 doubles,
 * default 1): every double is m 2^e, so with the rows scaled to integers at one common exponent E and the weights to
 * integers W_i at their smallest exponent e_min, Z^T C Z = G / 2^S with G = sum_i W_i z_i z_i^T an integer matrix and
 * S = 2E - e_min; G - t 2^S I is positive definite iff every pivot of its fraction-free (Bareiss) elimination without
 * pivoting is positive (Sylvester's criterion). The f64 estimate is tried first at 1/2 of its value, then halved until
 * the test passes (at most 60 times).
 */
function gramLowerBound(Zi: IntMatrix, d: number, weights?: readonly number[]): number {
  const m = Zi.rows;
  let E = 0;
  for (const e of Zi.exp) E = Math.max(E, e);
  let eMin = 0;
  const W: bigint[] = new Array(m).fill(1n);
  if (weights) {
    const parts = weights.map((c) => decompose(c));
    eMin = Math.min(...parts.filter((q) => q.m !== 0).map((q) => q.e));
    if (!Number.isFinite(eMin)) return 0; // every weight is 0
    parts.forEach((q, i) => (W[i] = q.m === 0 ? 0n : BigInt(q.m) << BigInt(q.e - eMin)));
  }
  const S = 2 * E - eMin;
  const rowsInt: bigint[][] = [];
  for (let i = 0; i < m; i++) {
    const sh = BigInt(E - Zi.exp[i]);
    rowsInt.push(Array.from({ length: d }, (_, j) => Zi.ints[i * Zi.cols + j] << sh));
  }
  const G: bigint[] = new Array(d * d).fill(0n);
  rowsInt.forEach((z, i) => {
    if (W[i] === 0n) return;
    for (let a = 0; a < d; a++) if (z[a] !== 0n) for (let b = 0; b < d; b++) G[a * d + b] += W[i] * z[a] * z[b];
  });
  const Gf: Mat = { rows: d, cols: d, data: Float64Array.from(G, (v) => bigToNumber(v, -S)) };
  let t = eigSym(Gf).values[0] / 2;
  for (let k = 0; k < 60 && t > 0; k++, t /= 2) {
    const { m: tm, e: te } = decompose(t);
    // t 2^S = tm 2^(te + S); scale G by 2^-(te + S) when that exponent is negative so everything stays integer
    const sh = te + S;
    const A = G.map((v) => (sh < 0 ? v << BigInt(-sh) : v));
    const tI = sh < 0 ? BigInt(tm) : BigInt(tm) << BigInt(sh);
    for (let a = 0; a < d; a++) A[a * d + a] -= tI;
    if (positiveDefinite(A, d)) return t;
  }
  return 0;
}

/**
 * A proved lower bound t > 0 on lambda_min(X^T C X), C = diag(weights) (default: the identity), or 0 when no positive
 * bound exists (dependent columns, or weights that vanish on too many rows) or none could be proved. Exact integer
 * Gram of the doubles and Sylvester's criterion on X^T C X - t I. Used by the plain-logistic properties, whose
 * curvature bound is the sigma'-weighted Gram (with labels +-1, Z^T C Z = X^T C X).
 */
export function gramMinEigenLowerBound(X: Mat, weights?: readonly number[]): number {
  if (X.rows === 0 || X.cols === 0) return 0;
  if (weights) {
    if (weights.length !== X.rows) throw new Error(`gramMinEigenLowerBound: ${weights.length} weights for ${X.rows} rows`);
    const k = weights.findIndex((c) => !(c >= 0) || !Number.isFinite(c));
    if (k >= 0) throw new Error(`gramMinEigenLowerBound: weights[${k}] is ${weights[k]}; weights must be finite and >= 0`);
  }
  return gramLowerBound(toIntMatrix(X), X.cols, weights);
}

/** Sylvester: every leading principal minor of the symmetric integer matrix A is positive (Bareiss, no pivoting). */
function positiveDefinite(A0: readonly bigint[], d: number): boolean {
  const A = [...A0];
  let prev = 1n;
  for (let k = 0; k < d; k++) {
    const p = A[k * d + k];
    if (p <= 0n) return false; // the k-th pivot is the ratio of consecutive leading minors
    for (let i = k + 1; i < d; i++) {
      for (let j = k + 1; j < d; j++) A[i * d + j] = (p * A[i * d + j] - A[i * d + k] * A[k * d + j]) / prev;
    }
    prev = p;
  }
  return true;
}
