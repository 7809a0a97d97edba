/**
 * What the asynchronous simulator and the synchronous baseline share: input validation, the
 * per-run context (buffers allocated once), one worker job, and the trace recorder.
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
  // scratch, reused by every job
  readonly grad: Vec;
  readonly batchX: Mat;
  readonly batchY: Vec;
  readonly batchIdx: Int32Array;
}

function int(fn: string, name: string, v: unknown, lo: number): number {
  if (!(typeof v === 'number' && Number.isInteger(v) && v >= lo)) throw new Error(`${fn}: ${name} must be an integer >= ${lo}, got ${String(v)}`);
  return v;
}

/** Validates problem and hyper (one-line errors naming fn) and builds the run context. */
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
  const b = hyper.batchSize ?? 1;
  const d = shards[0].X.cols;
  return {
    fn, model, shards, inner: makeInner(hyper.inner), etaMax, schedule: hyper.inner.schedule, seed: hyper.seed, batchKey: rngKey(hyper.seed, 0),
    batchRows, fullBatch, steps, theta0: Float64Array.from(theta0),
    grad: new Float64Array(model.dim),
    batchX: { rows: b, cols: d, data: new Float64Array(b * d) },
    batchY: new Float64Array(b),
    batchIdx: new Int32Array(b),
  };
}

/**
 * One job: `steps` inner steps from `thetaStart` on shard `shard`, whose step counter starts at
 * `t0` (it indexes both the eq. 3 schedule and the minibatch draws, so a shard step is the same
 * computation whichever worker runs it). Updates the worker's inner state in place (the caller
 * owns it) and returns the pseudo-gradient g = thetaStart - thetaEnd.
 */
export function runJob(ctx: RunContext, thetaStart: Vec, state: InnerState, worker: number, shard: number, steps: number, t0: number): Vec {
  const theta = Float64Array.from(thetaStart);
  const S = ctx.shards[shard];
  const d = S.X.cols;
  const n = S.X.rows;
  const b = ctx.batchRows[shard];
  for (let s = 0; s < steps; s++) {
    const t = t0 + s;
    const lr = ctx.schedule ? lrAt(ctx.etaMax, ctx.schedule, t) : ctx.etaMax;
    let loss: number;
    if (ctx.fullBatch[shard]) {
      loss = ctx.model.lossAndGrad(theta, S.X, S.y, ctx.grad);
    } else {
      const bx = ctx.batchX.data;
      const idx = indicesBelow(ctx.batchKey, PURPOSE.minibatch, shard, t, n, ctx.batchIdx, b);
      for (let j = 0; j < b; j++) {
        const r = idx[j];
        bx.set(S.X.data.subarray(r * d, r * d + d), j * d);
        ctx.batchY[j] = S.y[r];
      }
      loss = ctx.model.lossAndGrad(theta, ctx.batchX, ctx.batchY, ctx.grad);
    }
    if (!Number.isFinite(loss)) {
      throw new Error(`${ctx.fn}: inner loss is ${loss} at worker ${worker}, shard ${shard}, shard step ${t} (lr ${lr}); lower the inner learning rate`);
    }
    ctx.inner.stepInPlace(state, theta, ctx.grad, lr);
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
