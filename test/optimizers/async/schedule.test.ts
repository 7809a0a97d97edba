/** Eq. 3 per-shard schedule: warmup continuity, floor eta_min, monotone cosine, clipping past T. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EPS } from '../../../src/numeric/index.ts';
import { scheduleLr } from '../../../src/optimizers/async/index.ts';
import type { ScheduleConfig } from '../../../src/optimizers/async/index.ts';
import { errorOf } from './_helpers.ts';

const schedArb = fc
  .record({
    etaMax: fc.integer({ min: 1, max: 1024 }).map((j) => j / 1024),
    minFrac: fc.integer({ min: 0, max: 16 }).map((j) => j / 16),
    warmup: fc.integer({ min: 0, max: 50 }),
    span: fc.integer({ min: 1, max: 200 }),
  })
  .map(({ etaMax, minFrac, warmup, span }) => ({ etaMax, s: { etaMin: etaMax * minFrac, warmup, T: warmup + span } as ScheduleConfig }));

describe('eq. 3 schedule', () => {
  it('is continuous at t_warmup: both branches give eta_max there', () => {
    fc.assert(
      fc.property(schedArb, ({ etaMax, s }) => {
        // why: eta_min + (eta_max - eta_min) * 0.5 * 2 rounds twice on values <= eta_max
        expect(Math.abs(scheduleLr(etaMax, s, s.warmup) - etaMax)).toBeLessThanOrEqual(2 * EPS * etaMax);
        if (s.warmup > 0) {
          // the ramp's last step is eta_max (t_w - 1) / t_w: the jump into the cosine is one ramp increment
          const jump = scheduleLr(etaMax, s, s.warmup) - scheduleLr(etaMax, s, s.warmup - 1);
          expect(Math.abs(jump - etaMax / s.warmup)).toBeLessThanOrEqual(4 * EPS * etaMax);
        }
      }),
    );
  });

  it('warms up linearly from 0, then decays monotonically, stays >= eta_min, and equals eta_min from T on (clipped)', () => {
    fc.assert(
      fc.property(schedArb, ({ etaMax, s }) => {
        for (let t = 0; t < s.warmup; t++) expect(scheduleLr(etaMax, s, t)).toBe((etaMax * t) / s.warmup);
        let prev = Infinity;
        for (let t = s.warmup; t <= s.T + 20; t++) {
          const lr = scheduleLr(etaMax, s, t);
          expect(lr).toBeGreaterThanOrEqual(s.etaMin);
          expect(lr).toBeLessThanOrEqual(prev);
          prev = lr;
          if (t >= s.T) expect(lr).toBe(s.etaMin); // exact: r clips to 1 and cos(pi) = -1 exactly
        }
        // the cosine midpoint is the mean of eta_max and eta_min
        const mid = s.warmup + (s.T - s.warmup) / 2;
        if (Number.isInteger(mid)) expect(Math.abs(scheduleLr(etaMax, s, mid) - (etaMax + s.etaMin) / 2)).toBeLessThanOrEqual(4 * EPS * etaMax);
      }),
    );
  });

  it('degenerate T <= t_warmup: the cosine has zero length and the rate drops to eta_min at t_warmup', () => {
    const s = { etaMin: 0.01, warmup: 10, T: 4 };
    expect(scheduleLr(1, s, 9)).toBe(0.9);
    expect(scheduleLr(1, s, 10)).toBe(0.01);
    expect(scheduleLr(1, s, 1000)).toBe(0.01);
    expect(scheduleLr(1, { etaMin: 0.5, warmup: 0, T: 0 }, 0)).toBe(0.5);
  });

  it('rejects bad arguments with one-line errors', () => {
    expect(errorOf(() => scheduleLr(0.1, { etaMin: 0.2, warmup: 0, T: 10 }, 0))).toBe('scheduleLr: eta_min must lie in [0, eta_max] = [0, 0.1], got 0.2');
    expect(errorOf(() => scheduleLr(0.1, { etaMin: 0, warmup: 1.5, T: 10 }, 0))).toBe('scheduleLr: t_warmup must be an integer >= 0, got 1.5');
    expect(errorOf(() => scheduleLr(0.1, { etaMin: 0, warmup: 1, T: 10 }, -1))).toBe('scheduleLr: step t must be an integer >= 0, got -1');
  });
});
