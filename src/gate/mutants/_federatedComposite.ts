/**
 * Not a mutant: the shared builder of faulty federated composites (Local-GD and Local-SGD). It is the round of
 * src/optimizers/parts/federated.ts assembled from the same parts (federatedContext, roundParticipants,
 * participantWeights, clientSteps, foldNode, finishRound, checkFiniteModel, runFold), with hooks where ONE part can be
 * swapped by a mutant file:
 *
 *   start     the model node k starts its local run from             (reference: the global model w^r)
 *   steps     the client update                                      (reference: clientSteps)
 *   accInit   the aggregation accumulator's starting value           (reference: the first participant's term)
 *   skipSolo  with one participant, return w^r without local steps   (reference: false)
 *   weights   the participants' aggregation weights beta_k           (reference: alpha renormalised over S_r)
 *   fold      how node k's local model enters the accumulator        (reference: foldNode)
 *
 * A hook left out is the reference part, so a composite with no hooks runs the reference round bit for bit (tested in
 * test/gate/mutants/federatedComposite.test.ts). `memory` carries per-node local models between rounds
 * for the `start` hook (planted bug docs/planted-bugs.md#m10-no-restart); the reference keeps none.
 */
import type { Vec } from '../../numeric/types.ts';
import { runFold } from '../../optimizers/fold.ts';
import { participantWeights, roundParticipants } from '../../optimizers/parts/aggregate.ts';
import { checkFiniteModel, intAtLeast, rethrowAt } from '../../optimizers/parts/check.ts';
import { clientSteps } from '../../optimizers/parts/clientUpdate.ts';
import { federatedContext, federatedObjective } from '../../optimizers/parts/federated.ts';
import type { FederatedContext, FederatedHyper, FederatedState } from '../../optimizers/parts/federated.ts';
import { finishRound, foldNode } from '../../optimizers/parts/serverUpdate.ts';
import type { RngKey } from '../../optimizers/rng.ts';
import type { CommonHyper, Optimizer, RunFn } from '../../optimizers/types.ts';
import type { FederatedDataset } from '../../problems/types.ts';

/** Per-node local models kept between rounds (index = node); undefined where a node has not run yet. */
export type NodeMemory = readonly (Vec | undefined)[];

export interface RoundHooks {
  readonly start?: (k: number, w: Vec, memory: NodeMemory) => Vec;
  readonly steps?: typeof clientSteps;
  readonly accInit?: 'first-term' | 'previous-model';
  readonly skipSolo?: boolean;
  readonly weights?: (ctx: FederatedContext, participants: readonly number[]) => ArrayLike<number>;
  readonly fold?: typeof foldNode;
}

interface CompositeState extends FederatedState {
  readonly memory: NodeMemory;
}

function round(ctx: FederatedContext, hooks: RoundHooks, w: Vec, r: number, memory: NodeMemory): { w: Vec; participants: readonly number[]; maxL: number; memory: NodeMemory } {
  const participants = roundParticipants(ctx.client.key, r, ctx.eligible, ctx.m);
  if (hooks.skipSolo && participants.length === 1) return { w: Float64Array.from(w), participants, maxL: ctx.L[participants[0]], memory };
  const beta = hooks.weights ? hooks.weights(ctx, participants) : participants === ctx.eligible ? ctx.betaAll : participantWeights(ctx.alpha, participants, false);
  const { local, acc, buf } = ctx.ws;
  const steps = hooks.steps ?? clientSteps;
  const fold = hooks.fold ?? foldNode;
  const nextMemory: (Vec | undefined)[] = hooks.start ? memory.slice() : [];
  if (hooks.accInit === 'previous-model') acc.set(w);
  let maxL = 0;
  for (let i = 0; i < participants.length; i++) {
    const k = participants[i];
    const Lk = ctx.L[k];
    const node = ctx.problem.nodes[k];
    const from = hooks.start ? hooks.start(k, w, memory) : w;
    try {
      steps(ctx.client, node.X, node.y, from, Lk, k, r * Lk, local, buf);
    } catch (e) {
      rethrowAt(ctx.fn, `round ${r}, node ${k}`, e);
    }
    if (hooks.start) nextMemory[k] = Float64Array.from(local);
    fold(ctx.server, acc, local, w, beta[i], Lk, i === 0 && hooks.accInit !== 'previous-model');
    if (Lk > maxL) maxL = Lk;
  }
  const next = finishRound(ctx.server, acc, w);
  checkFiniteModel(ctx.fn, next, r + 1, ctx.hint);
  return { w: next, participants, maxL, memory: hooks.start ? nextMemory : memory };
}

type Build<H> = (problem: FederatedDataset, h: H) => { ctx: FederatedContext; w0: Vec; key: RngKey };

/**
 * A federated run function from the reference's own context builder with the given parts swapped. `roundInfo`
 * records the participants of partial rounds in Trace.extra, as federatedOptimizer does (Local-GD / Local-SGD).
 */
export function faultyFederatedWith<H extends CommonHyper>(name: string, build: Build<H>, hooks: RoundHooks, roundInfo = true): RunFn<H> {
  const opt: Optimizer<H, CompositeState> = {
    name,
    init(problem, h) {
      const { ctx, w0, key } = build(problem, h);
      return Object.freeze({
        round: 0, w: w0, communications: 0, localSteps: 0, done: ctx.R === 0, participants: ctx.eligible, key, ctx, memory: Object.freeze([]),
      });
    },
    step(s) {
      const { ctx } = s;
      if (s.done) throw new Error(`${ctx.fn}.step: the run is finished (round ${s.round} of R = ${ctx.R})`);
      const out = round(ctx, hooks, s.w, s.round, s.memory);
      const r = s.round + 1;
      return Object.freeze({
        round: r, w: out.w, participants: out.participants, key: s.key, ctx, memory: Object.freeze(out.memory),
        communications: s.communications + out.participants.length, localSteps: s.localSteps + out.maxL, done: r >= ctx.R,
      });
    },
    objective: federatedObjective,
    ...(roundInfo ? { roundInfo: (s: CompositeState) => (s.ctx.m === undefined ? {} : { participants: s.participants }) } : {}),
    run: (problem, hyper) => runFold(opt, problem, hyper),
  };
  return (problem, hyper) => opt.run(problem, hyper);
}

/** A Local-GD ('localGD') or Local-SGD ('localSGD', minibatch B) run function with the given parts swapped. */
export function faultyFederated(name: 'localGD' | 'localSGD', hooks: RoundHooks): RunFn<FederatedHyper & { readonly B?: number }> {
  const build: Build<FederatedHyper & { readonly B?: number }> = (problem, h) =>
    federatedContext(name, problem, h, { batch: name === 'localSGD' ? intAtLeast(name, 'B', h?.B, 1) : null, noise: 0 }, { kind: 'average' });
  return faultyFederatedWith(name, build, hooks);
}
