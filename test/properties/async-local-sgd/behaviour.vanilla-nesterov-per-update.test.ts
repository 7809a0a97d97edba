/**
 * The paper's claim A-B2 fails on our toy: per-push Nesterov at the DN per-push scale eps/k ends with a LOWER loss
 * than synchronous DiLoCo on essentially every instance (0/200 on a 200-instance sample; proofs-notes/A-B2-...).
 * The test asserts what is true: the reference is refuted, with an observed frequency far below the claim.
 */
import { describe, expect, it } from 'vitest';
import { spec } from '../../../properties/async-local-sgd/behaviour.vanilla-nesterov-per-update.prop.ts';
import { mutant as M05 } from '../../../src/gate/mutants/M05-pseudo-gradient-sign.ts';
import { builtinSubject } from '../../../src/subject/index.ts';
import { expectHolds, expectViolated } from './_helpers.ts';

describe('A-B2: vanilla async Nesterov worse per update than sync DiLoCo (frequency >= 0.9)', () => {
  it('is refuted on the reference simulator: on this convex, progress-limited toy vanilla async Nesterov is better', async () => {
    const v = await expectViolated(spec, builtinSubject);
    expect(v.observed as number).toBeLessThanOrEqual(0.25);
    expect(v.message).toMatch(/^frequency claim refuted: \d+\/40 successes/);
  });

  it('is not a constant verdict: when every async run is worse (flipped pseudo-gradient, both diverge) it holds', async () => {
    const v = await expectHolds(spec, M05.apply(builtinSubject));
    expect(v.evidence.frequency!.successes).toBeGreaterThanOrEqual(36); // 200/200 on a 200-instance sample
  });
});
