import { describe, expect, it } from 'vitest';
import { spec } from '../../../properties/async-local-sgd/dylu.steps-eq6.prop.ts';
import { exactDylu } from '../../../properties/async-local-sgd/_shared.ts';
import { mutant as M13 } from '../../../src/gate/mutants/M13-dylu-slowest-reference.ts';
import { builtinSubject } from '../../../src/subject/index.ts';
import { dyluSteps } from '../../../src/optimizers/async/index.ts';
import { expectHolds, killedBy } from './_helpers.ts';

describe('A-5D: DyLU step counts (eq. 6)', () => {
  it('holds exactly on the reference dyluSteps', async () => {
    const v = await expectHolds(spec);
    expect(v.evidence.worst?.difference).toBe(0);
  });

  it('the zero-step edge case: a worker slower than v_max / H gets 0 steps without the floor, 1 with it', () => {
    expect(exactDylu([25, 0.25], 50, 0)).toEqual([50, 0]);
    expect(dyluSteps([25, 0.25], 50, 0)).toEqual([50, 0]);
    expect((builtinSubject.dyluSteps as typeof dyluSteps)([25, 0.25], 50, 1)).toEqual([50, 1]);
  });

  it('teeth: mutant #13 (slowest worker as reference) gives the fastest more than H', async () => {
    const v = await killedBy(spec, M13);
    expect(Math.max(...(v.observed as number[]))).toBeGreaterThan(Math.max(...(v.bound as number[])));
  });
});
