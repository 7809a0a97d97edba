/**
 * separableClassification: federated binary classification data that is linearly separable THROUGH THE ORIGIN with a
 * guaranteed margin relative to the data scale (docs/theory.md#13-classification-with-local-gd, docs/theory.md#17-numerical-checks: C-track, C-direction, M-avg vs M-anchor).
 *
 * Guarantee: gamma* / max_i ||x_i|| >= minMarginRatio, where gamma* = max_{||w||=1} min_i y_i x_i^T w = 1/||wHat|| is
 * the max normalised margin. (The issue writes the floor as "gamma* . max||x||"; that quantity scales with the square
 * of the data, so the scale-free reading gamma* / max||x|| is the one enforced; meta.marginRatioBound is the floor
 * actually certified for this draw.)
 *
 * Construction (no filtering): a nonzero integer direction w*, labels from the label-skew recipe, free integer parts
 * v_i, and x_i = v_i + y_i t_i w* with t_i = t + e_i. Then y_i w*^T x_i = y_i w*^T v_i + t_i ||w*||^2, and t is the
 * first integer met by an upward search (steps growing geometrically) with every margin positive and
 * min_i (y_i w*^T x_i)^2 >= minMarginRatio^2 ||w*||^2 max_i ||x_i||^2, checked in exact integer (BigInt) arithmetic;
 * the left side grows like t^2 ||w*||^4 and the right like ratio^2 t^2 ||w*||^4 with ratio <= 1/2, so it ends. Since
 * w* / ||w*|| is a unit vector, gamma* >= min_i y_i x_i^T w* / ||w*|| >= minMarginRatio max_i ||x_i||. Entries are
 * integers times 2^-gridBits.
 *
 * Label skew: 'iid' (labels from a pool, shrink target), 'dirichlet' (node k's positive share ~ Beta(alpha, alpha),
 * alpha in {0.1, 0.3, 1, 3}, the two-class Dirichlet), 'sorted' (labels sorted then split: nodes are label-sorted),
 * 'one-class' (every node has one label, alternating over nodes).
 *
 * Both classes (bothClasses, default true): a one-class NODE is intended (label skew) but the pooled data always has
 * both labels. 'one-class' then needs K >= 2 (maxNodes < 2 throws; with labelSkew 'any' a one-node 'one-class' draw
 * is built and reported as 'iid', and with maxNodes = 1 'one-class' is not drawn); a one-node data set has
 * n in [2, maxRowsPerNode]; and when the iid/sorted pool or the Dirichlet draw gives every row the same label, one end
 * row is flipped (the last to -1 if all are +1, else the first to +1), which keeps sorted and positives-first order.
 * bothClasses false restores single-class data sets.
 *
 * Regimes (meta.regimes; each at least 5% of draws under the default constraints):
 *   'K=1', 'single-sample-node', 'quantity-skew', 'very-unequal-weights', 'given-weights',
 *   'one-class-node' (a node with >= 2 samples, all of one label, while the data has both labels),
 *   'sorted-labels', 'dirichlet', 'N>d', 'N<=d', 'both-classes'.
 */
import fc from 'fast-check';
import type { Vec } from '../numeric/types.ts';
import type { FederatedDataset } from '../problems/types.ts';
import { maxMarginReference, type MaxMarginReference } from './_internals/certify.ts';
import { labelRegimes, labelsFor, LABEL_SKEWS, type LabelSkew } from './_internals/labels.ts';
import { assembleDataset, datasetRegimes, memo, printDataset, withPrinter } from './_internals/instance.ts';
import { Pool } from './_internals/pool.ts';
import { ints } from './_internals/regression.ts';
import { bool, checkKeys, intIn, numIn, oneOf, ordered } from './_internals/validate.ts';

export interface SeparableClassificationConstraints {
  readonly minNodes?: number;
  /** default 4 */
  readonly maxNodes?: number;
  /** n_k in 1..maxRowsPerNode (default 8) */
  readonly maxRowsPerNode?: number;
  /** default 1 */
  readonly minDim?: number;
  /** default 6 */
  readonly maxDim?: number;
  /** floor on gamma* / max||x|| (default 1/16; rounded up to a multiple of 2^-10; at most 1/2) */
  readonly minMarginRatio?: number;
  /** 'iid', 'dirichlet', 'sorted', 'one-class' (needs maxNodes >= 2 while bothClasses), or 'any' (default) */
  readonly labelSkew?: LabelSkew | 'any';
  /** the pooled labels contain both classes (default true; a single NODE may still be one-class); false allows
   *  single-class data sets (e.g. 'one-class' with K = 1, or an all-+1 label pool) */
  readonly bothClasses?: boolean;
  readonly quantitySkew?: boolean;
  readonly weights?: 'none' | 'given' | 'any';
  readonly gridBits?: number;
  readonly maxEntry?: number;
}

export interface SeparableClassificationMeta {
  readonly K: number;
  readonly N: number;
  readonly d: number;
  readonly sizes: readonly number[];
  readonly labelSkew: LabelSkew;
  /** the planted separating direction (integers): y_i x_i^T wStar > 0 for every i */
  readonly wStar: Vec;
  /** min_i y_i x_i^T wStar / (||wStar|| max_i ||x_i||): a certified lower bound on gamma* / max||x|| */
  readonly marginRatioBound: number;
  /** max_i ||x_i|| */
  readonly radius: number;
  readonly regimes: readonly string[];
}

export interface SeparableClassification {
  readonly dataset: FederatedDataset;
  readonly meta: SeparableClassificationMeta;
  /** certified hard-margin SVM wHat and gamma* = 1/||wHat|| (Decimal solver; computed once, cached) */
  reference(): MaxMarginReference;
}

export const SEPARABLE_REGIMES = [
  'K=1', 'single-sample-node', 'quantity-skew', 'very-unequal-weights', 'given-weights', 'one-class-node',
  'sorted-labels', 'dirichlet', 'N>d', 'N<=d', 'both-classes',
] as const;

const FN = 'separableClassification';
const KEYS = [
  'minNodes', 'maxNodes', 'maxRowsPerNode', 'minDim', 'maxDim', 'minMarginRatio', 'labelSkew', 'bothClasses', 'quantitySkew',
  'weights', 'gridBits', 'maxEntry',
];
const RATIO_BITS = 10;

export function separableClassification(
  constraints: SeparableClassificationConstraints = {},
): fc.Arbitrary<SeparableClassification> {
  checkKeys(FN, constraints, KEYS);
  const minNodes = intIn(FN, 'minNodes', constraints.minNodes, 1, 64, 1);
  const maxNodes = intIn(FN, 'maxNodes', constraints.maxNodes, 1, 64, Math.max(4, minNodes));
  ordered(FN, 'minNodes', minNodes, 'maxNodes', maxNodes);
  const maxRows = intIn(FN, 'maxRowsPerNode', constraints.maxRowsPerNode, 1, 64, 8);
  const minDim = intIn(FN, 'minDim', constraints.minDim, 1, 256, 1);
  const maxDim = intIn(FN, 'maxDim', constraints.maxDim, 1, 256, Math.max(6, minDim));
  ordered(FN, 'minDim', minDim, 'maxDim', maxDim);
  const ratio = numIn(FN, 'minMarginRatio', constraints.minMarginRatio, 0, 0.5, 1 / 16);
  if (!(ratio > 0)) throw new Error(`${FN}: constraints.minMarginRatio must be > 0, got ${ratio}`);
  const ratioUnits = Math.ceil(ratio * 2 ** RATIO_BITS); // the floor, in units of 2^-10 (exact integer arithmetic)
  const skewMode = oneOf(FN, 'labelSkew', constraints.labelSkew, [...LABEL_SKEWS, 'any'], 'any');
  const both = bool(FN, 'bothClasses', constraints.bothClasses, true);
  if (both && skewMode === 'one-class' && maxNodes < 2) {
    throw new Error(`${FN}: labelSkew 'one-class' with bothClasses needs constraints.maxNodes >= 2 (one one-class node is a one-class data set), got ${maxNodes}`);
  }
  if (both && maxNodes < 2 && maxRows < 2) {
    throw new Error(`${FN}: bothClasses needs two samples: constraints.maxNodes (${maxNodes}) and constraints.maxRowsPerNode (${maxRows}) allow only one`);
  }
  const skew = bool(FN, 'quantitySkew', constraints.quantitySkew, true);
  const weights = oneOf(FN, 'weights', constraints.weights, ['none', 'given', 'any'], 'any');
  const gridBits = intIn(FN, 'gridBits', constraints.gridBits, 0, 8, 2);
  const maxEntry = intIn(FN, 'maxEntry', constraints.maxEntry, 0, 64, 4);

  // bothClasses: 'one-class' needs two nodes, and so does maxRowsPerNode = 1 (N >= 2); with 'any' and one node at
  // most, 'one-class' is not drawn (with 'any' and K = 1 drawn, build turns it into 'iid')
  const node = fc.record({ rows: fc.integer({ min: 0, max: maxRows - 1 }), weight: fc.integer({ min: 0, max: 6 }) });
  const nodesLo = both && (skewMode === 'one-class' || maxRows < 2) ? Math.max(2, minNodes) : minNodes;
  const modes = both && maxNodes < 2 ? LABEL_SKEWS.filter((m) => m !== 'one-class') : LABEL_SKEWS;
  const recipe = fc.record({
    nodes: fc.array(node, { minLength: nodesLo, maxLength: maxNodes }),
    dim: fc.integer({ min: minDim, max: maxDim }),
    labelSkew: skewMode === 'any' ? fc.constantFrom(...modes) : fc.constant(skewMode),
    labels: ints(-1, 1, 32),
    labelSeed: fc.nat(),
    alpha: fc.integer({ min: 0, max: 3 }),
    wStar: ints(-3, 3, 16),
    entries: ints(-maxEntry, maxEntry, 96),
    push: ints(0, 3, 24),
    weighted: weights === 'any' ? fc.boolean() : fc.constant(weights === 'given'),
  });
  return recipe.map((r) => build(r, { skew, gridBits, ratioUnits, both, maxRows }));
}

interface Recipe {
  nodes: { rows: number; weight: number }[];
  dim: number;
  labelSkew: LabelSkew;
  labels: number[];
  labelSeed: number;
  alpha: number;
  wStar: number[];
  entries: number[];
  push: number[];
  weighted: boolean;
}

interface Options {
  skew: boolean;
  gridBits: number;
  ratioUnits: number;
  both: boolean;
  maxRows: number;
}

function build(recipe: Recipe, opt: Options): SeparableClassification {
  // bothClasses: 'one-class' drawn with one node (labelSkew 'any') is reported and built as 'iid' (a single node
  // cannot be one-class while the data has both labels); this keeps N, so shrinking still reaches 'iid'
  const r: Recipe = opt.both && recipe.labelSkew === 'one-class' && recipe.nodes.length === 1 ? { ...recipe, labelSkew: 'iid' } : recipe;
  const K = r.nodes.length;
  const d = r.dim;
  const sizes = r.nodes.map((nd) => 1 + (opt.skew ? nd.rows : r.nodes[0].rows));
  // bothClasses with one node: n in [2, maxRowsPerNode] (validated possible)
  if (opt.both && K === 1) sizes[0] = Math.min(sizes[0] + 1, opt.maxRows);
  const N = sizes.reduce((a, b) => a + b, 0);
  const y = labelsFor(r.labelSkew, sizes, new Pool(r.labels), r.labelSeed, r.alpha);
  if (opt.both) ensureBothClasses(y);

  const wp = new Pool(r.wStar);
  const w = Float64Array.from({ length: d }, (_, c) => wp.at(c));
  if (w.every((x) => x === 0)) w[0] = 1;
  const ww = w.reduce((a, x) => a + x * x, 0);
  const ent = new Pool(r.entries);
  const push = new Pool(r.push);
  const V = Float64Array.from({ length: N * d }, (_, i) => ent.at(i));
  const X = new Float64Array(N * d);
  pushUntilMargin(V, y, w, N, d, push, opt.ratioUnits, X);

  const unit = 2 ** -opt.gridBits;
  const weights = r.weighted ? r.nodes.map((nd) => 2 ** nd.weight) : undefined;
  const dataset = assembleDataset('classification', d, X, y, sizes, sizes.map(() => -opt.gridBits), weights);
  const { minMargin, maxNorm2 } = marginStats(X, y, w, N, d);
  const meta: SeparableClassificationMeta = {
    K, N, d, sizes, labelSkew: r.labelSkew, wStar: w,
    marginRatioBound: minMargin / Math.sqrt(ww * maxNorm2),
    radius: Math.sqrt(maxNorm2) * unit,
    regimes: [...datasetRegimes(dataset), ...labelRegimes(r.labelSkew, dataset), N > d ? 'N>d' : 'N<=d'],
  };
  const reference = memo(() => maxMarginReference(dataset));
  return withPrinter({ dataset, meta, reference }, (x) => printDataset(x.dataset, { regimes: x.meta.regimes }));
}

/**
 * All labels equal: flip one at the end of the order (the last row to -1 when all are +1, the first row to +1 when
 * all are -1). This keeps 'sorted' sorted (+1 first) and Dirichlet nodes positives-first; 'one-class' with K >= 2
 * already has both labels (node 0 is +1, node 1 is -1). Needs N >= 2.
 */
function ensureBothClasses(y: Float64Array): void {
  if (y.every((t) => t === 1)) y[y.length - 1] = -1;
  else if (y.every((t) => t === -1)) y[0] = 1;
}

function marginStats(X: Float64Array, y: Float64Array, w: Float64Array, N: number, d: number) {
  let minMargin = Infinity;
  let maxNorm2 = 0;
  for (let g = 0; g < N; g++) {
    let m = 0;
    let n2 = 0;
    for (let c = 0; c < d; c++) {
      m += X[g * d + c] * w[c];
      n2 += X[g * d + c] * X[g * d + c];
    }
    minMargin = Math.min(minMargin, y[g] * m);
    maxNorm2 = Math.max(maxNorm2, n2);
  }
  return { minMargin, maxNorm2 };
}

/**
 * Fill X = V + y_i (t + e_i) w row by row for the first integer t >= t0 that meets the margin floor, and return t.
 * Margins and squared norms are integers below 2^53 (checked); the comparison is in BigInt; the floor is ratioUnits / 2^10.
 */
function pushUntilMargin(
  V: Float64Array, y: Float64Array, w: Float64Array, N: number, d: number, push: Pool, ratioUnits: number, X: Float64Array,
): number {
  const ww = w.reduce((a, x) => a + x * x, 0);
  let t0 = 0; // smallest t making every margin positive: y_i w^T v_i + t ww >= 1
  for (let g = 0; g < N; g++) {
    let m = 0;
    for (let c = 0; c < d; c++) m += V[g * d + c] * w[c];
    t0 = Math.max(t0, Math.ceil((1 - y[g] * m) / ww));
  }
  for (let t = t0, step = 1; ; t += step, step = Math.min(2 * step, 1 + Math.floor(t / 4))) {
    for (let g = 0; g < N; g++) {
      const tg = t + push.at(g);
      for (let c = 0; c < d; c++) X[g * d + c] = V[g * d + c] + y[g] * tg * w[c];
    }
    const { minMargin, maxNorm2 } = marginStats(X, y, w, N, d);
    if (!(Math.abs(minMargin) < 2 ** 53 && maxNorm2 < 2 ** 53)) {
      throw new Error(`${FN}: margin search left the exact integer range of f64 (t = ${t}, ||w*||^2 = ${ww})`);
    }
    const m = BigInt(minMargin);
    const lhs = m * m * (1n << BigInt(2 * RATIO_BITS));
    const rhs = BigInt(ratioUnits) ** 2n * BigInt(ww) * BigInt(maxNorm2);
    if (minMargin > 0 && lhs >= rhs) return t;
  }
}
