import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  gradient, objective, plProblem, shardGradient, stochasticGradient, type PlProblem,
} from '../../src/arbitraries/index.ts';
import { EPS, eigSym, norm2, sub } from '../../src/numeric/index.ts';
import { plOptimum } from '../../src/precise/index.ts';
import { expectDeterministic, rankOf, shrinkRun } from './_helpers.ts';

/** Exact identities (trace, trace of H^2, rank over Q, A^T A / n = H, sum of shard offsets = 0) and f64 checks. */
function hypotheses(v: PlProblem): string | null {
  const d = v.d;
  const H = v.H.data;
  let tr = 0;
  let fro2 = 0;
  for (let i = 0; i < d; i++) {
    tr += H[i * d + i];
    for (let j = 0; j < d; j++) {
      if (H[i * d + j] !== H[j * d + i]) return 'H is not symmetric';
      fro2 += H[i * d + j] * H[i * d + j];
    }
  }
  const ev = Array.from(v.eigenvalues);
  if (tr !== ev.reduce((a, b) => a + b, 0)) return 'trace(H) != sum of the eigenvalues';
  if (fro2 !== ev.reduce((a, b) => a + b * b, 0)) return 'trace(H^2) != sum of squared eigenvalues';
  if (ev.some((x, i) => x < 0 || (i > 0 && x < ev[i - 1]))) return 'eigenvalues not ascending and >= 0';
  const nz = ev.filter((x) => x > 0);
  if (v.L !== ev[d - 1] || v.mu !== nz[0] || v.rank !== nz.length || v.kappa !== v.L / v.mu) return 'L, mu, rank or kappa wrong';
  if (rankOf(v.H).rank !== v.rank) return `exact rank of H is not ${v.rank}`;
  const num = eigSym(v.H).values;
  // why: symmetric eigensolver, backward error ~ d eps ||H||
  if (num.some((x, i) => Math.abs(x - ev[i]) > 16 * d * EPS * v.L)) return 'eigSym disagrees with the declared eigenvalues';
  if (v.shards.length !== v.p) return 'wrong number of shards';
  const off = new Float64Array(d);
  for (const s of v.shards) for (let c = 0; c < d; c++) off[c] += s.xStar[c] - v.xStar[c];
  if (off.some((x) => x !== 0)) return 'shard minimisers do not average to x*';
  if (v.sampling === 'iid' && v.shards.some((s) => s !== v.shards[0])) return 'iid shards differ';
  for (const s of v.shards) {
    if (s.kind !== 'least-squares') continue;
    const n = s.A.rows;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let a = 0;
        for (let r = 0; r < n; r++) a += s.A.data[r * d + i] * s.A.data[r * d + j];
        if (a / n !== H[i * d + j]) return 'A^T A / n != H';
      }
    }
  }
  return null;
}

describe('plProblem', () => {
  it('gives the same instances for the same seed', () => {
    expectDeterministic(plProblem(), 42);
  });

  it('every value has exactly known spectrum, rank, L, mu, and shards averaging to x*', () => {
    fc.assert(
      fc.property(plProblem(), (v) => {
        expect(hypotheses(v)).toBeNull();
      }),
    );
  });

  it('F(x*) = F*, grad F(x*) = 0, each shard is minimised at its x*_j, and non-iid shards are heterogeneous', () => {
    fc.assert(
      fc.property(plProblem(), (v) => {
        // why: F* has one rounding (division by p); the shard sums are exact on the grid
        expect(Math.abs(objective(v, v.xStar) - v.Fstar)).toBeLessThanOrEqual(4 * EPS * Math.abs(v.Fstar));
        // why: grad F sums p shard gradients of size <= L ||x* - x*_j||, each with d-term dots, then divides by p
        const scale = v.L * (norm2(v.xStar) + Math.max(...v.shards.map((s) => norm2(s.xStar)))) + 1;
        expect(norm2(gradient(v, v.xStar))).toBeLessThanOrEqual(16 * v.d * v.p * EPS * scale);
        for (let j = 0; j < v.p; j++) expect(norm2(shardGradient(v, j, v.shards[j].xStar))).toBeLessThanOrEqual(16 * v.d * EPS * scale);
        if (v.sampling === 'non-iid') expect(norm2(shardGradient(v, 0, v.xStar))).toBeGreaterThan(0);
      }),
    );
  });

  // F = (1/p) sum_j (1/(2 n_j)) ||A_j x - b_j||^2 = (1/(2M)) ||A x - b||^2 with shard j's rows repeated M/(p n_j)
  // times, M = p max_j n_j (every n_j is a power of two): one least-squares problem for the certified solver.
  it('least squares: the certified plOptimum of the stacked shards gives F* and a minimiser', () => {
    fc.assert(
      fc.property(plProblem({ kind: 'least-squares', maxWorkers: 3 }), (v) => {
        const nMax = Math.max(...v.shards.map((s) => (s.kind === 'least-squares' ? s.A.rows : 0)));
        const rows: number[][] = [];
        const b: number[] = [];
        for (const s of v.shards) {
          if (s.kind !== 'least-squares') throw new Error('expected least-squares shards');
          for (let k = 0; k < nMax / s.A.rows; k++) {
            for (let i = 0; i < s.A.rows; i++) {
              rows.push(Array.from(s.A.data.subarray(i * v.d, (i + 1) * v.d)));
              b.push(s.b[i]);
            }
          }
        }
        const A = { rows: rows.length, cols: v.d, data: Float64Array.from(rows.flat()) };
        const opt = plOptimum({ kind: 'least-squares', A, b: Float64Array.from(b) });
        // why: both are correctly rounded values of the same exact optimum (F* after one division by p)
        expect(Math.abs(opt.F - v.Fstar)).toBeLessThanOrEqual(4 * EPS * Math.abs(v.Fstar));
        expect(objective(v, opt.x) - v.Fstar).toBeLessThanOrEqual(64 * v.d * EPS * (v.L * norm2(opt.x) ** 2 + v.Fstar + 1));
      }),
      { numRuns: 10 },
    );
  });

  it('is L-smooth and mu-PL at arbitrary points', () => {
    const pt = (d: number) => fc.array(fc.integer({ min: -64, max: 64 }), { minLength: d, maxLength: d }).map((a) => Float64Array.from(a, (x) => x / 8));
    fc.assert(
      fc.property(plProblem().chain((v) => fc.tuple(fc.constant(v), pt(v.d), pt(v.d))), ([v, x, z]) => {
        const gx = gradient(v, x);
        const gap = objective(v, x) - v.Fstar;
        // why: F(x) - F* and ||grad||^2 are sums of O(d^2) grid products: relative error ~ d^2 eps
        const tol = 16 * v.d * v.d * EPS * (v.L * (norm2(x) + norm2(v.xStar)) ** 2 + Math.abs(v.Fstar) + 1);
        expect(0.5 * norm2(gx) ** 2).toBeGreaterThanOrEqual(v.mu * gap - tol);
        expect(gap).toBeGreaterThanOrEqual(-tol);
        const dg = norm2(sub(gx, gradient(v, z)));
        expect(dg).toBeLessThanOrEqual(v.L * norm2(sub(x, z)) * (1 + 16 * v.d * EPS) + 16 * v.d * EPS * v.L * (norm2(x) + norm2(z)));
      }),
    );
  });

  it('the oracle is deterministic per seed and its noise is one of the four points grad (1 +- sqrt(C1)) +- a per coordinate', () => {
    fc.assert(
      fc.property(plProblem({ noise: 'both' }), fc.integer(), (v, seed) => {
        const x = Float64Array.from({ length: v.d }, (_, c) => (c % 3) - 1);
        const j = v.p - 1;
        const g = shardGradient(v, j, x);
        const a = stochasticGradient(v, j, x, seed);
        expect(stochasticGradient(v, j, x, seed)).toEqual(a);
        const m = Math.sqrt(v.oracle.C1);
        const s = Math.sqrt(v.oracle.sigma2 / (v.oracle.batch * v.d));
        for (let c = 0; c < v.d; c++) {
          const e = a[c] - g[c];
          // why: g + m g s + a s' costs three roundings of size |g|(1 + m) + a
          const tol = 4 * EPS * (Math.abs(g[c]) * (1 + m) + s);
          const hits = [1, -1].flatMap((s1) => [1, -1].map((s2) => Math.abs(e - (s1 * m * g[c] + s2 * s)))).filter((r) => r <= tol);
          expect(hits.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  // Monte Carlo over noise seeds: 4000 draws, a 6-standard-error band (false alarm < 1e-8 per check).
  it('the oracle is unbiased with E||g - grad||^2 = C1 ||grad||^2 + sigma2 / B', () => {
    const [v] = fc.sample(plProblem({ noise: 'both', minDim: 3 }), { seed: 1, numRuns: 1 });
    const x = Float64Array.from({ length: v.d }, (_, c) => c + 1);
    const g = shardGradient(v, 0, x);
    const n = 4000;
    const mean = new Float64Array(v.d);
    const sq: number[] = [];
    for (let k = 0; k < n; k++) {
      const e = sub(stochasticGradient(v, 0, x, k), g);
      for (let c = 0; c < v.d; c++) mean[c] += e[c] / n;
      sq.push(norm2(e) ** 2);
    }
    const expected = v.oracle.C1 * norm2(g) ** 2 + v.oracle.sigma2 / v.oracle.batch;
    const avg = sq.reduce((p, q) => p + q, 0) / n;
    const sd = Math.sqrt(sq.reduce((p, q) => p + (q - avg) ** 2, 0) / (n - 1));
    expect(Math.abs(avg - expected)).toBeLessThanOrEqual((6 * sd) / Math.sqrt(n) + 1e-12);
    // each coordinate's noise has standard deviation <= sqrt(expected): its mean is within 6 / sqrt(n) of that
    for (let c = 0; c < v.d; c++) expect(Math.abs(mean[c])).toBeLessThanOrEqual((6 * Math.sqrt(expected)) / Math.sqrt(n));
  });

  it('the checker has teeth: a perturbed H entry and a wrong mu are reported', () => {
    const [v] = fc.sample(plProblem({ minDim: 2, kind: 'quadratic' }), { seed: 9, numRuns: 1 });
    const data = Float64Array.from(v.H.data);
    data[1] += 0.25;
    data[v.d] += 0.25;
    expect(hypotheses({ ...v, H: { ...v.H, data } })).toMatch(/trace|rank|eigSym/);
    expect(hypotheses({ ...v, mu: v.mu * 2 })).toBe('L, mu, rank or kappa wrong');
  });

  it('honours its constraints', () => {
    fc.assert(
      fc.property(plProblem({ kind: 'least-squares', rankDeficient: 'always', sampling: 'non-iid', minWorkers: 2, maxWorkers: 3, noise: 'none' }), (v) => {
        expect(v.kind).toBe('least-squares');
        expect(v.rank).toBeLessThan(v.d);
        expect(v.p).toBeGreaterThanOrEqual(2);
        expect(v.p).toBeLessThanOrEqual(3);
        expect(v.oracle.sigma2 + v.oracle.C1).toBe(0);
        expect(hypotheses(v)).toBeNull();
      }),
    );
  });

  it('shrinks toward small d, one worker, iid, no noise through valid values only', () => {
    const { counterexample: c, invalid } = shrinkRun(plProblem(), (v) => hypotheses(v), (v) => v.d < 3);
    expect(invalid).toEqual([]);
    expect(c.d).toBe(3);
    expect(c.p).toBe(1);
    expect(c.sampling).toBe('iid');
    expect(c.meta.regimes).toContain('noise-free');
    expect(c.meta.regimes).toContain('strongly-convex');
  });

  it("'non-iid' always has p >= 2 and heterogeneous shards; a one-worker draw is reported 'iid'", () => {
    fc.assert(
      fc.property(plProblem({ sampling: 'non-iid', minWorkers: 1, maxWorkers: 2 }), (v) => {
        expect(v.p).toBe(2);
        expect(v.sampling).toBe('non-iid');
        expect(v.meta.regimes).toContain('non-iid');
        expect(norm2(shardGradient(v, 0, v.xStar))).toBeGreaterThan(0);
      }),
    );
    const values = fc.sample(plProblem({ maxWorkers: 2 }), { seed: 7, numRuns: 200 });
    const single = values.filter((v) => v.p === 1);
    expect(single.length).toBeGreaterThan(20);
    for (const v of single) {
      expect(v.sampling).toBe('iid');
      expect(v.meta.regimes).toContain('iid');
      expect(v.meta.regimes).not.toContain('non-iid');
    }
    for (const v of values) if (v.meta.regimes.includes('non-iid')) expect(v.p).toBeGreaterThanOrEqual(2);
  });

  it('rejects impossible constraints at once, naming the values', () => {
    expect(() => plProblem({ sampling: 'non-iid', maxWorkers: 1 })).toThrow("plProblem: sampling 'non-iid' needs constraints.maxWorkers >= 2 (one worker has no heterogeneity), got 1");
    expect(() => plProblem({ rankDeficient: 'always', maxDim: 1 })).toThrow("plProblem: rankDeficient 'always' needs constraints.maxDim >= 2 (a rank-deficient H with a nonzero eigenvalue), got 1");
    expect(() => plProblem({ minWorkers: 4, maxWorkers: 2 })).toThrow('plProblem: constraints.minWorkers (4) > constraints.maxWorkers (2)');
    expect(() => plProblem({ noise: 'loud' as never })).toThrow("plProblem: constraints.noise must be one of 'none', 'additive', 'multiplicative', 'both', 'any', got \"loud\"");
  });
});
