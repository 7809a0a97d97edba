import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eq5Coefficients, spec } from '../../../properties/async-local-sgd/outer.sequential-pushes-eq5.prop.ts';
import { mutant as M01 } from '../../../src/gate/mutants/M01-outer-delta-not-momentum.ts';
import { mutant as M07 } from '../../../src/gate/mutants/M07-momentum-ema.ts';
import { EPS } from '../../../src/numeric/index.ts';
import { expectHolds, expectWithinAllowance, killedBy } from './_helpers.ts';

describe('A-2: k equal pushes follow eq. 5', () => {
  it("k = 4 gives the paper's printed coefficients, and the move exceeds k synchronous steps for beta > 0", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 15 }).map((j) => j / 16), (beta) => {
        const { cg, cm } = eq5Coefficients(4, beta);
        // why: about 10 roundings of terms <= 4 on each side
        expect(Math.abs(cg - (4 + 4 * beta + 3 * beta ** 2 + 2 * beta ** 3 + beta ** 4))).toBeLessThanOrEqual(32 * EPS);
        expect(Math.abs(cm - beta ** 2 * (1 + beta + beta ** 2 + beta ** 3))).toBeLessThanOrEqual(32 * EPS);
        if (beta > 0) expect(cg).toBeGreaterThan(4 * (1 + beta));
      }),
    );
  });

  it('holds on the reference outer Nesterov', async () => expectWithinAllowance(await expectHolds(spec)));
  it('teeth: mutant #1 (step without the buffer)', async () => void (await killedBy(spec, M01)));
  it('teeth: mutant #7 (EMA momentum)', async () => void (await killedBy(spec, M07)));
});
