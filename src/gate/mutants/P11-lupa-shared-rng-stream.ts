/**
 * Planted bug (beyond the reported classes of docs/planted-bugs.md; a classic of hand-rolled data-parallel code): every LUPA-SGD worker is seeded
 * identically, so all p workers draw the same minibatches and the same gradient noise. Each worker still runs a
 * correct SGD, but averaging p identical noises removes no variance: the linear speedup in p is lost (L-3) and the
 * error at any tau exceeds the exact expectation for p >= 2 (L-4). The bug lives in the engine that LUPA-SGD and
 * ADA-LUPA-SGD share, so both are affected (ADA loses its speedup too: L-7-ada-speedup): the references (lupaSGDWith,
 * adaLupaSGDWith) with their workers' local steps swapped (parts/lupa.ts lupaRoundWith): the random stream of worker j
 * is 0 instead of j.
 */
import { clientSteps } from '../../optimizers/parts/clientUpdate.ts';
import { lupaRoundWith } from '../../optimizers/parts/lupa.ts';
import { lupaSGDWith } from '../../optimizers/lupaSGD.ts';
import { adaLupaSGDWith } from '../../optimizers/adaLupaSGD.ts';
import { override } from './types.ts';
import type { Mutant } from './types.ts';

/** The reference round with every worker on random stream 0 (the reference: stream j). */
const sharedStreamRound = lupaRoundWith((ctx, j, start, t, tau) => {
  clientSteps(ctx.client, ctx.data[j].X, ctx.data[j].y, start, tau, 0, t, ctx.ws.local, ctx.ws.buf);
});

export const mutant: Mutant = {
  id: 'P11-lupa-shared-rng-stream',
  bug: 'every worker seeded identically: all workers draw the same minibatches and noise, so averaging removes no variance',
  source: 'planted beyond the reported classes of docs/planted-bugs.md: the linear-speedup properties (L-3, L-4) need a bug that keeps each worker correct but kills the speedup',
  affects: ['lupaSGD', 'adaLupaSGD'],
  apply: (subject) => override(subject, { lupaSGD: lupaSGDWith(sharedStreamRound).run, adaLupaSGD: adaLupaSGDWith(sharedStreamRound).run }),
};
