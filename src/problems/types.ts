/**
 * Federated problem types.
 *
 * NORMALISATION CONVENTION (stated once, used everywhere): a node's loss is the MEAN over
 * its own samples, f_k(w) = (1/n_k) sum_{i in node k} l_i(w), and the global objective is
 * F(w) = sum_k alpha_k f_k(w) with aggregation weights alpha_k >= 0 summing to 1. With the
 * default alpha_k = n_k / N this is the pooled mean loss (1/N) sum_i l_i(w), so Local-GD with
 * L = 1 is exactly centralized GD on the pooled mean loss. docs/theory.md#01-local-gd-round writes node losses
 * as sums; that only rescales eta per node by n_k (see the "Conventions" section of README.md).
 */
import type { Mat, Vec } from '../numeric/types.ts';

export type Task = 'regression' | 'classification';

export interface NodeData {
  /** n_k x d design matrix */
  readonly X: Mat;
  /** n_k targets: reals for regression, -1/+1 for classification */
  readonly y: Vec;
  /** optional user weight (>= 0); used when aggregation = 'given' */
  readonly weight?: number;
}

export interface FederatedDataset {
  readonly task: Task;
  /** feature dimension, the same on every node */
  readonly d: number;
  readonly nodes: readonly NodeData[];
}

/** JSON shape of a dataset file (the dataset format of src/problems/README.md). */
export interface DatasetJson {
  task: Task;
  nodes: { X: number[][]; y: number[]; weight?: number }[];
}
