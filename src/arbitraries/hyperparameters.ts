/**
 * hyperparameters: step size, local steps, synchronisation period and rounds, with the step size set RELATIVE to
 * the instance's smoothness beta (_internals/smoothness.ts): eta = f * 2 / beta with f = k/64.
 *
 *   stability 'inside'  (default): f in [1/64, 63/64], so eta < 2/beta: every node's local GD map is non-expansive
 *                        (docs/theory.md#12-regression R-stability, the sufficient condition; docs/theory.md#26-how-tau-enters "eta_0 > 2/L diverges")
 *   stability 'outside': f in [65/64, maxEtaFraction], eta > 2/beta (a per-node map expands; whether Local-GD still
 *                        converges is decided by rho, docs/theory.md#12-regression)
 *   stability 'any':     either, chosen by the recipe
 * Symbols follow the papers: eta (step), L (local steps per round, Zhu et al.), Lm (per-node L_m), tau (LUPA-SGD
 * averaging period), rounds (R).
 *
 * eta is f * 2 / beta rounded DOWN (toward stability) to 8 significant bits: eta = m 2^e with an integer
 * m in [128, 255], so eta is on a dyadic grid whatever beta is (f64 and Decimal see the same step), and
 * eta beta / 2 lies in (f (1 - 2^-7), f]. Rounding down never leaves the stability region; outside it, f >= 65/64
 * and 65/64 (1 - 2^-7) > 1, so it never enters it either. etaFraction is the nominal f = k/64.
 *
 * L and Lm are INDEPENDENT draws from [minLocalSteps, maxLocalSteps]: L is the homogeneous number of local steps
 * (every node runs L), Lm (only with heterogeneousSteps) the per-node counts L_m for algorithms that take them. L is
 * not max(Lm) or any other function of Lm; a consumer uses one or the other, never both for the same run.
 *
 * Shrinking: f -> 1/64 (inside) or 65/64 (outside), L -> minLocalSteps, homogeneous L_m, tau and rounds -> minimum.
 *
 * Regimes (meta.regimes; each at least 5% of draws with stability 'any' and heterogeneousSteps):
 *   'eta-inside', 'eta-outside', 'eta-near-edge' (f in [7/8, 9/8]), 'L=1', 'tau=1', 'heterogeneous-L', 'rounds=1'.
 */
import fc from 'fast-check';
import type { Vec } from '../numeric/types.ts';
import type { LossName, LossSpec } from '../problems/losses.ts';
import type { FederatedDataset } from '../problems/types.ts';
import { withPrinter } from './_internals/instance.ts';
import { smoothness as smoothnessOf } from './_internals/smoothness.ts';
import { bool, checkKeys, intIn, numIn, oneOf, ordered } from './_internals/validate.ts';

export interface HyperparametersConstraints {
  /** beta > 0, the smoothness the step is set against; give this or `dataset` */
  readonly smoothness?: number;
  /** compute beta = smoothness(dataset, loss, w0) instead */
  readonly dataset?: FederatedDataset;
  /** loss for `dataset` (default 'squared') */
  readonly loss?: LossSpec | LossName;
  /** point for the exponential loss's sublevel-set bound (default 0) */
  readonly w0?: Vec;
  /** 'inside' (default), 'outside' or 'any' */
  readonly stability?: 'inside' | 'outside' | 'any';
  /** largest f = eta beta / 2 when outside (default 3; in [65/64, 64]); only with stability 'outside' or 'any' */
  readonly maxEtaFraction?: number;
  /** L range (defaults 1..32) */
  readonly minLocalSteps?: number;
  readonly maxLocalSteps?: number;
  /** draw per-node L_m (Lm, one per node) as well (default false) */
  readonly heterogeneousSteps?: boolean;
  /** number of nodes for Lm (default: the dataset's node count, else 4); only with heterogeneousSteps */
  readonly nodes?: number;
  /** tau range (defaults 1..32) */
  readonly minTau?: number;
  readonly maxTau?: number;
  /** rounds range (defaults 1..64) */
  readonly minRounds?: number;
  readonly maxRounds?: number;
}

export interface Hyperparameters {
  readonly eta: number;
  /** the nominal f = k/64; eta beta / 2 is f rounded down to 8 significant bits of eta, in (f (1 - 2^-7), f] */
  readonly etaFraction: number;
  /** the beta used */
  readonly smoothness: number;
  /** eta < 2/beta */
  readonly stable: boolean;
  /** local steps per round when every node runs the same number (independent of Lm) */
  readonly L: number;
  /** per-node local steps L_m (only with heterogeneousSteps; drawn independently of L) */
  readonly Lm?: readonly number[];
  readonly tau: number;
  readonly rounds: number;
  readonly meta: { readonly regimes: readonly string[] };
}

export const HYPERPARAMETER_REGIMES = [
  'eta-inside', 'eta-outside', 'eta-near-edge', 'L=1', 'tau=1', 'heterogeneous-L', 'rounds=1',
] as const;

const FN = 'hyperparameters';
const KEYS = [
  'smoothness', 'dataset', 'loss', 'w0', 'stability', 'maxEtaFraction', 'minLocalSteps', 'maxLocalSteps',
  'heterogeneousSteps', 'nodes', 'minTau', 'maxTau', 'minRounds', 'maxRounds',
];
const F_DEN = 64;
const ETA_BITS = 8;

/**
 * x rounded toward 0 to `bits` significant bits (x > 0 finite and normal; other values are returned unchanged).
 * The power-of-two scalings are exact, so the only rounding is the floor.
 */
function roundDown(x: number, bits: number): number {
  if (!(x >= 2 ** -1022) || !Number.isFinite(x)) return x;
  let e = Math.floor(Math.log2(x));
  while (2 ** e > x) e--;
  while (2 ** (e + 1) <= x) e++;
  const s = bits - 1 - e; // x 2^s in [2^(bits-1), 2^bits)
  const a = Math.trunc(s / 2);
  return Math.floor(x * 2 ** a * 2 ** (s - a)) / 2 ** a / 2 ** (s - a);
}

export function hyperparameters(constraints: HyperparametersConstraints): fc.Arbitrary<Hyperparameters> {
  if (constraints === null || typeof constraints !== 'object') {
    throw new Error(`${FN}: constraints must be an object with smoothness or dataset, got ${String(constraints)}`);
  }
  checkKeys(FN, constraints, KEYS);
  const { dataset } = constraints;
  if ((constraints.smoothness === undefined) === (dataset === undefined)) {
    throw new Error(`${FN}: give exactly one of constraints.smoothness and constraints.dataset (got ${constraints.smoothness === undefined ? 'neither' : 'both'})`);
  }
  if (dataset === undefined && (constraints.loss !== undefined || constraints.w0 !== undefined)) {
    throw new Error(`${FN}: constraints.loss and constraints.w0 need constraints.dataset`);
  }
  const beta =
    dataset !== undefined
      ? smoothnessOf(dataset, constraints.loss ?? 'squared', constraints.w0)
      : numIn(FN, 'smoothness', constraints.smoothness, Number.MIN_VALUE, Number.MAX_VALUE, 1);
  const stability = oneOf(FN, 'stability', constraints.stability, ['inside', 'outside', 'any'], 'inside');
  const maxF = numIn(FN, 'maxEtaFraction', constraints.maxEtaFraction, 65 / F_DEN, 64, 3);
  if (constraints.maxEtaFraction !== undefined && stability === 'inside') {
    throw new Error(`${FN}: constraints.maxEtaFraction (${maxF}) applies only outside the stability region, got stability 'inside'`);
  }
  const minL = intIn(FN, 'minLocalSteps', constraints.minLocalSteps, 1, 1e6, 1);
  const maxL = intIn(FN, 'maxLocalSteps', constraints.maxLocalSteps, 1, 1e6, Math.max(32, minL));
  ordered(FN, 'minLocalSteps', minL, 'maxLocalSteps', maxL);
  const het = bool(FN, 'heterogeneousSteps', constraints.heterogeneousSteps, false);
  if (constraints.nodes !== undefined && !het) {
    throw new Error(`${FN}: constraints.nodes (${String(constraints.nodes)}) needs heterogeneousSteps (it sizes Lm), got heterogeneousSteps false`);
  }
  const K = intIn(FN, 'nodes', constraints.nodes, 1, 1024, dataset?.nodes.length ?? 4);
  const minTau = intIn(FN, 'minTau', constraints.minTau, 1, 1e6, 1);
  const maxTau = intIn(FN, 'maxTau', constraints.maxTau, 1, 1e6, Math.max(32, minTau));
  ordered(FN, 'minTau', minTau, 'maxTau', maxTau);
  const minR = intIn(FN, 'minRounds', constraints.minRounds, 1, 1e9, 1);
  const maxR = intIn(FN, 'maxRounds', constraints.maxRounds, 1, 1e9, Math.max(64, minR));
  ordered(FN, 'minRounds', minR, 'maxRounds', maxR);

  const inside = fc.integer({ min: 1, max: F_DEN - 1 });
  const outside = fc.integer({ min: F_DEN + 1, max: Math.max(F_DEN + 1, Math.floor(maxF * F_DEN)) });
  // the minimum (L = 1, tau = 1, one round: the degenerate cases that identities hinge on) in about 1/7 of draws
  const edgy = (min: number, max: number) =>
    fc.oneof({ arbitrary: fc.constant(min), weight: 1 }, { arbitrary: fc.integer({ min, max }), weight: 6 });
  const recipe = fc.record({
    k: stability === 'inside' ? inside : stability === 'outside' ? outside : fc.oneof(inside, outside),
    L: edgy(minL, maxL),
    Lm: het ? fc.array(fc.integer({ min: minL, max: maxL }), { minLength: K, maxLength: K }) : fc.constant(null),
    tau: edgy(minTau, maxTau),
    rounds: edgy(minR, maxR),
  });
  return recipe.map((r) => {
    const f = r.k / F_DEN;
    const eta = roundDown((f * 2) / beta, ETA_BITS);
    const stable = r.k < F_DEN;
    const regimes = [stable ? 'eta-inside' : 'eta-outside'];
    if (f >= 7 / 8 && f <= 9 / 8) regimes.push('eta-near-edge');
    if (r.L === 1) regimes.push('L=1');
    if (r.tau === 1) regimes.push('tau=1');
    if (r.Lm !== null && new Set(r.Lm).size > 1) regimes.push('heterogeneous-L');
    if (r.rounds === 1) regimes.push('rounds=1');
    const value: Hyperparameters = {
      eta, etaFraction: f, smoothness: beta, stable, L: r.L, ...(r.Lm !== null ? { Lm: r.Lm } : {}), tau: r.tau,
      rounds: r.rounds, meta: { regimes },
    };
    return withPrinter(value, (v) => JSON.stringify(v));
  });
}
