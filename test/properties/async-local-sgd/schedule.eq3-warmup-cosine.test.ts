import { describe, expect, it } from 'vitest';
import { eq3, spec, type ScheduleCase } from '../../../properties/async-local-sgd/schedule.eq3-warmup-cosine.prop.ts';
import { mutant as P32 } from '../../../src/gate/mutants/P32-schedule-unclipped.ts';
import { EPS } from '../../../src/numeric/index.ts';
import { expectHolds, expectWithinAllowance, killedBy } from './_helpers.ts';

describe('A-7: eq. 3 warmup + clipped cosine', () => {
  it('the transcription meets the ramp at t_warmup, stays >= eta_min after it and equals eta_min past T', () => {
    const c: ScheduleCase = { etaMax: 0.5, etaMin: 0.125, warmup: 4, T: 20, tEnd: 28 };
    expect(eq3(c, 4)).toBe(0.5); // cos(0) = 1: the cosine starts where the ramp would continue
    expect(eq3(c, 3)).toBe(0.375);
    for (let t = 4; t <= 28; t++) expect(eq3(c, t)).toBeGreaterThanOrEqual(0.125);
    for (let t = 20; t <= 28; t++) expect(Math.abs(eq3(c, t) - 0.125)).toBeLessThanOrEqual(2 * EPS); // why: cos(pi) = -1 exactly, one rounding in the sum
  });

  it('holds on the reference schedule', async () => expectWithinAllowance(await expectHolds(spec)));
  it('teeth: an unclipped cosine (P32) climbs back after T', async () => {
    const v = await killedBy(spec, P32);
    const c = v.counterexample as ScheduleCase;
    expect(v.index!).toBeGreaterThan(c.T);
  });
});
