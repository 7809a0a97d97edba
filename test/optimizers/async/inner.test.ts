/**
 * Inner optimisers: AdamW against the textbook decoupled form (Loshchilov & Hutter, with the
 * schedule multiplier equal to lr, which is what torch.optim.AdamW computes), its closed-form
 * regimes, SGD, purity.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EPS } from '../../../src/numeric/index.ts';
import type { Vec } from '../../../src/numeric/types.ts';
import { innerAdamW, innerSgd } from '../../../src/optimizers/async/index.ts';
import type { AdamWState } from '../../../src/optimizers/async/index.ts';
import { dyadicVec, errorOf, maxAbs, sameBits } from './_helpers.ts';

const DIM = 4;

/** Textbook AdamW: m, v, bias-corrected mhat, vhat; theta <- theta - lr (mhat / (sqrt(vhat) + eps) + wd theta). */
function textbookAdamW(theta0: Vec, grads: Vec[], lrs: number[], b1: number, b2: number, eps: number, wd: number): Vec {
  const th = Float64Array.from(theta0);
  const m = new Float64Array(th.length);
  const v = new Float64Array(th.length);
  grads.forEach((g, k) => {
    const t = k + 1;
    for (let i = 0; i < th.length; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      const mh = m[i] / (1 - b1 ** t);
      const vh = v[i] / (1 - b2 ** t);
      th[i] = th[i] - lrs[k] * (mh / (Math.sqrt(vh) + eps) + wd * th[i]);
    }
  });
  return th;
}

describe('inner AdamW', () => {
  it('matches the textbook decoupled-weight-decay AdamW over random gradient sequences', () => {
    const lrArb = fc.integer({ min: 1, max: 64 }).map((j) => j / 1024);
    fc.assert(
      fc.property(dyadicVec(DIM), fc.array(fc.tuple(dyadicVec(DIM), lrArb), { minLength: 1, maxLength: 20 }), fc.constantFrom(0, 0.01, 0.1), (theta0, seq, wd) => {
        const opt = innerAdamW({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: wd });
        let s = opt.init(DIM);
        let th: Vec = theta0;
        for (const [g, lr] of seq) ({ state: s, theta: th } = opt.step(s, th, g, lr));
        const ref = textbookAdamW(theta0, seq.map((x) => x[0]), seq.map((x) => x[1]), 0.9, 0.999, 1e-8, wd);
        // why: each step moves theta by at most lr (|mhat/sqrt(vhat)| <= 1/sqrt(1-b2) ~ 1 for these betas,
        // up to 3.2 transiently) and the two forms round ~12 times per step differently; the
        // ratio mhat/sqrt(vhat) is well conditioned except where sqrt(vhat) ~ eps, where both
        // forms add the same eps, so 64 EPS per step relative to (|theta| + 4 sum lr) bounds it.
        const sumLr = seq.reduce((a, x) => a + x[1], 0);
        const tol = 64 * seq.length * EPS * (maxAbs(theta0) + 4 * sumLr);
        for (let i = 0; i < DIM; i++) expect(Math.abs(th[i] - ref[i])).toBeLessThanOrEqual(tol);
        expect(s.t).toBe(seq.length);
      }),
    );
  });

  it('with zero gradients only the decoupled decay acts: theta_t = theta_0 (1 - lr wd)^t exactly', () => {
    const opt = innerAdamW({ weightDecay: 0.25 });
    const theta0 = Float64Array.of(1, -0.5, 3, 0);
    let s = opt.init(DIM);
    let th: Vec = theta0;
    const expected = Float64Array.from(theta0);
    for (let t = 0; t < 10; t++) {
      ({ state: s, theta: th } = opt.step(s, th, new Float64Array(DIM), 0.125));
      for (let i = 0; i < DIM; i++) expected[i] *= 1 - 0.125 * 0.25;
    }
    expect(sameBits(th, expected)).toBe(true); // exact: m = v = 0, so the Adam term is exactly -0
  });

  it('a constant gradient g moves every step by lr g / (|g| + eps) (bias correction makes mhat = g, vhat = g^2)', () => {
    fc.assert(
      fc.property(dyadicVec(DIM), fc.integer({ min: 1, max: 30 }), (g, steps) => {
        const lr = 1 / 64;
        const eps = 1e-8;
        const opt = innerAdamW({ eps, weightDecay: 0 });
        let s: AdamWState = opt.init(DIM);
        let th: Vec = new Float64Array(DIM);
        for (let t = 0; t < steps; t++) ({ state: s, theta: th } = opt.step(s, th, g, lr));
        for (let i = 0; i < DIM; i++) {
          const expected = (-steps * lr * g[i]) / (Math.abs(g[i]) + eps);
          // why: per step, (1 - beta^t) is recomputed and divided back with relative error ~ 1e-13 at
          // t = 1 (1 - 0.999 loses 10 bits), so 2^12 EPS relative per step
          expect(Math.abs(th[i] - expected)).toBeLessThanOrEqual(4096 * steps * EPS * lr);
        }
      }),
    );
  });

  it('step is pure and stepInPlace changes only what it owns; errors are one line', () => {
    const opt = innerAdamW();
    const s0 = opt.init(2);
    const th0 = Float64Array.of(1, 2);
    const g = Float64Array.of(0.5, -0.5);
    const r1 = opt.step(s0, th0, g, 0.1);
    expect(sameBits(th0, Float64Array.of(1, 2))).toBe(true);
    expect(s0.t).toBe(0);
    expect(maxAbs(s0.m, s0.v)).toBe(0);
    const r2 = opt.step(r1.state, r1.theta, g, 0.1);
    expect(r1.state.t).toBe(1);
    expect(r2.state.t).toBe(2);
    const c = opt.clone(r1.state);
    opt.stepInPlace(c, Float64Array.from(r1.theta), g, 0.1);
    expect(r1.state.t).toBe(1);
    expect(sameBits(c.m, r2.state.m)).toBe(true);
    expect(errorOf(() => innerAdamW({ beta2: 1 }))).toBe('innerAdamW: beta2 must lie in [0, 1), got 1');
    expect(errorOf(() => opt.step(s0, th0, Float64Array.of(1), 0.1))).toBe('innerAdamW.step: grad has 1, state 2 and theta 2 entries (must be equal)');
  });
});

describe('inner SGD', () => {
  it('theta <- theta - lr (g + wd theta), pure', () => {
    fc.assert(
      fc.property(dyadicVec(DIM), dyadicVec(DIM), fc.constantFrom(0, 0.5), (th, g, wd) => {
        const copy = Float64Array.from(th);
        const r = innerSgd({ weightDecay: wd }).step({ t: 4 }, th, g, 0.25);
        for (let i = 0; i < DIM; i++) expect(r.theta[i]).toBe(th[i] - 0.25 * (g[i] + wd * th[i])); // exact on the dyadic grid
        expect(r.state.t).toBe(5);
        expect(sameBits(th, copy)).toBe(true);
      }),
    );
    expect(errorOf(() => innerSgd({ weightDecay: -1 }))).toBe('innerSgd: weightDecay must be finite and >= 0, got -1');
  });
});
