/**
 * The async mutants swap one part of the reference drivers (runAsyncWith / runDiLoCoWith, parts: outer, steps,
 * push). Swapping in the reference's own parts (makeOuter, dyluSteps, the identity push) must give the reference bit
 * for bit on every path of the drivers (eq. 2 and pinned shards, DyLU with parked workers, DN / Nesterov / SGD outer,
 * grace windows, minibatches, schedules): that shows each hook sits exactly where the reference uses the part, so a
 * mutant differs from the reference in its one part only. And each async mutant must change what it claims to change.
 */
import { describe, expect, it } from 'vitest';
import { dyluSteps, gaussianMixture, makeOuter, runAsync, runAsyncWith, runDiLoCo, runDiLoCoWith, softmaxRegression } from '../../../src/optimizers/async/index.ts';
import type { AsyncHyper, AsyncParts, AsyncProblem, AsyncTrace } from '../../../src/optimizers/async/index.ts';
import { builtinSubject } from '../../../src/subject/index.ts';
import { mutant as m01 } from '../../../src/gate/mutants/M01-outer-delta-not-momentum.ts';
import { mutant as m05 } from '../../../src/gate/mutants/M05-pseudo-gradient-sign.ts';
import { mutant as m07 } from '../../../src/gate/mutants/M07-momentum-ema.ts';
import { mutant as m12 } from '../../../src/gate/mutants/M12-dn-momentum-every-push.ts';
import { mutant as m13 } from '../../../src/gate/mutants/M13-dylu-slowest-reference.ts';

const data = gaussianMixture({ seed: 4, features: 5, classes: 3, n: 240, shards: 4, evalSize: 32 });
const problem: AsyncProblem = { model: softmaxRegression(5, 3), shards: data.shards, evalSet: data.evalSet };

const base: AsyncHyper = {
  k: 4, speeds: [4, 3, 1.5, 0.25], H: 6,
  inner: { kind: 'adamw', lr: 0.02, schedule: { etaMin: 0.002, warmup: 3, T: 40 } },
  outer: { kind: 'delayedNesterov', eps: 0.7, beta: 0.9, N: 4, c: 0.1 }, dylu: true, gracePeriod: 0.3,
  tMax: 200, seed: 9, shardMode: 'eq2', batchSize: 8,
};

const configs: [string, AsyncHyper][] = [
  ['eq. 2, DN + DyLU, grace window, AdamW with schedule', base],
  ['pinned, Nesterov, no DyLU, full batch', { ...base, outer: { kind: 'nesterov', eps: 0.5, beta: 0.8 }, dylu: false, shardMode: 'pinned', batchSize: undefined }],
  ['SGD outer with heavy ball, inner SGD, grace 0', { ...base, outer: { kind: 'sgd', eps: 1, beta: 0.5 }, inner: { kind: 'sgd', lr: 0.3 }, gracePeriod: 0 }],
  ['DyLU with minSteps 0 parks the straggler', { ...base, speeds: [4, 3, 1.5, 0.05], minSteps: 0 }],
];

function sameTrace(a: AsyncTrace, b: AsyncTrace): void {
  expect(a.algorithm).toBe(b.algorithm);
  expect(a.rounds).toEqual(b.rounds);
  expect(a.time).toEqual(b.time);
  expect(a.loss).toEqual(b.loss); // exact: toEqual compares numbers with Object.is
  expect(a.updates).toEqual(b.updates);
  expect(a.parked).toEqual(b.parked);
  expect(Array.from(a.theta)).toEqual(Array.from(b.theta));
  a.models.forEach((m, i) => expect(Array.from(m)).toEqual(Array.from(b.models[i])));
}

// the reference's own parts, passed through the hooks (copies, so the drivers cannot tell them from a mutant's)
const own: AsyncParts = { outer: (c) => makeOuter(c), steps: (v, H, m) => dyluSteps(v, H, m), push: (g) => g };

describe('the drivers with their own parts swapped in = the reference drivers, bit for bit', () => {
  it.each(configs)('runAsync: %s', (_name, hyper) => sameTrace(runAsyncWith(own)(problem, hyper), runAsync(problem, hyper)));
  it.each(configs)('runDiLoCo: %s', (_name, hyper) => sameTrace(runDiLoCoWith(own)(problem, hyper), runDiLoCo(problem, hyper)));
  it('throws the reference errors (validation comes before any part is used)', () => {
    const bad = { ...base, speeds: [1, 2] };
    expect(() => runAsyncWith(own)(problem, bad)).toThrow(/^runAsync: speeds has 2 entries but k = 4$/);
    expect(() => runDiLoCoWith(own)(problem, bad)).toThrow(/^runDiLoCo: speeds has 2 entries but k = 4$/);
  });
  it('the steps part is used only when hyper.dylu (as the reference uses DyLU only then)', () => {
    const noDylu: AsyncHyper = { ...base, dylu: false };
    const wrongSteps: AsyncParts = { steps: (v) => v.map(() => 1) };
    sameTrace(runAsyncWith(wrongSteps)(problem, noDylu), runAsync(problem, noDylu));
    expect(Array.from(runAsyncWith(wrongSteps)(problem, base).theta)).not.toEqual(Array.from(runAsync(problem, base).theta));
  });
});

describe('each async mutant changes the run it claims to change', () => {
  const final = (s: Record<string, unknown>, cap: 'asyncLocalSGD' | 'diloco', h: AsyncHyper) => Array.from((s[cap] as typeof runAsync)(problem, h).theta);
  const nesterov: AsyncHyper = { ...base, outer: { kind: 'nesterov', eps: 0.5, beta: 0.8 }, dylu: false };
  it.each([
    ['M01 (nesterov outer)', m01, nesterov],
    ['M05 (any outer)', m05, base],
    ['M07 (nesterov outer)', m07, nesterov],
    ['M12 (DN outer)', m12, base],
    ['M13 (DyLU)', m13, base],
  ] as const)('%s', (_name, m, hyper) => {
    const s = m.apply(builtinSubject);
    for (const cap of ['asyncLocalSGD', 'diloco'] as const) {
      expect(final(s, cap, hyper)).not.toEqual(final(builtinSubject, cap, hyper));
    }
  });
  it('M12 leaves a Nesterov run alone and M01/M07 leave a DN run alone (one part swapped)', () => {
    const nesterov2: AsyncHyper = { ...base, outer: { kind: 'nesterov', eps: 0.5, beta: 0.8 } };
    expect(final(m12.apply(builtinSubject), 'asyncLocalSGD', nesterov2)).toEqual(final(builtinSubject, 'asyncLocalSGD', nesterov2));
    expect(final(m01.apply(builtinSubject), 'asyncLocalSGD', base)).toEqual(final(builtinSubject, 'asyncLocalSGD', base));
    expect(final(m07.apply(builtinSubject), 'asyncLocalSGD', base)).toEqual(final(builtinSubject, 'asyncLocalSGD', base));
  });
});
