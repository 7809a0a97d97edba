/**
 * Certified minimum-norm solution: the projection of w0 onto {w : X w = y},
 *   w = w0 + X^T (X X^T)^{-1} (y - X w0)          (docs/theory.md#02-certified-references; w0 = 0 gives X^+ y).
 *
 * Rank and consistency are decided exactly (src/precise/exact.ts); a rank-deficient consistent
 * system is solved on a basis of its rows (same affine set, same projection) and says so in the
 * certificate; an inconsistent one throws with both ranks. The value comes from the refinement
 * engine (src/precise/refine.ts): f64 QR of X^T (Paige's method), exact residuals.
 */
import { allFinite, type Mat, type Vec } from '../numeric/index.ts';
import { bigToNumber, selectRows, toIntMatrix } from './dyadic.ts';
import { exactRank } from './exact.ts';
import { refineAffine, type AffineSolution } from './refine.ts';
import { checkDigits } from './decimal.ts';
import { boundString, dyadicNormUpper, roundVector, shortDecimal } from './output.ts';
import type { MinNormCertificate } from './certificate.ts';

export interface MinNormOptions {
  /** the point to project (default 0) */
  readonly w0?: Vec;
  /** significant digits (default 50) */
  readonly digits?: number;
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

  const Xi = toIntMatrix(X, y);
  const info = exactRank(Xi, d);
  if (info.rankAugmented > info.rank) {
    throw new Error(
      `${who}: inconsistent system Xw = y: rank(X) = ${info.rank} < rank([X | y]) = ${info.rankAugmented} ` +
        `(${n} rows, d = ${d}); no w satisfies it`,
    );
  }
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
      conditionEstimate: sol.sigmaMax / sol.sigmaMin,
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
  const v = roundVector(sol.W, sol.F, digits, sol.errorBound > 0 ? 10 ** -(digits + 1) * sol.scaleNorm : 0);
  const resid = dyadicNormUpper(sol.R, exp.map((e) => e + sol.F)).plus(v.roundingNorm.times(shortDecimal(frobeniusUpper(X))));
  const rowDist = v.roundingNorm.plus(shortDecimal(sol.w0Rounding * (1 + 1e-12)));
  return {
    w: v.x,
    wDecimal: v.strs,
    residualNorm: boundString(resid),
    rowSpaceDistance: boundString(rowDist),
    outputRounding: boundString(v.roundingNorm),
  };
}
