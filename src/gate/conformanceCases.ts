/**
 * Instances for the conformance checks (src/gate/conformance.ts, properties/conformance/): small federated problems
 * on dyadic grids, and how each run capability of a Subject is called on one.
 *
 * The generators build what the frameworks' own tests missed (docs/planted-bugs.md): unequal client sizes, single-sample
 * clients, a non-zero w0, partial participation. Shrinking moves toward one node, d = 1 and fewer samples.
 *   conformanceCases()  regression (squared loss) or classification (logistic loss, labels -1/+1); any w0; R >= 0;
 *                       every record form ('all', 'last', a list of rounds, { every: k })
 *   zeroWeightCases()   every node reports 0 samples, or every node has data but the caller's weights are all 0
 *   stationaryCases()   y = X w* exactly (integer data, w* on a grid of 1/4), w0 = w*, K >= 2, mostly partial rounds
 * Step size eta = 1 / (2 beta), beta = max_i ||x_i||^2 >= the smoothness of every node's mean loss (squared and
 * logistic), so every local map is non-expansive.
 */
import fc from 'fast-check';
import { FEDERATED_RUN_CAPABILITIES } from '../subject/catalogue.ts';
import type { Vec } from '../numeric/types.ts';
import type { LossSpec } from '../problems/losses.ts';
import type { FederatedDataset, NodeData } from '../problems/types.ts';
import type { RecordSpec } from '../optimizers/types.ts';

/** The run capabilities (RunFn on a FederatedDataset) that the conformance checks call, in report order. */
export const FEDERATED_CAPABILITIES = FEDERATED_RUN_CAPABILITIES;
export type FederatedCapability = (typeof FEDERATED_CAPABILITIES)[number];

/** Capabilities that take aggregation weights `alpha` (docs/theory.md#0-notation-and-conventions: default 'samples' = n_k / N). */
export const WEIGHTED_CAPABILITIES: readonly FederatedCapability[] = ['localGD', 'localSGD', 'modifiedLocalGD'];

export interface ConformanceCase {
  readonly problem: FederatedDataset;
  readonly loss: LossSpec;
  readonly w0: Vec;
  readonly eta: number;
  /** local steps per round (tau for LUPA, tau_0 for ADA-LUPA) */
  readonly L: number;
  /** rounds (T = R L iterations for the centralized baselines: T = R; for LUPA: T = R L) */
  readonly R: number;
  /** minibatch size of the stochastic capabilities */
  readonly B: number;
  /** nodes per round (partial participation), undefined = all */
  readonly participants?: number;
  readonly seed: number;
  /** explicit aggregation weights (zeroWeightCases 'zero-weights' only) */
  readonly alpha?: readonly number[];
  /** which rounds the trace records (default 'all'): C-1 draws every form the properties use */
  readonly record?: RecordSpec;
}

export interface CapabilityCall {
  readonly hyper: Record<string, unknown>;
  /** the last round of the run (record 'all' gives rounds 0..lastRound), when the algorithm fixes it */
  readonly lastRound?: number;
}

/**
 * The hyperparameters of capability `name` on case c, or null when the capability does not apply to the case
 * (explicit weights on an algorithm without weights).
 */
export function callFor(name: FederatedCapability, c: ConformanceCase): CapabilityCall | null {
  const { loss, eta, L, R, B, w0, seed } = c;
  const part = c.participants === undefined ? {} : { participants: c.participants };
  const alpha = c.alpha === undefined ? {} : { alpha: c.alpha };
  const record = c.record === undefined ? {} : { record: c.record };
  if (c.alpha !== undefined && !WEIGHTED_CAPABILITIES.includes(name)) return null;
  switch (name) {
    case 'centralizedGD': return { hyper: { loss, eta, T: R, w0, ...record }, lastRound: R };
    case 'centralizedSGD': return { hyper: { loss, eta, T: R, B, w0, seed, ...record }, lastRound: R };
    case 'localGD': return { hyper: { loss, eta, L, R, w0, ...part, ...alpha, ...record }, lastRound: R };
    case 'localSGD': return { hyper: { loss, eta, L, R, B, w0, seed, ...part, ...alpha, ...record }, lastRound: R };
    case 'modifiedLocalGD': return { hyper: { variant: 'normalized', loss, eta, L, etaG: eta, R, w0, ...part, ...alpha, ...record }, lastRound: R };
    case 'lupaSGD': return { hyper: { loss, B, T: R * L, eta, tau: L, w0, seed, ...record }, lastRound: R };
    // ADA-LUPA's rounds depend on its loss-driven schedule: only record 'all' is checked against a known round count
    case 'adaLupaSGD': return c.record === undefined ? { hyper: { loss, B, T: R * L, eta, tau0: L, w0, seed } } : null;
  }
}

const grid = (lo: number, hi: number, scale: number) => fc.integer({ min: lo, max: hi }).map((v) => v / scale);
const vec = (n: number, a: fc.Arbitrary<number>) => fc.array(a, { minLength: n, maxLength: n }).map((v) => Float64Array.from(v));

function node(d: number, rows: readonly (readonly number[])[], y: readonly number[]): NodeData {
  return { X: { rows: rows.length, cols: d, data: Float64Array.from(rows.flat()) }, y: Float64Array.from(y) };
}

/** 1 / (2 max_i ||x_i||^2), or 1/2 when every row is 0. */
export function stableEta(problem: FederatedDataset): number {
  let beta = 0;
  for (const nd of problem.nodes) {
    for (let i = 0; i < nd.X.rows; i++) {
      let s = 0;
      for (let j = 0; j < problem.d; j++) s += nd.X.data[i * problem.d + j] ** 2;
      beta = Math.max(beta, s);
    }
  }
  return beta > 0 ? 1 / (2 * beta) : 0.5;
}

const sizesArb = (K: number, min: number, max: number) => fc.array(fc.integer({ min, max }), { minLength: K, maxLength: K });
const hyperArb = (K: number, partial: 'some' | 'mostly') => fc.record({
  L: fc.integer({ min: 1, max: 3 }),
  B: fc.integer({ min: 1, max: 3 }),
  seed: fc.integer({ min: 0, max: 1000 }),
  participants: partial === 'some'
    ? fc.option(fc.integer({ min: 1, max: K }), { freq: 2 })
    : fc.oneof({ arbitrary: fc.integer({ min: 1, max: Math.max(1, K - 1) }), weight: 4 }, { arbitrary: fc.constant(null), weight: 1 }),
});

/** General instances for the trace contract (C-1). */
export function conformanceCases(): fc.Arbitrary<ConformanceCase> {
  const dims = fc.record({ d: fc.integer({ min: 1, max: 4 }), K: fc.integer({ min: 1, max: 4 }), classification: fc.boolean() });
  return dims.chain(({ d, K, classification }) => sizesArb(K, 1, 5).chain((sizes) => fc.record({
    nodes: fc.tuple(...sizes.map((n) => fc.tuple(
      fc.array(fc.array(fc.integer({ min: -4, max: 4 }), { minLength: d, maxLength: d }), { minLength: n, maxLength: n }),
      fc.array(classification ? fc.constantFrom(-1, 1) : grid(-8, 8, 4), { minLength: n, maxLength: n }),
    ))),
    w0: vec(d, grid(-4, 4, 8)),
    R: fc.integer({ min: 0, max: 4 }),
    h: hyperArb(K, 'some'),
    rec: fc.record({ form: fc.constantFrom('all', 'last', 'list', 'every'), pick: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }), every: fc.integer({ min: 1, max: 3 }) }),
  }).map(({ nodes, w0, R, h, rec }): ConformanceCase => {
    const problem: FederatedDataset = {
      task: classification ? 'classification' : 'regression', d,
      nodes: nodes.map(([rows, y]) => node(d, rows.map((r) => r.map((v) => v / 4)), y)),
    };
    // every record form the properties use; a list is a non-empty subset of the rounds 0..R
    const list = rec.pick.slice(0, R + 1).flatMap((b, r) => (b ? [r] : []));
    const record: RecordSpec | undefined = rec.form === 'last' ? 'last' : rec.form === 'every' ? { every: rec.every }
      : rec.form === 'list' ? (list.length > 0 ? list : [R]) : undefined;
    return {
      problem, loss: { name: classification ? 'logistic' : 'squared' }, w0, eta: stableEta(problem), R,
      L: h.L, B: h.B, seed: h.seed, ...(h.participants === null ? {} : { participants: h.participants }),
      ...(record === undefined ? {} : { record }),
    };
  })));
}

/** Zero total weight (C-2): 'no-samples' (every node has 0 rows, default weights) or 'zero-weights' (alpha = 0). */
export function zeroWeightCases(): fc.Arbitrary<ConformanceCase & { readonly mode: 'no-samples' | 'zero-weights' }> {
  const dims = fc.record({ d: fc.integer({ min: 1, max: 4 }), K: fc.integer({ min: 1, max: 4 }), mode: fc.constantFrom('no-samples' as const, 'zero-weights' as const) });
  return dims.chain(({ d, K, mode }) => fc.record({
    rows: fc.array(fc.array(fc.array(fc.integer({ min: -4, max: 4 }), { minLength: d, maxLength: d }), { minLength: 1, maxLength: 3 }), { minLength: K, maxLength: K }),
    w0: vec(d, grid(-4, 4, 8)),
    R: fc.integer({ min: 1, max: 3 }),
    h: hyperArb(K, 'some'),
  }).map(({ rows, w0, R, h }) => {
    const nodes = rows.map((r) => (mode === 'no-samples' ? node(d, [], []) : node(d, r.map((x) => x.map((v) => v / 4)), r.map(() => 1))));
    const problem: FederatedDataset = { task: 'regression', d, nodes };
    return {
      mode, problem, loss: { name: 'squared' as const }, w0, eta: stableEta(problem), R, L: h.L, B: h.B, seed: h.seed,
      ...(mode === 'zero-weights' ? { alpha: new Array<number>(K).fill(0) } : {}),
    };
  }));
}

/** Common stationary point (C-3): y_k = X_k w* exactly on every node, w0 = w* != 0, K >= 2, mostly partial rounds. */
export function stationaryCases(): fc.Arbitrary<ConformanceCase & { readonly wStar: Vec }> {
  const dims = fc.record({ d: fc.integer({ min: 1, max: 4 }), K: fc.integer({ min: 2, max: 5 }) });
  return dims.chain(({ d, K }) => sizesArb(K, 1, 4).chain((sizes) => fc.record({
    rows: fc.tuple(...sizes.map((n) => fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: d, maxLength: d }), { minLength: n, maxLength: n }))),
    wStar: fc.array(fc.integer({ min: -4, max: 4 }), { minLength: d, maxLength: d }),
    R: fc.integer({ min: 1, max: 4 }),
    h: hyperArb(K, 'mostly'),
  }).map(({ rows, wStar, R, h }) => {
    // integer X and w* in (1/4)Z with |entries| <= 4 and d <= 4: every X w* is exact in f64, so the residuals are exactly 0
    const ws = Float64Array.from(wStar.every((v) => v === 0) ? wStar.map((_, j) => (j === 0 ? 4 : 0)) : wStar, (v) => v / 4);
    const nodes = rows.map((r) => node(d, r, r.map((x) => x.reduce((s, v, j) => s + v * ws[j], 0))));
    const problem: FederatedDataset = { task: 'regression', d, nodes };
    return {
      problem, loss: { name: 'squared' as const }, w0: ws, wStar: ws, eta: stableEta(problem), R, L: h.L, B: h.B, seed: h.seed,
      ...(h.participants === null ? {} : { participants: h.participants }),
    };
  })));
}
