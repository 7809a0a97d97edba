/**
 * Multi-class softmax regression (multinomial logistic regression) with biases.
 * Parameters theta = [W (C x d, row-major), b (C)], dim = C (d + 1).
 * Loss on a batch (MEAN convention of src/problems/types.ts):
 *   f(theta) = (1/n) sum_r [ logsumexp(W x_r + b) - (W x_r + b)_{y_r} ],   labels y_r in {0..C-1}
 * Gradient: dW_c = (1/n) sum_r (p_rc - [y_r = c]) x_r,  db_c = (1/n) sum_r (p_rc - [y_r = c]),
 * with p_r = softmax(W x_r + b) computed after subtracting the max logit (no overflow).
 */
import type { Mat, Vec } from '../../../numeric/types.ts';
import type { Model } from '../types.ts';

export function softmaxRegression(features: number, classes: number): Model {
  if (!(Number.isInteger(features) && features >= 1)) throw new Error(`softmaxRegression: features must be an integer >= 1, got ${features}`);
  if (!(Number.isInteger(classes) && classes >= 2)) throw new Error(`softmaxRegression: classes must be an integer >= 2, got ${classes}`);
  const d = features;
  const C = classes;
  const dim = C * (d + 1);
  const z = new Float64Array(C); // scratch: logits, then probabilities

  const check = (X: Mat, y: Vec): void => {
    if (X.cols !== d) throw new Error(`softmaxRegression: X has ${X.cols} columns but the model has ${d} features`);
    if (y.length !== X.rows) throw new Error(`softmaxRegression: X has ${X.rows} rows but y has ${y.length} entries`);
    for (let r = 0; r < y.length; r++) {
      const c = y[r];
      if (!(Number.isInteger(c) && c >= 0 && c < C)) throw new Error(`softmaxRegression: label ${r} is ${c}, expected an integer in [0, ${C - 1}]`);
    }
  };

  /** logits of row r into z; returns the max logit */
  const logits = (theta: Vec, X: Mat, r: number): number => {
    const xd = X.data;
    const off = r * d;
    let mx = -Infinity;
    for (let c = 0; c < C; c++) {
      let s = theta[C * d + c];
      const wo = c * d;
      for (let j = 0; j < d; j++) s += theta[wo + j] * xd[off + j];
      z[c] = s;
      if (s > mx) mx = s;
    }
    return mx;
  };

  const lossAndGrad = (theta: Vec, X: Mat, y: Vec, gradOut: Vec): number => {
    if (theta.length !== dim || gradOut.length !== dim) {
      throw new Error(`softmaxRegression.lossAndGrad: theta has ${theta.length} and gradOut ${gradOut.length} entries, expected ${dim}`);
    }
    gradOut.fill(0);
    const n = X.rows;
    const xd = X.data;
    let loss = 0;
    for (let r = 0; r < n; r++) {
      const mx = logits(theta, X, r);
      const label = y[r];
      const shifted = z[label] - mx; // <= 0
      let sum = 0;
      for (let c = 0; c < C; c++) {
        const e = Math.exp(z[c] - mx);
        z[c] = e;
        sum += e;
      }
      loss += Math.log(sum) - shifted;
      const off = r * d;
      for (let c = 0; c < C; c++) {
        const coef = z[c] / sum - (c === label ? 1 : 0);
        if (coef === 0) continue;
        const wo = c * d;
        for (let j = 0; j < d; j++) gradOut[wo + j] += coef * xd[off + j];
        gradOut[C * d + c] += coef;
      }
    }
    const inv = 1 / n;
    for (let i = 0; i < dim; i++) gradOut[i] *= inv;
    return loss * inv;
  };

  const loss = (theta: Vec, X: Mat, y: Vec): number => {
    if (theta.length !== dim) throw new Error(`softmaxRegression.loss: theta has ${theta.length} entries, expected ${dim}`);
    let total = 0;
    for (let r = 0; r < X.rows; r++) {
      const mx = logits(theta, X, r);
      let sum = 0;
      for (let c = 0; c < C; c++) sum += Math.exp(z[c] - mx);
      total += Math.log(sum) + mx - z[y[r]];
    }
    return total / X.rows;
  };

  return { name: `softmax(d=${d}, C=${C})`, descriptor: { kind: 'softmax', features: d, classes: C }, dim, features: d, lossAndGrad, loss, check };
}
