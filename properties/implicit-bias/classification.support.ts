/**
 * Shared by the `classification.*` and `sgd.*` properties of the implicit-bias family (docs/theory.md#13-classification-with-local-gd, docs/theory.md#16-local-sgd-and-non-separable-data, docs/theory.md#17-numerical-checks;
 * Z-C1..Z-C5, Z-S1): the instance arbitraries, the observables (ang, normalised and smoothed margins) and the runs of
 * the subject at geometric checkpoints. Not a property file (the registry loads only *.prop.ts).
 *
 * Instances. A separableClassification draw (exponential or logistic loss, L in [2, 8], eta = f / R^2 with
 * f in {1/2, 1} and R = max_i ||x_i||; the direction class uses eta = f / (L R^2), f in {1, 2}), optionally THINNED:
 * non-support rows are removed. Removing non-support rows
 * keeps wHat the exact SVM of the thinned data: its KKT conditions (margins >= 1, duals alpha >= 0 on the support,
 * complementary slackness, wHat = sum alpha_i z_i) only involve the kept rows, so the certificate carries over.
 *   thin 'none'          every row (tracking, loss rate, null space: claims with no asymptotic-regime hypothesis);
 *   thin 'support-only'  only the certified support (every row active, every dual > 0): the Soudry regime without a
 *                        non-support transient, for the direction claims (Z-C2; why: proofs-notes/Z-C2-angle.md).
 * Step size: the exponential loss is R^2 f_k(w)-smooth on {f_k <= f_k(0) = 1} and the logistic loss R^2/4-smooth, so
 * eta R^2 <= 1 makes every local step a descent step. Matched step (our convention, derived in
 * proofs-notes/Z-C1-tracking.md): Local-GD round k (L steps of size eta, weights n_k/N) ~ centralized GD on the pooled
 * mean loss with step eta after L k steps.
 */
import { filterCounted } from '../../src/spec/rejections.ts';
import fc from 'fast-check';
import { separableClassification } from '../../src/arbitraries/index.ts';
import type { SeparableClassificationConstraints } from '../../src/arbitraries/index.ts';
import { EPS, cholesky, eigSym } from '../../src/numeric/index.ts';
import type { Mat, Vec } from '../../src/numeric/index.ts';
import type { CentralizedGDHyper } from '../../src/optimizers/centralizedGD.ts';
import { localGD } from '../../src/optimizers/localGD.ts';
import type { LocalGDHyper } from '../../src/optimizers/localGD.ts';
import { capability } from '../../src/subject/index.ts';
import type { RunFn } from '../../src/optimizers/types.ts';
import { datasetToJson, pooled } from '../../src/problems/dataset.ts';
import type { LossName, LossSpec } from '../../src/problems/losses.ts';
import type { FederatedDataset, NodeData } from '../../src/problems/types.ts';
import type { Hypothesis, Subject } from '../../src/spec/index.ts';
import { angle, norm, rowDot } from './classification.observables.support.ts';

export { angle, distance, margins, norm, normalisedMargin, smoothedMargin } from './classification.observables.support.ts';

export interface SeparableRun {
  /** dataset after thinning (labels -1/+1, separable through the origin) */
  readonly dataset: FederatedDataset;
  readonly loss: LossSpec;
  /** local steps per round */
  readonly L: number;
  /** local step size eta = etaFraction / R^2 */
  readonly eta: number;
  readonly etaFraction: number;
  /** R = max_i ||x_i|| */
  readonly radius: number;
  /** certified hard-margin SVM (min ||w|| s.t. z_i^T w >= 1, src/precise) and gamma* = 1/||wHat|| */
  readonly wHat: Vec;
  readonly gamma: number;
  /** pooled indices (thinned data) of the certified support; every dual alpha_i > 0 there */
  readonly support: readonly number[];
  /** duals on the support (alpha = G_S^{-1} 1, f64), same order as `support` */
  readonly alpha: readonly number[];
  /** mu = lambda_min(D^{1/2} G_S D^{1/2}), D = diag(alpha): the support-subspace rate exponent (<= 1) */
  readonly mu: number;
  /** theta = min over non-support rows of z_i^T wHat - 1 (Infinity when every row is a support row) */
  readonly gap: number;
  /** signed pooled rows z_i = y_i x_i */
  readonly Z: Mat;
  /** rows removed by the thinning */
  readonly dropped: number;
}

export type Thinning = 'none' | 'support-only';

export interface SeparableRunConstraints {
  /** passed to separableClassification (default: 2 <= d <= 5, <= 4 nodes, <= 6 rows per node) */
  readonly data?: SeparableClassificationConstraints;
  readonly minL?: number;
  readonly maxL?: number;
  /** losses drawn (default both) */
  readonly losses?: readonly LossName[];
  /** eta R^2 values drawn (default 1/2 and 1); with perRound, eta L R^2 values */
  readonly etaFractions?: readonly number[];
  /** eta = f / (L R^2) instead of f / R^2 (the v2 condition eta = O(1/L); default false) */
  readonly perRound?: boolean;
  readonly thin?: Thinning;
}

const DEFAULT_DATA: SeparableClassificationConstraints = { minDim: 2, maxDim: 5, maxNodes: 4, maxRowsPerNode: 6 };

export function separableRun(c: SeparableRunConstraints = {}): fc.Arbitrary<SeparableRun> {
  const minL = c.minL ?? 2;
  const maxL = c.maxL ?? 8;
  const losses = c.losses ?? ['exponential', 'logistic'];
  const fractions = c.etaFractions ?? [1 / 2, 1];
  const thin = c.thin ?? 'none';
  if (!(Number.isInteger(minL) && minL >= 1 && Number.isInteger(maxL) && maxL >= minL)) {
    throw new Error(`separableRun: need integers 1 <= minL <= maxL, got ${minL} and ${maxL}`);
  }
  if (fractions.length === 0 || fractions.some((f) => !(f > 0 && Number.isFinite(f)))) {
    throw new Error(`separableRun: etaFractions must be positive and finite, got [${fractions.join(', ')}]`);
  }
  return fc
    .record({
      data: separableClassification({ ...DEFAULT_DATA, ...(c.data ?? {}) }),
      L: fc.integer({ min: minL, max: maxL }),
      loss: fc.constantFrom(...losses),
      etaFraction: fc.constantFrom(...fractions),
    })
    .map(({ data, L, loss, etaFraction }) => {
      const ref = data.reference();
      return makeRun(data.dataset, ref.wHat, ref.gamma, ref.support, thin, { L, loss: { name: loss }, etaFraction: c.perRound ? etaFraction / L : etaFraction });
    });
}

/** The instance, after removing the non-support rows when thin = 'support-only' (and nodes left empty). */
export function makeRun(
  ds: FederatedDataset, wHat: Vec, gamma: number, support: readonly number[], thin: Thinning,
  h: { L: number; loss: LossSpec; etaFraction: number },
): SeparableRun {
  const d = ds.d;
  const inSupport = new Set(support);
  const nodes: NodeData[] = [];
  const newSupport: number[] = [];
  let g = 0;
  let kept = 0;
  let dropped = 0;
  for (const nd of ds.nodes) {
    const rows: number[] = [];
    for (let i = 0; i < nd.X.rows; i++, g++) {
      if (thin === 'none' || inSupport.has(g)) {
        if (inSupport.has(g)) newSupport.push(kept + rows.length);
        rows.push(i);
      } else {
        dropped++;
      }
    }
    if (rows.length === 0) continue;
    const data = new Float64Array(rows.length * d);
    rows.forEach((i, r) => data.set(nd.X.data.subarray(i * d, (i + 1) * d), r * d));
    const node: NodeData = { X: { rows: rows.length, cols: d, data }, y: Float64Array.from(rows, (i) => nd.y[i]) };
    nodes.push(nd.weight === undefined ? node : { ...node, weight: nd.weight });
    kept += rows.length;
  }
  const dataset: FederatedDataset = { task: 'classification', d, nodes };
  const Z = signedRows(dataset);
  let radius2 = 0;
  for (let i = 0; i < Z.rows; i++) radius2 = Math.max(radius2, rowDot(Z, i, Z.data, i * d));
  const inNew = new Set(newSupport);
  let gap = Infinity;
  for (let i = 0; i < Z.rows; i++) if (!inNew.has(i)) gap = Math.min(gap, rowDot(Z, i, wHat, 0) - 1);
  const { alpha, mu } = dualSpectrum(Z, newSupport);
  const run: SeparableRun = {
    dataset, loss: h.loss, L: h.L, eta: h.etaFraction / radius2, etaFraction: h.etaFraction, radius: Math.sqrt(radius2),
    wHat, gamma, support: newSupport, alpha, mu, gap, Z, dropped,
  };
  Object.defineProperty(run, fc.toStringMethod, {
    value: () => JSON.stringify({
      ...datasetToJson(run.dataset), loss: run.loss, L: run.L, eta: run.eta, gamma: run.gamma, mu: run.mu, gap: run.gap,
    }),
    enumerable: false,
  });
  return run;
}

/** alpha = G_S^{-1} 1 on the (linearly independent) support and mu = lambda_min(D^{1/2} G_S D^{1/2}). */
function dualSpectrum(Z: Mat, S: readonly number[]): { alpha: number[]; mu: number } {
  const m = S.length;
  const d = Z.cols;
  const G = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) G[a * m + b] = rowDot(Z, S[a], Z.data, S[b] * d);
  const alpha = Array.from(cholesky({ rows: m, cols: m, data: G }).solve(new Float64Array(m).fill(1)));
  const M = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) M[a * m + b] = Math.sqrt(Math.max(0, alpha[a] * alpha[b])) * G[a * m + b];
  return { alpha, mu: eigSym({ rows: m, cols: m, data: M }).values[0] };
}

export function signedRows(ds: FederatedDataset): Mat {
  const { X, y } = pooled(ds);
  const data = new Float64Array(X.data.length);
  for (let i = 0; i < X.rows; i++) for (let c = 0; c < X.cols; c++) data[i * X.cols + c] = y[i] * X.data[i * X.cols + c];
  return { rows: X.rows, cols: X.cols, data };
}


// ---------------------------------------------------------------------------------------------------------------
// The direction class (Z-C2): every row a support vector, fast support-subspace rate

/** mu floor of the direction class: deviations from the Soudry asymptotics decay like (eta R^2 L k)^(-mu) */
export const MIN_MU = 1 / 3;
/** the window starts once (eta R^2 L k0)^mu >= BURN_IN, i.e. the transient has shrunk by that factor */
export const BURN_IN = 8;
/** data of the direction class: 4 <= d <= 8 and entries up to 16 give 2..6 support vectors in 90% of draws */
export const DIRECTION_DATA: SeparableClassificationConstraints = { minDim: 4, maxDim: 8, maxEntry: 16, maxNodes: 4, maxRowsPerNode: 6 };

/** eta L R^2 values of the direction class (v2's small-step condition eta = O(1/L), with the constant 2) */
export const DIRECTION_ROUND_STEPS = [1, 2];
/** the direction window never starts before this round */
export const DIRECTION_MIN_START = 128;

/**
 * Support-only instances with at least two support rows, mu >= MIN_MU and eta L R^2 in {1, 2} (the direction
 * claims' hypotheses, built in).
 */
export function directionRun(): fc.Arbitrary<SeparableRun> {
  return filterCounted(
    separableRun({ thin: 'support-only', data: DIRECTION_DATA, perRound: true, etaFractions: DIRECTION_ROUND_STEPS }),
    (r) => r.mu >= MIN_MU && r.support.length >= 2,
    `support-subspace rate mu < ${MIN_MU.toFixed(3)} or fewer than 2 support rows`,
  );
}

/** Window [k0, 2 k0, ..., 32 k0] with k0 = max(minStart, the power of two >= BURN_IN^(1/mu) / (eta R^2 L)). */
export function directionWindow(r: SeparableRun, minStart = DIRECTION_MIN_START): number[] {
  const need = BURN_IN ** (1 / Math.max(r.mu, MIN_MU)) / (r.etaFraction * r.L);
  return checkpoints(Math.max(minStart, 2 ** Math.ceil(Math.log2(need))), 5);
}

/**
 * Rounding floor of a direction after T local steps: each step perturbs w by at most (d + 2) eps of the largest norm
 * in the window (norms grow, by less than 4x over it), a direction moves by at most twice the relative perturbation,
 * and evaluating ang adds (d + 4) eps.
 */
export function directionFloor(T: number, d: number): number {
  return 8 * T * (d + 2) * EPS + 2 * (d + 4) * EPS;
}

const referenceAngleCache = new WeakMap<SeparableRun, number>();

/**
 * Non-vacuity of the direction claims, decided on the instance with the REFERENCE Local-GD (src/optimizers, not the
 * subject): its direction error at the start of the window is above the rounding floor. It is not when the iterates
 * never leave the max-margin ray (one support vector, or support rows symmetric under the dynamics).
 */
export function directionExercised(r: SeparableRun): true | string {
  let a = referenceAngleCache.get(r);
  if (a === undefined) {
    const W = directionWindow(r);
    const tr = localGD.run(r.dataset, { loss: r.loss, eta: r.eta, L: r.L, R: W[0], record: 'last' });
    a = angle(tr.models[tr.models.length - 1], r.wHat);
    referenceAngleCache.set(r, a);
  }
  const W = directionWindow(r);
  const floor = directionFloor(r.L * W[W.length - 1], r.dataset.d);
  return a > 2 * floor || `the reference Local-GD starts the window on the max-margin ray (ang ${a.toExponential(2)} <= 2 x rounding floor ${floor.toExponential(2)}; ${r.support.length} support rows)`;
}

// ---------------------------------------------------------------------------------------------------------------
// Non-vacuity over a window (Z-C2-angle, Z-C2-margin, Z-C3-loss), decided on the REFERENCE Local-GD

/**
 * Norm growth the reference must show over a 32x window [k0, 32 k0]. Soudry's ||w^k|| = ||wHat|| log t + O(1)
 * (t = eta R^2 L k) grows by log(32 t0) / log t0 = 1 + log 32 / log t0 >= 3/2 for t0 <= 1024, the largest window start
 * of either class (direction class t0 in [128, 1024], generic window t0 = 32 eta R^2 L in [16, 256]). A finite limit
 * (no separability, a frozen model) grows by ~1.
 */
export const WINDOW_NORM_GROWTH = 3 / 2;

/** An error of the claim (angle to wHat, margin gap, loss), its rounding resolution, and the shrink it must show. */
export interface WindowError {
  readonly name: string;
  of(w: Vec): number;
  /** absolute rounding resolution of a value e of the error */
  resolution(e: number): number;
  /** the reference's error must end at most this fraction of its start value (resolution folded in) */
  readonly shrink: number;
}

const referenceWindowCache = new WeakMap<SeparableRun, Map<string, Vec[]>>();

/** The REFERENCE Local-GD (src/optimizers, never the subject) at the window's rounds, cached per instance and window. */
export function referenceWindowModels(r: SeparableRun, W: readonly number[]): Vec[] {
  let byWindow = referenceWindowCache.get(r);
  if (!byWindow) referenceWindowCache.set(r, (byWindow = new Map()));
  const key = W.join(',');
  let ws = byWindow.get(key);
  if (!ws) {
    const tr = localGD.run(r.dataset, { loss: r.loss, eta: r.eta, L: r.L, R: W[W.length - 1], record: W });
    ws = pick(tr.rounds, tr.models, W, 'reference localGD');
    byWindow.set(key, ws);
  }
  return ws;
}

/**
 * The window exercises the claim (a window that shows neither growing norms nor a shrinking error exercises nothing): on the
 * reference run, ||w^{end}|| >= WINDOW_NORM_GROWTH ||w^{k0}||, the start error is above twice its resolution, and
 * error(end) + res <= shrink (error(k0) - res). Otherwise a reason naming the values.
 */
export function windowExercised(r: SeparableRun, W: readonly number[], e: WindowError): true | string {
  const ws = referenceWindowModels(r, W);
  const [w0, w1] = [ws[0], ws[ws.length - 1]];
  const growth = norm(w1) / norm(w0);
  if (!(growth >= WINDOW_NORM_GROWTH)) {
    return `the reference norms grow by ${growth.toFixed(3)} < ${WINDOW_NORM_GROWTH} over rounds ${W[0]}..${W[W.length - 1]}`;
  }
  const e0 = e.of(w0);
  const e1 = e.of(w1);
  const res = e.resolution(Math.max(Math.abs(e0), Math.abs(e1)));
  if (!(e0 > 2 * res)) return `the reference ${e.name} starts the window at ${e0.toExponential(2)} <= 2 x resolution ${res.toExponential(2)} (nothing to shrink)`;
  if (!(e1 + res <= e.shrink * (e0 - res))) {
    return `the reference ${e.name} does not shrink by ${e.shrink} over rounds ${W[0]}..${W[W.length - 1]} (${e0.toExponential(3)} -> ${e1.toExponential(3)})`;
  }
  return true;
}

export const allSupport: Hypothesis<SeparableRun> = {
  name: 'every row is a support vector with a positive dual (no non-support transient), at least two of them',
  check: (r) => (r.gap === Infinity && r.alpha.every((a) => a > 0) && r.support.length >= 2)
    || `non-support gap ${r.gap}, duals [${r.alpha.join(', ')}]`,
};

export const roundStep: Hypothesis<SeparableRun> = {
  name: 'eta L R^2 <= 2 (the v2 condition eta = O(1/L), constant 2)',
  // why: eta = f / (L R^2) is rounded once, eta L R^2 twice more
  check: (r) => r.eta * r.L * r.radius ** 2 <= 2 * (1 + 4 * EPS) || `eta L R^2 = ${r.eta * r.L * r.radius ** 2}`,
};

export const fastRegime: Hypothesis<SeparableRun> = {
  name: `support-subspace rate mu = lambda_min(D^1/2 G_S D^1/2) >= ${MIN_MU.toFixed(3)}`,
  check: (r) => r.mu >= MIN_MU || `mu = ${r.mu}`,
};

// ---------------------------------------------------------------------------------------------------------------
// Hypotheses (re-checked on every instance by the runner)

export const separable: Hypothesis<SeparableRun> = {
  name: 'separable through the origin (certified wHat: every margin z_i^T wHat >= 1)',
  check: (r) => {
    // why: wHat is the certified decimal solution rounded to f64; a margin computed in f64 is off by <= (d + 2) eps R ||wHat||
    const slack = (r.dataset.d + 2) * EPS * r.radius * norm(r.wHat);
    for (let i = 0; i < r.Z.rows; i++) {
      const m = rowDot(r.Z, i, r.wHat, 0);
      if (!(m >= 1 - slack)) return `row ${i}: margin ${m} < 1 under the certified wHat`;
    }
    return true;
  },
};

export const unregularised: Hypothesis<SeparableRun> = {
  name: 'exponential-tailed loss without L2 term (exponential or logistic, l2 = 0)',
  check: (r) => ((r.loss.name === 'exponential' || r.loss.name === 'logistic') && (r.loss.l2 ?? 0) === 0)
    || `loss ${JSON.stringify(r.loss)}`,
};

export const descentStep: Hypothesis<SeparableRun> = {
  name: 'eta R^2 <= 1 (every local step is a descent step; the v2 small-step condition)',
  // why: eta = f / R^2 is rounded once and eta R^2 once more, so f <= 1 gives eta R^2 <= 1 + 2 eps
  check: (r) => r.eta * r.radius ** 2 <= 1 + 2 * EPS || `eta R^2 = ${r.eta * r.radius ** 2} > 1`,
};

/** Geometric checkpoints k0, 2 k0, ..., 2^m k0. */
export function checkpoints(k0: number, m: number): number[] {
  return Array.from({ length: m + 1 }, (_, j) => k0 * 2 ** j);
}

/**
 * Rounding floor of a trajectory of T local steps: each step w <- w - eta g rounds every entry once and g carries the
 * rounding of a mean of d-term dots, so one step perturbs w by at most (d + 2) eps times the scale of w plus the
 * step; the maps are non-expansive (descent steps on a convex loss), so T steps add at most T such perturbations.
 */
export function trajectoryFloor(T: number, d: number, scale: number): number {
  return T * (d + 2) * EPS * scale;
}

/** Bound on ||w|| after T local steps from w0: each step moves by eta ||grad f_k|| <= eta R f_k <= eta R. */
export function normBound(r: SeparableRun, T: number, w0Norm = 0): number {
  return w0Norm + r.eta * r.radius * T;
}

// ---------------------------------------------------------------------------------------------------------------
// Tracking (Z-C1, Z-S1)

/** bounded offset: at most this factor above its value at the start of the window */
export const GROWTH = 1.5;
/** offsets below EPSILON_REL times the distance the iterates travel over the window count as settled */
export const EPSILON_REL = 1 / 64;

/**
 * [max_j D_j / max(D_0, eps Delta), max over the last three steps of D_{j+1} / max(D_j, eps Delta)] for offsets D_j
 * at the window's checkpoints, with each D known to +-delta (added to numerators, taken off denominators) and
 * Delta = how far the reference iterates travel outward over the window (||w_end|| - ||w_start||).
 */
export function trackingRatios(D: readonly number[], Delta: number, delta: number): number[] {
  const floorDelta = EPSILON_REL * Delta;
  const den = (x: number) => Math.max(x - delta, floorDelta);
  const bounded = (Math.max(...D) + delta) / den(D[0]);
  let settles = 0;
  for (let j = D.length - 3; j < D.length; j++) settles = Math.max(settles, (D[j] + delta) / den(D[j - 1]));
  return [bounded, settles];
}

// ---------------------------------------------------------------------------------------------------------------
// Runs of the subject

/** The subject's Local-GD (weights n_k/N, w0 = 0 unless given) recorded at the given rounds. */
export function localGDModels(subject: Subject, r: SeparableRun, rounds: readonly number[], w0?: Vec): Vec[] {
  const run = capability<RunFn<LocalGDHyper>>(subject, 'localGD');
  const tr = run(r.dataset, { loss: r.loss, eta: r.eta, L: r.L, R: rounds[rounds.length - 1], record: rounds, ...(w0 ? { w0 } : {}) });
  return pick(tr.rounds, tr.models, rounds, 'localGD');
}

/** The subject's centralized GD on the pooled mean loss, step eta, recorded after the given numbers of steps. */
export function centralizedGDModels(subject: Subject, r: SeparableRun, steps: readonly number[]): Vec[] {
  const run = capability<RunFn<CentralizedGDHyper>>(subject, 'centralizedGD');
  const tr = run(r.dataset, { loss: r.loss, eta: r.eta, T: steps[steps.length - 1], record: steps });
  return pick(tr.rounds, tr.models, steps, 'centralizedGD');
}

/** The models at `want` from a trace (throws, naming the capability, when the trace lacks one). */
export function pick(rounds: readonly number[], models: readonly Vec[], want: readonly number[], who: string): Vec[] {
  return want.map((k) => {
    const i = rounds.indexOf(k);
    if (i < 0) throw new Error(`${who}: the trace has no record of round ${k} (recorded: ${rounds.slice(0, 8).join(', ')}${rounds.length > 8 ? ', ...' : ''})`);
    return models[i];
  });
}
