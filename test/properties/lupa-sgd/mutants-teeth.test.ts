/**
 * Teeth of the LUPA / ADA-LUPA properties against the mutants planted beyond Local-GD: M14-lupa-stale-gradient
 * (gradient at the last synchronisation's model), P12-ada-inverted-loss-ratio (F_i / F_0 in the poster's rule), and
 * M10-lupa-no-restart (a worker keeps its own model after a synchronisation), killed only by L-1-sync-every-step: the
 * tests pin why (it is the reference under the identities' hypotheses) and that it is nevertheless a real bug.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutant as M14L } from '../../../src/gate/mutants/M14-lupa-stale-gradient.ts';
import { mutant as P12 } from '../../../src/gate/mutants/P12-ada-inverted-loss-ratio.ts';
import { mutant as M10L } from '../../../src/gate/mutants/M10-lupa-no-restart.ts';
import { spec as syncEveryStep, syncCases } from '../../../properties/lupa-sgd/shards.sync-every-step.prop.ts';
import { plProblem } from '../../../src/arbitraries/index.ts';
import { matFromRows } from '../../../src/numeric/types.ts';
import type { FederatedDataset } from '../../../src/problems/types.ts';
import { lossRatioMultiplier } from '../../../src/optimizers/adaLupaSGD.ts';
import { lupaSGD } from '../../../src/optimizers/lupaSGD.ts';
import { builtinSubject } from '../../../src/subject/index.ts';
import type { RunFn, Trace } from '../../../src/optimizers/types.ts';
import { lsFromPl, SQUARED } from '../../../properties/lupa-sgd/lupa.support.ts';
import { spec as L1 } from '../../../properties/lupa-sgd/iid.tau-invariance.prop.ts';
import { spec as L2 } from '../../../properties/lupa-sgd/quadratic.batch-pb.prop.ts';
import { CLAIMED, spec as rounds } from '../../../properties/lupa-sgd/ada.rounds.prop.ts';
import { spec as schedule } from '../../../properties/lupa-sgd/ada.schedule.prop.ts';
import { expectStatus, withInstances } from './_helpers.ts';

type LupaRun = RunFn<Parameters<typeof lupaSGD.run>[1]>;
const same = (a: Trace, b: Trace) => a.models.length === b.models.length && a.models.every((m, i) => m.every((x, j) => Object.is(x, b.models[i][j])));
const arb = fc.record({
  pr: plProblem({ kind: 'least-squares', sampling: 'iid', maxDim: 3, maxWorkers: 1 }),
  p: fc.integer({ min: 2, max: 4 }), rounds: fc.integer({ min: 2, max: 6 }), tau: fc.integer({ min: 1, max: 6 }),
  B: fc.constantFrom<number | 'full'>(1, 2, 'full'), noise: fc.constantFrom(0, 0.5), seed: fc.integer(),
});

describe('M14-lupa-stale-gradient (gradient at the last synchronisation, docs/planted-bugs.md#m14-lupa-stale-gradient in LUPA-SGD)', () => {
  const run = M14L.apply(builtinSubject).lupaSGD as LupaRun;

  it('is the reference bit for bit at tau = 1 (one local step: the stale and current models coincide)', () => {
    fc.assert(fc.property(arb, ({ pr, p, rounds: r, B, noise, seed }) => {
      const pb = lsFromPl(pr);
      const h = { loss: SQUARED, eta: 1 / pb.R2, T: r, tau: 1, p, B, noise, seed };
      expect(same(run(pb.ds, h), lupaSGD.run(pb.ds, h))).toBe(true);
    }));
    expect(M14L.affects).toEqual(['lupaSGD']);
  });

  it('teeth: L-1-tau-invariance is violated (with p = 1 the run now depends on tau)', async () => {
    await expectStatus(L1, M14L.apply(builtinSubject), 'violated');
  });

  it('teeth: L-2-batch-pb is violated', async () => {
    await expectStatus(L2, M14L.apply(builtinSubject), 'violated');
  });
});

describe('P12-ada-inverted-loss-ratio (F_i / F_0 in the poster rule: tau stays tau_0 while the loss falls)', () => {
  const subject = P12.apply(builtinSubject);

  it('the swapped multiplier is 1 whenever the loss is below F_0 (the reference one grows)', () => {
    // reference (F_0 = 1, F_i = 1/27): 3; the mutant calls lossRatioMultiplier(F_i, F_0): 1; and it grows only when F_i > F_0
    expect([lossRatioMultiplier(1, 1 / 27), lossRatioMultiplier(1 / 27, 1), lossRatioMultiplier(8, 1)]).toEqual([3, 1, 2]);
    expect(subject.lupaSGD).toBe(builtinSubject.lupaSGD);
  });

  it('teeth: L-7-ada-rounds is violated (ADA = LUPA(tau_0): no fewer averagings)', async () => {
    const v = await expectStatus(rounds, subject, 'violated');
    if (v.status === 'violated') expect(v.observed as number).toBeLessThan(CLAIMED / 2);
  });

  it('teeth: L-7-ada-schedule is violated (tau_i is not the poster rule)', async () => {
    await expectStatus(schedule, subject, 'violated');
  });
});

describe('M10-lupa-no-restart (docs/planted-bugs.md#m10-lupa-no-restart in LUPA-SGD: a worker is not restarted from the average)', () => {
  const run = M10L.apply(builtinSubject).lupaSGD as LupaRun;

  it("blind spot: it is the reference bit for bit under L-1's hypotheses (p = 1, or identical full-gradient noise-free workers)", () => {
    fc.assert(fc.property(arb, ({ pr, p, rounds: r, tau, B, noise, seed }) => {
      const pb = lsFromPl(pr);
      const one = { loss: SQUARED, eta: 1 / pb.R2, T: r * tau + 1, tau, p: 1, B, noise, seed };
      expect(same(run(pb.ds, one), lupaSGD.run(pb.ds, one))).toBe(true);
      const identical = { ...one, p, B: 'full' as const, noise: 0 };
      const a = run(pb.ds, identical).models;
      const b = lupaSGD.run(pb.ds, identical).models;
      a.forEach((m, i) => m.forEach((x, j) => expect(Math.abs(x - b[i][j])).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(b[i][j])))));
    }));
  });

  it('yet it is a bug: on pinned non-IID shards with full gradients it converges to the mean of the shard minimisers, not x*', () => {
    // F = mean of (2x)^2 and (x - 2)^2: x* = 0.4; shard minimisers 0 and 2, whose mean is 1
    const ds: FederatedDataset = { task: 'regression', d: 1, nodes: [{ X: matFromRows([[2]]), y: Float64Array.of(0) }, { X: matFromRows([[1]]), y: Float64Array.of(2) }] };
    const h = { loss: SQUARED, eta: 0.1, T: 400, tau: 1, p: 2, B: 'full' as const, sampling: 'shards' as const, seed: 3 };
    const reference = lupaSGD.run(ds, h).models.at(-1)![0];
    const mutated = run(ds, h).models.at(-1)![0];
    expect(Math.abs(reference - 0.4)).toBeLessThan(1e-9);
    expect(Math.abs(mutated - 1)).toBeLessThan(1e-9);
  });
});

describe('L-1-sync-every-step (tau = 1 on pinned shards is centralized GD on the pooled loss)', () => {
  it('holds on the reference optimizer, every run non-vacuous', async () => {
    const v = await expectStatus(syncEveryStep, builtinSubject, 'holds');
    if (v.status === 'holds') expect(v.evidence.worst!.used).toBeLessThanOrEqual(1);
  });

  it('teeth: M10-lupa-no-restart is violated (the average of per-shard GD chains is not the GD path)', async () => {
    const v = await expectStatus(syncEveryStep, M10L.apply(builtinSubject), 'violated');
    if (v.status === 'violated') expect(v.observed as number).toBeGreaterThan(1e3 * v.tolerance!.allowed);
  });

  it('dropped hypothesis tau = 1 (tau in [2, T]: client drift between averagings) is found violated by search', async () => {
    const drift = withInstances(syncEveryStep, 'L-1-sync-every-step-dropped', syncCases(fc.integer({ min: 2, max: 40 })), (n) => !n.startsWith('tau'));
    const v = await expectStatus(drift, builtinSubject, 'violated');
    if (v.status === 'violated') expect((v.counterexample as { tau: number }).tau).toBeGreaterThanOrEqual(2);
  });
});
