/**
 * C-4, the recurrence check: the first rounds of every run capability equal the specified recurrence on the supplied
 * randomness. The subject and the reference (src/subject/builtin.ts) run the same small instance with the same
 * random draws (hyper.draws, ci/PROTOCOL.md); their models may differ only by rounding. This is what catches a wrong
 * mean (sum instead of mean loss), wrong weights (uniform instead of n_k/N), a wrong step (eta B/N instead of eta),
 * a sampler that ignores the draws (first m clients, with replacement), in one round, on any subject.
 *
 * Rounding budget of two implementations of one recurrence (u = EPS/2, gamma_n = n u / (1 - n u)). On a path with
 * |w|_inf <= S, rows with ||x||_1 <= X1 and ||x||_inf <= Xinf, |y| <= Y and a derivative bound M of the sample loss
 * (squared: X1 S + Y; logistic: 1), one stochastic or full gradient step over n rows rounds by at most
 *   eta Xinf (gamma_d X1 S + gamma_{n+2} M) + 3u (S + eta M Xinf)           (dot products, the mean, the update)
 * and one aggregation of K models by at most gamma_{2K+3} 2S. The step size eta <= 1/(2 beta) of the conformance
 * cases makes every local map non-expansive, so errors add up over the sequential steps without growth; counting an
 * aggregation at every step over-counts. Two implementations: twice that. A planted bug moves a model by O(eta |g|),
 * many orders above this budget.
 */
import { EPS } from '../numeric/index.ts';
import type { Vec } from '../numeric/types.ts';
import type { Trace } from '../optimizers/types.ts';
import type { FederatedDataset } from '../problems/types.ts';
import type { RunContext, Subject } from '../spec/types.ts';
import { builtinSubject } from '../subject/builtin.ts';
import { gateDraws } from '../subject/draws.ts';
import { callFor, type ConformanceCase, type FederatedCapability } from './conformanceCases.ts';
import { presentCapabilities } from './conformance.ts';

type RunAny = (problem: FederatedDataset, hyper: Record<string, unknown>) => Trace;

const gamma = (n: number): number => {
  const u = EPS / 2;
  return (n * u) / (1 - n * u);
};

/** Sequential gradient steps and rows per gradient of capability `name` on case c. */
function shape(name: FederatedCapability, c: ConformanceCase): { steps: number; rows: number; K: number } {
  const N = c.problem.nodes.reduce((s, nd) => s + nd.X.rows, 0);
  const nMax = Math.max(1, ...c.problem.nodes.map((nd) => nd.X.rows));
  const K = c.problem.nodes.length;
  switch (name) {
    case 'centralizedGD': return { steps: c.R, rows: N, K: 1 };
    case 'centralizedSGD': return { steps: c.R, rows: c.B, K: 1 };
    case 'localGD': case 'modifiedLocalGD': return { steps: c.R * c.L, rows: nMax, K };
    case 'localSGD': return { steps: c.R * c.L, rows: c.B, K };
    // LUPA: p = K workers, T = R L iterations; B rows from the pooled data ('iid', the conformance default)
    case 'lupaSGD': case 'adaLupaSGD': return { steps: c.R * c.L, rows: c.B, K };
  }
}

/** The derived budget for |subject - reference| on every model of the run (see the header). */
export function recurrenceTolerance(name: FederatedCapability, c: ConformanceCase, ref: Trace): number {
  const d = c.problem.d;
  let S = 0;
  for (const w of [c.w0, ...ref.models]) for (let j = 0; j < w.length; j++) S = Math.max(S, Math.abs(w[j]));
  let X1 = 0;
  let Xinf = 0;
  let Y = 0;
  for (const nd of c.problem.nodes) {
    for (let i = 0; i < nd.X.rows; i++) {
      let a = 0;
      for (let j = 0; j < d; j++) {
        const x = Math.abs(nd.X.data[i * d + j]);
        a += x;
        Xinf = Math.max(Xinf, x);
      }
      X1 = Math.max(X1, a);
      Y = Math.max(Y, Math.abs(nd.y[i]));
    }
  }
  const M = c.loss.name === 'squared' ? X1 * S + Y : 1;
  const { steps, rows, K } = shape(name, c);
  const u = EPS / 2;
  const perStep = c.eta * Xinf * (gamma(d) * X1 * S + gamma(rows + 2) * M) + 3 * u * (S + c.eta * M * Xinf) + gamma(2 * K + 3) * 2 * S;
  // a tiny floor: a run of 0 steps still compares w0 (which must be bit for bit), any positive budget scale works
  return 2 * Math.max(1, steps) * perStep + Number.MIN_VALUE;
}

const maxDiff = (a: readonly Vec[], b: readonly Vec[]): number => {
  let m = 0;
  for (let r = 0; r < a.length; r++) for (let j = 0; j < a[r].length; j++) m = Math.max(m, Math.abs(a[r][j] - b[r][j]));
  return m;
};

const sameModels = (a: Trace, b: Trace): boolean =>
  a.models.length === b.models.length && a.models.every((w, r) => w.every((x, j) => Object.is(x, b.models[r][j])));

/**
 * For every present capability: |subject - reference| / budget over all recorded models (record 'all'), on the gate's
 * draws. A subject with its own sampler (ctx.sampler 'own') is compared only where the capability draws nothing.
 * Throws one line when a trace has another number of records than the reference, or when a subject that should use
 * the gate's draws ignores them (its models do not change when the draws do, while the reference's do).
 */
export function recurrenceRatios(subject: Subject, c: ConformanceCase, ctx: RunContext): { names: string[]; ratios: number[] } {
  const names: string[] = [];
  const ratios: number[] = [];
  for (const name of presentCapabilities(subject)) {
    const call = callFor(name, c);
    if (call === null) continue;
    const ref0 = builtinSubject[name] as RunAny;
    const sub = subject[name] as RunAny;
    const draws = gateDraws(name, c.problem, call.hyper);
    if (draws !== undefined && ctx.sampler === 'own') continue;
    const hyper = draws === undefined ? call.hyper : { ...call.hyper, draws };
    const ref = ref0(c.problem, hyper);
    const got = sub(c.problem, hyper);
    if (got.models.length !== ref.models.length) {
      throw new Error(`recurrence broken: ${name} recorded ${got.models.length} rounds where the specified recurrence records ${ref.models.length} (rounds ${JSON.stringify(ref.rounds)})`);
    }
    if (draws !== undefined) {
      // the same hyperparameters with the draws of another seed: the reference moves, a subject using them must too
      const other = gateDraws(name, c.problem, { ...call.hyper, seed: ((call.hyper.seed as number | undefined) ?? 0) + 1 });
      if (other !== undefined) {
        const h2 = { ...call.hyper, draws: other };
        const ref2 = ref0(c.problem, h2);
        if (!sameModels(ref, ref2) && sameModels(got, sub(c.problem, h2))) {
          throw new Error(`recurrence broken: ${name} ignores the supplied random draws (hyper.draws: ${Object.keys(draws).join(', ')}): its models did not change when the draws did; use them, or declare sampler 'own' (ci/PROTOCOL.md)`);
        }
      }
    }
    names.push(name);
    ratios.push(maxDiff(got.models, ref.models) / recurrenceTolerance(name, c, ref));
  }
  return { names, ratios };
}
