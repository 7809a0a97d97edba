/**
 * Conformance checks (src/gate/conformance.ts, properties/conformance/C-1..C-3): the reference passes them, the
 * garbage-producing mutants fail them, and each rule of the trace contract is reported in one line naming the
 * capability, the rule and the values.
 */
import { describe, expect, it } from 'vitest';
import { spec as C1 } from '../../properties/conformance/any.trace-shape.prop.ts';
import { spec as C2 } from '../../properties/conformance/any.zero-weight-refused.prop.ts';
import { spec as C3 } from '../../properties/conformance/stationary.fixed-point.prop.ts';
import { checkTraceContract, checkZeroWeightRefused, expectedRounds, lossTolerance, traceProblems, type ConformanceCase } from '../../src/gate/conformance.ts';
import { mutant as m02 } from '../../src/gate/mutants/M02-uniform-weights.ts';
import { mutant as m03 } from '../../src/gate/mutants/M03-accumulator-not-reset.ts';
import { mutant as m04 } from '../../src/gate/mutants/M04-partial-all-clients.ts';
import { mutant as m11 } from '../../src/gate/mutants/M11-zero-weight-nan.ts';
import type { Trace } from '../../src/optimizers/types.ts';
import { builtinSubject } from '../../src/subject/index.ts';
import { checkTheorem, type AnyTheorem } from '../../src/spec/index.ts';
import { parseSeed } from '../../src/spec/seed.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';

const seed = parseSeed(process.env.LSGD_SEED ?? '42', 'LSGD_SEED');
const ci = { seed, profile: 'ci' as const };

const mk = (rows: number[][], y: number[]) => ({ X: { rows: rows.length, cols: 2, data: Float64Array.from(rows.flat()) }, y: Float64Array.from(y) });
const problem: FederatedDataset = { task: 'regression', d: 2, nodes: [mk([[1, 0], [0, 1], [1, 1]], [1, 2, 3]), mk([[1, -1]], [0.5])] };
const c: ConformanceCase = { problem, loss: { name: 'squared' }, w0: Float64Array.from([0.25, -0.5]), eta: 0.1, L: 2, R: 3, B: 1, seed: 0 };
const hyper = { loss: c.loss, eta: c.eta, L: c.L, R: c.R, w0: c.w0 };
const good = (): Trace => (builtinSubject.localGD as (p: FederatedDataset, h: object) => Trace)(problem, hyper);
const expectation = { problem, loss: c.loss, w0: c.w0, lastRound: 3 };

describe('conformance on the reference', () => {
  it.each([C1, C2, C3] as AnyTheorem[])('$id holds on the built-in subject', async (spec) => {
    const v = await checkTheorem(spec, { ...ci, subject: builtinSubject });
    expect(v.status).toBe('holds');
    expect(v.runs).toBe(spec.runsPerProfile.ci);
  });

  it('the reference trace has no breach', () => {
    expect(traceProblems('localGD', good(), expectation)).toEqual([]);
  });
});

describe('teeth: the conformance checks kill the garbage-producing mutants', () => {
  it.each([
    ['C-1 kills M02', C1 as AnyTheorem, m02, /localGD: trace\.loss\[\d+\] = .* but F\(models\[\d+\]\) with weights n_k\/N is/],
    ['C-2 kills M11', C2, m11, /bad-input contract broken: local[GS]+D returned a result \(final model \[NaN.*every node \(\d+\) reports 0 samples/],
    ['C-3 kills M03', C3, m03, /observed exceeds the bound at index [23]/],
    ['C-3 kills M04', C3, m04, /observed exceeds the bound at index [23]/],
  ] as [string, AnyTheorem, typeof m02, RegExp][])('%s', async (_name, spec, m, message) => {
    const v = await checkTheorem(spec, { ...ci, subject: m.apply(builtinSubject), shrink: false });
    expect(v.status).toBe('violated');
    if (v.status !== 'violated') return;
    expect(v.message).toMatch(message);
    expect(v.counterexample).toBeDefined();
  });
});

describe('traceProblems: one line per breach', () => {
  const breach = (edit: (t: Trace) => void, lastRound: number | undefined = 3): string[] => {
    const t = good();
    edit(t);
    return traceProblems('localGD', t, { ...expectation, lastRound });
  };
  it.each([
    ['a missing array', (t: Trace) => { (t as unknown as Record<string, unknown>).loss = undefined; }, 'localGD: trace.loss is undefined, not an array'],
    ['arrays of different lengths', (t: Trace) => { t.loss.pop(); }, 'localGD: trace.loss has 3 entries but trace.rounds has 4'],
    ['round 0 not first', (t: Trace) => { t.rounds = t.rounds.map((r) => r + 1); }, 'localGD: trace.rounds[0] = 1, expected 0 (the initial model)'],
    ['rounds not increasing', (t: Trace) => { t.rounds[2] = 1; }, 'localGD: trace.rounds is not strictly increasing: 1 then 1 at index 2'],
    ['a NaN model', (t: Trace) => { t.models[2] = Float64Array.from([Number.NaN, 0]); }, 'localGD: trace.models[2][0] = NaN is not finite (round 2)'],
    ['a model of the wrong length', (t: Trace) => { t.models[1] = new Float64Array(3); }, 'localGD: trace.models[1] has 3 entries, expected d = 2'],
    ['round 0 is not w0', (t: Trace) => { t.models[0] = Float64Array.from([0.25, -0.4999999999999999]); }, 'localGD: round 0 must be w0 bit for bit: models[0][1] = -0.4999999999999999 but w0[1] = -0.5'],
    ['communications decrease', (t: Trace) => { t.communications[3] = 1; }, 'localGD: trace.communications decreases: 4 then 1 at index 3'],
  ])('%s', (_name, edit, message) => {
    expect(breach(edit)).toEqual([message]);
  });

  it('a loss that is not F(w) with the default weights, with the values and the allowance', () => {
    const [p] = breach((t) => { t.loss[1] *= 1 + 1e-9; });
    expect(p).toMatch(/^localGD: trace\.loss\[1\] = .* but F\(models\[1\]\) with weights n_k\/N is .* \(\|diff\| .* > .*\)$/);
  });

  it('fewer records than rounds 0..R under record all', () => {
    expect(breach((t) => { for (const k of ['rounds', 'models', 'loss', 'communications', 'localSteps'] as const) t[k]!.pop(); }))
      .toEqual(['localGD: record "all" must give rounds [0, 1, 2, 3], got [0, 1, 2]']);
  });

  it('a subject that ignores record (every round where only the last was asked for)', () => {
    expect(traceProblems('localGD', good(), { ...expectation, record: 'last' }))
      .toEqual(['localGD: record "last" must give rounds [3], got [0, 1, 2, 3]']);
    expect(expectedRounds({ every: 2 }, 5)).toEqual([0, 2, 4, 5]);
    expect(expectedRounds([1, 3], 3)).toEqual([1, 3]);
  });

  it('not a trace at all', () => {
    expect(traceProblems('localGD', 3, expectation)).toEqual(['localGD: returned 3, not a Trace object']);
  });

  it('the loss allowance is a small multiple of eps and grows with the data scale', () => {
    const a = lossTolerance(problem, c.w0);
    const b = lossTolerance(problem, Float64Array.from([25, -50]));
    expect(a).toBeGreaterThan(0);
    expect(a).toBeLessThan(1e-12);
    expect(b).toBeGreaterThan(a);
  });
});

describe('plug-ins that break the contract yield a report, not a crash', () => {
  it('a plug-in that mutates w0 is caught', () => {
    const subject = { localGD: (p: FederatedDataset, h: { w0: Float64Array }) => { const t = good(); h.w0[0] = 7; return t; } };
    const w0 = Float64Array.from(c.w0);
    expect(() => checkTraceContract(subject, { ...c, w0 })).toThrow(/localGD: the run mutated its inputs/);
  });

  it('a throwing plug-in is a violation of C-1 that quotes its error', async () => {
    const subject = { localGD: () => { throw new Error('plugin: not implemented'); } };
    const v = await checkTheorem(C1, { ...ci, subject, shrink: false });
    expect(v.status).toBe('violated');
    if (v.status === 'violated') expect(v.message).toBe('subject threw: plugin: not implemented');
  });

  it('C-2 wants a one-line Error: a multi-line message or a thrown string is a breach', () => {
    const zero = { ...c, mode: 'no-samples', problem: { task: 'regression' as const, d: 2, nodes: [{ X: { rows: 0, cols: 2, data: new Float64Array(0) }, y: new Float64Array(0) }] } };
    expect(checkZeroWeightRefused(builtinSubject, zero)).toContain('localGD');
    expect(() => checkZeroWeightRefused({ localGD: () => { throw new Error('bad\ninput'); } }, zero)).toThrow(/localGD threw an Error with a multi-line message/);
    expect(() => checkZeroWeightRefused({ localGD: () => { throw 'bad input'; } }, zero)).toThrow(/localGD threw a non-Error \("bad input"\)/);
  });
});
