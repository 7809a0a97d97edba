/**
 * Planted bug M10-lupa-no-restart (docs/planted-bugs.md#m10-lupa-no-restart; reported class 10) in LUPA-SGD: a worker is not restarted from the new average after a synchronisation;
 * it keeps its own local model (round 0 starts from x^{(0)}) and only the reported average xbar is the mean of the
 * workers. Each worker then runs an independent SGD chain for all T iterations and xbar^{(T)} is the average of p
 * independent runs, not LUPA-SGD. The reference LUPA-SGD (lupaSGDWith) with its round swapped: the point worker j
 * starts from is its previous local model instead of xbar. The memory lives in a closure made afresh for each run, so
 * runs stay independent and replayable.
 *
 * Identical to the reference when p = 1, or when every worker's chain is the same deterministic map (full batches,
 * no noise, iid sampling: all workers hold the same model); also when the local map is affine and the same for every
 * worker (full batch on identical quadratics, additive noise), since averaging commutes with it. It differs when the
 * workers draw different minibatches (random matrices) or hold different shards. So L-1 and L-2 cannot see it (their
 * hypotheses are exactly the cases above), and on IID least squares the period barely matters (L-4 note: V(T-1)/V(1)
 * has median 1, max 1.57), so no-restart (in effect tau = T) stays inside L-3/L-4's statistical bands. What would
 * kill it: pinned non-IID shards with full batches (each worker converges to its own shard's minimiser, the average of
 * those is not x*, whatever tau). Killed by L-1-sync-every-step (properties/lupa-sgd/shards.sync-every-step.prop.ts):
 * With tau = 1 and full gradients on pinned heterogeneous shards the reference IS centralized GD on the pooled loss.
 */
import type { Vec } from '../../numeric/types.ts';
import { clientSteps } from '../../optimizers/parts/clientUpdate.ts';
import { lupaRoundWith } from '../../optimizers/parts/lupa.ts';
import { lupaSGDWith, type LupaRoundFn, type LupaSGDHyper } from '../../optimizers/lupaSGD.ts';
import type { FederatedDataset } from '../../problems/types.ts';
import { override } from './types.ts';
import type { Mutant } from './types.ts';

export const ID = 'M10-lupa-no-restart';

/** A round function with its own per-worker memory (one per run). */
function noRestartRound(): LupaRoundFn {
  const memory: Vec[] = [];
  return lupaRoundWith((ctx, j, xbar, t, tau) => {
    const start = memory[j] ?? xbar; // the bug: the reference starts every worker from xbar
    clientSteps(ctx.client, ctx.data[j].X, ctx.data[j].y, start, tau, j, t, ctx.ws.local, ctx.ws.buf);
    memory[j] = Float64Array.from(ctx.ws.local);
  });
}

export const mutant: Mutant = {
  id: ID,
  bug: 'LUPA-SGD workers not restarted from the new average after a synchronisation (each keeps its own local model)',
  source: 'reported bug class 10 (docs/planted-bugs.md#reported-bug-classes), planted into LUPA-SGD (M10-no-restart covers only Local-GD / Local-SGD)',
  affects: ['lupaSGD'],
  apply: (subject) => override(subject, {
    lupaSGD: (problem: FederatedDataset, hyper: LupaSGDHyper) => lupaSGDWith(noRestartRound()).run(problem, hyper),
  }),
};
