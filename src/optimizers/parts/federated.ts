/**
 * The federated round shared by Local-GD, Local-SGD and Modified Local-GD (c) (docs/theory.md#01-local-gd-round):
 *
 *   S_r = participants of round r (aggregate.ts)
 *   for k in S_r:  w_k = clientSteps(w^r, L_k)            -- every node restarts from the global model
 *   w^{r+1} = serverUpdate({w_k, beta_k})                  -- serverUpdate.ts
 *
 * and the optax-style optimizer built on it: the state is { round, w, communications, localSteps, done,
 * participants, key, ctx }, where ctx holds the validated problem, the hyperparameters and scratch buffers. The
 * scratch is overwritten before it is read in every round, so states stay replayable: step(s) twice gives the same
 * state bit for bit, and no step writes to a previous state's model.
 */
import type { Vec } from '../../numeric/types.ts';
import { datasetLoss } from '../../problems/losses.ts';
import type { LossSpec } from '../../problems/losses.ts';
import type { FederatedDataset } from '../../problems/types.ts';
import { runFold } from '../fold.ts';
import { rngKey } from '../rng.ts';
import type { RngKey } from '../rng.ts';
import type { CommonHyper, FoldState, Optimizer } from '../types.ts';
import { participantWeights, roundParticipants } from './aggregate.ts';
import { checkFiniteModel, checkSeed, initialModel, intAtLeast, positiveFinite, rethrowAt, show } from './check.ts';
import { clientBuffers, clientSteps } from './clientUpdate.ts';
import { checkDraws, givenParticipants, noteParticipants } from './draws.ts';
import type { Draws } from './draws.ts';
import type { ClientBuffers, ClientSpec } from './clientUpdate.ts';
import { aggregationWeights, eligibleNodes, validateProblem } from './problem.ts';
import type { AlphaSpec } from './problem.ts';
import { finishRound, foldNode } from './serverUpdate.ts';
import type { ServerRule } from './serverUpdate.ts';

export interface FederatedContext {
  readonly fn: string;
  readonly problem: FederatedDataset;
  readonly loss: LossSpec;
  readonly alpha: Float64Array;
  readonly eligible: readonly number[];
  /** weights of the eligible nodes under full participation (= their alpha_k) */
  readonly betaAll: Float64Array;
  /** local steps per node */
  readonly L: readonly number[];
  readonly R: number;
  /** nodes per round (undefined: all eligible) */
  readonly m: number | undefined;
  readonly client: ClientSpec;
  readonly server: ServerRule;
  readonly hint: string;
  /** scratch, overwritten every round */
  readonly ws: { readonly local: Vec; readonly acc: Vec; readonly buf: ClientBuffers };
}

export interface FederatedState extends FoldState {
  /** the participants of the round just completed (all eligible nodes at round 0) */
  readonly participants: readonly number[];
  readonly key: RngKey;
  readonly ctx: FederatedContext;
}

/** Hyperparameters shared by the federated algorithms (names as in the papers, docs/theory.md#0-notation-and-conventions). */
export interface FederatedHyper extends CommonHyper {
  readonly loss: LossSpec;
  /** local step size eta > 0 */
  readonly eta: number;
  /** local steps per round: one number for every node, or L_k per node (integers >= 1) */
  readonly L: number | readonly number[];
  /** rounds R (integer >= 0) */
  readonly R: number;
  /** aggregation weights (default 'samples' = n_k/N) */
  readonly alpha?: AlphaSpec;
  /** partial participation: m nodes per round, a seeded uniform subset of the positive-weight nodes */
  readonly participants?: number;
  /** explicit random draws (participants per round, minibatch rows) replacing the seeded ones (./draws.ts) */
  readonly draws?: Draws;
}

/** Validate the shared hyperparameters and build the context. */
export function federatedContext(
  fn: string, problem: FederatedDataset, h: FederatedHyper, client: Omit<ClientSpec, 'key' | 'loss' | 'eta'>, server: ServerRule,
): { ctx: FederatedContext; w0: Vec; key: RngKey } {
  if (h === null || typeof h !== 'object') throw new Error(`${fn}: hyperparameters must be an object, got ${show(h)}`);
  validateProblem(fn, problem, h.loss);
  positiveFinite(fn, 'eta', h.eta);
  const alpha = aggregationWeights(fn, problem, h.alpha ?? 'samples');
  const eligible = eligibleNodes(alpha);
  const K = problem.nodes.length;
  let L: number[];
  if (typeof h.L === 'number') {
    intAtLeast(fn, 'L', h.L, 1);
    L = new Array<number>(K).fill(h.L);
  } else if (Array.isArray(h.L)) {
    if (h.L.length !== K) throw new Error(`${fn}: L has ${h.L.length} entries but the problem has ${K} nodes`);
    L = h.L.map((v, k) => intAtLeast(fn, `L[${k}]`, v, 1));
  } else {
    throw new Error(`${fn}: L must be an integer >= 1 or an array of ${K} of them, got ${show(h.L)}`);
  }
  const R = intAtLeast(fn, 'R', h.R, 0);
  let m: number | undefined;
  if (h.participants !== undefined) {
    m = intAtLeast(fn, 'participants', h.participants, 1);
    if (m > eligible.length) {
      throw new Error(`${fn}: participants = ${m} exceeds the ${eligible.length} nodes with a positive weight`);
    }
  }
  const seed = checkSeed(fn, h.seed);
  const key = rngKey(seed);
  const w0 = initialModel(fn, problem.d, h.w0);
  const d = problem.d;
  const ctx: FederatedContext = Object.freeze({
    fn, problem, loss: h.loss, alpha, eligible: Object.freeze(eligible), betaAll: participantWeights(alpha, eligible, true), L: Object.freeze(L), R, m,
    client: Object.freeze({ ...client, key, loss: h.loss, eta: h.eta, draws: checkDraws(fn, h.draws) }),
    server,
    hint: `eta = ${h.eta}`,
    ws: Object.freeze({ local: new Float64Array(d), acc: new Float64Array(d), buf: clientBuffers(d, client.batch) }),
  });
  return { ctx, w0, key };
}

/** One round from w (round index r = the number of completed rounds). */
export function federatedRound(ctx: FederatedContext, w: Vec, r: number): { w: Vec; participants: readonly number[]; maxL: number } {
  const given = ctx.client.draws?.participants !== undefined && ctx.m !== undefined && ctx.m < ctx.eligible.length;
  const participants = given ? givenParticipants(ctx.client.draws!, r, ctx.eligible, ctx.m!) : roundParticipants(ctx.client.key, r, ctx.eligible, ctx.m);
  if (participants !== ctx.eligible) noteParticipants(r, participants);
  const beta = participants === ctx.eligible ? ctx.betaAll : participantWeights(ctx.alpha, participants, false);
  const { local, acc, buf } = ctx.ws;
  let maxL = 0;
  for (let i = 0; i < participants.length; i++) {
    const k = participants[i];
    const Lk = ctx.L[k];
    const node = ctx.problem.nodes[k];
    try {
      clientSteps(ctx.client, node.X, node.y, w, Lk, k, r * Lk, local, buf);
    } catch (e) {
      rethrowAt(ctx.fn, `round ${r}, node ${k}`, e);
    }
    foldNode(ctx.server, acc, local, w, beta[i], Lk, i === 0);
    if (Lk > maxL) maxL = Lk;
  }
  const next = finishRound(ctx.server, acc, w);
  checkFiniteModel(ctx.fn, next, r + 1, ctx.hint);
  return { w: next, participants, maxL };
}

/** init for a federated algorithm from its context builder. */
export function federatedInit(build: () => { ctx: FederatedContext; w0: Vec; key: RngKey }): FederatedState {
  const { ctx, w0, key } = build();
  return Object.freeze({
    round: 0, w: w0, communications: 0, localSteps: 0, done: ctx.R === 0, participants: ctx.eligible, key, ctx,
  });
}

export function federatedStep(s: FederatedState): FederatedState {
  const { ctx } = s;
  if (s.done) throw new Error(`${ctx.fn}.step: the run is finished (round ${s.round} of R = ${ctx.R})`);
  const { w, participants, maxL } = federatedRound(ctx, s.w, s.round);
  const round = s.round + 1;
  return Object.freeze({
    round, w, participants, key: s.key, ctx,
    communications: s.communications + participants.length,
    localSteps: s.localSteps + maxL,
    done: round >= ctx.R,
  });
}

/** F(w) = sum_k alpha_k f_k(w) with the run's weights. */
export function federatedObjective(s: FederatedState): number {
  return datasetLoss(s.ctx.problem, s.ctx.loss, s.w, s.ctx.alpha);
}

const NO_INFO: Record<string, unknown> = Object.freeze({});

/** An Optimizer whose init builds a FederatedContext; step, objective and run are shared. */
export function federatedOptimizer<H extends FederatedHyper>(
  name: string, build: (problem: FederatedDataset, hyper: H) => { ctx: FederatedContext; w0: Vec; key: RngKey },
): Optimizer<H, FederatedState> {
  const opt: Optimizer<H, FederatedState> = {
    name,
    init: (problem, hyper) => federatedInit(() => build(problem, hyper)),
    step: federatedStep,
    objective: federatedObjective,
    roundInfo: (s) => (s.ctx.m === undefined ? NO_INFO : { participants: s.participants }),
    run: (problem, hyper) => runFold(opt, problem, hyper),
  };
  return Object.freeze(opt);
}
