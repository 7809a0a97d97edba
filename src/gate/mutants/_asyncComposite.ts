/**
 * Not a mutant: the shared builder of faulty asynchronous Local-SGD composites. runAsync and runDiLoCo
 * (src/optimizers/async) take their outer optimiser as a config and build it, DyLU and the pseudo-gradient
 * inside, so a planted bug in one of those parts cannot be injected from outside. This file re-assembles both
 * drivers from the same exported pieces (makeContext, runJob, makeRecorder, EventHeap, sampleShard, makeOuter,
 * dyluSteps) with hooks where ONE part can be swapped by a mutant file:
 *
 *   outer  builds the outer optimiser from hyper.outer              (reference: makeOuter)
 *   steps  the DyLU step counts when hyper.dylu                     (reference: dyluSteps, eq. 6, via makeContext)
 *   push   what the worker sends, given g = theta_start - theta_end (reference: g itself)
 *
 * The loops are copies of simulator.ts and diloco.ts (Algorithm 2 / Algorithm 1 as simulated; see those files
 * for the rules); a composite with no hooks runs the reference bit for bit, which
 * test/gate/mutants/asyncComposite.test.ts checks on eq. 2 and pinned runs, DyLU, DN, grace windows and parked
 * workers, so a change to the reference drivers that this copy misses fails there.
 */
import type { Vec } from '../../numeric/types.ts';
import { makeOuter, sampleShard } from '../../optimizers/async/index.ts';
import type { AsyncHyper, AsyncProblem, AsyncTrace, InnerState, OuterConfig, OuterOptimizer, OuterState, UpdateRecord } from '../../optimizers/async/index.ts';
import { EventHeap } from '../../optimizers/async/_internals/heap.ts';
import { makeContext, makeRecorder, runJob, type RunContext } from '../../optimizers/async/_internals/context.ts';

export interface AsyncHooks {
  readonly outer?: (config: OuterConfig) => OuterOptimizer<OuterState>;
  readonly steps?: (speeds: readonly number[], H: number, minSteps: number) => number[];
  readonly push?: (g: Vec) => Vec;
}

export type AsyncRun = (problem: AsyncProblem, hyper: AsyncHyper) => AsyncTrace;

/** Context with the hooked DyLU counts (makeContext validates everything, as in the reference). */
function context(fn: string, problem: AsyncProblem, hyper: AsyncHyper, hooks: AsyncHooks): RunContext {
  const ctx = makeContext(fn, problem, hyper);
  if (!hyper.dylu || !hooks.steps) return ctx;
  return { ...ctx, steps: hooks.steps(hyper.speeds, hyper.H, hyper.minSteps ?? 1) };
}

function job(ctx: RunContext, hooks: AsyncHooks, theta: Vec, state: InnerState, w: number, shard: number, steps: number, t0: number): Vec {
  const g = runJob(ctx, theta, state, w, shard, steps, t0);
  return hooks.push ? hooks.push(g) : g;
}

interface Job {
  readonly g: Vec;
  readonly start: number;
  readonly completion: number;
  readonly version: number;
  readonly shard: number;
  readonly steps: number;
}

/** runAsync (simulator.ts) with the hooked parts. */
export function composeRunAsync(hooks: AsyncHooks): AsyncRun {
  return (problem, hyper) => {
    const ctx = context('runAsync', problem, hyper, hooks);
    const outer = (hooks.outer ?? makeOuter)(hyper.outer);
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
      const g = job(ctx, hooks, os.theta, states[w], w, shard, steps, t0);
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
        const j = running[e.worker] as Job;
        running[e.worker] = null;
        clock = Math.max(clock, j.completion);
        tauSync = Math.min(tauSync, j.completion);
        os = outer.step(os, j.g);
        comms += 1;
        tLocal += j.steps;
        updates.push({ time: clock, worker: e.worker, staleness: version - j.version, steps: j.steps, shard: j.shard, start: j.start });
        version += 1;
        rec.offer(version, tLocal >= tMax, os.theta, comms, clock, tLocal);
      } else {
        tauSync = Infinity;
        startIdle();
      }
    }
    return rec.finish(version, os.theta, updates, parked);
  };
}

/** runDiLoCo (diloco.ts) with the hooked parts. */
export function composeRunDiLoCo(hooks: AsyncHooks): AsyncRun {
  return (problem, hyper) => {
    const ctx = context('runDiLoCo', problem, hyper, hooks);
    const outer = (hooks.outer ?? makeOuter)(hyper.outer);
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
        const g = job(ctx, hooks, os.theta, states[w], w, shard, steps, t0);
        for (let i = 0; i < dim; i++) Delta[i] += g[i];
        wait = Math.max(wait, steps / speeds[w]);
        longest = Math.max(longest, steps);
        tLocal += steps;
        shards.push(shard);
      }
      for (let i = 0; i < dim; i++) Delta[i] /= K;
      os = outer.step(os, Delta);
      clock = startTime + wait;
      comms += K;
      sequential += longest;
      round += 1;
      active.forEach((w, j) => updates.push({ time: clock, worker: w, staleness: 0, steps: ctx.steps[w], shard: shards[j], start: startTime }));
      rec.offer(round, tLocal >= tMax, os.theta, comms, clock, tLocal, sequential);
    }
    return rec.finish(round, os.theta, updates, parked);
  };
}

/** Both drivers with the same hooks. */
export function faultyAsync(hooks: AsyncHooks): { asyncLocalSGD: AsyncRun; diloco: AsyncRun } {
  return { asyncLocalSGD: composeRunAsync(hooks), diloco: composeRunDiLoCo(hooks) };
}

