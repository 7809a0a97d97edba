/**
 * Shared by the ADA-LUPA-SGD properties (L-7-*; docs/theory.md#24-ada-lupa-sgd; Haddadpour et al., NeurIPS 2019, poster and code):
 * the instance, the schedule read off a trace (tau_i = localSteps[i+1] - localSteps[i], so any plug-in that fills
 * Trace.localSteps is judged), the loss at the start of each round evaluated HERE from the traced models, and the two
 * schedules recomputed independently:
 *   loss-ratio (poster rule, loss at the start of round i):  tau_i = min(max(1, ceil(cbrt(F_0 / F_i))) tau_0, T - t_i)
 *   gap (the paper's gap rule, certified F*):                 tau_i = min(max(1, ceil(cbrt((F_0 - F*) / (F_i - F*)))) tau_0, T - t_i)
 *   linear (official code):                                   tau_i = min(tau_0 + ceil(2 T i / (E (E + 1))), T - t_i)
 * Not a property file.
 */
import fc from 'fast-check';
import { plProblem } from '../../src/arbitraries/index.ts';
import { EPS } from '../../src/numeric/index.ts';
import type { Vec } from '../../src/numeric/index.ts';
import type { AdaLupaSGDHyper, AdaSchedule } from '../../src/optimizers/adaLupaSGD.ts';
import type { StepSize } from '../../src/optimizers/parts/check.ts';
import type { RunFn, Trace } from '../../src/optimizers/types.ts';
import { capability } from '../../src/subject/index.ts';
import type { Subject } from '../../src/spec/index.ts';
import { lossAt, lsFromPl, SQUARED, stepFor, type LsProblem } from './lupa.support.ts';

export interface AdaCase {
  readonly pb: LsProblem;
  readonly p: number;
  readonly B: number;
  readonly noise: number;
  readonly eta: StepSize;
  readonly T: number;
  readonly tau0: number;
  readonly schedule: AdaSchedule;
  readonly x0: Vec;
  readonly seed: number;
}

/** tau_0 = max(1, floor(T^{2/3} / (pB)^{1/3} / 2)): below the (iii) scale T^{2/3}/(pB)^{1/3}, so the rule has room to grow. */
export function tau0For(T: number, p: number, B: number): number {
  return Math.max(1, Math.floor(Math.cbrt((T * T) / (p * B)) / 2));
}

/** x0 = x* + u/2, u in {-4..4}^d: starts far enough from x* that F falls by several times. */
export const FAR_OFFSETS = fc.array(fc.integer({ min: -4, max: 4 }), { minLength: 6, maxLength: 6 });

export function adaCases(schedule: fc.Arbitrary<'loss-ratio' | 'gap' | 'linear'>): fc.Arbitrary<AdaCase> {
  return fc
    .record({
      pr: plProblem({ kind: 'least-squares', sampling: 'iid', maxDim: 3, maxLogKappa: 2, maxWorkers: 1 }),
      p: fc.integer({ min: 1, max: 4 }),
      B: fc.integer({ min: 1, max: 2 }),
      noiseExp: fc.integer({ min: 1, max: 5 }),
      decaying: fc.boolean(),
      T: fc.integer({ min: 16, max: 96 }),
      kind: schedule,
      E: fc.integer({ min: 2, max: 8 }),
      u: FAR_OFFSETS,
      seed: fc.integer(),
    })
    .map(({ pr, p, B, noiseExp, decaying, T, kind, E, u, seed }): AdaCase => {
      const pb = lsFromPl(pr);
      return {
        pb, p, B, noise: 2 ** -noiseExp, eta: stepFor(pb, decaying), T, tau0: tau0For(T, p, B),
        schedule: kind === 'linear' ? { linear: { E } } : kind === 'gap' ? { gap: { Fstar: pb.Fstar } } : 'loss-ratio', x0: Float64Array.from(pb.xStar, (x, j) => x + u[j] / 2), seed,
      };
    });
}

export function runAda(subject: Subject, c: AdaCase, seed = c.seed): Trace {
  const run = capability<RunFn<AdaLupaSGDHyper>>(subject, 'adaLupaSGD');
  return run(c.pb.ds, {
    loss: SQUARED, eta: c.eta, T: c.T, p: c.p, B: c.B, noise: c.noise, tau0: c.tau0, schedule: c.schedule, w0: c.x0, seed, record: 'all',
  });
}

export interface Schedule {
  /** tau_i per round, from localSteps */
  readonly tau: number[];
  /** F at the start of round i (F(models[i])), evaluated here */
  readonly F: number[];
}

export function scheduleOf(tr: Trace, c: AdaCase): Schedule {
  const ls = tr.localSteps;
  if (!Array.isArray(ls) || ls.length !== tr.models.length || ls.length < 1) {
    throw new Error(`adaLupaSGD: the trace must record localSteps for every round (got ${Array.isArray(ls) ? ls.length : 'none'} for ${tr.models.length} models)`);
  }
  const tau: number[] = [];
  const F: number[] = [];
  for (let i = 0; i + 1 < ls.length; i++) {
    tau.push(ls[i + 1] - ls[i]);
    F.push(lossAt(c.pb.ds, tr.models[i]));
  }
  return { tau, F };
}

/** Relative rounding of one F evaluation (a mean of rows squares of d-term dots, all terms >= 0). */
export function lossRounding(c: AdaCase): number {
  return (c.pb.n + c.pb.d + 2) * EPS;
}

function multiplier(F0: number, Fi: number): number {
  if (F0 === 0 && Fi === 0) return 1;
  return Math.max(1, Math.ceil(Math.cbrt(F0 / Fi)));
}

/** The gap multiplier, written here independently of the optimizer: gaps <= 0 mean "at the optimum". */
function gapMult(g0: number, gi: number): number {
  if (!(g0 > 0)) return 1;
  if (!(gi > 0)) return Infinity;
  return Math.max(1, Math.ceil(Math.cbrt(g0 / gi)));
}

/**
 * The rule's tau_i given the traced F_i, as an interval [lo, hi] that absorbs the rounding of F_0 and F_i (a
 * multiplier at an exact integer cube root could flip by one); the two ends are equal except at such boundaries.
 */
export function ruleTau(c: AdaCase, i: number, F0: number, Fi: number, done: number): [number, number] {
  const rest = c.T - done;
  if (typeof c.schedule === 'object' && 'linear' in c.schedule) {
    const { E } = c.schedule.linear;
    const den = E * (E + 1);
    const t = Math.min(c.tau0 + Math.floor((2 * c.T * i + den - 1) / den), rest);
    return [t, t];
  }
  const r = lossRounding(c);
  if (typeof c.schedule === 'object') {
    // why: F_0 and F_i carry relative rounding r each; F* is the certified optimum (exact for these instances)
    const Fs = c.schedule.gap.Fstar;
    const lo = Math.min(gapMult(F0 * (1 - r) - Fs, Fi * (1 + r) - Fs) * c.tau0, rest);
    const hi = Math.min(gapMult(F0 * (1 + r) - Fs, Fi * (1 - r) - Fs) * c.tau0, rest);
    return [lo, hi];
  }
  const lo = Math.min(multiplier(F0 * (1 - r), Fi * (1 + r)) * c.tau0, rest);
  const hi = Math.min(multiplier(F0 * (1 + r), Fi * (1 - r)) * c.tau0, rest);
  return [lo, hi];
}

/** Largest interval the schedule can produce, from the instance alone: loss-ratio with F* > 0 saturates at (F0/F*)^{1/3}. */
export function tauCap(c: AdaCase): number {
  if (typeof c.schedule === 'object' && 'gap' in c.schedule) return c.T;
  if (typeof c.schedule === 'object') {
    const { E } = c.schedule.linear;
    const den = E * (E + 1);
    let done = 0;
    let worst = 0;
    for (let i = 0; done < c.T; i++) {
      const t = Math.min(c.tau0 + Math.floor((2 * c.T * i + den - 1) / den), c.T - done);
      worst = Math.max(worst, t);
      done += t;
    }
    return worst;
  }
  if (!(c.pb.Fstar > 0)) return c.T;
  const r = lossRounding(c);
  return Math.min(c.T, multiplier(lossAt(c.pb.ds, c.x0) * (1 + r), c.pb.Fstar * (1 - r)) * c.tau0);
}
