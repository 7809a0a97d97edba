/**
 * The swappable parts of the asynchronous drivers (runAsyncWith, runDiLoCoWith). The reference drivers are these
 * builders with no parts swapped; a planted bug (src/gate/mutants) swaps exactly one:
 *
 *   outer  builds the outer optimiser from hyper.outer              (reference: makeOuter)
 *   steps  the DyLU step counts when hyper.dylu                     (reference: dyluSteps, eq. 6, via makeContext)
 *   push   what the worker sends, given g = theta_start - theta_end (reference: g itself)
 */
import type { Vec } from '../../../numeric/types.ts';
import { makeOuter } from '../outer/index.ts';
import type { OuterOptimizer, OuterState } from '../outer/index.ts';
import type { InnerState } from '../inner/index.ts';
import type { AsyncHyper, AsyncProblem, OuterConfig } from '../types.ts';
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
  return { ...ctx, steps: parts.steps(hyper.speeds, hyper.H, hyper.minSteps ?? 1) };
}

export function partsOuter(parts: AsyncParts, config: OuterConfig): OuterOptimizer<OuterState> {
  return (parts.outer ?? makeOuter)(config);
}

/** One job (runJob), then what the worker pushes. */
export function partsJob(ctx: RunContext, parts: AsyncParts, theta: Vec, state: InnerState, w: number, shard: number, steps: number, t0: number): Vec {
  const g = runJob(ctx, theta, state, w, shard, steps, t0);
  return parts.push ? parts.push(g) : g;
}
