/**
 * C-5 (conformance, subjects with their own sampler): the random choices a subject makes with its own generator follow
 * the reference's sampling rules: each round takes m distinct participants, each node with probability m/K; each
 * minibatch takes B rows, each uniformly with replacement. Read off the subject's own traces on instances where every
 * sample moves one coordinate alone (src/gate/samplerCheck.ts). Note: proofs-notes/C-5-sampler.md.
 */
import fc from 'fast-check';
import { samplerSurprise, type SamplerCase } from '../../src/gate/samplerCheck.ts';
import { defineTheorem } from '../../src/spec/index.ts';

/** Per-instance level of the binomial tests: with the ci profile's 20 instances a correct sampler fails w.p. <= 2e-3. */
export const ALPHA = 1e-4;
const ROUNDS = 40;

export const STATEMENT = String.raw`S_r \subset [K],\ |S_r| = m \text{ distinct},\ \Pr[k \in S_r] = \tfrac{m}{K};\quad I_t \in [n]^B,\ \Pr[(I_t)_b = i] = \tfrac{1}{n}\ \text{independently}`;

const instances: fc.Arbitrary<SamplerCase> = fc.oneof(
  fc.integer({ min: 3, max: 6 }).chain((K) => fc.record({
    kind: fc.constant('participants' as const), K: fc.constant(K), m: fc.integer({ min: 2, max: K - 1 }), R: fc.constant(ROUNDS), seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  })),
  fc.record({
    kind: fc.constant('minibatches' as const), capability: fc.constantFrom('localSGD' as const, 'centralizedSGD' as const),
    n: fc.integer({ min: 2, max: 5 }), B: fc.integer({ min: 1, max: 3 }), R: fc.constant(ROUNDS), seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  }),
);

export const spec = defineTheorem<SamplerCase, number>({
  id: 'C-5-sampler',
  title: 'a subject\'s own sampler draws m distinct participants uniformly and minibatch rows uniformly with replacement',
  source: {
    paper: 'the sampling rules of the reference optimizers (src/optimizers/parts/aggregate.ts, src/optimizers/rng.ts)',
    version: 'this repository',
    locator: 'src/gate/samplerCheck.ts (design and tests); ci/PROTOCOL.md "sampler"',
    provenance: 'derived',
  },
  statement: STATEMENT,
  kind: 'upper-bound',
  requires: [],
  requiresAny: ['localGD', 'localSGD', 'centralizedSGD'],
  sampler: 'own',
  hypotheses: [{ name: 'm < K for participants', check: (c) => c.kind !== 'participants' || c.m < c.K || `m = ${c.m}, K = ${c.K}` }],
  instances,
  // -1: the subject lacks the capability this instance samples (counted as vacuous, not as a pass)
  observe: (c, subject) => (typeof subject[c.kind === 'participants' ? 'localGD' : c.capability] === 'function' ? samplerSurprise(subject, c) : -1),
  bound: () => -Math.log10(ALPHA),
  tolerance: { abs: 0, why: 'the bound is the decision threshold -log10(alpha) of the Bonferroni-adjusted exact binomial test (alpha = 1e-4 per instance); the exact rules throw' },
  nonVacuous: (c, o) => o >= 0 || `the subject lacks ${c.kind === 'participants' ? 'localGD' : c.capability}`,
  minNonVacuousFraction: 0.2,
  profiles: { ci: 20, default: 60, hunt: 600 },
  hints: [
    'observed is -log10 of the smallest Bonferroni-adjusted two-sided binomial p-value of the instance; above 4 the counts are implausible under the rule',
    'a sampler that always takes the first m clients leaves the others at 0; one that samples with replacement uses a node twice in a round',
  ],
});
