import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EPS } from '../../src/numeric/index.ts';
import { centralizedGD } from '../../src/optimizers/centralizedGD.ts';
import { centralizedSGD } from '../../src/optimizers/centralizedSGD.ts';
import { lupaSGD } from '../../src/optimizers/lupaSGD.ts';
import type { LupaSGDState } from '../../src/optimizers/lupaSGD.ts';
import type { Vec } from '../../src/numeric/index.ts';
import type { LossName, LossSpec } from '../../src/problems/losses.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';
import { bitsEqual, modelArb, problemArb, safeEta, snapshot } from './_problems.ts';

const lossArb = fc.record({ name: fc.constantFrom<LossName>('squared', 'logistic'), l2: fc.constantFrom(0, 0.25) });
const inst = lossArb.chain((loss) => problemArb({ loss: loss.name }).chain((ds) => fc.record({ loss: fc.constant(loss), ds: fc.constant(ds), w0: modelArb(ds.d) })));

describe('lupaSGD: exact identities', () => {
  it('p = 1: tau has no effect and the run is centralized SGD, bit for bit (constant and a/(mu(t+b)) steps)', () => {
    fc.assert(
      fc.property(inst, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 25 }), fc.integer(), fc.boolean(), ({ loss, ds, w0 }, B, T, seed, sched) => {
        const e = safeEta(ds, loss);
        const eta = sched ? { a: e, b: 1, mu: 1 } : e;
        const ref = centralizedSGD.run(ds, { loss, eta, T, B, seed, w0, record: 'last' }).models[0];
        for (const tau of [1, 3, T]) {
          const t = lupaSGD.run(ds, { loss, eta, T, tau, p: 1, B, seed, w0, record: 'last' });
          expect(bitsEqual(t.models[0], ref)).toBe(true);
        }
      }),
    );
  });

  it('the schedule eta_t = a/(mu(t + b)) is applied with the global iteration t (two steps by hand, bit for bit)', () => {
    const ds: FederatedDataset = { task: 'regression', d: 2, nodes: [{ X: { rows: 2, cols: 2, data: Float64Array.of(1, 0.5, -0.25, 1) }, y: Float64Array.of(1, -1) }] };
    const loss: LossSpec = { name: 'squared' };
    const eta = { a: 0.75, b: 2, mu: 1.5 };
    const x1 = centralizedGD.run(ds, { loss, eta: 0.75 / (1.5 * 2), T: 1, record: 'last' }).models[0];
    const x2 = centralizedGD.run(ds, { loss, eta: 0.75 / (1.5 * 3), T: 1, w0: x1, record: 'last' }).models[0];
    const t = lupaSGD.run(ds, { loss, eta, T: 2, tau: 1, p: 1, B: 'full', record: 'last' });
    expect(bitsEqual(t.models[0], x2)).toBe(true);
  });

  it('quadratic, identical shards, full batches, additive noise: xbar is the same for every tau (docs/theory.md#26-how-tau-enters L-2)', () => {
    fc.assert(
      fc.property(problemArb({ maxNodes: 1, minRows: 1, loss: 'squared' }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 2, max: 30 }), fc.integer(), (one, p, T, seed) => {
        const ds: FederatedDataset = { ...one, nodes: new Array(p).fill(one.nodes[0]) };
        const loss: LossSpec = { name: 'squared' };
        const eta = safeEta(ds, loss);
        const h = { loss, eta, T, p, B: 'full' as const, sampling: 'shards' as const, noise: 0.5, seed };
        const base = lupaSGD.run(ds, { ...h, tau: 1 });
        let scale = 1;
        for (const m of base.models) for (const x of m) scale = Math.max(scale, Math.abs(x));
        const n = one.nodes[0].X.rows;
        // why: the averaged iterate obeys the same affine recursion for every tau; each step rounds d- and n-term sums,
        // the p-term average and the noise term (|xi| < 8.6 for 53-bit Box-Muller); eta <= 1/beta keeps the map
        // nonexpansive, so errors add over the T steps
        const tol = 2 * T * (ds.d + n + p + 8) * EPS * (scale + eta * (scale * ds.d + 1 + 0.5 * 8.6)) * Math.sqrt(ds.d);
        for (const tau of [2, 5, T]) {
          const t = lupaSGD.run(ds, { ...h, tau, record: 'last' });
          expect(Math.hypot(...t.models[0].map((x, j) => x - base.models[base.models.length - 1][j]))).toBeLessThanOrEqual(tol);
        }
      }),
    );
  });

  it('the identity needs identical data: with heterogeneous shards tau = T moves xbar far outside that tolerance', () => {
    const node = (x: number, y: number) => ({ X: { rows: 1, cols: 1, data: Float64Array.of(x) }, y: Float64Array.of(y) });
    const ds: FederatedDataset = { task: 'regression', d: 1, nodes: [node(1, 1), node(0.25, -1)] };
    const h = { loss: { name: 'squared' as const }, eta: 0.5, T: 20, B: 'full' as const, sampling: 'shards' as const, record: 'last' as const };
    const a = lupaSGD.run(ds, { ...h, tau: 1 }).models[0][0];
    const b = lupaSGD.run(ds, { ...h, tau: 20 }).models[0][0];
    expect(Math.abs(a - b)).toBeGreaterThan(0.1);
  });

  it("'shards' pins worker j to node j: with node 1's data all zero, xbar = (centralized SGD on node 0 + x0)/2, bit for bit", () => {
    fc.assert(
      fc.property(problemArb({ maxNodes: 1, minRows: 1, loss: 'squared' }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 20 }), fc.integer(), (one, B, T, seed) => {
        const n0 = one.nodes[0];
        const zero = { X: { rows: 2, cols: one.d, data: new Float64Array(2 * one.d) }, y: new Float64Array(2) };
        const ds: FederatedDataset = { ...one, nodes: [n0, zero] };
        const loss: LossSpec = { name: 'squared' };
        const eta = safeEta(one, loss);
        const w0 = Float64Array.from({ length: one.d }, (_, j) => (j % 3) - 1);
        const c = centralizedSGD.run(one, { loss, eta, T, B, seed, w0, record: 'last' }).models[0];
        const t = lupaSGD.run(ds, { loss, eta, T, tau: T, B, seed, w0, sampling: 'shards', record: 'last' });
        expect(bitsEqual(t.models[0], c.map((x, j) => (x + w0[j]) / 2))).toBe(true);
      }),
    );
  });
});

/**
 * Permuting the shards. With sampling 'shards', B = 'full' and no noise every worker's round is deterministic and
 * depends only on its node's data, so relabelling the nodes (worker j <-> node perm[j]) changes a round only by the
 * order of the p-term sum in the average. Tolerance: each order's recursive sum is within (p - 1) u sum_j |x_j| of the
 * exact one (u = EPS/2, first order), so the sums differ by at most p EPS sum_j |x_j|, 4 p EPS with room for second
 * order; dividing by p rounds once per side (2 EPS of the mean magnitude): (4 p + 2) EPS (1/p) sum_j |x_j|.
 * With minibatches or noise the draws are keyed by the WORKER index (j, t), and with 'iid' by row indices of the
 * pooled data (whose order the relabelling changes), so those runs are invariant only in distribution; not asserted.
 */
describe('lupaSGD: permuting pinned shards changes a round only by the rounding of the p-term average', () => {
  const enter = (s: LupaSGDState, round: number, t: number, w: Vec): LupaSGDState => Object.freeze({ ...s, round, t, w, done: false });

  it("every round (sampling 'shards', full batches, constant and a/(mu(t+b)) steps, truncated last round)", () => {
    fc.assert(
      fc.property(
        inst.filter(({ ds }) => ds.nodes.length >= 2).chain((v) => fc.shuffledSubarray(v.ds.nodes.map((_, k) => k), { minLength: v.ds.nodes.length }).map((perm) => ({ ...v, perm }))),
        fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 12 }), fc.boolean(),
        ({ loss, ds, w0, perm }, tau, T, sched) => {
          const e = safeEta(ds, loss);
          const eta = sched ? { a: e, b: 1, mu: 1 } : e;
          const h = { loss, eta, T, tau, B: 'full' as const, sampling: 'shards' as const, w0 };
          const pds: FederatedDataset = { ...ds, nodes: perm.map((k) => ds.nodes[k]) };
          const a = lupaSGD.run(ds, h);
          const s0 = lupaSGD.init(ds, h);
          const p0 = lupaSGD.init(pds, h);
          const p = ds.nodes.length;
          for (let r = 0; r + 1 < a.models.length; r++) {
            const w = a.models[r];
            const t = r * tau;
            const ar = lupaSGD.step(enter(s0, r, t, w));
            expect(bitsEqual(ar.w, a.models[r + 1])).toBe(true); // entering round r reproduces the run
            const br = lupaSGD.step(enter(p0, r, t, w));
            expect(br.t).toBe(ar.t);
            const steps = ar.t - t;
            // worker j's local model: centralized GD on its node from w, the schedule shifted to start at iteration t
            const etaAt = sched ? { a: e, b: 1 + t, mu: 1 } : e;
            const mag = new Float64Array(ds.d);
            for (const nd of ds.nodes) {
              const xj = centralizedGD.run({ ...ds, nodes: [nd] }, { loss, eta: etaAt, T: steps, w0: w, record: 'last' }).models[0];
              for (let i = 0; i < ds.d; i++) mag[i] += Math.abs(xj[i]) / p;
            }
            for (let i = 0; i < ds.d; i++) expect(Math.abs(br.w[i] - ar.w[i])).toBeLessThanOrEqual((4 * p + 2) * EPS * mag[i]);
          }
        },
      ),
    );
  });
});

describe('lupaSGD: bookkeeping', () => {
  it('tau | T (T = 12, tau = 4): 3 periodic averages and no extra one; tau does not divide T (T = 14): 3 plus a final average of the 2 trailing steps', () => {
    const node = (x: number, y: number) => ({ X: { rows: 1, cols: 1, data: Float64Array.of(x) }, y: Float64Array.of(y) });
    const ds: FederatedDataset = { task: 'regression', d: 1, nodes: [node(1, 1), node(0.5, -1)] };
    const h = { loss: { name: 'squared' as const }, eta: 0.5, tau: 4, B: 'full' as const, sampling: 'shards' as const };
    const div = lupaSGD.run(ds, { ...h, T: 12 });
    expect(div.extra).toEqual({ syncs: 3, finalAverage: false, averagings: 3 });
    expect(div.rounds).toEqual([0, 1, 2, 3]);
    expect(div.localSteps).toEqual([0, 4, 8, 12]);
    expect(div.communications).toEqual([0, 2, 4, 6]);
    const rest = lupaSGD.run(ds, { ...h, T: 14 });
    expect(rest.extra).toEqual({ syncs: 3, finalAverage: true, averagings: 4 });
    expect(rest.rounds).toEqual([0, 1, 2, 3, 4]);
    expect(rest.localSteps).toEqual([0, 4, 8, 12, 14]);
    expect(rest.communications).toEqual([0, 2, 4, 6, 8]);
    // the periodic averages are the same in both runs; the final one averages T mod tau = 2 steps from the 3rd sync
    div.models.forEach((m, r) => expect(bitsEqual(m, rest.models[r])).toBe(true));
    const trailing = lupaSGD.run(ds, { ...h, T: 2, tau: 2, w0: rest.models[3], record: 'last' }).models[0];
    expect(bitsEqual(rest.models[4], trailing)).toBe(true);
    let s = lupaSGD.init(ds, { ...h, T: 14 });
    while (!s.done) s = lupaSGD.step(s);
    expect([s.round, s.t, s.lastTau]).toEqual([4, 14, 2]);
  });


  it('floor(T/tau) synchronisations plus a final average iff tau does not divide T; uploads p per averaging; t per round', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 25 }), fc.integer({ min: 1, max: 3 }), (T, tau, p) => {
        const ds: FederatedDataset = { task: 'regression', d: 1, nodes: [{ X: { rows: 1, cols: 1, data: Float64Array.of(0.5) }, y: Float64Array.of(1) }] };
        const t = lupaSGD.run(ds, { loss: { name: 'squared' }, eta: 0.5, T, tau, p, B: 1 });
        const averagings = Math.floor(T / tau) + (T % tau !== 0 ? 1 : 0);
        expect(t.extra).toEqual({ syncs: Math.floor(T / tau), finalAverage: T % tau !== 0, averagings });
        expect(t.rounds).toEqual([...Array(averagings + 1).keys()]);
        expect(t.communications).toEqual(t.rounds.map((r) => r * p));
        expect(t.localSteps).toEqual(t.rounds.map((r) => Math.min(r * tau, T)));
      }),
    );
  });

  it('same seed, same trace bit for bit; another seed, another trace; the problem and previous states are untouched', () => {
    const ds: FederatedDataset = { task: 'classification', d: 2, nodes: [{ X: { rows: 3, cols: 2, data: Float64Array.of(1, 0.5, -0.5, 1, 0.25, -1) }, y: Float64Array.of(1, -1, 1) }] };
    const before = snapshot(ds);
    const h = { loss: { name: 'logistic' as const }, eta: 0.5, T: 12, tau: 5, p: 3, B: 2, seed: 42 };
    const a = lupaSGD.run(ds, h);
    const b = lupaSGD.run(ds, h);
    expect(a.models.every((m, i) => bitsEqual(m, b.models[i]))).toBe(true);
    expect(a.loss).toEqual(b.loss);
    expect(bitsEqual(lupaSGD.run(ds, { ...h, seed: 43 }).models[3], a.models[3])).toBe(false);
    const s0 = lupaSGD.init(ds, h);
    const s1 = lupaSGD.step(s0);
    expect(Array.from(s0.w)).toEqual([0, 0]);
    expect(bitsEqual(lupaSGD.step(s0).w, s1.w)).toBe(true);
    expect(snapshot(ds)).toEqual(before);
  });

  it('rejects bad hyperparameters with one-line errors naming the values', () => {
    const ds: FederatedDataset = {
      task: 'regression', d: 1,
      nodes: [{ X: { rows: 1, cols: 1, data: Float64Array.of(1) }, y: Float64Array.of(1) }, { X: { rows: 0, cols: 1, data: new Float64Array(0) }, y: new Float64Array(0) }],
    };
    const h = { loss: { name: 'squared' as const }, eta: 0.5, T: 4, tau: 2, B: 1 };
    expect(() => lupaSGD.init(ds, { ...h, tau: 0 })).toThrow(/^lupaSGD: tau must be an integer >= 1, got 0$/);
    expect(() => lupaSGD.init(ds, { ...h, T: -1 })).toThrow(/^lupaSGD: T must be an integer >= 0, got -1$/);
    expect(() => lupaSGD.init(ds, { ...h, B: 0 })).toThrow(/B must be an integer >= 1, got 0/);
    expect(() => lupaSGD.init(ds, { ...h, eta: { a: 1, b: 0, mu: 1 } })).toThrow(/eta.b must be positive and finite/);
    expect(() => lupaSGD.init(ds, { ...h, eta: -0.1 })).toThrow(/^lupaSGD: eta must be positive and finite, got -0.1$/);
    expect(() => lupaSGD.init(ds, { ...h, sampling: 'shards', p: 3 })).toThrow(/p must equal the 2 nodes, got p = 3/);
    expect(() => lupaSGD.init(ds, { ...h, sampling: 'shards' })).toThrow(/node 1 has 0 rows, so worker 1 has nothing to sample/);
    expect(() => lupaSGD.init(ds, { ...h, sampling: 'iId' as 'iid' })).toThrow(/sampling must be 'iid' or 'shards', got "iId"/);
    expect(() => lupaSGD.init(ds, { ...h, noise: -1 })).toThrow(/noise must be finite and >= 0, got -1/);
    const s = lupaSGD.init(ds, { ...h, T: 0 });
    expect(() => lupaSGD.step(s)).toThrow(/the run is finished \(t = T = 0\)/);
  });
});
