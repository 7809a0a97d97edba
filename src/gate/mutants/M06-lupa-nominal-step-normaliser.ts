/**
 * Planted bug #6 (mutants.md): a normaliser uses the wrong step count. LUPA-SGD written in the "normalised update"
 * form  xbar <- xbar + (tau / s) * mean_j (x_j - xbar)  with s the local steps the round actually ran (the reference
 * factor is s / s = 1) here divides by the NOMINAL period tau instead of s, i.e. the round's update is scaled by
 * tau / s. Every full round has s = tau and is unchanged; the truncated last round (s = T mod tau, when tau does not
 * divide T) is over-stepped by the factor tau / s. Faulty composite of the LUPA parts (lupaContext, lupaRound,
 * lupaObjective, runFold) with the aggregation swapped. Killed by L-1-tau-invariance and L-2-batch-pb.
 */
import type { Vec } from '../../numeric/types.ts';
import { runFold } from '../../optimizers/fold.ts';
import { checkFiniteModel, intAtLeast, show } from '../../optimizers/parts/check.ts';
import { lupaContext, lupaObjective, lupaRound } from '../../optimizers/parts/lupa.ts';
import type { LupaSGDHyper, LupaSGDState } from '../../optimizers/lupaSGD.ts';
import type { Optimizer } from '../../optimizers/types.ts';
import { override } from './types.ts';
import type { Mutant } from './types.ts';

const FN = 'lupaSGD';

/** xbar + c (avg - xbar), fresh array. */
function rescaled(xbar: Vec, avg: Vec, c: number): Vec {
  const out = new Float64Array(xbar.length);
  for (let i = 0; i < xbar.length; i++) out[i] = xbar[i] + c * (avg[i] - xbar[i]);
  return out;
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
    const steps = Math.min(ctx.tau, ctx.T - s.t);
    const avg = lupaRound(ctx, s.w, s.t, steps, s.round);
    // the swapped part: normalise by the nominal period tau instead of the steps actually run
    const w = steps === ctx.tau ? avg : rescaled(s.w, avg, ctx.tau / steps);
    checkFiniteModel(FN, w, s.round + 1, `eta = ${show(ctx.client.eta)}`);
    const t = s.t + steps;
    return Object.freeze({
      round: s.round + 1, w, t, lastTau: steps, localSteps: t, communications: s.communications + ctx.p, done: t >= ctx.T, ctx,
    });
  },
  objective: (s) => lupaObjective(s.ctx, s.w),
  summary: (s) => ({ syncs: Math.floor(s.ctx.T / s.ctx.tau), finalAverage: s.ctx.T % s.ctx.tau !== 0, averagings: s.round }),
  run: (problem, hyper) => runFold(opt, problem, hyper),
};

export const mutant: Mutant = {
  id: 'M06-lupa-nominal-step-normaliser',
  bug: 'number of local steps miscounted in a normaliser: the last, truncated LUPA round is normalised by tau instead of T mod tau',
  source: 'mutants.md row 6',
  affects: ['lupaSGD'],
  apply: (subject) => override(subject, { lupaSGD: opt.run }),
};
