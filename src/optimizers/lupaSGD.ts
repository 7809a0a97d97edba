/**
 * LUPA-SGD(tau): local updates with periodic averaging (Haddadpour, Kamani, Mahdavi, Cadambe, NeurIPS 2019,
 * arXiv 1910.13598; Algorithm 1 as on the official poster; docs/theory.md#22-algorithm-lupa-sgd):
 *
 *   x_j^{(0)} = x^{(0)};   for t = 0..T-1, every worker j:
 *     x_j^{(t+1)} = (1/p) sum_j' (x_j'^{(t)} - eta_t g~_j') if tau divides t + 1,   else x_j^{(t)} - eta_t g~_j
 *   output xbar^{(T)} = (1/p) sum_j x_j^{(T)}
 *
 * Symbols: p workers, B minibatch size, T iterations per worker, tau local steps between averagings, eta_t constant
 * or a/(mu(t+b)).
 *
 * Sync count (the rule the bookkeeping test checks): number of synchronisations = floor(T/tau) periodic averages,
 * plus one final average of the T mod tau trailing steps when tau does not divide T. When tau divides T there is no
 * extra average: the last periodic average (after step T) IS the output xbar^{(T)}, so averagings = T/tau and
 * extra.finalAverage = false; otherwise averagings = floor(T/tau) + 1 and the last round runs only T mod tau steps.
 * Each averaging is one round: Trace.rounds has ceil(T/tau) + 1 entries under record 'all', communications grow by
 * p per averaging, and localSteps is t. Trace.extra gives { syncs: floor(T/tau), finalAverage: T mod tau != 0,
 * averagings: ceil(T/tau) }.
 * Sampling ('iid' pooled with replacement, or pinned 'shards'), 'full' batches and noise: parts/lupa.ts.
 * Deliberate differences from the official code: plain SGD locally (the code ran Adam, docs/theory.md#22-algorithm-lupa-sgd).
 */
import { runFold } from './fold.ts';
import { intAtLeast } from './parts/check.ts';
import { lupaContext, lupaObjective, lupaRound } from './parts/lupa.ts';
import type { LupaCommonHyper, LupaContext, LupaState } from './parts/lupa.ts';
import type { Vec } from '../numeric/types.ts';
import type { Optimizer } from './types.ts';

export interface LupaSGDHyper extends LupaCommonHyper {
  /** local steps between averagings (integer >= 1) */
  readonly tau: number;
}

export interface LupaSGDState extends LupaState {
  readonly ctx: LupaContext & { readonly tau: number };
}

const FN = 'lupaSGD';

/** One averaging round: the p workers' `steps` local steps from xbar (iterations t..t+steps-1), then the new xbar. */
export type LupaRoundFn = (ctx: LupaSGDState['ctx'], xbar: Vec, t: number, steps: number, round: number) => Vec;

/**
 * LUPA-SGD with its round swapped: the bookkeeping (periods, the truncated last round, rounds, communications, the
 * summary) stays the reference's. The reference is lupaSGDWith(lupaRound); the planted bugs of src/gate/mutants
 * swap the round (M06: the normaliser; P11: the workers' random streams), so they differ from it in one part only.
 */
export function lupaSGDWith(round: LupaRoundFn): Optimizer<LupaSGDHyper, LupaSGDState> {
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
      const w = round(ctx, s.w, s.t, steps, s.round);
      const t = s.t + steps;
      return Object.freeze({
        round: s.round + 1, w, t, lastTau: steps, localSteps: t, communications: s.communications + ctx.p, done: t >= ctx.T, ctx,
      });
    },
    objective: (s) => lupaObjective(s.ctx, s.w),
    summary: (s) => ({ syncs: Math.floor(s.ctx.T / s.ctx.tau), finalAverage: s.ctx.T % s.ctx.tau !== 0, averagings: s.round }),
    run: (problem, hyper) => runFold(opt, problem, hyper),
  };
  return Object.freeze(opt);
}

export const lupaSGD: Optimizer<LupaSGDHyper, LupaSGDState> = lupaSGDWith(lupaRound);
