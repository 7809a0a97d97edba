/**
 * Planted bug (beyond mutants.md; a classic of hand-rolled data-parallel code): every LUPA-SGD worker is seeded
 * identically, so all p workers draw the same minibatches and the same gradient noise. Each worker still runs a
 * correct SGD, but averaging p identical noises removes no variance: the linear speedup in p is lost (L-3) and the
 * error at any tau exceeds the exact expectation for p >= 2 (L-4). The reference LUPA-SGD (lupaSGDWith) with its round swapped:
 * the random stream of worker j is 0 instead of j.
 */
import type { Vec } from '../../numeric/types.ts';
import { checkFiniteModel, rethrowAt, show } from '../../optimizers/parts/check.ts';
import { clientSteps } from '../../optimizers/parts/clientUpdate.ts';
import type { LupaContext } from '../../optimizers/parts/lupa.ts';
import { lupaSGDWith } from '../../optimizers/lupaSGD.ts';
import { override } from './types.ts';
import type { Mutant } from './types.ts';

const FN = 'lupaSGD';

/** The reference round (parts/lupa.ts lupaRound) with every worker on random stream 0. */
function sharedStreamRound(ctx: LupaContext, xbar: Vec, t: number, tau: number, round: number): Vec {
  const { local, acc, buf } = ctx.ws;
  const d = xbar.length;
  for (let j = 0; j < ctx.p; j++) {
    try {
      clientSteps(ctx.client, ctx.data[j].X, ctx.data[j].y, xbar, tau, 0, t, local, buf);
    } catch (e) {
      rethrowAt(FN, `round ${round} (iterations ${t}..${t + tau - 1}), worker ${j}`, e);
    }
    if (j === 0) acc.set(local);
    else for (let i = 0; i < d; i++) acc[i] += local[i];
  }
  const next = new Float64Array(d);
  for (let i = 0; i < d; i++) next[i] = acc[i] / ctx.p;
  checkFiniteModel(FN, next, round + 1, `eta = ${show(ctx.client.eta)}`);
  return next;
}

export const mutant: Mutant = {
  id: 'P11-lupa-shared-rng-stream',
  bug: 'every worker seeded identically: all workers draw the same minibatches and noise, so averaging removes no variance',
  source: 'planted beyond mutants.md: the linear-speedup properties (L-3, L-4) need a bug that keeps each worker correct but kills the speedup',
  affects: ['lupaSGD'],
  apply: (subject) => override(subject, { lupaSGD: lupaSGDWith(sharedStreamRound).run }),
};
