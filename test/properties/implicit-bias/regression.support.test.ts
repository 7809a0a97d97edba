/**
 * The machinery behind the regression properties: the exact references, the f64 round map and its spectrum, and the
 * faulty-composite builder of the planted bugs (with no part swapped it must be the reference, bit for bit).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { faultyFederated } from '../../../src/gate/mutants/_federatedComposite.ts';
import { mutant as M03 } from '../../../src/gate/mutants/M03-accumulator-not-reset.ts';
import { mutant as M09 } from '../../../src/gate/mutants/M09-single-node-no-update.ts';
import { EPS, gemv, norm2 } from '../../../src/numeric/index.ts';
import { localGD } from '../../../src/optimizers/localGD.ts';
import { localSGD } from '../../../src/optimizers/localSGD.ts';
import { builtinSubject } from '../../../src/subject/index.ts';
import type { FederatedDataset } from '../../../src/problems/types.ts';
import { interpolatingCases, makeCase, runLocalGD, shortDyadic, tallCases } from '../../../properties/implicit-bias/regression.cases.support.ts';
import type { RegressionCase } from '../../../properties/implicit-bias/regression.cases.support.ts';
import { exactCimmino, exactFixedPoint, exactWeightedLeastSquares } from '../../../properties/implicit-bias/regression.exact.support.ts';
import { coords, rowNorm } from '../../../properties/implicit-bias/regression.support.ts';
import { seed } from './regression.helpers.ts';

const sample = <T>(a: fc.Arbitrary<T>, n: number): T[] => fc.sample(a, { seed, numRuns: n });

describe('exact references', () => {
  it('with L = 1 on every node the exact fixed point IS the exact weighted least-squares point (same double)', () => {
    for (const c of sample(tallCases({ Lchoices: [1] }), 6)) {
      expect(Array.from(exactFixedPoint(c.dataset, c.eta, c.L, c.weights))).toEqual(Array.from(exactWeightedLeastSquares(c.dataset, c.weights)));
    }
  });

  it('the fixed point satisfies (I - T) w = c in f64 up to the rounding of T, c and w', () => {
    for (const c of sample(tallCases(), 6)) {
      const w = c.limit();
      const Tw = gemv(c.round.T, w);
      const r = w.map((v, i) => v - Tw[i] - c.round.c[i]);
      // why: T and c carry round.error-sized errors (times ||w||), w is rounded to eps ||w||, and I - T has norm <= 2
      const allowed = c.round.error * norm2(w) + 4 * c.dataset.d * EPS * (norm2(w) + norm2(c.round.c)) * c.round.growth;
      expect(norm2(r)).toBeLessThanOrEqual(allowed);
    }
  });

  it('Cimmino point: sum_k alpha_k P_k w_C = sum_k alpha_k X_k^T G_k^{-1} y_k on a hand instance with a closed form', () => {
    // two 1-row nodes in d = 1: S_k = {w : x_k w = y_k} are points y_k/x_k, and averaged projections give the weighted mean
    const ds: FederatedDataset = {
      task: 'regression', d: 1,
      nodes: [{ X: { rows: 1, cols: 1, data: Float64Array.of(0.5) }, y: Float64Array.of(1) }, { X: { rows: 1, cols: 1, data: Float64Array.of(4) }, y: Float64Array.of(-2) }],
    };
    expect(Array.from(exactCimmino(ds, [1, 3]))).toEqual([(1 / 4) * 2 + (3 / 4) * -0.5]);
    // ordinary least squares weights the rows by x_k^2 instead: argmin (0.5 w - 1)^2 + (4 w + 2)^2 (samples weights)
    expect(Array.from(exactWeightedLeastSquares(ds, [1, 1]))).toEqual([(0.5 * 1 + 4 * -2) / (0.25 + 16)]);
  });

  it('shortDyadic keeps 12 significant bits and never rounds up', () => {
    for (const x of [1, 0.1, 3.14159, 1e-7, 123456.789]) {
      const y = shortDyadic(x);
      expect(y).toBeLessThanOrEqual(x);
      expect(y).toBeGreaterThan(x * (1 - 2 ** -11));
      expect(Number.isInteger(y * 2 ** (11 - Math.floor(Math.log2(x))))).toBe(true);
    }
  });
});

describe('the f64 round map and its spectrum', () => {
  it('one subject round from w_lim + s v_top multiplies the row-space error by lambda_top', () => {
    for (const c of sample(interpolatingCases(), 6)) {
      const lim = c.limit();
      const w0 = lim.map((v, i) => v + c.spectrum.vTop[i]);
      const t = runLocalGD(builtinSubject, c, 1, 'all', w0);
      const e1 = rowNorm(c.basis.Q, t.models[1].map((v, i) => v - lim[i]));
      expect(Math.abs(e1 - c.spectrum.rho)).toBeLessThanOrEqual(1e-9);
    }
  });

  it('rho from eigSym(Q^T T Q) bounds, and is approached by, power iteration on T restricted to row(X)', () => {
    for (const c of sample(interpolatingCases(), 4)) {
      const { Q } = c.basis;
      // power iteration in coordinates of span(Q): v -> Q^T T Q v (projecting keeps T's eigenvalue 1 on null(X) out)
      let v = Float64Array.from({ length: Q.cols }, (_, j) => 1 + j / 7);
      let est = 0;
      for (let k = 0; k < 400; k++) {
        const full = new Float64Array(Q.rows);
        for (let i = 0; i < Q.rows; i++) for (let j = 0; j < Q.cols; j++) full[i] += Q.data[i * Q.cols + j] * v[j];
        const u = coords(Q, gemv(c.round.T, full));
        est = norm2(u) / norm2(v);
        const nu = norm2(u);
        if (nu === 0) break; // T maps v to exactly 0 (rho = 0 on row(X), e.g. eta L = 1 on a one-row node): est = 0
        v = u.map((x) => x / nu);
      }
      // why: ||T v|| / ||v|| <= rho for symmetric T; 400 steps get within 1% unless the two top moduli nearly tie;
      // both sides carry the declared error of rho (eigSym's estimate is within spectrum.error of the true value)
      expect(est).toBeLessThanOrEqual(c.spectrum.rho + c.spectrum.error);
      expect(est).toBeGreaterThanOrEqual(0.99 * (c.spectrum.rho - c.spectrum.error));
    }
  });
});

describe('faulty composites (src/gate/mutants/_federatedComposite.ts)', () => {
  const cases = (): RegressionCase[] => sample(interpolatingCases({ minNodes: 2 }), 3);

  it('with no part swapped they are the reference Local-GD and Local-SGD, bit for bit (also with partial participation)', () => {
    for (const c of cases()) {
      const h = { loss: { name: 'squared' as const }, eta: c.eta, L: c.L, R: 7, alpha: c.weights, w0: c.w0 };
      expect(faultyFederated('localGD', {})(c.dataset, h)).toEqual(localGD.run(c.dataset, h));
      expect(faultyFederated('localGD', {})(c.dataset, { ...h, participants: 1, seed: 5 })).toEqual(localGD.run(c.dataset, { ...h, participants: 1, seed: 5 }));
      expect(faultyFederated('localSGD', {})(c.dataset, { ...h, B: 1, seed: 3 })).toEqual(localSGD.run(c.dataset, { ...h, B: 1, seed: 3 }));
    }
  });

  it('#3: one round is w + sum_k beta_k w_k (the reference round plus the previous model)', () => {
    for (const c of cases()) {
      const h = { loss: { name: 'squared' as const }, eta: c.eta, L: c.L, R: 1, alpha: c.weights, w0: c.w0 };
      const ref = localGD.run(c.dataset, h).models[1];
      const bad = (M03.apply(builtinSubject).localGD as typeof localGD.run)(c.dataset, h).models[1];
      // why: the faulty sum adds w first, so it differs from w0 + (reference sum) only in the rounding of K + 1 terms
      const K = c.dataset.nodes.length;
      bad.forEach((v, i) => expect(Math.abs(v - (c.w0[i] + ref[i]))).toBeLessThanOrEqual(4 * (K + 1) * EPS * (Math.abs(c.w0[i]) + Math.abs(ref[i]) + norm2(ref))));
    }
  });

  it('#9: with one node the model never moves; with two it is the reference', () => {
    const [c] = sample(interpolatingCases({ minNodes: 1, maxNodes: 1 }), 1);
    const h = { loss: { name: 'squared' as const }, eta: c.eta, L: c.L, R: 3, alpha: c.weights, w0: c.w0 };
    const t = (M09.apply(builtinSubject).localGD as typeof localGD.run)(c.dataset, h);
    for (const w of t.models) expect(Array.from(w)).toEqual(Array.from(c.w0));
    const [c2] = cases();
    const h2 = { loss: { name: 'squared' as const }, eta: c2.eta, L: c2.L, R: 3, alpha: c2.weights, w0: c2.w0 };
    expect((M09.apply(builtinSubject).localGD as typeof localGD.run)(c2.dataset, h2)).toEqual(localGD.run(c2.dataset, h2));
  });

  it('makeCase is deterministic: the same parts give the same eta, rho and vTop', () => {
    const [c] = cases();
    // the same etaFraction twice (c.fraction = eta beta / 2 is the fraction AFTER eta was rounded to a short dyadic,
    // so it is not the generator's input and may round to a neighbouring eta)
    const a = makeCase(c.dataset, c.w0, c.L, c.weights, 0.75);
    const again = makeCase(c.dataset, c.w0, c.L, c.weights, 0.75);
    expect([again.eta, again.spectrum.rho, Array.from(again.spectrum.vTop)]).toEqual([a.eta, a.spectrum.rho, Array.from(a.spectrum.vTop)]);
  });
});

describe('makeCase input errors', () => {
  it('names the function, the rule and the values', () => {
    const [c] = sample(interpolatingCases({ minNodes: 2, maxNodes: 2 }), 1);
    expect(() => makeCase(c.dataset, c.w0, [1], c.weights, 0.5)).toThrow(/^makeCase: 2 nodes but 1 step counts and 2 weights$/);
    expect(() => makeCase(c.dataset, c.w0, [1, 0], c.weights, 0.5)).toThrow(/^makeCase: L\[1\] = 0 must be an integer >= 1$/);
    expect(() => makeCase(c.dataset, c.w0, c.L, [1, -2], 0.5)).toThrow(/^makeCase: weight\[1\] = -2 must be positive and finite$/);
    expect(() => makeCase(c.dataset, c.w0, c.L, c.weights, Number.NaN)).toThrow(/^makeCase: etaFraction must be positive and finite, got NaN$/);
  });
});
