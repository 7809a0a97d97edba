/**
 * Planted bug (beyond the bug table of docs/planted-bugs.md; the slip the paper's own poster makes): ADA-LUPA-SGD's gap rule
 * computed from the LOSS instead of the gap, i.e. the loss-ratio rule run where the gap rule was asked for:
 *   tau_i = max(1, ceil( (F_0 / F_i)^{1/3} )) tau_0   instead of   max(1, ceil( ((F_0 - F*) / (F_i - F*))^{1/3} )) tau_0.
 * With F* > 0 the period saturates at (F_0/F*)^{1/3} tau_0 and grows far less than the rule asks near the optimum.
 * The reference ADA-LUPA-SGD with one part swapped: the step computes the loss-ratio multiplier for the gap schedule
 * (the loss-ratio and linear schedules are the reference's). Killed by L-7-ada-schedule (rule mismatches).
 */
import { adaLupaSGD, adaTau, lossRatioMultiplier } from '../../optimizers/adaLupaSGD.ts';
import type { AdaLupaSGDHyper, AdaLupaSGDState } from '../../optimizers/adaLupaSGD.ts';
import { runFold } from '../../optimizers/fold.ts';
import { lupaObjective, lupaRound } from '../../optimizers/parts/lupa.ts';
import type { Optimizer } from '../../optimizers/types.ts';
import type { FederatedDataset } from '../../problems/types.ts';
import { override } from './types.ts';
import type { Mutant } from './types.ts';

const FN = 'adaLupaSGD';

function lossNotGapStep(s: AdaLupaSGDState): AdaLupaSGDState {
  const { ctx } = s;
  if (s.done) throw new Error(`${FN}.step: the run is finished (t = T = ${ctx.T})`);
  const i = s.round;
  // the bug: the reference is gapMultiplier(ctx.F0, s.F, ctx.Fstar) for the gap schedule
  const want = ctx.Fstar !== null ? lossRatioMultiplier(ctx.F0, s.F) * ctx.tau0 : adaTau(ctx, s.F, i);
  const tau = Math.min(want, ctx.T - s.t);
  const w = lupaRound(ctx, s.w, s.t, tau, i);
  const t = s.t + tau;
  return Object.freeze({
    round: i + 1, w, t, lastTau: tau, localSteps: t, communications: s.communications + ctx.p, F: lupaObjective(ctx, w),
    lastLoss: s.F, done: t >= ctx.T, ctx,
  });
}

const lossNotGap: Optimizer<AdaLupaSGDHyper, AdaLupaSGDState> = Object.freeze({
  ...adaLupaSGD,
  step: lossNotGapStep,
  run: (problem: FederatedDataset, hyper: AdaLupaSGDHyper) => runFold(lossNotGap, problem, hyper),
});

export const mutant: Mutant = {
  id: 'P41-ada-gap-ignores-fstar',
  bug: 'ADA-LUPA-SGD gap rule computed from F instead of F - F* (the loss-ratio rule where the gap rule was asked for)',
  source: 'planted beyond the bug table: the gap rule of the paper\'s adaptive analysis needs a bug that reads the loss instead of the gap',
  affects: ['adaLupaSGD'],
  apply: (subject) => override(subject, { adaLupaSGD: lossNotGap.run }),
};
