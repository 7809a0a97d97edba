/**
 * Instances of the `regression.*` properties (docs/theory.md#12-regression, docs/theory.md#17-numerical-checks): a federated least-squares dataset from
 * src/arbitraries together with the Local-GD hyperparameters (eta, per-node L_k, positive weights, w0) and the exact
 * spectral data of the round map (regression.support.ts). Not a property file.
 *
 * Step size: eta = f 2 / beta with beta = max_k lambda_max(H_k) (src/arbitraries smoothness) and f = k/64, rounded
 * DOWN to 12 significant bits, so eta is a short dyadic (the exact references stay small) and the f < 1 side of the
 * per-node stability edge is never crossed by the rounding.
 *
 * Runtime budget (a budget, not a hypothesis of any theorem): instances keep rho <= RHO_MAX, a filter on the spectral
 * radius that rejects a few percent of draws (see RHO_MAX).
 */
import { filterCounted } from '../../src/spec/rejections.ts';
import fc from 'fast-check';
import { overparameterisedRegression, smoothness, underparameterisedRegression } from '../../src/arbitraries/index.ts';
import { EPS, dist2, norm2 } from '../../src/numeric/index.ts';
import type { Vec } from '../../src/numeric/index.ts';
import type { LocalGDHyper } from '../../src/optimizers/localGD.ts';
import type { RunFn, Trace } from '../../src/optimizers/types.ts';
import type { RecordSpec } from '../../src/optimizers/types.ts';
import { minNormSolution } from '../../src/precise/index.ts';
import { datasetToJson, pooled } from '../../src/problems/dataset.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';
import { capability } from '../../src/subject/index.ts';
import type { Hypothesis, Subject } from '../../src/spec/index.ts';
import { exactFixedPoint } from './regression.exact.support.ts';
import { normalisedWeights, roundMap, roundRounding, roundsFor, rowBasis, rowDistance, rowSpectrum } from './regression.support.ts';
import type { RoundMap, RowBasis, RowSpectrum } from './regression.support.ts';

/** eta rounded down to `bits` significant bits (a short dyadic). */
export function shortDyadic(x: number, bits = 12): number {
  const e = Math.floor(Math.log2(x));
  const s = 2 ** (bits - 1 - e);
  return Math.floor(x * s) / s;
}

export interface RegressionCase {
  readonly dataset: FederatedDataset;
  readonly w0: Vec;
  /** local steps per node */
  readonly L: readonly number[];
  /** raw aggregation weights, passed to the optimizer as hyper.alpha (normalised there as raw / sum) */
  readonly weights: readonly number[];
  readonly alpha: Float64Array;
  readonly eta: number;
  /** eta beta / 2: < 1 means every node's own step map is non-expansive */
  readonly fraction: number;
  readonly beta: number;
  /** d > N with X of full row rank (true) or N > d with X of full column rank (false) */
  readonly interpolating: boolean;
  readonly round: RoundMap;
  readonly basis: RowBasis;
  readonly spectrum: RowSpectrum;
  /** rho + its error bound */
  readonly rhoUp: number;
  readonly regimes: readonly string[];
  /** the Local-GD limit: the projection of w0 onto {Xw = y} (certified, interpolating) or (I - T)^{-1} c (exact, tall) */
  limit(): Vec;
}

function memo<T>(f: () => T): () => T {
  let done = false;
  let v: T;
  return () => {
    if (!done) {
      v = f();
      done = true;
    }
    return v;
  };
}

/** Build the case (spectral data included) from its parts. */
export function makeCase(dataset: FederatedDataset, w0: Vec, L: readonly number[], weights: readonly number[], etaFraction: number, extraRegimes: readonly string[] = []): RegressionCase {
  const K = dataset.nodes.length;
  if (L.length !== K || weights.length !== K) throw new Error(`makeCase: ${K} nodes but ${L.length} step counts and ${weights.length} weights`);
  const badL = L.findIndex((l) => !(Number.isInteger(l) && l >= 1));
  if (badL >= 0) throw new Error(`makeCase: L[${badL}] = ${L[badL]} must be an integer >= 1`);
  const badW = weights.findIndex((v) => !(v > 0 && Number.isFinite(v)));
  if (badW >= 0) throw new Error(`makeCase: weight[${badW}] = ${weights[badW]} must be positive and finite`);
  if (!(etaFraction > 0 && Number.isFinite(etaFraction))) throw new Error(`makeCase: etaFraction must be positive and finite, got ${etaFraction}`);
  if (w0.length !== dataset.d) throw new Error(`makeCase: w0 has ${w0.length} entries but d = ${dataset.d}`);
  const beta = smoothness(dataset, 'squared');
  const eta = shortDyadic((etaFraction * 2) / beta);
  const alpha = normalisedWeights(weights);
  const { X, y } = pooled(dataset);
  const interpolating = X.rows < X.cols;
  const round = roundMap(dataset, eta, L, alpha);
  const basis = rowBasis(X);
  const spectrum = rowSpectrum(round, basis);
  const fraction = (eta * beta) / 2;
  const regimes = [...extraRegimes];
  if (new Set(L).size > 1) regimes.push('heterogeneous-L');
  if (new Set(weights).size > 1) regimes.push('unequal-weights');
  if (fraction > 1) regimes.push('node-expands');
  const limit = memo(() => (interpolating ? minNormSolution(X, y, { w0 }).w : exactFixedPoint(dataset, eta, L, weights)));
  const c: RegressionCase = {
    dataset, w0, L, weights, alpha, eta, fraction, beta, interpolating, round, basis, spectrum,
    rhoUp: spectrum.rho + spectrum.error, regimes, limit,
  };
  Object.defineProperty(c, fc.toStringMethod, {
    enumerable: false,
    value: () => JSON.stringify({
      ...datasetToJson(dataset), w0: Array.from(w0), L, weights, eta, rho: spectrum.rho, regimes,
    }),
  });
  return c;
}

/**
 * Runtime budget (not a hypothesis of any theorem): rho <= RHO_MAX and R sum_k L_k <= WORK_MAX node-steps, with
 * R = ceil(log(1e-13)/log(rho)) (about 90 ms of Local-GD at most). The slow instances are those with a node of small
 * weight or small curvature, whose directions contract by only ~ 1 - alpha_k eta L_k lambda per round. Measured
 * rejection (seed 9, 400 draws): 5.2% interpolating, 4.5% tall; mean accepted work 8,800 / 4,800 node-steps.
 * To keep it that low the interpolating data have no per-node power-of-two scales (covariate shift by per-node
 * offsets only) and weights are 2^e with e <= WEIGHT_EXP_MAX (max/min up to 16).
 */
export const RHO_MAX = 0.999;
export const WORK_MAX = 60_000;
export const WEIGHT_EXP_MAX = 4;

/** R sum_k L_k: the node-steps of a run to the limit. */
export function work(c: RegressionCase): number {
  return limitRounds(c) * c.L.reduce((a, b) => a + b, 0);
}

function withinBudget(c: RegressionCase, rhoMax: number): boolean {
  return c.rhoUp <= rhoMax && c.rhoUp < 1 && work(c) <= WORK_MAX;
}

export interface CaseOptions {
  readonly minNodes?: number;
  readonly maxNodes?: number;
  readonly minL?: number;
  readonly maxL?: number;
  /** draw every L_k from these values instead of [minL, maxL] (shrinks toward the first) */
  readonly Lchoices?: readonly number[];
  /** 'samples' (n_k) or 'any' (n_k or powers of two 1..64, drawn) */
  readonly weights?: 'samples' | 'any';
  /** f = k/64 with k in this range (default [16, 60]) */
  readonly fraction64?: readonly [number, number];
  /** keep only rho + error <= rhoMax (runtime budget; default RHO_MAX) */
  readonly rhoMax?: number;
}

interface Knobs {
  L: number[];
  heterogeneous: boolean;
  weightExp: number[] | null;
  k: number;
}

function knobs(o: CaseOptions): fc.Arbitrary<Knobs> {
  const minL = o.minL ?? 1;
  const maxL = o.maxL ?? 6;
  const [kLo, kHi] = o.fraction64 ?? [16, 60];
  return fc.record({
    L: fc.array(o.Lchoices ? fc.constantFrom(...o.Lchoices) : fc.integer({ min: minL, max: maxL }), { minLength: 8, maxLength: 8 }),
    heterogeneous: fc.boolean(),
    weightExp: (o.weights ?? 'any') === 'samples' ? fc.constant(null) : fc.option(fc.array(fc.integer({ min: 0, max: WEIGHT_EXP_MAX }), { minLength: 8, maxLength: 8 })),
    k: fc.integer({ min: kLo, max: kHi }),
  });
}

function fromKnobs(dataset: FederatedDataset, w0: Vec, kn: Knobs, extra: readonly string[]): RegressionCase {
  const K = dataset.nodes.length;
  const L = Array.from({ length: K }, (_, k) => (kn.heterogeneous ? kn.L[k] : kn.L[0]));
  const weights = kn.weightExp === null ? dataset.nodes.map((n) => n.X.rows) : Array.from({ length: K }, (_, k) => 2 ** kn.weightExp![k]);
  return makeCase(dataset, w0, L, weights, kn.k / 64, extra);
}

export interface Data {
  readonly dataset: FederatedDataset;
  readonly w0: Vec;
  readonly regimes: readonly string[];
}

export type InterpolatingOptions = CaseOptions & { readonly w0?: 'zero' | 'inside' | 'outside' | 'any' };
export type TallOptions = CaseOptions & { readonly localRowsAtMostD?: boolean; readonly maxDim?: number; readonly maxScaleExp?: number; readonly system?: 'tall' | 'inconsistent' | 'any' };

export function interpolatingData(o: InterpolatingOptions): fc.Arbitrary<Data> {
  return overparameterisedRegression({
    minNodes: o.minNodes ?? 1, maxNodes: o.maxNodes ?? 3, maxRowsPerNode: 3, maxExtraDim: 4, maxScaleExp: 0, weights: 'none', w0: o.w0 ?? 'any',
  }).map((i) => ({ dataset: i.dataset, w0: i.w0, regimes: i.meta.regimes }));
}

export function tallData(o: TallOptions): fc.Arbitrary<Data> {
  const local = o.localRowsAtMostD ?? false;
  return underparameterisedRegression({
    minNodes: o.minNodes ?? (local ? 2 : 1), maxNodes: o.maxNodes ?? 3, maxRowsPerNode: local ? 3 : 4, maxDim: o.maxDim ?? 5,
    maxScaleExp: o.maxScaleExp ?? 1, weights: 'none', localRowsAtMostD: local, system: o.system ?? 'any',
  }).map((i) => ({ dataset: i.dataset, w0: i.w0, regimes: i.meta.regimes }));
}

function cases(data: fc.Arbitrary<Data>, o: CaseOptions): fc.Arbitrary<RegressionCase> {
  const rhoMax = o.rhoMax ?? RHO_MAX;
  const base = fc.tuple(data, knobs(o)).map(([d, kn]) => fromKnobs(d.dataset, d.w0, kn, d.regimes));
  return filterCounted(base, (c) => withinBudget(c, rhoMax), `rho above ${rhoMax} (too slow to converge in the round budget)`);
}

/** Interpolating instances (d > N, full row rank; overparameterisedRegression) with w0 placed as asked. */
export function interpolatingCases(o: InterpolatingOptions = {}): fc.Arbitrary<RegressionCase> {
  return cases(interpolatingData(o), o);
}

/** Non-interpolating instances (N > d, full column rank; underparameterisedRegression). */
export function tallCases(o: TallOptions = {}): fc.Arbitrary<RegressionCase> {
  return cases(tallData(o), o);
}

/** Two Local-GD configurations (L_k, weights) on the same data and w0; `b` always has drawn (not n_k) weights. */
export interface CasePair {
  readonly a: RegressionCase;
  readonly b: RegressionCase;
}

export function pairedCases(base: 'interpolating' | 'tall', o: InterpolatingOptions & TallOptions = {}): fc.Arbitrary<CasePair> {
  const rhoMax = o.rhoMax ?? RHO_MAX;
  const data = base === 'interpolating' ? interpolatingData(o) : tallData(o);
  const drawn = fc.tuple(knobs(o), fc.array(fc.integer({ min: 0, max: WEIGHT_EXP_MAX }), { minLength: 8, maxLength: 8 })).map(([kn, e]) => ({ ...kn, weightExp: e }));
  const pairs = fc.tuple(data, knobs(o), drawn)
    .map(([d, ka, kb]) => {
      const pair: CasePair = { a: fromKnobs(d.dataset, d.w0, ka, d.regimes), b: fromKnobs(d.dataset, d.w0, kb, d.regimes) };
      Object.defineProperty(pair, fc.toStringMethod, {
        enumerable: false,
        value: () => `${fc.stringify(pair.a)} | second run: ${JSON.stringify({ L: pair.b.L, weights: pair.b.weights, eta: pair.b.eta, rho: pair.b.spectrum.rho })}`,
      });
      return pair;
    });
  return filterCounted(pairs, (p) => withinBudget(p.a, rhoMax) && withinBudget(p.b, rhoMax), `rho above ${rhoMax} in either run (too slow to converge in the round budget)`);
}

/** Rounds so that rho^R <= target (default 1e-13: the contraction remainder then sits below the rounding floor; rho + error bound); throws if rho >= 1 (the generators never produce that). */
export function limitRounds(c: RegressionCase, target = 1e-13): number {
  const R = roundsFor(c.rhoUp, target);
  if (!Number.isFinite(R)) throw new Error(`limitRounds: rho = ${c.spectrum.rho} >= 1, Local-GD has no limit here`);
  return R;
}

/**
 * How far the f64 iterate w^R can be from the exact limit `limit` when the round map contracts row(X) by rho:
 *   rho^R E0 (exact arithmetic, E0 = ||w0 - limit||, all in row(X))
 *   + D (R + 1 / (1 - rho))  (rounding: the row part of each round's error D is contracted by rho, the null part is not)
 * with D from roundRounding at the iterate bound W = ||limit|| + G E0 and eps per operation (EPS, or EPS32 at f32).
 */
export function limitSlack(c: RegressionCase, R: number, limit: Vec, eps = EPS): { abs: number; why: string } {
  const E0 = dist2(c.w0, limit);
  const W = norm2(limit) + c.round.growth * E0;
  const D = roundRounding(c.dataset, c.eta, c.L, c.alpha, c.round.growth, W, eps);
  const contraction = c.rhoUp ** R * E0;
  const rounding = D * (R + 1 / (1 - c.rhoUp));
  return {
    abs: contraction + rounding,
    why: `rho^R ||e0|| = ${contraction.toExponential(2)} (rho = ${c.spectrum.rho.toFixed(6)}, R = ${R}) + per-round rounding D (R + 1/(1 - rho)) = ${rounding.toExponential(2)}`,
  };
}

/** Run the subject's Local-GD on the case (squared loss, the case's eta, L_k, weights), from w0 (default the case's). */
export function runLocalGD(subject: Subject, c: RegressionCase, R: number, record: RecordSpec, w0: Vec = c.w0, L: readonly number[] = c.L, weights: readonly number[] = c.weights): Trace {
  const run = capability<RunFn<LocalGDHyper>>(subject, 'localGD');
  return run(c.dataset, { loss: { name: 'squared' }, eta: c.eta, L, R, alpha: weights, w0, record });
}

/** The last model of a trace. */
export function lastModel(t: Trace): Vec {
  const w = t.models[t.models.length - 1];
  if (w === undefined) throw new Error(`lastModel: the trace of ${t.algorithm} records no model`);
  return w;
}

// ---------------------------------------------------------------------------------------------- hypotheses

/** d > N and rank X = N: the pooled system X w = y is consistent for every y (docs/theory.md#12-regression setting). */
export const interpolation: Hypothesis<RegressionCase> = {
  name: 'interpolation: d > N and X of full row rank',
  check: (c) => {
    const N = c.dataset.nodes.reduce((a, nd) => a + nd.X.rows, 0);
    if (!c.interpolating) return `N = ${N} >= d = ${c.dataset.d}: X w = y need not be solvable`;
    return c.basis.Q.cols === N || `rank X = ${c.basis.Q.cols} < N = ${N}`;
  },
};

/** w0 in row(X), decided in f64 with the error of the basis: dist <= (angle + 4 d eps) ||w0||. */
export const w0InRowSpace: Hypothesis<RegressionCase> = {
  name: 'w0 in row(X)',
  check: (c) => {
    const dist = rowDistance(c.basis.Q, c.w0);
    // why: span(Q) is within `angle` of row(X), and Q Q^T w0 is computed with ~ 2 d eps relative error (doubled)
    const allowed = (c.basis.angle + 4 * c.dataset.d * EPS) * norm2(c.w0);
    return dist <= allowed || `w0 is at distance ${dist.toExponential(3)} from row(X) (allowed ${allowed.toExponential(3)})`;
  },
};

/** N > d and rank X = d: F has a unique minimiser and T < I on all of R^d. */
export const fullColumnRank: Hypothesis<RegressionCase> = {
  name: 'N > d and X of full column rank',
  check: (c) => {
    const N = c.dataset.nodes.reduce((a, nd) => a + nd.X.rows, 0);
    if (c.interpolating) return `N = ${N} < d = ${c.dataset.d}`;
    return c.basis.Q.cols === c.dataset.d || `rank X = ${c.basis.Q.cols} < d = ${c.dataset.d}`;
  },
};

export const contraction: Hypothesis<RegressionCase> = {
  name: 'rho < 1 (spectral radius of T on row(X))',
  check: (c) => c.rhoUp < 1 || `rho = ${c.spectrum.rho} (+ error ${c.spectrum.error.toExponential(2)}) >= 1`,
};

export const positiveRun: Hypothesis<RegressionCase> = {
  name: 'L_k >= 1 integers, weights > 0, squared loss',
  check: (c) => {
    const k = c.L.findIndex((l) => !(Number.isInteger(l) && l >= 1));
    if (k >= 0) return `L[${k}] = ${c.L[k]}`;
    const j = c.weights.findIndex((w) => !(w > 0 && Number.isFinite(w)));
    return j < 0 || `weight[${j}] = ${c.weights[j]}`;
  },
};
