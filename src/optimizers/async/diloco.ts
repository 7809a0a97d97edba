/**
 * Synchronous DiLoCo, Algorithm 1 of Liu et al. 2024 (theory.md §3.1), the baseline of the
 * asynchronous simulator, on the same virtual clock and with the same job machinery:
 *   every outer step t, while t_local < t_max:
 *     each active worker w (in id order) copies theta^{(t-1)}, picks a shard ('pinned': w; 'eq2':
 *     eq. 2, keyed by the job counter), runs steps_w inner steps (H, or DyLU eq. 6 when dylu is on)
 *     with its persistent inner state, and sends delta_w = theta^{(t-1)} - theta_w
 *     Delta = (sum_w delta_w) / K   (summed in worker order, K active workers)
 *     theta^{(t)} = OuterOpt(theta^{(t-1)}, Delta)
 *     clock += max_w steps_w / v_w      (everyone waits for the slowest)
 * With OuterOpt = SGD(eps = 1, beta = 0) this is parameter averaging (FedAvg), property A-8.
 * The trace records one point per outer step and lists each worker's contribution as an update
 * with staleness 0. The grace period is not used.
 */
import type { InnerState } from './inner/index.ts';
import { sampleShard } from './shardSampler.ts';
import { makeRecorder } from './_internals/context.ts';
import { partsContext, partsJob, partsOuter, type AsyncParts } from './_internals/parts.ts';
import type { AsyncHyper, AsyncProblem, AsyncTrace, UpdateRecord } from './types.ts';

/** runDiLoCo with some parts swapped (_internals/parts.ts); runDiLoCo itself swaps none. */
export function runDiLoCoWith(parts: AsyncParts): (problem: AsyncProblem, hyper: AsyncHyper) => AsyncTrace {
  return (problem, hyper) => drive(problem, hyper, parts);
}

export function runDiLoCo(problem: AsyncProblem, hyper: AsyncHyper): AsyncTrace {
  return drive(problem, hyper, {});
}

function drive(problem: AsyncProblem, hyper: AsyncHyper, parts: AsyncParts): AsyncTrace {
  const ctx = partsContext('runDiLoCo', problem, hyper, parts);
  const outer = partsOuter(parts, hyper.outer);
  const { k, speeds, tMax, seed } = hyper;
  let os = outer.init(ctx.theta0);
  const dim = ctx.model.dim;

  const states: InnerState[] = Array.from({ length: k }, () => ctx.inner.init(dim));
  const active = ctx.steps.flatMap((s, w) => (s > 0 ? [w] : []));
  const parked = ctx.steps.flatMap((s, w) => (s === 0 ? [w] : []));
  const S = ctx.shards.length;
  const sizes = ctx.shards.map((s) => s.X.rows);
  const learned = new Array<number>(S).fill(0);
  const visits = new Array<number>(S).fill(0);
  const shardSteps = new Array<number>(S).fill(0);
  const updates: UpdateRecord[] = [];
  const rec = makeRecorder('runDiLoCo', `diloco(${outer.name}${hyper.dylu ? ', dylu' : ''})`, problem, hyper.record);
  const K = active.length;
  const Delta = new Float64Array(dim);

  let clock = 0;
  let round = 0;
  let tLocal = 0;
  let comms = 0;
  let jobCounter = 0;
  let sequential = 0;
  rec.offer(0, false, os.theta, comms, clock, tLocal, sequential);
  while (tLocal < tMax) {
    Delta.fill(0);
    let wait = 0;
    let longest = 0;
    const startTime = clock;
    const shards: number[] = [];
    for (const w of active) {
      const steps = ctx.steps[w];
      const shard = hyper.shardMode === 'pinned' ? w : sampleShard({ sizes, learned, visits }, seed, jobCounter);
      jobCounter += 1;
      visits[shard] += 1;
      learned[shard] += steps * ctx.batchRows[shard];
      const t0 = shardSteps[shard];
      shardSteps[shard] += steps;
      const g = partsJob(ctx, parts, os.theta, states[w], w, shard, steps, t0);
      for (let i = 0; i < dim; i++) Delta[i] += g[i];
      wait = Math.max(wait, steps / speeds[w]);
      longest = Math.max(longest, steps);
      tLocal += steps;
      shards.push(shard);
    }
    for (let i = 0; i < dim; i++) Delta[i] /= K; // divide (not * 1/K): the same float ops as DN's Delta / N
    os = outer.step(os, Delta);
    clock = startTime + wait;
    comms += K;
    sequential += longest;
    round += 1;
    active.forEach((w, j) => updates.push({ time: clock, worker: w, staleness: 0, steps: ctx.steps[w], shard: shards[j], start: startTime }));
    rec.offer(round, tLocal >= tMax, os.theta, comms, clock, tLocal, sequential);
  }
  return rec.finish(round, os.theta, updates, parked);
}
