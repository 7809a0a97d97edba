/**
 * nonSeparableClassification: federated binary classification data that is certified NOT linearly separable through
 * the origin (docs/theory.md#16-local-sgd-and-non-separable-data: client drift of Local-GD on non-separable logistic regression; docs/theory.md#17-numerical-checks "non-separable
 * drift"): no w has y_i x_i^T w > 0 for every i (so the logistic minimiser is finite on the witness directions).
 *
 * Certificate (Gordan's alternative): meta.witness gives rows i_1..i_{m+1} and lambda_j > 0 with
 * sum_j lambda_j y_{i_j} x_{i_j} = 0 exactly; then sum_j lambda_j (y_{i_j} x_{i_j}^T w) = 0 for every w, so some
 * margin is <= 0. m = 1 is the pair (x, +1), (-x, +1) up to scaling; m >= 2 is a "cycle".
 *
 * Construction (no filtering): z_1..z_m are integer rows strictly dominant on pivots 0..m-1 (independent, so
 * z_{m+1} = -sum_{j<=m} lambda_j z_j with integer lambda_j >= 1 is nonzero), witness labels from a pool, x_j = y_j z_j;
 * background points v + y t w* (noisy labels) from pools, with coordinate (i mod d) of background point i moved off
 * zero (u -> u + 1 for u >= 0), so no point is ever the zero vector (a zero point would make non-separability
 * trivial); witness rows spread round-robin over the nodes; then columns mixed by a permutation and a unimodular
 * shear (invertible linear maps keep the identity and keep every row nonzero). Entries are integers times
 * 2^-gridBits.
 *
 * Regimes (meta.regimes; each at least 5% of draws under the default constraints):
 *   'K=1', 'single-sample-node', 'quantity-skew', 'very-unequal-weights', 'given-weights', 'one-class-node',
 *   'sorted-labels', 'dirichlet', 'both-classes', 'pair-witness' (m = 1), 'cycle-witness' (m >= 2),
 *   'witness-across-nodes' (the witness rows lie on >= 2 nodes), 'N>d', 'N<=d'.
 */
import fc from 'fast-check';
import type { FederatedDataset } from '../problems/types.ts';
import { assembleDataset, datasetRegimes, printDataset, withPrinter } from './_internals/instance.ts';
import { labelRegimes, labelsFor, LABEL_SKEWS, type LabelSkew } from './_internals/labels.ts';
import { makeMixing, mixColumns } from './_internals/mixing.ts';
import { Pool } from './_internals/pool.ts';
import { ints } from './_internals/regression.ts';
import { dominantRows } from './_internals/rows.ts';
import { bool, checkKeys, intIn, oneOf, ordered } from './_internals/validate.ts';
import type { RowRef } from './underparameterisedRegression.ts';

export interface NonSeparableClassificationConstraints {
  readonly minNodes?: number;
  /** default 4 */
  readonly maxNodes?: number;
  /** background samples per node: 0..maxRowsPerNode (default 6); a node never ends up empty */
  readonly maxRowsPerNode?: number;
  readonly minDim?: number;
  /** default 6 */
  readonly maxDim?: number;
  /** most points in the witness minus one (m <= min(d, this)) (default 3) */
  readonly maxWitnessRank?: number;
  /** label skew of the background points (the witness labels come from their own pool) (default 'any') */
  readonly labelSkew?: LabelSkew | 'any';
  readonly quantitySkew?: boolean;
  readonly weights?: 'none' | 'given' | 'any';
  readonly gridBits?: number;
  readonly maxEntry?: number;
}

export interface NonSeparabilityWitness {
  readonly rows: readonly RowRef[];
  /** lambda_j > 0 with sum_j lambda_j y_j x_j = 0 exactly */
  readonly lambda: readonly number[];
}

export interface NonSeparableClassificationMeta {
  readonly K: number;
  readonly N: number;
  readonly d: number;
  readonly sizes: readonly number[];
  readonly labelSkew: LabelSkew;
  readonly witness: NonSeparabilityWitness;
  readonly regimes: readonly string[];
}

export interface NonSeparableClassification {
  readonly dataset: FederatedDataset;
  readonly meta: NonSeparableClassificationMeta;
}

export const NON_SEPARABLE_REGIMES = [
  'K=1', 'single-sample-node', 'quantity-skew', 'very-unequal-weights', 'given-weights', 'one-class-node',
  'sorted-labels', 'dirichlet', 'both-classes', 'pair-witness', 'cycle-witness', 'witness-across-nodes', 'N>d', 'N<=d',
] as const;

const FN = 'nonSeparableClassification';
const KEYS = [
  'minNodes', 'maxNodes', 'maxRowsPerNode', 'minDim', 'maxDim', 'maxWitnessRank', 'labelSkew', 'quantitySkew',
  'weights', 'gridBits', 'maxEntry',
];

export function nonSeparableClassification(
  constraints: NonSeparableClassificationConstraints = {},
): fc.Arbitrary<NonSeparableClassification> {
  checkKeys(FN, constraints, KEYS);
  const minNodes = intIn(FN, 'minNodes', constraints.minNodes, 1, 64, 1);
  const maxNodes = intIn(FN, 'maxNodes', constraints.maxNodes, 1, 64, Math.max(4, minNodes));
  ordered(FN, 'minNodes', minNodes, 'maxNodes', maxNodes);
  const maxRows = intIn(FN, 'maxRowsPerNode', constraints.maxRowsPerNode, 0, 64, 6);
  const minDim = intIn(FN, 'minDim', constraints.minDim, 1, 256, 1);
  const maxDim = intIn(FN, 'maxDim', constraints.maxDim, 1, 256, Math.max(6, minDim));
  ordered(FN, 'minDim', minDim, 'maxDim', maxDim);
  const maxM = intIn(FN, 'maxWitnessRank', constraints.maxWitnessRank, 1, 256, 3);
  const skewMode = oneOf(FN, 'labelSkew', constraints.labelSkew, [...LABEL_SKEWS, 'any'], 'any');
  const skew = bool(FN, 'quantitySkew', constraints.quantitySkew, true);
  const weights = oneOf(FN, 'weights', constraints.weights, ['none', 'given', 'any'], 'any');
  const gridBits = intIn(FN, 'gridBits', constraints.gridBits, 0, 8, 2);
  const maxEntry = intIn(FN, 'maxEntry', constraints.maxEntry, 0, 64, 4);

  const recipe = fc.record({
    nodes: fc.array(fc.record({ rows: fc.integer({ min: 0, max: maxRows }), weight: fc.integer({ min: 0, max: 6 }) }), {
      minLength: minNodes,
      maxLength: maxNodes,
    }),
    dim: fc.integer({ min: minDim, max: maxDim }),
    m: fc.integer({ min: 1, max: maxM }),
    lambda: ints(0, 2, 8),
    witnessLabels: ints(-1, 1, 8),
    witnessStart: fc.nat(),
    labelSkew: skewMode === 'any' ? fc.constantFrom(...LABEL_SKEWS) : fc.constant(skewMode),
    labels: ints(-1, 1, 32),
    labelSeed: fc.nat(),
    alpha: fc.integer({ min: 0, max: 3 }),
    wStar: ints(-3, 3, 16),
    entries: ints(-maxEntry, maxEntry, 96),
    pivots: ints(-3, 3, 8),
    push: ints(0, 2, 24),
    permSeed: fc.nat(),
    shear: ints(-1, 1, 16),
    weighted: weights === 'any' ? fc.boolean() : fc.constant(weights === 'given'),
  });
  return recipe.map((r) => build(r, { skew, gridBits }));
}

interface Recipe {
  nodes: { rows: number; weight: number }[];
  dim: number;
  m: number;
  lambda: number[];
  witnessLabels: number[];
  witnessStart: number;
  labelSkew: LabelSkew;
  labels: number[];
  labelSeed: number;
  alpha: number;
  wStar: number[];
  entries: number[];
  pivots: number[];
  push: number[];
  permSeed: number;
  shear: number[];
  weighted: boolean;
}

function build(r: Recipe, opt: { skew: boolean; gridBits: number }): NonSeparableClassification {
  const K = r.nodes.length;
  const d = r.dim;
  const m = Math.min(r.m, d);
  // witness: z_1..z_m dominant on pivots 0..m-1, z_{m+1} = -sum lambda_j z_j
  const ent = new Pool(r.entries);
  const piv = new Pool(r.pivots);
  const base = Float64Array.from({ length: m * d }, (_, i) => ent.at(i));
  const Zw = new Float64Array((m + 1) * d);
  Zw.set(dominantRows(base, m, d, Array.from({ length: m }, (_, j) => j), (j) => piv.at(j), (j) => Math.abs(piv.at(j))));
  const lp = new Pool(r.lambda);
  const lambda = Array.from({ length: m + 1 }, (_, j) => (j < m ? 1 + lp.at(j) : 1));
  for (let j = 0; j < m; j++) for (let c = 0; c < d; c++) Zw[m * d + c] -= lambda[j] * Zw[j * d + c];
  const wl = new Pool(r.witnessLabels);
  const yw = Array.from({ length: m + 1 }, (_, j) => (wl.at(j) < 0 ? -1 : 1));

  // node sizes: background rows plus the witness rows dealt round-robin from node witnessStart
  const wNode = Array.from({ length: m + 1 }, (_, j) => (r.witnessStart + j) % K);
  const bg = r.nodes.map((nd) => (opt.skew ? nd.rows : r.nodes[0].rows));
  const wCount = r.nodes.map((_, k) => wNode.filter((x) => x === k).length);
  for (let k = 0; k < K; k++) if (bg[k] + wCount[k] === 0) bg[k] = 1;
  const sizes = bg.map((b, k) => b + wCount[k]);
  const N = sizes.reduce((a, b) => a + b, 0);

  // background: labels by skew mode, x = v + y t w*
  const ybg = labelsFor(r.labelSkew, bg, new Pool(r.labels), r.labelSeed, r.alpha);
  const wp = new Pool(r.wStar);
  const push = new Pool(r.push);
  const Z = new Float64Array(N * d);
  const y = new Float64Array(N);
  const rows: RowRef[] = [];
  let g = 0;
  let gb = 0;
  for (let k = 0; k < K; k++) {
    for (let i = 0; i < bg[k]; i++, g++, gb++) {
      y[g] = ybg[gb];
      const t = push.at(gb);
      for (let c = 0; c < d; c++) Z[g * d + c] = ent.at(97 + gb * d + c) + y[g] * t * wp.at(c);
      // never the zero row (a zero point makes non-separability trivial): coordinate gb mod d takes u -> u + 1 for
      // u >= 0, a bijection of the integers onto the nonzero integers (shrinks to 1)
      const o = g * d + (gb % d);
      if (Z[o] >= 0) Z[o] += 1;
    }
    for (let j = 0; j <= m; j++) {
      if (wNode[j] !== k) continue;
      y[g] = yw[j];
      for (let c = 0; c < d; c++) Z[g * d + c] = yw[j] * Zw[j * d + c]; // x = y z, so y x = z
      rows[j] = { node: k, row: g - sizes.slice(0, k).reduce((a, b) => a + b, 0) };
      g++;
    }
  }
  const X = mixColumns(Z, N, makeMixing(d, r.permSeed, new Pool(r.shear)));
  const weights = r.weighted ? r.nodes.map((nd) => 2 ** nd.weight) : undefined;
  const dataset = assembleDataset('classification', d, X, y, sizes, sizes.map(() => -opt.gridBits), weights);

  const regimes = [...datasetRegimes(dataset), ...labelRegimes(r.labelSkew, dataset)];
  regimes.push(m === 1 ? 'pair-witness' : 'cycle-witness');
  if (new Set(wNode).size >= 2) regimes.push('witness-across-nodes');
  regimes.push(N > d ? 'N>d' : 'N<=d');
  const meta: NonSeparableClassificationMeta = {
    K, N, d, sizes, labelSkew: r.labelSkew, witness: { rows, lambda }, regimes,
  };
  return withPrinter({ dataset, meta }, (x) => printDataset(x.dataset, { regimes: x.meta.regimes }));
}
