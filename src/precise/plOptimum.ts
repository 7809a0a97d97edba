/**
 * Optimum F* and a minimiser of the PL objectives used by the LUPA-SGD properties (docs/theory.md#2-lupa-sgd-and-ada-lupa-sgd-haddadpour-et-al),
 * each with a gradient-norm certificate. Mean convention (src/problems/types.ts):
 *   least-squares: F(x) = 1/(2m) ||A x - b||^2 + lambda/2 ||x||^2   (lambda >= 0, default 0;
 *                  rank-deficient A allowed when lambda = 0: the min-norm minimiser is returned)
 *   logistic:      F(x) = (1/m) sum_i log(1 + exp(-y_i x_i^T x)) + lambda/2 ||x||^2   (lambda >= 0; lambda = 0
 *                  needs non-separable data of full column rank and is certified by local strong convexity)
 */
import type { Mat, Vec } from '../numeric/index.ts';
import { checkDigits } from './decimal.ts';
import { checkMat, checkVec } from './minNorm.ts';
import { signedRows } from './maxMargin.ts';
import { plLeastSquares, type PlResult } from './plLeastSquares.ts';
import { plLogistic } from './plLogistic.ts';

export type PlObjective =
  | { readonly kind: 'least-squares'; readonly A: Mat; readonly b: Vec; readonly lambda?: number }
  | { readonly kind: 'logistic'; readonly X: Mat; readonly y: Vec; readonly lambda: number };

export interface PlOptions {
  /** significant digits (default 50) */
  readonly digits?: number;
}

export type { PlResult };

export function plOptimum(obj: PlObjective, opts: PlOptions = {}): PlResult {
  const who = 'plOptimum';
  const digits = checkDigits(opts.digits ?? 50, who);
  if (obj.kind === 'least-squares') {
    const lambda = obj.lambda ?? 0;
    if (!Number.isFinite(lambda) || lambda < 0) throw new Error(`${who}: least-squares lambda must be finite and >= 0, got ${lambda}`);
    checkMat(obj.A, who, 'A');
    if (obj.b.length !== obj.A.rows) throw new Error(`${who}: A has ${obj.A.rows} rows but b has ${obj.b.length} entries`);
    checkVec(obj.b, obj.A.rows, who, 'b', 'the number of rows of A');
    if (obj.A.rows === 0 || obj.A.cols === 0) throw new Error(`${who}: A must have at least one row and one column, got ${obj.A.rows} x ${obj.A.cols}`);
    return plLeastSquares(obj.A, obj.b, lambda, digits, who);
  }
  if (obj.kind === 'logistic') {
    if (!Number.isFinite(obj.lambda) || !(obj.lambda >= 0)) {
      throw new Error(`${who}: logistic lambda must be finite and >= 0, got ${obj.lambda}`);
    }
    const Z = signedRows(obj.X, obj.y, who);
    if (Z.rows === 0 || Z.cols === 0) throw new Error(`${who}: X must have at least one row and one column, got ${Z.rows} x ${Z.cols}`);
    return plLogistic(Z, obj.lambda, digits, who);
  }
  throw new Error(`${who}: unknown objective kind '${(obj as { kind: unknown }).kind}' (expected 'least-squares' or 'logistic')`);
}
