import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { L_G, MU_G, sinPlProblem } from '../../src/arbitraries/index.ts';
import { gramT } from '../../src/numeric/index.ts';
import { datasetLoss, nodeGrad, sampleDerivative, sampleLoss } from '../../src/problems/losses.ts';

const g = (r: number) => sampleLoss('sinsq', r, 0);
const gp = (r: number) => sampleDerivative('sinsq', r, 0);

describe('g(r) = r^2 + 3 sin^2 r (loss sinsq)', () => {
  it('PL with MU_G = 1/6: (1/2) g\'^2 >= MU_G g on |r| <= 1/2 (Taylor), [1/2, 3] (grid + Lipschitz), >= 3 (closed form)', () => {
    // [0, 1/2]: g' >= 8r - 4r^3 >= 7r and g <= 4r^2, so g'^2/(2g) >= 49/8 (g even: r >= 0 suffices)
    expect(49 / 8).toBeGreaterThan(MU_G);
    // [3, inf): g' >= 2r - 3 > 0, g <= r^2 + 3 and 6(2r - 3)^2 - 2(r^2 + 3) = 22r^2 - 72r + 48 > 0 for r >= 3
    expect(22 * 9 - 72 * 3 + 48).toBeGreaterThan(0);
    expect(44 * 3 - 72).toBeGreaterThan(0); // the quadratic increases from r = 3 on
    // [1/2, 3]: h = g'^2 - 2 MU_G g has |h'| = |g'| |2 g'' - 2 MU_G| <= 9 (16 + 1/3) < 148; grid step 1e-4
    const step = 1e-4;
    let minH = Infinity;
    for (let k = 0; 0.5 + k * step <= 3 + step; k++) {
      const r = 0.5 + k * step;
      minH = Math.min(minH, gp(r) ** 2 - 2 * MU_G * g(r));
    }
    // why: h >= min over the grid - 148 step/2; the f64 evaluation errors (~1e-14) are far below the margin
    expect(minH - (148 * step) / 2).toBeGreaterThan(0);
    expect(minH).toBeLessThan(0.2); // the constant is close to tight (infimum of g'^2/(2g) ~ 0.1755 at r ~ 2.2)
  });

  it('not convex (g\'\'(pi/2) = -4), smooth with |g\'\'| <= L_G = 8, stationary only at 0', () => {
    const h = 1e-5;
    const second = (r: number) => (gp(r + h) - gp(r - h)) / (2 * h);
    expect(second(Math.PI / 2)).toBeCloseTo(-4, 6);
    expect(second(0)).toBeCloseTo(L_G, 6);
    for (let r = -6; r <= 6; r += 0.01) expect(Math.abs(second(r))).toBeLessThanOrEqual(L_G + 1e-6);
    expect(gp(0)).toBe(0);
    expect(gp(1e-3) * gp(-1e-3)).toBeLessThan(0);
  });
});

describe('sinPlProblem', () => {
  it('rows are orthogonal, F* = 0 at x* = 0, and mu, L are MU_G and L_G times the extreme eigenvalues of X X^T / d', () => {
    fc.assert(
      fc.property(sinPlProblem({ maxDim: 6, maxBlockLog: 2 }), (pr) => {
        const X = pr.ds.nodes[0].X;
        const G = gramT({ rows: X.cols, cols: X.rows, data: transpose(X.data, X.rows, X.cols) }); // X X^T
        const diag: number[] = [];
        for (let i = 0; i < pr.d; i++) for (let j = 0; j < pr.d; j++) if (i === j) diag.push(G.data[i * pr.d + j]); else expect(G.data[i * pr.d + j]).toBe(0);
        expect(pr.mu).toBe((MU_G * Math.min(...diag)) / pr.d);
        expect(pr.L).toBe((L_G * Math.max(...diag)) / pr.d);
        expect(datasetLoss(pr.ds, pr.loss, pr.xStar)).toBe(0);
        // PL at random points: (1/2)||grad F||^2 >= mu F
        const rng = fc.sample(fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: pr.d, maxLength: pr.d }), { seed: pr.d, numRuns: 20 });
        for (const w of rng) {
          const x = Float64Array.from(w);
          const grad = nodeGrad(pr.loss, X, pr.ds.nodes[0].y, x, new Float64Array(pr.d));
          const F = datasetLoss(pr.ds, pr.loss, x);
          const half = 0.5 * grad.reduce((s, v) => s + v * v, 0);
          expect(half).toBeGreaterThanOrEqual(pr.mu * F * (1 - 1e-12));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('covers its regimes and validates its constraints', () => {
    const seen = new Set(fc.sample(sinPlProblem(), { seed: 3, numRuns: 200 }).flatMap((p) => p.meta.regimes));
    for (const r of ['d=1', 'rotated', 'diagonal', 'kappa>=96']) expect(seen.has(r), r).toBe(true);
    expect(() => sinPlProblem({ minDim: 5, maxDim: 2 })).toThrow(/^sinPlProblem: constraints.minDim \(5\) > constraints.maxDim \(2\)$/);
    expect(() => sinPlProblem({ maxBlockLog: 9 })).toThrow(/constraints.maxBlockLog must be an integer in \[0, 5\], got 9/);
    expect(() => sinPlProblem({ dims: 3 } as never)).toThrow(/unknown constraint 'dims'/);
  });
});

function transpose(a: Float64Array, r: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a[i * c + j];
  return out;
}
