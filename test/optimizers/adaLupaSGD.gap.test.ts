import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plProblem } from '../../src/arbitraries/index.ts';
import { adaLupaSGD, gapMultiplier, lossRatioMultiplier } from '../../src/optimizers/adaLupaSGD.ts';
import { lsFromPl, SQUARED } from '../../properties/lupa-sgd/lupa.support.ts';

describe('ADA-LUPA-SGD gap rule', () => {
  it('gapMultiplier: max(1, ceil(cbrt((F0 - F*)/(Fi - F*)))), all remaining steps at the optimum, 1 when started there', () => {
    expect(gapMultiplier(9, 2, 1)).toBe(2); // cbrt(8/1) = 2
    expect(gapMultiplier(28, 2, 1)).toBe(3); // cbrt(27) = 3 exactly
    expect(gapMultiplier(29, 2, 1)).toBe(4);
    expect(gapMultiplier(5, 6, 1)).toBe(1); // the gap grew: never below 1
    expect(gapMultiplier(5, 1, 1)).toBe(Infinity);
    expect(gapMultiplier(1, 1, 1)).toBe(1);
    // the loss ratio is the gap rule with F* = 0, and saturates at cbrt(F0/F*) when F* > 0
    expect(gapMultiplier(9, 2, 0)).toBe(lossRatioMultiplier(9, 2));
    expect(lossRatioMultiplier(9, 1 + 1e-12)).toBe(3);
    expect(gapMultiplier(9, 1 + 1e-12, 1)).toBe(Math.ceil(Math.cbrt(8 / 1e-12)));
  });

  it('the trace follows the rule from the loss at each round start; the summary names the schedule and F*', () => {
    fc.assert(
      fc.property(plProblem({ kind: 'least-squares', sampling: 'iid', maxDim: 3, maxWorkers: 1 }), fc.integer({ min: 1, max: 4 }), fc.integer(), (pr, p, seed) => {
        const pb = lsFromPl(pr);
        const x0 = Float64Array.from(pb.xStar, (x) => x + 2);
        const T = 60;
        const tr = adaLupaSGD.run(pb.ds, {
          loss: SQUARED, eta: 0.5 / pb.R2, T, p, B: 1, noise: 0.1, tau0: 2, schedule: { gap: { Fstar: pb.Fstar } }, w0: x0, seed, record: 'all',
        });
        const ls = tr.localSteps!;
        expect(ls.at(-1)).toBe(T);
        for (let i = 0; i + 1 < ls.length; i++) {
          const want = gapMultiplier(tr.loss[0], tr.loss[i], pb.Fstar) * 2;
          expect(ls[i + 1] - ls[i]).toBe(Math.min(want, T - ls[i]));
        }
        expect(tr.extra).toMatchObject({ schedule: 'gap', Fstar: pb.Fstar, tau0: 2 });
      }),
      { numRuns: 30 },
    );
  });

  it('bad schedules are one-line errors naming the value', () => {
    const pr = fc.sample(plProblem({ kind: 'least-squares', sampling: 'iid', maxDim: 2, maxWorkers: 1 }), { seed: 1, numRuns: 1 })[0];
    const pb = lsFromPl(pr);
    const h = { loss: SQUARED, eta: 0.5 / pb.R2, T: 10, B: 1, tau0: 2 };
    expect(() => adaLupaSGD.run(pb.ds, { ...h, schedule: { gap: { Fstar: NaN } } })).toThrow(/^adaLupaSGD: schedule.gap.Fstar must be a finite number \(the certified optimum\), got NaN$/);
    expect(() => adaLupaSGD.run(pb.ds, { ...h, w0: pb.xStar, schedule: { gap: { Fstar: pb.Fstar + 1 } } })).toThrow(/schedule.gap.Fstar = .* exceeds F\(x0\) = .*; it is not the optimum/);
    expect(() => adaLupaSGD.run(pb.ds, { ...h, schedule: { weird: 1 } as never })).toThrow(/schedule must be 'loss-ratio', \{ gap: \{ Fstar \} \} or \{ linear: \{ E \} \}, got/);
  });
});
