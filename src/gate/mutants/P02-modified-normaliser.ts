/**
 * Planted bug P02-modified-normaliser (docs/planted-bugs.md#p02-modified-normaliser; reported class 6: "number of local steps miscounted in a normaliser (steps per epoch instead of total)"),
 * on Modified Local-GD's 'normalized' variant: the server divides node k's displacement by eta * 1 (one full-batch
 * step = one epoch) instead of eta * L_k, i.e. w+ = w + sum_k beta_k (etaG / eta) (w_k - w). The effective server step
 * becomes etaG * L_k, so the L-independence of the normalised variant is lost (Z-M3-normalized).
 *
 * The reference round (_federatedComposite.ts, on the reference's own 'normalized' context) with ONE part swapped:
 * the count handed to the normaliser in foldNode is 1 instead of L_k. The 'avg' and 'anchor' variants (no
 * normaliser) are the reference.
 */
import { normalizedContext, type ModifiedLocalGDHyper } from '../../optimizers/modifiedLocalGD.ts';
import { foldNode } from '../../optimizers/parts/serverUpdate.ts';
import { capability } from '../../subject/index.ts';
import type { RunFn } from '../../optimizers/types.ts';
import { faultyFederatedWith } from './_federatedComposite.ts';
import { override } from './types.ts';
import type { Mutant } from './types.ts';

const FN = 'modifiedLocalGD';

/** The bug: the normaliser counts one step (an epoch of full-batch GD) instead of the L_k local steps taken. */
const normalizedMiscounted = faultyFederatedWith<ModifiedLocalGDHyper>(FN, normalizedContext, {
  fold: (rule, acc, wk, w, beta, _L, first) => foldNode(rule, acc, wk, w, beta, 1, first),
}, false);

export const mutant: Mutant = {
  id: 'P02-modified-normaliser',
  bug: 'Modified Local-GD normaliser uses the wrong count (one step per epoch instead of the L_k local steps taken)',
  source: 'reported bug class 6 (docs/planted-bugs.md#reported-bug-classes)',
  affects: ['modifiedLocalGD'],
  apply: (subject) => {
    const reference = capability<RunFn<ModifiedLocalGDHyper>>(subject, 'modifiedLocalGD');
    const faulty: RunFn<ModifiedLocalGDHyper> = (problem, hyper) =>
      (hyper !== null && typeof hyper === 'object' && hyper.variant === 'normalized' ? normalizedMiscounted(problem, hyper) : reference(problem, hyper));
    return override(subject, { modifiedLocalGD: faulty });
  },
};
