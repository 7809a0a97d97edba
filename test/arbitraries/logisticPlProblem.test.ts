import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logisticPlProblem } from '../../src/arbitraries/index.ts';
import { eigSym, gramT } from '../../src/numeric/index.ts';
import { datasetLoss, nodeGrad } from '../../src/problems/losses.ts';

describe('logisticPlProblem', () => {
  it('F* is certified: the gradient at x* vanishes to the certificate and F(x* + v) >= F* for small v; L bounds the Hessian', () => {
    fc.assert(
      fc.property(logisticPlProblem({ maxDim: 3, maxRows: 16 }), (pr) => {
        const { X, y } = pr.ds.nodes[0];
        const g = nodeGrad(pr.loss, X, y, pr.xStar, new Float64Array(pr.d));
        // why: the certificate states ||grad F|| <= sqrt(2 mu gapBound) at the decimal x*; rounding x* to f64 and the f64
        // gradient (n + d terms of size <= sqrt(R2) + lambda |x*|) add at most 4 (n + d) EPS (sqrt(R2) + L |x*|)
        const gnorm = Math.sqrt(g.reduce((s, v) => s + v * v, 0));
        const xnorm = Math.sqrt(pr.xStar.reduce((s, v) => s + v * v, 0));
        expect(gnorm).toBeLessThanOrEqual(Math.sqrt(2 * pr.mu * pr.gapBound) + 4 * (pr.n + pr.d) * Number.EPSILON * (Math.sqrt(pr.R2) + pr.L * xnorm));
        expect(Math.abs(datasetLoss(pr.ds, pr.loss, pr.xStar) - pr.Fstar)).toBeLessThanOrEqual(4 * (pr.n + pr.d) * Number.EPSILON * pr.Fstar);
        for (let j = 0; j < pr.d; j++) {
          const w = Float64Array.from(pr.xStar);
          w[j] += 1e-3;
          expect(datasetLoss(pr.ds, pr.loss, w)).toBeGreaterThan(pr.Fstar);
        }
        const lmax = eigSym(gramT(X)).values.at(-1)! / pr.n;
        expect(pr.lambda + lmax / 4).toBeLessThanOrEqual(pr.L * (1 + 1e-12));
        expect(pr.mu).toBe(pr.lambda);
        expect(pr.kappa).toBe(pr.L / pr.mu);
        expect(pr.sigma2).toBe(pr.R2);
      }),
      { numRuns: 8 },
    );
  });

  it('covers its regimes and validates its constraints', () => {
    const seen = new Set(fc.sample(logisticPlProblem(), { seed: 5, numRuns: 16 }).flatMap((p) => p.meta.regimes));
    for (const r of ['d=1', 'd>=2', 'kappa>=4', 'kappa<4']) expect(seen.has(r), r).toBe(true);
    expect(() => logisticPlProblem({ minRows: 40, maxRows: 10 })).toThrow(/^logisticPlProblem: constraints.minRows \(40\) > constraints.maxRows \(10\)$/);
    expect(() => logisticPlProblem({ maxLogLambda: 13 })).toThrow(/constraints.maxLogLambda must be an integer in \[0, 12\], got 13/);
    expect(() => logisticPlProblem({ lambda: 1 } as never)).toThrow(/unknown constraint 'lambda'/);
  });
});
