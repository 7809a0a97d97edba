/**
 * DyLU, eq. 6: steps = floor(v / v_max H) with a documented minimum. Speeds on the 1/8 grid,
 * v_w = a_w / 8, so floor(v_w H / v_max) = floor(a_w H / a_max) is computed exactly in integers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dyluSteps } from '../../../src/optimizers/async/index.ts';
import { errorOf } from './_helpers.ts';

const speedsArb = fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 });

describe('dyluSteps', () => {
  it('equals floor(a_w H / a_max) exactly, the fastest gets H, and completion times lie in (H/v_max - 1/v_w, H/v_max]', () => {
    fc.assert(
      fc.property(speedsArb, fc.integer({ min: 1, max: 200 }), (a, H) => {
        const speeds = a.map((x) => x / 8);
        const steps = dyluSteps(speeds, H, 0);
        const amax = Math.max(...a);
        steps.forEach((s, w) => {
          expect(s).toBe(Math.floor((a[w] * H) / amax)); // exact: integers below 2^53
          if (a[w] === amax) expect(s).toBe(H);
          // (H / v_max - 1 / v_w, H / v_max] in exact integer form: s a_max <= a_w H < (s + 1) a_max
          expect(s * amax).toBeLessThanOrEqual(a[w] * H);
          expect((s + 1) * amax).toBeGreaterThan(a[w] * H);
          // and as the simulator's float times: s / v_w never exceeds H / v_max
          expect(s / speeds[w]).toBeLessThanOrEqual(H / Math.max(...speeds));
        });
      }),
    );
  });

  it('respects minSteps: max(floor(...), minSteps)', () => {
    fc.assert(
      fc.property(speedsArb, fc.integer({ min: 1, max: 60 }).chain((H) => fc.tuple(fc.constant(H), fc.integer({ min: 0, max: H }))), (a, [H, m]) => {
        const speeds = a.map((x) => x / 8);
        const raw = dyluSteps(speeds, H, 0);
        const floored = dyluSteps(speeds, H, m);
        floored.forEach((s, w) => expect(s).toBe(Math.max(raw[w], m)));
      }),
    );
  });

  it("reproduces the notebook's speeds: sec/step (0.58, 0.75, 1.51, 3.33), H = 50", () => {
    const sec = [0.58, 0.75, 1.51, 3.33];
    const speeds = sec.map((s) => 1 / s);
    const steps = dyluSteps(speeds, 50);
    // the paper's formula evaluated directly (none of these quotients is near an integer)
    expect(steps).toEqual(sec.map((s) => Math.floor((0.58 / s) * 50)));
    const times = steps.map((s, w) => s * sec[w]);
    times.forEach((t, w) => {
      expect(t).toBeLessThanOrEqual(50 * 0.58 * (1 + 1e-15)); // why: 1/(1/s) round trip costs <= 2 ulps
      expect(t).toBeGreaterThan(50 * 0.58 - sec[w]);
    });
  });

  it('gives 0 steps below v/v_max = 1/H only when minSteps = 0 (the default floor is 1)', () => {
    expect(dyluSteps([100, 1], 50, 0)).toEqual([50, 0]);
    expect(dyluSteps([100, 1], 50)).toEqual([50, 1]);
    expect(dyluSteps([100, 2], 50, 0)).toEqual([50, 1]);
  });

  it('rejects bad input with one-line errors', () => {
    expect(errorOf(() => dyluSteps([], 5))).toBe('dyluSteps: speeds is empty (need at least one worker)');
    expect(errorOf(() => dyluSteps([1, 0], 5))).toBe('dyluSteps: speed of worker 1 must be positive and finite, got 0');
    expect(errorOf(() => dyluSteps([1], 0))).toBe('dyluSteps: H must be an integer >= 1, got 0');
    expect(errorOf(() => dyluSteps([1], 5, 6))).toBe('dyluSteps: minSteps must be an integer in [0, H] = [0, 5], got 6');
  });
});
