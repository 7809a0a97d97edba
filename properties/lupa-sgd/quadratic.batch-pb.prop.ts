/**
 * L-2 (docs/theory.md#26-how-tau-enters, docs/theory.md#6-property-catalogue): on a quadratic objective held identically by p workers whose oracle is the exact gradient
 * plus additive noise (C1 = 0), the average of LUPA-SGD(tau) follows the tau = 1 run -- minibatch SGD whose gradient
 * is the mean of the p workers' draws (batch pB) -- exactly, for every tau, given the same draws and the same eta_t.
 * Exact identity up to rounding. Kills mutant #6; dropping C1 = 0 (row sampling) is found violated by search.
 */
import fc from 'fast-check';
import { plProblem } from '../../src/arbitraries/index.ts';
import { EPS } from '../../src/numeric/index.ts';
import { capability } from '../../src/subject/index.ts';
import { defineTheorem, type Subject } from '../../src/spec/index.ts';
import {
  copiesOf, lsFromPl, OFFSETS, periodsFor, relativeTauSpread, startNear, stepFor, tauInvarianceK, type TauCase, PAPER } from './lupa.support.ts';

export const STATEMENT = String.raw`F(x) = \tfrac12 (x - x^\star)^\top H (x - x^\star) + F^\star,\ f_j = F,\ \tilde g_j(x) = \nabla F(x) + \sigma \xi_{j,t}\ (C_1 = 0) \;\Longrightarrow\; \bar x^{(t+1)} = \bar x^{(t)} - \eta_t \Bigl(\nabla F(\bar x^{(t)}) + \tfrac{\sigma}{p}\textstyle\sum_{j} \xi_{j,t}\Bigr)\ \text{for every } \tau,\ \text{so } \bar x^{(T)}(\tau) = \bar x^{(T)}(1)`;

const problems = plProblem({ kind: 'least-squares', sampling: 'iid', maxDim: 4, maxLogKappa: 3, maxWorkers: 1 });

/** B and sampling free, so the dropped-hypothesis teeth can reuse the generator with B = 1 or 2. */
export function batchCases(B: fc.Arbitrary<number | 'full'>): fc.Arbitrary<TauCase> {
  return fc
    .record({
      pr: problems,
      p: fc.integer({ min: 2, max: 6 }),
      B,
      shards: fc.boolean(),
      noiseExp: fc.integer({ min: 0, max: 4 }),
      decaying: fc.boolean(),
      T: fc.integer({ min: 3, max: 40 }),
      free: fc.integer({ min: 2, max: 45 }),
      u: OFFSETS,
      seed: fc.integer(),
    })
    .map(({ pr, p, B: b, shards, noiseExp, decaying, T, free, u, seed }): TauCase => {
      const pb = lsFromPl(pr);
      return {
        pb, p, B: b, sampling: shards ? 'shards' : 'iid', ds: shards ? copiesOf(pb, p) : pb.ds, noise: 2 ** -noiseExp,
        eta: stepFor(pb, decaying), T, taus: periodsFor(T, free), x0: startNear(pb, u), seed,
      };
    });
}

export const spec = defineTheorem<TauCase, number>({
  id: 'L-2-batch-pb',
  title: 'LUPA-SGD on an identical quadratic with additive noise: the average is minibatch SGD (batch pB) for every tau',
  source: {
    paper: PAPER,
    version: 'algorithm as on the official poster and code (docs/theory.md#22-algorithm-lupa-sgd); oracle model of docs/theory.md#21-setting-and-assumptions',
    locator: 'Algorithm 1 (poster); variance model E||g - grad F||^2 <= C1 ||grad F||^2 + sigma^2/B; docs/theory.md#26-how-tau-enters, L-2',
    provenance: ['derived', 'num'],
  },
  statement: STATEMENT,
  kind: 'equivalence',
  requires: ['lupaSGD'],
  hypotheses: [
    { name: 'quadratic objective (least squares)', check: (c) => c.ds.task === 'regression' || `task ${c.ds.task}` },
    {
      name: 'identical data on every worker',
      check: (c) => c.sampling === 'iid' || c.ds.nodes.every((nd) => nd.X === c.pb.X && nd.y === c.pb.y) || 'shards differ',
    },
    { name: 'C1 = 0: exact gradient plus additive noise (full batch)', check: (c) => c.B === 'full' || `B = ${c.B}: row sampling makes the Hessian of the oracle random` },
    { name: 'eta_t <= 1/max_i ||x_i||^2 (every step nonexpansive)', check: (c) => (typeof c.eta === 'number' ? c.eta : c.eta.a / (c.eta.mu * c.eta.b)) <= 1 / c.pb.R2 || 'eta_0 too large' },
  ],
  instances: batchCases(fc.constant<'full'>('full')),
  observe: (c: TauCase, subject: Subject) => relativeTauSpread(capability(subject, 'lupaSGD'), c),
  bound: () => 0,
  tolerance: (c) => ({
    abs: tauInvarianceK(c) * EPS * Math.sqrt(c.pb.d),
    why: `k EPS sqrt(d), k = 2T(rows + d + p + 3) = ${tauInvarianceK(c)}: per-iteration step and averaging rounding of both runs, relative to the run scale S`,
  }),
  nonVacuous: (c) => (c.noise > 0 && c.p >= 2) || 'no noise or one worker: L-1 covers it',
  profiles: { ci: 25, default: 100, hunt: 1000 },
  hints: [
    'a truncated last round normalised by tau instead of T mod tau (mutant #6) over-steps the final average',
    'noise draws keyed by the round instead of (worker, iteration) make xbar depend on tau',
  ],
});
