/**
 * Tiny softmax-regression problems on Gaussian mixtures (src/optimizers/async/data.ts) for the whole-run
 * properties, and the constants their tolerances need. Not a property file.
 */
import { gaussianMixture, softmaxRegression } from '../../src/optimizers/async/index.ts';
import type { AsyncProblem } from '../../src/optimizers/async/index.ts';

export interface MixtureSpec {
  /** data seed (32-bit) */
  readonly dataSeed: number;
  /** features */
  readonly d: number;
  /** classes */
  readonly C: number;
  /** shards */
  readonly shards: number;
  /** rows per shard */
  readonly perShard: number;
  /** noise of the mixture (default 0.5) */
  readonly noise?: number;
  /** multiply feature j by kappa^(-j/(d-1)) (ill-conditioning; default 1) */
  readonly kappa?: number;
}

/** The problem, without an eval set: trace losses are the pooled training loss (the objective optimised). */
export function mixtureProblem(m: MixtureSpec): AsyncProblem {
  const data = gaussianMixture({ seed: m.dataSeed, features: m.d, classes: m.C, n: m.perShard * m.shards, shards: m.shards, noise: m.noise ?? 0.5, evalSize: 1 });
  const kappa = m.kappa ?? 1;
  const shards = kappa === 1 ? data.shards : data.shards.map((s) => {
    const X = { rows: s.X.rows, cols: s.X.cols, data: Float64Array.from(s.X.data) };
    for (let r = 0; r < X.rows; r++) for (let j = 0; j < m.d; j++) X.data[r * m.d + j] *= kappa ** (-j / Math.max(m.d - 1, 1));
    return { X, y: s.y };
  });
  return { model: softmaxRegression(m.d, m.C), shards };
}

/**
 * Smoothness of the mean softmax cross-entropy over any subset of rows: the Hessian of log-sum-exp in the
 * logits is diag(p) - p p^T <= I/2, and the logits z = W x + b have Jacobian norm sqrt(|x|^2 + 1) in theta, so
 * L = max_r (|x_r|^2 + 1) / 2 bounds every minibatch loss too.
 */
export function softmaxSmoothness(problem: AsyncProblem): number {
  let m = 0;
  for (const s of problem.shards) {
    const { rows, cols, data } = s.X;
    for (let r = 0; r < rows; r++) {
      let q = 1;
      for (let j = 0; j < cols; j++) q += data[r * cols + j] ** 2;
      m = Math.max(m, q);
    }
  }
  return m / 2;
}

/** max(1, max |x_rj|): bounds every entry of a softmax cross-entropy gradient (|p - onehot| <= 1). */
export function gradientEntryBound(problem: AsyncProblem): number {
  let m = 1;
  for (const s of problem.shards) for (const v of s.X.data) m = Math.max(m, Math.abs(v));
  return m;
}
