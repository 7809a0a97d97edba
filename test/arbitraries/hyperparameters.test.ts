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

  it('eta = f 2 / beta with f = k/64, and stable iff f < 1', () => {
    fc.assert(
      fc.property(hyperparameters({ smoothness: 3, stability: 'any', heterogeneousSteps: true, nodes: 3 }), (h) => {
        expect(Number.isInteger(h.etaFraction * 64)).toBe(true);
        // why: eta is f * 2 / beta rounded once
        expect(Math.abs((h.eta * 3) / 2 - h.etaFraction)).toBeLessThanOrEqual(2 * EPS * h.etaFraction);
        expect(h.stable).toBe(h.etaFraction < 1);
        expect(h.stable).toBe(h.eta < 2 / 3);
        expect(h.Lm?.length).toBe(3);
      }),
    );
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
    expect(() => hyperparameters({ smoothness: 1, minTau: 5, maxTau: 2 })).toThrow('hyperparameters: constraints.minTau (5) > constraints.maxTau (2)');
  });
});
