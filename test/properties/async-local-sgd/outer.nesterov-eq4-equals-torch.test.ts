import { describe, expect, it } from 'vitest';
import { spec, type NesterovPushes } from '../../../properties/async-local-sgd/outer.nesterov-eq4-equals-torch.prop.ts';
import { mutant as M01 } from '../../../src/gate/mutants/M01-outer-delta-not-momentum.ts';
import { mutant as M07 } from '../../../src/gate/mutants/M07-momentum-ema.ts';
import { expectHolds, expectWithinAllowance, killedBy } from './_helpers.ts';

describe('A-1: outer Nesterov = PyTorch nesterov SGD', () => {
  it('holds on the reference outer Nesterov', async () => {
    const v = await expectHolds(spec);
    expect(v.runs).toBe(50);
    expectWithinAllowance(v);
  });

  it('teeth: mutant #1 (step uses g, not the buffer) is caught from the second push on', async () => {
    const v = await killedBy(spec, M01);
    const p = v.counterexample as NesterovPushes;
    // the first push from buf = 0 is identical (buf = g), so the shrunk case needs two pushes and beta > 0
    expect(p.pushes.length).toBeGreaterThanOrEqual(2);
    expect(p.beta).toBeGreaterThan(0);
  });

  it('teeth: mutant #7 (EMA momentum) is caught at the first push with beta > 0', async () => {
    const v = await killedBy(spec, M07);
    expect((v.counterexample as NesterovPushes).beta).toBeGreaterThan(0);
  });
});
