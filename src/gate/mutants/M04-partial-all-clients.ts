/**
 * Planted bug #4 (mutants.md): with partial participation the aggregate is normalised by all clients instead of the
 * sampled ones: w^{r+1} = sum_{k in S_r} (n_k / N) w_k (N = samples of ALL clients) instead of
 * sum_{k in S_r} (n_k / N_{S_r}) w_k. The weights of a partial round then sum to N_{S_r} / N < 1 and the model is
 * pulled toward 0 every round; full participation is unchanged.
 *
 * Faulty composite of the same parts as the reference round (src/optimizers/parts/federated.ts: federatedContext,
 * roundParticipants, participantWeights, clientSteps, foldNode, finishRound, checkFiniteModel, federatedObjective,
 * runFold) with ONE part swapped: participantWeights is called with full = true (beta_k = alpha_k as they are) on a
 * partial round. Written here because federatedRound and _federatedComposite.ts have no hook for the weights.
 */
import type { Vec } from '../../numeric/types.ts';
import { runFold } from '../../optimizers/fold.ts';
import { participantWeights, roundParticipants } from '../../optimizers/parts/aggregate.ts';
import { checkFiniteModel, intAtLeast, rethrowAt } from '../../optimizers/parts/check.ts';
import { clientSteps } from '../../optimizers/parts/clientUpdate.ts';
import { federatedContext, federatedInit, federatedObjective } from '../../optimizers/parts/federated.ts';
import type { FederatedHyper, FederatedState } from '../../optimizers/parts/federated.ts';
import { finishRound, foldNode } from '../../optimizers/parts/serverUpdate.ts';
import type { Optimizer, RunFn } from '../../optimizers/types.ts';
import type { FederatedDataset } from '../../problems/types.ts';
import { override } from './types.ts';
import type { Mutant } from './types.ts';

type Hyper = FederatedHyper & { readonly B?: number };

function step(s: FederatedState): FederatedState {
  const { ctx } = s;
  if (s.done) throw new Error(`${ctx.fn}.step: the run is finished (round ${s.round} of R = ${ctx.R})`);
  const r = s.round;
  const participants = roundParticipants(ctx.client.key, r, ctx.eligible, ctx.m);
  const beta = participantWeights(ctx.alpha, participants, true); // the bug: not renormalised over S_r
  const { local, acc, buf } = ctx.ws;
  let maxL = 0;
  for (let i = 0; i < participants.length; i++) {
    const k = participants[i];
    const Lk = ctx.L[k];
    const node = ctx.problem.nodes[k];
    try {
      clientSteps(ctx.client, node.X, node.y, s.w, Lk, k, r * Lk, local, buf);
    } catch (e) {
      rethrowAt(ctx.fn, `round ${r}, node ${k}`, e);
    }
    foldNode(ctx.server, acc, local, s.w, beta[i], Lk, i === 0);
    if (Lk > maxL) maxL = Lk;
  }
  const w: Vec = finishRound(ctx.server, acc, s.w);
  checkFiniteModel(ctx.fn, w, r + 1, ctx.hint);
  return Object.freeze({
    round: r + 1, w, participants, key: s.key, ctx,
    communications: s.communications + participants.length, localSteps: s.localSteps + maxL, done: r + 1 >= ctx.R,
  });
}

function faulty(name: 'localGD' | 'localSGD'): RunFn<Hyper> {
  const build = (problem: FederatedDataset, h: Hyper) =>
    federatedContext(name, problem, h, { batch: name === 'localSGD' ? intAtLeast(name, 'B', h?.B, 1) : null, noise: 0 }, { kind: 'average' });
  const opt: Optimizer<Hyper, FederatedState> = {
    name,
    init: (problem, h) => federatedInit(() => build(problem, h)),
    step,
    objective: federatedObjective,
    roundInfo: (s) => (s.ctx.m === undefined ? {} : { participants: s.participants }),
    run: (problem, hyper) => runFold(opt, problem, hyper),
  };
  return (problem, hyper) => opt.run(problem, hyper);
}

export const mutant: Mutant = {
  id: 'M04-partial-all-clients',
  bug: 'partial participation normalised by the total over all clients instead of the sampled ones',
  source: 'mutants.md row 4',
  affects: ['localGD', 'localSGD'],
  apply: (subject) => override(subject, { localGD: faulty('localGD'), localSGD: faulty('localSGD') }),
};
