import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EPS } from '../../src/numeric/index.ts';
import type { Mat, Vec } from '../../src/numeric/index.ts';
import { centralizedGD } from '../../src/optimizers/centralizedGD.ts';
import { localGD } from '../../src/optimizers/localGD.ts';
import { anchorCoefficient, modifiedLocalGD } from '../../src/optimizers/modifiedLocalGD.ts';
import type { ModifiedLocalGDHyper, ModifiedState } from '../../src/optimizers/modifiedLocalGD.ts';
import { nodeGrad } from '../../src/problems/losses.ts';
import type { LossName, LossSpec } from '../../src/problems/losses.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';
import { bitsEqual, gradErrorBound, modelArb, problemArb, safeEta } from './_problems.ts';

const q = (a: number[][]): Mat => ({ rows: a.length, cols: a[0].length, data: Float64Array.from(a.flat()) });
const norm = (v: ArrayLike<number>): number => Math.hypot(...Array.from(v));
const dist = (a: ArrayLike<number>, b: ArrayLike<number>): number => Math.hypot(...Array.from(a, (x, j) => x - b[j]));

/**
 * The worked example of proofs-notes/modified-local-gd.md: d = 2, node A (2 samples, label +1) with constraints
 * u1 >= 1 and 2u1 + u2 >= 1, node B (1 sample, label -1) with (u1 + u2)/2 >= 1; alpha = (2/3, 1/3).
 * w_hat = (1, 1). M-avg from 0: w^k = (4/3, 2/3) - (1/3)(2/3)^(k-1) (1, 1) for k >= 1, limit (4/3, 2/3).
 * M-anchor: linearising at w_hat gives w^k - w_hat ~ a_k (1, -5), i.e. ||w^k - w_hat|| ~ sqrt(26)/(k + 2).
 */
const example: FederatedDataset = {
  task: 'classification', d: 2,
  nodes: [{ X: q([[1, 0], [2, 1]]), y: Float64Array.of(1, 1) }, { X: q([[-0.5, -0.5]]), y: Float64Array.of(-1) }],
};
const Zall = [[1, 0], [2, 1], [0.5, 0.5]];
const minMargin = (w: Vec): number => Math.min(...Zall.map((z) => z[0] * w[0] + z[1] * w[1]));

describe('modifiedLocalGD (a) avg and (b) anchor on the worked example (certified projections)', () => {
  it('(a) follows the closed form exactly (to rounding) and stops at a feasible point with min margin 1 that is not w_hat', () => {
    const K = 80;
    const t = modifiedLocalGD.run(example, { variant: 'avg', R: K });
    for (let k = 1; k <= K; k++) {
      const g = (1 / 3) * (2 / 3) ** (k - 1);
      const exact = [4 / 3 - g, 2 / 3 - g];
      // why: each round rounds the two projections and the 2-term average (a few eps of |w| <= 2), errors do not grow
      // along (1, 1) (contraction 2/3) and at most add up along (1, -1): 16 k eps
      expect(dist(t.models[k], exact)).toBeLessThanOrEqual(16 * k * EPS);
    }
    const w = t.models[K];
    // feasibility certificate: margin error <= ||z|| ||w - limit|| + rounding, with ||w - limit|| <= (sqrt 2/3)(2/3)^(K-1)
    const gap = (Math.SQRT2 / 3) * (2 / 3) ** (K - 1) + 16 * K * EPS;
    expect(Math.abs(minMargin(w) - 1)).toBeLessThanOrEqual(norm(Zall[1]) * gap);
    const ang = dist(Array.from(w, (x) => x / norm(w)), [Math.SQRT1_2, Math.SQRT1_2]);
    expect(ang).toBeGreaterThan(0.3); // exact: ||(2,1)/sqrt5 - (1,1)/sqrt2|| = 0.3204
  });

  it('(b) converges to w_hat = (1, 1) with ||w^k - w_hat|| (k + 2) -> sqrt(26) (linearisation, O(1/k) correction)', () => {
    const t = modifiedLocalGD.run(example, { variant: 'anchor', R: 200, record: [50, 100, 200] });
    t.models.forEach((w, i) => {
      const k = t.rounds[i];
      // why: the linearised error is a_k (1, -5) up to a relative O(1/k) term (0.5% at k = 200, 1% at k = 100 measured);
      // 5 / k relative slack is an order of magnitude above it
      expect(Math.abs((dist(w, [1, 1]) * (k + 2)) / Math.sqrt(26) - 1)).toBeLessThanOrEqual(5 / k);
    });
    const avg = modifiedLocalGD.run(example, { variant: 'avg', R: 200, record: 'last' });
    expect(dist(t.models[2], [1, 1])).toBeLessThan(dist(avg.models[0], [1, 1]) / 10);
  });
});

/** Exact-enough f64 projection onto {u : Z u >= 1} for tiny Z: best feasible KKT point over all active sets. */
function bruteProject(Z: Mat, w: Vec): Vec {
  const { rows: n, cols: d } = Z;
  const z = (i: number) => Z.data.subarray(i * d, (i + 1) * d);
  const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, x, j) => s + x * b[j], 0);
  let best: Vec | null = null, bestD = Infinity;
  for (let mask = 0; mask < 1 << n; mask++) {
    const A = [...Array(n).keys()].filter((i) => mask & (1 << i));
    if (A.length > d) continue;
    const M = A.map((i, r) => [...A.map((j) => dot(z(i), z(j))), 1 - dot(z(i), w)]);
    let ok = true;
    for (let c = 0; c < A.length && ok; c++) {
      let p = c;
      for (let r = c + 1; r < A.length; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
      if (Math.abs(M[p][c]) < 1e-10) ok = false;
      else {
        [M[c], M[p]] = [M[p], M[c]];
        for (let r = 0; r < A.length; r++) if (r !== c) { const f = M[r][c] / M[c][c]; for (let k = c; k <= A.length; k++) M[r][k] -= f * M[c][k]; }
      }
    }
    if (!ok) continue;
    const lam = M.map((r, i) => r[A.length] / r[i]);
    if (lam.some((l) => l < 0)) continue;
    const u = Float64Array.from(w);
    A.forEach((i, t) => { for (let j = 0; j < d; j++) u[j] += lam[t] * z(i)[j]; });
    if ([...Array(n).keys()].some((i) => dot(z(i), u) < 1 - 1e-9)) continue;
    const dd = dist(u, w);
    if (dd < bestD) [best, bestD] = [u, dd];
  }
  if (best === null) throw new Error('bruteProject: infeasible');
  return best;
}

/** Separable instances: random dyadic rows, labels = sign of x . wstar (rows with x . wstar = 0 dropped). */
const separable = problemArb({ minNodes: 2, maxNodes: 3, minRows: 1, maxRows: 2, maxD: 3, loss: 'logistic' }).chain((ds) =>
  modelArb(ds.d).filter((ws) => ws.some((x) => x !== 0)).map((ws): FederatedDataset => ({
    ...ds,
    nodes: ds.nodes.map((nd) => {
      const rows: number[][] = [];
      const y: number[] = [];
      for (let i = 0; i < nd.X.rows; i++) {
        const x = Array.from(nd.X.data.subarray(i * ds.d, (i + 1) * ds.d));
        const m = x.reduce((s, v, j) => s + v * ws[j], 0);
        if (m !== 0) {
          rows.push(x);
          y.push(Math.sign(m));
        }
      }
      return { X: { rows: rows.length, cols: ds.d, data: Float64Array.from(rows.flat()) }, y: Float64Array.from(y) };
    }),
  })),
).filter((ds) => ds.nodes.some((nd) => nd.X.rows > 0));

const signedRows = (nd: FederatedDataset['nodes'][number]): Mat => ({ ...nd.X, data: nd.X.data.map((x, i) => x * nd.y[Math.floor(i / nd.X.cols)]) });

describe('modifiedLocalGD (a) avg: Fejer monotonicity (random separable instances, injected f64 projector)', () => {
  it('||w^{k+1} - w_hat||^2 <= ||w^k - w_hat||^2 - sum_m alpha_m ||w^k - P_m(w^k)||^2 at every round', () => {
    fc.assert(
      fc.property(separable, (ds) => {
        const N = ds.nodes.reduce((s, nd) => s + nd.X.rows, 0);
        const pooledZ = q(ds.nodes.flatMap((nd) => { const Z = signedRows(nd); return [...Array(nd.X.rows).keys()].map((i) => Array.from(Z.data.subarray(i * ds.d, (i + 1) * ds.d))); }));
        const what = bruteProject(pooledZ, new Float64Array(ds.d));
        const t = modifiedLocalGD.run(ds, { variant: 'avg', R: 12, project: bruteProject });
        let moved = 0;
        for (let k = 0; k < 12; k++) {
          const w = t.models[k];
          let decrease = 0;
          ds.nodes.forEach((nd) => { if (nd.X.rows > 0) decrease += (nd.X.rows / N) * dist(w, bruteProject(signedRows(nd), w)) ** 2; });
          // why: the f64 projector is exact to ~1e-9 relative (its feasibility slack); 1e-8 of the squared scale covers it
          const scale = (norm(w) + norm(what)) ** 2;
          expect(dist(t.models[k + 1], what) ** 2).toBeLessThanOrEqual(dist(w, what) ** 2 - decrease + 1e-8 * scale);
          moved += decrease;
        }
        expect(moved).toBeGreaterThan(0); // w0 = 0 is infeasible, so the first round always moves
      }),
      { numRuns: 15 }, // each run solves ~70 tiny QPs by enumeration
    );
  });
});

describe('modifiedLocalGD (c) normalized (our construction)', () => {
  const sqArb = problemArb({ minNodes: 2, loss: 'squared' }).chain((ds) => fc.record({ ds: fc.constant(ds), w0: modelArb(ds.d) }));

  it('with L = 1 the round is one GD step of size etaG on F (any eta), to the derived rounding budget', () => {
    fc.assert(
      fc.property(sqArb, fc.constantFrom(0.25, 1, 4), ({ ds, w0 }, ratio) => {
        const loss: LossSpec = { name: 'squared' };
        const eta = safeEta(ds, loss);
        const etaG = ratio * eta;
        const s1 = modifiedLocalGD.step(modifiedLocalGD.init(ds, { variant: 'normalized', loss, eta, etaG, L: 1, R: 1, w0 }));
        const c1 = centralizedGD.run(ds, { loss, eta: etaG, T: 1, w0, record: 'last' }).models[0];
        const N = ds.nodes.reduce((s, nd) => s + nd.X.rows, 0);
        for (let j = 0; j < ds.d; j++) {
          let tol = 0;
          ds.nodes.forEach((nd) => {
            if (nd.X.rows === 0) return;
            const g = nodeGrad(loss, nd.X, nd.y, w0, new Float64Array(ds.d));
            const e = gradErrorBound(loss, nd, w0);
            // why: (w_1 - w)/eta recovers the gradient up to eps (|w| + |w_1|)/eta (rounding of w_1 and of the
            // difference), amplified by etaG; plus both gradients' own errors and the K-term sums (K + 4 eps)
            tol += (nd.X.rows / N) * ((etaG / eta) * 2 * EPS * (2 * Math.abs(w0[j]) + eta * Math.abs(g[j])) + 2 * etaG * e[j] + (ds.nodes.length + 4) * EPS * (Math.abs(w0[j]) + etaG * Math.abs(g[j])));
          });
          expect(Math.abs(s1.w[j] - c1[j])).toBeLessThanOrEqual(2 * tol);
        }
      }),
    );
  });

  it('the server move never exceeds etaG sum_k alpha_k ||grad f_k(w)||, for every L (convex, eta <= 1/beta)', () => {
    fc.assert(
      fc.property(sqArb, fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 4, maxLength: 4 }), ({ ds, w0 }, Ls) => {
        const loss: LossSpec = { name: 'squared' };
        const eta = safeEta(ds, loss);
        const etaG = 3 * eta;
        const N = ds.nodes.reduce((s, nd) => s + nd.X.rows, 0);
        let bound = 0;
        for (const nd of ds.nodes) if (nd.X.rows > 0) bound += (nd.X.rows / N) * norm(nodeGrad(loss, nd.X, nd.y, w0, new Float64Array(ds.d)));
        for (const L of Ls) {
          const s1 = modifiedLocalGD.step(modifiedLocalGD.init(ds, { variant: 'normalized', loss, eta, etaG, L, R: 1, w0 }));
          // why: the inequality is exact in real arithmetic; rounding adds (etaG/eta) 4 L eps |w| per coordinate at most
          expect(dist(s1.w, w0)).toBeLessThanOrEqual(etaG * bound * (1 + 1e-12) + (etaG / eta) * 4 * L * EPS * (norm(w0) + 1) * Math.sqrt(ds.d));
        }
      }),
    );
  });

  it('for small eta the round is a GD step of size etaG up to the drift bound etaG sum alpha_k beta_k eta (L_k - 1)/2 ||grad f_k||', () => {
    fc.assert(
      fc.property(sqArb, fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 4, maxLength: 4 }), ({ ds, w0 }, Lraw) => {
        const loss: LossSpec = { name: 'squared' };
        const L = ds.nodes.map((_, k) => Lraw[k % 4]);
        const eta = safeEta(ds, loss) / 8;
        const etaG = 0.5 * safeEta(ds, loss);
        const N = ds.nodes.reduce((s, nd) => s + nd.X.rows, 0);
        const s1 = modifiedLocalGD.step(modifiedLocalGD.init(ds, { variant: 'normalized', loss, eta, etaG, L, R: 1, w0 }));
        const gd = centralizedGD.run(ds, { loss, eta: etaG, T: 1, w0, record: 'last' }).models[0];
        let drift = 0;
        ds.nodes.forEach((nd, k) => {
          if (nd.X.rows === 0) return;
          let beta = 0;
          for (const v of nd.X.data) beta += v * v;
          beta /= nd.X.rows; // lambda_max(X^T X)/n <= ||X||_F^2 / n
          drift += (nd.X.rows / N) * beta * eta * ((L[k] - 1) / 2) * norm(nodeGrad(loss, nd.X, nd.y, w0, new Float64Array(ds.d)));
        });
        // why: drift bound from beta-Lipschitz gradients and ||w_l - w|| <= l eta ||grad f_k(w)|| (proof note, claim N3);
        // rounding as in the L = 1 test, bounded crudely by (etaG/eta) 8 max L eps (|w| + 1)
        const rounding = (etaG / eta) * 8 * Math.max(...L) * EPS * (norm(w0) + 1) * Math.sqrt(ds.d);
        expect(dist(s1.w, gd)).toBeLessThanOrEqual(etaG * drift + rounding);
      }),
    );
  });

  it('etaG = eta L reproduces plain Local-GD (uniform L), to rounding', () => {
    fc.assert(
      fc.property(sqArb, fc.integer({ min: 1, max: 6 }), ({ ds, w0 }, L) => {
        const loss: LossSpec = { name: 'squared' };
        const eta = safeEta(ds, loss);
        const a = modifiedLocalGD.run(ds, { variant: 'normalized', loss, eta, etaG: eta * L, L, R: 3, w0, record: 'last' }).models[0];
        const b = localGD.run(ds, { loss, eta, L, R: 3, w0, record: 'last' }).models[0];
        // why: w + sum beta (w_k - w) vs sum beta w_k: a few eps of |w| + |w_k| per round, 3 nonexpansive rounds
        expect(dist(a, b)).toBeLessThanOrEqual(3 * 8 * (ds.nodes.length + 2) * EPS * (norm(a) + norm(w0) + 1));
      }),
    );
  });
});

/**
 * Node permutations, per round. A state is plain data, so round r of either node order is entered directly from the
 * reference run's w^r (`enter`); the round counter matters for 'anchor' (a_r). Nodes, their L_k and any explicit
 * weights are relabelled together, so each node's contribution (its projection, or its local model) is computed
 * from bit-identical inputs in both orders, and only the order of the K-term weighted sum differs.
 * Tolerance: recursive summation of K terms is within (K - 1) u sum_k |t_k| of the exact sum (u = EPS/2, first
 * order, Higham §4.2), so the two orders differ by at most K EPS sum_k |t_k|; 4 K EPS sum_k |t_k| (as in
 * localGD.test.ts) also covers second-order terms and the rounding of alpha_k in the test's own magnitude.
 * 'normalized' adds w^r to the sum and rounds once more on each side: + 2 EPS (|w^r_j| + sum_k |t_k|).
 */
const enter = (s: ModifiedState, round: number, w: Vec): ModifiedState => Object.freeze({ ...s, round, w, done: false });
const permArb = <T extends { ds: FederatedDataset }>(a: fc.Arbitrary<T>) =>
  a.chain((v) => fc.shuffledSubarray(v.ds.nodes.map((_, k) => k), { minLength: v.ds.nodes.length }).map((perm) => ({ ...v, perm })));
const relabel = (ds: FederatedDataset, perm: readonly number[]): FederatedDataset => ({ ...ds, nodes: perm.map((k) => ds.nodes[k]) });

describe('modifiedLocalGD: permuting the nodes changes a round only by the rounding of the K-term weighted sum', () => {
  for (const variant of ['avg', 'anchor'] as const) {
    it(`(${variant}) every round, explicit weights relabelled with the nodes (injected f64 projector)`, () => {
      const arb = permArb(separable.chain((ds) => fc.array(fc.integer({ min: 1, max: 4 }), { minLength: ds.nodes.length, maxLength: ds.nodes.length })
        .map((raw) => ({ ds, raw: raw.map((v, k) => (ds.nodes[k].X.rows > 0 ? v : 0)) }))));
      fc.assert(
        fc.property(arb, ({ ds, raw, perm }) => {
          const R = 4;
          const pds = relabel(ds, perm);
          const h = { variant, R, project: bruteProject, alpha: raw };
          const ph = { ...h, alpha: perm.map((k) => raw[k]) };
          const a = modifiedLocalGD.run(ds, h);
          const s0 = modifiedLocalGD.init(ds, h);
          const p0 = modifiedLocalGD.init(pds, ph);
          const total = raw.reduce((x, y) => x + y, 0);
          const K = ds.nodes.length;
          for (let r = 0; r < R; r++) {
            const w = a.models[r];
            const ar = modifiedLocalGD.step(enter(s0, r, w));
            expect(bitsEqual(ar.w, a.models[r + 1])).toBe(true); // entering round r reproduces the run
            const br = modifiedLocalGD.step(enter(p0, r, w));
            const y = variant === 'anchor' ? w.map((x) => (1 - anchorCoefficient(r)) * x) : w;
            const mag = new Float64Array(ds.d);
            ds.nodes.forEach((nd, k) => {
              if (raw[k] === 0) return;
              const u = bruteProject(signedRows(nd), y);
              for (let j = 0; j < ds.d; j++) mag[j] += (raw[k] / total) * Math.abs(u[j]);
            });
            for (let j = 0; j < ds.d; j++) expect(Math.abs(br.w[j] - ar.w[j])).toBeLessThanOrEqual(4 * K * EPS * mag[j]);
            expect(br.communications).toBe(ar.communications);
          }
        }),
        { numRuns: 30 }, // each run solves ~60 tiny QPs by enumeration
      );
    });
  }

  it("(normalized) every round, per-node L_k relabelled with the nodes, zero-row nodes included", () => {
    const lossArb = fc.record({ name: fc.constantFrom<LossName>('squared', 'exponential', 'logistic'), l2: fc.constantFrom(0, 0.25) });
    const arb = permArb(lossArb.chain((loss) => problemArb({ minNodes: 2, minRows: 0, loss: loss.name }).chain((ds) => fc.record({
      loss: fc.constant(loss), ds: fc.constant(ds), w0: modelArb(ds.d), ratio: fc.constantFrom(0.5, 1, 3),
      L: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: ds.nodes.length, maxLength: ds.nodes.length }),
    }))));
    fc.assert(
      fc.property(arb, ({ loss, ds, w0, ratio, L, perm }) => {
        const R = 3;
        const eta = safeEta(ds, loss);
        const etaG = ratio * eta;
        const pds = relabel(ds, perm);
        const h = { variant: 'normalized' as const, loss, eta, etaG, L, R, w0 };
        const a = modifiedLocalGD.run(ds, h);
        const N = ds.nodes.reduce((x, nd) => x + nd.X.rows, 0);
        const K = ds.nodes.length;
        for (let r = 0; r < R; r++) {
          const w = a.models[r];
          const ar = modifiedLocalGD.step(modifiedLocalGD.init(ds, { ...h, R: 1, w0: w }));
          expect(bitsEqual(ar.w, a.models[r + 1])).toBe(true);
          const br = modifiedLocalGD.step(modifiedLocalGD.init(pds, { ...h, L: perm.map((k) => L[k]), R: 1, w0: w }));
          const mag = new Float64Array(ds.d);
          ds.nodes.forEach((nd, k) => {
            if (nd.X.rows === 0) return;
            const one: FederatedDataset = { ...ds, nodes: [nd] };
            const wk = centralizedGD.run(one, { loss, eta, T: L[k], w0: w, record: 'last' }).models[0];
            for (let j = 0; j < ds.d; j++) mag[j] += (nd.X.rows / N) * (etaG / (eta * L[k])) * Math.abs(wk[j] - w[j]);
          });
          for (let j = 0; j < ds.d; j++) {
            expect(Math.abs(br.w[j] - ar.w[j])).toBeLessThanOrEqual(4 * K * EPS * mag[j] + 2 * EPS * (Math.abs(w[j]) + mag[j]));
          }
        }
      }),
    );
  });
});

describe('modifiedLocalGD: partial participation (participants)', () => {
  it("'avg' and 'anchor' reject participants (they used to ignore it); the type allows it only for 'normalized'", () => {
    const bad = { variant: 'avg', R: 1, participants: 1 } as unknown as ModifiedLocalGDHyper;
    expect(() => modifiedLocalGD.init(example, bad)).toThrow(
      /^modifiedLocalGD: participants is supported only by variant 'normalized' \(variant 'avg' aggregates the exact projections of every node with a positive weight in every round\), got 1$/,
    );
    expect(() => modifiedLocalGD.run(example, { ...bad, variant: 'anchor' } as ModifiedLocalGDHyper)).toThrow(/^modifiedLocalGD: participants is supported only by variant 'normalized' \(variant 'anchor' /);
    // @ts-expect-error participants is typed only for variant 'normalized'
    const typed: ModifiedLocalGDHyper = { variant: 'anchor', R: 1, participants: 2 };
    expect(() => modifiedLocalGD.init(example, typed)).toThrow(/participants is supported only by variant 'normalized'.*, got 2$/);
    // participants: undefined is "not given"
    expect(modifiedLocalGD.init(example, { variant: 'avg', R: 1, participants: undefined }).round).toBe(0);
  });

  it("'normalized' aggregates the Local-GD participants with weights renormalised over them (computed by hand)", () => {
    // node k: n_k copies of (x = 1, y = c_k), squared loss, eta = 1, so every local step lands on c_k exactly and
    // w_k = c_k for any L_k. Hence w+ = w + sum_{k in S} beta_k (etaG / L_k) (c_k - w), beta_k = raw_k / sum_{S} raw_j.
    const c = [1, -0.5, 0.75, 0.25];
    const n = [1, 2, 3, 1];
    const nodes = c.map((ck, k) => ({ X: { rows: n[k], cols: 1, data: new Float64Array(n[k]).fill(1) }, y: new Float64Array(n[k]).fill(ck), weight: [3, 1, 0, 4][k] }));
    const ds: FederatedDataset = { task: 'regression', d: 1, nodes };
    const loss: LossSpec = { name: 'squared' };
    const L = [1, 2, 3, 2];
    const R = 30, m = 2, etaG = 0.5, seed = 5;
    for (const [alpha, raw] of [['uniform', [1, 1, 1, 1]], ['given', [3, 1, 0, 4]], ['samples', n]] as const) {
      const t = modifiedLocalGD.run(ds, { variant: 'normalized', loss, eta: 1, etaG, L, R, participants: m, seed, alpha });
      const subsets = localGD.run(ds, { loss, eta: 1, L, R, participants: m, seed, alpha }).extra!.participants as number[][];
      expect(new Set(subsets.map((S) => S.join())).size).toBe(alpha === 'given' ? 3 : 6); // every pair of eligible nodes occurs
      expect(t.communications).toEqual(t.rounds.map((r) => r * m));
      subsets.forEach((S, r) => {
        const w = t.models[r][0];
        const tot = S.reduce((x, k) => x + raw[k], 0);
        let move = 0, mag = 0;
        for (const k of S) {
          move += (raw[k] / tot) * (etaG / L[k]) * (c[k] - w);
          mag += (raw[k] / tot) * (etaG / L[k]) * Math.abs(c[k] - w);
        }
        // why: beta_k rounds twice (alpha_k, then its renormalisation), the coefficient and the difference once each,
        // the |S|-term sum and the final w + sum once more: 2 (|S| + 6) eps of |w| + the magnitudes
        expect(Math.abs(t.models[r + 1][0] - (w + move))).toBeLessThanOrEqual(2 * (S.length + 6) * EPS * (Math.abs(w) + mag));
      });
    }
  });
});

describe('modifiedLocalGD: errors and purity', () => {
  it('rejects bad variants and misplaced hyperparameters with one-line errors', () => {
    expect(() => modifiedLocalGD.init(example, { variant: 'plain' as 'avg', R: 1 })).toThrow(/^modifiedLocalGD: variant must be 'avg', 'anchor' or 'normalized', got "plain"$/);
    expect(() => modifiedLocalGD.init(example, { variant: 'avg', R: 1, eta: 0.1 })).toThrow(/eta is used only by variant 'normalized'/);
    expect(() => modifiedLocalGD.init(example, { variant: 'normalized', R: 1, eta: 0.1, etaG: 0.1 })).toThrow(/needs L/);
    expect(() => modifiedLocalGD.init(example, { variant: 'normalized', R: 1, eta: 0.1, L: 2 })).toThrow(/etaG must be positive and finite, got undefined/);
    const reg: FederatedDataset = { ...example, task: 'regression', nodes: [{ X: q([[1, 0]]), y: Float64Array.of(0.5) }] };
    expect(() => modifiedLocalGD.init(reg, { variant: 'avg', R: 1 })).toThrow(/node 0, row 0: label 0.5 is not -1 or \+1/);
    expect(() => modifiedLocalGD.run(example, { variant: 'avg', R: 1, project: () => new Float64Array(3) })).toThrow(/round 0, node 0: the projection returned 3 entries, expected d = 2/);
  });

  it('does not mutate the problem or the previous state', () => {
    const before = example.nodes.map((nd) => [Array.from(nd.X.data), Array.from(nd.y)]);
    const s0 = modifiedLocalGD.init(example, { variant: 'anchor', R: 3, w0: Float64Array.of(0.5, 0.25) });
    const s1 = modifiedLocalGD.step(s0);
    modifiedLocalGD.step(s1);
    expect(Array.from(s0.w)).toEqual([0.5, 0.25]);
    expect(example.nodes.map((nd) => [Array.from(nd.X.data), Array.from(nd.y)])).toEqual(before);
    expect(Object.isFrozen(s1)).toBe(true);
  });
});
