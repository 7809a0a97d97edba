/**
 * Synchronous DiLoCo, Algorithm 1 of Liu et al. 2024 (docs/theory.md#31-diloco), the baseline of the
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
 *
 * Optax style (STYLE.md): init(problem, hyper) -> DiLoCoState and step(state) -> DiLoCoState, pure, over a frozen
 * state; one step is one outer step, and runDiLoCo is the fold of step (foldTrace).
 */
import type { Vec } from '../../numeric/types.ts';
import type { InnerState } from './inner/index.ts';
import type { OuterState } from './outer/index.ts';
import { foldTrace } from './_internals/context.ts';
import { draftOf, emptyBook, runConfig, seal, startJob, type AsyncParts, type RunConfig, type ShardBook } from './_internals/parts.ts';
import type { AsyncAlgorithm, AsyncHyper, AsyncProblem, AsyncTrace, UpdateRecord } from './types.ts';

const FN = 'runDiLoCo';

/**
 * State after `round` outer steps. Frozen, and nothing reachable from it is written after it is built (inner states
 * are fresh per job; the outer state is the outer optimiser's, pure by contract). The RNG state is `book` (see
 * simulator.ts); the trace so far is the fold over the `updates` of each step.
 */
export interface DiLoCoState {
  readonly config: RunConfig;
  /** outer steps taken */
  readonly round: number;
  readonly outer: OuterState;
  /** = outer.theta, the server model */
  readonly theta: Vec;
  /** virtual clock */
  readonly time: number;
  /** t_local */
  readonly totalLocalSteps: number;
  /** sum over outer steps of the largest job's steps */
  readonly localSteps: number;
  readonly communications: number;
  /** per-worker inner optimiser state, kept across jobs */
  readonly inner: readonly InnerState[];
  readonly book: ShardBook;
  /** each active worker's contribution to this step (empty in the initial state) */
  readonly updates: readonly UpdateRecord[];
  /** t_local >= t_max */
  readonly done: boolean;
}

/** Synchronous DiLoCo with some parts swapped (_internals/parts.ts); diloco swaps none. */
export function dilocoWith(parts: AsyncParts): AsyncAlgorithm<DiLoCoState> {
  const init = (problem: AsyncProblem, hyper: AsyncHyper): DiLoCoState => {
    const config = runConfig(FN, problem, hyper, parts, (name) => `diloco(${name}${hyper.dylu ? ', dylu' : ''})`);
    const { ctx, k } = config;
    const outer = config.outer.init(ctx.theta0);
    return Object.freeze({
      config, round: 0, outer, theta: outer.theta, time: 0, totalLocalSteps: 0, localSteps: 0, communications: 0,
      inner: Object.freeze(Array.from({ length: k }, () => Object.freeze(ctx.inner.init(ctx.model.dim)))),
      book: emptyBook(ctx.shards.length), updates: Object.freeze([]), done: 0 >= config.tMax,
    });
  };
  return Object.freeze({ name: 'diloco', init, step, run: (problem: AsyncProblem, hyper: AsyncHyper) => foldTrace(FN, init, step, problem, hyper) });
}

/** One outer step: every active worker runs a job from theta, the mean push goes to the outer optimiser. */
function step(s: DiLoCoState): DiLoCoState {
  const cfg = s.config;
  if (s.done) throw new Error(`diloco.step: the run is finished (t_local = ${s.totalLocalSteps} >= t_max = ${cfg.tMax})`);
  const { active } = cfg;
  const K = active.length;
  const dim = s.theta.length;
  const Delta = new Float64Array(dim);
  const book = draftOf(s.book);
  const inner = s.inner.slice();
  const shards: number[] = [];
  let wait = 0;
  let longest = 0;
  let totalLocalSteps = s.totalLocalSteps;
  const startTime = s.time;
  for (const w of active) {
    const job = startJob(cfg, book, s.theta, s.inner[w], w);
    inner[w] = job.inner;
    for (let i = 0; i < dim; i++) Delta[i] += job.g[i];
    wait = Math.max(wait, job.steps / cfg.speeds[w]);
    longest = Math.max(longest, job.steps);
    totalLocalSteps += job.steps;
    shards.push(job.shard);
  }
  for (let i = 0; i < dim; i++) Delta[i] /= K; // divide (not * 1/K): the same float ops as DN's Delta / N
  const outer = cfg.outer.step(s.outer, Delta);
  const time = startTime + wait;
  const updates = active.map((w, j): UpdateRecord => Object.freeze({ time, worker: w, staleness: 0, steps: cfg.ctx.steps[w], shard: shards[j], start: startTime }));
  return Object.freeze({
    config: cfg, round: s.round + 1, outer, theta: outer.theta, time, totalLocalSteps, localSteps: s.localSteps + longest,
    communications: s.communications + K, inner: Object.freeze(inner), book: seal(book), updates: Object.freeze(updates), done: totalLocalSteps >= cfg.tMax,
  });
}

export const diloco: AsyncAlgorithm<DiLoCoState> = dilocoWith({});

/** runDiLoCo with some parts swapped (_internals/parts.ts); runDiLoCo itself swaps none. */
export function runDiLoCoWith(parts: AsyncParts): (problem: AsyncProblem, hyper: AsyncHyper) => AsyncTrace {
  return dilocoWith(parts).run;
}

/** The whole run: the fold of diloco.step from diloco.init. */
export function runDiLoCo(problem: AsyncProblem, hyper: AsyncHyper): AsyncTrace {
  return diloco.run(problem, hyper);
}
