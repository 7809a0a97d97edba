/**
 * ADA-LUPA-SGD: LUPA-SGD with an adaptive number of local steps per round (Haddadpour et al., NeurIPS 2019;
 * docs/theory.md#24-ada-lupa-sgd). Round i runs tau_i local steps on every worker from the average, then averages
 * (parts/lupa.ts). F_i = F(xbar) is the pooled mean loss measured AT THE START OF ROUND i (at the average that ends
 * round i - 1); F is evaluated exactly on the full data (an oracle the paper's practice would estimate).
 *
 *   schedule { gap: { Fstar } } (the rule the paper's adaptive analysis states: restart the bound at every round with
 *   the current objective GAP as the initial error, so the allowed period scales like (F(xbar) - F*)^{-1/3}):
 *       tau_i = max(1, ceil( ((F_0 - F*) / (F_i - F*))^{1/3} )) tau_0,
 *     with F* the certified optimum passed in by the caller (src/precise plOptimum, or a known F*). F_i - F* <= 0 (the
 *     average is optimal to f64 rounding) gives all remaining steps; F_0 - F* = F_i - F* = 0 gives tau_0.
 *   schedule 'loss-ratio' (default; the named variant printed on the official poster, which writes F, not F - F*):
 *       tau_i = max(1, ceil( (F(xbar^{(0)}) / F_i)^{1/3} )) tau_0.
 *     It equals the gap rule when F* = 0; with F* > 0 it saturates at (F_0/F*)^{1/3} tau_0. The poster writes
 *     F(xbar^{(i tau_0)}), which is not the start of round i once tau grows; "the start of round i" is our reading.
 *     F_i = 0 gives all remaining steps; F_0 = F_i = 0 gives tau_0.
 *   schedule { linear: { E } } (what the official code ran [READ, code]):
 *       tau_i = ceil((1 + i alpha) tau_0),   alpha = 2 T / ((E + 1) E tau_0)
 *     computed in integers as tau_0 + ceil(2 T i / (E (E + 1))). The code's step timer syncs when the step count
 *     reaches the last sync plus tau_i (so non-integer intervals round up, as here); it also consumes tau_0 with a
 *     sync at step 0, a quirk not reproduced (ours starts with tau_0).
 *
 * Every schedule: the last round is truncated so that sum_i tau_i = T exactly; every round ends with an averaging
 * (the last one is the output average). Trace.extra.tau lists tau_i per round (index i), extra.lossAtStart the F_i
 * the rule used; the summary gives the schedule and, for 'linear', alpha.
 */
import { runFold } from './fold.ts';
import { intAtLeast, show } from './parts/check.ts';
import { lupaContext, lupaObjective, lupaRound } from './parts/lupa.ts';
import type { LupaCommonHyper, LupaContext, LupaState } from './parts/lupa.ts';
import type { Optimizer } from './types.ts';
import type { Vec } from '../numeric/types.ts';

export type AdaSchedule = 'loss-ratio' | { readonly gap: { readonly Fstar: number } } | { readonly linear: { readonly E: number } };

export interface AdaLupaSGDHyper extends LupaCommonHyper {
  /** tau_0, the local steps of round 0 (integer >= 1) */
  readonly tau0: number;
  readonly schedule?: AdaSchedule;
}

interface AdaContext extends LupaContext {
  readonly tau0: number;
  /** E for the linear schedule, null for the loss ratio and the gap rule */
  readonly E: number | null;
  /** F* for the gap rule, null otherwise */
  readonly Fstar: number | null;
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

/**
 * The gap-rule multiplier max(1, ceil(cbrt((F0 - F*) / (Fi - F*)))): Infinity when Fi - F* <= 0 < F0 - F* (all
 * remaining steps), 1 when both gaps are <= 0.
 */
export function gapMultiplier(F0: number, Fi: number, Fstar: number): number {
  const g0 = F0 - Fstar;
  const gi = Fi - Fstar;
  if (!(g0 > 0)) return 1;
  if (!(gi > 0)) return Infinity;
  return Math.max(1, Math.ceil(Math.cbrt(g0 / gi)));
}

/** tau_i of the linear schedule: tau_0 + ceil(2 T i / (E (E + 1))), in exact integer arithmetic. */
export function linearTau(tau0: number, T: number, E: number, i: number): number {
  const den = E * (E + 1);
  return tau0 + Math.floor((2 * T * i + den - 1) / den);
}

/** tau_i before truncation at T - t_i: the schedule's rule applied to F_i (the loss at the start of round i). */
export function adaTau(ctx: { readonly tau0: number; readonly T: number; readonly E: number | null; readonly Fstar: number | null; readonly F0: number }, Fi: number, i: number): number {
  if (ctx.E !== null) return linearTau(ctx.tau0, ctx.T, ctx.E, i);
  return (ctx.Fstar === null ? lossRatioMultiplier(ctx.F0, Fi) : gapMultiplier(ctx.F0, Fi, ctx.Fstar)) * ctx.tau0;
}

/** One averaging round of the engine (parts/lupa.ts lupaRound is the reference). */
export type AdaRoundFn = (ctx: LupaContext, xbar: Vec, t: number, tau: number, round: number) => Vec;

/**
 * ADA-LUPA-SGD with its round swapped: the schedule and bookkeeping stay the reference's. The reference is
 * adaLupaSGDWith(lupaRound); planted bugs in the shared engine (src/gate/mutants, e.g. P11: the workers' random
 * streams) swap the round only.
 */
export function adaLupaSGDWith(lupaRound: AdaRoundFn): Optimizer<AdaLupaSGDHyper, AdaLupaSGDState> {
  const opt: Optimizer<AdaLupaSGDHyper, AdaLupaSGDState> = {
    name: FN,
    init(problem, h) {
      const { ctx: base, w0 } = lupaContext(FN, problem, h);
      const tau0 = intAtLeast(FN, 'tau0', h.tau0, 1);
      const schedule = h.schedule ?? 'loss-ratio';
      let E: number | null = null;
      let Fstar: number | null = null;
      if (schedule !== 'loss-ratio') {
        const bad = () => new Error(`${FN}: schedule must be 'loss-ratio', { gap: { Fstar } } or { linear: { E } }, got ${show(schedule)}`);
        if (schedule === null || typeof schedule !== 'object') throw bad();
        if ('gap' in schedule) {
          if (schedule.gap === null || typeof schedule.gap !== 'object') throw bad();
          const f = schedule.gap.Fstar;
          if (typeof f !== 'number' || !Number.isFinite(f)) throw new Error(`${FN}: schedule.gap.Fstar must be a finite number (the certified optimum), got ${show(f)}`);
          Fstar = f;
        } else if ('linear' in schedule && schedule.linear !== null && typeof schedule.linear === 'object') {
          E = intAtLeast(FN, 'schedule.linear.E', schedule.linear.E, 1);
        } else throw bad();
      }
      const F0 = lupaObjective(base, w0);
      // why 1e-9: at x0 = x* the f64 loss and the certified F* differ by rounding only (~n EPS relative); a wrong F* is far off
      if (Fstar !== null && F0 < Fstar - 1e-9 * Math.max(1, Math.abs(Fstar))) throw new Error(`${FN}: schedule.gap.Fstar = ${Fstar} exceeds F(x0) = ${F0}; it is not the optimum of this objective`);
      const ctx: AdaContext = Object.freeze({ ...base, tau0, E, Fstar, F0 });
      return Object.freeze({ round: 0, w: w0, communications: 0, localSteps: 0, t: 0, lastTau: 0, F: F0, lastLoss: NaN, done: base.T === 0, ctx });
    },
    step(s) {
      const { ctx } = s;
      if (s.done) throw new Error(`${FN}.step: the run is finished (t = T = ${ctx.T})`);
      const i = s.round;
      const want = adaTau(ctx, s.F, i);
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
      schedule: s.ctx.E !== null ? 'linear' : s.ctx.Fstar !== null ? 'gap' : 'loss-ratio', tau0: s.ctx.tau0, F0: s.ctx.F0, averagings: s.round,
      ...(s.ctx.Fstar === null ? {} : { Fstar: s.ctx.Fstar }),
      ...(s.ctx.E === null ? {} : { E: s.ctx.E, alpha: (2 * s.ctx.T) / ((s.ctx.E + 1) * s.ctx.E * s.ctx.tau0) }),
    }),
    run: (problem, hyper) => runFold(opt, problem, hyper),
  };

  return Object.freeze(opt);
}

export const adaLupaSGD: Optimizer<AdaLupaSGDHyper, AdaLupaSGDState> = adaLupaSGDWith(lupaRound);
