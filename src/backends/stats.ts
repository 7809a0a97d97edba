/**
 * The reductions a screen needs from a final model (FinalStats in types.ts), in f64 on the CPU: the reference values
 * that the GPU's reductions are compared with, and the CPU backend's own.
 */
import type { Vec } from '../numeric/types.ts';
import { datasetLoss } from '../problems/losses.ts';
import type { LossSpec } from '../problems/losses.ts';
import type { FederatedDataset } from '../problems/types.ts';
import type { FinalStats } from './types.ts';

/** ||w/||w|| - r/||r|| ||_2; NaN when either vector is zero. */
export function directionError(w: ArrayLike<number>, r: ArrayLike<number>): number {
  let ww = 0;
  let rr = 0;
  for (let j = 0; j < w.length; j++) {
    ww += w[j] * w[j];
    rr += r[j] * r[j];
  }
  const nw = Math.sqrt(ww);
  const nr = Math.sqrt(rr);
  if (!(nw > 0) || !(nr > 0)) return NaN;
  let e = 0;
  for (let j = 0; j < w.length; j++) {
    const t = w[j] / nw - r[j] / nr;
    e += t * t;
  }
  return Math.sqrt(e);
}

/** min over every row of every node of y_i x_i^T w (+Infinity when the problem has no rows). */
export function minMargin(problem: FederatedDataset, w: ArrayLike<number>): number {
  let m = Infinity;
  for (const nd of problem.nodes) {
    const { X, y } = nd;
    for (let i = 0; i < X.rows; i++) {
      let s = 0;
      for (let j = 0; j < X.cols; j++) s += X.data[i * X.cols + j] * w[j];
      m = Math.min(m, y[i] * s);
    }
  }
  return m;
}

export function finalStats(problem: FederatedDataset, loss: LossSpec, alpha: ArrayLike<number>, w: Vec, reference?: Vec): FinalStats {
  let ww = 0;
  for (let j = 0; j < w.length; j++) ww += w[j] * w[j];
  return {
    loss: datasetLoss(problem, loss, w, alpha),
    norm: Math.sqrt(ww),
    minMargin: minMargin(problem, w),
    directionError: reference === undefined ? NaN : directionError(w, reference),
    distance: reference === undefined ? NaN : Math.hypot(...Array.from(w, (v, j) => v - reference[j])),
  };
}
