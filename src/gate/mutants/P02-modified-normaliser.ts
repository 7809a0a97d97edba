/**
 * Planted bug #6 (mutants.md: "number of local steps miscounted in a normaliser (steps per epoch instead of total)"),
 * on Modified Local-GD's 'normalized' variant: the server divides node k's displacement by eta * 1 (one full-batch
 * step = one epoch) instead of eta * L_k, i.e. w+ = w + sum_k beta_k (etaG / eta) (w_k - w). The effective server step
 * becomes etaG * L_k, so the L-independence of the normalised variant is lost (Z-M3-normalized).
 *
 * Faulty composite of the same parts as the reference round (src/optimizers/parts/federated.ts: federatedContext,
 * roundParticipants/participantWeights, clientSteps, foldNode, finishRound, checkFiniteModel, runFold) with ONE part
 * swapped: the count handed to the normaliser in foldNode is 1 instead of L_k. The 'avg' and 'anchor' variants (no
 * normaliser) are the reference. Written here because federatedRound has no hook for the count.
 */
import type { Vec } from '../../numeric/types.ts';
import { runFold } from '../../optimizers/fold.ts';
import type { ModifiedLocalGDHyper } from '../../optimizers/modifiedLocalGD.ts';
import { participantWeights, roundParticipants } from '../../optimizers/parts/aggregate.ts';
import { checkFiniteModel, positiveFinite, rethrowAt } from '../../optimizers/parts/check.ts';
import { clientSteps } from '../../optimizers/parts/clientUpdate.ts';
import { federatedContext, federatedInit, federatedObjective } from '../../optimizers/parts/federated.ts';
import type { FederatedState } from '../../optimizers/parts/federated.ts';
import { capability } from '../../optimizers/subject.ts';
import type { Optimizer, RunFn } from '../../optimizers/types.ts';
import { override } from './types.ts';
import type { Mutant } from './types.ts';

const FN = 'modifiedLocalGD';

function miscountedRound(s: FederatedState): FederatedState {
  const { ctx } = s;
  if (s.done) throw new Error(`${FN}.step: the run is finished (round ${s.round} of R = ${ctx.R})`);
  const r = s.round;
  const participants = roundParticipants(ctx.client.key, r, ctx.eligible, ctx.m);
  const beta = participants === ctx.eligible ? ctx.betaAll : participantWeights(ctx.alpha, participants, false);
  const { local, acc, buf } = ctx.ws;
  let maxL = 0;
  for (let i = 0; i < participants.length; i++) {
    const k = participants[i];
    const Lk = ctx.L[k];
    const node = ctx.problem.nodes[k];
    try {
      clientSteps(ctx.client, node.X, node.y, s.w, Lk, k, r * Lk, local, buf);
    } catch (e) {
      rethrowAt(FN, `round ${r}, node ${k}`, e);
    }
    // THE BUG: the normaliser counts one step (an epoch of full-batch GD) instead of the L_k local steps taken
    foldNodeMiscounted(ctx.server, acc, local, s.w, beta[i], i === 0);
    if (Lk > maxL) maxL = Lk;
  }
  const w: Vec = new Float64Array(acc.length);
  for (let j = 0; j < w.length; j++) w[j] = s.w[j] + acc[j];
  checkFiniteModel(FN, w, r + 1, ctx.hint);
  const round = r + 1;
  return Object.freeze({
    round, w, participants, key: s.key, ctx, communications: s.communications + participants.length, localSteps: s.localSteps + maxL, done: round >= ctx.R,
  });
}

/** foldNode of the 'normalized' rule with the count L fixed at 1. */
function foldNodeMiscounted(rule: FederatedState['ctx']['server'], acc: Vec, wk: Vec, w: Vec, beta: number, first: boolean): void {
  if (rule.kind !== 'normalized') throw new Error(`${FN}: the miscounted normaliser needs the 'normalized' server rule, got '${rule.kind}'`);
  const c = (beta * rule.etaG) / (rule.eta * 1);
  for (let j = 0; j < acc.length; j++) acc[j] = (first ? 0 : acc[j]) + c * (wk[j] - w[j]);
}

const normalizedMiscounted: Optimizer<ModifiedLocalGDHyper, FederatedState> = {
  name: FN,
  init(problem, h) {
    const eta = positiveFinite(FN, 'eta', h.eta);
    const etaG = positiveFinite(FN, 'etaG', h.etaG);
    if (h.L === undefined) throw new Error(`${FN}: variant 'normalized' needs L (local steps), got undefined`);
    return federatedInit(() =>
      federatedContext(FN, problem, { ...h, loss: h.loss ?? { name: 'exponential' }, eta, L: h.L!, R: h.R }, { batch: null, noise: 0 }, { kind: 'normalized', etaG, eta }));
  },
  step: miscountedRound,
  objective: federatedObjective,
  run: (problem, hyper) => runFold(normalizedMiscounted, problem, hyper),
};

export const mutant: Mutant = {
  id: 'P02-modified-normaliser',
  bug: 'Modified Local-GD normaliser uses the wrong count (one step per epoch instead of the L_k local steps taken)',
  source: 'mutants.md row 6',
  affects: ['modifiedLocalGD'],
  apply: (subject) => {
    const reference = capability<RunFn<ModifiedLocalGDHyper>>(subject, 'modifiedLocalGD');
    const faulty: RunFn<ModifiedLocalGDHyper> = (problem, hyper) =>
      (hyper !== null && typeof hyper === 'object' && hyper.variant === 'normalized' ? normalizedMiscounted.run(problem, hyper) : reference(problem, hyper));
    return override(subject, { modifiedLocalGD: faulty });
  },
};
