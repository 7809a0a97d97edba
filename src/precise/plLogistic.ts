/**
 * Certified minimiser and optimum of L2-regularised logistic regression, mean convention:
 *   F(x) = (1/m) sum_i log(1 + exp(-y_i x_i^T x)) + lambda/2 ||x||^2,   lambda > 0.
 * f64 Newton with backtracking to full f64 accuracy, then refinement: the gradient
 *   m * grad F = -sum_i s_i z_i + m lambda x,   s_i = 1 / (1 + exp(z_i^T x)),  z_i = y_i x_i,
 * has z_i^T x exact (BigInt), s_i in Decimal (digits + 15), the sum exact in BigInt; the step
 * solves the f64 Hessian at the current point. F is lambda-strongly convex, so
 * ||x - x*|| <= ||grad F(x)|| / lambda and F(x) - F* <= ||grad F(x)||^2 / (2 lambda): rigorous.
 */
import { cholesky, gemv, type Mat, type Vec } from '../numeric/index.ts';
import { bigToNumber, decompose, scaledBigInt, toIntMatrix } from './dyadic.ts';
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

/** f64 damped Newton from 0 until the gradient stops decreasing. */
function newtonF64(Z: Mat, lambda: number): Vec {
  const d = Z.cols;
  let x: Vec = new Float64Array(d);
  let fx = f64Value(Z, x, lambda);
  for (let it = 0; it < 100; it++) {
    const g = f64Gradient(Z, x, lambda);
    const step = cholesky(hessian(Z, x, lambda)).solve(g);
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
  const x0 = newtonF64(Z, lambda);
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
    if (gn / lambda <= 10 ** -(digits + 1) * xScale || gn === 0) break;
    const k = norms.length;
    if (iterations >= maxIter || (k >= 3 && gn > 0.5 * norms[k - 2] && norms[k - 2] > 0.5 * norms[k - 3])) {
      if (gn / lambda <= 10 ** -(digits - 2) * xScale) break; // floor of the s_i rounding reached
      throw new Error(`${who}: logistic Newton refinement stalled after ${iterations} iterations (gradient norms ${norms.slice(-3).map((v) => v.toExponential(2)).join(' -> ')})`);
    }
    const xd = Float64Array.from(X, (v) => bigToNumber(v, -Fx));
    const step = cholesky(hessian(Z, xd, lambda)).solve(g);
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
  const err = norms[norms.length - 1] / lambda;
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
      mu: lambda,
      gapBound: boundString(gradB.times(gradB).div(shortDecimal(2 * lambda))),
    },
  };
}
