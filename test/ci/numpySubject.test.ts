/**
 * ci/examples/numpy_subject.py, an independent numpy implementation, against the TypeScript reference on the same
 * inputs and the same random draws (the reference stream's, carried in hyper.draws as ci/PROTOCOL.md specifies).
 * Agreement is to rounding (recurrenceTolerance in _python.ts derives the bound); each planted bug is shown to break
 * that agreement or the sampler's rules, so the comparison has teeth.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { adaLupaSGD, centralizedGD, centralizedSGD, localGD, localSGD, lupaSGD, modifiedLocalGD } from '../../src/optimizers/index.ts';
import type { Trace } from '../../src/optimizers/types.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';
import {
  errorOf, gridDataset, maxDiff, NUMPY_SUBJECT, problemJson, recurrenceTolerance, referenceDraws, resultOf, scaleOf, session, smoothness, SESSION_TIMEOUT_MS,
} from './_python.ts';
import type { Session } from './_python.ts';

interface Case {
  readonly cap: string;
  readonly ds: FederatedDataset;
  readonly hyper: Record<string, unknown>;
  readonly draws?: Record<string, unknown>;
  readonly reference: () => Trace;
  /** sequential updates on the longest path (for the tolerance) */
  readonly steps: number;
}

const reg = gridDataset(1, 3, [3, 1, 5]);
const cls = gridDataset(2, 3, [2, 4, 3], 'classification');
const single = gridDataset(3, 3, [1, 1, 1], 'classification'); // one row per node: exact projections on both sides
const N = 9;
const etaReg = 1 / smoothness(reg);
const etaCls = 1 / smoothness(cls);
const w0 = [0.25, -0.5, 0.125];
const run = (opt: { run: (ds: FederatedDataset, h: never) => Trace }, ds: FederatedDataset, h: Record<string, unknown>) => () =>
  opt.run(ds, { ...h, ...(h.w0 ? { w0: Float64Array.from(h.w0 as number[]) } : {}) } as never);

const CASES: Case[] = [
  { cap: 'centralizedGD', ds: reg, hyper: { loss: { name: 'squared', l2: 0.125 }, eta: etaReg / 2, T: 8, w0 }, steps: 8 },
  { cap: 'centralizedSGD', ds: reg, hyper: { loss: { name: 'squared' }, eta: etaReg, T: 8, B: 2, seed: 11 }, draws: referenceDraws({ seed: 11, rows: [N], steps: 8, B: 2 }), steps: 8 },
  { cap: 'localGD', ds: reg, hyper: { loss: { name: 'squared' }, eta: etaReg, L: [2, 3, 1], R: 4 }, steps: 16 },
  { cap: 'localGD', ds: cls, hyper: { loss: { name: 'logistic' }, eta: etaCls, L: 2, R: 3, alpha: [1, 0, 3], w0, record: [0, 2, 3] }, steps: 9 },
  { cap: 'localGD', ds: reg, hyper: { loss: { name: 'squared' }, eta: etaReg, L: 2, R: 5, participants: 2, seed: 3, alpha: 'uniform', record: { every: 2 } }, draws: referenceDraws({ seed: 3, R: 5, eligible: [0, 1, 2], m: 2 }), steps: 15 },
  { cap: 'localSGD', ds: reg, hyper: { loss: { name: 'squared' }, eta: etaReg, L: 3, R: 3, B: 2, participants: 2, seed: 4 }, draws: referenceDraws({ seed: 4, rows: [3, 1, 5], steps: 9, B: 2, R: 3, eligible: [0, 1, 2], m: 2 }), steps: 12 },
  { cap: 'modifiedLocalGD', ds: cls, hyper: { variant: 'normalized', loss: { name: 'logistic' }, eta: etaCls, L: [1, 3, 2], etaG: 2 * etaCls, R: 4, record: 'last' }, steps: 16 },
  { cap: 'modifiedLocalGD', ds: single, hyper: { variant: 'avg', R: 4 }, steps: 8 },
  { cap: 'modifiedLocalGD', ds: single, hyper: { variant: 'anchor', R: 5, w0 }, steps: 10 },
  { cap: 'lupaSGD', ds: reg, hyper: { loss: { name: 'squared' }, eta: etaReg, T: 7, tau: 3, p: 2, B: 2, noise: 0.125, seed: 9 }, draws: referenceDraws({ seed: 9, rows: [N, N], steps: 7, B: 2, noiseD: 3 }), steps: 10 },
  { cap: 'lupaSGD', ds: reg, hyper: { loss: { name: 'squared' }, eta: { a: 1, b: 4, mu: 1 / etaReg }, T: 6, tau: 2, sampling: 'shards', B: 'full' }, steps: 9 },
  { cap: 'adaLupaSGD', ds: reg, hyper: { loss: { name: 'squared' }, eta: etaReg, T: 9, tau0: 1, sampling: 'shards', B: 'full' }, steps: 12 },
  { cap: 'adaLupaSGD', ds: reg, hyper: { loss: { name: 'squared' }, eta: etaReg, T: 10, tau0: 2, schedule: { linear: { E: 3 } }, p: 2, B: 3, seed: 2 }, draws: referenceDraws({ seed: 2, rows: [N, N], steps: 10, B: 3 }), steps: 14 },
].map((c) => {
  const opt = { centralizedGD, centralizedSGD, localGD, localSGD, modifiedLocalGD, lupaSGD, adaLupaSGD }[c.cap]!;
  return { ...c, reference: run(opt as never, c.ds, c.hyper) };
});

const request = (id: number, c: Case) => ({ id, method: 'run', params: { capability: c.cap, problem: problemJson(c.ds), hyper: { ...c.hyper, ...(c.draws ? { draws: c.draws } : {}) } } });
/** Terms of one update: d-term scores of up to N + K rows and a K-model aggregation (see recurrenceTolerance). */
const terms = (ds: FederatedDataset) => ds.d * (ds.nodes.reduce((a, nd) => a + nd.X.rows, 0) + ds.nodes.length + ds.d);

function compare(got: Trace, want: Trace, c: Case): { diff: number; tol: number } {
  expect(got.rounds).toEqual(want.rounds);
  expect(got.communications).toEqual(want.communications);
  expect(got.localSteps).toEqual(want.localSteps);
  const S = scaleOf(want.models);
  const tol = recurrenceTolerance(c.steps, terms(c.ds), S);
  let diff = 0;
  got.models.forEach((m, i) => (diff = Math.max(diff, maxDiff(m, want.models[i]))));
  got.loss.forEach((l, i) => (diff = Math.max(diff, Math.abs(l - want.loss[i]) / Math.max(1, Math.abs(want.loss[i])) / S)));
  return { diff, tol };
}

describe('numpy subject vs the TypeScript reference, same draws', () => {
  let s: Session;
  beforeAll(() => {
    s = session(NUMPY_SUBJECT, [], [{ id: 0, method: 'hello', params: { protocol: 'lsgd-spec/2' } }, ...CASES.map((c, i) => request(i + 1, c))]);
  }, SESSION_TIMEOUT_MS);

  it('declares the federated capabilities, f64 and the gate sampler', () => {
    expect(resultOf(s, 0)).toMatchObject({ capabilities: ['adaLupaSGD', 'centralizedGD', 'centralizedSGD', 'localGD', 'localSGD', 'lupaSGD', 'modifiedLocalGD'], precision: 'f64', sampler: 'gate' });
  });

  CASES.forEach((c, i) => {
    it(`${c.cap} ${JSON.stringify(c.hyper).slice(0, 90)}: models and losses agree to rounding`, () => {
      const got = resultOf(s, i + 1) as Trace;
      const want = c.reference();
      const { diff, tol } = compare(got, want, c);
      expect(diff).toBeLessThanOrEqual(tol);
      if (want.extra?.tau) expect(got.extra?.tau).toEqual(want.extra.tau);
      if (want.extra?.participants) expect(got.extra?.participants).toEqual(want.extra.participants);
    });
  });
});

describe('numpy subject: bad input answers the reference rule as an error', () => {
  const empty: FederatedDataset = { task: 'regression', d: 2, nodes: [{ X: { rows: 0, cols: 2, data: new Float64Array(0) }, y: new Float64Array(0) }] };
  const emptyJson = { task: 'regression', d: 2, nodes: [{ X: [], y: [] }] };
  const h = { loss: { name: 'squared' }, eta: 0.1, L: 1, R: 2 };
  let s: Session;
  beforeAll(() => {
    s = session(NUMPY_SUBJECT, [], [
      { id: 1, method: 'run', params: { capability: 'localGD', problem: emptyJson, hyper: h } },
      { id: 2, method: 'run', params: { capability: 'localGD', problem: problemJson(reg), hyper: { ...h, alpha: [0, 0, 0] } } },
      { id: 3, method: 'run', params: { capability: 'localGD', problem: problemJson(reg), hyper: { ...h, record: [0, 5] } } },
      { id: 4, method: 'run', params: { capability: 'localGD', problem: problemJson(reg), hyper: { ...h, eta: -1 } } },
      { id: 5, method: 'run', params: { capability: 'localSGD', problem: problemJson(reg), hyper: { ...h, B: 2 } } },
      { id: 6, method: 'run', params: { capability: 'centralizedGD', problem: problemJson(reg), hyper: { loss: { name: 'squared' }, eta: 1e3, T: 400 } } },
    ]);
  }, SESSION_TIMEOUT_MS);

  it('a zero total aggregation weight is an error naming the rule (C-2), as the reference throws', () => {
    expect(() => localGD.run(empty, h as never)).toThrow(/total aggregation weight is 0/);
    expect(errorOf(s, 1)).toMatch(/^ValueError: localGD: the total aggregation weight is 0, .*every node \(1\) reports 0 samples/);
    expect(errorOf(s, 2)).toMatch(/^ValueError: localGD: the total aggregation weight is 0, .*the weights are \[0, 0, 0\]/);
  });

  it('a record past the end, a bad step size, missing draws and a diverged run are one-line errors, never NaN', () => {
    expect(errorOf(s, 3)).toBe('ValueError: localGD: record asks for round 5 but the run ended after round 2');
    expect(errorOf(s, 4)).toBe('ValueError: localGD: eta must be positive and finite, got -1');
    expect(errorOf(s, 5)).toMatch(/^ValueError: localSGD: hyper\.draws\.minibatches\[0\]\[0\] is missing/);
    expect(errorOf(s, 6)).toMatch(/^ValueError: centralizedGD: (the global model is not finite|the squared loss derivative)/);
  });
});

describe('numpy subject: the planted bugs break agreement with the reference (the comparison has teeth)', () => {
  const lgd = CASES[2]; // localGD on nodes of sizes 3, 1, 5 with n_k/N weights
  const sgd = CASES[1]; // centralizedSGD, B = 2 of N = 9
  const part = CASES[5]; // localSGD, 2 of 3 nodes per round
  const many = { ...part, hyper: { ...part.hyper, R: 12 }, draws: referenceDraws({ seed: 4, rows: [3, 1, 5], steps: 36, B: 2, R: 12, eligible: [0, 1, 2], m: 2 }) };
  const bugged = (bug: string, c: Case) => session(NUMPY_SUBJECT, ['--bug', bug], [request(1, c)]);

  it('--bug uniform (1/K weights on nodes of sizes 3, 1, 5) and --bug sgd-step (steps B/N too short) miss the reference by far', () => {
    for (const [bug, c] of [['uniform', lgd], ['sgd-step', sgd]] as const) {
      const { diff, tol } = compare(resultOf(bugged(bug, c), 1) as Trace, c.reference(), c);
      expect(diff, bug).toBeGreaterThan(1e6 * tol);
    }
  }, SESSION_TIMEOUT_MS);

  it('--bug first-m ignores the drawn participants; --bug with-replacement repeats a participant in some round', () => {
    const want = many.draws.participants as number[][];
    const first = (resultOf(bugged('first-m', many), 1) as Trace).extra?.participants as number[][];
    expect(first.every((S) => S.join() === '0,1')).toBe(true);
    expect(want.some((S) => S.join() !== '0,1')).toBe(true);
    const repl = (resultOf(bugged('with-replacement', many), 1) as Trace).extra?.participants as number[][];
    expect(repl.some((S) => new Set(S).size < S.length)).toBe(true);
  }, SESSION_TIMEOUT_MS);

  it('--sampler own declares it in the handshake and runs without draws, replaying bit for bit', () => {
    const noDraws = { ...part, draws: undefined };
    const a = session(NUMPY_SUBJECT, ['--sampler', 'own'], [{ id: 0, method: 'hello', params: { protocol: 'lsgd-spec/2' } }, request(1, noDraws), request(2, noDraws)]);
    expect(resultOf(a, 0)).toMatchObject({ sampler: 'own' });
    expect(resultOf(a, 1)).toEqual(resultOf(a, 2));
    expect((resultOf(a, 1) as Trace).rounds).toEqual([0, 1, 2, 3]);
  }, SESSION_TIMEOUT_MS);
});
