/**
 * Asynchronous Local-SGD as a deterministic discrete-event simulator on a virtual clock
 * (Liu et al. 2024, Algorithm 2 with the outer optimisers of §3.3-3.4; theory.md §3.2).
 * No threads and no timers: jobs are computed when they start and their completion events wait
 * in a heap ordered by (completion time, worker id).
 *
 * Algorithm 2, as simulated (t_local = applied local steps, tau_sync = start of the sync window):
 *   every worker starts a job from theta_0 at time 0; tau_sync <- +inf
 *   while t_local < t_max:
 *     e <- earliest pending completion (ties: lowest worker id)
 *     if e exists and e.time - tau_sync <= tau_grace:          (always true when tau_sync = +inf)
 *       clock <- e.time; tau_sync <- min(tau_sync, e.time)
 *       theta <- OuterOpt(theta, g_e); t_local += steps_e; worker e becomes idle
 *     else:
 *       tau_sync <- +inf; every idle worker starts a new job at `clock` from the current theta
 * So the earliest finisher is applied, then every worker finishing within tau_grace of it, one
 * after another, and all of them restart together from the same model at the time the last one
 * was applied (sync time 0, as in the official notebook). Jobs still running when t_local
 * reaches t_max are discarded.
 *
 * A job of worker w: download theta, pick a shard ('pinned': shard w; 'eq2':
 * shardSampler.ts keyed by (seed, job counter)), steps_w inner steps (H, or DyLU eq. 6) with the
 * worker's persistent inner state, the eq. 3 rate of the shard's own step counter, minibatches
 * keyed by (seed, shard, shard step); push g = theta_start - theta_end (1 communication, an upload).
 * Duration steps_w / v_w. Staleness = server updates between the download and the application.
 * Workers with 0 DyLU steps (only with minSteps = 0) are parked: they never run (dylu.ts).
 */
import type { InnerState } from './inner/index.ts';
import { sampleShard } from './shardSampler.ts';
import { EventHeap } from './_internals/heap.ts';
import { makeRecorder } from './_internals/context.ts';
import { partsContext, partsJob, partsOuter, type AsyncParts } from './_internals/parts.ts';
import type { AsyncHyper, AsyncProblem, AsyncTrace, UpdateRecord } from './types.ts';
import type { Vec } from '../../numeric/types.ts';

interface Job {
  readonly g: Vec;
  readonly start: number;
  readonly completion: number;
  /** server version (updates applied) at download */
  readonly version: number;
  readonly shard: number;
  readonly steps: number;
}

/** runAsync with some parts swapped (_internals/parts.ts); runAsync itself swaps none. */
export function runAsyncWith(parts: AsyncParts): (problem: AsyncProblem, hyper: AsyncHyper) => AsyncTrace {
  return (problem, hyper) => drive(problem, hyper, parts);
}

export function runAsync(problem: AsyncProblem, hyper: AsyncHyper): AsyncTrace {
  return drive(problem, hyper, {});
}

function drive(problem: AsyncProblem, hyper: AsyncHyper, parts: AsyncParts): AsyncTrace {
  const ctx = partsContext('runAsync', problem, hyper, parts);
  const outer = partsOuter(parts, hyper.outer);
  const { k, speeds, gracePeriod, tMax, seed } = hyper;
  let os = outer.init(ctx.theta0);

  const states: InnerState[] = Array.from({ length: k }, () => ctx.inner.init(ctx.model.dim));
  const parked = ctx.steps.flatMap((s, w) => (s === 0 ? [w] : []));
  const S = ctx.shards.length;
  const sizes = ctx.shards.map((s) => s.X.rows);
  const learned = new Array<number>(S).fill(0);
  const visits = new Array<number>(S).fill(0);
  const shardSteps = new Array<number>(S).fill(0);
  const running: (Job | null)[] = new Array(k).fill(null);
  const heap = new EventHeap();
  const updates: UpdateRecord[] = [];
  const rec = makeRecorder('runAsync', `async(${outer.name}${hyper.dylu ? ', dylu' : ''}, grace=${gracePeriod})`, problem, hyper.record);

  let clock = 0;
  let version = 0;
  let tLocal = 0;
  let tauSync = Infinity;
  let comms = 0;
  let jobCounter = 0;

  const start = (w: number): void => {
    const steps = ctx.steps[w];
    const shard = hyper.shardMode === 'pinned' ? w : sampleShard({ sizes, learned, visits }, seed, jobCounter);
    jobCounter += 1;
    visits[shard] += 1;
    learned[shard] += steps * ctx.batchRows[shard];
    const t0 = shardSteps[shard];
    shardSteps[shard] += steps;
    const g = partsJob(ctx, parts, os.theta, states[w], w, shard, steps, t0);
    const completion = clock + steps / speeds[w];
    running[w] = { g, start: clock, completion, version, shard, steps };
    heap.push({ time: completion, worker: w });
  };
  const startIdle = (): void => {
    for (let w = 0; w < k; w++) if (running[w] === null && ctx.steps[w] > 0) start(w);
  };

  rec.offer(0, false, os.theta, comms, clock, tLocal);
  startIdle();
  while (tLocal < tMax) {
    const e = heap.peek();
    if (e !== undefined && (tauSync === Infinity || e.time - tauSync <= gracePeriod)) {
      heap.pop();
      const job = running[e.worker] as Job;
      running[e.worker] = null;
      clock = Math.max(clock, job.completion);
      tauSync = Math.min(tauSync, job.completion);
      os = outer.step(os, job.g);
      comms += 1;
      tLocal += job.steps;
      updates.push({ time: clock, worker: e.worker, staleness: version - job.version, steps: job.steps, shard: job.shard, start: job.start });
      version += 1;
      rec.offer(version, tLocal >= tMax, os.theta, comms, clock, tLocal);
    } else {
      tauSync = Infinity;
      startIdle();
    }
  }
  return rec.finish(version, os.theta, updates, parked);
}
