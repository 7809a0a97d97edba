/**
 * L-1 (docs/theory.md#26-how-tau-enters, docs/theory.md#6-property-catalogue): with one worker, or with p workers holding identical objectives and deterministic
 * (full-batch, noise-free) gradients, the averaging period has no effect: xbar_T(tau) = xbar_T(1) for every tau.
 * Exact identity up to rounding (tolerance k EPS S sqrt(d), derived in the note). Kills mutant #6.
 */
import fc from 'fast-check';
import { plProblem } from '../../src/arbitraries/index.ts';
import { capability } from '../../src/subject/index.ts';
import { defineTheorem, type Subject } from '../../src/spec/index.ts';
import { EPS } from '../../src/numeric/index.ts';
import {
  copiesOf, lsFromPl, OFFSETS, periodsFor, relativeTauSpread, startNear, startsOffOptimum, stepFor, tauInvarianceK,
  type TauCase, PAPER } from './lupa.support.ts';

export const STATEMENT = String.raw`\bigl(p = 1\bigr)\ \text{or}\ \bigl(f_1 = \dots = f_p,\ \tilde g_j = \nabla f_j\bigr) \;\Longrightarrow\; \bar x^{(T)}(\tau) = \bar x^{(T)}(1)\quad \forall\, \tau \ge 1`;

/** Mode 'single': p = 1 with any sampling and noise. Mode 'identical': p >= 2 copies of one objective, full gradients, no noise. */
export interface InvarianceCase extends TauCase {
  readonly mode: 'single' | 'identical';
}

const problems = plProblem({ kind: 'least-squares', sampling: 'iid', maxDim: 4, maxLogKappa: 3, maxWorkers: 1 });

export const instances: fc.Arbitrary<InvarianceCase> = fc
  .record({
    pr: problems,
    mode: fc.constantFrom<'single' | 'identical'>('single', 'identical'),
    p: fc.integer({ min: 2, max: 6 }),
    B: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constant<'full'>('full')),
    shards: fc.boolean(),
    noiseExp: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
    decaying: fc.boolean(),
    T: fc.integer({ min: 3, max: 40 }),
    free: fc.integer({ min: 2, max: 45 }),
    u: OFFSETS,
    seed: fc.integer(),
  })
  .map(({ pr, mode, p, B, shards, noiseExp, decaying, T, free, u, seed }): InvarianceCase => {
    const pb = lsFromPl(pr);
    const single = mode === 'single';
    const P = single ? 1 : p;
    const sampling = !single && shards ? 'shards' : 'iid';
    return {
      mode, pb, p: P, sampling, ds: sampling === 'shards' ? copiesOf(pb, P) : pb.ds,
      B: single ? B : 'full', noise: single && noiseExp !== undefined ? 2 ** -noiseExp : 0,
      eta: stepFor(pb, decaying), T, taus: periodsFor(T, free), x0: startNear(pb, u), seed,
    };
  });

export const spec = defineTheorem<InvarianceCase, number>({
  id: 'L-1-tau-invariance',
  title: 'LUPA-SGD: with p = 1, or identical deterministic objectives, the period tau has no effect',
  source: {
    paper: PAPER,
    version: 'algorithm as on the official poster and code (docs/theory.md#22-algorithm-lupa-sgd)',
    locator: 'Algorithm 1 (poster); docs/theory.md#26-how-tau-enters exact identities, L-1',
    provenance: 'derived',
  },
  statement: STATEMENT,
  kind: 'equivalence',
  requires: ['lupaSGD'],
  hypotheses: [
    {
      name: 'p = 1, or identical objectives with deterministic gradients (full batch, no noise)',
      check: (c) => c.p === 1 || (c.B === 'full' && c.noise === 0 && (c.sampling === 'iid' || c.ds.nodes.every((nd) => nd.X === c.pb.X && nd.y === c.pb.y)))
        || `p = ${c.p}, B = ${c.B}, noise = ${c.noise}, sampling ${c.sampling}`,
    },
    { name: 'eta_t <= 1/max_i ||x_i||^2 (every step nonexpansive)', check: (c) => (typeof c.eta === 'number' ? c.eta : c.eta.a / (c.eta.mu * c.eta.b)) <= 1 / c.pb.R2 || 'eta_0 too large' },
  ],
  instances,
  observe: (c: InvarianceCase, subject: Subject) => relativeTauSpread(capability(subject, 'lupaSGD'), c),
  bound: () => 0,
  tolerance: (c) => ({
    abs: tauInvarianceK(c) * EPS * Math.sqrt(c.pb.d),
    why: `k EPS sqrt(d), k = 2T(rows + d + p + 3) = ${tauInvarianceK(c)}: per-iteration step and averaging rounding of both runs, relative to the run scale S`,
  }),
  nonVacuous: (c) => startsOffOptimum(c.pb, c.x0) || c.noise > 0 || (c.B !== 'full' && c.pb.Fstar > 0) || 'x0 is a minimiser and the gradients are exact: nothing moves',
  profiles: { ci: 25, default: 100, hunt: 1000 },
  hints: [
    'a truncated last round (tau does not divide T) treated as a full one: a step-count normaliser uses tau instead of T mod tau (mutant #6)',
    'random draws that depend on tau (e.g. one stream per round) break the p = 1 identity',
  ],
});
