import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EPS } from '../../src/numeric/index.ts';
import type { Mat, Vec } from '../../src/numeric/index.ts';
import {
  datasetLoss, EXP_OVERFLOW_MARGIN, nodeGrad, nodeGradRows, nodeLoss, nodeLossAndGrad, sampleDerivative, sampleLoss,
} from '../../src/problems/losses.ts';
import type { LossName, LossSpec } from '../../src/problems/losses.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';

const NAMES: LossName[] = ['squared', 'exponential', 'logistic', 'quartic'];

/** Dyadic grid values (multiples of 1/8 in [-2, 2]) so every input is exact in f64. */
const dy = fc.integer({ min: -16, max: 16 }).map((k) => k / 8);

interface Inst { name: LossName; l2: number; X: Mat; y: Vec; w: Vec; v: Vec }

const instance = fc
  .record({ n: fc.integer({ min: 1, max: 6 }), d: fc.integer({ min: 1, max: 5 }), name: fc.constantFrom(...NAMES), l2: fc.constantFrom(0, 0.5) })
  .chain(({ n, d, name, l2 }) =>
    fc.record({
      X: fc.array(dy, { minLength: n * d, maxLength: n * d }),
      y: name === 'squared' || name === 'quartic' ? fc.array(dy, { minLength: n, maxLength: n }) : fc.array(fc.constantFrom(-1, 1), { minLength: n, maxLength: n }),
      w: fc.array(dy, { minLength: d, maxLength: d }),
      v: fc.array(fc.integer({ min: -8, max: 8 }), { minLength: d, maxLength: d }).filter((a) => a.some((x) => x !== 0)),
    }).map(({ X, y, w, v }): Inst => {
      const vn = Math.hypot(...v);
      return { name, l2, X: { rows: n, cols: d, data: Float64Array.from(X) }, y: Float64Array.from(y), w: Float64Array.from(w), v: Float64Array.from(v, (x) => x / vn) };
    }),
  );

const rowDot = (X: Mat, i: number, u: Vec): number => {
  let s = 0;
  for (let j = 0; j < X.cols; j++) s += X.data[i * X.cols + j] * u[j];
  return s;
};

/**
 * Error budget of the central difference (phi(h) - phi(-h)) / (2h) of phi(t) = f(w + t v) against grad f(w).v:
 * truncation h^2/6 max|phi'''| + evaluation rounding / h + rounding of the computed gradient. Each rounding term is
 * a first-order bound (score error <= d eps sum|x w|, a few eps for exp/log1p, n eps for the sums), doubled for the
 * second-order terms it leaves out.
 */
function fdBudget(inst: Inst, h: number, g: Vec): number {
  const { name, l2, X, y, w, v } = inst;
  const n = X.rows, d = X.cols;
  let m3 = 0, evalErr = 0, gradErr = 0;
  for (let i = 0; i < n; i++) {
    const s = rowDot(X, i, w);
    const xv = Math.abs(rowDot(X, i, v));
    let absXW = 0, absXV = 0;
    for (let j = 0; j < d; j++) {
      absXW += Math.abs(X.data[i * d + j]) * (Math.abs(w[j]) + h * Math.abs(v[j]));
      absXV += Math.abs(X.data[i * d + j] * v[j]);
    }
    // sup over |t| <= h of |l'|, |l''|, |l'''| (margin losses: exponential ones grow by at most exp(h |x.v|))
    const grow = Math.exp(h * xv);
    // quartic: with S = |s| + h |x.v|, |l'| <= (S^2 + |y|) S (a bound that also covers the rounding of s^2 - y under
    // cancellation), |l''| <= 3 S^2 + |y|, |l'''| <= 6 S, and the value's terms are <= (S^2 + |y|)^2 / 4
    const S = Math.abs(s) + h * xv;
    const q = S * S + Math.abs(y[i]);
    const lp = name === 'squared' ? Math.abs(s - y[i]) + h * xv : name === 'exponential' ? Math.exp(-y[i] * s) * grow : name === 'quartic' ? q * S : 1;
    const lpp = name === 'squared' ? 1 : name === 'exponential' ? Math.exp(-y[i] * s) * grow : name === 'quartic' ? 3 * S * S + Math.abs(y[i]) : 0.25;
    const lppp = name === 'squared' ? 0 : name === 'exponential' ? Math.exp(-y[i] * s) * grow : name === 'quartic' ? 6 * S : 1 / (6 * Math.sqrt(3));
    const lval = name === 'quartic' ? (q * q) / 4 : Math.abs(sampleLoss(name, s, y[i])) + lp * h * xv;
    m3 += (lppp * xv ** 3) / n;
    evalErr += (lp * d * EPS * absXW + 4 * EPS * lval) / n;
    gradErr += ((lpp * d * EPS * absXW + (n + 4) * EPS * lp) * absXV) / n;
  }
  let wv = 0, ww = 0;
  for (let j = 0; j < d; j++) {
    wv += (Math.abs(g[j]) * 2 * EPS * (Math.abs(w[j]) + h * Math.abs(v[j]))) / (2 * h); // w +- h v is rounded
    ww += (Math.abs(w[j]) + h) ** 2;
  }
  evalErr += (n + 2) * EPS * evalErr + l2 * d * EPS * ww;
  gradErr += l2 * 2 * EPS * ww;
  return 2 * ((h * h * m3) / 6 + (2 * evalErr) / (2 * h) + gradErr + wv);
}

function centralDifference(inst: Inst, h: number): number {
  const { name, l2, X, y, w, v } = inst;
  const wp = w.map((x, j) => x + h * v[j]);
  const wm = w.map((x, j) => x - h * v[j]);
  const loss: LossSpec = { name, l2 };
  return (nodeLoss(loss, X, y, wp) - nodeLoss(loss, X, y, wm)) / (2 * h);
}

describe('losses: gradients', () => {
  it('grad f . v matches the central difference within the derived rounding + truncation budget', () => {
    fc.assert(
      fc.property(instance, (inst) => {
        const g = nodeGrad({ name: inst.name, l2: inst.l2 }, inst.X, inst.y, inst.w, new Float64Array(inst.X.cols));
        let maxXV = 1;
        for (let i = 0; i < inst.X.rows; i++) maxXV = Math.max(maxXV, Math.abs(rowDot(inst.X, i, inst.v)));
        const h = 1e-4 / maxXV;
        const gv = g.reduce((s, gj, j) => s + gj * inst.v[j], 0);
        const fd = centralDifference(inst, h);
        expect(Math.abs(fd - gv)).toBeLessThanOrEqual(fdBudget(inst, h, g));
      }),
    );
  });

  it('the finite-difference budget has teeth: a gradient off by a relative 1e-6 in the direction v fails it', () => {
    let caught = 0;
    fc.assert(
      fc.property(instance, (inst) => {
        const g = nodeGrad({ name: inst.name, l2: inst.l2 }, inst.X, inst.y, inst.w, new Float64Array(inst.X.cols));
        const gv = g.reduce((s, gj, j) => s + gj * inst.v[j], 0);
        fc.pre(Math.abs(gv) > 1e-2);
        let maxXV = 1;
        for (let i = 0; i < inst.X.rows; i++) maxXV = Math.max(maxXV, Math.abs(rowDot(inst.X, i, inst.v)));
        const h = 1e-4 / maxXV;
        const bad = gv * (1 + 1e-6);
        if (Math.abs(centralDifference(inst, h) - bad) > fdBudget(inst, h, g)) caught++;
      }),
      { numRuns: 25 },
    );
    expect(caught).toBeGreaterThan(0);
  });

  it('nodeLossAndGrad equals nodeLoss and nodeGrad bit for bit; scratch receives dl/ds; nodeGradRows over all rows equals nodeGrad', () => {
    fc.assert(
      fc.property(instance, (inst) => {
        const loss: LossSpec = { name: inst.name, l2: inst.l2 };
        const { X, y, w } = inst;
        const g1 = new Float64Array(X.cols), g2 = new Float64Array(X.cols), g3 = new Float64Array(X.cols);
        const scratch = new Float64Array(X.rows);
        const f = nodeLossAndGrad(loss, X, y, w, g1, scratch);
        expect(Object.is(f, nodeLoss(loss, X, y, w))).toBe(true);
        expect(Array.from(g1)).toEqual(Array.from(nodeGrad(loss, X, y, w, g2)));
        const all = Int32Array.from({ length: X.rows }, (_, i) => i);
        expect(Array.from(nodeGradRows(loss, X, y, w, all, X.rows, g3))).toEqual(Array.from(g1));
        for (let i = 0; i < X.rows; i++) expect(scratch[i]).toBe(sampleDerivative(inst.name, rowDot(X, i, w), y[i]));
      }),
    );
  });

  it('the L2 term adds exactly lambda w to the gradient and (lambda/2)||w||^2 to the loss (to rounding)', () => {
    fc.assert(
      fc.property(instance, (inst) => {
        const { X, y, w, name } = inst;
        const lambda = 0.75;
        const g0 = nodeGrad({ name }, X, y, w, new Float64Array(X.cols));
        const g1 = nodeGrad({ name, l2: lambda }, X, y, w, new Float64Array(X.cols));
        // dyadic w and lambda: lambda w_j is exact, so the only rounding is the final addition
        for (let j = 0; j < X.cols; j++) expect(g1[j]).toBe(g0[j] + lambda * w[j]);
        const ww = w.reduce((s, x) => s + x * x, 0);
        const diff = nodeLoss({ name, l2: lambda }, X, y, w) - nodeLoss({ name }, X, y, w);
        // why: one rounding in the sum f + term, relative to the larger of the two
        expect(Math.abs(diff - 0.5 * lambda * ww)).toBeLessThanOrEqual(2 * EPS * (nodeLoss({ name }, X, y, w) + 0.5 * lambda * ww));
      }),
    );
  });
});

describe('losses: stability for large margins', () => {
  const one = (x: number): Mat => ({ rows: 1, cols: 1, data: Float64Array.of(x) });

  it('logistic at margins +-1e3: loss 0 and 1e3, derivative 0 and -y (the rounded exact values), all finite', () => {
    for (const yv of [1, -1]) {
      const y = Float64Array.of(yv);
      const g = new Float64Array(1);
      // m = +1e3: l = log(1 + e^-1000) ~ 5e-435 rounds to 0; dl/dw = -y sigma(-m) x ~ -5e-435 rounds to 0
      expect(nodeLossAndGrad({ name: 'logistic' }, one(1), y, Float64Array.of(1000 * yv), g)).toBe(0);
      expect(Math.abs(g[0])).toBe(0);
      // m = -1e3: l = 1000 + log1p(e^-1000) rounds to 1000; dl/dw = -y sigma(1000) rounds to -y
      expect(nodeLossAndGrad({ name: 'logistic' }, one(1), y, Float64Array.of(-1000 * yv), g)).toBe(1000);
      expect(g[0]).toBe(-yv);
    }
  });

  it('logistic never gives NaN or a negative loss for margins in [-1e3, 1e3]', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.constantFrom(-1, 1), (s, y) => {
        const l = sampleLoss('logistic', s, y);
        const dl = sampleDerivative('logistic', s, y);
        expect(Number.isFinite(l) && l >= 0).toBe(true);
        expect(Number.isFinite(dl) && Math.abs(dl) <= 1).toBe(true);
      }),
    );
  });

  it('logistic agrees with the naive formula log(1 + exp(-m)) where that is accurate (|m| <= 20)', () => {
    fc.assert(
      fc.property(fc.double({ min: -20, max: 20, noNaN: true }), (m) => {
        const naive = Math.log(1 + Math.exp(-m));
        // why: the naive form loses up to eps/l relative accuracy in 1 + e^-m when l is small; bound by 8 eps (1 + 1/l)
        const l = sampleLoss('logistic', m, 1);
        expect(Math.abs(l - naive)).toBeLessThanOrEqual(8 * EPS * (1 + l));
      }),
    );
  });

  it('exponential at margin +1e3 underflows to loss 0 and gradient 0', () => {
    const g = new Float64Array(1);
    expect(nodeLossAndGrad({ name: 'exponential' }, one(1), Float64Array.of(1), Float64Array.of(1000), g)).toBe(0);
    expect(Math.abs(g[0])).toBe(0);
  });

  it('exponential at margin -1e3: the loss is +Infinity (not NaN) and the gradient throws a one-line overflow error', () => {
    const y = Float64Array.of(1);
    const w = Float64Array.of(-1000);
    expect(nodeLoss({ name: 'exponential' }, one(1), y, w)).toBe(Infinity);
    const ds: FederatedDataset = { task: 'classification', d: 1, nodes: [{ X: one(1), y }] };
    expect(datasetLoss(ds, { name: 'exponential' }, w)).toBe(Infinity);
    expect(() => nodeGrad({ name: 'exponential' }, one(1), y, w, new Float64Array(1))).toThrow(
      /^nodeGrad: the exponential loss overflows f64 at row 0 \(margin -1\.000e\+3 < -709\.78\)/,
    );
  });

  it('exponential just inside the range (margin = the overflow threshold + 1) has a finite gradient', () => {
    const g = nodeGrad({ name: 'exponential' }, one(1), Float64Array.of(1), Float64Array.of(EXP_OVERFLOW_MARGIN + 1), new Float64Array(1));
    expect(Number.isFinite(g[0]) && g[0] < 0).toBe(true);
  });

  it('quartic is the double well of docs/theory.md#26-how-tau-enters: on rows e_i with y = 1, F(x) = (1/4d) sum (x_i^2 - 1)^2, stationary at 0 and +-1', () => {
    const d = 3;
    const X: Mat = { rows: d, cols: d, data: Float64Array.from({ length: d * d }, (_, k) => (k % (d + 1) === 0 ? 1 : 0)) };
    const y = new Float64Array(d).fill(1);
    const x = Float64Array.of(0.5, -2, 1);
    expect(nodeLoss({ name: 'quartic' }, X, y, x)).toBe(((0.25 - 1) ** 2 + (4 - 1) ** 2 + 0) / (4 * d));
    for (const w of [Float64Array.of(0, 0, 0), Float64Array.of(1, -1, 1)]) expect([...nodeGrad({ name: 'quartic' }, X, y, w, new Float64Array(d))].map(Math.abs)).toEqual([0, 0, 0]);
    expect(nodeLoss({ name: 'quartic' }, X, y, Float64Array.of(-1, 1, -1))).toBe(0); // every sign pattern is a global minimum
    expect(nodeLoss({ name: 'quartic' }, X, y, Float64Array.of(0, 0, 0))).toBe(0.25); // the barrier
    expect(sampleDerivative('quartic', 2, 1)).toBe(6); // (4 - 1) * 2
  });

  it('quartic far out: the value overflows to +Infinity (never NaN) and the gradient throws a one-line error naming the row', () => {
    expect(sampleLoss('quartic', 1e80, 1)).toBe(Infinity);
    expect(() => nodeGrad({ name: 'quartic' }, one(1), Float64Array.of(1), Float64Array.of(1e103), new Float64Array(1))).toThrow(
      /^nodeGrad: the quartic loss derivative at row 0 is Infinity \(score 1e\+103\)$/,
    );
  });

  it('a NaN model makes the gradient throw instead of returning NaN', () => {
    expect(() => nodeGrad({ name: 'squared' }, one(1), Float64Array.of(0), Float64Array.of(NaN), new Float64Array(1))).toThrow(/score of row 0 is NaN/);
  });
});

describe('losses: the mean convention and F', () => {
  const node = (rows: number[][], y: number[]) => ({ X: { rows: rows.length, cols: rows[0]?.length ?? 2, data: Float64Array.from(rows.flat()) }, y: Float64Array.from(y) });

  it('datasetLoss with default weights n_k/N is the pooled mean loss; given weights give sum alpha_k f_k', () => {
    const ds: FederatedDataset = {
      task: 'classification', d: 2,
      nodes: [node([[1, 0.5], [0.25, -1], [2, 1]], [1, -1, 1]), node([[-1, 1]], [-1]), { X: { rows: 0, cols: 2, data: new Float64Array(0) }, y: new Float64Array(0) }],
    };
    const w = Float64Array.of(0.5, -0.25);
    for (const name of NAMES) {
      const loss: LossSpec = { name, l2: 0.125 };
      const per = [0, 1].map((k) => nodeLoss(loss, ds.nodes[k].X, ds.nodes[k].y, w));
      let pooledSum = 0;
      for (const nd of ds.nodes) for (let i = 0; i < nd.X.rows; i++) pooledSum += sampleLoss(name, rowDot(nd.X, i, w), nd.y[i]);
      const pooledMean = pooledSum / 4 + 0.0625 * (0.25 + 0.0625);
      const F = datasetLoss(ds, loss, w);
      // why: 4 samples and 2 nodes, each term rounded a few times; 16 eps relative to the (positive) total
      expect(Math.abs(F - pooledMean)).toBeLessThanOrEqual(16 * EPS * pooledMean);
      const Fa = datasetLoss(ds, loss, w, [0.25, 0.75, 0]);
      expect(Math.abs(Fa - (0.25 * per[0] + 0.75 * per[1]))).toBeLessThanOrEqual(4 * EPS * Fa);
    }
  });

  it('errors: a zero-row node with positive weight, all nodes empty, wrong lengths, bad l2 or name, non-finite w', () => {
    const ds: FederatedDataset = { task: 'regression', d: 2, nodes: [node([[1, 2]], [3]), { X: { rows: 0, cols: 2, data: new Float64Array(0) }, y: new Float64Array(0) }] };
    const w = new Float64Array(2);
    expect(() => datasetLoss(ds, { name: 'squared' }, w, [0.5, 0.5])).toThrow(/^datasetLoss: node 1 has 0 rows but weight alpha_1 = 0.5 > 0$/);
    const empty: FederatedDataset = { task: 'regression', d: 2, nodes: [ds.nodes[1]] };
    expect(() => datasetLoss(empty, { name: 'squared' }, w)).toThrow(/every node \(1\) has 0 rows/);
    expect(() => datasetLoss(ds, { name: 'squared' }, new Float64Array(3))).toThrow(/w has 3 entries but the dataset has d = 2/);
    expect(() => datasetLoss(ds, { name: 'squared', l2: -1 }, w)).toThrow(/loss.l2 must be a finite number >= 0, got -1/);
    expect(() => datasetLoss(ds, { name: 'hinge' as LossName }, w)).toThrow(/loss.name must be one of squared, exponential, logistic, quartic, sinsq, got "hinge"/);
    expect(() => datasetLoss(ds, { name: 'squared' }, Float64Array.of(0, Infinity))).toThrow(/w\[1\] = Infinity is not finite/);
    expect(() => nodeGrad({ name: 'squared' }, ds.nodes[0].X, ds.nodes[0].y, w, new Float64Array(1))).toThrow(/gradOut has 1 entries but w has 2/);
    expect(() => nodeLoss({ name: 'squared' }, ds.nodes[1].X, ds.nodes[1].y, w)).toThrow(/the node has 0 rows/);
  });

  it('never mutates X, y or w', () => {
    fc.assert(
      fc.property(instance, (inst) => {
        const copy = [Float64Array.from(inst.X.data), Float64Array.from(inst.y), Float64Array.from(inst.w)];
        const loss: LossSpec = { name: inst.name, l2: inst.l2 };
        nodeLossAndGrad(loss, inst.X, inst.y, inst.w, new Float64Array(inst.X.cols), new Float64Array(inst.X.rows));
        nodeGradRows(loss, inst.X, inst.y, inst.w, new Int32Array(inst.X.rows), inst.X.rows, new Float64Array(inst.X.cols));
        expect([inst.X.data, inst.y, inst.w].map((a) => Array.from(a))).toEqual(copy.map((a) => Array.from(a)));
      }),
    );
  });
});
