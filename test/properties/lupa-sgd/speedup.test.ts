import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plProblem } from '../../../src/arbitraries/index.ts';
import { mutant as M06 } from '../../../src/gate/mutants/M06-lupa-nominal-step-normaliser.ts';
import { mutant as P11 } from '../../../src/gate/mutants/P11-lupa-shared-rng-stream.ts';
import { EPS } from '../../../src/numeric/index.ts';
import { builtinSubject } from '../../../src/subject/index.ts';
import type { FederatedDataset } from '../../../src/problems/types.ts';
import { heterogeneousShards, spec as L3 } from '../../../properties/lupa-sgd/iid.linear-speedup.prop.ts';
import { spec as L4 } from '../../../properties/lupa-sgd/iid.tau-threshold.prop.ts';
import { etaAt, exactMeanLoss, lsFromPl, type LsProblem } from '../../../properties/lupa-sgd/lupa.support.ts';
import { expectStatus, seed, withInstances } from './_helpers.ts';

/**
 * E F(xbar_T) by brute force: every sequence of row draws (n^(p T) of them, equally likely) of scalar LUPA-SGD without
 * Gaussian noise, written out independently of the recursion and of the optimizer.
 */
function enumeratedMeanLoss(a: number[], y: number[], p: number, T: number, tau: number, eta: number): number {
  const n = a.length;
  const F = (x: number) => a.reduce((s, ai, i) => s + 0.5 * (ai * x - y[i]) ** 2, 0) / n;
  const draws = p * T;
  let total = 0;
  for (let code = 0; code < n ** draws; code++) {
    let c = code;
    let xbar = 0;
    const x = new Array(p).fill(0);
    for (let t = 0; t < T; t++) {
      for (let j = 0; j < p; j++) {
        const i = c % n;
        c = Math.floor(c / n);
        x[j] -= eta * a[i] * (a[i] * x[j] - y[i]);
      }
      if ((t + 1) % tau === 0 || t + 1 === T) {
        xbar = x.reduce((s, v) => s + v, 0) / p;
        x.fill(xbar);
      }
    }
    total += F(xbar);
  }
  return total / n ** draws;
}

function scalarProblem(a: number[], y: number[]): LsProblem {
  const n = a.length;
  const H = a.reduce((s, v) => s + v * v, 0) / n;
  const xStar = a.reduce((s, v, i) => s + v * y[i], 0) / n / H;
  const ds: FederatedDataset = { task: 'regression', d: 1, nodes: [{ X: { rows: n, cols: 1, data: Float64Array.from(a) }, y: Float64Array.from(y) }] };
  const Fstar = a.reduce((s, ai, i) => s + 0.5 * (ai * xStar - y[i]) ** 2, 0) / n;
  return { ds, d: 1, n, X: ds.nodes[0].X, y: ds.nodes[0].y, H: Float64Array.of(H), L: H, mu: H, R2: Math.max(...a.map((v) => v * v)), xStar: Float64Array.of(xStar), Fstar };
}

describe('the exact expected loss (second-moment recursion of proofs-notes/L-4-tau-threshold.md)', () => {
  it('equals brute-force enumeration of every minibatch draw (scalar, B = 1, no Gaussian noise)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(-2, -1, 1, 2), { minLength: 2, maxLength: 3 }), fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }),
        (a, ys, p, T, tau) => {
          if (p * T * Math.log2(a.length) > 12) return; // keep n^(pT) <= 4096
          const y = ys.slice(0, a.length);
          const pb = scalarProblem(a, y);
          const eta = 1 / pb.R2;
          const exact = exactMeanLoss(pb, { p, B: 1, T, tau, eta, noise: 0, x0: Float64Array.of(0) });
          const brute = enumeratedMeanLoss(a, y, p, T, tau, eta);
          // why: both are sums of at most n^(pT) <= 4096 nonnegative terms of size <= F(0) built in O(T) flops each
          expect(Math.abs(exact - brute)).toBeLessThanOrEqual(64 * T * EPS * (brute + pb.Fstar + 1));
        },
      ),
    );
  });

  it('full gradient + N(0, sigma^2) noise, one coordinate: E F = F* + (h/2)(rho^2T e0^2 + sigma^2 eta^2 sum rho^2k / p) for every tau', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 31 }), fc.double({ min: 0.1, max: 2, noNaN: true }), (p, T, tau, sigma) => {
        const pb = scalarProblem([1, 2], [1, -1]);
        const eta = 0.5 / pb.R2;
        const rho = 1 - eta * pb.H[0];
        const e0 = 0 - pb.xStar[0];
        let geo = 0;
        for (let k = 0; k < T; k++) geo += rho ** (2 * k);
        const closed = pb.Fstar + (pb.H[0] / 2) * (rho ** (2 * T) * e0 * e0 + (sigma * sigma * eta * eta * geo) / p);
        const exact = exactMeanLoss(pb, { p, B: 'full', T, tau, eta, noise: sigma, x0: Float64Array.of(0) });
        expect(Math.abs(exact - closed)).toBeLessThanOrEqual(16 * T * EPS * closed);
      }),
    );
  });

  it('tau never helps on IID least squares: V_T(tau) >= V_T(1) for every tau (the derived lower side of L-4)', () => {
    const arb = fc.record({
      pr: plProblem({ kind: 'least-squares', sampling: 'iid', maxDim: 3, maxLogKappa: 3, maxWorkers: 1 }),
      p: fc.integer({ min: 1, max: 5 }), B: fc.constantFrom<number | 'full'>(1, 2, 3, 'full'), T: fc.integer({ min: 1, max: 40 }),
      tau: fc.integer({ min: 1, max: 45 }), sigma: fc.constantFrom(0, 0.25, 1),
    });
    fc.assert(
      fc.property(arb, ({ pr, p, B, T, tau, sigma }) => {
        const pb = lsFromPl(pr);
        const eta = { a: 4, b: (4 * pb.R2) / pb.mu, mu: pb.mu };
        const h = { p, B, T, eta, noise: sigma, x0: new Float64Array(pb.d) };
        const v1 = exactMeanLoss(pb, { ...h, tau: 1 });
        const vt = exactMeanLoss(pb, { ...h, tau });
        const e0 = pb.xStar.reduce((s, x) => s + x * x, 0); // ||x0 - x*||^2 with x0 = 0
        // why: both recursions round the same PSD sums, (n + 3d) EPS per step relative to V and to L||x0 - x*||^2 + F*
        expect(vt).toBeGreaterThanOrEqual(v1 - 4 * T * (pb.n + 3 * pb.d) * EPS * (Math.abs(v1) + pb.L * e0 + pb.Fstar));
        expect(etaAt(eta, 0)).toBeLessThanOrEqual(1 / pb.R2);
      }),
    );
  });
});

describe('L-3-linear-speedup', () => {
  it('holds on the reference optimizer', async () => {
    await expectStatus(L3, builtinSubject, 'holds');
  });

  it('dropped hypothesis IID: heterogeneous shards with large tau leave an excess that does not shrink with p (found by search, shrunk)', async () => {
    const v = await expectStatus(withInstances(L3, 'L-3-dropped-iid', heterogeneousShards, (n) => !n.startsWith('IID')), builtinSubject, 'violated');
    if (v.status === 'violated') {
      expect((v.counterexample as { sampling: string }).sampling).toBe('shards');
      expect(v.observed as number).toBeGreaterThan(v.bound as number);
    }
  });

  it('teeth: workers sharing one random stream (P11) lose the speedup', async () => {
    await expectStatus(L3, P11.apply(builtinSubject), 'violated', { shrink: false });
  });
});

describe('L-4-tau-threshold', () => {
  it('holds on the reference optimizer', async () => {
    await expectStatus(L4, builtinSubject, 'holds');
  });

  it('teeth: mutant #6 (truncated last round over-stepped) exceeds the exact expected loss at tau* or T - 1', async () => {
    const v = await expectStatus(L4, M06.apply(builtinSubject), 'violated', { shrink: false });
    if (v.status === 'violated') expect(v.index).toBeGreaterThanOrEqual(1); // never at tau = 1 (no truncated round)
  });
});

void seed;
