/**
 * Problem checks and aggregation weights shared by every optimizer.
 *
 * Weights alpha (docs/theory.md#0-notation-and-conventions: alpha_m > 0, sum alpha_m = 1):
 *   'samples'   alpha_k = n_k / N (the default; F is then the pooled mean loss);
 *   'uniform'   alpha_k = 1 / K;
 *   'given'     alpha_k proportional to node k's `weight` field (every node must have one);
 *   number[]    alpha_k proportional to the given numbers.
 * The result is normalised to sum 1 (up to rounding). A node with alpha_k = 0 takes no part (no local steps, no
 * upload). Rules, each an error naming the values: a zero-row node with alpha_k > 0; a total weight of 0 (for
 * 'samples' that is "every node has 0 samples", planted bug M11-zero-weight-nan (docs/planted-bugs.md#m11-zero-weight-nan): a NaN model instead of an error);
 * negative or non-finite weights.
 */
import type { Vec } from '../../numeric/types.ts';
import { isMarginLoss, validateLoss } from '../../problems/losses.ts';
import type { LossSpec } from '../../problems/losses.ts';
import type { FederatedDataset } from '../../problems/types.ts';
import { show } from './check.ts';

export type AlphaSpec = 'samples' | 'uniform' | 'given' | readonly number[];

/**
 * Throws unless the problem is well formed for `loss`: at least one node, d >= 1, shapes agree, every entry finite,
 * labels -1/+1 for the margin losses (exponential, logistic). O(N d), once per run.
 */
export function validateProblem(fn: string, problem: FederatedDataset, loss?: LossSpec): void {
  if (problem === null || typeof problem !== 'object' || !Array.isArray(problem.nodes)) {
    throw new Error(`${fn}: problem must be a FederatedDataset { task, d, nodes }, got ${show(problem)}`);
  }
  const { d, nodes } = problem;
  if (!Number.isInteger(d) || d < 1) throw new Error(`${fn}: problem.d must be an integer >= 1, got ${show(d)}`);
  if (nodes.length === 0) throw new Error(`${fn}: the problem has no nodes`);
  if (loss !== undefined) validateLoss(fn, loss);
  const margin = loss !== undefined && isMarginLoss(loss.name);
  for (let k = 0; k < nodes.length; k++) {
    const { X, y } = nodes[k];
    if (X.cols !== d) throw new Error(`${fn}: node ${k}: X has ${X.cols} columns but d = ${d}`);
    if (X.data.length !== X.rows * X.cols) throw new Error(`${fn}: node ${k}: X.data has ${X.data.length} entries but X is ${X.rows} x ${X.cols}`);
    if (y.length !== X.rows) throw new Error(`${fn}: node ${k}: y has ${y.length} entries but X has ${X.rows} rows`);
    const data = X.data;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        throw new Error(`${fn}: node ${k}, row ${Math.floor(i / d)}, column ${i % d}: X entry ${show(data[i])} is not finite`);
      }
    }
    for (let i = 0; i < y.length; i++) {
      if (!Number.isFinite(y[i])) throw new Error(`${fn}: node ${k}, row ${i}: y = ${show(y[i])} is not finite`);
      if (margin && y[i] !== 1 && y[i] !== -1) {
        throw new Error(`${fn}: node ${k}, row ${i}: label ${show(y[i])} is not -1 or +1 (the ${loss!.name} loss uses margins y x^T w)`);
      }
    }
  }
}

/** Normalised aggregation weights (see the header). */
export function aggregationWeights(fn: string, problem: FederatedDataset, alpha: AlphaSpec = 'samples'): Float64Array {
  const K = problem.nodes.length;
  const raw = new Float64Array(K);
  if (alpha === 'samples') {
    for (let k = 0; k < K; k++) raw[k] = problem.nodes[k].X.rows;
  } else if (alpha === 'uniform') {
    raw.fill(1);
  } else if (alpha === 'given') {
    for (let k = 0; k < K; k++) {
      const wk = problem.nodes[k].weight;
      if (wk === undefined) throw new Error(`${fn}: alpha = 'given' but node ${k} has no weight`);
      raw[k] = wk;
    }
  } else if (Array.isArray(alpha)) {
    if (alpha.length !== K) throw new Error(`${fn}: alpha has ${alpha.length} entries but the problem has ${K} nodes`);
    for (let k = 0; k < K; k++) raw[k] = alpha[k];
  } else {
    throw new Error(`${fn}: alpha must be 'samples', 'uniform', 'given' or an array of ${K} weights, got ${show(alpha)}`);
  }
  let total = 0;
  for (let k = 0; k < K; k++) {
    const v = raw[k];
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) throw new Error(`${fn}: alpha_${k} must be finite and >= 0, got ${show(v)}`);
    total += v;
  }
  if (!(total > 0) || !Number.isFinite(total)) {
    const why = alpha === 'samples' ? `every node (${K}) reports 0 samples` : `the weights are ${show(Array.from(raw))}`;
    throw new Error(`${fn}: the total aggregation weight is ${total}, it must be positive and finite (${why})`);
  }
  for (let k = 0; k < K; k++) {
    if (raw[k] > 0 && problem.nodes[k].X.rows === 0) {
      throw new Error(`${fn}: node ${k} has 0 rows but a positive weight alpha_${k} = ${raw[k]} (its mean loss is undefined)`);
    }
  }
  const out = new Float64Array(K);
  for (let k = 0; k < K; k++) out[k] = raw[k] / total;
  return out;
}

/** Indices of the nodes with a positive weight, ascending. */
export function eligibleNodes(alpha: Vec): number[] {
  const out: number[] = [];
  for (let k = 0; k < alpha.length; k++) if (alpha[k] > 0) out.push(k);
  return out;
}
