/**
 * Not a mutant: the builder of faulty asynchronous Local-SGD subjects. The reference drivers take their swappable
 * parts (src/optimizers/async/_internals/parts.ts: the outer optimiser, the DyLU step counts, the pushed
 * pseudo-gradient) through runAsyncWith / runDiLoCoWith; runAsync and runDiLoCo are those builders with no part
 * swapped. A mutant file swaps exactly one part here, so it differs from the reference in that part only, and
 * test/gate/mutants/asyncComposite.test.ts checks that no swapped part is the reference bit for bit.
 */
import { runAsyncWith, runDiLoCoWith } from '../../optimizers/async/index.ts';
import type { AsyncHyper, AsyncParts, AsyncProblem, AsyncTrace } from '../../optimizers/async/index.ts';

export type AsyncHooks = AsyncParts;
export type AsyncRun = (problem: AsyncProblem, hyper: AsyncHyper) => AsyncTrace;

/** Both drivers with the same swapped parts. */
export function faultyAsync(hooks: AsyncHooks): { asyncLocalSGD: AsyncRun; diloco: AsyncRun } {
  return { asyncLocalSGD: runAsyncWith(hooks), diloco: runDiLoCoWith(hooks) };
}
