/**
 * Planted bug M02-uniform-weights (docs/planted-bugs.md#m02-uniform-weights; reported class 2): an unweighted mean where sample-count weighting was specified. A wrapper that
 * mis-sets what the reference sets right: when the caller leaves the aggregation weights at their default
 * ('samples', alpha_k = n_k / N) or asks for 'samples' explicitly, the run uses alpha_k = 1/K instead. Explicit
 * weights ('uniform', 'given', numbers) pass through, as in the frameworks where only the default path was wrong.
 * Visible only when the nodes hold different numbers of samples (the frameworks' own tests used equal sizes).
 */
import type { RunFn } from '../../optimizers/types.ts';
import type { Subject } from '../../spec/types.ts';
import { capability } from '../../subject/index.ts';
import { override } from './types.ts';
import type { Mutant } from './types.ts';

const AFFECTS = ['localGD', 'localSGD', 'modifiedLocalGD'] as const;

type AlphaHyper = { readonly alpha?: unknown };

/** The run with the default weights replaced by 1/K. */
function uniformByDefault(run: RunFn<AlphaHyper>): RunFn<AlphaHyper> {
  return (problem, hyper) => {
    const asked = hyper === null || typeof hyper !== 'object' ? undefined : hyper.alpha;
    return run(problem, asked === undefined || asked === 'samples' ? { ...hyper, alpha: 'uniform' } : hyper);
  };
}

export const mutant: Mutant = {
  id: 'M02-uniform-weights',
  bug: 'unweighted mean (1/K) where sample-count weighting (n_k/N) was specified',
  source: 'reported bug class 2 (docs/planted-bugs.md#reported-bug-classes)',
  affects: AFFECTS,
  apply: (subject: Subject) => override(subject, Object.fromEntries(
    AFFECTS.filter((name) => subject[name] !== undefined).map((name) => [name, uniformByDefault(capability<RunFn<AlphaHyper>>(subject, name))]),
  )),
};
