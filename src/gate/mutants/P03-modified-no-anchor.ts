/**
 * Planted beyond the reported classes of docs/planted-bugs.md (for Z-M2-anchor): Modified Local-GD's "refined aggregation" dropped. The anchored variant
 * sets the anchor coefficient to 0, w^{k+1} = sum_m alpha_m P_m(w^k) instead of sum_m alpha_m P_m((1 - a_k) w^k), i.e. it
 * runs plain averaging of the projections (variant 'avg'). A wrapper that mis-sets what the reference sets right (the
 * anchor a_k); every other variant and capability is the reference. Plain averaging converges to a point of C that is
 * generally not w_hat (Z-M1-not-max-margin), so the anchored claim Z-M2-anchor must fail on it.
 */
import { capability } from '../../subject/index.ts';
import type { ModifiedLocalGDHyper } from '../../optimizers/modifiedLocalGD.ts';
import type { RunFn } from '../../optimizers/types.ts';
import { override } from './types.ts';
import type { Mutant } from './types.ts';

export const mutant: Mutant = {
  id: 'P03-modified-no-anchor',
  bug: 'Modified Local-GD refined aggregation dropped: the anchored variant averages the projections of w^k itself (anchor a_k = 0)',
  source: 'planted for Z-M2-anchor (docs/theory.md#15-modified-local-gd: plain averaging is the counterexample to "refined aggregation -> w_hat")',
  affects: ['modifiedLocalGD'],
  apply: (subject) => {
    const reference = capability<RunFn<ModifiedLocalGDHyper>>(subject, 'modifiedLocalGD');
    const faulty: RunFn<ModifiedLocalGDHyper> = (problem, hyper) =>
      reference(problem, hyper !== null && typeof hyper === 'object' && hyper.variant === 'anchor' ? { ...hyper, variant: 'avg' } : hyper);
    return override(subject, { modifiedLocalGD: faulty });
  },
};
