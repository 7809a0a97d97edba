import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutant as M08 } from '../../../src/gate/mutants/M08-sync-counter-per-block.ts';
import { linearTau } from '../../../src/optimizers/adaLupaSGD.ts';
import { builtinSubject } from '../../../src/optimizers/subject.ts';
import { adaCases } from '../../../properties/lupa-sgd/ada.support.ts';
import { CLAIMED, spec as rounds } from '../../../properties/lupa-sgd/ada.rounds.prop.ts';
import { spec as schedule } from '../../../properties/lupa-sgd/ada.schedule.prop.ts';
import { spec as monotone } from '../../../properties/lupa-sgd/ada.tau-monotone.prop.ts';
import { expectStatus, withInstances } from './_helpers.ts';

describe('L-7-ada-schedule', () => {
  it('the official run (T = 5469, tau_0 = 91, E = 10): alpha = 2T/((E+1) E tau_0) = 1.09, the first E intervals sum to <= T', () => {
    const T = 5469;
    const E = 10;
    const first = Array.from({ length: E }, (_, i) => linearTau(91, T, E, i));
    const sum = first.reduce((a, b) => a + b, 0);
    // theory.md §2.4: tau_0 E + T(E - 1)/(E + 1) = 5384.6 without ceilings; the integer schedule rounds each interval up
    expect([sum, T - sum, first[0], first[E - 1]]).toEqual([5389, 80, 91, 986]);
    expect(Math.abs((2 * T) / ((E + 1) * E * 91) - 1.09)).toBeLessThan(0.005);
  });

  it('holds on the reference optimizer (loss-ratio and linear schedules)', async () => {
    await expectStatus(schedule, builtinSubject, 'holds');
  });

  it('teeth: mutant #8 (per-block sync counter: tau_0 halved) breaks the rule', async () => {
    const v = await expectStatus(schedule, M08.apply(builtinSubject), 'violated');
    if (v.status === 'violated') expect(v.index).toBe(4);
  });
});

describe('L-7-ada-monotone', () => {
  it('holds on the reference optimizer', async () => {
    await expectStatus(monotone, builtinSubject, 'holds');
  });

  it("dropped hypothesis (the code's linear schedule ignores the loss): found violated by search when noise lifts F", async () => {
    const linear = withInstances(monotone, 'L-7-ada-monotone-dropped', adaCases(fc.constant<'loss-ratio' | 'linear'>('linear')));
    const v = await expectStatus(linear, builtinSubject, 'violated');
    if (v.status === 'violated') expect(typeof (v.counterexample as { schedule: unknown }).schedule).toBe('object');
  });
});

describe('L-7-ada-rounds', () => {
  it(`holds on the reference optimizer (claimed frequency ${CLAIMED})`, async () => {
    const v = await expectStatus(rounds, builtinSubject, 'holds');
    if (v.status === 'holds') expect(v.evidence.frequency!.successes / v.evidence.frequency!.n).toBeGreaterThanOrEqual(CLAIMED);
  });

  it('dropped hypothesis (start at a minimiser: the loss cannot fall, the multiplier stays 1): refuted', async () => {
    const atOptimum = adaCases(fc.constant<'loss-ratio' | 'linear'>('loss-ratio')).map((c) => ({ ...c, x0: Float64Array.from(c.pb.xStar) }));
    const v = await expectStatus(withInstances(rounds, 'L-7-ada-rounds-dropped', atOptimum, (n) => n.startsWith('loss-ratio')), builtinSubject, 'violated');
    if (v.status === 'violated') expect(v.observed as number).toBeLessThan(CLAIMED);
  });
});
