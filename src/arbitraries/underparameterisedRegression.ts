/**
 * underparameterisedRegression: federated least-squares instances that do NOT interpolate, for the client-drift
 * counterexamples of docs/theory.md#12-regression (the Local-GD fixed point leaves w_LS once L >= 2) and the Cimmino limit
 * (L = inf with every local system consistent, n_k <= d).
 *
 * Every value has N > d and a pooled X of full column rank d (so w_LS is unique and the pooled problem is strongly
 * convex). With system 'inconsistent' the pooled system X w = y is certified to have no solution: a planted row pair
 * x_b = f x_a (exact power-of-two factor f) with y_b != f y_a (meta.witness). With localRowsAtMostD, every node has
 * n_k <= d rows of full row rank, so every local system is consistent and the Cimmino-weighted LS point exists.
 *
 * Construction (no filtering): pooled rows get pivots 0, 1, ..., d-1, 0, 1, ... in order (the planted duplicate
 * repeats its original's pivot), every row strictly dominant on its pivot (_internals/rows.ts). A single node has
 * n in [2, maxRowsPerNode] rows (so N >= 2); every n_k <= maxRowsPerNode. The first d advancing
 * rows cover every column (full column rank); a node's rows have consecutive pivots, distinct when n_k <= d (full
 * row rank). The duplicate sits in the next node (or, with K = 1, right after its original). Rows are scaled per node
 * by 2^(scale_k), columns mixed by a permutation and a unimodular shear; entries are integers times
 * 2^(scale_k - gridBits).
 *
 * Shrinking: fewer nodes and rows, d -> its smallest allowed value, offsets and scales -> 0, pools -> zeros, no
 * mixing, no weights; every shrunk recipe is again a valid instance (the planted pair is structural).
 *
 * Regimes (meta.regimes; each at least 5% of draws under the default constraints):
 *   'K=1', 'single-sample-node', 'quantity-skew', 'very-unequal-weights', 'given-weights', 'covariate-shift',
 *   'cond>=100' (cond(X^T X) >= 100), 'inconsistent' (certified), 'n_k<=d' (every node n_k <= d with full row rank),
 *   'n_k>d' (some node has more rows than d: its own system is overdetermined), 'd=1'.
 */
import fc from 'fast-check';
import type { Vec } from '../numeric/types.ts';
import type { FederatedDataset } from '../problems/types.ts';
import { assembleDataset, datasetRegimes, printDataset, withPrinter } from './_internals/instance.ts';
import { makeMixing, mixColumns } from './_internals/mixing.ts';
import { Pool } from './_internals/pool.ts';
import {
  baseEntries, gramCondition, hasCovariateShift, ints, nodeRecipe, pooledX, rowNodes, type NodeRecipe,
} from './_internals/regression.ts';
import { dominantRows } from './_internals/rows.ts';
import { bool, checkKeys, intIn, oneOf, ordered } from './_internals/validate.ts';

export interface UnderparameterisedRegressionConstraints {
  /** fewest nodes (default 1; at least 2 with localRowsAtMostD) */
  readonly minNodes?: number;
  /** most nodes (default 4) */
  readonly maxNodes?: number;
  /** most samples on one node (default 6; always honoured; at least 2 when maxNodes = 1, and with maxRowsPerNode = 1
   *  every value has K >= 2 nodes) */
  readonly maxRowsPerNode?: number;
  /** largest d (default 6); d is also at most N - 1 */
  readonly maxDim?: number;
  /** every node has n_k <= d rows of full row rank (docs/theory.md#12-regression, Cimmino limit) (default false) */
  readonly localRowsAtMostD?: boolean;
  /** 'tall' (N > d, rank d), 'inconsistent' (tall and certified inconsistent), or 'any' (default) */
  readonly system?: 'tall' | 'inconsistent' | 'any';
  readonly covariateShift?: boolean;
  readonly quantitySkew?: boolean;
  readonly weights?: 'none' | 'given' | 'any';
  readonly gridBits?: number;
  readonly maxEntry?: number;
  /** node scales 2^s with |s| <= maxScaleExp (default 2); a positive value needs covariateShift */
  readonly maxScaleExp?: number;
}

/** Row `row` of node `node`. */
export interface RowRef {
  readonly node: number;
  readonly row: number;
}

export interface InconsistencyWitness {
  readonly a: RowRef;
  readonly b: RowRef;
  /** x_b = factor * x_a exactly, while y_b - factor * y_a = gap != 0 */
  readonly factor: number;
  readonly gap: number;
}

export interface UnderparameterisedRegressionMeta {
  readonly K: number;
  readonly N: number;
  readonly d: number;
  readonly sizes: readonly number[];
  readonly system: 'tall' | 'inconsistent';
  readonly witness?: InconsistencyWitness;
  /** every node's X_k has full row rank n_k <= d (guaranteed by construction when true) */
  readonly localFullRowRank: boolean;
  /** cond(X^T X) of the pooled X, f64 */
  readonly condition: number;
  readonly regimes: readonly string[];
}

export interface UnderparameterisedRegression {
  readonly dataset: FederatedDataset;
  /** a small dyadic initial point (shrinks to 0) */
  readonly w0: Vec;
  readonly meta: UnderparameterisedRegressionMeta;
}

export const UNDERPARAMETERISED_REGIMES = [
  'K=1', 'single-sample-node', 'quantity-skew', 'very-unequal-weights', 'given-weights', 'covariate-shift',
  'cond>=100', 'inconsistent', 'n_k<=d', 'n_k>d', 'd=1',
] as const;

const FN = 'underparameterisedRegression';
const KEYS = [
  'minNodes', 'maxNodes', 'maxRowsPerNode', 'maxDim', 'localRowsAtMostD', 'system', 'covariateShift', 'quantitySkew',
  'weights', 'gridBits', 'maxEntry', 'maxScaleExp',
];

export function underparameterisedRegression(
  constraints: UnderparameterisedRegressionConstraints = {},
): fc.Arbitrary<UnderparameterisedRegression> {
  checkKeys(FN, constraints, KEYS);
  const local = bool(FN, 'localRowsAtMostD', constraints.localRowsAtMostD, false);
  const minNodes = intIn(FN, 'minNodes', constraints.minNodes, 1, 64, local ? 2 : 1);
  const maxNodes = intIn(FN, 'maxNodes', constraints.maxNodes, 1, 64, Math.max(4, minNodes));
  ordered(FN, 'minNodes', minNodes, 'maxNodes', maxNodes);
  const maxRows = intIn(FN, 'maxRowsPerNode', constraints.maxRowsPerNode, 1, 64, 6);
  const maxDim = intIn(FN, 'maxDim', constraints.maxDim, 1, 256, 6);
  if (maxNodes < 2 && maxRows < 2) {
    throw new Error(`${FN}: one node needs constraints.maxRowsPerNode >= 2 (N > d >= 1 needs N >= 2 rows), got maxNodes ${maxNodes} and maxRowsPerNode ${maxRows}`);
  }
  if (local && minNodes < 2) {
    throw new Error(`${FN}: localRowsAtMostD needs constraints.minNodes >= 2 (n_k <= d < N is impossible with one node), got ${minNodes}`);
  }
  if (local && maxRows > maxDim) {
    throw new Error(`${FN}: localRowsAtMostD needs constraints.maxRowsPerNode (${maxRows}) <= constraints.maxDim (${maxDim})`);
  }
  const system = oneOf(FN, 'system', constraints.system, ['tall', 'inconsistent', 'any'], 'any');
  const shift = bool(FN, 'covariateShift', constraints.covariateShift, true);
  const skew = bool(FN, 'quantitySkew', constraints.quantitySkew, true);
  const weights = oneOf(FN, 'weights', constraints.weights, ['none', 'given', 'any'], 'any');
  const gridBits = intIn(FN, 'gridBits', constraints.gridBits, 0, 8, 2);
  const maxEntry = intIn(FN, 'maxEntry', constraints.maxEntry, 0, 64, 4);
  const maxScaleExp = intIn(FN, 'maxScaleExp', constraints.maxScaleExp, 0, 8, 2);
  if (!shift && maxScaleExp > 0 && constraints.maxScaleExp !== undefined) {
    throw new Error(`${FN}: constraints.maxScaleExp (${maxScaleExp}) needs covariateShift (node scales are covariate shift), got covariateShift false`);
  }

  // one node must hold N >= 2 rows, so with maxRowsPerNode = 1 there are at least two nodes
  const nodesLo = maxRows < 2 ? Math.max(2, minNodes) : minNodes;
  const recipe = fc.record({
    nodes: fc.array(nodeRecipe(maxRows, shift, maxScaleExp), { minLength: nodesLo, maxLength: maxNodes }),
    dim: fc.integer({ min: 0, max: maxDim }),
    inconsistent: system === 'any' ? fc.boolean() : fc.constant(system === 'inconsistent'),
    dupExp: fc.integer({ min: 0, max: 1 }),
    gap: fc.integer({ min: -4, max: 3 }),
    entries: ints(-maxEntry, maxEntry, 96),
    offsets: ints(-2, 2, 32),
    pivots: ints(-3, 3, 24),
    targets: ints(-16, 16, 48),
    w0: ints(-4, 4, 16),
    permSeed: fc.nat(),
    shear: ints(-1, 1, 16),
    weighted: weights === 'any' ? fc.boolean() : fc.constant(weights === 'given'),
  });
  return recipe.map((r) => build(r, { skew, gridBits, maxDim, maxRows, local }));
}

interface Recipe {
  nodes: NodeRecipe[];
  dim: number;
  inconsistent: boolean;
  dupExp: number;
  gap: number;
  entries: number[];
  offsets: number[];
  pivots: number[];
  targets: number[];
  w0: number[];
  permSeed: number;
  shear: number[];
  weighted: boolean;
}

interface Options {
  skew: boolean;
  gridBits: number;
  maxDim: number;
  maxRows: number;
  local: boolean;
}

function build(r: Recipe, opt: Options): UnderparameterisedRegression {
  const K = r.nodes.length;
  const sizes = r.nodes.map((nd) => 1 + (opt.skew ? nd.rows : r.nodes[0].rows));
  // K = 1: n in [2, maxRowsPerNode] (N >= 2, so that some d < N exists; maxRowsPerNode >= 2 is validated)
  if (K === 1) sizes[0] = Math.min(sizes[0] + 1, opt.maxRows);
  const N = sizes.reduce((a, b) => a + b, 0);
  const maxSize = Math.max(...sizes);
  // d in [dLo, dHi]: dHi = N - 1 leaves one row beyond d; with the local option every n_k <= d (validated feasible)
  const dLo = opt.local ? maxSize : 1;
  const dHi = Math.min(N - 1, opt.maxDim);
  const d = Math.min(dLo + r.dim, dHi);

  // planted duplicate: the first row of node 1 repeats the last row of node 0 (with K = 1 the node's last row repeats
  // the one before it); it takes its original's pivot and does not advance the pivot counter
  const dup = r.inconsistent ? (K >= 2 ? { a: sizes[0] - 1, b: sizes[0] } : { a: sizes[0] - 2, b: sizes[0] - 1 }) : null;
  const pivots: number[] = [];
  for (let g = 0, adv = 0; g < N; g++) pivots.push(dup !== null && g === dup.b ? pivots[dup.a] : adv++ % d);

  const piv = new Pool(r.pivots);
  const nodeOf = rowNodes(sizes);
  const base = baseEntries(N, d, nodeOf, r.nodes, new Pool(r.entries), new Pool(r.offsets));
  const Z = dominantRows(base, N, d, pivots, (g) => piv.at(g), (g) => Math.abs(piv.at(g)));
  const exps = r.nodes.map((nd) => nd.scale - opt.gridBits);
  // x_b = 2^f x_a before the node scales, so x_b = factor x_a after them with factor = 2^(f + e_b - e_a) >= 1
  // (f >= 0 keeps Z integer; factor >= 1 keeps factor * y_a on the target grid)
  const f = dup === null ? 0 : Math.max(r.dupExp, exps[nodeOf[dup.a]] - exps[nodeOf[dup.b]]);
  if (dup !== null) for (let c = 0; c < d; c++) Z[dup.b * d + c] = 2 ** f * Z[dup.a * d + c];

  const Xint = mixColumns(Z, N, makeMixing(d, r.permSeed, new Pool(r.shear)));
  const unit = 2 ** -opt.gridBits;
  const tg = new Pool(r.targets);
  const y = Float64Array.from({ length: N }, (_, g) => tg.at(g) * unit);
  let witness: InconsistencyWitness | undefined;
  if (dup !== null) {
    const ka = nodeOf[dup.a];
    const kb = nodeOf[dup.b];
    const factor = 2 ** (f + exps[kb] - exps[ka]);
    const gap = (r.gap >= 0 ? r.gap + 1 : r.gap) * unit; // never 0
    y[dup.b] = factor * y[dup.a] + gap;
    const start = (k: number) => sizes.slice(0, k).reduce((a, b) => a + b, 0);
    witness = {
      a: { node: ka, row: dup.a - start(ka) },
      b: { node: kb, row: dup.b - start(kb) },
      factor,
      gap,
    };
  }
  const weights = r.weighted ? r.nodes.map((nd) => 2 ** nd.weight) : undefined;
  const dataset = assembleDataset('regression', d, Xint, y, sizes, exps, weights);
  const w0p = new Pool(r.w0);
  const w0 = Float64Array.from({ length: d }, (_, c) => w0p.at(c) * unit);

  // local full row rank: every node has distinct (consecutive) pivots, i.e. n_k <= d and no duplicate inside a node
  const localFullRowRank = sizes.every((n) => n <= d) && (dup === null || nodeOf[dup.a] !== nodeOf[dup.b]);
  const condition = gramCondition(pooledX(dataset));
  const regimes = datasetRegimes(dataset);
  if (hasCovariateShift(r.nodes)) regimes.push('covariate-shift');
  if (condition >= 100) regimes.push('cond>=100');
  if (dup !== null) regimes.push('inconsistent');
  if (localFullRowRank) regimes.push('n_k<=d');
  if (sizes.some((n) => n > d)) regimes.push('n_k>d');
  if (d === 1) regimes.push('d=1');

  const meta: UnderparameterisedRegressionMeta = {
    K, N, d, sizes, system: dup !== null ? 'inconsistent' : 'tall', witness, localFullRowRank, condition, regimes,
  };
  return withPrinter({ dataset, w0, meta }, (x) => printDataset(x.dataset, { w0: x.w0, regimes: x.meta.regimes }));
}
