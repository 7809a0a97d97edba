import { describe, expect, it } from 'vitest';
import { mutant as M03 } from '../../../src/gate/mutants/M03-accumulator-not-reset.ts';
import { mutant as M09 } from '../../../src/gate/mutants/M09-single-node-no-update.ts';
import { mutant as M10 } from '../../../src/gate/mutants/M10-no-restart.ts';
import { builtinSubject } from '../../../src/subject/index.ts';
import { checkTheorem } from '../../../src/spec/index.ts';
import {
  angle as angleTo, descentStep, directionFloor, DIRECTION_MIN_START, directionWindow, MIN_MU, referenceWindowModels, separable, separableRun, unregularised,
  WINDOW_NORM_GROWTH, windowExercised,
} from '../../../properties/implicit-bias/classification.support.ts';
import { spec as angle } from '../../../properties/implicit-bias/classification.direction.prop.ts';
import { RATE_RATIO, rateRatio, spec as rate } from '../../../properties/implicit-bias/classification.direction-rate.prop.ts';
import type { SeparableRun } from '../../../properties/implicit-bias/classification.support.ts';
import { spec as margin } from '../../../properties/implicit-bias/classification.margin.prop.ts';
import { expectStatus, expectViolationReport, seed, variant } from './classification.helpers.ts';
import fc from 'fast-check';

describe('Z-C2 direction: instances and window', () => {
  it('the direction class has all-support instances with mu >= 1/3, eta L R^2 <= 2 and a burn-in window starting at >= 128 rounds', () => {
    const xs = fc.sample(angle.instances, { seed, numRuns: 20 });
    for (const r of xs) {
      expect(r.gap).toBe(Infinity);
      expect(r.support.length).toBeGreaterThanOrEqual(2);
      expect(r.mu).toBeGreaterThanOrEqual(MIN_MU);
      const W = directionWindow(r);
      expect(W[0]).toBeGreaterThanOrEqual(DIRECTION_MIN_START);
      expect(r.eta * r.L * r.radius ** 2).toBeLessThanOrEqual(2 * (1 + 1e-12));
      expect((r.etaFraction * r.L * W[0]) ** r.mu).toBeGreaterThanOrEqual(8 * (1 - 1e-12));
      expect(W[W.length - 1]).toBe(32 * W[0]);
    }
  });
});

describe('window non-vacuity (shared by Z-C2-angle, Z-C2-margin, Z-C3-loss)', () => {
  const r = fc.sample(angle.instances, { seed, numRuns: 1 })[0] as SeparableRun;
  const W = directionWindow(r);
  const ang = { name: 'ang', of: (w: Float64Array) => angleTo(w, r.wHat), resolution: () => 0, shrink: 3 / 4 };

  it('accepts the direction window of a class instance: the reference norms grow >= 3/2 and ang shrinks', () => {
    expect(windowExercised(r, W, ang)).toBe(true);
    const ws = referenceWindowModels(r, W);
    expect(ws).toHaveLength(W.length);
    expect(referenceWindowModels(r, W)).toBe(ws); // cached per instance and window
  });

  it('rejects a window over which the norms barely grow (one doubling: log(2 t0)/log t0 < 3/2)', () => {
    const short = [W[0], 2 * W[0]];
    const ws = referenceWindowModels(r, short);
    let n0 = 0, n1 = 0;
    for (let j = 0; j < r.dataset.d; j++) { n0 += ws[0][j] ** 2; n1 += ws[1][j] ** 2; }
    expect(Math.sqrt(n1 / n0)).toBeLessThan(WINDOW_NORM_GROWTH);
    expect(windowExercised(r, short, ang)).toMatch(/^the reference norms grow by [0-9.]+ < 1.5/);
  });

  it('rejects an error that does not shrink, and one that starts at its resolution', () => {
    expect(windowExercised(r, W, { ...ang, of: () => 1 })).toMatch(/does not shrink by 0.75/);
    expect(windowExercised(r, W, { ...ang, of: () => 1e-12, resolution: () => 1e-12 })).toMatch(/nothing to shrink/);
  });
});

describe('Z-C2-angle', () => {
  it('holds on the reference optimizer', async () => {
    const v = await checkTheorem(angle, { subject: builtinSubject, seed, profile: 'ci' });
    expectStatus(v, 'holds');
    expect(v.evidence.nonVacuousRuns).toBeGreaterThanOrEqual(v.runs / 2);
  });

  it('teeth: nodes that keep their own local models (M10) turn the direction away from w_hat', async () => {
    const v = await checkTheorem(angle, { subject: M10.apply(builtinSubject), seed, profile: 'ci', shrink: false, numRuns: 30 });
    expectViolationReport(v, false);
    if (v.status === 'violated') expect(v.message).toMatch(/^sequence is not non-increasing/);
  });

  it('teeth (dropped hypothesis): with non-support rows near the margin the error rises; found by search', async () => {
    const generic = variant(angle, {
      id: 'Z-C2-angle-dropped',
      instances: separableRun({ thin: 'none', data: { minDim: 2, maxDim: 3, maxNodes: 4, maxRowsPerNode: 6 } }),
      hypotheses: [separable, unregularised, descentStep],
      // the reference's error RISING over the window is what the dropped hypothesis does, so the window rule keeps
      // norm growth and the off-ray start but not the shrink clause (with it, 12 of 30 seeds found no violation)
      nonVacuous: (r: SeparableRun) => {
        const W = directionWindow(r);
        const floor = directionFloor(r.L * W[W.length - 1], r.dataset.d);
        return windowExercised(r, W, { name: 'ang(w, wHat)', of: (w) => angleTo(w, r.wHat), resolution: () => floor, shrink: Infinity });
      },
    });
    const v = await checkTheorem(generic, { subject: builtinSubject, seed, profile: 'ci', numRuns: 80, shrink: false });
    expectViolationReport(v, false);
  });
});

describe('Z-C2-rate', () => {
  it('holds on the reference optimizer: the ratio stays <= 1.2 on at least 95% of draws', async () => {
    const v = await checkTheorem(rate, { subject: builtinSubject, seed, profile: 'ci' });
    expectStatus(v, 'holds');
    const f = v.evidence.frequency!;
    expect(f.n).toBe(40);
    expect(f.hi).toBeGreaterThanOrEqual(0.95);
  });

  it('teeth: M10 makes ang x log(eta R^2 L k) grow on about half the draws; a model that never moves (M09) too', async () => {
    for (const m of [M10, M09]) {
      const v = await checkTheorem(rate, { subject: m.apply(builtinSubject), seed, profile: 'ci' });
      expectStatus(v, 'violated');
      expect(v.observed as number).toBeLessThan(0.95);
      // the example failure is a draw whose ratio exceeds the bound
      expect(rateRatio(v.counterexample as SeparableRun, m.apply(builtinSubject))).toBeGreaterThan(RATE_RATIO);
    }
  });
});

describe('Z-C2-margin', () => {
  it('holds on the reference optimizer; the sequence ends with the hard margin and gamma*', async () => {
    const v = await checkTheorem(margin, { subject: builtinSubject, seed, profile: 'ci' });
    expectStatus(v, 'holds');
    expect(v.evidence.nonVacuousRuns).toBeGreaterThanOrEqual(v.runs / 2);
    const s = v.evidence.worst!.observed as number[];
    expect(s).toHaveLength(8);
  });

  it('teeth: a model that never moves (M09) has no margin; a never-reset accumulator (M03) overflows', async () => {
    const a = await checkTheorem(margin, { subject: M09.apply(builtinSubject), seed, profile: 'ci', shrink: false, numRuns: 40 });
    expectViolationReport(a, false);
    const b = await checkTheorem(margin, { subject: M03.apply(builtinSubject), seed, profile: 'ci', shrink: false });
    expectViolationReport(b, false);
  });
});
