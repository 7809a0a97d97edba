/**
 * Asynchronous Local-SGD as a deterministic discrete-event simulator on a virtual clock
 * (Liu et al. 2024, Algorithm 2 with the outer optimisers of docs/theory.md#33-outer-nesterov-and-sequential-updates to docs/theory.md#34-delayed-nesterov; docs/theory.md#32-asynchronous-framework).
 * No threads and no timers: jobs are computed when they start and their completion events wait
 * in a queue ordered by (completion time, worker id).
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
 *
 * Optax style (STYLE.md): init(problem, hyper) -> AsyncState and step(state) -> AsyncState, pure, over a frozen
 * state; one step is one server update (one round): if the next completion lies outside the open grace window
 * (or nothing is pending, as at the start), the window closes and every idle worker starts a job (the `else`
 * branch above), then the earliest completion is applied. Every step applies exactly one update, so the state
 * after step r is the loop's state after its r-th application, and runAsync is the fold of step (foldTrace).
 */
import type { Vec } from '../../numeric/types.ts';
import type { InnerState } from './inner/index.ts';
import type { OuterState } from './outer/index.ts';
import { foldTrace } from './_internals/context.ts';
import { EMPTY_QUEUE, insertInOrder, withoutFirst, type Event, type EventQueue } from './_internals/events.ts';
import { draftOf, emptyBook, runConfig, seal, startJob, type AsyncParts, type RunConfig, type ShardBook } from './_internals/parts.ts';
import type { AsyncAlgorithm, AsyncHyper, AsyncProblem, AsyncTrace, UpdateRecord } from './types.ts';

const FN = 'runAsync';

/** A job in flight: its push was computed when it started (frozen; g is never written to). */
export interface AsyncJob {
  readonly g: Vec;
  readonly start: number;
  readonly completion: number;
  /** server version (updates applied) at download */
  readonly version: number;
  readonly shard: number;
  readonly steps: number;
}

/**
 * State of the simulator after `round` server updates. Frozen, and nothing reachable from it is written after it is
 * built (the inner states and pushes are fresh per job; the outer state is the outer optimiser's, pure by contract).
 * The RNG is counter-based, so its state is `book` (job counter for the eq. 2 draws, shard step counters for the
 * minibatches); the trace so far is the fold over the `updates` of each step.
 */
export interface AsyncState {
  readonly config: RunConfig;
  /** server updates applied (the server version) */
  readonly round: number;
  readonly outer: OuterState;
  /** = outer.theta, the server model */
  readonly theta: Vec;
  /** virtual clock */
  readonly time: number;
  /** start of the open grace window (+Infinity when none is open) */
  readonly tauSync: number;
  /** t_local */
  readonly totalLocalSteps: number;
  readonly communications: number;
  /** per-worker inner optimiser state, kept across jobs */
  readonly inner: readonly InnerState[];
  /** per-worker job in flight (null: idle) */
  readonly running: readonly (AsyncJob | null)[];
  /** pending completions, one per running job */
  readonly events: EventQueue;
  readonly book: ShardBook;
  /** the update this step applied (empty in the initial state) */
  readonly updates: readonly UpdateRecord[];
  /** t_local >= t_max */
  readonly done: boolean;
}

const NONE: readonly UpdateRecord[] = Object.freeze([]);

/** Asynchronous Local-SGD with some parts swapped (_internals/parts.ts); asyncLocalSGD swaps none. */
export function asyncLocalSGDWith(parts: AsyncParts): AsyncAlgorithm<AsyncState> {
  const init = (problem: AsyncProblem, hyper: AsyncHyper): AsyncState => {
    const config = runConfig(FN, problem, hyper, parts, (name) => `async(${name}${hyper.dylu ? ', dylu' : ''}, grace=${hyper.gracePeriod})`);
    const { ctx, k } = config;
    const outer = config.outer.init(ctx.theta0);
    return Object.freeze({
      config, round: 0, outer, theta: outer.theta, time: 0, tauSync: Infinity, totalLocalSteps: 0, communications: 0,
      inner: Object.freeze(Array.from({ length: k }, () => Object.freeze(ctx.inner.init(ctx.model.dim)))),
      running: Object.freeze(new Array<AsyncJob | null>(k).fill(null)),
      events: EMPTY_QUEUE, book: emptyBook(ctx.shards.length), updates: NONE, done: 0 >= config.tMax,
    });
  };
  return Object.freeze({ name: 'asyncLocalSGD', init, step, run: (problem: AsyncProblem, hyper: AsyncHyper) => foldTrace(FN, init, step, problem, hyper) });
}

/** Whether the earliest pending completion is applied now (it lies within the open window, or none is open). */
function applicable(s: AsyncState): boolean {
  const e = s.events[0];
  return e !== undefined && (s.tauSync === Infinity || e.time - s.tauSync <= s.config.gracePeriod);
}

/** The window closes and every idle, unparked worker starts a job at the current clock from the current model. */
function dispatch(s: AsyncState): AsyncState {
  const cfg = s.config;
  const book = draftOf(s.book);
  const inner = s.inner.slice();
  const running = s.running.slice();
  const events: Event[] = s.events.slice();
  for (let w = 0; w < cfg.k; w++) {
    if (running[w] !== null || cfg.ctx.steps[w] <= 0) continue;
    const job = startJob(cfg, book, s.theta, s.inner[w], w);
    inner[w] = job.inner;
    const completion = s.time + job.steps / cfg.speeds[w];
    running[w] = Object.freeze({ g: job.g, start: s.time, completion, version: s.round, shard: job.shard, steps: job.steps });
    insertInOrder(events, { time: completion, worker: w });
  }
  if (events.length === 0) throw new Error(`${FN}: no worker can start a job (steps per job are ${cfg.ctx.steps.join(', ')})`);
  return { ...s, tauSync: Infinity, book: seal(book), inner: Object.freeze(inner), running: Object.freeze(running), events: Object.freeze(events) };
}

/** One server update: (close the window and start the idle workers if needed, then) apply the earliest completion. */
function step(state: AsyncState): AsyncState {
  const cfg = state.config;
  if (state.done) throw new Error(`asyncLocalSGD.step: the run is finished (t_local = ${state.totalLocalSteps} >= t_max = ${cfg.tMax})`);
  const s = applicable(state) ? state : dispatch(state);
  const e = s.events[0];
  const job = s.running[e.worker] as AsyncJob;
  const running = s.running.slice();
  running[e.worker] = null;
  const time = Math.max(s.time, job.completion);
  const outer = cfg.outer.step(s.outer, job.g);
  const totalLocalSteps = s.totalLocalSteps + job.steps;
  const update: UpdateRecord = Object.freeze({ time, worker: e.worker, staleness: s.round - job.version, steps: job.steps, shard: job.shard, start: job.start });
  return Object.freeze({
    config: cfg, round: s.round + 1, outer, theta: outer.theta, time, tauSync: Math.min(s.tauSync, job.completion), totalLocalSteps,
    communications: s.communications + 1, inner: s.inner, running: Object.freeze(running), events: withoutFirst(s.events), book: s.book,
    updates: Object.freeze([update]), done: totalLocalSteps >= cfg.tMax,
  });
}

export const asyncLocalSGD: AsyncAlgorithm<AsyncState> = asyncLocalSGDWith({});

/** runAsync with some parts swapped (_internals/parts.ts); runAsync itself swaps none. */
export function runAsyncWith(parts: AsyncParts): (problem: AsyncProblem, hyper: AsyncHyper) => AsyncTrace {
  return asyncLocalSGDWith(parts).run;
}

/** The whole run: the fold of asyncLocalSGD.step from asyncLocalSGD.init. */
export function runAsync(problem: AsyncProblem, hyper: AsyncHyper): AsyncTrace {
  return asyncLocalSGD.run(problem, hyper);
}
