/**
 * Small federated problems for the optimizer tests: dyadic entries (exact in f64), unequal node sizes (including
 * single-sample and, optionally, zero-row nodes), labels -1/+1 for the margin losses. Also the rounding budgets the
 * equivalence tests use, each derived from first-order error analysis of the arithmetic being compared.
 */
import fc from 'fast-check';
import { EPS } from '../../src/numeric/index.ts';
import type { Vec } from '../../src/numeric/index.ts';
import { sampleDerivative } from '../../src/problems/losses.ts';
import type { LossName, LossSpec } from '../../src/problems/losses.ts';
import type { FederatedDataset, NodeData } from '../../src/problems/types.ts';

export interface ProblemConstraints {
  minNodes?: number;
  maxNodes?: number;
  /** smallest node size (0 allows zero-row nodes; at least one node always has a row) */
  minRows?: number;
  maxRows?: number;
  maxD?: number;
  loss?: LossName;
}

const grid = fc.integer({ min: -4, max: 4 }).map((k) => k / 4);

export function problemArb(c: ProblemConstraints = {}): fc.Arbitrary<FederatedDataset> {
  const { minNodes = 1, maxNodes = 4, minRows = 1, maxRows = 5, maxD = 5, loss = 'squared' } = c;
  return fc
    .record({
      d: fc.integer({ min: 1, max: maxD }),
      sizes: fc.array(fc.integer({ min: minRows, max: maxRows }), { minLength: minNodes, maxLength: maxNodes }),
    })
    .map(({ d, sizes }) => ({ d, sizes: sizes.every((n) => n === 0) ? [1, ...sizes.slice(1)] : sizes }))
    .chain(({ d, sizes }) =>
      fc.tuple(
        ...sizes.map((n) =>
          fc.record({
            X: fc.array(grid, { minLength: n * d, maxLength: n * d }),
            y: loss === 'squared' ? fc.array(grid, { minLength: n, maxLength: n }) : fc.array(fc.constantFrom(-1, 1), { minLength: n, maxLength: n }),
          }).map(({ X, y }): NodeData => ({ X: { rows: n, cols: d, data: Float64Array.from(X) }, y: Float64Array.from(y) })),
        ),
      ).map((nodes): FederatedDataset => ({ task: loss === 'squared' ? 'regression' : 'classification', d, nodes })),
    );
}

export function modelArb(d: number): fc.Arbitrary<Vec> {
  return fc.array(grid, { minLength: d, maxLength: d }).map((a) => Float64Array.from(a));
}

/** A step size below 1/beta_k for every node (beta_k <= ||X_k||_F^2 / n_k, times 1/4 for logistic; 1 for exp). */
export function safeEta(ds: FederatedDataset, loss: LossSpec): number {
  let beta = loss.l2 ?? 0;
  for (const nd of ds.nodes) {
    if (nd.X.rows === 0) continue;
    let f = 0;
    for (const v of nd.X.data) f += v * v;
    beta = Math.max(beta, f / nd.X.rows / (loss.name === 'logistic' ? 4 : 1) + (loss.l2 ?? 0));
  }
  return beta > 0 ? 0.5 / beta : 0.5;
}

export function snapshot(ds: FederatedDataset): number[][] {
  return ds.nodes.flatMap((nd) => [Array.from(nd.X.data), Array.from(nd.y)]);
}

export function bitsEqual(a: Vec, b: Vec): boolean {
  return a.length === b.length && a.every((x, j) => Object.is(x, b[j]));
}

/**
 * Per-coordinate bound on the rounding error of one computed mean gradient of `rows` (node-local (1/n) sum) against
 * the exact one: each score has error <= d eps sum_l |x_l w_l|, which moves l' by |l''| times that; the coefficient,
 * its scaling and the n-term sum add (n + 6) eps |l'| |x_j|. Returned per coordinate, already divided by n.
 */
export function gradErrorBound(loss: LossSpec, nd: NodeData, w: Vec): Float64Array {
  const { rows: n, cols: d, data } = nd.X;
  const out = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    let s = 0, absS = 0;
    for (let l = 0; l < d; l++) {
      s += data[i * d + l] * w[l];
      absS += Math.abs(data[i * d + l] * w[l]);
    }
    const lp = Math.abs(sampleDerivative(loss.name, s, nd.y[i]));
    const lpp = loss.name === 'squared' ? 1 : loss.name === 'exponential' ? lp : 0.25;
    const c = lpp * d * EPS * absS + (n + 6) * EPS * lp;
    for (let j = 0; j < d; j++) out[j] += (c * Math.abs(data[i * d + j])) / n;
  }
  for (let j = 0; j < d; j++) out[j] += 2 * EPS * (loss.l2 ?? 0) * Math.abs(w[j]);
  return out;
}
