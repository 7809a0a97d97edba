/**
 * Outer optimisers: A-1 (eq. 4 = PyTorch Nesterov), A-2 (eq. 5), A-3 (DN cycle identity and
 * special cases), purity, and one-line errors. Inputs live on dyadic grids (1/64 entries, 1/16
 * rates) so the arithmetic sees no input rounding; tolerances count the roundings in the
 * closed forms.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EPS } from '../../../src/numeric/index.ts';
import type { Vec } from '../../../src/numeric/types.ts';
import { delayedNesterov, outerNesterov, outerSgd } from '../../../src/optimizers/async/index.ts';
import type { DelayedNesterovState, NesterovState, OuterOptimizer } from '../../../src/optimizers/async/index.ts';
import { betaArb, dyadicVec, epsArb, errorOf, maxAbs, sameBits } from './_helpers.ts';

const DIM = 5;
/** a starting point: theta, a momentum buffer and a list of pushes */
const pushesArb = (min: number, max: number) => fc.array(dyadicVec(DIM), { minLength: min, maxLength: max });

/** PyTorch SGD(momentum=mu, nesterov=True, dampening=0), transcribed from the torch.optim.SGD docs. */
function torchNesterov(theta0: Vec, gs: Vec[], lr: number, mu: number): Vec {
  const p = Float64Array.from(theta0);
  let b: Vec | null = null;
  for (const g of gs) {
    if (b === null) b = Float64Array.from(g);
    else for (let i = 0; i < b.length; i++) b[i] = mu * b[i] + g[i];
    for (let i = 0; i < p.length; i++) p[i] = p[i] - lr * (g[i] + mu * b[i]);
  }
  return p;
}

describe('outer Nesterov (A-1)', () => {
  it('equals PyTorch nesterov SGD bit for bit over a sequence of pushes', () => {
    fc.assert(
      fc.property(dyadicVec(DIM), pushesArb(1, 8), epsArb, betaArb, (theta0, gs, eps, beta) => {
        const opt = outerNesterov({ eps, beta });
        let s = opt.init(theta0);
        for (const g of gs) s = opt.step(s, g);
        // exact: the same products and sums in the same order (buf*beta is mu*b commuted)
        expect(sameBits(s.theta, torchNesterov(theta0, gs, eps, beta))).toBe(true);
      }),
    );
  });

  it('one step equals eq. 4: theta - eps (beta^2 m + (1 + beta) g), m <- beta m + g', () => {
    fc.assert(
      fc.property(dyadicVec(DIM), dyadicVec(DIM), dyadicVec(DIM), epsArb, betaArb, (theta, m, g, eps, beta) => {
        const s0: NesterovState = { theta, t: 3, buf: m };
        const s1 = outerNesterov({ eps, beta }).step(s0, g);
        for (let i = 0; i < DIM; i++) {
          const expected = theta[i] - eps * (beta * beta * m[i] + (1 + beta) * g[i]);
          // why: both sides round at most 5 times a term bounded by |theta| + eps (|m| + 2|g|)
          const tol = 8 * EPS * (Math.abs(theta[i]) + eps * (Math.abs(m[i]) + 2 * Math.abs(g[i])));
          expect(Math.abs(s1.theta[i] - expected)).toBeLessThanOrEqual(tol);
          expect(Math.abs(s1.buf[i] - (beta * m[i] + g[i]))).toBeLessThanOrEqual(0);
        }
      }),
    );
  });
});

describe('sequential application of k equal pseudo-gradients (A-2, eq. 5)', () => {
  it('follows m_k = beta^k m + (sum_{j<k} beta^j) g and the amplified parameter move', () => {
    fc.assert(
      fc.property(dyadicVec(DIM), dyadicVec(DIM), dyadicVec(DIM), fc.integer({ min: 1, max: 8 }), epsArb, betaArb, (theta, m, g, k, eps, beta) => {
        let s: NesterovState = { theta, t: 0, buf: m };
        const opt = outerNesterov({ eps, beta });
        for (let j = 0; j < k; j++) s = opt.step(s, g);
        // closed form: sum_{j=1..k} (beta^{j+1} m + (sum_{i<=j} beta^i) g)
        let cm = 0;
        let cg = 0;
        let geo = 1; // sum_{i<=j} beta^i
        for (let j = 1; j <= k; j++) {
          geo += beta ** j;
          cm += beta ** (j + 1);
          cg += geo;
        }
        const mk = (i: number) => beta ** k * m[i] + ((1 - beta ** k) / (1 - beta)) * g[i];
        // why: k steps, each rounding a handful of terms bounded by |theta| + eps (k+1)(|m| + |g|)
        const scale = maxAbs(theta) + eps * (k + 1) * (k + 1) * (maxAbs(m) + maxAbs(g));
        const tol = 8 * k * EPS * scale;
        for (let i = 0; i < DIM; i++) {
          expect(Math.abs(s.theta[i] - (theta[i] - eps * (cg * g[i] + cm * m[i])))).toBeLessThanOrEqual(tol);
          expect(Math.abs(s.buf[i] - mk(i))).toBeLessThanOrEqual(4 * k * EPS * (maxAbs(m) + k * maxAbs(g)));
        }
        if (k === 4) {
          // the paper's printed coefficients
          expect(Math.abs(cg - (4 + 4 * beta + 3 * beta ** 2 + 2 * beta ** 3 + beta ** 4))).toBeLessThanOrEqual(16 * EPS);
          expect(Math.abs(cm - beta ** 2 * (1 + beta + beta ** 2 + beta ** 3))).toBeLessThanOrEqual(16 * EPS);
        }
        // amplification: from m = 0 the sequential move exceeds k times one sync step (1 + beta) g
        if (beta > 0 && k >= 2) expect(cg).toBeGreaterThan(k * (1 + beta));
      }),
    );
  });
});

/** DN state with a given momentum and an empty cycle buffer */
const dnState = (theta: Vec, m: Vec, t: number): DelayedNesterovState => ({ theta, m, t, delta: new Float64Array(theta.length) });

describe('Delayed Nesterov (A-3)', () => {
  const cycleArb = fc
    .integer({ min: 1, max: 6 })
    .chain((N) => fc.tuple(fc.constant(N), fc.integer({ min: 0, max: 16 }).map((j) => j / 16 / N), pushesArb(N, N)));

  it('one cycle: theta_end = theta - eps (mean g + beta [(N-1) c m_old + (1 - (N-1) c) m_new]) for c in [0, 1/N]', () => {
    fc.assert(
      fc.property(dyadicVec(DIM), dyadicVec(DIM), cycleArb, epsArb, betaArb, fc.nat(5), (theta, mOld, [N, c, gs], eps, beta, cycles) => {
        const opt = delayedNesterov({ eps, beta, N, c });
        let s = dnState(theta, mOld, cycles * N);
        for (const g of gs) s = opt.step(s, g);
        const scaleG = maxAbs(...gs);
        const scale = maxAbs(theta) + eps * (scaleG + maxAbs(mOld) + scaleG);
        for (let i = 0; i < DIM; i++) {
          let mean = 0;
          for (const g of gs) mean += g[i];
          mean /= N;
          const mNew = beta * mOld[i] + mean;
          const expected = theta[i] - eps * (mean + beta * ((N - 1) * c * mOld[i] + (1 - (N - 1) * c) * mNew));
          // why: N + 1 updates of theta, each rounding about 6 terms bounded by scale
          expect(Math.abs(s.theta[i] - expected)).toBeLessThanOrEqual(8 * (N + 1) * EPS * scale);
          expect(Math.abs(s.m[i] - mNew)).toBeLessThanOrEqual(4 * (N + 1) * EPS * (maxAbs(mOld) + scaleG));
          expect(s.delta[i]).toBe(0);
        }
      }),
    );
  });

  it('c = 0: one cycle equals one Nesterov step on the mean of the N pseudo-gradients', () => {
    fc.assert(
      fc.property(dyadicVec(DIM), dyadicVec(DIM), fc.integer({ min: 1, max: 6 }).chain((N) => pushesArb(N, N)), epsArb, betaArb, (theta, m, gs, eps, beta) => {
        const N = gs.length;
        let s = dnState(theta, m, 0);
        const dn = delayedNesterov({ eps, beta, N, c: 0 });
        for (const g of gs) s = dn.step(s, g);
        const mean = new Float64Array(DIM);
        for (const g of gs) for (let i = 0; i < DIM; i++) mean[i] += g[i] / N;
        const ref = outerNesterov({ eps, beta }).step({ theta, t: 0, buf: m }, mean);
        const tol = 8 * (N + 1) * EPS * (maxAbs(theta) + 2 * eps * (maxAbs(m) + 2 * maxAbs(...gs))); // why: N+1 roundings of terms <= that scale
        for (let i = 0; i < DIM; i++) {
          expect(Math.abs(s.theta[i] - ref.theta[i])).toBeLessThanOrEqual(tol);
          expect(Math.abs(s.m[i] - ref.buf[i])).toBeLessThanOrEqual(tol);
        }
      }),
    );
  });

  it('N = 1 is per-push Nesterov bit for bit, whatever c in [0, 1]', () => {
    fc.assert(
      fc.property(dyadicVec(DIM), pushesArb(1, 8), epsArb, betaArb, fc.integer({ min: 0, max: 16 }).map((j) => j / 16), (theta, gs, eps, beta, c) => {
        const dn = delayedNesterov({ eps, beta, N: 1, c });
        const nes = outerNesterov({ eps, beta });
        let a = dn.init(theta);
        let b = nes.init(theta);
        for (const g of gs) {
          a = dn.step(a, g);
          b = nes.step(b, g);
          // exact: milestone weight 1 - c (N - 1) is exactly 1, and the remaining operations coincide
          expect(sameBits(a.theta, b.theta)).toBe(true);
          expect(sameBits(a.m, b.buf)).toBe(true);
        }
      }),
    );
  });

  it('beta = 0 is SGD with learning rate eps / N on every push', () => {
    fc.assert(
      fc.property(dyadicVec(DIM), pushesArb(1, 12), epsArb, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 16 }), (theta, gs, eps, N, j) => {
        const c = j / 16 / N;
        const dn = delayedNesterov({ eps, beta: 0, N, c });
        const sgd = outerSgd({ eps: eps / N });
        let a = dn.init(theta);
        let b = sgd.init(theta);
        for (const g of gs) {
          a = dn.step(a, g);
          b = sgd.step(b, g);
        }
        // why: each push rounds eps*(g/N) vs (eps/N)*g differently, 3 roundings of terms <= |theta| + eps |g|
        const tol = 4 * gs.length * EPS * (maxAbs(theta) + gs.length * eps * maxAbs(...gs));
        for (let i = 0; i < DIM; i++) expect(Math.abs(a.theta[i] - b.theta[i])).toBeLessThanOrEqual(tol);
      }),
    );
  });

  it('rejects c outside [0, 1/N] naming c and N, and allowOutOfRangeC exposes the negative milestone weight of Table 4', () => {
    expect(errorOf(() => delayedNesterov({ eps: 0.7, beta: 0.9, N: 16, c: 0.1 }))).toMatch(/^delayedNesterov: c = 0.1 .*\[0, 0.0625\].*N = 16/);
    expect(errorOf(() => delayedNesterov({ eps: 0.7, beta: 0.9, N: 4, c: -0.01 }))).toMatch(/c = -0.01/);
    // c = 0.1, N = 16: milestone weight 1 - 0.1 * 15 = -0.5. A cycle of zero pushes after momentum m
    // moves theta by -eps beta [15 c m + (1 - 15 c) beta m] = -eps beta m (1.5 - 0.5 beta).
    const eps = 0.5;
    const beta = 0.75;
    const dn = delayedNesterov({ eps, beta, N: 16, c: 0.1, allowOutOfRangeC: true });
    const m = Float64Array.of(1, -2);
    let s = dnState(Float64Array.of(0, 0), m, 0);
    for (let j = 0; j < 16; j++) s = dn.step(s, Float64Array.of(0, 0));
    for (let i = 0; i < 2; i++) {
      const expected = -eps * beta * m[i] * (15 * 0.1 + (1 - 15 * 0.1) * beta);
      expect(Math.abs(s.theta[i] - expected)).toBeLessThanOrEqual(64 * EPS * Math.abs(m[i])); // why: 17 roundings of O(|m|) terms
    }
  });
});

describe('outer SGD', () => {
  it('beta = 0 is theta - eps g; heavy ball follows buf = beta buf + g, theta -= eps buf', () => {
    fc.assert(
      fc.property(dyadicVec(DIM), pushesArb(1, 6), epsArb, betaArb, (theta, gs, eps, beta) => {
        let a = outerSgd({ eps }).init(theta);
        let b = outerSgd({ eps, beta }).init(theta);
        const p = Float64Array.from(theta);
        const q = Float64Array.from(theta);
        const buf = new Float64Array(DIM);
        for (const g of gs) {
          a = outerSgd({ eps }).step(a, g);
          b = outerSgd({ eps, beta }).step(b, g);
          for (let i = 0; i < DIM; i++) {
            p[i] -= eps * g[i];
            buf[i] = beta * buf[i] + g[i];
            q[i] -= eps * buf[i];
          }
        }
        expect(sameBits(a.theta, p)).toBe(true); // exact: the same single rounding per push
        expect(sameBits(b.theta, q)).toBe(true);
      }),
    );
  });
});

describe('purity and errors', () => {
  it('never mutates theta0, pushes or any earlier state', () => {
    fc.assert(
      fc.property(dyadicVec(DIM), pushesArb(1, 7), epsArb, betaArb, (theta0, gs, eps, beta) => {
        const opts = [outerSgd({ eps, beta }), outerNesterov({ eps, beta }), delayedNesterov({ eps, beta, N: 3, c: 1 / 6 })] as OuterOptimizer[];
        for (const opt of opts) {
          const t0 = Float64Array.from(theta0);
          const copies = gs.map((g) => Float64Array.from(g));
          const states = [opt.init(theta0)];
          const snaps = [JSON.stringify(states[0], (_, v) => (v instanceof Float64Array ? Array.from(v) : v))];
          for (const g of gs) {
            const s = opt.step(states[states.length - 1], g);
            states.push(s);
            snaps.push(JSON.stringify(s, (_, v) => (v instanceof Float64Array ? Array.from(v) : v)));
          }
          states.forEach((s, j) => expect(JSON.stringify(s, (_, v) => (v instanceof Float64Array ? Array.from(v) : v))).toBe(snaps[j]));
          expect(sameBits(theta0, t0)).toBe(true);
          gs.forEach((g, j) => expect(sameBits(g, copies[j])).toBe(true));
        }
      }),
    );
  });

  it('throws one-line errors naming the function and the values', () => {
    const nes = outerNesterov({ eps: 0.1, beta: 0.9 });
    const s = nes.init(Float64Array.of(1, 2, 3));
    expect(errorOf(() => nes.step(s, Float64Array.of(1, 2)))).toBe('outerNesterov.step: pseudo-gradient has 2 entries but theta has 3');
    expect(errorOf(() => nes.step(s, Float64Array.of(1, NaN, 3)))).toBe('outerNesterov.step: pseudo-gradient entry 1 is NaN (must be finite)');
    expect(errorOf(() => outerNesterov({ eps: 0.1, beta: 1 }))).toBe('outerNesterov: beta must lie in [0, 1), got 1');
    expect(errorOf(() => outerSgd({ eps: 0 }))).toBe('outerSgd: eps must be positive and finite, got 0');
    expect(errorOf(() => delayedNesterov({ eps: 1, beta: 0.5, N: 0, c: 0 }))).toBe('delayedNesterov: N must be an integer >= 1, got 0');
    expect(errorOf(() => outerSgd({ eps: 1 }).init(Float64Array.of(Infinity)))).toBe('outerSgd.init: theta0 entry 0 is Infinity (must be finite)');
  });
});
