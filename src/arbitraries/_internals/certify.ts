/**
 * The certified references attached to generated values, computed with the Decimal solvers of src/precise once
 * per value (values memoise them). Kept in one file so that the arbitraries depend on src/precise in one place.
 */
import { maxMarginSolution, minNormSolution } from '../../precise/index.ts';
import { pooled } from '../../problems/dataset.ts';
import type { Vec } from '../../numeric/types.ts';
import type { FederatedDataset } from '../../problems/types.ts';

export interface MinNormReference {
  /** X^+ y, the min-norm interpolator of the pooled system */
  readonly wMinNorm: Vec;
  /** X^+ y + (I - X^+ X) w0, the limit of centralized GD (and of Local-GD, docs/theory.md#12-regression) from w0 */
  readonly wLimit: Vec;
  /** numerical rank reported by the certificate (N for a full-row-rank X) */
  readonly rank: number;
  readonly certificate: unknown;
}

export function minNormReference(ds: FederatedDataset, w0: Vec): MinNormReference {
  const { X, y } = pooled(ds);
  const mn = minNormSolution(X, y);
  const lim = w0.some((x) => x !== 0) ? minNormSolution(X, y, { w0 }).w : mn.w;
  return { wMinNorm: mn.w, wLimit: lim, rank: mn.certificate.rank, certificate: mn.certificate };
}

export interface MaxMarginReference {
  /** the hard-margin SVM direction scaled so that min_i y_i x_i^T wHat = 1 */
  readonly wHat: Vec;
  /** gamma* = 1 / ||wHat||, the maximal normalised margin */
  readonly gamma: number;
  readonly support: readonly number[];
  readonly certificate: unknown;
}

export function maxMarginReference(ds: FederatedDataset): MaxMarginReference {
  const { X, y } = pooled(ds);
  const s = maxMarginSolution(X, y);
  return { wHat: s.w, gamma: s.gamma, support: s.support, certificate: s.certificate };
}
