import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EPS } from '../../src/numeric/index.ts';
import type { Vec } from '../../src/numeric/index.ts';
import { centralizedGD } from '../../src/optimizers/centralizedGD.ts';
import { localGD } from '../../src/optimizers/localGD.ts';
import type { LossName, LossSpec } from '../../src/problems/losses.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';
import { bitsEqual, gradErrorBound, modelArb, problemArb, safeEta, snapshot } from './_problems.ts';

const lossArb = fc.record({ name: fc.constantFrom<LossName>('squared', 'exponential', 'logistic'), l2: fc.constantFrom(0, 0.25) });
const withLoss = <T>(f: (loss: LossSpec) => fc.Arbitrary<T>) => lossArb.chain((loss) => f(loss).map((v) => ({ loss, v })));

/** Node k's local model after L GD steps from w: centralized GD on node k alone (bit-identical to the client update). */
function localModel(ds: FederatedDataset, k: number, loss: LossSpec, w: Vec, eta: number, L: number): Vec {
  const one: FederatedDataset = { ...ds, nodes: [ds.nodes[k]] };
  const t = centralizedGD.run(one, { loss, eta, T: L, w0: w, record: 'last' });
  return t.models[0];
}

describe('localGD: exact equivalences', () => {
  it('one node equals centralized GD for R L steps, bit for bit (models and losses)', () => {
    fc.assert(
      fc.property(
        withLoss((loss) => problemArb({ maxNodes: 1, loss: loss.name }).chain((ds) => fc.record({ ds: fc.constant(ds), w0: modelArb(ds.d), L: fc.integer({ min: 1, max: 5 }), R: fc.integer({ min: 1, max: 6 }) }))),
        ({ loss, v: { ds, w0, L, R } }) => {
          const eta = safeEta(ds, loss);
          const a = localGD.run(ds, { loss, eta, L, R, w0 });
          const b = centralizedGD.run(ds, { loss, eta, T: R * L, w0, record: { every: L } });
          expect(a.rounds).toEqual(b.rounds.map((t) => t / L));
          a.models.forEach((m, r) => expect(bitsEqual(m, b.models[r])).toBe(true));
          expect(a.loss.map((x, r) => Object.is(x, b.loss[r]))).toEqual(a.loss.map(() => true));
        },
      ),
    );
  });

  it('L = 1 with n_k/N weights is one centralized GD step on the pooled mean loss (per-step rounding budget)', () => {
    fc.assert(
      fc.property(
        withLoss((loss) => problemArb({ minNodes: 2, minRows: 0, loss: loss.name }).chain((ds) => fc.record({ ds: fc.constant(ds), w0: modelArb(ds.d) }))),
        ({ loss, v: { ds, w0 } }) => {
          const eta = safeEta(ds, loss);
          const R = 4;
          const c = centralizedGD.run(ds, { loss, eta, T: R, w0 });
          for (let r = 0; r < R; r++) {
            const w = c.models[r];
            const s1 = localGD.step(localGD.init(ds, { loss, eta, L: 1, R: 1, w0: w }));
            const N = ds.nodes.reduce((s, nd) => s + nd.X.rows, 0);
            const K = ds.nodes.length;
            // why: both sides compute w - eta g with g = sum_k (n_k/N) g_k; each gradient is off by gradErrorBound,
            // each update and the K-term weighted sum by (K + 4) eps of the magnitudes involved; doubled for 2nd order
            const tol = new Float64Array(ds.d);
            ds.nodes.forEach((nd, k) => {
              if (nd.X.rows === 0) return;
              const a = nd.X.rows / N;
              const e = gradErrorBound(loss, nd, w);
              const wk = localModel(ds, k, loss, w, eta, 1);
              for (let j = 0; j < ds.d; j++) tol[j] += a * (2 * eta * e[j] + (K + 4) * EPS * (Math.abs(w[j]) + Math.abs(wk[j])));
            });
            for (let j = 0; j < ds.d; j++) expect(Math.abs(s1.w[j] - c.models[r + 1][j])).toBeLessThanOrEqual(2 * tol[j]);
          }
        },
      ),
    );
  });

  it("the same check fails with uniform weights when node sizes differ (it has teeth for planted bug docs/planted-bugs.md#m02-uniform-weights, 1/K weights)", () => {
    const ds: FederatedDataset = {
      task: 'regression', d: 1,
      nodes: [{ X: { rows: 3, cols: 1, data: Float64Array.of(1, 1, 1) }, y: Float64Array.of(1, 1, 1) }, { X: { rows: 1, cols: 1, data: Float64Array.of(1) }, y: Float64Array.of(-1) }],
    };
    const loss: LossSpec = { name: 'squared' };
    const c = centralizedGD.run(ds, { loss, eta: 0.5, T: 1 });
    const u = localGD.run(ds, { loss, eta: 0.5, L: 1, R: 1, alpha: 'uniform' });
    const s = localGD.run(ds, { loss, eta: 0.5, L: 1, R: 1 });
    // exact: samples-weighted = centralized = 0.5 * (3/4 - 1/4) = 0.25; uniform = 0.5 * (1/2 - 1/2) = 0
    expect(s.models[1][0]).toBe(c.models[1][0]);
    expect(c.models[1][0]).toBe(0.25);
    expect(u.models[1][0]).toBe(0);
  });

  it('every round restarts each node from the global model and averages with n_k/N (per-round check, unequal L_k)', () => {
    fc.assert(
      fc.property(
        withLoss((loss) => problemArb({ minNodes: 2, loss: loss.name }).chain((ds) => fc.record({
          ds: fc.constant(ds), w0: modelArb(ds.d), L: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: ds.nodes.length, maxLength: ds.nodes.length }),
        }))),
        ({ loss, v: { ds, w0, L } }) => {
          const eta = safeEta(ds, loss);
          const t = localGD.run(ds, { loss, eta, L, R: 3, w0 });
          const N = ds.nodes.reduce((s, nd) => s + nd.X.rows, 0);
          for (let r = 0; r < 3; r++) {
            const w = t.models[r];
            const locals = ds.nodes.map((_, k) => localModel(ds, k, loss, w, eta, L[k]));
            for (let j = 0; j < ds.d; j++) {
              let exp = 0, mag = 0;
              locals.forEach((wk, k) => {
                exp += (ds.nodes[k].X.rows / N) * wk[j];
                mag += (ds.nodes[k].X.rows / N) * Math.abs(wk[j]);
              });
              // why: the same K products summed in the same order, up to the rounding of n_k/N: 2 (K + 1) eps of the magnitudes
              expect(Math.abs(t.models[r + 1][j] - exp)).toBeLessThanOrEqual(2 * (ds.nodes.length + 1) * EPS * mag);
            }
          }
          expect(t.communications).toEqual([0, 1, 2, 3].map((r) => r * ds.nodes.length));
          expect(t.localSteps).toEqual([0, 1, 2, 3].map((r) => r * Math.max(...L)));
        },
      ),
    );
  });

  it('permuting the nodes changes a round only by the rounding of the K-term weighted sum', () => {
    fc.assert(
      fc.property(
        withLoss((loss) => problemArb({ minNodes: 2, loss: loss.name }).chain((ds) => fc.record({
          ds: fc.constant(ds), w0: modelArb(ds.d), perm: fc.shuffledSubarray(ds.nodes.map((_, k) => k), { minLength: ds.nodes.length }), L: fc.integer({ min: 1, max: 4 }),
        }))),
        ({ loss, v: { ds, w0, perm, L } }) => {
          const eta = safeEta(ds, loss);
          const pds: FederatedDataset = { ...ds, nodes: perm.map((k) => ds.nodes[k]) };
          const a = localGD.run(ds, { loss, eta, L, R: 3, w0 });
          for (let r = 0; r < 3; r++) {
            const w = a.models[r];
            const b = localGD.step(localGD.init(pds, { loss, eta, L, R: 1, w0: w }));
            const ar = localGD.step(localGD.init(ds, { loss, eta, L, R: 1, w0: w }));
            expect(bitsEqual(ar.w, a.models[r + 1])).toBe(true);
            const N = ds.nodes.reduce((s, nd) => s + nd.X.rows, 0);
            for (let j = 0; j < ds.d; j++) {
              let mag = 0;
              ds.nodes.forEach((nd, k) => { mag += (nd.X.rows / N) * Math.abs(localModel(ds, k, loss, w, eta, L)[j]); });
              // why: both orders round a K-term sum of the same products: 2 K eps of the magnitudes each, so 4 K eps
              expect(Math.abs(b.w[j] - ar.w[j])).toBeLessThanOrEqual(4 * ds.nodes.length * EPS * mag);
            }
          }
        },
      ),
    );
  });
});

describe('localGD: purity and replay', () => {
  it('never mutates the problem, w0, or a previous state; step is replayable; states are frozen', () => {
    fc.assert(
      fc.property(problemArb({ minNodes: 2, loss: 'logistic' }).chain((ds) => fc.record({ ds: fc.constant(ds), w0: modelArb(ds.d) })), ({ ds, w0 }) => {
        const loss: LossSpec = { name: 'logistic' };
        const before = snapshot(ds);
        const w0copy = Array.from(w0);
        const hyper = { loss, eta: safeEta(ds, loss), L: 3, R: 2, w0 };
        const s0 = localGD.init(ds, hyper);
        const s0w = Array.from(s0.w);
        const s1 = localGD.step(s0);
        const s1b = localGD.step(s0);
        const s2 = localGD.step(s1);
        expect(Object.isFrozen(s0) && Object.isFrozen(s1) && Object.isFrozen(s2)).toBe(true);
        expect(Array.from(s0.w)).toEqual(s0w);
        expect(bitsEqual(s1.w, s1b.w)).toBe(true);
        expect(s0.w).not.toBe(w0);
        expect(Array.from(w0)).toEqual(w0copy);
        expect(snapshot(ds)).toEqual(before);
        expect(s2.done).toBe(true);
        expect(() => localGD.step(s2)).toThrow(/^localGD.step: the run is finished \(round 2 of R = 2\)$/);
      }),
    );
  });

  it('record specs: all, last, a list, every k (always with the final round)', () => {
    const ds: FederatedDataset = { task: 'regression', d: 1, nodes: [{ X: { rows: 1, cols: 1, data: Float64Array.of(1) }, y: Float64Array.of(1) }] };
    const h = { loss: { name: 'squared' as const }, eta: 0.5, L: 1, R: 7 };
    expect(localGD.run(ds, h).rounds).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(localGD.run(ds, { ...h, record: 'last' }).rounds).toEqual([7]);
    expect(localGD.run(ds, { ...h, record: [0, 3, 7] }).rounds).toEqual([0, 3, 7]);
    expect(localGD.run(ds, { ...h, record: { every: 3 } }).rounds).toEqual([0, 3, 6, 7]);
    expect(() => localGD.run(ds, { ...h, record: [0, 9] })).toThrow(/record asks for round 9 but the run ended after round 7/);
    expect(() => localGD.run(ds, { ...h, record: [3, 3] })).toThrow(/record must be strictly increasing, got 3 then 3 at index 1/);
  });
});
