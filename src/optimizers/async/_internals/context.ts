/**
 * What the asynchronous simulator and the synchronous baseline share: input validation, the
 * per-run context (immutable configuration, frozen), one worker job, the trace recorder, and the
 * fold that turns init/step into a trace.
 */
import type { Mat, Vec } from '../../../numeric/types.ts';
import { makeInner, type InnerOptimizer, type InnerState } from '../inner/index.ts';
import { lrAt, validateSchedule } from '../schedule.ts';
import { dyluSteps } from '../dylu.ts';
import type { AsyncHyper, AsyncProblem, AsyncTrace, Model, ScheduleConfig, Shard, UpdateRecord } from '../types.ts';
import { recordPredicate } from '../../fold.ts';
import { indicesBelow, PURPOSE, rngKey, type RngKey } from '../../rng.ts';
import type { RecordSpec } from '../../types.ts';

export interface RunContext {
  readonly fn: string;
  readonly model: Model;
  readonly shards: readonly Shard[];
  readonly inner: InnerOptimizer<InnerState>;
  readonly etaMax: number;
  readonly schedule: ScheduleConfig | undefined;
  readonly seed: number;
  /** minibatch key: rngKey(seed, 0) with PURPOSE.minibatch and counter (shard, shard step), the shared layout */
  readonly batchKey: RngKey;
  /** rows per step on each shard (batch size, or the shard size for full batches) */
  readonly batchRows: readonly number[];
  readonly fullBatch: readonly boolean[];
  /** per-worker inner steps per job (0 = parked) */
  readonly steps: readonly number[];
  readonly theta0: Vec;
}

function int(fn: string, name: string, v: unknown, lo: number): number {
  if (!(typeof v === 'number' && Number.isInteger(v) && v >= lo)) throw new Error(`${fn}: ${name} must be an integer >= ${lo}, got ${String(v)}`);
  return v;
}

/** Validates problem and hyper (one-line errors naming fn) and builds the run context (frozen; its arrays too). */
export function makeContext(fn: string, problem: AsyncProblem, hyper: AsyncHyper): RunContext {
  const { model, shards } = problem;
  if (!model || !(Number.isInteger(model.dim) && model.dim >= 1)) throw new Error(`${fn}: problem.model must have an integer dim >= 1`);
  if (!Array.isArray(shards) || shards.length === 0) throw new Error(`${fn}: problem.shards is empty (need at least one shard)`);
  shards.forEach((s, i) => {
    if (s.X.rows === 0) throw new Error(`${fn}: shard ${i} has no rows`);
    try {
      model.check(s.X, s.y);
    } catch (e) {
      throw new Error(`${fn}: shard ${i}: ${(e as Error).message}`);
    }
  });
  if (problem.evalSet) {
    if (problem.evalSet.X.rows === 0) throw new Error(`${fn}: evalSet has no rows`);
    try {
      model.check(problem.evalSet.X, problem.evalSet.y);
    } catch (e) {
      throw new Error(`${fn}: evalSet: ${(e as Error).message}`);
    }
  }
  const theta0 = problem.theta0 ?? new Float64Array(model.dim);
  if (theta0.length !== model.dim) throw new Error(`${fn}: theta0 has ${theta0.length} entries but the model has dim ${model.dim}`);

  const k = int(fn, 'k', hyper.k, 1);
  const H = int(fn, 'H', hyper.H, 1);
  int(fn, 'tMax', hyper.tMax, 1);
  if (!(Number.isInteger(hyper.seed) && hyper.seed >= -0x80000000 && hyper.seed <= 0xffffffff)) {
    throw new Error(`${fn}: seed must be a 32-bit integer, got ${hyper.seed}`);
  }
  if (!Array.isArray(hyper.speeds) || hyper.speeds.length !== k) {
    throw new Error(`${fn}: speeds has ${Array.isArray(hyper.speeds) ? hyper.speeds.length : 'no'} entries but k = ${k}`);
  }
  hyper.speeds.forEach((v, w) => {
    if (!(Number.isFinite(v) && v > 0)) throw new Error(`${fn}: speed of worker ${w} must be positive and finite, got ${v}`);
  });
  if (!(Number.isFinite(hyper.gracePeriod) && hyper.gracePeriod >= 0)) throw new Error(`${fn}: gracePeriod must be finite and >= 0, got ${hyper.gracePeriod}`);
  if (hyper.shardMode !== 'eq2' && hyper.shardMode !== 'pinned') throw new Error(`${fn}: shardMode must be 'eq2' or 'pinned', got '${String(hyper.shardMode)}'`);
  if (hyper.shardMode === 'pinned' && shards.length !== k) {
    throw new Error(`${fn}: shardMode 'pinned' needs one shard per worker, got ${shards.length} shards for k = ${k}`);
  }
  if (hyper.batchSize !== undefined) int(fn, 'batchSize', hyper.batchSize, 1);
  recordPredicate(fn, hyper.record); // validates
  const minSteps = hyper.minSteps ?? 1;
  if (!(Number.isInteger(minSteps) && minSteps >= 0 && minSteps <= H)) throw new Error(`${fn}: minSteps must be an integer in [0, H] = [0, ${H}], got ${minSteps}`);
  const etaMax = hyper.inner.lr;
  if (!(Number.isFinite(etaMax) && etaMax >= 0)) throw new Error(`${fn}: inner.lr must be finite and >= 0, got ${etaMax}`);
  if (hyper.inner.schedule) validateSchedule(fn, etaMax, hyper.inner.schedule);

  const steps = hyper.dylu ? dyluSteps(hyper.speeds, H, minSteps) : hyper.speeds.map(() => H);
  const fullBatch = shards.map((s) => hyper.batchSize === undefined || hyper.batchSize >= s.X.rows);
  const batchRows = shards.map((s, i) => (fullBatch[i] ? s.X.rows : (hyper.batchSize as number)));
  return Object.freeze({
    fn, model, shards, inner: makeInner(hyper.inner), etaMax, schedule: hyper.inner.schedule, seed: hyper.seed, batchKey: rngKey(hyper.seed, 0),
    batchRows: Object.freeze(batchRows), fullBatch: Object.freeze(fullBatch), steps: Object.freeze(steps), theta0: Float64Array.from(theta0),
  });
}

/**
 * One job: `steps` inner steps from `thetaStart` on shard `shard`, whose step counter starts at
 * `t0` (it indexes both the eq. 3 schedule and the minibatch draws, so a shard step is the same
 * computation whichever worker runs it). Updates `state` in place, so the caller passes a copy it
 * owns (never a state held by a simulator state), and returns the pseudo-gradient
 * g = thetaStart - thetaEnd. The gradient and minibatch buffers are the job's own.
 */
export function runJob(ctx: RunContext, thetaStart: Vec, state: InnerState, worker: number, shard: number, steps: number, t0: number): Vec {
  const theta = Float64Array.from(thetaStart);
  const S = ctx.shards[shard];
  const d = S.X.cols;
  const n = S.X.rows;
  const b = ctx.batchRows[shard];
  const grad = new Float64Array(ctx.model.dim);
  const full = ctx.fullBatch[shard];
  const batchX: Mat = full ? S.X : { rows: b, cols: d, data: new Float64Array(b * d) };
  const batchY: Vec = full ? S.y : new Float64Array(b);
  const batchIdx = new Int32Array(full ? 0 : b);
  for (let s = 0; s < steps; s++) {
    const t = t0 + s;
    const lr = ctx.schedule ? lrAt(ctx.etaMax, ctx.schedule, t) : ctx.etaMax;
    let loss: number;
    if (full) {
      loss = ctx.model.lossAndGrad(theta, S.X, S.y, grad);
    } else {
      const bx = batchX.data;
      const idx = indicesBelow(ctx.batchKey, PURPOSE.minibatch, shard, t, n, batchIdx, b);
      for (let j = 0; j < b; j++) {
        const r = idx[j];
        bx.set(S.X.data.subarray(r * d, r * d + d), j * d);
        batchY[j] = S.y[r];
      }
      loss = ctx.model.lossAndGrad(theta, batchX, batchY, grad);
    }
    if (!Number.isFinite(loss)) {
      throw new Error(`${ctx.fn}: inner loss is ${loss} at worker ${worker}, shard ${shard}, shard step ${t} (lr ${lr}); lower the inner learning rate`);
    }
    ctx.inner.stepInPlace(state, theta, grad, lr);
  }
  const g = new Float64Array(theta.length);
  for (let i = 0; i < g.length; i++) g[i] = thetaStart[i] - theta[i];
  return g;
}

export interface Recorder {
  /** record the point if the RecordSpec wants (round, done) */
  offer(round: number, done: boolean, theta: Vec, communications: number, time: number, totalLocalSteps: number, localSteps?: number): void;
  finish(round: number, theta: Vec, updates: UpdateRecord[], parked: number[]): AsyncTrace;
}

/**
 * Records aligned trace columns for the rounds the RecordSpec asks for. The loss is the model's mean loss
 * on problem.evalSet, or, when there is none, the pooled mean loss over all training rows.
 */
export function makeRecorder(fn: string, algorithm: string, problem: AsyncProblem, spec: RecordSpec | undefined): Recorder {
  const wanted = recordPredicate(fn, spec);
  const { model, evalSet, shards } = problem;
  const evalLoss = (theta: Vec): number => {
    if (evalSet) return model.loss(theta, evalSet.X, evalSet.y);
    let total = 0;
    let rows = 0;
    for (const s of shards) {
      total += model.loss(theta, s.X, s.y) * s.X.rows;
      rows += s.X.rows;
    }
    return total / rows;
  };
  const t: AsyncTrace = {
    algorithm, rounds: [], models: [], loss: [], communications: [], time: [], totalLocalSteps: [], updates: [], parked: [],
    theta: new Float64Array(0),
  };
  const local: number[] = [];
  return {
    offer(round, done, theta, comms, time, total, ls) {
      if (!wanted(round, done)) return;
      t.rounds.push(round);
      t.models.push(Float64Array.from(theta));
      t.loss.push(evalLoss(theta));
      t.communications.push(comms);
      t.time.push(time);
      t.totalLocalSteps.push(total);
      if (ls !== undefined) local.push(ls);
    },
    finish(round, theta, updates, parked) {
      if (Array.isArray(spec)) {
        const last = (spec as readonly number[])[spec.length - 1];
        if (last !== undefined && last > round) throw new Error(`${fn}: record asks for round ${last} but the run ended after round ${round}`);
      }
      return { ...t, ...(local.length > 0 ? { localSteps: local } : {}), updates, parked, theta: Float64Array.from(theta) };
    },
  };
}

/** What the fold reads from a state of either driver (round = server updates for runAsync, outer steps for runDiLoCo). */
export interface FoldView {
  readonly round: number;
  /** the server model after `round` rounds (the outer state's theta) */
  readonly theta: Vec;
  readonly communications: number;
  /** virtual clock */
  readonly time: number;
  /** t_local: inner steps of all applied jobs */
  readonly totalLocalSteps: number;
  /** sequential local steps (runDiLoCo only) */
  readonly localSteps?: number;
  /** the server updates applied by the step that produced this state (none in the initial state) */
  readonly updates: readonly UpdateRecord[];
  readonly done: boolean;
  readonly config: { readonly algorithm: string; readonly parked: readonly number[] };
}

/**
 * A run as a fold: s = init(problem, hyper); while not done, s = step(s); the trace records the rounds the
 * RecordSpec asks for and concatenates every step's updates (copied, so the trace owns its records).
 */
export function foldTrace<S extends FoldView>(
  fn: string, init: (problem: AsyncProblem, hyper: AsyncHyper) => S, step: (s: S) => S, problem: AsyncProblem, hyper: AsyncHyper,
): AsyncTrace {
  let s = init(problem, hyper);
  const rec = makeRecorder(fn, s.config.algorithm, problem, hyper.record);
  const updates: UpdateRecord[] = [];
  const offer = (x: S): void => rec.offer(x.round, x.done, x.theta, x.communications, x.time, x.totalLocalSteps, x.localSteps);
  offer(s);
  while (!s.done) {
    s = step(s);
    for (const u of s.updates) updates.push({ ...u });
    offer(s);
  }
  return rec.finish(s.round, s.theta, updates, [...s.config.parked]);
}
