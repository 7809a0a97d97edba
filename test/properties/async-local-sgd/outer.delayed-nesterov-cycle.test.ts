import { describe, expect, it } from 'vitest';
import { spec, type DnCycles } from '../../../properties/async-local-sgd/outer.delayed-nesterov-cycle.prop.ts';
import { mutant as M12 } from '../../../src/gate/mutants/M12-dn-momentum-every-push.ts';
import { expectHolds, expectWithinAllowance, killedBy } from './_helpers.ts';

describe('A-3: Delayed Nesterov cycle identity', () => {
  it('holds on the reference DN (c in [0, 1/N], N = 1..6, beta on [0, 15/16])', async () => expectWithinAllowance(await expectHolds(spec)));

  it('teeth: mutant #12 (momentum at every push) is caught on a cycle with N >= 2 and beta > 0', async () => {
    const v = await killedBy(spec, M12);
    const p = v.counterexample as DnCycles;
    expect(p.N).toBeGreaterThanOrEqual(2);
  });
});
