/**
 * Certified minimum-norm solution: the projection of w0 onto {w : X w = y},
 *   w = w0 + X^T (X X^T)^{-1} (y - X w0)          (docs/theory.md#02-certified-references; w0 = 0 gives X^+ y).
 *
 * Tall systems (N > d) are first decided modulo p from the doubles (src/precise/modular.ts): inconsistency by a
 * nonzero minor, consistency by the exact solution of d independent rows checked on every row (tallFullRank).
 * Otherwise rank and consistency are decided exactly (src/precise/exact.ts); a rank-deficient consistent
 * system is solved on a basis of its rows (same affine set, same projection) and says so in the
 * certificate; an inconsistent one throws with both ranks. The value comes from the refinement
 * engine (src/precise/refine.ts): f64 QR of X^T (Paige's method), exact residuals.
 */
import { allFinite, type Mat, type Vec } from '../numeric/index.ts';
import { bigToNumber, selectRows, toIntMatrix } from './dyadic.ts';
import { exactRank, PRIME } from './exact.ts';
import { echelonModP, firstFailingRow, ModP, type Progress } from './modular.ts';
import { refineAffine, type AffineSolution } from './refine.ts';
import { checkDigits } from './decimal.ts';
import { boundString, dyadicNormUpper, frobeniusUpperDecimal, roundVector, shortDecimal } from './output.ts';
import type { MinNormCertificate } from './certificate.ts';

export interface MinNormOptions {
  /** the point to project (default 0) */
  readonly w0?: Vec;
  /** significant digits (default 50) */
  readonly digits?: number;
  /** called now and then on long runs: stage, work done, total (the CLI draws it on a terminal) */
  readonly progress?: Progress;
}

export interface MinNormResult {
  /** the solution rounded to f64 */
  readonly w: Vec;
  /** the solution as decimal strings with `digits` significant digits */
  readonly wDecimal: string[];
  /** multipliers, w = w0 + X^T lambda (zero on rows left out as dependent), rounded to f64 */
  readonly lambda: Vec;
  readonly certificate: MinNormCertificate;
}

/** First offending entry of a finiteness check, for messages. */
export function firstNonFinite(x: ArrayLike<number>): number {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return i;
  return -1;
}

export function checkMat(X: Mat, who: string, name = 'X'): void {
  if (X.data.length !== X.rows * X.cols) throw new Error(`${who}: ${name} has shape ${X.rows} x ${X.cols} but ${X.data.length} entries`);
  if (!allFinite(X.data)) {
    const k = firstNonFinite(X.data);
    throw new Error(`${who}: ${name}[${Math.floor(k / X.cols)}][${k % X.cols}] is ${X.data[k]}; entries must be finite`);
  }
}

export function checkVec(v: Vec, n: number, who: string, name: string, what: string): void {
  if (v.length !== n) throw new Error(`${who}: ${name} has ${v.length} entries but ${what} is ${n}`);
  const k = firstNonFinite(v);
  if (k >= 0) throw new Error(`${who}: ${name}[${k}] is ${v[k]}; entries must be finite`);
}

/** Frobenius norm of X, rounded up (f64 sum of squares times 1 + 2 n eps). */
export function frobeniusUpper(X: Mat): number {
  let s = 0;
  for (let k = 0; k < X.data.length; k++) s += X.data[k] * X.data[k];
  return Math.sqrt(s * (1 + 2 * (X.data.length + 2) * Number.EPSILON));
}

export function minNormSolution(X: Mat, y: Vec, opts: MinNormOptions = {}): MinNormResult {
  const who = 'minNormSolution';
  const digits = checkDigits(opts.digits ?? 50, who);
  checkMat(X, who);
  if (y.length !== X.rows) throw new Error(`${who}: X has ${X.rows} rows but y has ${y.length} entries`);
  checkVec(y, X.rows, who, 'y', 'the number of rows of X');
  const w0 = opts.w0 ?? null;
  if (w0) checkVec(w0, X.cols, who, 'w0', 'the number of columns of X');
  const n = X.rows;
  const d = X.cols;

  if (n > d) {
    // tall: rank and consistency from the doubles (src/precise/modular.ts), no BigInt copy of X
    const ech = echelonModP(X, y, new ModP(PRIME), opts.progress);
    if (ech.fullColumnRank) {
      if (ech.yPivotRow >= 0 || ech.failingRow >= 0) throw inconsistent(who, d, d + 1, n, d);
      const r = tallFullRank(X, y, [...ech.basisRows].sort((u, v) => u - v), digits, who, opts.progress);
      if (r !== null) return r;
    }
    if (n * d > BAREISS_LIMIT) {
      const why = ech.fullColumnRank
        ? `has full column rank (proved modulo ${PRIME}) and every row agrees modulo ${PRIME} with the solution w* of ${d} independent rows, ` +
          `but w* is not dyadic on the grid its refinement resolves, so X w* = y cannot be checked exactly`
        : `has rank at least ${ech.rankX} < d = ${d} (modulo ${PRIME}), and rank-deficient tall systems are decided by exact elimination`;
      throw new Error(`${who}: X (${n} x ${d}) ${why}; exact BigInt elimination is limited to N d <= ${BAREISS_LIMIT} (here N d = ${n * d})`);
    }
  }
  const Xi = toIntMatrix(X, y);
  const info = exactRank(Xi, d);
  if (info.rankAugmented > info.rank) throw inconsistent(who, info.rank, info.rankAugmented, n, d);
  const I = info.independentRows;
  const XI: Mat = I.length === n ? X : selectF64Rows(X, I);
  const XiI = I.length === n ? Xi : selectRows(Xi, I);
  const rhs = { ints: I.map((_, r) => XiI.ints[r * XiI.cols + d]), exp: XiI.exp };
  const yI = Float64Array.from(I, (i) => y[i]);
  const sol = refineAffine({ X: XI, Xi: XiI, rhs, rhsF64: yI, w0, digits, who });

  const lambda = new Float64Array(n);
  I.forEach((i, r) => (lambda[i] = bigToNumber(sol.L[r], XiI.exp[r] - sol.F)));
  const out = outputs(sol, digits, XI, XiI.exp);
  return {
    w: out.w,
    wDecimal: out.wDecimal,
    lambda,
    certificate: {
      residualNorm: out.residualNorm,
      rowSpaceDistance: out.rowSpaceDistance,
      digitsAchieved: sol.digitsAchieved,
      conditionEstimate: sol.kappa,
      rank: info.rank,
      rows: n,
      independentRows: I,
      rankDeficient: info.rank < n,
      iterations: sol.iterations,
      rankMethod: info.method,
      outputRounding: out.outputRounding,
    },
  };
}

/** Largest N d for which a tall system that the modular path cannot settle goes to BigInt (Bareiss) elimination. */
const BAREISS_LIMIT = 40_000;

function inconsistent(who: string, rank: number, rankAugmented: number, n: number, d: number): Error {
  return new Error(
    `${who}: inconsistent system Xw = y: rank(X) = ${rank} < rank([X | y]) = ${rankAugmented} ` +
      `(${n} rows, d = ${d}); no w satisfies it`,
  );
}

/**
 * Tall X of full column rank d (proved modulo p on the d rows I), consistent modulo p: the only candidate is
 * w* = X_I^{-1} y_I. It is refined to the requested digits, rounded to the dyadic grid 2^-g that the certified error
 * bound resolves (|w - w*| < 2^-(g+2)), and accepted only if X_I w~ = y_I exactly, which makes w~ = w*. Then X w* = y is
 * checked exactly on every row: a failing row proves the system inconsistent. Returns null when w* is not dyadic on
 * that grid (the caller falls back to exact elimination).
 */
function tallFullRank(X: Mat, y: Vec, I: number[], digits: number, who: string, progress?: Progress): MinNormResult | null {
  const n = X.rows;
  const d = X.cols;
  const XI = selectF64Rows(X, I);
  const yI = Float64Array.from(I, (i) => y[i]);
  const XiI = toIntMatrix(XI, yI);
  const rhs = { ints: I.map((_, r) => XiI.ints[r * XiI.cols + d]), exp: XiI.exp };
  progress?.('refinement on the independent rows', 0, 1);
  const sol = refineAffine({ X: XI, Xi: XiI, rhs, rhsF64: yI, w0: null, digits, who });
  let g = sol.F;
  let W = sol.W;
  if (sol.errorBound > 0) {
    g = Math.min(sol.F, Math.floor(Math.log2(0.25 / sol.errorBound)) - sol.scaleExp);
    if (!Number.isFinite(g)) return null;
    const sh = BigInt(sol.F - g);
    const half = sh > 0n ? 1n << (sh - 1n) : 0n;
    W = sh > 0n ? sol.W.map((b) => (b >= 0n ? (b + half) >> sh : -((-b + half) >> sh))) : sol.W;
  }
  // drop common trailing zeros: the smaller the integers, the fewer primes the exact check needs
  while (g > 0 && W.every((b) => (b & 1n) === 0n)) {
    W = W.map((b) => b >> 1n);
    g--;
  }
  if (g < 0) return null;
  if (firstFailingRow(XI, yI, W, g) >= 0) return null;
  const bad = firstFailingRow(X, y, W, g, progress);
  if (bad >= 0) throw inconsistent(who, d, d + 1, n, d);
  const exact: AffineSolution = { ...sol, F: g, W, R: [], errorBound: 0, w0Rounding: 0 };
  const out = outputs(exact, digits, X, []);
  const lambda = new Float64Array(n);
  I.forEach((i, r) => (lambda[i] = bigToNumber(sol.L[r], XiI.exp[r] - sol.F)));
  return {
    w: out.w,
    wDecimal: out.wDecimal,
    lambda,
    certificate: {
      residualNorm: out.residualNorm,
      rowSpaceDistance: out.rowSpaceDistance,
      digitsAchieved: digits,
      conditionEstimate: sol.kappa,
      rank: d,
      rows: n,
      independentRows: I,
      rankDeficient: true,
      iterations: sol.iterations,
      rankMethod: 'multimodular',
      outputRounding: out.outputRounding,
    },
  };
}

export function selectF64Rows(X: Mat, idx: readonly number[]): Mat {
  const data = new Float64Array(idx.length * X.cols);
  idx.forEach((i, r) => data.set(X.data.subarray(i * X.cols, (i + 1) * X.cols), r * X.cols));
  return { rows: idx.length, cols: X.cols, data };
}

/**
 * Rounded outputs of an affine solution and the certified bounds for the RETURNED decimal w:
 *  residualNorm >= ||X w - b|| (exact residual of the iterate + ||X||_F * output rounding),
 *  rowSpaceDistance >= dist(w - w0, row(X)) (output rounding + rounding of w0 to the grid).
 */
export function outputs(sol: AffineSolution, digits: number, X: Mat, exp: readonly number[]) {
  // entries below 10^-(digits+1) max(||w||, ||w0||) (at or below the certified error bound) print as 0
  // (an exact solution is correct to the digits in every entry: nothing snaps)
  const v = roundVector(sol.W, sol.F, digits, sol.errorBound > 0 && sol.method !== 'exact' ? 10 ** -(digits + 1) * sol.scaleNorm : 0, sol.scaleExp);
  const resid = dyadicNormUpper(sol.R, exp.map((e) => e + sol.F)).plus(v.roundingNorm.times(frobeniusUpperDecimal(X.data)));
  const rowDist = v.roundingNorm.plus(shortDecimal(sol.w0Rounding * (1 + 1e-12)).times(shortDecimal(2).pow(sol.scaleExp)));
  return {
    w: v.x,
    wDecimal: v.strs,
    residualNorm: boundString(resid),
    rowSpaceDistance: boundString(rowDist),
    outputRounding: boundString(v.roundingNorm),
  };
}
