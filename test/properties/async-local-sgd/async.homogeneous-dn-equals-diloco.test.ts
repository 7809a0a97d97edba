import { describe, expect, it } from 'vitest';
import { spec, type HomogeneousRun } from '../../../properties/async-local-sgd/async.homogeneous-dn-equals-diloco.prop.ts';
import { mutant as M05 } from '../../../src/gate/mutants/M05-pseudo-gradient-sign.ts';
import { mutant as M12 } from '../../../src/gate/mutants/M12-dn-momentum-every-push.ts';
import { builtinSubject } from '../../../src/subject/index.ts';
import { expectHolds, expectViolated, expectWithinAllowance, killedBy, withoutHypothesis } from './_helpers.ts';

describe('A-4: homogeneous async DN (N = k, c = 0, pinned) = synchronous DiLoCo', () => {
  it('holds on the reference simulator', async () => expectWithinAllowance(await expectHolds(spec)));
  it('teeth: mutant #12 (vanilla per-push Nesterov)', async () => void (await killedBy(spec, M12)));
  it('teeth: mutant #5 (flipped pseudo-gradient)', async () => void (await killedBy(spec, M05)));

  it('dropped hypothesis: one worker twice as fast breaks the equivalence', async () => {
    const dropped = withoutHypothesis(spec, 'A-4-dropped-homogeneous', 'homogeneous speeds',
      spec.instances.map((p: HomogeneousRun) => ({ ...p, speeds: p.speeds.map((v, i) => (i === 0 ? 2 * v : v)) })));
    const v = await expectViolated(dropped, builtinSubject);
    expect((v.counterexample as HomogeneousRun).speeds.length).toBeGreaterThanOrEqual(2);
  });

  it('dropped hypothesis: N = k - 1 (cycles out of step with the rounds) breaks it', async () => {
    const dropped = withoutHypothesis(spec, 'A-4-dropped-n-equals-k', 'N = k',
      spec.instances.filter((p: HomogeneousRun) => p.speeds.length >= 3).map((p: HomogeneousRun) => ({ ...p, N: p.speeds.length - 1 })));
    await expectViolated(dropped, builtinSubject);
  });
});
