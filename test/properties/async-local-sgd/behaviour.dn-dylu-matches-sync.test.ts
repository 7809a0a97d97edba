import { describe, expect, it } from 'vitest';
import { spec } from '../../../properties/async-local-sgd/behaviour.dn-dylu-matches-sync.prop.ts';
import { mutant as M05 } from '../../../src/gate/mutants/M05-pseudo-gradient-sign.ts';
import { mutant as M13 } from '../../../src/gate/mutants/M13-dylu-slowest-reference.ts';
import { expectHolds, killedBy } from './_helpers.ts';

describe('A-B3: DN + DyLU matches sync DiLoCo per update within 10% of the sync loss reduction (frequency >= 0.97)', () => {
  it('holds on the reference simulator (observed 200/200 on a 200-instance sample, see the note)', async () => {
    const v = await expectHolds(spec);
    expect(v.evidence.frequency!.n).toBe(100);
    expect(v.evidence.frequency!.successes).toBeGreaterThanOrEqual(91);
  });

  it('teeth: mutant #13 (DyLU from the slowest worker) falls behind per update', async () => {
    const v = await killedBy(spec, M13);
    expect(v.observed as number).toBeLessThan(0.97);
  });

  it('teeth: mutant #5 (flipped pseudo-gradient)', async () => void (await killedBy(spec, M05)));
});
