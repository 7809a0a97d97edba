import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { adaLupaSGD, linearTau, lossRatioMultiplier } from '../../src/optimizers/adaLupaSGD.ts';
import { lupaSGD } from '../../src/optimizers/lupaSGD.ts';
import type { LossSpec } from '../../src/problems/losses.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';
import { bitsEqual, problemArb, safeEta } from './_problems.ts';

const tiny: FederatedDataset = { task: 'regression', d: 1, nodes: [{ X: { rows: 2, cols: 1, data: Float64Array.of(1, 0.5) }, y: Float64Array.of(1, 0.25) }] };

describe('adaLupaSGD: loss-ratio schedule (poster rule, loss at the start of each round)', () => {
  it('tau_i = min(max(1, ceil(cbrt(F_0/F_i))) tau_0, T - t_i) with F_i the traced loss at the start of round i; sum = T', () => {
    fc.assert(
      fc.property(problemArb({ loss: 'logistic' }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 80 }), fc.integer({ min: 1, max: 3 }), (ds, tau0, T, B) => {
        const loss: LossSpec = { name: 'logistic', l2: 0.125 };
        const t = adaLupaSGD.run(ds, { loss, eta: safeEta(ds, loss), T, tau0, B, p: 2 });
        const tau = (t.extra?.tau ?? []) as number[];
        const F = t.loss;
        let steps = 0;
        tau.forEach((ti, i) => {
          expect((t.extra!.lossAtStart as number[])[i]).toBe(F[i]);
          const mult = Math.max(1, Math.ceil(Math.cbrt(F[0] / F[i])));
          expect(ti).toBe(Math.min(mult * tau0, T - steps));
          expect(ti).toBeGreaterThanOrEqual(1);
          steps += ti;
          expect(t.localSteps![i + 1]).toBe(steps);
        });
        expect(steps).toBe(T);
        if (T > 0) expect(tau[0]).toBe(Math.min(tau0, T));
        expect(t.rounds.length).toBe(tau.length + 1);
        expect(t.communications[t.communications.length - 1]).toBe(2 * tau.length);
      }),
    );
  });

  it('tau is non-decreasing while F decreases (deterministic GD on a convex problem), except the truncated last round', () => {
    const loss: LossSpec = { name: 'squared' };
    const t = adaLupaSGD.run(tiny, { loss, eta: 0.5, T: 400, tau0: 2, B: 'full', p: 1 });
    const tau = t.extra!.tau as number[];
    for (let i = 1; i < t.loss.length; i++) expect(t.loss[i]).toBeLessThanOrEqual(t.loss[i - 1]);
    for (let i = 1; i < tau.length - 1; i++) expect(tau[i]).toBeGreaterThanOrEqual(tau[i - 1]);
    expect(tau[tau.length - 1]).toBeGreaterThan(2); // the rule did adapt
  });

  it('with p = 1 the schedule changes only where averaging happens, not the iterates: the result is LUPA-SGD with tau = 1', () => {
    const h = { loss: { name: 'squared' as const }, eta: 0.5, T: 37, B: 1, p: 1, seed: 9, record: 'last' as const };
    const a = adaLupaSGD.run(tiny, { ...h, tau0: 3 }).models[0];
    const b = lupaSGD.run(tiny, { ...h, tau: 1 }).models[0];
    expect(bitsEqual(a, b)).toBe(true);
  });

  it('the multiplier handles F_i = 0 (all remaining steps) and F_0 = F_i = 0 (tau_0)', () => {
    expect(lossRatioMultiplier(1, 0)).toBe(Infinity);
    expect(lossRatioMultiplier(0, 0)).toBe(1);
    expect(lossRatioMultiplier(0, 2)).toBe(1);
    expect(lossRatioMultiplier(8, 1)).toBe(2);
    expect(lossRatioMultiplier(8.000001, 1)).toBe(3);
    const exact: FederatedDataset = { task: 'regression', d: 1, nodes: [{ X: { rows: 1, cols: 1, data: Float64Array.of(1) }, y: Float64Array.of(1) }] };
    // eta = 1 solves this 1-d least squares in one step, so F_1 = 0 and round 1 takes everything that is left
    const t = adaLupaSGD.run(exact, { loss: { name: 'squared' }, eta: 1, T: 50, tau0: 1, B: 'full', p: 1 });
    expect(t.extra!.tau).toEqual([1, 49]);
  });
});

describe('adaLupaSGD: linear schedule of the official code', () => {
  it('T = 5469, tau_0 = 91, E = 10 (the paper run): tau_i = ceil((1 + i alpha) tau_0), alpha = 2T/((E+1) E tau_0); sum = T', () => {
    const T = 5469, tau0 = 91, E = 10;
    const t = adaLupaSGD.run(tiny, { loss: { name: 'squared' }, eta: 0.25, T, tau0, B: 1, p: 4, schedule: { linear: { E } }, record: 'last' });
    const tau = t.extra!.tau as number[];
    // exact rational arithmetic: (1 + i alpha) tau_0 = (E (E+1) tau_0 + 2 T i) / (E (E+1))
    const expected: number[] = [];
    let left = T;
    for (let i = 0; left > 0; i++) {
      const num = BigInt(E * (E + 1) * tau0 + 2 * T * i), den = BigInt(E * (E + 1));
      const ceil = Number((num + den - 1n) / den);
      expected.push(Math.min(ceil, left));
      left -= expected[i];
    }
    expect(tau).toEqual(expected);
    expect(tau.reduce((a, b) => a + b, 0)).toBe(T);
    // docs/theory.md#24-ada-lupa-sgd: the first E intervals sum to about tau_0 E + T (E-1)/(E+1) = 5384.6 <= T, so E = 10 syncs and a
    // short final round (84 steps without rounding; rounding each interval up leaves 80)
    const firstE = tau.slice(0, E).reduce((a, b) => a + b, 0);
    expect(tau.length).toBe(E + 1);
    expect(Math.abs(firstE - (tau0 * E + (T * (E - 1)) / (E + 1)))).toBeLessThanOrEqual(E);
    expect(t.extra!.alpha).toBe((2 * T) / ((E + 1) * E * tau0)); // 1.0927, the poster's 'alpha = 1.09'
    expect(linearTau(tau0, T, E, 3)).toBe(expected[3]);
  });

  it('rejects bad schedules and tau_0', () => {
    const h = { loss: { name: 'squared' as const }, eta: 0.5, T: 4, B: 1 };
    expect(() => adaLupaSGD.init(tiny, { ...h, tau0: 0 })).toThrow(/^adaLupaSGD: tau0 must be an integer >= 1, got 0$/);
    expect(() => adaLupaSGD.init(tiny, { ...h, tau0: 1, schedule: 'linear' as 'loss-ratio' })).toThrow(/schedule must be 'loss-ratio', \{ gap: \{ Fstar \} \} or \{ linear: \{ E \} \}, got "linear"/);
    expect(() => adaLupaSGD.init(tiny, { ...h, tau0: 1, schedule: { linear: { E: 0 } } })).toThrow(/schedule.linear.E must be an integer >= 1, got 0/);
  });
});
