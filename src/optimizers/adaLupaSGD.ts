/**
 * ADA-LUPA-SGD: LUPA-SGD with an adaptive number of local steps per round (Haddadpour et al., NeurIPS 2019;
 * docs/theory.md#24-ada-lupa-sgd). Round i runs tau_i local steps on every worker from the average, then averages (parts/lupa.ts).
 *
 *   schedule 'loss-ratio' (default; the poster's suggested rule [READ, poster]):
 *       tau_i = max(1, ceil( (F(xbar^{(0)}) / F_i)^{1/3} )) tau_0
 *     where F_i = F(xbar) is the pooled mean loss measured AT THE START OF ROUND i (i.e. at the average that ends
 *     round i - 1). The poster writes F(xbar^{(i tau_0)}), which is not the start of round i once tau grows
 *     (docs/theory.md#24-ada-lupa-sgd note 2); this is our documented reading. F_i = 0 gives all remaining steps; F_0 = F_i = 0 gives
 *     tau_0. F is evaluated exactly on the full data (an oracle the paper's practice would estimate).
 *   schedule { linear: { E } } (what the official code ran [READ, code]):
 *       tau_i = ceil((1 + i alpha) tau_0),   alpha = 2 T / ((E + 1) E tau_0)
 *     computed in integers as tau_0 + ceil(2 T i / (E (E + 1))). The code's step timer syncs when the step count
 *     reaches the last sync plus tau_i (so non-integer intervals round up, as here); it also consumes tau_0 with a
 *     sync at step 0, a quirk not reproduced (ours starts with tau_0).
 *
 * Both schedules: the last round is truncated so that sum_i tau_i = T exactly; every round ends with an averaging
 * (the last one is the output average). Trace.extra.tau lists tau_i per round (index i), extra.lossAtStart the F_i
 * the rule used; the summary gives the schedule and, for 'linear', alpha.
 */
import { runFold } from './fold.ts';
import { intAtLeast, show } from './parts/check.ts';
import { lupaContext, lupaObjective, lupaRound } from './parts/lupa.ts';
import type { LupaCommonHyper, LupaContext, LupaState } from './parts/lupa.ts';
import type { Optimizer } from './types.ts';

export type AdaSchedule = 'loss-ratio' | { readonly linear: { readonly E: number } };

export interface AdaLupaSGDHyper extends LupaCommonHyper {
  /** tau_0, the local steps of round 0 (integer >= 1) */
  readonly tau0: number;
  readonly schedule?: AdaSchedule;
}

interface AdaContext extends LupaContext {
  readonly tau0: number;
  /** E for the linear schedule, null for the loss ratio */
  readonly E: number | null;
  /** F(xbar^{(0)}) */
  readonly F0: number;
}

export interface AdaLupaSGDState extends LupaState {
  /** F at this state's average (the F_i of the next round) */
  readonly F: number;
  /** F_i used by the round just completed (NaN at init) */
  readonly lastLoss: number;
  readonly ctx: AdaContext;
}

const FN = 'adaLupaSGD';

/** The loss-ratio multiplier max(1, ceil(cbrt(F0 / Fi))) (Infinity when Fi = 0 < F0). */
export function lossRatioMultiplier(F0: number, Fi: number): number {
  if (F0 === 0 && Fi === 0) return 1;
  return Math.max(1, Math.ceil(Math.cbrt(F0 / Fi)));
}

/** tau_i of the linear schedule: tau_0 + ceil(2 T i / (E (E + 1))), in exact integer arithmetic. */
export function linearTau(tau0: number, T: number, E: number, i: number): number {
  const den = E * (E + 1);
  return tau0 + Math.floor((2 * T * i + den - 1) / den);
}

const opt: Optimizer<AdaLupaSGDHyper, AdaLupaSGDState> = {
  name: FN,
  init(problem, h) {
    const { ctx: base, w0 } = lupaContext(FN, problem, h);
    const tau0 = intAtLeast(FN, 'tau0', h.tau0, 1);
    const schedule = h.schedule ?? 'loss-ratio';
    let E: number | null = null;
    if (schedule !== 'loss-ratio') {
      if (schedule === null || typeof schedule !== 'object' || !('linear' in schedule) || schedule.linear === null || typeof schedule.linear !== 'object') {
        throw new Error(`${FN}: schedule must be 'loss-ratio' or { linear: { E } }, got ${show(schedule)}`);
      }
      E = intAtLeast(FN, 'schedule.linear.E', schedule.linear.E, 1);
    }
    const F0 = lupaObjective(base, w0);
    const ctx: AdaContext = Object.freeze({ ...base, tau0, E, F0 });
    return Object.freeze({ round: 0, w: w0, communications: 0, localSteps: 0, t: 0, lastTau: 0, F: F0, lastLoss: NaN, done: base.T === 0, ctx });
  },
  step(s) {
    const { ctx } = s;
    if (s.done) throw new Error(`${FN}.step: the run is finished (t = T = ${ctx.T})`);
    const i = s.round;
    const want = ctx.E === null ? lossRatioMultiplier(ctx.F0, s.F) * ctx.tau0 : linearTau(ctx.tau0, ctx.T, ctx.E, i);
    const tau = Math.min(want, ctx.T - s.t);
    const w = lupaRound(ctx, s.w, s.t, tau, i);
    const t = s.t + tau;
    return Object.freeze({
      round: i + 1, w, t, lastTau: tau, localSteps: t, communications: s.communications + ctx.p, F: lupaObjective(ctx, w),
      lastLoss: s.F, done: t >= ctx.T, ctx,
    });
  },
  objective: (s) => s.F,
  roundInfo: (s) => ({ tau: s.lastTau, lossAtStart: s.lastLoss }),
  summary: (s) => ({
    schedule: s.ctx.E === null ? 'loss-ratio' : 'linear', tau0: s.ctx.tau0, F0: s.ctx.F0, averagings: s.round,
    ...(s.ctx.E === null ? {} : { E: s.ctx.E, alpha: (2 * s.ctx.T) / ((s.ctx.E + 1) * s.ctx.E * s.ctx.tau0) }),
  }),
  run: (problem, hyper) => runFold(opt, problem, hyper),
};

export const adaLupaSGD: Optimizer<AdaLupaSGDHyper, AdaLupaSGDState> = Object.freeze(opt);
