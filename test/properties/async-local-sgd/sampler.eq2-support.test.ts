import { describe, expect, it } from 'vitest';
import { spec } from '../../../properties/async-local-sgd/sampler.eq2-support.prop.ts';
import { mutant as P31 } from '../../../src/gate/mutants/P31-uniform-shard-sampler.ts';
import { expectHolds, killedBy } from './_helpers.ts';

describe('A-6: the eq. 2 sampler never draws an over-sampled shard', () => {
  it('holds on the reference sampler (0 draws outside the support)', async () => {
    const v = await expectHolds(spec);
    expect(v.evidence.worst?.observed).toBe(0);
    expect(v.evidence.nonVacuousRuns).toBe(v.runs);
  });

  it('teeth: a uniform sampler (P31) draws over-sampled shards', async () => {
    const v = await killedBy(spec, P31);
    expect(v.observed as number).toBeGreaterThan(0);
  });
});
