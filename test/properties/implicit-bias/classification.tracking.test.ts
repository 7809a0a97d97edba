import { describe, expect, it } from 'vitest';
import { mutant as M02 } from '../../../src/gate/mutants/M02-uniform-weights.ts';
import { mutant as M03 } from '../../../src/gate/mutants/M03-accumulator-not-reset.ts';
import { mutant as M10 } from '../../../src/gate/mutants/M10-no-restart.ts';
import { builtinSubject } from '../../../src/subject/index.ts';
import { checkTheorem } from '../../../src/spec/index.ts';
import { GROWTH, trackingRatios } from '../../../properties/implicit-bias/classification.support.ts';
import { spec } from '../../../properties/implicit-bias/classification.tracking.prop.ts';
import { expectStatus, expectViolationReport, seed } from './classification.helpers.ts';

describe('Z-C1-tracking', () => {
  it('trackingRatios: the floor eps Delta and the rounding delta enter as stated', () => {
    // Delta = 64: floor 1; D rises from 0.5 to 1.2 (below 1.5 x floor), then settles
    expect(trackingRatios([0.5, 0.8, 1.2, 1.1, 1.0, 0.9], 64, 0)).toEqual([1.2, 1.1 / 1.2]);
    // an offset growing with the iterates: 3x its start
    const [grow] = trackingRatios([2, 3, 4, 5, 6, 6], 64, 0);
    expect(grow).toBe(3);
    // rounding delta widens the ratio on both sides
    const [b] = trackingRatios([2, 2, 2, 2, 2, 2], 64, 0.5);
    expect(b).toBe(2.5 / 1.5);
  });

  it('holds on the reference optimizers', async () => {
    const v = await checkTheorem(spec, { subject: builtinSubject, seed, profile: 'ci' });
    expectStatus(v, 'holds');
    expect(v.evidence.nonVacuousRuns).toBeGreaterThanOrEqual(v.runs / 2);
    const worst = v.evidence.worst!.observed as number[];
    expect(worst[0]).toBeLessThanOrEqual(GROWTH);
  });

  it('teeth: nodes that keep their own local models (M10) drift away from centralized GD', async () => {
    const v = await checkTheorem(spec, { subject: M10.apply(builtinSubject), seed, profile: 'ci', shrink: false });
    expectViolationReport(v, true);
    if (v.status !== 'violated') return;
    const o = v.observed as number[];
    expect(o[v.index!]).toBeGreaterThan((v.bound as number[])[v.index!]);
  });

  it('teeth: unweighted averaging (M02) and a never-reset accumulator (M03) are violated too', async () => {
    const a = await checkTheorem(spec, { subject: M02.apply(builtinSubject), seed, profile: 'ci', shrink: false, numRuns: 24 });
    expectViolationReport(a, true);
    const b = await checkTheorem(spec, { subject: M03.apply(builtinSubject), seed, profile: 'ci', shrink: false });
    expectViolationReport(b, true);
  });
});
