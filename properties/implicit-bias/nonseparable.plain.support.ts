/**
 * Shared by Z-N1-l1-plain: plain (lambda = 0) logistic regression on non-separable data, the setting of
 * docs/theory.md#16-local-sgd-and-non-separable-data without the ridge of Z-N1-l1. Not a property file.
 *
 * The minimiser w* exists only when no w != 0 has y_i x_i^T w >= 0 for every i and X has full column rank; plOptimum
 * decides that a posteriori (local strong convexity, src/precise/plLogistic.ts) and throws otherwise, so the
 * instances are the draws of nonSeparableClassification where it succeeds (the excluded share is measured in the
 * note). The a-priori bound on ||w^T - w*|| for L = 1 (centralized GD on the pooled F, step eta = 1/beta) is derived in
 * proofs-notes/Z-N1-l1-plain.md and computed here from the instance:
 *   phase 1 (convex, beta-smooth):      F(w^t) - F* <= D^2 / (2 eta t),  D = ||w^0 - w*||, and ||w^t - w*|| non-increasing;
 *   curvature on the ball B(w*, r):     grad^2 F >= mu_r I,  mu_r <= lambda_min(X^T C_r X) / m proved exactly,
 *                                       C_r = diag(e^-(|x_i^T w*| + ||x_i|| r) / 4) (sigma'(a) >= e^-|a| / 4);
 *   entry: F - F* < mu_r r^2 / 8 puts w^t in B(w*, r/2), with ||w^t - w*||^2 <= 2 (F - F*) / mu_r;
 *   phase 2 (inside the ball):          ||w^{t+1} - w*||^2 <= (1 - eta mu_r) ||w^t - w*||^2.
 * r is chosen from D 2^-j (j = 0..40) to minimise the steps needed to reach TARGET_REL * D.
 */
import { filterCounted } from '../../src/spec/rejections.ts';
import fc from 'fast-check';
import { nonSeparableClassification, smoothness } from '../../src/arbitraries/index.ts';
import type { NonSeparabilityWitness, NonSeparableClassificationConstraints } from '../../src/arbitraries/index.ts';
import { EPS, EPS32 } from '../../src/numeric/index.ts';
import { expRel } from '../../src/backends/f32.ts';
import type { Precision } from '../../src/spec/index.ts';
import type { Vec } from '../../src/numeric/index.ts';
import { gramMinEigenLowerBound, plOptimum } from '../../src/precise/index.ts';
import { datasetToJson, pooled } from '../../src/problems/dataset.ts';
import type { LossSpec } from '../../src/problems/losses.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';
import { distance, norm } from './nonseparable.support.ts';
import type { ScreenSpec } from '../../src/backends/webgpu/screen.ts';

/** the run must bring the a-priori bound on ||w^T - w*|| down to this fraction of D = ||w^0 - w*|| */
export const TARGET_REL = 1e-6;
/** instances needing more rounds than this are excluded (the share is measured in the note) */
export const MAX_ROUNDS = 100_000;

export interface PlainSchedule {
  /** radius of the ball around w* on which the curvature bound mu holds */
  readonly r: number;
  /** proved lower bound on the Hessian of F on B(w*, r) */
  readonly mu: number;
  /** end of phase 1: from here on w^t is in B(w*, r/2) */
  readonly T1: number;
  /** rounds run (L = 1: one step each) */
  readonly T: number;
  /** the a-priori bound on ||w^T - w*|| (exact arithmetic) */
  readonly distanceBound: number;
  /** rounding of the whole run: T1 steps that do not expand errors, then a (1 - eta mu)-contraction */
  readonly rounding: number;
}

export interface PlainCase {
  readonly dataset: FederatedDataset;
  readonly loss: LossSpec;
  /** eta = 1 / beta, beta = max_k lambda_max(X_k^T X_k) / (4 n_k) >= the smoothness of the pooled F */
  readonly eta: number;
  /** certified plain minimiser (plOptimum, lambda = 0, 20 digits) rounded to f64, and ||w*(f64) - w*|| bound */
  readonly wStar: Vec;
  readonly wStarError: number;
  readonly schedule: PlainSchedule;
  readonly witness: NonSeparabilityWitness;
}

/**
 * mu(r): a proved lower bound on the Hessian of the pooled mean logistic loss on B(w*, r), w* within wStarError of the
 * f64 wStar. On the ball |x_i^T u| <= a_i = |x_i^T wStar| + ||x_i|| (r + wStarError) (the dot's relative (d + 1) eps
 * rounding added in), sigma'(a) >= e^-a / 4, so grad^2 F >= (1/m) X^T C X with C = diag(e^-a_i / 4), whose smallest
 * eigenvalue is proved exactly (gramMinEigenLowerBound).
 */
export function curvatureOnBalls(X: { rows: number; cols: number; data: Float64Array }, wStar: Vec, wStarError: number): (r: number) => number {
  const m = X.rows;
  const d = X.cols;
  const dots = new Float64Array(m);
  const norms = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    let q = 0;
    let abs = 0;
    for (let j = 0; j < d; j++) {
      const x = X.data[i * d + j];
      s += x * wStar[j];
      abs += Math.abs(x * wStar[j]);
      q += x * x;
    }
    dots[i] = Math.abs(s) + (d + 1) * EPS * abs;
    norms[i] = Math.sqrt(q) * (1 + 2 * EPS);
  }
  const matrix = { rows: m, cols: d, data: X.data };
  return (r) => {
    // Math.exp is within an ulp; the factor (1 - 2^-30) covers it and the division
    const c = Array.from({ length: m }, (_, i) => (Math.exp(-(dots[i] + norms[i] * (r + wStarError))) / 4) * (1 - 2 ** -30));
    return (gramMinEigenLowerBound(matrix, c) / m) * (1 - 2 ** -30);
  };
}

/** The certified plain (lambda = 0) logistic minimiser, rounded to f64, with ||w*(f64) - w*|| bounded; or why none. */
export function plainMinimiser(X: { rows: number; cols: number; data: Float64Array }, y: Vec): { wStar: Vec; wStarError: number } | string {
  let opt: ReturnType<typeof plOptimum>;
  try {
    opt = plOptimum({ kind: 'logistic', X, y, lambda: 0 }, { digits: 20 });
  } catch (e) {
    return `no certified plain minimiser: ${(e as Error).message}`;
  }
  // why: the certificate bounds ||x - x*|| by gradNorm / mu (local strong convexity); x is that decimal rounded to f64
  return { wStar: opt.x, wStarError: Number(opt.certificate.gradNorm) / opt.certificate.mu + EPS * norm(opt.x) };
}

/** max_i ||x_i||: every per-sample logistic gradient is at most this long. */
export function maxRowNorm(X: { rows: number; cols: number; data: Float64Array }): number {
  let R = 0;
  for (let i = 0; i < X.rows; i++) {
    let q = 0;
    for (let j = 0; j < X.cols; j++) q += X.data[i * X.cols + j] ** 2;
    R = Math.max(R, Math.sqrt(q));
  }
  return R * (1 + 2 * EPS);
}

/**
 * The schedule for one instance, or a reason it is excluded. a_i = |x_i^T w~| + ||x_i|| (r + e) bounds |x_i^T u| on
 * B(w*, r) (w~ the f64 w*, e its certified error); the dot carries a relative (d + 1) eps rounding, added in.
 */
export function plainSchedule(
  X: { rows: number; cols: number; data: Float64Array },
  wStar: Vec,
  wStarError: number,
  eta: number,
  perStep: number,
): PlainSchedule | string {
  const ball = curvatureOnBalls(X, wStar, wStarError);
  const D = norm(wStar) + wStarError; // w^0 = 0
  if (!(D > 0)) return 'w* = 0: the run starts at the minimiser';
  let best: PlainSchedule | null = null;
  let bestMu = 0;
  for (let j = 0; j <= 40; j++) {
    const r = D * 2 ** -j;
    const mu = ball(r);
    bestMu = Math.max(bestMu, mu);
    if (!(mu > 0) || !(eta * mu < 1)) continue;
    // entry: F - F* <= D^2/(2 eta T1) < mu r^2 / 8
    const T1 = Math.floor((4 * D * D) / (eta * mu * r * r)) + 1;
    if (!(T1 <= MAX_ROUNDS)) continue;
    const s1 = Math.min(r / 2, D / Math.sqrt(eta * mu * T1));
    const q = 1 - eta * mu;
    const target = TARGET_REL * D;
    const T2 = s1 <= target ? 0 : Math.ceil((2 * Math.log(target / s1)) / Math.log(q));
    const T = T1 + T2;
    if (!(T <= MAX_ROUNDS)) continue;
    // rounding: phase 1 the GD map is non-expansive (convex, eta <= 1/beta), so errors add up; phase 2 it is a
    // (1 - eta mu)-contraction on the ball (Hessian between mu and beta on every segment inside it)
    const rounding = perStep * (T1 + 1 / (eta * mu));
    if (!(rounding <= r / 4)) continue; // the computed iterates must stay inside the ball for phase 2
    const distanceBound = s1 * q ** (T2 / 2);
    if (best === null || T < best.T) best = { r, mu, T1, T, distanceBound, rounding };
  }
  return best ?? `no ball radius brings the bound to ${TARGET_REL} D within ${MAX_ROUNDS} rounds (largest curvature bound ${bestMu.toExponential(2)}, eta ${eta.toExponential(2)})`;
}

/** The case, or a reason the draw is excluded (no certified plain minimiser, or too slow to certify). */
export function makePlainCase(dataset: FederatedDataset, witness: NonSeparabilityWitness): PlainCase | string {
  const { X, y } = pooled(dataset);
  const loss: LossSpec = { name: 'logistic' };
  const min = plainMinimiser(X, y);
  if (typeof min === 'string') return min;
  const { wStar, wStarError } = min;
  const eta = 1 / smoothness(dataset, loss);
  const R = maxRowNorm(X);
  // why: one round (L = 1) computes each node's mean gradient (m rows of d-term dots, |gradient| <= R), steps, and
  // averages K nodes: (d + m + K + 4) eps relative to the iterate scale 2||w*|| + e (phase 1 keeps ||w^t - w*|| <= D)
  // plus the step eta R
  const B = 2 * norm(wStar) + wStarError;
  const perStep = (X.cols + X.rows + dataset.nodes.length + 4) * EPS * (B + eta * R);
  const schedule = plainSchedule(X, wStar, wStarError, eta, perStep);
  if (typeof schedule === 'string') return schedule;
  const value: PlainCase = { dataset, loss, eta, wStar, wStarError, schedule, witness };
  Object.defineProperty(value, fc.toStringMethod, {
    value: () => JSON.stringify({ ...datasetToJson(dataset), eta, T: schedule.T }),
    enumerable: false,
  });
  return value;
}

/**
 * Rounding of the whole run at the subject's precision. f64: the schedule's own (perStep (T1 + 1/(eta mu))). f32 (the
 * WebGPU kernel, src/backends/f32.ts): each op charged EPS32 = 2u (covers fma fused or not), four more for rounding X,
 * y and eta to f32, plus the logistic derivative's own error, (3 + 2|m|) ULP of exp and 8u of the division and sums,
 * |m| <= max ||x_i|| B, times eta max ||x_i||. The (1 - eta mu) contraction is used only when the f32 rounding
 * keeps the iterates inside B(w*, r/4); otherwise every one of the T steps is only non-expansive and the errors add.
 */
export function plainRounding(c: PlainCase, precision: Precision = 'f64'): number {
  if (precision === 'f64') return c.schedule.rounding;
  const { X } = pooled(c.dataset);
  const R = maxRowNorm(X);
  const B = 2 * norm(c.wStar) + c.wStarError;
  const u = EPS32 / 2;
  const perStep = (X.cols + X.rows + c.dataset.nodes.length + 8) * EPS32 * (B + c.eta * R) + c.eta * R * (expRel(R * B, u) + 10 * u);
  const { T1, T, mu, r } = c.schedule;
  const contracted = perStep * (T1 + 1 / (c.eta * mu));
  return contracted <= r / 4 ? contracted : perStep * T;
}

/**
 * The GPU screen of Z-N1-l1-plain (src/backends/webgpu/screen.ts): Local-GD with L = 1 for T rounds on a batch of
 * same-shape cases (run lengths may differ: record 'last'), observed ||w^T - w*|| from the returned model, margin =
 * the f32 rounding of the run plus the f64 one (the screen's header derives why that sum covers both arithmetics).
 */
export const plainScreen: ScreenSpec<PlainCase> = {
  id: 'Z-N1-l1-plain',
  shapeKey: (c) => `${c.dataset.d}|${c.dataset.nodes.map((nd) => nd.X.rows).join(',')}`,
  job: (cs) => ({
    kind: 'localGD',
    problems: cs.map((c) => c.dataset),
    hypers: cs.map((c) => ({ loss: c.loss, eta: c.eta, L: 1, R: c.schedule.T, record: 'last' as const })),
  }),
  observe: (c, trace) => distance(trace.models[trace.models.length - 1], c.wStar),
  bound: (c) => c.schedule.distanceBound + c.wStarError,
  allowed: (c) => plainRounding(c, 'f64'),
  margin: (c) => plainRounding(c, 'f32') + plainRounding(c, 'f64'),
};

/** Non-separable draws with a certified plain minimiser that the bound certifies within MAX_ROUNDS. */
export function plainCases(data: NonSeparableClassificationConstraints = {}): fc.Arbitrary<PlainCase> {
  const made = nonSeparableClassification({ maxNodes: 4, maxDim: 4, minNodes: 1, ...data })
    .map((inst) => makePlainCase(inst.dataset, inst.meta.witness));
  return filterCounted(made, (c) => typeof c !== 'string', 'no certified plain minimiser within the round budget').map((c) => c as PlainCase);
}
