/**
 * Linear least squares, theta in R^d, MEAN convention:
 *   f(theta) = (1 / (2n)) ||X theta - y||^2,   grad f = (1/n) X^T (X theta - y).
 * With X = s I_d and y = s e (s^2 = d) this is F(x) = 1/2 ||x - e||^2, the FedNova quadratic
 * of docs/theory.md#35-dynamic-local-updates.
 */
import type { Mat, Vec } from '../../../numeric/types.ts';
import type { Model } from '../types.ts';

export function leastSquares(features: number): Model {
  if (!(Number.isInteger(features) && features >= 1)) throw new Error(`leastSquares: features must be an integer >= 1, got ${features}`);
  const d = features;
  const check = (X: Mat, y: Vec): void => {
    if (X.cols !== d) throw new Error(`leastSquares: X has ${X.cols} columns but the model has ${d} features`);
    if (y.length !== X.rows) throw new Error(`leastSquares: X has ${X.rows} rows but y has ${y.length} entries`);
  };
  const lossAndGrad = (theta: Vec, X: Mat, y: Vec, gradOut: Vec): number => {
    if (theta.length !== d || gradOut.length !== d) {
      throw new Error(`leastSquares.lossAndGrad: theta has ${theta.length} and gradOut ${gradOut.length} entries, expected ${d}`);
    }
    gradOut.fill(0);
    const xd = X.data;
    let loss = 0;
    for (let r = 0; r < X.rows; r++) {
      const off = r * d;
      let s = -y[r];
      for (let j = 0; j < d; j++) s += xd[off + j] * theta[j];
      loss += s * s;
      if (s === 0) continue;
      for (let j = 0; j < d; j++) gradOut[j] += s * xd[off + j];
    }
    const inv = 1 / X.rows;
    for (let j = 0; j < d; j++) gradOut[j] *= inv;
    return 0.5 * loss * inv;
  };
  const loss = (theta: Vec, X: Mat, y: Vec): number => {
    let total = 0;
    for (let r = 0; r < X.rows; r++) {
      let s = -y[r];
      for (let j = 0; j < d; j++) s += X.data[r * d + j] * theta[j];
      total += s * s;
    }
    return (0.5 * total) / X.rows;
  };
  return { name: `leastSquares(d=${d})`, descriptor: { kind: 'leastSquares', features: d }, dim: d, features: d, lossAndGrad, loss, check };
}
