import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutant as M08 } from '../../../src/gate/mutants/M08-sync-counter-per-block.ts';
import { mutant as P41 } from '../../../src/gate/mutants/P41-ada-gap-ignores-fstar.ts';
import { linearTau } from '../../../src/optimizers/adaLupaSGD.ts';
import { builtinSubject, capability } from '../../../src/subject/index.ts';
import { adaCases, ruleTau, runAda, scheduleOf, tauCap } from '../../../properties/lupa-sgd/ada.support.ts';
import { override } from '../../../src/gate/mutants/types.ts';
import type { AdaLupaSGDHyper } from '../../../src/optimizers/adaLupaSGD.ts';
import type { RunFn, Trace } from '../../../src/optimizers/types.ts';
import type { FederatedDataset } from '../../../src/problems/index.ts';
import { CLAIMED, spec as rounds } from '../../../properties/lupa-sgd/ada.rounds.prop.ts';
import { spec as schedule } from '../../../properties/lupa-sgd/ada.schedule.prop.ts';
import { spec as monotone } from '../../../properties/lupa-sgd/ada.tau-monotone.prop.ts';
import { expectStatus, withInstances } from './_helpers.ts';

describe('L-7-ada-schedule', () => {
  it('the official run (T = 5469, tau_0 = 91, E = 10): alpha = 2T/((E+1) E tau_0) = 1.09, the first E intervals sum to <= T', () => {
    const T = 5469;
    const E = 10;
    const first = Array.from({ length: E }, (_, i) => linearTau(91, T, E, i));
    const sum = first.reduce((a, b) => a + b, 0);
    // docs/theory.md#24-ada-lupa-sgd: tau_0 E + T(E - 1)/(E + 1) = 5384.6 without ceilings; the integer schedule rounds each interval up
    expect([sum, T - sum, first[0], first[E - 1]]).toEqual([5389, 80, 91, 986]);
    expect(Math.abs((2 * T) / ((E + 1) * E * 91) - 1.09)).toBeLessThan(0.005);
  });

  it('holds on the reference optimizer (gap, loss-ratio and linear schedules)', async () => {
    await expectStatus(schedule, builtinSubject, 'holds');
  });

  it('teeth: the gap rule read from F instead of F - F* (P41) breaks the rule on the gap instances', async () => {
    const v = await expectStatus(schedule, P41.apply(builtinSubject), 'violated');
    if (v.status === 'violated') {
      expect(v.index).toBe(2);
      expect(typeof (v.counterexample as { schedule: unknown }).schedule === 'object' && 'gap' in (v.counterexample as { schedule: object }).schedule).toBe(true);
    }
  });

  it('condition (iii) under the gap rule: (max tau_i)^3 <= ceil(((F_0 - F*)/G)^{1/3})^3 tau_0^3, G the smallest traced gap (the corollary of the note)', () => {
    fc.assert(
      fc.property(adaCases(fc.constant<'gap'>('gap')), (c) => {
        const { tau, F } = scheduleOf(runAda(builtinSubject, c), c);
        const Fs = c.pb.Fstar;
        // rounds that ran their full rule period (the last, truncated one is bounded by the rest of the budget)
        let G = Infinity;
        for (let i = 0; i + 1 < tau.length; i++) G = Math.min(G, F[i] - Fs);
        if (!(G > 0) || tau.length < 2) return;
        const r = (c.pb.n + c.pb.d + 2) * Number.EPSILON;
        if (!(G > 2 * r * F[0])) return; // a gap within rounding of F* puts no bound on the next period (the rule's Infinity)
        const cap = Math.ceil(Math.cbrt((F[0] * (1 + r) - Fs) / (G - 2 * r * F[0]))) * c.tau0;
        for (let i = 0; i + 1 < tau.length; i++) expect(tau[i]).toBeLessThanOrEqual(cap);
      }),
      { numRuns: 40 },
    );
  });

  it('teeth: mutant #8 (per-block sync counter: tau_0 halved) breaks the rule', async () => {
    const v = await expectStatus(schedule, M08.apply(builtinSubject), 'violated');
    if (v.status === 'violated') expect(v.index).toBe(2);
  });

  it('teeth: a run that stops one round early (an off-by-one loop bound) breaks sum tau_i = T with no rule mismatch', async () => {
    const ada = capability<RunFn<AdaLupaSGDHyper>>(builtinSubject, 'adaLupaSGD');
    const early = override(builtinSubject, {
      adaLupaSGD: (problem: FederatedDataset, h: AdaLupaSGDHyper): Trace => {
        const tr = ada(problem, h);
        const keep = Math.max(2, tr.models.length - 1); // drop the final round; a one-round run is left as it is
        const cut = <T>(a: T[] | undefined): T[] | undefined => a?.slice(0, keep);
        return { ...tr, rounds: tr.rounds.slice(0, keep), models: tr.models.slice(0, keep), loss: tr.loss.slice(0, keep), communications: tr.communications.slice(0, keep), localSteps: cut(tr.localSteps) };
      },
    });
    const v = await expectStatus(schedule, early, 'violated');
    if (v.status === 'violated') {
      expect(v.index).toBe(1); // -sum tau > -T
      expect((v.observed as number[])[2]).toBe(0); // every round it did run is its rule
    }
  });

  it('corollary (iii) as derived in the note: the rule interval never exceeds the cap ceil((F_0/F*)^{1/3}) tau_0 computed from the instance', () => {
    fc.assert(
      fc.property(adaCases(fc.constant<'loss-ratio' | 'linear'>('loss-ratio')), (c) => {
        const { tau, F } = scheduleOf(runAda(builtinSubject, c), c);
        let done = 0;
        for (let i = 0; i < tau.length; i++) {
          expect(ruleTau(c, i, F[0], F[i], done)[1]).toBeLessThanOrEqual(tauCap(c));
          done += tau[i];
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('L-7-ada-monotone', () => {
  it('holds on the reference optimizer', async () => {
    await expectStatus(monotone, builtinSubject, 'holds');
  });

  it("dropped hypothesis (the code's linear schedule ignores the loss): found violated by search when noise lifts F", async () => {
    const linear = withInstances(monotone, 'L-7-ada-monotone-dropped', adaCases(fc.constant<'loss-ratio' | 'linear'>('linear')));
    const v = await expectStatus(linear, builtinSubject, 'violated');
    if (v.status === 'violated') expect(typeof (v.counterexample as { schedule: unknown }).schedule).toBe('object');
  });
});

describe('L-7-ada-rounds', () => {
  it(`holds on the reference optimizer (claimed frequency ${CLAIMED})`, async () => {
    const v = await expectStatus(rounds, builtinSubject, 'holds');
    if (v.status === 'holds') expect(v.evidence.frequency!.successes / v.evidence.frequency!.n).toBeGreaterThanOrEqual(CLAIMED);
  });

  it('dropped hypothesis (start at a minimiser: the loss cannot fall, the multiplier stays 1): refuted', async () => {
    const atOptimum = adaCases(fc.constant<'loss-ratio' | 'linear'>('loss-ratio')).map((c) => ({ ...c, x0: Float64Array.from(c.pb.xStar) }));
    const v = await expectStatus(withInstances(rounds, 'L-7-ada-rounds-dropped', atOptimum, (n) => n.startsWith('loss-ratio')), builtinSubject, 'violated');
    if (v.status === 'violated') expect(v.observed as number).toBeLessThan(CLAIMED);
  });
});
