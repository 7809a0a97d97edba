import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSpeedRegime, SPEED_REGIMES, workerSpeeds, type WorkerSpeeds } from '../../src/arbitraries/index.ts';
import { expectDeterministic, shrinkRun } from './_helpers.ts';

/** Independent restatement of the regimes (ratio bands; stragglers: the slowest group is >= 5x slower). */
function hypotheses(v: WorkerSpeeds): string | null {
  const s = [...v.speeds].sort((a, b) => a - b);
  if (s.some((x) => !(x > 0) || !Number.isInteger(x * 4))) return 'speed not a positive multiple of 1/4';
  const ratio = s[s.length - 1] / s[0];
  const bands: Record<string, boolean> = {
    homogeneous: ratio === 1,
    mild: ratio > 1 && ratio <= 2,
    very: ratio > 2 && ratio <= 10,
    stragglers: s.length >= 2 && s.some((x, i) => i > 0 && i <= Math.max(1, Math.floor(s.length / 4)) && x / s[i - 1] >= 5),
  };
  return bands[v.regime] ? null : `regime ${v.regime} does not fit speeds ${JSON.stringify(v.speeds)}`;
}

describe('workerSpeeds', () => {
  it('gives the same instances for the same seed', () => {
    expectDeterministic(workerSpeeds(), 42);
  });

  it('every value fits its regime (two independent checkers agree)', () => {
    fc.assert(
      fc.property(workerSpeeds(), (v) => {
        expect(hypotheses(v)).toBeNull();
        expect(checkSpeedRegime(v)).toBeNull();
      }),
    );
  });

  it('honours a fixed regime, worker counts and ratios', () => {
    for (const regime of SPEED_REGIMES.filter((r) => r !== 'homogeneous')) {
      fc.assert(
        fc.property(workerSpeeds({ regime, minWorkers: 3, maxWorkers: 5, maxRatio: 4, minStragglerRatio: 16 }), (v) => {
          expect(v.regime).toBe(regime);
          expect(v.speeds.length).toBeGreaterThanOrEqual(3);
          expect(v.speeds.length).toBeLessThanOrEqual(5);
          expect(checkSpeedRegime(v, 4, 16)).toBeNull();
        }),
      );
    }
  });

  it("'ratio>=8' is exactly max/min >= 8, and 'very' alone reaches it in >= 5% of its draws (fixed seed)", () => {
    const all = fc.sample(workerSpeeds(), { seed: 8, numRuns: 400 });
    for (const v of all) expect(v.meta.regimes.includes('ratio>=8')).toBe(v.ratio >= 8);
    const very = fc.sample(workerSpeeds({ regime: 'very', minWorkers: 2 }), { seed: 8, numRuns: 400 });
    expect(very.filter((v) => v.ratio >= 8).length / very.length).toBeGreaterThanOrEqual(0.05);
    // stragglers are not bounded by maxRatio
    const strag = fc.sample(workerSpeeds({ regime: 'stragglers', minWorkers: 2, maxRatio: 4 }), { seed: 8, numRuns: 100 });
    expect(Math.max(...strag.map((v) => v.ratio))).toBeGreaterThan(4);
  });

  it('the checker has teeth: a straggler sped up is reported', () => {
    const [v] = fc.sample(workerSpeeds({ regime: 'stragglers', minWorkers: 4 }), { seed: 2, numRuns: 1 });
    const speeds = v.speeds.map((x) => Math.max(x, v.speeds[0] / 2));
    const bad = { ...v, speeds, ratio: Math.max(...speeds) / Math.min(...speeds) };
    expect(hypotheses(bad)).toMatch(/does not fit/);
    expect(checkSpeedRegime(bad)).toMatch(/no straggler split/);
  });

  it('shrinks toward fewer, homogeneous workers through valid values only', () => {
    const { counterexample: c, invalid } = shrinkRun(workerSpeeds(), hypotheses, (v) => v.speeds.length < 3);
    expect(invalid).toEqual([]);
    expect(c.speeds.length).toBe(3);
    expect(c.regime).toBe('homogeneous');
  });

  it('rejects impossible constraints at once, naming the values', () => {
    expect(() => workerSpeeds({ regime: 'stragglers', maxWorkers: 1 })).toThrow("workerSpeeds: regime 'stragglers' needs constraints.maxWorkers >= 2, got 1");
    expect(() => workerSpeeds({ maxRatio: 2 })).toThrow('workerSpeeds: constraints.maxRatio must be a finite number in [2.5, 64], got 2');
    expect(() => workerSpeeds({ minWorkers: 9, maxWorkers: 8 })).toThrow('workerSpeeds: constraints.minWorkers (9) > constraints.maxWorkers (8)');
  });
});
