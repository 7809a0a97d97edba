/**
 * L-3-bias-floor — a RECORDED REFUTATION (expect: 'refuted'): L-3's IID claim (linear speedup: from p to 4p workers
 * the excess over the deterministic GD path shrinks at least 4-fold, properties/lupa-sgd/iid.linear-speedup.prop.ts,
 * the same statement) posed on pinned NON-IID shards with a large period (docs/theory.md#26-how-tau-enters: "non-IID shards
 * with large tau leave a bias floor that does not shrink with p"). With full local gradients plus additive noise the
 * update is affine, so E xbar_T is the noise-free LUPA run d_T (the same at p and 4p: the 4p run pins 4 workers to
 * each shard) and the noise part of the gap scales exactly as 1/p. Hence, exactly,
 *   E[4 F(xbar_T^{(4p)}) - F(xbar_T^{(p)})] = 3 F(d_T),   i.e.   E F(xbar^{(4p)}) - F(m_T) = b + (E F(xbar^{(p)}) - F(m_T) - b)/4,
 * with the p-independent drift floor b = F(d_T) - F(m_T) > 0 (computed here per instance); the claim (<= 3 F(m_T))
 * is refuted whenever the interval sees b > 0. Monte Carlo over paired seeds, one-sided t interval at 1 - 1e-3/runs:
 * were the claim true, a run would refute it w.p. <= 1e-3. Note: proofs-notes/L-3-bias-floor.md.
 */
import fc from 'fast-check';
import { EPS } from '../../src/numeric/index.ts';
import type { Vec } from '../../src/numeric/index.ts';
import { capability } from '../../src/subject/index.ts';
import type { RunFn } from '../../src/optimizers/types.ts';
import type { LupaSGDHyper } from '../../src/optimizers/lupaSGD.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';
import { defineTheorem, type ProfileName, type Subject } from '../../src/spec/index.ts';
import { etaAt, gdPathStats, intervalConfidence, lossAt, maxRowNorm2, OFFSETS, rowsOf, speedupObserved, twoRowShards, type SpeedupRun, PAPER } from './lupa.support.ts';
import { pooled } from '../../src/problems/dataset.ts';
import { STATEMENT } from './iid.linear-speedup.prop.ts';

export const PROFILES: Readonly<Record<ProfileName, number>> = Object.freeze({ ci: 10, default: 50, hunt: 500 });
/** Monte Carlo pairs (p, 4p) per instance */
export const SAMPLES = 24;

/** 'shards': worker j pinned to node j (the refutation); 'iid': every worker samples the pooled rows (the control); full batches */
export type FloorCase = Omit<SpeedupRun, 'B'>;

/**
 * p in {2, 3} pinned shards of 2 rows, d in {1, 2}, entries in {-1, -1/2, 1/2, 1} (the shards' Hessians differ),
 * labels in {-2, ..., 2}; full local gradients + N(0, sigma^2 I) noise, sigma = 2^-k (k in 2..4); tau in [T/2, T];
 * eta constant 1/R2 or 4/(mu (t + 64)) with mu = R2/16 (eta_0 = 1/R2). `sampling` = 'iid' gives the control.
 */
export function floorCases(sampling: 'iid' | 'shards' = 'shards'): fc.Arbitrary<FloorCase> {
  return fc
    .record({
      p: fc.integer({ min: 2, max: 3 }),
      d: fc.integer({ min: 1, max: 2 }),
      xs: fc.array(fc.constantFrom(-2, -1, 1, 2), { minLength: 12, maxLength: 12 }),
      ys: fc.array(fc.integer({ min: -4, max: 4 }), { minLength: 6, maxLength: 6 }),
      noiseExp: fc.integer({ min: 2, max: 4 }),
      decaying: fc.boolean(),
      T: fc.integer({ min: 8, max: 48 }),
      tauFrac: fc.double({ min: 0.5, max: 1, noNaN: true }),
      u: OFFSETS,
      seed: fc.integer(),
    })
    .map(({ p, d, xs, ys, noiseExp, decaying, T, tauFrac, u, seed }): FloorCase => {
      const { ds, R2 } = twoRowShards(p, d, xs, ys);
      return {
        ds: sampling === 'shards' ? ds : pooledNode(ds), sampling, p, noise: 2 ** -noiseExp,
        eta: decaying ? { a: 4, b: 64, mu: R2 / 16 } : 1 / R2, T, tau: Math.max(1, Math.round(tauFrac * T)),
        x0: Float64Array.from({ length: d }, (_, k) => u[k] / 4), seed, samples: SAMPLES,
      };
    });
}

function pooledNode(ds: FederatedDataset): FederatedDataset {
  const { X, y } = pooled(ds);
  return { ...ds, nodes: [{ X, y }] };
}

/**
 * d_T: the noise-free LUPA-SGD run with full local gradients, written out here (not the subject's): worker j runs GD on
 * node j's mean loss (the pooled node for 'iid', where d_T = m_T), all workers average after every tau-th step and at T.
 * Node j's loss is weighted by its rows in F, and the nodes have equal rows, so the plain average is the mean path's.
 */
export function noiseFreeRun(c: FloorCase): Vec {
  const { d } = c.ds;
  const nodes = c.sampling === 'shards' ? c.ds.nodes : Array.from({ length: c.p }, () => c.ds.nodes[0]);
  const xs = nodes.map(() => Float64Array.from(c.x0));
  const g = new Float64Array(d);
  for (let t = 0; t < c.T; t++) {
    const e = etaAt(c.eta, t);
    nodes.forEach((nd, j) => {
      const x = xs[j];
      g.fill(0);
      for (let i = 0; i < nd.X.rows; i++) {
        let r = -nd.y[i];
        for (let k = 0; k < d; k++) r += nd.X.data[i * d + k] * x[k];
        for (let k = 0; k < d; k++) g[k] += (r * nd.X.data[i * d + k]) / nd.X.rows;
      }
      for (let k = 0; k < d; k++) x[k] -= e * g[k];
    });
    if ((t + 1) % c.tau === 0 || t + 1 === c.T) {
      const m = new Float64Array(d);
      for (const x of xs) for (let k = 0; k < d; k++) m[k] += x[k] / xs.length;
      for (const x of xs) x.set(m);
    }
  }
  return xs[0];
}

/** The p-independent drift floor b = F(d_T) - F(m_T) (0 for 'iid'). */
export function driftFloor(c: FloorCase): number {
  return lossAt(c.ds, noiseFreeRun(c)) - lossAt(c.ds, gdPathStats(c.ds, c.eta, c.T, c.x0).m);
}

function observe(c: FloorCase, subject: Subject, profile: ProfileName): number {
  return speedupObserved(capability<RunFn<LupaSGDHyper>>(subject, 'lupaSGD'), { ...c, B: 'full' }, intervalConfidence(PROFILES[profile], 1));
}

export const spec = defineTheorem<FloorCase, number>({
  id: 'L-3-bias-floor',
  title: 'RECORDED REFUTATION (drop IID): on pinned non-IID shards with a large period the excess shrinks 4-fold from p to 4p workers',
  source: {
    paper: PAPER,
    version: 'L-3 (docs/theory.md#23-main-result, docs/theory.md#6-property-catalogue) with its IID hypothesis dropped; counterexample of docs/theory.md#26-how-tau-enters',
    locator: 'docs/theory.md#21-setting-and-assumptions (unbiased gradients for the global F), docs/theory.md#26-how-tau-enters "Non-IID shards ... bias floor that does not shrink with p"; derivation in the note',
    provenance: ['derived', 'num'],
  },
  statement: STATEMENT,
  kind: 'upper-bound',
  // the IID claim on non-IID shards; the search refutes it on correct optimizers (see the note): a finding
  expect: 'refuted',
  requires: ['lupaSGD'],
  hypotheses: [
    { name: 'quadratic objective (least squares)', check: (c) => c.ds.task === 'regression' || `task ${c.ds.task}` },
    { name: 'pinned shards of equal size (F = mean of the shard losses), one per worker of the p run', check: (c) => c.sampling === 'iid' || (c.ds.nodes.length === c.p && c.ds.nodes.every((nd) => nd.X.rows === c.ds.nodes[0].X.rows)) || `${c.ds.nodes.length} nodes for p = ${c.p}` },
    { name: 'a period of at least T/2 (large tau)', check: (c) => 2 * c.tau >= c.T || `tau ${c.tau} < T/2 = ${c.T / 2}` },
    {
      name: 'eta_t <= 1/max_i ||x_i||^2 (the same schedule at p and 4p)',
      check: (c) => etaAt(c.eta, 0) <= 1 / Math.max(...c.ds.nodes.map((nd) => maxRowNorm2(nd.X))) || 'eta_0 too large',
    },
  ],
  instances: floorCases('shards'),
  observe: (c, subject, ctx) => observe(c, subject, ctx.profile),
  bound: (c) => 3 * lossAt(c.ds, gdPathStats(c.ds, c.eta, c.T, c.x0).m),
  tolerance: (c) => ({
    rel: 3 * (rowsOf(c.ds) + c.ds.d + 2) * EPS * 4 * c.T,
    why: 'rounding of 3 F(m_T): T nonexpansive GD steps and one F evaluation, (rows + d + 2) EPS each, with a factor 4 for the residual scale',
  }),
  profiles: PROFILES,
  hints: [
    'expected: the local fixed points of the shards differ, so E xbar_T follows the averaged local runs, not the GD path; the excess b = F(d_T) - F(m_T) > 0 does not shrink with p',
    'with IID sampling (every worker samples the pooled rows) d_T = m_T and the claim holds (L-3)',
  ],
});
