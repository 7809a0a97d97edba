/**
 * overparameterisedRegression: federated least-squares instances with d > N and X of full row rank, so that the
 * pooled system X w = y is consistent for every target and the min-norm interpolator exists (docs/theory.md#12-regression, R-exact;
 * docs/theory.md#17-numerical-checks generation notes). Heterogeneity: K nodes with quantity skew (n_k from 1, very unequal allowed), covariate
 * shift (per-node mean offset and power-of-two scale), arbitrary targets, optional given weights, and an initial
 * point w0 that is 0, inside the row space, or outside it.
 *
 * Construction (no filtering): integer rows with distinct pivot columns 0..N-1, each strictly dominant on the pivot
 * block (_internals/rows.ts, so the N x N pivot block is nonsingular), node offsets added before the pivots are set, the
 * free column N set to an integer combination of the pivot columns (which puts the explicit integer vector
 * v = e_N - sum_j c_j e_j in the null space), rows scaled by 2^(scale_k), columns mixed by a permutation and a
 * unimodular shear (_internals/mixing.ts). Every step keeps full row rank; the null vector is carried through the
 * mixing exactly. Entries are integers times 2^(scale_k - gridBits).
 *
 * Shrinking: fewer nodes, fewer rows (n_k -> 1), d -> N + minExtraDim, offsets and scales -> 0 (homogeneous nodes),
 * pools -> zeros, no mixing, w0 -> 0, no weights. Every shrunk recipe maps to a valid instance.
 *
 * Regimes (meta.regimes; coverage: each at least 5% of draws under the default constraints):
 *   'K=1', 'single-sample-node', 'quantity-skew', 'very-unequal-weights', 'given-weights' (_internals/instance.ts),
 *   'covariate-shift' (K >= 2 and node offsets or scales differ), 'cond>=100' (cond(X X^T) >= 100),
 *   'd=N+1', 'w0-zero', 'w0-in-row-space' (nonzero w0 in row(X)), 'w0-outside-row-space'.
 */
import fc from 'fast-check';
import type { Vec } from '../numeric/types.ts';
import type { FederatedDataset } from '../problems/types.ts';
import { assembleDataset, datasetRegimes, memo, printDataset, withPrinter } from './_internals/instance.ts';
import { makeMixing, mixColumns, mixNullVector } from './_internals/mixing.ts';
import { Pool } from './_internals/pool.ts';
import { dominantRows } from './_internals/rows.ts';
import {
  baseEntries, gramCondition, hasCovariateShift, ints, nodeRecipe, pooledX, rowNodes, type NodeRecipe,
} from './_internals/regression.ts';
import { bool, checkKeys, intIn, oneOf, ordered } from './_internals/validate.ts';
import { minNormReference, type MinNormReference } from './_internals/certify.ts';

export type W0Placement = 'zero' | 'inside' | 'outside';

export interface OverparameterisedRegressionConstraints {
  /** fewest nodes K (default 1) */
  readonly minNodes?: number;
  /** most nodes K (default 4) */
  readonly maxNodes?: number;
  /** most samples on one node; n_k ranges over 1..maxRowsPerNode (default 8, so max/min n_k can reach 8) */
  readonly maxRowsPerNode?: number;
  /** d - N is at least this (default 1, the minimal overparameterisation d = N + 1) */
  readonly minExtraDim?: number;
  /** d - N is at most this (default 4) */
  readonly maxExtraDim?: number;
  /** where w0 lies: 'zero', 'inside' row(X) (w0 = X^T a), 'outside' it (nonzero null-space part), or 'any' (default) */
  readonly w0?: W0Placement | 'any';
  /** per-node mean offsets and power-of-two scales (default true) */
  readonly covariateShift?: boolean;
  /** unequal n_k (default true); false gives n_k equal on every node */
  readonly quantitySkew?: boolean;
  /** node weights: 'none', 'given' (powers of two 1..64), or 'any' (default) */
  readonly weights?: 'none' | 'given' | 'any';
  /** entries are integers times 2^-gridBits (times the node scale) (default 2) */
  readonly gridBits?: number;
  /** largest |entry| of the free part of a row, in grid units (default 4) */
  readonly maxEntry?: number;
  /** node scales are 2^s with |s| <= maxScaleExp (default 2; 0 keeps every node at scale 1); a positive value
   *  needs covariateShift (with covariateShift false it throws instead of being ignored) */
  readonly maxScaleExp?: number;
}

export interface OverparameterisedRegressionMeta {
  readonly K: number;
  readonly N: number;
  readonly d: number;
  readonly sizes: readonly number[];
  readonly w0Placement: W0Placement;
  /** a nonzero integer vector with X u = 0 exactly (pooled X), i.e. a certificate that d > rank */
  readonly nullVector: Vec;
  /** cond(X X^T) = (s_max/s_min)^2 of the pooled X, in f64 (for regimes and tolerances) */
  readonly condition: number;
  readonly regimes: readonly string[];
}

export interface OverparameterisedRegression {
  readonly dataset: FederatedDataset;
  /** initial point of the algorithms (zeros for 'zero') */
  readonly w0: Vec;
  readonly meta: OverparameterisedRegressionMeta;
  /** certified min-norm interpolator and the centralized limit from w0 (Decimal solver; computed once, cached) */
  reference(): MinNormReference;
}

export const OVERPARAMETERISED_REGIMES = [
  'K=1', 'single-sample-node', 'quantity-skew', 'very-unequal-weights', 'given-weights', 'covariate-shift',
  'cond>=100', 'd=N+1', 'w0-zero', 'w0-in-row-space', 'w0-outside-row-space',
] as const;

const FN = 'overparameterisedRegression';
const KEYS = [
  'minNodes', 'maxNodes', 'maxRowsPerNode', 'minExtraDim', 'maxExtraDim', 'w0', 'covariateShift', 'quantitySkew',
  'weights', 'gridBits', 'maxEntry', 'maxScaleExp',
];
const PLACEMENTS: readonly W0Placement[] = ['zero', 'inside', 'outside'];

export function overparameterisedRegression(
  constraints: OverparameterisedRegressionConstraints = {},
): fc.Arbitrary<OverparameterisedRegression> {
  checkKeys(FN, constraints, KEYS);
  const minNodes = intIn(FN, 'minNodes', constraints.minNodes, 1, 64, 1);
  const maxNodes = intIn(FN, 'maxNodes', constraints.maxNodes, 1, 64, Math.max(4, minNodes));
  ordered(FN, 'minNodes', minNodes, 'maxNodes', maxNodes);
  const maxRows = intIn(FN, 'maxRowsPerNode', constraints.maxRowsPerNode, 1, 64, 8);
  const minExtra = intIn(FN, 'minExtraDim', constraints.minExtraDim, 1, 256, 1);
  const maxExtra = intIn(FN, 'maxExtraDim', constraints.maxExtraDim, 1, 256, Math.max(4, minExtra));
  ordered(FN, 'minExtraDim', minExtra, 'maxExtraDim', maxExtra);
  const w0Mode = oneOf(FN, 'w0', constraints.w0, [...PLACEMENTS, 'any'], 'any');
  const shift = bool(FN, 'covariateShift', constraints.covariateShift, true);
  const skew = bool(FN, 'quantitySkew', constraints.quantitySkew, true);
  const weights = oneOf(FN, 'weights', constraints.weights, ['none', 'given', 'any'], 'any');
  const gridBits = intIn(FN, 'gridBits', constraints.gridBits, 0, 8, 2);
  const maxEntry = intIn(FN, 'maxEntry', constraints.maxEntry, 0, 64, 4);
  const maxScaleExp = intIn(FN, 'maxScaleExp', constraints.maxScaleExp, 0, 8, 2);
  if (!shift && maxScaleExp > 0 && constraints.maxScaleExp !== undefined) {
    throw new Error(`${FN}: constraints.maxScaleExp (${maxScaleExp}) needs covariateShift (node scales are covariate shift), got covariateShift false`);
  }

  const recipe = fc.record({
    nodes: fc.array(nodeRecipe(maxRows, shift, maxScaleExp), { minLength: minNodes, maxLength: maxNodes }),
    extraDim: fc.integer({ min: minExtra, max: maxExtra }),
    entries: ints(-maxEntry, maxEntry, 96),
    offsets: ints(-2, 2, 32),
    pivots: ints(-3, 3, 24),
    nullCoef: ints(-1, 1, 16),
    targets: ints(-16, 16, 48),
    placement: w0Mode === 'any' ? fc.constantFrom(...PLACEMENTS) : fc.constant(w0Mode),
    w0Coef: ints(-2, 2, 16),
    w0Null: fc.integer({ min: 1, max: 3 }),
    permSeed: fc.nat(),
    shear: ints(-1, 1, 16),
    weighted: weights === 'any' ? fc.boolean() : fc.constant(weights === 'given'),
  });
  return recipe.map((r) => build(r, { skew, gridBits }));
}

interface Recipe {
  nodes: NodeRecipe[];
  extraDim: number;
  entries: number[];
  offsets: number[];
  pivots: number[];
  nullCoef: number[];
  targets: number[];
  placement: W0Placement;
  w0Coef: number[];
  w0Null: number;
  permSeed: number;
  shear: number[];
  weighted: boolean;
}

function build(r: Recipe, opt: { skew: boolean; gridBits: number }): OverparameterisedRegression {
  const K = r.nodes.length;
  const sizes = r.nodes.map((nd) => 1 + (opt.skew ? nd.rows : r.nodes[0].rows));
  const N = sizes.reduce((a, b) => a + b, 0);
  const d = N + r.extraDim;
  const piv = new Pool(r.pivots);
  // free entries plus each node's mean offset (offset amplitude 0 means no shift for that node)
  const base = baseEntries(N, d, rowNodes(sizes), r.nodes, new Pool(r.entries), new Pool(r.offsets));
  const pivots = Array.from({ length: N }, (_, g) => g);
  const Z = dominantRows(base, N, d, pivots, (g) => piv.at(g), (g) => Math.abs(piv.at(g)));
  // free column N = sum_j c_j (pivot column j): v = e_N - sum_j c_j e_j satisfies Z v = 0
  const coef = new Pool(r.nullCoef);
  const v = new Float64Array(d);
  v[N] = 1;
  for (let g = 0; g < N; g++) {
    let s = 0;
    for (let j = 0; j < N; j++) s += coef.at(j) * Z[g * d + j];
    Z[g * d + N] = s;
  }
  for (let j = 0; j < N; j++) v[j] = -coef.at(j);

  // node scale 2^(scale_k - gridBits) is applied by assembleDataset (row scaling keeps X u = 0)
  const mix = makeMixing(d, r.permSeed, new Pool(r.shear));
  const Xint = mixColumns(Z, N, mix);
  const u = mixNullVector(v, mix);
  const tg = new Pool(r.targets);
  const unit = 2 ** -opt.gridBits;
  const y = Float64Array.from({ length: N }, (_, g) => tg.at(g) * unit);
  const exps = r.nodes.map((nd) => nd.scale - opt.gridBits);
  const weights = r.weighted ? r.nodes.map((nd) => 2 ** nd.weight) : undefined;
  const dataset = assembleDataset('regression', d, Xint, y, sizes, exps, weights);

  // w0 = X^T a (+ t u outside the row space); exact on the grid
  const w0 = new Float64Array(d);
  if (r.placement !== 'zero') {
    const a = new Pool(r.w0Coef);
    let g = 0;
    for (const nd of dataset.nodes) {
      for (let i = 0; i < nd.X.rows; i++, g++) {
        const ag = a.at(g);
        if (ag !== 0) for (let c = 0; c < d; c++) w0[c] += ag * nd.X.data[i * d + c];
      }
    }
    if (r.placement === 'outside') for (let c = 0; c < d; c++) w0[c] += r.w0Null * u[c];
  }

  const condition = gramCondition(pooledX(dataset));
  const regimes = datasetRegimes(dataset);
  if (hasCovariateShift(r.nodes)) regimes.push('covariate-shift');
  if (condition >= 100) regimes.push('cond>=100');
  if (d === N + 1) regimes.push('d=N+1');
  const w0Zero = w0.every((x) => x === 0);
  if (w0Zero) regimes.push('w0-zero');
  else if (r.placement === 'inside') regimes.push('w0-in-row-space');
  if (r.placement === 'outside') regimes.push('w0-outside-row-space');

  const meta: OverparameterisedRegressionMeta = {
    K, N, d, sizes, w0Placement: r.placement, nullVector: u, condition, regimes,
  };
  const reference = memo(() => minNormReference(dataset, w0));
  const value: OverparameterisedRegression = { dataset, w0, meta, reference };
  return withPrinter(value, (x) => printDataset(x.dataset, { w0: x.w0, regimes: x.meta.regimes }));
}
