import { describe, expect, it } from 'vitest';
import { spec, type FedNovaRun } from '../../../properties/async-local-sgd/dylu.fednova-fixed-point.prop.ts';
import { mutant as M05 } from '../../../src/gate/mutants/M05-pseudo-gradient-sign.ts';
import { mutant as M13 } from '../../../src/gate/mutants/M13-dylu-slowest-reference.ts';
import { expectHolds, expectWithinAllowance, killedBy } from './_helpers.ts';

describe('A-5: FedNova-biased fixed point of DyLU with pinned non-IID shards', () => {
  it('holds on the reference DiLoCo, and most instances exercise the weighting (biased point != mean e_i)', async () => {
    const v = await expectHolds(spec);
    expectWithinAllowance(v);
    expect(v.evidence.nonVacuousRuns).toBeGreaterThanOrEqual(13);
  });

  it('teeth: mutant #13 (DyLU from the slowest worker) moves the fixed point', async () => {
    const v = await killedBy(spec, M13);
    const p = v.counterexample as FedNovaRun;
    expect(Math.max(...p.speeds)).toBeGreaterThan(Math.min(...p.speeds)); // unequal speeds are what it needs
  });

  it('teeth: mutant #5 (flipped pseudo-gradient) diverges', async () => void (await killedBy(spec, M05)));
});
