/**
 * L-1-sync-every-step (docs/theory.md#22-algorithm-lupa-sgd algorithm; docs/theory.md#26-how-tau-enters exact identities; derived by us): averaging after EVERY local
 * step is centralized gradient descent, whatever the shards. With tau = 1, full local gradients and no noise, worker j
 * starts from xbar_t, steps to xbar_t - eta_t grad f_j(xbar_t), and the average is
 *   xbar_{t+1} = xbar_t - eta_t (1/p) sum_j grad f_j(xbar_t) = xbar_t - eta_t grad F(xbar_t),
 * with F the pooled mean loss when the p pinned shards have equal row counts. So the LUPA-SGD average equals the GD
 * path m_t on the pooled data, on heterogeneous (non-IID) shards too. Exact up to rounding (tolerance k EPS S sqrt(d),
 * derived in the note). Kills mutant #10 in LUPA-SGD (a worker that keeps its own model instead of restarting from the
 * average runs GD on its own shard: the average of p such chains is not the GD path once the shards differ).
 * Note: proofs-notes/L-1-sync-every-step.md.
 */
import fc from 'fast-check';
import { EPS } from '../../src/numeric/index.ts';
import type { Vec } from '../../src/numeric/index.ts';
import type { StepSize } from '../../src/optimizers/parts/check.ts';
import { capability } from '../../src/subject/index.ts';
import type { RunFn } from '../../src/optimizers/types.ts';
import type { LupaSGDHyper } from '../../src/optimizers/lupaSGD.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';
import { defineTheorem, type Subject } from '../../src/spec/index.ts';
import { finalModel, gdPathStats, maxRowNorm2, OFFSETS, rowsOf, SQUARED, PAPER } from './lupa.support.ts';

export const STATEMENT = String.raw`\tau = 1,\ \tilde g_j = \nabla f_j,\ n_1 = \dots = n_p \;\Longrightarrow\; \bar x^{(t)} = m_t\ \ \forall t,\quad m_{t+1} = m_t - \eta_t \nabla F(m_t),\ F = \tfrac1p \textstyle\sum_j f_j`;

export interface SyncCase {
  /** p nodes, worker j pinned to node j ('shards') */
  readonly ds: FederatedDataset;
  readonly p: number;
  readonly tau: number;
  readonly eta: StepSize;
  readonly T: number;
  readonly x0: Vec;
}

/**
 * p in [2, 4] pinned shards of n in [1, 3] rows each (equal n), d in [1, 3], entries in {-1, -1/2, 1/2, 1} (the
 * shards' Hessians and minimisers differ), labels in {-1, -1/2, ..., 1}; eta constant 1/R2 or 4/(mu (t + 64)) with
 * mu = R2/16 (eta_0 = 1/R2, R2 the largest squared row norm over all shards); T in [2, 40]; tau = 1.
 */
export function syncCases(tau: fc.Arbitrary<number> = fc.constant(1)): fc.Arbitrary<SyncCase> {
  return fc
    .record({
      p: fc.integer({ min: 2, max: 4 }),
      n: fc.integer({ min: 1, max: 3 }),
      d: fc.integer({ min: 1, max: 3 }),
      xs: fc.array(fc.constantFrom(-2, -1, 1, 2), { minLength: 36, maxLength: 36 }),
      ys: fc.array(fc.integer({ min: -2, max: 2 }), { minLength: 12, maxLength: 12 }),
      decaying: fc.boolean(),
      T: fc.integer({ min: 2, max: 40 }),
      tau,
      u: OFFSETS,
    })
    .map(({ p, n, d, xs, ys, decaying, T, tau: t, u }): SyncCase => {
      const nodes = Array.from({ length: p }, (_, j) => ({
        X: { rows: n, cols: d, data: Float64Array.from({ length: n * d }, (_, k) => xs[j * 9 + k] / 2) },
        y: Float64Array.from({ length: n }, (_, i) => ys[j * 3 + i] / 2),
      }));
      const R2 = Math.max(...nodes.map((nd) => maxRowNorm2(nd.X)));
      return {
        ds: { task: 'regression', d, nodes }, p, tau: Math.min(t, T),
        eta: decaying ? { a: 4, b: 64, mu: R2 / 16 } : 1 / R2, T,
        x0: Float64Array.from({ length: d }, (_, k) => u[k] / 4),
      };
    });
}

const R2of = (ds: FederatedDataset) => Math.max(...ds.nodes.map((nd) => maxRowNorm2(nd.X)));

/** S: the largest ||m_t|| on the GD path plus max|y|/sqrt(R2) (the size a step adds), the rounding scale. */
function scaleOf(c: SyncCase): number {
  let ymax = 0;
  for (const nd of c.ds.nodes) for (const v of nd.y) ymax = Math.max(ymax, Math.abs(v));
  return gdPathStats(c.ds, c.eta, c.T, c.x0).maxNorm + ymax / Math.sqrt(R2of(c.ds));
}

/** k of the tolerance k EPS S sqrt(d): see the note (both recursions' per-step rounding, T nonexpansive steps). */
export function syncK(c: SyncCase): number {
  const N = rowsOf(c.ds);
  return 2 * c.T * (N + c.ds.d + c.p + 3);
}

function observe(c: SyncCase, subject: Subject): number {
  const run = capability<RunFn<LupaSGDHyper>>(subject, 'lupaSGD');
  const w = finalModel(run(c.ds, { loss: SQUARED, eta: c.eta, T: c.T, tau: c.tau, p: c.p, B: 'full', sampling: 'shards', noise: 0, w0: c.x0, record: 'last' }), 'lupaSGD(tau = 1, shards)');
  const { m } = gdPathStats(c.ds, c.eta, c.T, c.x0);
  let q = 0;
  for (let j = 0; j < m.length; j++) q += (w[j] - m[j]) ** 2;
  const S = scaleOf(c);
  return q === 0 ? 0 : Math.sqrt(q) / S;
}

/** The shards' gradients at x0 differ (else every worker holds the same model and restarting is invisible). */
function heterogeneousAtStart(c: SyncCase): true | string {
  const d = c.ds.d;
  const grads = c.ds.nodes.map((nd) => {
    const g = new Float64Array(d);
    for (let i = 0; i < nd.X.rows; i++) {
      let r = -nd.y[i];
      for (let k = 0; k < d; k++) r += nd.X.data[i * d + k] * c.x0[k];
      for (let k = 0; k < d; k++) g[k] += (r * nd.X.data[i * d + k]) / nd.X.rows;
    }
    return g;
  });
  return grads.some((g) => g.some((v, k) => v !== grads[0][k])) || 'every shard has the same gradient at x0: the workers stay identical';
}

export const spec = defineTheorem<SyncCase, number>({
  id: 'L-1-sync-every-step',
  title: 'LUPA-SGD with tau = 1 and full gradients on pinned shards is centralized GD on the pooled loss',
  source: {
    paper: PAPER,
    version: 'algorithm as on the official poster and code (docs/theory.md#22-algorithm-lupa-sgd)',
    locator: 'Algorithm 1 (poster: local update, then xbar = (1/p) sum_j x_j when tau | t); docs/theory.md#26-how-tau-enters exact identities; our derivation in the note',
    provenance: 'derived',
  },
  statement: STATEMENT,
  kind: 'equivalence',
  requires: ['lupaSGD'],
  hypotheses: [
    // full local gradients and no noise are not instance fields: observe always runs B = 'full', noise = 0
    { name: 'tau = 1 (average after every local step)', check: (c) => c.tau === 1 || `tau = ${c.tau}` },
    {
      name: 'equal rows on every shard (the uniform average of shard losses is the pooled mean loss)',
      check: (c) => c.ds.nodes.every((nd) => nd.X.rows === c.ds.nodes[0].X.rows) || `rows ${c.ds.nodes.map((nd) => nd.X.rows).join(', ')}`,
    },
    {
      name: 'eta_t <= 1/max_i ||x_i||^2 (every step nonexpansive)',
      check: (c) => (typeof c.eta === 'number' ? c.eta : c.eta.a / (c.eta.mu * c.eta.b)) <= 1 / R2of(c.ds) || 'eta_0 too large',
    },
  ],
  instances: syncCases(),
  observe: (c: SyncCase, subject: Subject) => observe(c, subject),
  bound: () => 0,
  tolerance: (c) => ({
    abs: syncK(c) * EPS * Math.sqrt(c.ds.d),
    why: `k EPS sqrt(d), k = 2T(N + d + p + 3) = ${syncK(c)}: per-step rounding of the shard gradients, the average and the pooled GD step, propagated by T nonexpansive steps, relative to S = max ||m_t|| + max|y|/sqrt(R2)`,
  }),
  nonVacuous: (c) => heterogeneousAtStart(c),
  profiles: { ci: 20, default: 100, hunt: 1000 },
  hints: [
    'a worker that is not restarted from the average after a synchronisation (planted bug docs/planted-bugs.md#m10-lupa-no-restart) runs GD on its own shard: the average of those chains is not the GD path',
    'with tau >= 2 the shards drift apart between averagings (client drift): the identity needs tau = 1',
  ],
});
