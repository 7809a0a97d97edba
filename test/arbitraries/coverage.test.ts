/**
 * Coverage: every named regime of every arbitrary is reached in at least 5% of draws under its documented default
 * constraints (hyperparameters: stability 'any' with heterogeneous steps, as its doc states), and no value reports a
 * regime its arbitrary does not declare.
 *
 * This is a frequency claim about the generators, not a property of the code under test, so it uses its own FIXED
 * seed (400 draws each): it is deterministic and never flakes. Measured minimum shares over seeds 1..8 (300 draws):
 * plProblem 'kappa>=100' 8%, nonSeparableClassification 'N<=d' 7%, separableClassification 'N<=d' 9%, every other
 * regime >= 12% (workerSpeeds 'ratio>=8' >= 19%).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HYPERPARAMETER_REGIMES, hyperparameters, NON_SEPARABLE_REGIMES, nonSeparableClassification, OVERPARAMETERISED_REGIMES,
  overparameterisedRegression, PL_REGIMES, plProblem, SEPARABLE_REGIMES, separableClassification,
  UNDERPARAMETERISED_REGIMES, underparameterisedRegression, WORKER_SPEED_REGIMES, workerSpeeds, SIN_PL_REGIMES, sinPlProblem,
} from '../../src/arbitraries/index.ts';
import { regimeShares } from './_helpers.ts';

const SEED = 20250601;
const DRAWS = 400;
const FLOOR = 0.05;

const cases: [string, fc.Arbitrary<{ meta: { regimes: readonly string[] } }>, readonly string[]][] = [
  ['overparameterisedRegression', overparameterisedRegression(), OVERPARAMETERISED_REGIMES],
  ['underparameterisedRegression', underparameterisedRegression(), UNDERPARAMETERISED_REGIMES],
  ['separableClassification', separableClassification(), SEPARABLE_REGIMES],
  ['nonSeparableClassification', nonSeparableClassification(), NON_SEPARABLE_REGIMES],
  ['plProblem', plProblem(), PL_REGIMES],
  ['workerSpeeds', workerSpeeds(), WORKER_SPEED_REGIMES],
  ['sinPlProblem', sinPlProblem(), SIN_PL_REGIMES],
  ['hyperparameters', hyperparameters({ smoothness: 1, stability: 'any', heterogeneousSteps: true }), HYPERPARAMETER_REGIMES],
];

describe('regime coverage (fixed seed, 400 draws each)', () => {
  for (const [name, arb, declared] of cases) {
    it(`${name}: each of ${declared.length} regimes in >= 5% of draws, and only declared regimes`, () => {
      const shares = regimeShares(fc.sample(arb, { seed: SEED, numRuns: DRAWS }));
      const low = declared.filter((r) => !((shares[r] ?? 0) >= FLOOR)).map((r) => `${r}: ${((shares[r] ?? 0) * 100).toFixed(1)}%`);
      expect(low).toEqual([]);
      expect(Object.keys(shares).filter((r) => !declared.includes(r))).toEqual([]);
    });
  }

  it('the issue\'s named regimes are all declared somewhere', () => {
    expect(OVERPARAMETERISED_REGIMES).toEqual(expect.arrayContaining(['K=1', 'single-sample-node', 'cond>=100', 'very-unequal-weights', 'w0-outside-row-space']));
    expect(SEPARABLE_REGIMES).toEqual(expect.arrayContaining(['one-class-node', 'sorted-labels', 'dirichlet']));
    expect(UNDERPARAMETERISED_REGIMES).toEqual(expect.arrayContaining(['n_k<=d', 'inconsistent']));
    expect(WORKER_SPEED_REGIMES).toEqual(expect.arrayContaining(['stragglers', 'ratio>=5', 'ratio>=8']));
    expect(HYPERPARAMETER_REGIMES).toContain('eta-outside');
  });
});
