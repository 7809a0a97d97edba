/**
 * Planted bug (beyond the reported classes of docs/planted-bugs.md; a one-character slip in the poster's rule): ADA-LUPA-SGD's loss ratio inverted,
 *   tau_i = max(1, ceil( (F_i / F(xbar^{(0)}))^{1/3} )) tau_0   instead of   max(1, ceil( (F(xbar^{(0)}) / F_i)^{1/3} )) tau_0,
 * so tau never grows while the loss falls below F_0 (it stays tau_0: ADA-LUPA becomes LUPA-SGD(tau_0) and saves no
 * communication) and grows only when the loss RISES above F_0. The reference ADA-LUPA-SGD (src/optimizers/adaLupaSGD.ts)
 * with one part swapped: its init, objective, roundInfo and summary are the reference's; the step is the reference step
 * with the loss-ratio multiplier inverted (the gap and linear schedules are untouched). Killed by L-7-ada-schedule and L-7-ada-rounds.
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

/** The reference step (adaLupaSGD.step) with the loss-ratio multiplier computed from F_i / F_0. */
function invertedStep(s: AdaLupaSGDState): AdaLupaSGDState {
  const { ctx } = s;
  if (s.done) throw new Error(`${FN}.step: the run is finished (t = T = ${ctx.T})`);
  const i = s.round;
  // the bug: the reference is lossRatioMultiplier(ctx.F0, s.F) (the gap and linear schedules are the reference's)
  const want = ctx.E === null && ctx.Fstar === null ? lossRatioMultiplier(s.F, ctx.F0) * ctx.tau0 : adaTau(ctx, s.F, i);
  const tau = Math.min(want, ctx.T - s.t);
  const w = lupaRound(ctx, s.w, s.t, tau, i);
  const t = s.t + tau;
  return Object.freeze({
    round: i + 1, w, t, lastTau: tau, localSteps: t, communications: s.communications + ctx.p, F: lupaObjective(ctx, w),
    lastLoss: s.F, done: t >= ctx.T, ctx,
  });
}

const inverted: Optimizer<AdaLupaSGDHyper, AdaLupaSGDState> = Object.freeze({
  ...adaLupaSGD,
  step: invertedStep,
  run: (problem: FederatedDataset, hyper: AdaLupaSGDHyper) => runFold(inverted, problem, hyper),
});

export const mutant: Mutant = {
  id: 'P12-ada-inverted-loss-ratio',
  bug: 'ADA-LUPA-SGD loss ratio inverted (F_i / F_0): tau stays tau_0 while the loss falls, so no communication is saved',
  source: 'planted beyond the reported classes of docs/planted-bugs.md: L-7-ada-rounds had only a degenerate start (x0 = x*) as teeth; a wrong rule must refute it',
  affects: ['adaLupaSGD'],
  apply: (subject) => override(subject, { adaLupaSGD: inverted.run }),
};
