/**
 * L-5 (docs/theory.md#23-main-result, docs/theory.md#6-property-catalogue): LUPA-SGD(tau) over T iterations per worker averages exactly ceil(T / tau) times
 * (floor(T/tau) synchronisations, plus the output average when tau does not divide T), uploads p models per
 * averaging and runs T local iterations; at tau* = ceil(T^{2/3} / p^{1/3}) that is at most ceil((pT)^{1/3}) rounds,
 * the O((pT)^{1/3}) of the abstract. Exact integer arithmetic; kills mutant #8 (the averaging period shrinks).
 */
import fc from 'fast-check';
import { plProblem } from '../../src/arbitraries/index.ts';
import type { RunFn, Trace } from '../../src/optimizers/types.ts';
import type { LupaSGDHyper } from '../../src/optimizers/lupaSGD.ts';
import { capability } from '../../src/subject/index.ts';
import { defineTheorem, type Subject } from '../../src/spec/index.ts';
import { lsFromPl, SQUARED, tauStar, type LsProblem, PAPER } from './lupa.support.ts';

export { roundCap, tauStar } from './lupa.support.ts';

export const STATEMENT = String.raw`R(\tau) = \lceil T/\tau \rceil = \lfloor T/\tau \rfloor + [\tau \nmid T],\quad U(\tau) = p\,R(\tau),\quad t_{\mathrm{end}} = T;\qquad \tau^\star = \min\{\tau \in \mathbb{N} : p\,\tau^3 \ge T^2\} = \lceil T^{2/3}/p^{1/3} \rceil \;\Rightarrow\; R(\tau^\star) \le \lceil (pT)^{1/3} \rceil`;

export interface RoundsCase {
  readonly pb: LsProblem;
  readonly p: number;
  readonly T: number;
  /** tau* first, then free choices (tau > T allowed: one round of T steps) */
  readonly taus: readonly number[];
  readonly seed: number;
}

const instances: fc.Arbitrary<RoundsCase> = fc
  .record({
    pr: plProblem({ kind: 'least-squares', sampling: 'iid', maxDim: 2, maxLogKappa: 2, maxWorkers: 1 }),
    p: fc.integer({ min: 1, max: 6 }),
    T: fc.integer({ min: 1, max: 120 }),
    extra: fc.array(fc.integer({ min: 1, max: 130 }), { minLength: 1, maxLength: 2 }),
    seed: fc.integer(),
  })
  .map(({ pr, p, T, extra, seed }) => ({ pb: lsFromPl(pr), p, T, taus: [tauStar(T, p), ...extra], seed }));

function counts(tr: Trace, p: number, who: string): number[] {
  const last = (xs: readonly number[] | undefined, what: string): number => {
    if (!Array.isArray(xs) || xs.length === 0) throw new Error(`${who}: the trace has no ${what}`);
    return xs[xs.length - 1];
  };
  return [last(tr.rounds, 'rounds'), last(tr.communications, 'communications') / p, last(tr.localSteps, 'localSteps')];
}

export const spec = defineTheorem<RoundsCase, number[]>({
  id: 'L-5-rounds',
  title: 'LUPA-SGD averages ceil(T/tau) times; at tau* = ceil(T^{2/3}/p^{1/3}) that is O((pT)^{1/3}) rounds',
  source: {
    paper: PAPER,
    version: 'NeurIPS 2019 camera-ready; poster and abstract',
    locator: 'abstract (O((pT)^{1/3}) rounds); poster Algorithm 1 and comparison table; docs/theory.md#22-algorithm-lupa-sgd, docs/theory.md#23-main-result, L-5',
    provenance: ['read-2', 'derived'],
  },
  statement: STATEMENT,
  kind: 'tight',
  requires: ['lupaSGD'],
  hypotheses: [
    { name: 'T >= 1 and every tau >= 1 are integers', check: (c) => (Number.isInteger(c.T) && c.T >= 1 && c.taus.every((t) => Number.isInteger(t) && t >= 1)) || `T ${c.T}, taus ${c.taus.join(', ')}` },
    { name: 'taus[0] is tau*', check: (c) => c.taus[0] === tauStar(c.T, c.p) || `taus[0] = ${c.taus[0]} but tau* = ${tauStar(c.T, c.p)}` },
  ],
  instances,
  observe: (c: RoundsCase, subject: Subject) => {
    const run = capability<RunFn<LupaSGDHyper>>(subject, 'lupaSGD');
    const out: number[] = [];
    for (const tau of c.taus) {
      const tr = run(c.pb.ds, { loss: SQUARED, eta: 1 / c.pb.R2, T: c.T, tau, p: c.p, B: 1, seed: c.seed, record: 'last' });
      out.push(...counts(tr, c.p, `L-5 (tau ${tau})`));
    }
    return out;
  },
  bound: (c) => c.taus.flatMap((tau) => [Math.ceil(c.T / tau), Math.ceil(c.T / tau), c.T]),
  tolerance: { abs: 0, why: 'integer counts: averagings, uploads / p and iterations per worker must agree exactly' },
  profiles: { ci: 25, default: 100, hunt: 1000 },
  hints: [
    'more averagings than ceil(T/tau): the sync counter advances more than once per local step (mutant #8: per parameter block)',
    'uploads != p per averaging: not every worker takes part in each average',
  ],
});
