/**
 * ci/examples/torch_subject.py (PyTorch float64: torch.optim.SGD clients, torch outer optimisers, DiLoCo and the
 * asynchronous simulator) against the TypeScript reference on the same inputs and draws. The event sequence of the
 * asynchronous runs (which worker, when, staleness, shard) must match exactly (it is computed from the same integers
 * and the same float divisions); models agree to rounding, with the bounds derived next to each comparison.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { delayedNesterov, dyluSteps, outerNesterov, outerSgd, runAsync, runDiLoCo, sampleShard, scheduleLr, leastSquares, softmaxRegression } from '../../src/optimizers/async/index.ts';
import type { AsyncHyper, AsyncProblem, AsyncTrace } from '../../src/optimizers/async/types.ts';
import type { OuterOptimizer, OuterState } from '../../src/optimizers/async/outer/index.ts';
import { localGD, localSGD } from '../../src/optimizers/index.ts';
import type { Trace } from '../../src/optimizers/types.ts';
import { matFromRows } from '../../src/numeric/types.ts';
import {
  EPS, errorOf, gridDataset, maxDiff, problemJson, recurrenceTolerance, referenceDraws, resultOf, scaleOf, session, smoothness, TORCH_SUBJECT, SESSION_TIMEOUT_MS,
} from './_python.ts';
import type { Session } from './_python.ts';

// ---- outer optimisers as handles: P pushes of a fixed sequence
const P = 7;
const pushes = Array.from({ length: P }, (_, t) => [0.5 - t / 8, (t % 3) / 4 - 0.25, 1 / (t + 2)]);
const theta0 = [1, -2, 0.5];
const OUTERS: [string, Record<string, number>, OuterOptimizer<OuterState>][] = [
  ['outerNesterov', { eps: 0.7, beta: 0.9 }, outerNesterov({ eps: 0.7, beta: 0.9 }) as OuterOptimizer<OuterState>],
  ['outerSgd', { eps: 0.5, beta: 0.5 }, outerSgd({ eps: 0.5, beta: 0.5 }) as OuterOptimizer<OuterState>],
  ['outerSgd', { eps: 1 }, outerSgd({ eps: 1 }) as OuterOptimizer<OuterState>],
  ['delayedNesterov', { eps: 0.7, beta: 0.8, N: 3, c: 0.2 }, delayedNesterov({ eps: 0.7, beta: 0.8, N: 3, c: 0.2 }) as OuterOptimizer<OuterState>],
];
const outerRequests = (base: number) => OUTERS.flatMap(([cap, hyper], j) => [
  { id: base + 100 * j, method: 'open', params: { capability: cap, hyper, theta0 } },
  ...pushes.map((g, t) => ({ id: base + 100 * j + t + 1, method: 'step', params: { handle: `h${j + 1}`, g } })),
  { id: base + 100 * j + 99, method: 'close', params: { handle: `h${j + 1}` } },
]);
function referencePath(opt: OuterOptimizer<OuterState>): number[][] {
  let s = opt.init(Float64Array.from(theta0));
  return pushes.map((g) => Array.from((s = opt.step(s, Float64Array.from(g))).theta));
}
/**
 * (P^2 + 4P) EPS S, S = max |theta| + eps (|g| + |buf|) on the path with |buf| <= max|g| / (1 - beta): two roundings
 * of one momentum recurrence, each push adding at most 4 roundings of size EPS S and carrying the earlier ones through
 * the momentum buffer (P at most), as in properties/async-local-sgd/outer.nesterov-eq4-equals-torch.prop.ts.
 */
function outerTolerance(path: number[][], hyper: Record<string, number>): number {
  const gmax = Math.max(...pushes.flat().map(Math.abs));
  const S = scaleOf(path) + hyper.eps * (gmax + gmax / (1 - (hyper.beta ?? 0)));
  return (P * P + 4 * P) * EPS * S;
}

// ---- DiLoCo and asynchronous Local-SGD
const rowsOf = (n: number, d: number, off: number) => Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => (((i * 5 + j * 3 + off) % 9) - 4) / 8));
const shard = (n: number, d: number, off: number, label: (i: number) => number) => ({ X: rowsOf(n, d, off), y: Array.from({ length: n }, (_, i) => label(i + off)) });
const softmaxShards = [shard(4, 2, 0, (i) => i % 3), shard(3, 2, 1, (i) => (i * 2) % 3), shard(5, 2, 2, (i) => (i + 1) % 3)];
const lsShards = [shard(4, 3, 0, (i) => ((i % 5) - 2) / 4), shard(3, 3, 1, (i) => ((i % 3) - 1) / 2), shard(5, 3, 2, (i) => ((i % 4) - 1) / 4)];
const toProblem = (model: object, shards: typeof softmaxShards, ref: AsyncProblem['model']): { json: object; problem: AsyncProblem } => ({
  json: { model, shards },
  problem: { model: ref, shards: shards.map((s) => ({ X: matFromRows(s.X), y: Float64Array.from(s.y) })) },
});
const soft = toProblem({ kind: 'softmax', features: 2, classes: 3 }, softmaxShards, softmaxRegression(2, 3));
const ls = toProblem({ kind: 'leastSquares', features: 3 }, lsShards, leastSquares(3));
const base = { k: 3, speeds: [1, 1.5, 2.5], H: 4, dylu: false, gracePeriod: 0, seed: 5, shardMode: 'pinned' as const };
const ASYNC: { cap: 'diloco' | 'asyncLocalSGD'; p: typeof soft; hyper: AsyncHyper; G: number }[] = [
  { cap: 'diloco', p: soft, hyper: { ...base, inner: { kind: 'sgd', lr: 0.5 }, outer: { kind: 'nesterov', eps: 0.7, beta: 0.9 }, tMax: 36 }, G: 1 + 0.7 * (2 + 1.8 + 0.81) },
  { cap: 'diloco', p: soft, hyper: { ...base, dylu: true, shardMode: 'eq2', batchSize: 2, inner: { kind: 'sgd', lr: 0.5, schedule: { etaMin: 0.05, warmup: 2, T: 20 } }, outer: { kind: 'sgd', eps: 1 }, tMax: 40 }, G: 1 },
  { cap: 'diloco', p: ls, hyper: { ...base, inner: { kind: 'adamw', lr: 0.05 }, outer: { kind: 'delayedNesterov', eps: 0.7, beta: 0.8, N: 2, c: 0.25 }, tMax: 36, record: 'last' }, G: 1 + 0.7 * 3 },
  { cap: 'asyncLocalSGD', p: ls, hyper: { ...base, dylu: true, gracePeriod: 0.3, shardMode: 'eq2', batchSize: 2, inner: { kind: 'sgd', lr: 0.25 }, outer: { kind: 'delayedNesterov', eps: 0.7, beta: 0.8, N: 3, c: 0.2 }, tMax: 16 }, G: 1 + 0.7 * 3 },
  { cap: 'asyncLocalSGD', p: soft, hyper: { ...base, gracePeriod: 1, inner: { kind: 'sgd', lr: 0.5 }, outer: { kind: 'nesterov', eps: 0.5, beta: 0.9 }, tMax: 30, record: { every: 3 } }, G: 1 + 0.5 * (2 + 1.8 + 0.81) },
];

// ---- Local-SGD with torch.optim.SGD on the clients
const reg = gridDataset(1, 3, [3, 1, 5]);
const lsgdHyper = { loss: { name: 'squared' }, eta: 1 / smoothness(reg), L: 3, R: 3, B: 2, participants: 2, seed: 4 };
const lsgdDraws = referenceDraws({ seed: 4, rows: [3, 1, 5], steps: 9, B: 2, R: 3, eligible: [0, 1, 2], m: 2 });
const lsgdRequest = { id: 1, method: 'run', params: { capability: 'localSGD', problem: problemJson(reg), hyper: { ...lsgdHyper, draws: lsgdDraws } } };
const cls = gridDataset(2, 3, [2, 4, 3], 'classification');
const lgdHyper = { loss: { name: 'logistic', l2: 0.125 }, eta: 1 / smoothness(cls), L: [2, 3, 1], R: 4, alpha: 'uniform' };
const lgdRequest = { id: 2, method: 'run', params: { capability: 'localGD', problem: problemJson(cls), hyper: lgdHyper } };

const SPEEDS = [[1, 2, 3.5], [0.3, 0.3, 0.9, 3], [1e-3, 1, 7]];
const COUNTS = [{ sizes: [3, 4, 5], learned: [0, 0, 0], visits: [0, 1, 0] }, { sizes: [3, 4, 5], learned: [6, 2, 0], visits: [2, 1, 0] }, { sizes: [10, 1], learned: [3, 3], visits: [1, 1] }];

describe('torch subject vs the TypeScript reference', () => {
  let s: Session;
  beforeAll(() => {
    s = session(TORCH_SUBJECT, [], [
      { id: 0, method: 'hello', params: { protocol: 'lsgd-spec/2' } },
      lsgdRequest,
      lgdRequest,
      ...ASYNC.map((c, i) => ({ id: 10 + i, method: 'run', params: { capability: c.cap, problem: c.p.json, hyper: c.hyper } })),
      ...SPEEDS.map((speeds, i) => ({ id: 20 + i, method: 'call', params: { capability: 'dyluSteps', args: { speeds, H: 7, minSteps: i === 2 ? 0 : undefined } } })),
      ...COUNTS.flatMap((counts, i) => [0, 1, 2, 3].map((job) => ({ id: 30 + 4 * i + job, method: 'call', params: { capability: 'sampleShard', args: { counts, seed: 17, job } } }))),
      ...[0, 1, 3, 9, 25].map((t, i) => ({ id: 50 + i, method: 'call', params: { capability: 'scheduleLr', args: { etaMax: 0.1, schedule: { etaMin: 0.01, warmup: 2, T: 12 }, t } } })),
      { id: 60, method: 'run', params: { capability: 'diloco', problem: soft.json, hyper: { ...ASYNC[0].hyper, k: 2 } } },
      ...outerRequests(1000),
    ]);
  }, SESSION_TIMEOUT_MS);

  it('declares the torch capabilities', () => {
    expect(resultOf(s, 0)).toMatchObject({ capabilities: ['asyncLocalSGD', 'delayedNesterov', 'diloco', 'dyluSteps', 'localGD', 'localSGD', 'outerNesterov', 'outerSgd', 'sampleShard', 'scheduleLr'], precision: 'f64', sampler: 'gate' });
  });

  it('Local-SGD with torch.optim.SGD on the clients agrees to rounding on the gate draws', () => {
    const got = resultOf(s, 1) as Trace;
    const want = localSGD.run(reg, lsgdHyper as never);
    expect(got.rounds).toEqual(want.rounds);
    expect(got.extra?.participants).toEqual(want.extra?.participants);
    // 12 sequential updates (3 rounds of 3 local steps and an aggregation), terms of the numpy comparison: d (N + K + d)
    const tol = recurrenceTolerance(12, 3 * (9 + 3 + 3), scaleOf(want.models));
    got.models.forEach((m, i) => expect(maxDiff(m, want.models[i])).toBeLessThanOrEqual(tol));
  });

  it('Local-GD (clients of unequal L_k trained as one batched parameter) agrees to rounding', () => {
    const got = resultOf(s, 2) as Trace;
    const want = localGD.run(cls, lgdHyper as never);
    expect(got.rounds).toEqual(want.rounds);
    expect(got.localSteps).toEqual(want.localSteps);
    // 4 rounds of at most 3 local steps and an aggregation; terms d (N + K + d) as in the numpy comparison
    const tol = recurrenceTolerance(16, 3 * (9 + 3 + 3), scaleOf(want.models));
    got.models.forEach((m, i) => expect(maxDiff(m, want.models[i])).toBeLessThanOrEqual(tol));
  });

  it('outer optimisers as handles (torch.optim.SGD, nesterov=True, Delayed Nesterov) follow the reference path', () => {
    OUTERS.forEach(([, hyper, opt], j) => {
      const want = referencePath(opt);
      const tol = outerTolerance(want, hyper);
      expect(resultOf(s, 1000 + 100 * j)).toEqual({ handle: `h${j + 1}`, theta: theta0, t: 0 });
      pushes.forEach((_, t) => {
        const got = resultOf(s, 1000 + 100 * j + t + 1) as { theta: number[]; t: number };
        expect(got.t).toBe(t + 1);
        expect(maxDiff(got.theta, want[t])).toBeLessThanOrEqual(tol);
      });
    });
  });

  it('dyluSteps and sampleShard equal the reference exactly; scheduleLr to one rounding of cos', () => {
    SPEEDS.forEach((speeds, i) => expect(resultOf(s, 20 + i)).toEqual(dyluSteps(speeds, 7, i === 2 ? 0 : 1)));
    COUNTS.forEach((counts, i) => [0, 1, 2, 3].forEach((job) => expect(resultOf(s, 30 + 4 * i + job)).toBe(sampleShard(counts, 17, job))));
    [0, 1, 3, 9, 25].forEach((t, i) => expect(Math.abs((resultOf(s, 50 + i) as number) - scheduleLr(0.1, { etaMin: 0.01, warmup: 2, T: 12 }, t))).toBeLessThanOrEqual(4 * EPS * 0.1));
  });

  ASYNC.forEach((c, i) => {
    it(`${c.cap} (${c.hyper.inner.kind} inner, ${c.hyper.outer.kind} outer, ${c.hyper.shardMode}${c.hyper.dylu ? ', dylu' : ''}): same events, models to rounding`, () => {
      const got = resultOf(s, 10 + i) as AsyncTrace;
      const want = (c.cap === 'diloco' ? runDiLoCo : runAsync)(c.p.problem, c.hyper);
      for (const key of ['rounds', 'communications', 'time', 'totalLocalSteps', 'updates', 'parked', 'localSteps'] as const) expect(got[key], key).toEqual(want[key]);
      // Per outer step: every inner step is a gradient of at most n C (d + 1) terms; the outer step multiplies earlier
      // differences by at most G (1 for averaging; 1 + eps (2 + 2 beta + beta^2) for Nesterov, 1 + 3 eps for DN), so
      // tol = recurrenceTolerance(inner steps + outer steps, terms, S) G^R.
      const R = want.rounds[want.rounds.length - 1];
      const terms = 5 * c.p.problem.model.dim;
      const tol = recurrenceTolerance(c.hyper.tMax + R, terms, scaleOf(want.models)) * c.G ** R;
      got.models.forEach((m, j) => expect(maxDiff(m, want.models[j])).toBeLessThanOrEqual(tol));
    });
  });

  it('pinned shards with k != shards is refused as the reference refuses it', () => {
    expect(() => runDiLoCo(soft.problem, { ...ASYNC[0].hyper, k: 2, speeds: [1, 1.5, 2.5] })).toThrow(/speeds has 3 entries but k = 2/);
    expect(errorOf(s, 60)).toBe('ValueError: runDiLoCo: speeds has 3 entries but k = 2');
  });
});

describe('torch subject: --bug no-nesterov (momentum without nesterov=True) leaves the reference path', () => {
  it('the outerNesterov handle and a DiLoCo run with outer nesterov both miss the reference far beyond rounding', () => {
    const s = session(TORCH_SUBJECT, ['--bug', 'no-nesterov'], [...outerRequests(1000).slice(0, P + 1), { id: 10, method: 'run', params: { capability: 'diloco', problem: soft.json, hyper: ASYNC[0].hyper } }]);
    const want = referencePath(OUTERS[0][2]);
    const got = resultOf(s, 1000 + P) as { theta: number[] };
    expect(maxDiff(got.theta, want[P - 1])).toBeGreaterThan(1e6 * outerTolerance(want, OUTERS[0][1]));
    const d = resultOf(s, 10) as AsyncTrace;
    const ref = runDiLoCo(soft.problem, ASYNC[0].hyper);
    expect(maxDiff(d.theta, ref.theta)).toBeGreaterThan(1e-3);
  }, SESSION_TIMEOUT_MS);
});
