/**
 * L-3 (docs/theory.md#23-main-result, docs/theory.md#6-property-catalogue): linear speedup in p. On IID least squares (quadratic PL), for every tau and schedule,
 * E F(xbar_T) = F(m_T) + sum_{k>=1} g_k / p^k with g_k >= 0 independent of p (m_T: the deterministic GD path), so the
 * excess over the deterministic path shrinks at least 4-fold from p to 4p workers:
 *   E[F(xbar_T^{(4p)})] - F(m_T) <= (E[F(xbar_T^{(p)})] - F(m_T)) / 4,   i.e.   E[4 F(xbar^{(4p)}) - F(xbar^{(p)})] <= 3 F(m_T).
 * Monte Carlo over paired seeds, one-sided t interval at 1 - 1e-3/runs (a correct optimizer fails a run w.p. <= 1e-3).
 * Dropping IID (heterogeneous shards, large tau) leaves a bias floor that does not shrink with p: found by search.
 */
import fc from 'fast-check';
import { plProblem } from '../../src/arbitraries/index.ts';
import { EPS } from '../../src/numeric/index.ts';
import { capability } from '../../src/subject/index.ts';
import type { RunFn } from '../../src/optimizers/types.ts';
import type { LupaSGDHyper } from '../../src/optimizers/lupaSGD.ts';
import { defineTheorem, type ProfileName, type Subject } from '../../src/spec/index.ts';
import { tInterval } from '../../src/spec/stats/index.ts';
import {
  gdPathStats, intervalConfidence, lossAt, lsFromPl, maxRowNorm2, OFFSETS, rowsOf, speedupObserved, startNear, stepFor,
  twoRowShards, type SpeedupRun, PAPER } from './lupa.support.ts';

export const STATEMENT = String.raw`\mathbb{E}\bigl[F(\bar x^{(T)}_{4p})\bigr] - F(m_T) \le \tfrac14\Bigl(\mathbb{E}\bigl[F(\bar x^{(T)}_{p})\bigr] - F(m_T)\Bigr),\quad m_{t+1} = m_t - \eta_t \nabla F(m_t),\ m_0 = x^{(0)};\quad\text{equivalently}\quad \frac{\mathbb{E} F(\bar x_p) - F^\star}{\mathbb{E} F(\bar x_{4p}) - F^\star} \ge \frac{4}{1 + 3\,(F(m_T) - F^\star)/(\mathbb{E} F(\bar x_p) - F^\star)}`;

/** 'iid': one pooled node, p workers sampling it; 'shards': p nodes, worker j pinned to node j; `samples` seed pairs */
export type SpeedupCase = SpeedupRun;

// ci 40 (was 20): P11 (shared random stream) is caught on 66/200 draws (p = 1 draws cannot catch it); at 20 runs the
// teeth test missed on 1 of ~45 seeds (563454814), fast-check's early runs being biased to small p and noise
export const PROFILES: Readonly<Record<ProfileName, number>> = Object.freeze({ ci: 40, default: 100, hunt: 1000 });
/** Monte Carlo pairs per instance */
export const SAMPLES = 24;

export const instances: fc.Arbitrary<SpeedupCase> = fc
  .record({
    pr: plProblem({ kind: 'least-squares', sampling: 'iid', maxDim: 3, maxLogKappa: 2, maxWorkers: 1 }),
    p: fc.integer({ min: 1, max: 3 }),
    B: fc.integer({ min: 1, max: 2 }),
    noiseExp: fc.integer({ min: 0, max: 3 }),
    decaying: fc.boolean(),
    T: fc.integer({ min: 8, max: 48 }),
    tauFrac: fc.double({ min: 0, max: 1, noNaN: true }),
    u: OFFSETS,
    seed: fc.integer(),
  })
  .map(({ pr, p, B, noiseExp, decaying, T, tauFrac, u, seed }): SpeedupCase => {
    const pb = lsFromPl(pr);
    return {
      ds: pb.ds, sampling: 'iid', p, B, noise: 2 ** -noiseExp, eta: stepFor(pb, decaying), T,
      tau: 1 + Math.floor(tauFrac * (T - 1)), x0: startNear(pb, u), seed, samples: SAMPLES,
    };
  });

function observe(c: SpeedupCase, subject: Subject, profile: ProfileName, keep?: (d: unknown) => void): number {
  return speedupObserved(capability<RunFn<LupaSGDHyper>>(subject, 'lupaSGD'), c, intervalConfidence(PROFILES[profile], 1), keep);
}

/** Confidence of the per-point intervals and of the slope interval drawn in the report (not part of the claim). */
export const PLOT_CONFIDENCE = 0.95;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export const spec = defineTheorem<SpeedupCase, number>({
  id: 'L-3-linear-speedup',
  title: 'LUPA-SGD linear speedup: from p to 4p workers the excess over the deterministic path shrinks at least 4-fold',
  source: {
    paper: PAPER,
    version: 'abstract (NeurIPS metadata, ar5iv); theorem text not available to us',
    locator: 'abstract: error O(1/(pT)) for PL losses (linear speedup); docs/theory.md#23-main-result, L-3; our derivation in the note',
    provenance: ['read-2', 'derived'],
  },
  statement: STATEMENT,
  kind: 'upper-bound',
  requires: ['lupaSGD'],
  hypotheses: [
    { name: 'quadratic PL objective (least squares)', check: (c) => c.ds.task === 'regression' || `task ${c.ds.task}` },
    { name: 'IID: every worker samples the pooled data (unbiased oracle for grad F)', check: (c) => c.sampling === 'iid' || `sampling ${c.sampling}` },
    {
      name: 'eta_t <= 1/max_i ||x_i||^2 (the same schedule at p and 4p)',
      check: (c) => (typeof c.eta === 'number' ? c.eta : c.eta.a / (c.eta.mu * c.eta.b)) <= 1 / Math.max(...c.ds.nodes.map((nd) => maxRowNorm2(nd.X))) || 'eta_0 too large',
    },
  ],
  instances,
  observe: (c: SpeedupCase, subject: Subject, ctx) => observe(c, subject, ctx.profile, ctx.keep),
  plot: {
    title: 'Excess over the deterministic path, E F(xbar_T) - F(m_T), at p and 4p workers (log-log), with the slope -1 of linear speedup',
    x: { title: 'workers', scale: 'log' },
    y: { title: 'E F(xbar_T) - F(m_T)', scale: 'log' },
    cases: 12,
    series: (c, _o, bound, kept) => {
      const { f1, f4 } = kept[0] as { f1: number[]; f4: number[] };
      const Fm = (bound as number) / 3;
      // the excess at each point with its two-sided t interval over the Monte Carlo sample
      const iv = (f: number[]) => tInterval(f.map((v) => v - Fm), { confidence: PLOT_CONFIDENCE, side: 'two-sided' });
      const e1 = iv(f1);
      const e4 = iv(f4);
      const m1 = e1.mean;
      const label = `p = ${c.p}, T = ${c.T}, tau = ${c.tau}`;
      return {
        label,
        lines: [
          { name: label, x: [c.p, 4 * c.p], y: [m1, e4.mean], lo: [e1.lo, e4.lo], hi: [e1.hi, e4.hi] },
          { name: `slope -1 (${label})`, role: 'reference', x: [c.p, 4 * c.p], y: [m1, m1 / 4] },
        ],
      };
    },
    summarise: (cases) => {
      // per case, the log-log slope between p and 4p; their mean with a t interval over the cases
      const slopes = cases.map((k) => k.lines[0]).filter((l) => l.y[0] > 0 && l.y[1] > 0).map((l) => Math.log(l.y[1] / l.y[0]) / Math.log(l.x[1] / l.x[0]));
      if (slopes.length < 2) return `${slopes.length} case(s) with a positive excess at both p and 4p: no slope interval`;
      const t = tInterval(slopes, { confidence: PLOT_CONFIDENCE, side: 'two-sided' });
      return `fitted log-log slope over ${slopes.length} cases: ${mean(slopes).toFixed(3)}, ${PLOT_CONFIDENCE * 100}% t interval [${t.lo.toFixed(3)}, ${t.hi.toFixed(3)}] (linear speedup: -1 or steeper)`;
    },
  },
  bound: (c) => 3 * lossAt(c.ds, gdPathStats(c.ds, c.eta, c.T, c.x0).m),
  tolerance: (c) => {
    const { maxNorm, grad0 } = gdPathStats(c.ds, c.eta, c.T, c.x0);
    const L = Math.max(...c.ds.nodes.map((nd) => maxRowNorm2(nd.X)));
    let ymax = 0;
    for (const nd of c.ds.nodes) for (let i = 0; i < nd.y.length; i++) ymax = Math.max(ymax, Math.abs(nd.y[i]));
    const n = rowsOf(c.ds);
    const drift = c.T * (n + c.ds.d + 2) * EPS * (maxNorm + ymax / Math.sqrt(L)) * Math.sqrt(c.ds.d);
    return {
      abs: 3 * (grad0 * drift + L * drift * drift),
      rel: 3 * (n + c.ds.d + 2) * EPS,
      why: 'rounding of the bound 3 F(m_T): the GD path (T nonexpansive steps, (n + d + 2) EPS each) moves F by <= ||grad F(x0)|| delta + L delta^2, F itself (n + d + 2) EPS',
    };
  },
  profiles: PROFILES,
  hints: [
    'an excess that does not shrink with p: biased local gradients (non-IID shards with large tau), or workers sharing one noise stream',
    'the claim is about expectations: the observed value is the lower end of a one-sided t interval (Bonferroni over the runs)',
  ],
});

/**
 * The counterexample generator WITHOUT the IID hypothesis (docs/theory.md#26-how-tau-enters): p in {2, 3} shards of 2 rows with entries
 * in {-1, -1/2, 1/2, 1} (so the shards' Hessians differ), worker j pinned to shard j, tau in [T/2, T] (large), constant
 * or decaying eta_0 = 1/max_i ||x_i||^2. The 4p run pins 4 workers to each shard, so F is unchanged.
 */
export const heterogeneousShards: fc.Arbitrary<SpeedupCase> = fc
  .record({
    p: fc.integer({ min: 2, max: 3 }),
    d: fc.integer({ min: 1, max: 2 }),
    xs: fc.array(fc.constantFrom(-2, -1, 1, 2), { minLength: 12, maxLength: 12 }),
    ys: fc.array(fc.integer({ min: -4, max: 4 }), { minLength: 6, maxLength: 6 }),
    B: fc.constantFrom<number | 'full'>('full', 1),
    noiseExp: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    decaying: fc.boolean(),
    T: fc.integer({ min: 8, max: 48 }),
    tauFrac: fc.double({ min: 0.5, max: 1, noNaN: true }),
    u: OFFSETS,
    seed: fc.integer(),
  })
  .map(({ p, d, xs, ys, B, noiseExp, decaying, T, tauFrac, u, seed }): SpeedupCase => {
    const { ds, R2 } = twoRowShards(p, d, xs, ys);
    return {
      ds, sampling: 'shards', p, B, noise: noiseExp === undefined ? 0 : 2 ** -noiseExp,
      eta: decaying ? { a: 4, b: 64, mu: R2 / 16 } : 1 / R2, T, tau: Math.max(1, Math.round(tauFrac * T)),
      x0: Float64Array.from({ length: d }, (_, k) => u[k] / 4), seed, samples: SAMPLES,
    };
  });
