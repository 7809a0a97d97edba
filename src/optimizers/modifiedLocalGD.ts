/**
 * Modified Local-GD (Zhu, Vardhan, Mazumdar, arXiv 2412.07971, Section 4). THE PAPER'S RULE IS UNKNOWN: its text
 * was not available (docs/theory.md#15-modified-local-gd, docs/theory.md#7-what-was-not-available). What is known [READ-2]: each node solves a regularised (proximal) local
 * problem exactly, the server aggregates in a "modified/refined" way, the result converges in direction to the
 * max-margin w_hat, and its learning rate does not depend on L. None of the three variants below is claimed to be
 * the paper's rule; all are OUR CONSTRUCTIONS, with proofs in proofs-notes/modified-local-gd.md.
 *
 *   variant 'avg'         (M-avg, docs/theory.md#15-modified-local-gd; our construction, the idealised "plain" version)
 *       w^{k+1} = sum_m alpha_m P_m(w^k),   P_m(w) = argmin_u ||u - w|| s.t. Z_m u >= 1
 *     exact local solves in the weak-regularisation limit (Evron et al. 2023: max-margin projections), plain
 *     averaging. Converges to SOME point of the intersection of the C_m = {u : Z_m u >= 1} (Fejer monotone w.r.t.
 *     every point of it), generally not w_hat.
 *
 *   variant 'anchor'      (M-anchor, docs/theory.md#15-modified-local-gd; our construction)
 *       w^{k+1} = sum_m alpha_m P_m((1 - a_k) w^k),   a_k = 1/(k + 2)
 *     a Halpern (anchored) iteration with anchor 0 on y_k = (1 - a_k) w^k; converges to the projection of 0 onto
 *     the intersection, which is exactly w_hat (Wittmann 1992), from any w^0.
 *
 *   variant 'normalized'  (our construction, FedNova-style normalisation)
 *       w_{m,0} = w^k,  w_{m,l+1} = w_{m,l} - eta grad f_m(w_{m,l}),  l < L_m
 *       w^{k+1} = w^k + sum_m alpha_m (etaG / (eta L_m)) (w_{m,L_m} - w^k) = w^k - etaG sum_m alpha_m gbar_m
 *     gbar_m is the mean of the L_m local gradients, so the server step is a gradient-like step of size etaG whose
 *     length does not grow with L (for convex beta-smooth f_m and eta <= 2/beta, ||gbar_m|| <= ||grad f_m(w^k)||).
 *     etaG = eta L recovers plain Local-GD.
 *
 * Symbols: R rounds; alpha aggregation weights (docs/theory.md#0-notation-and-conventions); Z_m signed rows y_i x_i of node m; eta local step,
 * L local steps, etaG server step, participants m ('normalized' only). Partial participation: 'normalized' runs
 * the Local-GD round (parts/federated.ts), so with participants = m the sum runs over the seeded subset S_k and
 * alpha_m becomes beta_m = alpha_m / sum_{j in S_k} alpha_j (parts/aggregate.ts); 'avg' and 'anchor' have no
 * partial-participation rule and throw if participants is given (they used to ignore it silently). Hypothesis of 'avg' and 'anchor': the pooled data are
 * linearly separable through the origin (otherwise the intersection is empty). Projections default to the
 * certified src/precise maxMarginProjection; `project` may replace it (e.g. a faster f64 solver in a property).
 * Exact local solves take no gradient steps, so localSteps stays 0 for 'avg' and 'anchor'.
 */
import type { Mat, Vec } from '../numeric/types.ts';
import { datasetLoss, isMarginLoss } from '../problems/losses.ts';
import type { LossSpec } from '../problems/losses.ts';
import type { FederatedDataset } from '../problems/types.ts';
import { maxMarginProjection } from '../precise/index.ts';
import { runFold } from './fold.ts';
import { checkFiniteModel, checkSeed, initialModel, intAtLeast, positiveFinite, rethrowAt, show } from './parts/check.ts';
import { federatedContext, federatedInit, federatedObjective, federatedStep } from './parts/federated.ts';
import type { FederatedState } from './parts/federated.ts';
import { aggregationWeights, eligibleNodes, validateProblem } from './parts/problem.ts';
import type { AlphaSpec } from './parts/problem.ts';
import type { CommonHyper, FoldState, Optimizer } from './types.ts';

export type ModifiedVariant = 'avg' | 'anchor' | 'normalized';

/** Hyperparameters shared by the three variants (each checked at init against the variant that uses it). */
interface ModifiedCommonHyper extends CommonHyper {
  /** rounds R */
  readonly R: number;
  /** aggregation weights (default 'samples' = n_k/N) */
  readonly alpha?: AlphaSpec;
  /** the local loss of 'normalized' and the objective written to the trace (default exponential) */
  readonly loss?: LossSpec;
  /** 'normalized': local step size, local steps, server step */
  readonly eta?: number;
  readonly L?: number | readonly number[];
  readonly etaG?: number;
  /** 'avg' / 'anchor': projector onto {u : Z u >= 1} (default: certified maxMarginProjection(Z, w).u) */
  readonly project?: (Z: Mat, w: Vec) => Vec;
}

/** 'avg' / 'anchor': every node's exact projection enters every round; partial participation is not defined. */
export interface ModifiedProjectionHyper extends ModifiedCommonHyper {
  readonly variant: 'avg' | 'anchor';
  /** not supported: init throws if it is given (it was silently ignored before) */
  readonly participants?: undefined;
}

/** 'normalized': the federated round of Local-GD, so partial participation works as there (parts/aggregate.ts). */
export interface ModifiedNormalizedHyper extends ModifiedCommonHyper {
  readonly variant: 'normalized';
  /** partial participation: m nodes per round, a seeded subset of the positive-weight nodes, weights renormalised */
  readonly participants?: number;
}

export type ModifiedLocalGDHyper = ModifiedProjectionHyper | ModifiedNormalizedHyper;

/** The anchoring coefficient of round k (0-based) of variant 'anchor'. */
export function anchorCoefficient(k: number): number {
  return 1 / (k + 2);
}

interface ProjectionContext {
  readonly fn: string;
  readonly variant: 'avg' | 'anchor';
  readonly problem: FederatedDataset;
  readonly loss: LossSpec;
  readonly alpha: Float64Array;
  readonly eligible: readonly number[];
  /** signed rows per node (empty for nodes with alpha = 0) */
  readonly Z: readonly Mat[];
  readonly R: number;
  readonly project: (Z: Mat, w: Vec) => Vec;
}

export interface ProjectionState extends FoldState {
  readonly variant: 'avg' | 'anchor';
  readonly ctx: ProjectionContext;
}

export type ModifiedState = ProjectionState | (FederatedState & { readonly variant: 'normalized' });

const FN = 'modifiedLocalGD';
const DEFAULT_LOSS: LossSpec = Object.freeze({ name: 'exponential' });

function signed(X: Mat, y: Vec): Mat {
  const data = new Float64Array(X.data.length);
  for (let i = 0; i < X.rows; i++) for (let j = 0; j < X.cols; j++) data[i * X.cols + j] = y[i] * X.data[i * X.cols + j];
  return { rows: X.rows, cols: X.cols, data };
}

function initProjection(problem: FederatedDataset, h: ModifiedProjectionHyper, variant: 'avg' | 'anchor'): ProjectionState {
  for (const key of ['eta', 'L', 'etaG'] as const) {
    if (h[key] !== undefined) throw new Error(`${FN}: ${key} is used only by variant 'normalized' (variant '${variant}' solves the local problems exactly), got ${show(h[key])}`);
  }
  const m: unknown = (h as { participants?: unknown }).participants;
  if (m !== undefined) {
    throw new Error(`${FN}: participants is supported only by variant 'normalized' (variant '${variant}' aggregates the exact projections of every node with a positive weight in every round), got ${show(m)}`);
  }
  const loss = h.loss ?? DEFAULT_LOSS;
  validateProblem(FN, problem, isMarginLoss(loss.name) ? loss : { name: 'exponential' }); // labels must be -1/+1
  const alpha = aggregationWeights(FN, problem, h.alpha ?? 'samples');
  const eligible = eligibleNodes(alpha);
  const R = intAtLeast(FN, 'R', h.R, 0);
  checkSeed(FN, h.seed);
  if (h.project !== undefined && typeof h.project !== 'function') throw new Error(`${FN}: project must be a function (Z, w) => u, got ${show(h.project)}`);
  const Z = problem.nodes.map((nd, k) => (alpha[k] > 0 ? signed(nd.X, nd.y) : { rows: 0, cols: problem.d, data: new Float64Array(0) }));
  const project = h.project ?? ((Zm: Mat, w: Vec) => maxMarginProjection(Zm, w).u);
  const ctx: ProjectionContext = Object.freeze({ fn: FN, variant, problem, loss, alpha, eligible: Object.freeze(eligible), Z: Object.freeze(Z), R, project });
  return Object.freeze({ round: 0, w: initialModel(FN, problem.d, h.w0), communications: 0, localSteps: 0, done: R === 0, variant, ctx });
}

function stepProjection(s: ProjectionState): ProjectionState {
  const { ctx } = s;
  if (s.done) throw new Error(`${FN}.step: the run is finished (round ${s.round} of R = ${ctx.R})`);
  const k = s.round;
  const d = s.w.length;
  let y = s.w;
  if (ctx.variant === 'anchor') {
    const c = 1 - anchorCoefficient(k);
    y = new Float64Array(d);
    for (let j = 0; j < d; j++) y[j] = c * s.w[j];
  }
  const next = new Float64Array(d);
  ctx.eligible.forEach((m, i) => {
    let u: Vec;
    try {
      u = ctx.project(ctx.Z[m], y);
    } catch (e) {
      rethrowAt(FN, `round ${k}, node ${m}`, e);
    }
    if (u.length !== d) throw new Error(`${FN}: round ${k}, node ${m}: the projection returned ${u.length} entries, expected d = ${d}`);
    const a = ctx.alpha[m];
    if (i === 0) for (let j = 0; j < d; j++) next[j] = a * u[j];
    else for (let j = 0; j < d; j++) next[j] += a * u[j];
  });
  checkFiniteModel(FN, next, k + 1, `variant '${ctx.variant}'`);
  const round = k + 1;
  return Object.freeze({
    round, w: next, communications: s.communications + ctx.eligible.length, localSteps: 0, done: round >= ctx.R, variant: ctx.variant, ctx,
  });
}

/** The federated context of variant 'normalized' (validated); exported so planted bugs build exactly this one. */
export function normalizedContext(problem: FederatedDataset, h: ModifiedLocalGDHyper): ReturnType<typeof federatedContext> {
  if (h.variant !== 'normalized') throw new Error(`${FN}: normalizedContext needs variant 'normalized', got ${show(h.variant)}`);
  if (h.project !== undefined) throw new Error(`${FN}: project is used only by variants 'avg' and 'anchor'`);
  const eta = positiveFinite(FN, 'eta', h.eta);
  const etaG = positiveFinite(FN, 'etaG', h.etaG);
  if (h.L === undefined) throw new Error(`${FN}: variant 'normalized' needs L (local steps), got undefined`);
  return federatedContext(FN, problem, { ...h, loss: h.loss ?? DEFAULT_LOSS, eta, L: h.L!, R: h.R }, { batch: null, noise: 0 }, { kind: 'normalized', etaG, eta });
}

function initNormalized(problem: FederatedDataset, h: ModifiedNormalizedHyper): ModifiedState {
  const s = federatedInit(() => normalizedContext(problem, h));
  return Object.freeze({ ...s, variant: 'normalized' as const });
}

export const modifiedLocalGD: Optimizer<ModifiedLocalGDHyper, ModifiedState> = Object.freeze({
  name: FN,
  init(problem: FederatedDataset, h: ModifiedLocalGDHyper): ModifiedState {
    if (h === null || typeof h !== 'object') throw new Error(`${FN}: hyperparameters must be an object, got ${show(h)}`);
    if (h.variant === 'avg' || h.variant === 'anchor') return initProjection(problem, h, h.variant);
    if (h.variant === 'normalized') return initNormalized(problem, h);
    throw new Error(`${FN}: variant must be 'avg', 'anchor' or 'normalized', got ${show(h.variant)}`);
  },
  step(s: ModifiedState): ModifiedState {
    if (s.variant === 'normalized') return Object.freeze({ ...federatedStep(s), variant: 'normalized' as const });
    return stepProjection(s);
  },
  objective(s: ModifiedState): number {
    if (s.variant === 'normalized') return federatedObjective(s);
    return datasetLoss(s.ctx.problem, s.ctx.loss, s.w, s.ctx.alpha);
  },
  run: (problem: FederatedDataset, hyper: ModifiedLocalGDHyper) => runFold(modifiedLocalGD, problem, hyper),
});
