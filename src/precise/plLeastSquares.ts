/**
 * Certified minimiser and optimum of (ridge) least squares, mean convention:
 *   F(x) = 1/(2m) ||A x - b||^2 + lambda/2 ||x||^2,   lambda >= 0.
 *  - lambda > 0, or lambda = 0 with independent columns: the unique minimiser, by refinement of
 *    the normal equations (f64 Cholesky of H = A^T A / m + lambda I, or its Woodbury form when
 *    m < d) with EXACT gradients m * grad F = A^T (A x - b) + m lambda x in BigInt.
 *  - lambda = 0, A x = b consistent (decided exactly): the min-norm solution (refinement engine);
 *    F* = 0 exactly.
 *  - lambda = 0, inconsistent, dependent columns: the min-norm minimiser A^+ b = the projection of
 *    0 onto {x : A x = A x~}, where x~ is the least-squares solution on a basis of the columns.
 */
import { cholesky, gemvT, gram, gramT, type Mat, type Vec } from '../numeric/index.ts';
import { bigToNumber, decompose, scaledBigInt, selectRows, toIntMatrix, type IntMatrix } from './dyadic.ts';
import { exactRank, PRIME } from './exact.ts';
import { echelonModP, ModP } from './modular.ts';
import { extremeEigen, refineAffine, type AffineSolution } from './refine.ts';
import { frobeniusUpper, selectF64Rows } from './minNorm.ts';
import { decimalContext, decimalFromDouble, decimalFromDyadic, formatDecimal } from './decimal.ts';
import { boundString, dyadicNormUpper, roundVector, shortDecimal } from './output.ts';
import type { PlCertificate } from './certificate.ts';

export interface PlResult {
  readonly x: Vec;
  readonly xDecimal: string[];
  /** the optimal value F* (f64 and decimal) */
  readonly F: number;
  readonly FDecimal: string;
  readonly certificate: PlCertificate;
}

/** Exact residual and gradient of the least-squares objective at x = X * 2^-F. */
export function lsGradient(Ai: IntMatrix, d: number, X: readonly bigint[], F: number, lambda: number) {
  const m = Ai.rows;
  const stride = Ai.cols;
  const R: bigint[] = new Array(m);
  let E = -Infinity;
  for (let i = 0; i < m; i++) E = Math.max(E, 2 * Ai.exp[i]);
  const { m: lm, e: le } = decompose(lambda);
  const S = Math.max(E + F, F - le, 0);
  const G: bigint[] = new Array(d).fill(0n);
  for (let i = 0; i < m; i++) {
    const base = i * stride;
    let acc = -(Ai.ints[base + d] << BigInt(F));
    for (let j = 0; j < d; j++) {
      const a = Ai.ints[base + j];
      if (a !== 0n) acc += a * X[j];
    }
    R[i] = acc; // (A x - b)_i at scale 2^-(exp_i + F)
    if (acc === 0n) continue;
    const rs = acc << BigInt(S - 2 * Ai.exp[i] - F);
    for (let j = 0; j < d; j++) {
      const a = Ai.ints[base + j];
      if (a !== 0n) G[j] += a * rs;
    }
  }
  if (lm !== 0) {
    const c = BigInt(m) * BigInt(lm);
    const sh = BigInt(S - F + le);
    for (let j = 0; j < d; j++) G[j] += (c * X[j]) << sh;
  }
  return { R, G, S }; // m * grad = G * 2^-S
}

export interface NormalSolution {
  readonly F: number;
  readonly X: bigint[];
  readonly iterations: number;
  readonly mu: number;
  readonly gradNorm: number;
  readonly xNorm: number;
}

/** Unique minimiser of the ridge / full-column-rank least squares by refinement of the normal equations. */
export function refineNormal(A: Mat, Ai: IntMatrix, b: Vec, lambda: number, digits: number, who: string): NormalSolution {
  const m = A.rows;
  const d = A.cols;
  let solveH: (g: Vec) => Vec;
  let mu: number;
  try {
    if (m >= d || lambda === 0) {
      const H = gramT(A);
      for (let k = 0; k < H.data.length; k++) H.data[k] /= m;
      for (let j = 0; j < d; j++) H.data[j * d + j] += lambda;
      solveH = cholesky(H).solve;
      mu = extremeEigen(H, solveH).min;
    } else {
      const K = gram(A);
      for (let i = 0; i < m; i++) K.data[i * m + i] += m * lambda;
      const ck = cholesky(K);
      solveH = (g: Vec) => {
        const t = ck.solve(Float64Array.from({ length: m }, (_, i) => {
          let s = 0;
          for (let j = 0; j < d; j++) s += A.data[i * d + j] * g[j];
          return s;
        }));
        const at = gemvT(A, t);
        return Float64Array.from(g, (v, j) => (v - at[j]) / lambda);
      };
      mu = lambda;
    }
  } catch {
    // name the numbers: the f64 column norms squared over m (the Hessian's diagonal), whose spread or range is the cause
    let lo = Infinity;
    let hi = 0;
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += A.data[i * d + j] ** 2;
      lo = Math.min(lo, s / m);
      hi = Math.max(hi, s / m);
    }
    throw new Error(
      `${who}: the f64 Hessian A^T A / m + lambda I (${d} x ${d}, lambda = ${lambda}) is not numerically positive definite ` +
        `(its diagonal ||a_j||^2 / m ranges over [${lo.toExponential(2)}, ${hi.toExponential(2)}] in f64; a Cholesky factor needs ` +
        `a condition number below 2^52 and entries within the f64 range); cannot refine`,
    );
  }
  const atb = gemvT(A, b);
  const x0 = solveH(Float64Array.from(atb, (v) => v / m));
  let scaleMax = 0;
  for (const v of x0) scaleMax = Math.max(scaleMax, Math.abs(v));
  if (!(scaleMax > 0) || !Number.isFinite(scaleMax)) scaleMax = 1;
  let xNorm = Math.hypot(...x0);
  const F = Math.max(0, Math.ceil((digits + 4) * Math.log2(10)) - Math.floor(Math.log2(scaleMax)) + Ai.maxBits + Math.ceil(Math.log2(d + 1) / 2) + 8);
  const X = Array.from(x0, (v) => scaledBigInt(v, F));
  const norms: number[] = [];
  const maxIter = Math.ceil(digits / 4) + 12;
  const g = new Float64Array(d);
  for (let it = 0; ; it++) {
    const { G, S } = lsGradient(Ai, d, X, F, lambda);
    let allZero = true;
    for (let j = 0; j < d; j++) {
      g[j] = bigToNumber(G[j], -S) / m;
      if (G[j] !== 0n) allZero = false;
    }
    const gn = Math.hypot(...g);
    norms.push(gn);
    if (allZero || gn / mu <= 10 ** -(digits + 1) * xNorm) {
      xNorm = Math.hypot(...X.map((v) => bigToNumber(v, -F)));
      return { F, X, iterations: it, mu, gradNorm: gn, xNorm };
    }
    const k = norms.length;
    if (it >= maxIter || (k >= 3 && gn > 0.5 * norms[k - 2] && norms[k - 2] > 0.5 * norms[k - 3])) {
      throw new Error(`${who}: Newton refinement stalled after ${it} iterations (gradient norms ${norms.slice(-3).map((v) => v.toExponential(2)).join(' -> ')}; mu estimate ${mu.toExponential(2)})`);
    }
    const delta = solveH(g);
    for (let j = 0; j < d; j++) X[j] -= scaledBigInt(delta[j], F);
  }
}

/**
 * mu = sigma_min(A_I)^2 / m of the refined rows, as a positive finite double; rows scaled one by one (their largest
 * entries more than 2^100 apart) give the singular values of the equilibrated rows, not of A, so no mu follows.
 */
function muOf(sol: AffineSolution, m: number, who: string): number {
  const mu = sol.sigmaMin ** 2 / m;
  if (sol.rowScaled || !(mu > 0) || !Number.isFinite(mu)) {
    throw new Error(
      `${who}: the PL constant mu = sigma_min(A)^2 / m = ${sol.rowScaled ? 'unknown' : mu} is not a positive finite double ` +
        `(sigma_min(A) estimated ${sol.rowScaled ? 'only for rows rescaled one by one: their largest entries differ by more than 2^100' : `as ${sol.sigmaMin}`}); ` +
        `the certificate gradNorm^2 / (2 mu) needs it`,
    );
  }
  return mu;
}

function digitsOf(err: number, scale: number, digits: number): number {
  if (err === 0) return digits;
  if (!(scale > 0)) return 0;
  return Math.max(0, Math.min(digits, Math.floor(-Math.log10(err / scale))));
}

export function plLeastSquares(A: Mat, b: Vec, lambda: number, digits: number, who: string): PlResult {
  const m = A.rows;
  const d = A.cols;
  const Ai = toIntMatrix(A, b);
  let X: bigint[];
  let F: number;
  let mu: number;
  let iterations: number;
  let dig: number;
  let exactZero = false;
  let rankDeficient = false;
  if (lambda > 0) {
    const s = refineNormal(A, Ai, b, lambda, digits, who);
    ({ X, F, mu, iterations } = s);
    dig = digitsOf(s.gradNorm / s.mu, s.xNorm, digits);
  } else {
    // tall data: full column rank and inconsistency are often proved modulo p in O(d^3 + m d) (src/precise/modular.ts),
    // which spares the BigInt elimination of all m rows; anything else is decided exactly as before
    const ech = m > d ? echelonModP(A, b, new ModP(PRIME)) : null;
    const provedInconsistent = ech !== null && ech.fullColumnRank && (ech.yPivotRow >= 0 || ech.failingRow >= 0);
    const info = provedInconsistent ? { rank: d, rankAugmented: d + 1, independentRows: [], pivotCols: [] } : exactRank(Ai, d);
    rankDeficient = info.rank < d;
    if (info.rankAugmented === info.rank) {
      // consistent: the minimisers are {A x = b}; the min-norm one is the projection of 0
      exactZero = true;
      const I = info.independentRows;
      const AI = selectF64Rows(A, I);
      const AiI = selectRows(Ai, I);
      const rhs = { ints: I.map((_, r) => AiI.ints[r * AiI.cols + d]), exp: AiI.exp };
      const sol = refineAffine({ X: AI, Xi: AiI, rhs, rhsF64: Float64Array.from(I, (i) => b[i]), w0: null, digits, who });
      ({ W: X, F, iterations } = sol);
      mu = muOf(sol, m, who);
      dig = sol.digitsAchieved;
    } else if (!rankDeficient) {
      const s = refineNormal(A, Ai, b, 0, digits, who);
      ({ X, F, mu, iterations } = s);
      dig = digitsOf(s.gradNorm / s.mu, s.xNorm, digits);
    } else {
      // least squares on a basis J of the columns, then the projection of 0 onto {A x = A x~}
      const J = info.pivotCols;
      const B = selectF64Rows(transposeMat(A), J);
      const Bt = transposeMat(B);
      const sB = refineNormal(Bt, toIntMatrix(Bt, b), b, 0, digits + 2, who);
      const I = info.independentRows;
      const AiI = selectRows(Ai, I);
      const ints = I.map((_, r) => {
        let acc = 0n;
        J.forEach((c, k) => (acc += AiI.ints[r * AiI.cols + c] * sB.X[k]));
        return acc;
      });
      const rhs = { ints, exp: AiI.exp.map((e) => e + sB.F) };
      const rhsF64 = Float64Array.from(ints, (v, r) => bigToNumber(v, -rhs.exp[r]));
      const sol = refineAffine({ X: selectF64Rows(A, I), Xi: AiI, rhs, rhsF64, w0: null, digits, who });
      ({ W: X, F } = sol);
      iterations = sB.iterations + sol.iterations;
      mu = muOf(sol, m, who);
      dig = Math.min(sol.digitsAchieved, digitsOf(sB.gradNorm / sB.mu, sB.xNorm, digits));
    }
  }
  return finishLs(Ai, A, d, X, F, lambda, digits, { mu, iterations, dig, exactZero, rankDeficient });
}

function transposeMat(A: Mat): Mat {
  const out = new Float64Array(A.rows * A.cols);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) out[j * A.rows + i] = A.data[i * A.cols + j];
  return { rows: A.cols, cols: A.rows, data: out };
}

function finishLs(
  Ai: IntMatrix, A: Mat, d: number, X: bigint[], F: number, lambda: number, digits: number,
  info: { mu: number; iterations: number; dig: number; exactZero: boolean; rankDeficient: boolean },
): PlResult {
  const m = A.rows;
  const { R, G, S } = lsGradient(Ai, d, X, F, lambda);
  const v = roundVector(X, F, digits);
  // gradient at the returned (rounded) x: + ||H|| * rounding, ||H|| <= ||A||_F^2 / m + lambda
  const hNorm = frobeniusUpper(A) ** 2 / m + lambda;
  const gradB = dyadicNormUpper(G, S).div(m).plus(v.roundingNorm.times(shortDecimal(hNorm * (1 + 1e-12))));
  const D = decimalContext(digits + 15);
  let Fd = new D(0);
  if (!info.exactZero) {
    let rs = new D(0);
    R.forEach((r, i) => {
      if (r !== 0n) {
        const t = decimalFromDyadic(D, r, -(Ai.exp[i] + F));
        rs = rs.plus(t.times(t));
      }
    });
    let xs = new D(0);
    for (const x of X) if (x !== 0n) { const t = decimalFromDyadic(D, x, -F); xs = xs.plus(t.times(t)); }
    Fd = rs.div(2 * m).plus(xs.times(decimalFromDouble(D, lambda)).div(2));
  }
  return {
    x: v.x,
    xDecimal: v.strs,
    F: Fd.toNumber(),
    FDecimal: formatDecimal(Fd, digits),
    certificate: {
      gradNorm: boundString(gradB),
      digits: info.dig,
      iterations: info.iterations,
      mu: info.mu,
      gapBound: boundString(gradB.times(gradB).div(shortDecimal(2 * info.mu))),
      exactZero: info.exactZero,
      rankDeficient: info.rankDeficient,
    },
  };
}
