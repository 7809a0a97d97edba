/**
 * The projection of w0 onto {w : X w = b} in rational arithmetic, for the few small problems that no f64
 * factorisation can precondition (condition numbers beyond 2^52 even after power-of-two row scaling, e.g. columns
 * of size 1e200 and 1e-200 in the same rows). Same answer and same AffineSolution form as the refinement engine:
 *
 *   with x_i = ints_i 2^-exp_i and lambda_i = mu_i 2^(exp_i - K), the normal equations X X^T lambda = b - X w0 read
 *   G mu = t with the integer Gram G_ij = ints_i . ints_j and t_i = (b_i - x_i^T w0) 2^(exp_i + K), K making t integral;
 *   mu = num / den exactly (Bareiss, verified), and w* = w0 + X^T lambda = w0 + (sum_i num_i ints_i) / (den 2^K).
 *
 * w* is rounded to a dyadic grid 2^-F with F = digits + 4 decimal digits below its smallest nonzero entry; the residual of the
 * rounded W is exact, and ||W 2^-F - w*|| <= sqrt(d) 2^-(F+1) is carried in w0Rounding (the distance bound of w - w0
 * from the row space). Cost: O(n^3) BigInt operations on the Gram, hence the row limit of the caller.
 */
import { bigToNumber, bitLength, decompose, ldexp } from './dyadic.ts';
import { solveRational } from './exact.ts';
import type { AffineProblem, AffineSolution } from './refine.ts';

/** round(a / b) for BigInt a and b > 0 (half away from zero; the bound below covers any rounding). */
function divRound(a: bigint, b: bigint): bigint {
  const q = a / b;
  const r = a - q * b;
  if (2n * (r < 0n ? -r : r) >= b) return a < 0n ? q - 1n : q + 1n;
  return q;
}

export function exactAffine(p: AffineProblem): AffineSolution {
  const { Xi, rhs, digits, who } = p;
  const n = p.X.rows;
  const d = p.X.cols;
  const stride = Xi.cols;
  const w0 = p.w0 ?? new Float64Array(d);
  // w0 exactly: W0 2^-F0
  let F0 = 0;
  for (let j = 0; j < d; j++) if (w0[j] !== 0) F0 = Math.max(F0, -decompose(w0[j]).e);
  const W0 = Array.from(w0, (x) => {
    if (x === 0) return 0n;
    const { m, e } = decompose(x);
    return BigInt(m) << BigInt(e + F0);
  });
  let K = F0;
  for (let i = 0; i < n; i++) K = Math.max(K, rhs.exp[i] - Xi.exp[i]);
  const row = (i: number) => Xi.ints.slice(i * stride, i * stride + d);
  const rows = Array.from({ length: n }, (_, i) => row(i));
  const G: bigint[] = new Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0n;
      for (let k = 0; k < d; k++) if (rows[i][k] !== 0n && rows[j][k] !== 0n) s += rows[i][k] * rows[j][k];
      G[i * n + j] = s;
      G[j * n + i] = s;
    }
  }
  const t = rows.map((ri, i) => {
    let xw = 0n;
    for (let k = 0; k < d; k++) if (ri[k] !== 0n && W0[k] !== 0n) xw += ri[k] * W0[k];
    return (rhs.ints[i] << BigInt(Xi.exp[i] + K - rhs.exp[i])) - (xw << BigInt(K - F0));
  });
  const sol = solveRational(G, n, n, t);
  if (sol === null) throw new Error(`${who}: exact solve of the ${n} x ${n} integer Gram failed (rows not independent?)`);
  const { num, den } = sol;
  const D = den << BigInt(K); // w* = (W0 2^(K - F0) den + N) / D
  const Wnum: bigint[] = new Array(d);
  for (let k = 0; k < d; k++) {
    let s = (W0[k] << BigInt(K - F0)) * den;
    for (let i = 0; i < n; i++) if (rows[i][k] !== 0n && num[i] !== 0n) s += rows[i][k] * num[i];
    Wnum[k] = s;
  }
  // grid: digits + 4 decimal digits below the SMALLEST nonzero |w*_k| (2^low), so that every entry is correct to the
  // requested digits (componentwise, which the problems that land here, with entries of very different sizes, need),
  // and fine enough for exact residuals; 2^top (the largest of |w*_k|, |w0_k|) is the unit of the f64 norms
  let top = -Infinity;
  let low = Infinity;
  for (let k = 0; k < d; k++) {
    if (Wnum[k] === 0n) continue;
    const b = bitLength(Wnum[k]) - bitLength(D);
    top = Math.max(top, b);
    low = Math.min(low, b);
  }
  for (let k = 0; k < d; k++) if (w0[k] !== 0) top = Math.max(top, Math.floor(Math.log2(Math.abs(w0[k]))));
  if (top === -Infinity) top = 0;
  if (low === Infinity) low = top;
  const bitsWanted = Math.ceil((digits + 4) * Math.log2(10)) + 8;
  let F = bitsWanted - low;
  // the multipliers lambda_i = L_i 2^(exp_i - F) = num_i 2^exp_i / D share the grid: their signs decide active sets
  for (let i = 0; i < n; i++) if (num[i] !== 0n) F = Math.max(F, bitsWanted - (bitLength(num[i]) - bitLength(D)));
  for (let i = 0; i < n; i++) F = Math.max(F, rhs.exp[i] - Xi.exp[i]);
  F = Math.max(F, F0, 0);
  const W = Wnum.map((v) => divRound(v << BigInt(F), D));
  const L = num.map((v) => divRound(v << BigInt(F), D)); // lambda_i = L_i 2^(exp_i - F)
  const R: bigint[] = rows.map((ri, i) => {
    let acc = rhs.ints[i] << BigInt(Xi.exp[i] + F - rhs.exp[i]);
    for (let k = 0; k < d; k++) if (ri[k] !== 0n && W[k] !== 0n) acc -= ri[k] * W[k];
    return acc;
  });
  const scaleExp = top;
  const wNorm = Math.hypot(...W.map((b) => bigToNumber(b, -F - scaleExp)));
  const w0Norm = Math.hypot(...Array.from(w0, (x) => ldexp(x, -scaleExp)));
  const errV = Math.sqrt(d) * 2 ** (-F - 1 - scaleExp);
  return {
    F, W, W0: W0.map((b) => b << BigInt(F - F0)), L, R,
    iterations: 0,
    residualNorms: [],
    sigmaMin: NaN,
    sigmaMax: NaN,
    kappa: Infinity,
    rowScaled: true,
    method: 'exact',
    scaleExp,
    errorBound: errV,
    wNorm,
    scaleNorm: Math.max(wNorm, w0Norm),
    digitsAchieved: digits,
    w0Rounding: errV,
  };
}
