/**
 * Local smoothness of a federated problem, the scale that step sizes are set against (docs/theory.md#12-regression R-stability:
 * eta < 2 / max_k lambda_max(grad^2 f_k) makes every node's local map non-expansive).
 *
 * Mean convention (src/problems/types.ts): f_k(w) = (1/n_k) sum_i l(x_i^T w, y_i) + (lambda/2)||w||^2. Returns
 * beta = max_k beta_k with
 *   squared      beta_k = lambda_max(X_k^T X_k) / n_k + lambda           (the Hessian; exact up to the eigensolver)
 *   logistic     beta_k = lambda_max(X_k^T X_k) / (4 n_k) + lambda       (l'' <= 1/4)
 *   exponential  beta_k = max_i ||x_i||^2 f_k^exp(w0) + lambda            (on the sublevel set {f_k <= f_k(w0)}: the
 *                Hessian (1/n) sum e^{-m_i} x_i x_i^T <= max||x||^2 (1/n) sum e^{-m_i}; GD with eta < 2/beta stays there)
 * Nodes with no rows are skipped. lambda_max comes from the f64 symmetric eigensolver (relative error ~ d eps).
 */
import { eigSym, gramT } from '../../numeric/index.ts';
import type { Vec } from '../../numeric/types.ts';
import type { LossName, LossSpec } from '../../problems/losses.ts';
import type { FederatedDataset } from '../../problems/types.ts';

export function smoothness(ds: FederatedDataset, loss: LossSpec | LossName, w0?: Vec): number {
  const spec: LossSpec = typeof loss === 'string' ? { name: loss } : loss;
  const l2 = spec.l2 ?? 0;
  if (!['squared', 'logistic', 'exponential'].includes(spec.name)) {
    throw new Error(`smoothness: unknown loss ${JSON.stringify(spec.name)} (expected squared, logistic or exponential)`);
  }
  if (!(l2 >= 0) || !Number.isFinite(l2)) throw new Error(`smoothness: loss.l2 must be finite and >= 0, got ${l2}`);
  if (w0 !== undefined && w0.length !== ds.d) throw new Error(`smoothness: w0 has ${w0.length} entries but d = ${ds.d}`);
  let beta = 0;
  for (const nd of ds.nodes) {
    const n = nd.X.rows;
    if (n === 0) continue;
    let b: number;
    if (spec.name === 'exponential') {
      let maxNorm2 = 0;
      let f = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        let q = 0;
        for (let c = 0; c < ds.d; c++) {
          const x = nd.X.data[i * ds.d + c];
          q += x * x;
          if (w0 !== undefined) s += x * w0[c];
        }
        maxNorm2 = Math.max(maxNorm2, q);
        f += Math.exp(-nd.y[i] * s);
      }
      b = maxNorm2 * (f / n);
    } else {
      const ev = eigSym(gramT(nd.X)).values;
      b = Math.max(0, ev[ev.length - 1]) / n / (spec.name === 'logistic' ? 4 : 1);
    }
    beta = Math.max(beta, b + l2);
  }
  if (!(beta > 0) || !Number.isFinite(beta)) {
    throw new Error(`smoothness: the ${spec.name} loss has smoothness ${beta} on this dataset (all-zero data or overflow)`);
  }
  return beta;
}
