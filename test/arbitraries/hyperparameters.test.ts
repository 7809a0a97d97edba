import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hyperparameters, overparameterisedRegression, separableClassification, smoothness } from '../../src/arbitraries/index.ts';
import { EPS, eigSym, gramT } from '../../src/numeric/index.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';
import { expectDeterministic, shrinkRun } from './_helpers.ts';

/** Spectral radius of each node's local GD map I - eta X_k^T X_k / n_k (squared loss, mean convention). */
function localRadii(ds: FederatedDataset, eta: number): number[] {
  return ds.nodes.map((nd) => {
    const ev = eigSym(gramT(nd.X)).values;
    return Math.max(...Array.from(ev, (l) => Math.abs(1 - (eta * l) / nd.X.rows)));
  });
}

describe('hyperparameters', () => {
  it('gives the same values for the same seed', () => {
    expectDeterministic(hyperparameters({ smoothness: 3, stability: 'any', heterogeneousSteps: true }), 42);
  });

  it('eta = f 2 / beta with f = k/64 rounded down to 8 significant bits (a dyadic grid), and stable iff f < 1', () => {
    for (const beta of [3, 1, 0.3, 7.25, 1e-3, 12345.678]) {
      fc.assert(
        fc.property(hyperparameters({ smoothness: beta, stability: 'any', heterogeneousSteps: true, nodes: 3 }), (h) => {
          expect(Number.isInteger(h.etaFraction * 64)).toBe(true);
          // eta = m 2^e with an integer m in [128, 255]: at most 8 significant bits
          const e = Math.floor(Math.log2(h.eta));
          const m = h.eta * 2 ** (7 - e);
          expect(Number.isInteger(m) && m >= 128 && m < 256).toBe(true);
          // rounded DOWN: eta <= 2f/beta and the floor loses less than one unit of 128, i.e. a relative 2^-7
          // why: `nearest` is 2f/beta rounded to nearest, monotone, so eta (a double <= the exact value) is <= it
          const nearest = (h.etaFraction * 2) / beta;
          expect(h.eta).toBeLessThanOrEqual(nearest);
          expect(h.eta).toBeGreaterThan(nearest * (1 - 2 ** -7));
          expect(h.stable).toBe(h.etaFraction < 1);
          expect(h.stable).toBe(h.eta < 2 / beta);
          expect(h.Lm?.length).toBe(3);
        }),
        { numRuns: 50 },
      );
    }
    // beta = 3: 2f/beta has a 53-bit mantissa, eta has 8
    const [h] = fc.sample(hyperparameters({ smoothness: 3, stability: 'inside' }), { seed: 3, numRuns: 1 });
    expect(Number.isInteger(h.eta * 2 ** 16)).toBe(true);
  });

  it('inside the stability region every node map is non-expansive; outside some node map expands (squared loss)', () => {
    const arb = overparameterisedRegression({ maxNodes: 3 }).chain((inst) =>
      fc.tuple(fc.constant(inst), hyperparameters({ dataset: inst.dataset, stability: 'any' })),
    );
    fc.assert(
      fc.property(arb, ([inst, h]) => {
        const radii = localRadii(inst.dataset, h.eta);
        // why: eigenvalues from the f64 symmetric solver, relative error ~ d eps
        const tol = 64 * inst.meta.d * EPS;
        if (h.stable) expect(Math.max(...radii)).toBeLessThanOrEqual(1 + tol);
        else expect(Math.max(...radii)).toBeGreaterThan(1 + tol);
      }),
    );
  });

  it('smoothness follows the mean convention: squared = 4 x logistic; exponential at 0 = max ||x||^2', () => {
    fc.assert(
      fc.property(separableClassification(), (v) => {
        const sq = smoothness(v.dataset, 'squared');
        expect(smoothness(v.dataset, 'logistic')).toBe(sq / 4);
        expect(smoothness(v.dataset, { name: 'squared', l2: 0.5 })).toBe(sq + 0.5);
        const maxN2 = Math.max(...v.dataset.nodes.flatMap((nd) => Array.from({ length: nd.X.rows }, (_, i) => nd.X.data.subarray(i * v.dataset.d, (i + 1) * v.dataset.d).reduce((a, x) => a + x * x, 0))));
        expect(smoothness(v.dataset, 'exponential')).toBe(maxN2);
        // lambda_max(X_k^T X_k) / n_k <= trace / n_k <= max ||x||^2: the squared bound never exceeds the exponential one at 0
        expect(sq).toBeLessThanOrEqual(maxN2 * (1 + 16 * v.dataset.d * EPS));
      }),
    );
  });

  it('shrinks toward L = 1, tau = 1, one round and the smallest step', () => {
    const { counterexample: c, invalid } = shrinkRun(
      hyperparameters({ smoothness: 1 }),
      (h) => (h.stable && h.eta < 2 ? null : 'unstable'),
      (h) => h.L + h.tau < 0,
    );
    expect(invalid).toEqual([]);
    expect([c.L, c.tau, c.rounds, c.etaFraction]).toEqual([1, 1, 1, 1 / 64]);
  });

  it('rejects impossible constraints at once, naming the values', () => {
    expect(() => hyperparameters({})).toThrow('hyperparameters: give exactly one of constraints.smoothness and constraints.dataset (got neither)');
    expect(() => hyperparameters({ smoothness: -1 })).toThrow('hyperparameters: constraints.smoothness must be a finite number');
    expect(() => hyperparameters({ smoothness: 1, loss: 'logistic' })).toThrow('hyperparameters: constraints.loss and constraints.w0 need constraints.dataset');
    expect(() => hyperparameters({ smoothness: 1, maxEtaFraction: 2 })).toThrow(
      "hyperparameters: constraints.maxEtaFraction (2) applies only outside the stability region, got stability 'inside'",
    );
    expect(() => hyperparameters({ smoothness: 1, stability: 'inside', maxEtaFraction: 2 })).toThrow(/applies only outside/);
    expect(() => hyperparameters({ smoothness: 1, stability: 'any', maxEtaFraction: 2 })).not.toThrow();
    expect(() => hyperparameters({ smoothness: 1, nodes: 3 })).toThrow(
      'hyperparameters: constraints.nodes (3) needs heterogeneousSteps (it sizes Lm), got heterogeneousSteps false',
    );
    expect(() => hyperparameters({ smoothness: 1, nodes: 3, heterogeneousSteps: true })).not.toThrow();
    expect(() => hyperparameters({ smoothness: 1, minTau: 5, maxTau: 2 })).toThrow('hyperparameters: constraints.minTau (5) > constraints.maxTau (2)');
  });
});
