/** The tiny models (softmax regression, least squares) and the Gaussian-mixture generator. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EPS, gemv, gemvT, mat, matFromRows } from '../../../src/numeric/index.ts';
import { gaussianMixture, leastSquares, softmaxRegression } from '../../../src/optimizers/async/index.ts';
import { dyadic, errorOf, maxAbs, sameBits } from './_helpers.ts';

const instanceArb = fc
  .record({ d: fc.integer({ min: 1, max: 4 }), C: fc.integer({ min: 2, max: 4 }), n: fc.integer({ min: 1, max: 6 }) })
  .chain(({ d, C, n }) =>
    fc.record({
      d: fc.constant(d),
      C: fc.constant(C),
      X: fc.array(dyadic(128, 64), { minLength: n * d, maxLength: n * d }),
      y: fc.array(fc.integer({ min: 0, max: C - 1 }), { minLength: n, maxLength: n }),
      theta: fc.array(dyadic(64, 32), { minLength: C * (d + 1), maxLength: C * (d + 1) }),
    }),
  );

describe('softmaxRegression', () => {
  it('gradient matches central differences within the truncation + rounding bound', () => {
    fc.assert(
      fc.property(instanceArb, ({ d, C, X, y, theta }) => {
        const model = softmaxRegression(d, C);
        const Xm = mat(y.length, d, Float64Array.from(X));
        const yv = Float64Array.from(y);
        const th = Float64Array.from(theta);
        const grad = new Float64Array(model.dim);
        const f = model.lossAndGrad(th, Xm, yv, grad);
        expect(Math.abs(f - model.loss(th, Xm, yv))).toBeLessThanOrEqual(4 * (d + C) * EPS * (f + 1)); // why: same sums, different order
        const h = 1e-4;
        const M = Math.max(1, maxAbs(Xm.data));
        const maxLogit = maxAbs(th) * (d * M + 1);
        // why: |f'''| <= max p(1-p)(1-2p) M^3 < 0.1 M^3 per coordinate (cumulant of a Bernoulli), so the
        // central difference is off by <= h^2 0.1 M^3 / 6; each loss evaluation rounds ~4(d+C) times on
        // values <= f + maxLogit, divided by 2h
        const tol = (h * h * 0.1 * M ** 3) / 6 + (4 * (d + C + 4) * EPS * (f + maxLogit + 1)) / h;
        for (let i = 0; i < model.dim; i++) {
          const tp = Float64Array.from(th);
          const tm = Float64Array.from(th);
          tp[i] += h;
          tm[i] -= h;
          const fd = (model.loss(tp, Xm, yv) - model.loss(tm, Xm, yv)) / (2 * h);
          expect(Math.abs(fd - grad[i])).toBeLessThanOrEqual(tol);
        }
      }),
    );
  });

  it('is shift invariant in the biases and survives huge logits without overflow', () => {
    const model = softmaxRegression(2, 3);
    const X = matFromRows([[1, 0], [0, 1]]);
    const y = Float64Array.of(0, 2);
    const th = Float64Array.of(1, 2, 3, 4, 5, 6, 0.5, -0.5, 0.25);
    const shifted = Float64Array.from(th);
    for (let c = 0; c < 3; c++) shifted[6 + c] += 1000;
    const g1 = new Float64Array(9);
    const g2 = new Float64Array(9);
    const f1 = model.lossAndGrad(th, X, y, g1);
    const f2 = model.lossAndGrad(shifted, X, y, g2);
    expect(Math.abs(f1 - f2)).toBeLessThanOrEqual(1024 * EPS * 8); // why: logits of size 1e3 carry 1e3 EPS absolute error
    for (let i = 0; i < 9; i++) expect(Math.abs(g1[i] - g2[i])).toBeLessThanOrEqual(1024 * EPS * 8);
    const big = Float64Array.from(th).map((v) => v * 1e4);
    expect(Number.isFinite(model.lossAndGrad(big, X, y, g1))).toBe(true);
  });

  it('rejects labels and shapes that do not fit', () => {
    const model = softmaxRegression(2, 3);
    expect(errorOf(() => model.check(matFromRows([[1, 2]]), Float64Array.of(3)))).toBe('softmaxRegression: label 0 is 3, expected an integer in [0, 2]');
    expect(errorOf(() => model.check(matFromRows([[1, 2, 3]]), Float64Array.of(0)))).toBe('softmaxRegression: X has 3 columns but the model has 2 features');
    expect(errorOf(() => softmaxRegression(2, 1))).toBe('softmaxRegression: classes must be an integer >= 2, got 1');
  });
});

describe('leastSquares', () => {
  it('gradient is X^T (X theta - y) / n and the loss is ||X theta - y||^2 / (2n)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), fc.nat(), (d, n, s) => {
        const rnd = (i: number) => (((s * 7919 + i * 104729) % 129) - 64) / 64;
        const X = mat(n, d, Float64Array.from({ length: n * d }, (_, i) => rnd(i)));
        const y = Float64Array.from({ length: n }, (_, i) => rnd(1000 + i));
        const th = Float64Array.from({ length: d }, (_, i) => rnd(2000 + i));
        const model = leastSquares(d);
        const g = new Float64Array(d);
        const f = model.lossAndGrad(th, X, y, g);
        const r = gemv(X, th);
        for (let i = 0; i < n; i++) r[i] -= y[i];
        const ref = gemvT(X, r);
        const scale = n * (d + 1) * (d + 1); // entries are <= 1 in magnitude
        for (let j = 0; j < d; j++) expect(Math.abs(g[j] - ref[j] / n)).toBeLessThanOrEqual(4 * (d + n) * EPS * scale / n); // why: two length-(d+n) reductions
        let rr = 0;
        for (let i = 0; i < n; i++) rr += r[i] * r[i];
        expect(Math.abs(f - rr / (2 * n))).toBeLessThanOrEqual(4 * (d + n) * EPS * scale);
      }),
    );
  });

  it('with X = 2 I_4 and y = 2 e it is the FedNova quadratic 1/2 ||x - e||^2', () => {
    const e = Float64Array.of(0.5, -1, 0.25, 2);
    const X = matFromRows([[2, 0, 0, 0], [0, 2, 0, 0], [0, 0, 2, 0], [0, 0, 0, 2]]);
    const y = e.map((v) => 2 * v);
    const x = Float64Array.of(1, 1, -1, 0);
    const g = new Float64Array(4);
    const f = leastSquares(4).lossAndGrad(x, X, y, g);
    expect(sameBits(g, x.map((v, i) => v - e[i]))).toBe(true); // exact on dyadic data
    expect(f).toBe(0.5 * x.reduce((a, v, i) => a + (v - e[i]) ** 2, 0));
  });
});

describe('gaussianMixture', () => {
  const opts = { seed: 5, features: 3, classes: 3, clustersPerClass: 2, n: 61, shards: 4, evalSize: 30 };

  it('is a pure function of the seed, with near-equal shards, labels in range and balanced classes', () => {
    const a = gaussianMixture(opts);
    const b = gaussianMixture(opts);
    a.shards.forEach((s, i) => {
      expect(sameBits(s.X.data, b.shards[i].X.data)).toBe(true);
      expect(sameBits(s.y, b.shards[i].y)).toBe(true);
    });
    expect(sameBits(a.evalSet.X.data, b.evalSet.X.data)).toBe(true);
    expect(a.shards.map((s) => s.X.rows)).toEqual([16, 15, 15, 15]);
    const counts = [0, 0, 0];
    for (const s of a.shards) for (const v of s.y) counts[v] += 1;
    // cluster i mod K, K = 6, 61 points: clusters 0 gets 11, others 10 -> classes (21, 20, 20)
    expect(counts).toEqual([21, 20, 20]);
    const c = gaussianMixture({ ...opts, seed: 6 });
    expect(sameBits(a.shards[0].X.data, c.shards[0].X.data)).toBe(false);
    for (let k = 0; k < 6; k++) {
      let nrm = 0;
      for (let j = 0; j < 3; j++) nrm += a.centers.data[k * 3 + j] ** 2;
      expect(Math.abs(nrm - 1)).toBeLessThanOrEqual(8 * EPS); // why: normalisation of a 3-vector
    }
  });

  it("'byClass' split gives label-sorted (non-IID) shards; errors are one line", () => {
    const a = gaussianMixture({ ...opts, split: 'byClass', shards: 3, n: 60 });
    a.shards.forEach((s, i) => expect(Array.from(s.y).every((v) => v === i)).toBe(true));
    expect(errorOf(() => gaussianMixture({ ...opts, n: 2 }))).toBe('gaussianMixture: n must be an integer >= shards (4), got 2');
    expect(errorOf(() => gaussianMixture({ ...opts, noise: -1 }))).toBe('gaussianMixture: noise must be finite and >= 0, got -1');
  });
});
