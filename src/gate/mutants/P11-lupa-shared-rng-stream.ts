/**
 * Planted bug (beyond mutants.md; a classic of hand-rolled data-parallel code): every LUPA-SGD worker is seeded
 * identically, so all p workers draw the same minibatches and the same gradient noise. Each worker still runs a
 * correct SGD, but averaging p identical noises removes no variance: the linear speedup in p is lost (L-3) and the
 * error at any tau exceeds the exact expectation for p >= 2 (L-4). Faulty composite of the LUPA parts (lupaContext,
 * clientSteps, lupaObjective, runFold) with the random stream of worker j swapped from j to 0.
 */
import type { Vec } from '../../numeric/types.ts';
import { runFold } from '../../optimizers/fold.ts';
import { checkFiniteModel, intAtLeast, rethrowAt, show } from '../../optimizers/parts/check.ts';
import { clientSteps } from '../../optimizers/parts/clientUpdate.ts';
import { lupaContext, lupaObjective } from '../../optimizers/parts/lupa.ts';
import type { LupaContext } from '../../optimizers/parts/lupa.ts';
import type { LupaSGDHyper, LupaSGDState } from '../../optimizers/lupaSGD.ts';
import type { Optimizer } from '../../optimizers/types.ts';
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

const opt: Optimizer<LupaSGDHyper, LupaSGDState> = {
  name: FN,
  init(problem, h) {
    const { ctx, w0 } = lupaContext(FN, problem, h);
    const tau = intAtLeast(FN, 'tau', h.tau, 1);
    return Object.freeze({
      round: 0, w: w0, communications: 0, localSteps: 0, t: 0, lastTau: 0, done: ctx.T === 0, ctx: Object.freeze({ ...ctx, tau }),
    });
  },
  step(s) {
    const { ctx } = s;
    if (s.done) throw new Error(`${FN}.step: the run is finished (t = T = ${ctx.T})`);
    const tau = Math.min(ctx.tau, ctx.T - s.t);
    const w = sharedStreamRound(ctx, s.w, s.t, tau, s.round);
    const t = s.t + tau;
    return Object.freeze({
      round: s.round + 1, w, t, lastTau: tau, localSteps: t, communications: s.communications + ctx.p, done: t >= ctx.T, ctx,
    });
  },
  objective: (s) => lupaObjective(s.ctx, s.w),
  summary: (s) => ({ syncs: Math.floor(s.ctx.T / s.ctx.tau), finalAverage: s.ctx.T % s.ctx.tau !== 0, averagings: s.round }),
  run: (problem, hyper) => runFold(opt, problem, hyper),
};

export const mutant: Mutant = {
  id: 'P11-lupa-shared-rng-stream',
  bug: 'every worker seeded identically: all workers draw the same minibatches and noise, so averaging removes no variance',
  source: 'planted beyond mutants.md: the linear-speedup properties (L-3, L-4) need a bug that keeps each worker correct but kills the speedup',
  affects: ['lupaSGD'],
  apply: (subject) => override(subject, { lupaSGD: opt.run }),
};
