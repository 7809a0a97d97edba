/**
 * Planted bug M14-lupa-stale-gradient (docs/planted-bugs.md#m14-lupa-stale-gradient; reported class 14) in LUPA-SGD: every local step evaluates the gradient at the model of the last
 * synchronisation xbar instead of the worker's current local model,
 *   x_j^{(t+1)} = x_j^{(t)} - eta_t g~_j(xbar)   (same minibatch rows and noise draws as the reference at step t),
 * so a round of tau steps is one step of size ~ tau eta from xbar. The reference LUPA-SGD (lupaSGDWith) with its workers'
 * local steps swapped (parts/lupa.ts lupaRoundWith): the client update is M14's staleClientSteps instead of parts/clientUpdate.ts clientSteps; keys, schedule,
 * averaging and bookkeeping as in parts/lupa.ts lupaRound. Identical to the reference when tau = 1; with p = 1 and
 * tau > 1 the run depends on tau, which LUPA-SGD with p = 1 must not (L-1).
 */
import { lupaRoundWith } from '../../optimizers/parts/lupa.ts';
import { lupaSGDWith } from '../../optimizers/lupaSGD.ts';
import { staleClientSteps } from './M14-stale-gradient.ts';
import { override } from './types.ts';
import type { Mutant } from './types.ts';

/** The reference round with the gradient of every local step taken at xbar. */
const staleRound = lupaRoundWith((ctx, j, start, t, tau) => {
  staleClientSteps(ctx.client, ctx.data[j].X, ctx.data[j].y, start, tau, j, t, ctx.ws.local, ctx.ws.buf);
});

export const mutant: Mutant = {
  id: 'M14-lupa-stale-gradient',
  bug: 'LUPA-SGD local steps take the gradient at the model of the last synchronisation instead of the current local model',
  source: 'reported bug class 14 (docs/planted-bugs.md#reported-bug-classes), planted into LUPA-SGD (M14-stale-gradient covers only Local-GD / Local-SGD)',
  affects: ['lupaSGD'],
  apply: (subject) => override(subject, { lupaSGD: lupaSGDWith(staleRound).run }),
};
