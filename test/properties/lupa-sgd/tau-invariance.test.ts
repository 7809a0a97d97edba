import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutant as M06 } from '../../../src/gate/mutants/M06-lupa-nominal-step-normaliser.ts';
import { builtinSubject } from '../../../src/subject/index.ts';
import { spec as L1 } from '../../../properties/lupa-sgd/iid.tau-invariance.prop.ts';
import { batchCases, spec as L2 } from '../../../properties/lupa-sgd/quadratic.batch-pb.prop.ts';
import { expectStatus, withInstances } from './_helpers.ts';

describe('L-1-tau-invariance', () => {
  it('holds on the reference optimizer (p = 1, and identical deterministic objectives)', async () => {
    const v = await expectStatus(L1, builtinSubject, 'holds');
    if (v.status === 'holds') expect(v.evidence.worst!.used).toBeLessThanOrEqual(1);
  });

  it('teeth: mutant #6 (truncated last round normalised by tau) moves xbar when tau does not divide T', async () => {
    const v = await expectStatus(L1, M06.apply(builtinSubject), 'violated');
    if (v.status === 'violated') {
      expect(v.observed as number).toBeGreaterThan(v.tolerance!.allowed);
      expect(v.bound).toBe(0);
    }
  });

  it('dropped hypothesis (p >= 2 workers sampling rows: stochastic gradients) is found violated by search', async () => {
    const stochastic = batchCases(fc.integer({ min: 1, max: 2 })).map((c) => ({ ...c, mode: 'identical' as const, noise: 0 }));
    const v = await expectStatus(withInstances(L1, 'L-1-tau-invariance-dropped', stochastic, (n) => n.startsWith('eta')), builtinSubject, 'violated');
    if (v.status === 'violated') {
      const c = v.counterexample as { p: number; B: number };
      expect([c.p >= 2, typeof c.B]).toEqual([true, 'number']);
    }
  });
});

describe('L-2-batch-pb', () => {
  it('holds on the reference optimizer (identical quadratic, full gradient + additive noise, p >= 2)', async () => {
    const v = await expectStatus(L2, builtinSubject, 'holds');
    if (v.status === 'holds') expect(v.evidence.nonVacuousRuns).toBe(v.runs);
  });

  it('teeth: mutant #6 breaks the identity', async () => {
    await expectStatus(L2, M06.apply(builtinSubject), 'violated');
  });

  it('dropped hypothesis C1 = 0 (row sampling: random Hessians, multiplicative noise) is found violated by search', async () => {
    const sampled = withInstances(L2, 'L-2-batch-pb-dropped', batchCases(fc.integer({ min: 1, max: 2 })), (n) => !n.startsWith('C1'));
    const v = await expectStatus(sampled, builtinSubject, 'violated');
    if (v.status === 'violated') expect(v.observed as number).toBeGreaterThan(1e-6);
  });
});
