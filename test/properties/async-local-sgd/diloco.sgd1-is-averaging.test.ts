import { describe, it } from 'vitest';
import { spec, type AveragingRun } from '../../../properties/async-local-sgd/diloco.sgd1-is-averaging.prop.ts';
import { mutant as M05 } from '../../../src/gate/mutants/M05-pseudo-gradient-sign.ts';
import { mutant as M13 } from '../../../src/gate/mutants/M13-dylu-slowest-reference.ts';
import { builtinSubject } from '../../../src/subject/index.ts';
import { expectHolds, expectViolated, expectWithinAllowance, killedBy, withoutHypothesis } from './_helpers.ts';

describe('A-8: DiLoCo with outer SGD(1, 0) = parameter averaging', () => {
  it('holds on the reference DiLoCo', async () => expectWithinAllowance(await expectHolds(spec)));
  it('teeth: mutant #5 (flipped pseudo-gradient)', async () => void (await killedBy(spec, M05)));
  it('teeth: mutant #13 (DyLU from the slowest worker)', async () => void (await killedBy(spec, M13)));
  it('dropped hypothesis: outer lr 1/2 is not averaging', async () => {
    const dropped = withoutHypothesis(spec, 'A-8-dropped-lr-1', 'outer SGD with eps = 1, beta = 0',
      spec.instances.map((p: AveragingRun) => ({ ...p, outerEps: 0.5 })));
    await expectViolated(dropped, builtinSubject);
  });
});
