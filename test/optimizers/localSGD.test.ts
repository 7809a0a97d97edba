import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EPS } from '../../src/numeric/index.ts';
import { centralizedGD } from '../../src/optimizers/centralizedGD.ts';
import { centralizedSGD } from '../../src/optimizers/centralizedSGD.ts';
import { localGD } from '../../src/optimizers/localGD.ts';
import { localSGD } from '../../src/optimizers/localSGD.ts';
import { PURPOSE, rngKey, subsetOf } from '../../src/optimizers/rng.ts';
import type { LossName, LossSpec } from '../../src/problems/losses.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';
import { bitsEqual, modelArb, problemArb, safeEta } from './_problems.ts';

const lossArb = fc.record({ name: fc.constantFrom<LossName>('squared', 'exponential', 'logistic'), l2: fc.constantFrom(0, 0.25) });

describe('localSGD', () => {
  it('one node equals centralized SGD for R L steps with the same seed, bit for bit', () => {
    fc.assert(
      fc.property(
        lossArb.chain((loss) => problemArb({ maxNodes: 1, loss: loss.name }).chain((ds) => fc.record({
          loss: fc.constant(loss), ds: fc.constant(ds), w0: modelArb(ds.d), L: fc.integer({ min: 1, max: 5 }), R: fc.integer({ min: 1, max: 5 }), B: fc.integer({ min: 1, max: 4 }), seed: fc.integer(),
        }))),
        ({ loss, ds, w0, L, R, B, seed }) => {
          const eta = safeEta(ds, loss);
          const a = localSGD.run(ds, { loss, eta, L, R, B, seed, w0 });
          const b = centralizedSGD.run(ds, { loss, eta, T: R * L, B, seed, w0, record: { every: L } });
          a.models.forEach((m, r) => expect(bitsEqual(m, b.models[r])).toBe(true));
        },
      ),
    );
  });

  it('same seed gives the same trace bit for bit, a different seed a different one; the problem is never mutated', () => {
    fc.assert(
      fc.property(problemArb({ minNodes: 2, minRows: 2, loss: 'logistic' }), fc.integer(), (ds, seed) => {
        const loss: LossSpec = { name: 'logistic' };
        const h = { loss, eta: safeEta(ds, loss), L: 3, R: 4, B: 1, seed, participants: 1 };
        const a = localSGD.run(ds, h);
        const b = localSGD.run(ds, h);
        expect(a.models.every((m, i) => bitsEqual(m, b.models[i]))).toBe(true);
        expect(a.extra).toEqual(b.extra);
        expect(a.loss.every((x, i) => Object.is(x, b.loss[i]))).toBe(true);
      }),
    );
    const ds: FederatedDataset = { task: 'regression', d: 2, nodes: [{ X: { rows: 4, cols: 2, data: Float64Array.of(1, 0, 0, 1, 1, 1, -1, 0.5) }, y: Float64Array.of(1, 2, 3, 4) }] };
    const h = { loss: { name: 'squared' as const }, eta: 0.25, L: 2, R: 3, B: 1 };
    expect(bitsEqual(localSGD.run(ds, { ...h, seed: 1 }).models[3], localSGD.run(ds, { ...h, seed: 2 }).models[3])).toBe(false);
  });
});

describe('partial participation (Local-GD and Local-SGD share it)', () => {
  const arb = problemArb({ minNodes: 3, maxNodes: 5, minRows: 0, loss: 'squared' }).filter((ds) => ds.nodes.filter((nd) => nd.X.rows > 0).length >= 2);

  it('round r aggregates exactly its recorded participants with weights renormalised over them (not over all K: planted bug docs/planted-bugs.md#m04-partial-all-clients)', () => {
    fc.assert(
      fc.property(arb, fc.integer(), fc.integer({ min: 1, max: 3 }), (ds, seed, L) => {
        const loss: LossSpec = { name: 'squared' };
        const eta = safeEta(ds, loss);
        const eligible = ds.nodes.map((nd, k) => (nd.X.rows > 0 ? k : -1)).filter((k) => k >= 0);
        const m = Math.max(1, eligible.length - 1);
        const t = localGD.run(ds, { loss, eta, L, R: 4, seed, participants: m });
        const parts = t.extra!.participants as number[][];
        expect(parts.length).toBe(4);
        parts.forEach((S, r) => {
          // the subset is the documented seeded draw, so any round can be recomputed on its own
          expect(S).toEqual(subsetOf(rngKey(seed), PURPOSE.participation, 0, r, eligible.length, m).map((i) => eligible[i]));
          const w = t.models[r];
          const total = S.reduce((s, k) => s + ds.nodes[k].X.rows, 0);
          for (let j = 0; j < ds.d; j++) {
            let exp = 0, mag = 0;
            for (const k of S) {
              const one: FederatedDataset = { ...ds, nodes: [ds.nodes[k]] };
              const wk = centralizedGD.run(one, { loss, eta, T: L, w0: w, record: 'last' }).models[0][j];
              exp += (ds.nodes[k].X.rows / total) * wk;
              mag += (ds.nodes[k].X.rows / total) * Math.abs(wk);
            }
            // why: weights n_k/N renormalised over S: alpha_k and the division add 2 roundings each, the sum |S| more
            expect(Math.abs(t.models[r + 1][j] - exp)).toBeLessThanOrEqual(2 * (S.length + 4) * EPS * mag);
          }
        });
        expect(t.communications).toEqual([0, m, 2 * m, 3 * m, 4 * m]);
      }),
    );
  });

  it('asking for every eligible node is full participation, bit for bit; zero-weight nodes are never drawn', () => {
    fc.assert(
      fc.property(arb, fc.integer(), (ds, seed) => {
        const loss: LossSpec = { name: 'squared' };
        const eligible = ds.nodes.filter((nd) => nd.X.rows > 0).length;
        const h = { loss, eta: safeEta(ds, loss), L: 2, R: 3, seed, B: 1 };
        const full = localSGD.run(ds, h);
        const all = localSGD.run(ds, { ...h, participants: eligible });
        expect(all.models.every((m, i) => bitsEqual(m, full.models[i]))).toBe(true);
        const one = localSGD.run(ds, { ...h, participants: 1 });
        for (const S of one.extra!.participants as number[][]) expect(ds.nodes[S[0]].X.rows).toBeGreaterThan(0);
      }),
    );
  });

  it('over 3000 rounds each eligible node takes part with frequency m/K+ (5-sigma binomial bound)', () => {
    const node = (n: number) => ({ X: { rows: n, cols: 1, data: new Float64Array(n).fill(0.5) }, y: new Float64Array(n) });
    const ds: FederatedDataset = { task: 'regression', d: 1, nodes: [node(1), node(0), node(3), node(2), node(5)] };
    const R = 3000, m = 2;
    const t = localGD.run(ds, { loss: { name: 'squared' }, eta: 0.5, L: 1, R, participants: m, seed: 11, record: 'last' });
    const count = [0, 0, 0, 0, 0];
    for (const S of t.extra!.participants as number[][]) for (const k of S) count[k]++;
    expect(count[1]).toBe(0);
    const p = m / 4, sd = Math.sqrt(R * p * (1 - p));
    for (const k of [0, 2, 3, 4]) expect(Math.abs(count[k] - R * p)).toBeLessThan(5 * sd);
  });
});

describe("aggregation weights 'given' and 'uniform' (Local-GD)", () => {
  it("alpha 'given' with node weights [3, 1, 0] is the run with alpha [3, 1, 0] bit for bit; the weight-0 node takes no part", () => {
    fc.assert(
      fc.property(lossArb.chain((loss) => problemArb({ minNodes: 3, maxNodes: 3, loss: loss.name }).chain((ds) => fc.record({
        loss: fc.constant(loss), ds: fc.constant(ds), w0: modelArb(ds.d), L: fc.integer({ min: 1, max: 3 }),
      }))), ({ loss, ds, w0, L }) => {
        const eta = safeEta(ds, loss);
        const h = { loss, eta, L, R: 3, w0 };
        const withWeights: FederatedDataset = { ...ds, nodes: ds.nodes.map((nd, k) => ({ ...nd, weight: [3, 1, 0][k] })) };
        const given = localGD.run(withWeights, { ...h, alpha: 'given' });
        const numeric = localGD.run(ds, { ...h, alpha: [3, 1, 0] });
        const same = (a: typeof given, b: typeof given) => {
          expect(a.models.every((m, r) => bitsEqual(m, b.models[r]))).toBe(true);
          expect(a.loss.every((x, r) => Object.is(x, b.loss[r]))).toBe(true);
        };
        same(given, numeric);
        // excluded: node 2's data (here: none at all) cannot matter, and the run is the two-node run with weights 3 : 1
        const emptied: FederatedDataset = { ...withWeights, nodes: [withWeights.nodes[0], withWeights.nodes[1], { X: { rows: 0, cols: ds.d, data: new Float64Array(0) }, y: new Float64Array(0), weight: 0 }] };
        same(localGD.run(emptied, { ...h, alpha: 'given' }), given);
        same(localGD.run({ ...ds, nodes: ds.nodes.slice(0, 2) }, { ...h, alpha: [3, 1] }), given);
        expect(given.communications).toEqual([0, 2, 4, 6]);
      }),
    );
  });

  it('partial participation renormalises uniform and given weights over the sampled participants (computed by hand)', () => {
    // node k: n_k copies of (x = 1, y = c_k), squared loss, eta = 1: every local step lands on c_k exactly, so
    // w^{r+1} = sum_{k in S_r} raw_k c_k / sum_{k in S_r} raw_k. Node sizes differ, so n_k/N weights would give other values.
    const c = [1, -0.5, 0.75, 0.25];
    const n = [1, 2, 3, 1];
    const raws = { uniform: [1, 1, 1, 1], given: [3, 1, 0, 4] } as const;
    const ds: FederatedDataset = {
      task: 'regression', d: 1,
      nodes: c.map((ck, k) => ({ X: { rows: n[k], cols: 1, data: new Float64Array(n[k]).fill(1) }, y: new Float64Array(n[k]).fill(ck), weight: raws.given[k] })),
    };
    const R = 30, m = 2;
    for (const alpha of ['uniform', 'given'] as const) {
      const raw = raws[alpha];
      const t = localGD.run(ds, { loss: { name: 'squared' }, eta: 1, L: [1, 2, 1, 3], R, participants: m, seed: 5, alpha });
      const subsets = t.extra!.participants as number[][];
      expect(new Set(subsets.map((S) => S.join())).size).toBe(alpha === 'given' ? 3 : 6); // every pair of eligible nodes occurs
      if (alpha === 'given') expect(subsets.every((S) => !S.includes(2))).toBe(true);
      subsets.forEach((S, r) => {
        const tot = S.reduce((x, k) => x + raw[k], 0);
        const exp = S.reduce((x, k) => x + raw[k] * c[k], 0) / tot; // exact: dyadic values, small integers
        // why: beta_k = (raw_k / sum raw) / (sum_{S} alpha_j) rounds 3 times, the products and the |S|-term sum once each
        expect(Math.abs(t.models[r + 1][0] - exp)).toBeLessThanOrEqual(2 * (S.length + 4) * EPS * S.reduce((x, k) => x + (raw[k] / tot) * Math.abs(c[k]), 0));
      });
    }
  });
});

/**
 * Node permutations: Local-GD is checked pointwise (localGD.test.ts). Local-SGD's minibatches are keyed by the node
 * INDEX (minibatch, k, t) and the participant subset S_r is an index subset, so relabelling the nodes gives, for a
 * fixed seed, a different (equally likely) run: Local-SGD and partial participation are invariant under node
 * permutations only in distribution, and no test here asserts it pointwise (see parts/aggregate.ts).
 */
describe('federated errors: one line, naming the values', () => {
  const node = (n: number, d = 2) => ({ X: { rows: n, cols: d, data: new Float64Array(n * d).fill(0.5) }, y: new Float64Array(n).fill(1) });
  const ds: FederatedDataset = { task: 'regression', d: 2, nodes: [node(2), node(0), node(3)] };
  const h = { loss: { name: 'squared' as const }, eta: 0.1, L: 2, R: 3 };

  it('hyperparameters', () => {
    expect(() => localGD.init(ds, { ...h, eta: -0.1 })).toThrow(/^localGD: eta must be positive and finite, got -0.1$/);
    expect(() => localGD.init(ds, { ...h, eta: NaN })).toThrow(/^localGD: eta must be positive and finite, got NaN$/);
    expect(() => localGD.init(ds, { ...h, L: 1.5 })).toThrow(/^localGD: L must be an integer >= 1, got 1.5$/);
    expect(() => localGD.init(ds, { ...h, L: [1, 2] })).toThrow(/^localGD: L has 2 entries but the problem has 3 nodes$/);
    expect(() => localGD.init(ds, { ...h, L: [1, 0, 2] })).toThrow(/^localGD: L\[1\] must be an integer >= 1, got 0$/);
    expect(() => localGD.init(ds, { ...h, R: -1 })).toThrow(/^localGD: R must be an integer >= 0, got -1$/);
    expect(() => localGD.init(ds, { ...h, alpha: [1, 2] })).toThrow(/alpha has 2 entries but the problem has 3 nodes/);
    expect(() => localGD.init(ds, { ...h, alpha: [1, 0, -1] })).toThrow(/alpha_2 must be finite and >= 0, got -1/);
    expect(() => localGD.init(ds, { ...h, alpha: 'given' })).toThrow(/alpha = 'given' but node 0 has no weight/);
    expect(() => localGD.init(ds, { ...h, participants: 3 })).toThrow(/participants = 3 exceeds the 2 nodes with a positive weight/);
    expect(() => localGD.init(ds, { ...h, w0: new Float64Array(3) })).toThrow(/w0 has 3 entries but the problem has d = 2/);
    expect(() => localGD.init(ds, { ...h, w0: Float64Array.of(0, NaN) })).toThrow(/w0\[1\] = NaN is not finite/);
    expect(() => localGD.init(ds, { ...h, seed: 2 ** 40 })).toThrow(/seed must be a 32-bit integer/);
    expect(() => localSGD.init(ds, { ...h, B: 0 })).toThrow(/^localSGD: B must be an integer >= 1, got 0$/);
    expect(() => localGD.run(ds, { ...h, record: { every: 0 } })).toThrow(/record.every must be an integer >= 1, got 0/);
  });

  it('weights: all clients report zero samples (planted bug docs/planted-bugs.md#m11-zero-weight-nan) throws instead of returning a NaN model; zero-row nodes with weight', () => {
    const empty: FederatedDataset = { task: 'regression', d: 2, nodes: [node(0), node(0)] };
    expect(() => localGD.run(empty, h)).toThrow(/^localGD: the total aggregation weight is 0, it must be positive and finite \(every node \(2\) reports 0 samples\)$/);
    expect(() => localGD.init(ds, { ...h, alpha: 'uniform' })).toThrow(/^localGD: node 1 has 0 rows but a positive weight alpha_1 = 1 \(its mean loss is undefined\)$/);
    expect(() => localGD.init(ds, { ...h, alpha: [0, 0, 0] })).toThrow(/total aggregation weight is 0/);
    expect(localGD.run(ds, { ...h, alpha: [1, 0, 1] }).models[3].every(Number.isFinite)).toBe(true);
  });

  it('data: labels for margin losses, shapes, non-finite entries', () => {
    const bad: FederatedDataset = { task: 'regression', d: 2, nodes: [{ X: { rows: 1, cols: 2, data: Float64Array.of(1, Infinity) }, y: Float64Array.of(1) }] };
    expect(() => localGD.init(bad, h)).toThrow(/^localGD: node 0, row 0, column 1: X entry Infinity is not finite$/);
    const ragged: FederatedDataset = { task: 'regression', d: 2, nodes: [{ X: { rows: 1, cols: 2, data: Float64Array.of(1, 1) }, y: Float64Array.of(1, 2) }] };
    expect(() => localGD.init(ragged, h)).toThrow(/^localGD: node 0: y has 2 entries but X has 1 rows$/);
    const cls: FederatedDataset = { task: 'classification', d: 1, nodes: [{ X: { rows: 1, cols: 1, data: Float64Array.of(1) }, y: Float64Array.of(0.5) }] };
    expect(() => localGD.init(cls, { ...h, loss: { name: 'exponential' } })).toThrow(/^localGD: node 0, row 0: label 0.5 is not -1 or \+1/);
  });

  it('divergence is an error naming the round and the node, never a NaN model', () => {
    const one: FederatedDataset = { task: 'regression', d: 1, nodes: [{ X: { rows: 1, cols: 1, data: Float64Array.of(1) }, y: Float64Array.of(1) }] };
    expect(() => localGD.run(one, { loss: { name: 'squared' }, eta: 1e3, L: 10, R: 100 })).toThrow(/^localGD: (round \d+, node 0: nodeGrad: the score of row 0 is -?Infinity|the global model is not finite after round \d+)/);
    // two opposite labels on the same x: one huge step overshoots to margin -1174 for the first sample
    const cls: FederatedDataset = { task: 'classification', d: 1, nodes: [{ X: { rows: 2, cols: 1, data: Float64Array.of(1, 1) }, y: Float64Array.of(1, -1) }] };
    expect(() => localGD.run(cls, { loss: { name: 'exponential' }, eta: 1e3, L: 5, R: 5, w0: Float64Array.of(1) })).toThrow(/^localGD: round 0, node 0: nodeGrad: the exponential loss overflows f64 at row 0/);
  });
});
