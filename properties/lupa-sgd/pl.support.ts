/**
 * Shared by the LUPA-SGD properties on PL objectives beyond least squares (L-8-*, L-9-*, L-7-ada-speedup): the two
 * problem families as one type, the paper's step-size schedule, the recalled bound of the main PL theorem, and the
 * Monte Carlo runner that returns the optimality gaps F(xbar_T) - F* of paired replicates (replicate m uses run seed
 * mcSeed(seed, m) at every design point, so the subject's worker streams are common random numbers across p, T, B).
 * Not a property file (the registry loads only *.prop.ts).
 *
 * Families (src/arbitraries): 'logistic' — l2-regularised logistic regression, IID row sampling with replacement, the
 * sampling noise does not vanish at x* (sigma2 = R^2 bounds it); 'sin' — the non-convex PL family of sinPlProblem,
 * full gradients plus Gaussian noise of per-coordinate sd sqrt(sigma2 / (B d)), so E||g~ - grad F||^2 = sigma2 / B
 * exactly at every x (docs/theory.md, LUPA-SGD setting: the variance assumption with C1 = 0).
 */
import type { LogisticPlProblem, SinPlProblem } from '../../src/arbitraries/index.ts';
import type { Vec } from '../../src/numeric/index.ts';
import type { AdaLupaSGDHyper, AdaSchedule } from '../../src/optimizers/adaLupaSGD.ts';
import type { LupaSGDHyper } from '../../src/optimizers/lupaSGD.ts';
import type { StepSize } from '../../src/optimizers/parts/check.ts';
import { capability } from '../../src/subject/index.ts';
import type { RunFn } from '../../src/optimizers/types.ts';
import { datasetLoss } from '../../src/problems/losses.ts';
import type { LossSpec } from '../../src/problems/losses.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';
import type { Subject } from '../../src/spec/index.ts';
import { finalModel, mcSeed } from './lupa.support.ts';

/** One PL objective as the LUPA properties use it. */
export interface PlObjective {
  readonly family: 'logistic' | 'sin';
  readonly ds: FederatedDataset;
  readonly loss: LossSpec;
  readonly d: number;
  readonly mu: number;
  readonly L: number;
  readonly kappa: number;
  /** variance of a batch-1 stochastic gradient: E||g~ - grad F||^2 <= sigma2 / B */
  readonly sigma2: number;
  readonly xStar: Vec;
  /** certified optimum (logistic: src/precise; sin: 0 exactly) */
  readonly Fstar: number;
  /** absolute accuracy of Fstar as an f64 (the certificate's gap bound plus one rounding) */
  readonly FstarError: number;
}

export function fromLogistic(pr: LogisticPlProblem): PlObjective {
  return {
    family: 'logistic', ds: pr.ds, loss: pr.loss, d: pr.d, mu: pr.mu, L: pr.L, kappa: pr.kappa, sigma2: pr.sigma2, xStar: pr.xStar,
    Fstar: pr.Fstar, FstarError: pr.gapBound + Number.EPSILON * Math.abs(pr.Fstar),
  };
}

/** sigma2 = sin noise variance per unit batch: the properties pick it (it does not come from the data). */
export function fromSin(pr: SinPlProblem, sigma2: number): PlObjective {
  return { family: 'sin', ds: pr.ds, loss: pr.loss, d: pr.d, mu: pr.mu, L: pr.L, kappa: pr.kappa, sigma2, xStar: pr.xStar, Fstar: 0, FstarError: 0 };
}

/**
 * The paper's decaying schedule (docs/theory.md, LUPA-SGD main result; the form is [RECALLED], the paper's text was
 * not available): eta_t = 4 / (mu (t + a)) with a = alpha tau + 4. We take alpha = 4 kappa, the smallest multiple of
 * kappa with eta_0 = 4/(mu (4 kappa tau + 4)) = 1/(L tau + mu) <= 1/(L tau): the usual local-SGD step condition
 * eta <= 1/(L tau) at t = 0 (so also eta_t <= 1/L, a descent step, for every t). In the optimizers' form a/(mu (t + b)):
 * a = 4, b = 4 kappa tau + 4.
 */
export function paperStep(o: Pick<PlObjective, 'mu' | 'kappa'>, tau: number): StepSize {
  return { a: 4, b: 4 * o.kappa * tau + 4, mu: o.mu };
}

/** The schedule's offset a = alpha tau + 4 with alpha = 4 kappa. */
export function paperOffset(kappa: number, tau: number): number {
  return 4 * kappa * tau + 4;
}

/**
 * The right-hand side of the main PL theorem as docs/theory.md recalls it (constants 4 and 256 [RECALLED], unverified):
 *   E F(xbar_T) - F* <= a^3/(T + a)^3 (F(x0) - F*) + 4 kappa sigma^2 T (T + 2a) / (mu p B (T + a)^3)
 *                      + 256 kappa^2 sigma^2 T (tau - 1) / (mu B (T + a)^3),        a = alpha tau + 4.
 */
export function recalledBound(o: Pick<PlObjective, 'mu' | 'kappa' | 'sigma2'>, h: { T: number; p: number; B: number; tau: number; gap0: number }): number {
  const a = paperOffset(o.kappa, h.tau);
  const Ta3 = (h.T + a) ** 3;
  const { kappa, sigma2, mu } = o;
  return (a ** 3 / Ta3) * h.gap0 + (4 * kappa * sigma2 * h.T * (h.T + 2 * a)) / (mu * h.p * h.B * Ta3) + (256 * kappa * kappa * sigma2 * h.T * (h.tau - 1)) / (mu * h.B * Ta3);
}

/** The LUPA-SGD hyperparameters of a run on o (sampling, batch and noise by family). */
export function lupaHyper(o: PlObjective, r: { p: number; B: number; T: number; tau: number; eta: StepSize; x0: Vec; seed: number }): LupaSGDHyper {
  const batch = o.family === 'logistic' ? { B: r.B } : { B: 'full' as const, noise: Math.sqrt(o.sigma2 / (r.B * o.d)) };
  return { loss: o.loss, p: r.p, T: r.T, tau: r.tau, eta: r.eta, w0: r.x0, seed: r.seed, record: 'last', ...batch };
}

/** The optimality gap F(w) - F* evaluated here (floored at 0: a gap below F*'s certified accuracy is 0). */
export function gapAt(o: PlObjective, w: Vec): number {
  return Math.max(0, datasetLoss(o.ds, o.loss, w) - o.Fstar);
}

export interface RunPoint {
  readonly p: number;
  readonly B: number;
  readonly T: number;
  readonly tau: number;
  readonly eta: StepSize;
}

/** Gaps of `samples` paired replicates of the subject's LUPA-SGD at one design point. */
export function lupaGaps(subject: Subject, o: PlObjective, pt: RunPoint, x0: Vec, seed: number, samples: number): number[] {
  const run = capability<RunFn<LupaSGDHyper>>(subject, 'lupaSGD');
  const out: number[] = [];
  for (let m = 0; m < samples; m++) {
    const tr = run(o.ds, lupaHyper(o, { ...pt, x0, seed: mcSeed(seed, m) }));
    out.push(gapAt(o, finalModel(tr, `lupaSGD (p ${pt.p}, B ${pt.B}, T ${pt.T}, tau ${pt.tau})`)));
  }
  return out;
}

/**
 * Gaps of `samples` paired replicates of the subject's ADA-LUPA-SGD at one design point, and the largest period any
 * replicate ran (tau_i = localSteps[i+1] - localSteps[i], read off the trace: the schedule's growth).
 */
export function adaGaps(
  subject: Subject, o: PlObjective, pt: { p: number; B: number; T: number; tau0: number; eta: StepSize; schedule: AdaSchedule }, x0: Vec, seed: number, samples: number,
): { gaps: number[]; maxTau: number } {
  const run = capability<RunFn<AdaLupaSGDHyper>>(subject, 'adaLupaSGD');
  const gaps: number[] = [];
  let maxTau = 0;
  for (let m = 0; m < samples; m++) {
    const { tau: _period, record: _record, ...rest } = lupaHyper(o, { p: pt.p, B: pt.B, T: pt.T, tau: 1, eta: pt.eta, x0, seed: mcSeed(seed, m) });
    const tr = run(o.ds, { ...rest, tau0: pt.tau0, schedule: pt.schedule, record: 'all' });
    const ls = tr.localSteps;
    if (!Array.isArray(ls) || ls.length !== tr.models.length) throw new Error('adaLupaSGD: the trace must record localSteps for every round');
    for (let i = 0; i + 1 < ls.length; i++) maxTau = Math.max(maxTau, ls[i + 1] - ls[i]);
    gaps.push(gapAt(o, finalModel(tr, `adaLupaSGD (p ${pt.p}, B ${pt.B}, T ${pt.T}, tau0 ${pt.tau0})`)));
  }
  return { gaps, maxTau };
}
