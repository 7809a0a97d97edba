/**
 * The engine shared by LUPA-SGD and ADA-LUPA-SGD (docs/theory.md#22-algorithm-lupa-sgd; Haddadpour et al., NeurIPS 2019, Algorithm 1 as
 * on the official poster): p workers start each round from the average xbar, take tau_i local minibatch SGD steps
 *
 *   x_j^{(t+1)} = x_j^{(t)} - eta_t g~_j(x_j^{(t)}),   t = t_i, ..., t_i + tau_i - 1   (t counts iterations per worker)
 *
 * and the round ends with the average xbar = (1/p) sum_j x_j (uniform weights, as in the paper). A round is one
 * state step, so Trace.rounds counts averagings and Trace.localSteps is t. The last round is truncated so that the
 * total is exactly T, and its average is the output average xbar^{(T)} of the algorithm box.
 *
 * Sampling: 'iid' (default) — every worker draws B rows uniformly with replacement from the POOLED data (the paper's
 * unbiased-gradient setting, docs/theory.md#21-setting-and-assumptions); 'shards' — worker j is pinned to node j (p = number of nodes; the
 * non-IID counterexample of docs/theory.md#26-how-tau-enters). B = 'full' uses the worker's whole data (deterministic gradients). Optional
 * additive Gaussian noise sigma xi (docs/theory.md#26-how-tau-enters identity L-2). Draws are keyed by (worker j, iteration t), so the
 * samples do not depend on tau: with p = 1, LUPA-SGD is centralized SGD bit for bit for every tau.
 * The objective in the trace is the pooled mean loss F (alpha_k = n_k/N) for both samplings.
 */
import type { Mat, Vec } from '../../numeric/types.ts';
import { datasetLoss } from '../../problems/losses.ts';
import type { LossSpec } from '../../problems/losses.ts';
import { pooled } from '../../problems/dataset.ts';
import type { FederatedDataset } from '../../problems/types.ts';
import { rngKey } from '../rng.ts';
import type { CommonHyper, FoldState } from '../types.ts';
import { checkFiniteModel, checkSeed, checkStepSize, initialModel, intAtLeast, rethrowAt, show } from './check.ts';
import type { StepSize } from './check.ts';
import { clientBuffers, clientSteps } from './clientUpdate.ts';
import { checkDraws } from './draws.ts';
import type { ClientBuffers, ClientSpec } from './clientUpdate.ts';
import { validateProblem } from './problem.ts';

export type Sampling = 'iid' | 'shards';

export interface LupaCommonHyper extends CommonHyper {
  readonly loss: LossSpec;
  /** workers p (default: the number of nodes); with 'shards' p must equal the number of nodes */
  readonly p?: number;
  /** minibatch size B per worker and step, or 'full' for the worker's whole data */
  readonly B: number | 'full';
  /** local iterations per worker T (integer >= 0) */
  readonly T: number;
  /** step size: constant eta, or eta_t = a / (mu (t + b)) (docs/theory.md#23-main-result) */
  readonly eta: StepSize;
  /** 'iid' (default) or 'shards' */
  readonly sampling?: Sampling;
  /** standard deviation of additive Gaussian gradient noise (default 0) */
  readonly noise?: number;
}

export interface LupaContext {
  readonly fn: string;
  readonly problem: FederatedDataset;
  readonly p: number;
  readonly T: number;
  /** worker j's data */
  readonly data: readonly { readonly X: Mat; readonly y: Vec }[];
  readonly client: ClientSpec;
  readonly ws: { readonly local: Vec; readonly acc: Vec; readonly buf: ClientBuffers };
}

export interface LupaState extends FoldState {
  /** iterations done per worker (= localSteps) */
  readonly t: number;
  /** tau of the round just completed (0 at init) */
  readonly lastTau: number;
}

export function lupaContext(fn: string, problem: FederatedDataset, h: LupaCommonHyper): { ctx: LupaContext; w0: Vec } {
  if (h === null || typeof h !== 'object') throw new Error(`${fn}: hyperparameters must be an object, got ${show(h)}`);
  validateProblem(fn, problem, h.loss);
  const eta = checkStepSize(fn, h.eta);
  const T = intAtLeast(fn, 'T', h.T, 0);
  const sampling = h.sampling ?? 'iid';
  if (sampling !== 'iid' && sampling !== 'shards') throw new Error(`${fn}: sampling must be 'iid' or 'shards', got ${show(sampling)}`);
  const K = problem.nodes.length;
  const p = h.p === undefined ? K : intAtLeast(fn, 'p', h.p, 1);
  const batch = h.B === 'full' ? null : intAtLeast(fn, 'B', h.B, 1);
  const noise = h.noise ?? 0;
  if (typeof noise !== 'number' || !(noise >= 0) || !Number.isFinite(noise)) throw new Error(`${fn}: noise must be finite and >= 0, got ${show(noise)}`);
  let data: { X: Mat; y: Vec }[];
  if (sampling === 'shards') {
    if (p !== K) throw new Error(`${fn}: sampling 'shards' pins worker j to node j, so p must equal the ${K} nodes, got p = ${p}`);
    problem.nodes.forEach((nd, k) => {
      if (nd.X.rows === 0) throw new Error(`${fn}: sampling 'shards': node ${k} has 0 rows, so worker ${k} has nothing to sample`);
    });
    data = problem.nodes.map((nd) => ({ X: nd.X, y: nd.y }));
  } else {
    const P = pooled(problem);
    if (P.X.rows === 0) throw new Error(`${fn}: every node (${K}) has 0 rows; there is nothing to sample`);
    data = new Array(p).fill({ X: P.X, y: P.y });
  }
  const key = rngKey(checkSeed(fn, h.seed));
  const d = problem.d;
  const ctx: LupaContext = Object.freeze({
    fn, problem, p, T, data: Object.freeze(data),
    client: Object.freeze({ loss: h.loss, eta, batch, noise, key, draws: checkDraws(fn, (h as { draws?: unknown }).draws) }),
    ws: Object.freeze({ local: new Float64Array(d), acc: new Float64Array(d), buf: clientBuffers(d, batch) }),
  });
  return { ctx, w0: initialModel(fn, d, h.w0) };
}

/**
 * Worker j's tau local steps from `start` (iterations t .. t + tau - 1), written into ctx.ws.local. The reference is
 * clientSteps on the worker's data with random stream j; planted bugs (src/gate/mutants) swap this part only.
 */
export type WorkerSteps = (ctx: LupaContext, j: number, start: Vec, t: number, tau: number) => void;

export const referenceWorkerSteps: WorkerSteps = (ctx, j, start, t, tau) => {
  clientSteps(ctx.client, ctx.data[j].X, ctx.data[j].y, start, tau, j, t, ctx.ws.local, ctx.ws.buf);
};

/** One round with the workers' local steps given by `steps`: every worker from xbar, then the average. */
export function lupaRoundWith(steps: WorkerSteps): (ctx: LupaContext, xbar: Vec, t: number, tau: number, round: number) => Vec {
  return (ctx, xbar, t, tau, round) => {
    const { local, acc } = ctx.ws;
    const d = xbar.length;
    for (let j = 0; j < ctx.p; j++) {
      try {
        steps(ctx, j, xbar, t, tau);
      } catch (e) {
        rethrowAt(ctx.fn, `round ${round} (iterations ${t}..${t + tau - 1}), worker ${j}`, e);
      }
      if (j === 0) acc.set(local);
      else for (let i = 0; i < d; i++) acc[i] += local[i];
    }
    const next = new Float64Array(d);
    for (let i = 0; i < d; i++) next[i] = acc[i] / ctx.p;
    checkFiniteModel(ctx.fn, next, round + 1, `eta = ${show(ctx.client.eta)}`);
    return next;
  };
}

/** One round: tau local steps on every worker from xbar (iterations t .. t + tau - 1), then the average. */
export const lupaRound = lupaRoundWith(referenceWorkerSteps);

/** The pooled mean loss F at w. */
export function lupaObjective(ctx: LupaContext, w: Vec): number {
  return datasetLoss(ctx.problem, ctx.client.loss, w);
}
