/**
 * The swappable parts of the asynchronous drivers (runAsyncWith, runDiLoCoWith). The reference drivers are these
 * builders with no parts swapped; a planted bug (src/gate/mutants) swaps exactly one:
 *
 *   outer  builds the outer optimiser from hyper.outer              (reference: makeOuter)
 *   steps  the DyLU step counts when hyper.dylu                     (reference: dyluSteps, eq. 6, via makeContext)
 *   push   what the worker sends, given g = theta_start - theta_end (reference: g itself)
 *
 * Also what both drivers' states share: the frozen run configuration and the shard bookkeeping, and the start of
 * one job (shard choice, counters, the worker's inner state advanced on a copy, the pushed vector).
 */
import type { Vec } from '../../../numeric/types.ts';
import { makeOuter } from '../outer/index.ts';
import type { OuterOptimizer, OuterState } from '../outer/index.ts';
import type { InnerState } from '../inner/index.ts';
import { sampleShard } from '../shardSampler.ts';
import type { AsyncHyper, AsyncProblem, OuterConfig, ShardMode } from '../types.ts';
import { makeContext, runJob, type RunContext } from './context.ts';

export interface AsyncParts {
  readonly outer?: (config: OuterConfig) => OuterOptimizer<OuterState>;
  readonly steps?: (speeds: readonly number[], H: number, minSteps: number) => number[];
  readonly push?: (g: Vec) => Vec;
}

/** The run context, with the swapped DyLU counts when hyper.dylu (makeContext validates everything first). */
export function partsContext(fn: string, problem: AsyncProblem, hyper: AsyncHyper, parts: AsyncParts): RunContext {
  const ctx = makeContext(fn, problem, hyper);
  if (!hyper.dylu || !parts.steps) return ctx;
  return Object.freeze({ ...ctx, steps: Object.freeze([...parts.steps(hyper.speeds, hyper.H, hyper.minSteps ?? 1)]) });
}

export function partsOuter(parts: AsyncParts, config: OuterConfig): OuterOptimizer<OuterState> {
  return (parts.outer ?? makeOuter)(config);
}

/** One job (runJob), then what the worker pushes. */
export function partsJob(ctx: RunContext, parts: AsyncParts, theta: Vec, state: InnerState, w: number, shard: number, steps: number, t0: number): Vec {
  const g = runJob(ctx, theta, state, w, shard, steps, t0);
  return parts.push ? parts.push(g) : g;
}

/**
 * Everything a state of either driver shares and never changes during a run (frozen, built once by init):
 * the validated context, the outer optimiser and the swapped parts, the hyperparameters the drivers read.
 */
export interface RunConfig {
  readonly ctx: RunContext;
  readonly parts: AsyncParts;
  readonly outer: OuterOptimizer<OuterState>;
  /** Trace.algorithm */
  readonly algorithm: string;
  readonly k: number;
  readonly speeds: readonly number[];
  readonly gracePeriod: number;
  readonly tMax: number;
  readonly seed: number;
  readonly shardMode: ShardMode;
  /** |D_i|, rows of each shard */
  readonly sizes: readonly number[];
  /** workers with 0 steps per job (DyLU with minSteps 0): they never run */
  readonly parked: readonly number[];
  /** the other workers, in id order */
  readonly active: readonly number[];
}

/** Validates (in the reference order: context, then the outer optimiser) and builds the frozen configuration. */
export function runConfig(fn: string, problem: AsyncProblem, hyper: AsyncHyper, parts: AsyncParts, label: (outerName: string) => string): RunConfig {
  const ctx = partsContext(fn, problem, hyper, parts);
  const outer = partsOuter(parts, hyper.outer);
  return Object.freeze({
    ctx, parts, outer, algorithm: label(outer.name),
    k: hyper.k, speeds: Object.freeze([...hyper.speeds]), gracePeriod: hyper.gracePeriod, tMax: hyper.tMax, seed: hyper.seed, shardMode: hyper.shardMode,
    sizes: Object.freeze(ctx.shards.map((s) => s.X.rows)),
    parked: Object.freeze(ctx.steps.flatMap((s, w) => (s === 0 ? [w] : []))),
    active: Object.freeze(ctx.steps.flatMap((s, w) => (s > 0 ? [w] : []))),
  });
}

/**
 * Shard bookkeeping, which with the job counter is the whole RNG state of a run (the RNG is counter-based):
 * learned (n_i of eq. 2) and visits drive the eq. 2 draws, keyed by (seed, job counter); steps[i] is shard i's
 * step counter, which keys its minibatches (seed, i, shard step) and its eq. 3 learning rate.
 */
export interface ShardBook {
  readonly learned: readonly number[];
  readonly visits: readonly number[];
  readonly steps: readonly number[];
  /** jobs started so far (the counter of the eq. 2 draws) */
  readonly jobs: number;
}

export function emptyBook(S: number): ShardBook {
  const zeros = (): readonly number[] => Object.freeze(new Array<number>(S).fill(0));
  return Object.freeze({ learned: zeros(), visits: zeros(), steps: zeros(), jobs: 0 });
}

/** A caller-owned working copy of a ShardBook, updated by startJob and frozen by `seal`. */
export interface BookDraft {
  learned: number[];
  visits: number[];
  steps: number[];
  jobs: number;
}

export const draftOf = (b: ShardBook): BookDraft => ({ learned: [...b.learned], visits: [...b.visits], steps: [...b.steps], jobs: b.jobs });

export const seal = (d: BookDraft): ShardBook =>
  Object.freeze({ learned: Object.freeze(d.learned), visits: Object.freeze(d.visits), steps: Object.freeze(d.steps), jobs: d.jobs });

export interface StartedJob {
  /** the pushed vector (g = theta_start - theta_end, or a swapped push of it) */
  readonly g: Vec;
  readonly shard: number;
  readonly steps: number;
  /** the worker's inner state after the job (a fresh object; the one passed in is untouched) */
  readonly inner: InnerState;
}

/**
 * Worker w starts a job from theta: picks a shard ('pinned': w; 'eq2': eq. 2 keyed by the job counter), counts it
 * in `book` (a working copy), and runs its steps on a copy of the worker's inner state.
 */
export function startJob(cfg: RunConfig, book: BookDraft, theta: Vec, inner: InnerState, w: number): StartedJob {
  const { ctx } = cfg;
  const steps = ctx.steps[w];
  const shard = cfg.shardMode === 'pinned' ? w : sampleShard({ sizes: cfg.sizes, learned: book.learned, visits: book.visits }, cfg.seed, book.jobs);
  book.jobs += 1;
  book.visits[shard] += 1;
  book.learned[shard] += steps * ctx.batchRows[shard];
  const t0 = book.steps[shard];
  book.steps[shard] += steps;
  const next = ctx.inner.clone(inner);
  const g = partsJob(ctx, cfg.parts, theta, next, w, shard, steps, t0);
  return { g, shard, steps, inner: Object.freeze(next) };
}
