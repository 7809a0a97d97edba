import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutant as M06 } from '../../../src/gate/mutants/M06-lupa-nominal-step-normaliser.ts';
import { mutant as M08, shrunkPeriod } from '../../../src/gate/mutants/M08-sync-counter-per-block.ts';
import { mutant as P11 } from '../../../src/gate/mutants/P11-lupa-shared-rng-stream.ts';
import { plProblem } from '../../../src/arbitraries/index.ts';
import { lupaSGD } from '../../../src/optimizers/lupaSGD.ts';
import { builtinSubject } from '../../../src/subject/index.ts';
import type { RunFn, Trace } from '../../../src/optimizers/types.ts';
import { lsFromPl, SQUARED } from '../../../properties/lupa-sgd/lupa.support.ts';

const same = (a: Trace, b: Trace) => a.models.length === b.models.length && a.models.every((m, i) => m.every((x, j) => Object.is(x, b.models[i][j])));
const arb = fc.record({
  pr: plProblem({ kind: 'least-squares', sampling: 'iid', maxDim: 3, maxWorkers: 1 }),
  p: fc.integer({ min: 1, max: 4 }), rounds: fc.integer({ min: 1, max: 6 }), tau: fc.integer({ min: 1, max: 6 }),
  B: fc.constantFrom<number | 'full'>(1, 2, 'full'), noise: fc.constantFrom(0, 0.5), seed: fc.integer(),
});

describe('lupa-sgd mutants are the reference with ONE part swapped', () => {
  it('M06 (nominal-step normaliser) is the reference bit for bit when tau divides T (no truncated round)', () => {
    const run = M06.apply(builtinSubject).lupaSGD as RunFn<Parameters<typeof lupaSGD.run>[1]>;
    fc.assert(fc.property(arb, ({ pr, p, rounds, tau, B, noise, seed }) => {
      const pb = lsFromPl(pr);
      const h = { loss: SQUARED, eta: 1 / pb.R2, T: rounds * tau, tau, p, B, noise, seed };
      expect(same(run(pb.ds, h), lupaSGD.run(pb.ds, h))).toBe(true);
    }));
  });

  it('P11 (shared random stream) is the reference bit for bit with one worker', () => {
    const run = P11.apply(builtinSubject).lupaSGD as RunFn<Parameters<typeof lupaSGD.run>[1]>;
    fc.assert(fc.property(arb, ({ pr, rounds, tau, B, noise, seed }) => {
      const pb = lsFromPl(pr);
      const h = { loss: SQUARED, eta: 1 / pb.R2, T: rounds * tau + 1, tau, p: 1, B, noise, seed };
      expect(same(run(pb.ds, h), lupaSGD.run(pb.ds, h))).toBe(true);
    }));
  });

  it('M08 (per-block counter) is the reference run with tau replaced by ceil(tau/2); it leaves other capabilities alone', () => {
    const subject = M08.apply(builtinSubject);
    fc.assert(fc.property(arb, ({ pr, p, rounds, tau, B, seed }) => {
      const pb = lsFromPl(pr);
      const h = { loss: SQUARED, eta: 1 / pb.R2, T: rounds * tau, p, B, seed };
      expect(same((subject.lupaSGD as typeof lupaSGD.run)(pb.ds, { ...h, tau }), lupaSGD.run(pb.ds, { ...h, tau: shrunkPeriod(tau) }))).toBe(true);
    }));
    expect([shrunkPeriod(1), shrunkPeriod(2), shrunkPeriod(5)]).toEqual([1, 1, 3]);
    expect(subject.localGD).toBe(builtinSubject.localGD);
    expect(M08.affects).toEqual(['lupaSGD', 'adaLupaSGD']);
  });
});
