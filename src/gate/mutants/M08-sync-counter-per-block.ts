/**
 * Planted bug M08-sync-counter-per-block (docs/planted-bugs.md#m08-sync-counter-per-block; reported class 8): the averaging period shrinks because the synchronisation counter advances once per
 * parameter group instead of once per local step. With BLOCKS = 2 groups (a weight block and a bias block, the
 * smallest real model) the counter reaches tau after ceil(tau/2) steps, so every worker takes fewer local steps than
 * tau between averagings and the run averages about twice as often as the user asked for.
 * A wrapper that mis-sets what the reference sets right (the period handed to the subject's own LUPA engine):
 * lupaSGD runs with tau' = ceil(tau/2); adaLupaSGD with tau_0' = ceil(tau_0/2) (each adaptive interval is a multiple
 * of tau_0, so it shrinks the same way). Killed by L-5-rounds (averagings != ceil(T/tau)) and L-7-ada-schedule.
 */
import type { AdaLupaSGDHyper } from '../../optimizers/adaLupaSGD.ts';
import type { LupaSGDHyper } from '../../optimizers/lupaSGD.ts';
import { capability } from '../../subject/index.ts';
import type { RunFn } from '../../optimizers/types.ts';
import { override } from './types.ts';
import type { Mutant } from './types.ts';

/** parameter groups the buggy counter steps through per local iteration */
export const BLOCKS = 2;

/** The period the buggy counter actually produces for a requested period. */
export function shrunkPeriod(tau: number): number {
  return Math.max(1, Math.ceil(tau / BLOCKS));
}

export const mutant: Mutant = {
  id: 'M08-sync-counter-per-block',
  bug: 'averaging period shrinks: the sync counter advances once per parameter block (fewer local steps than tau)',
  source: 'reported bug class 8 (docs/planted-bugs.md#reported-bug-classes)',
  affects: ['lupaSGD', 'adaLupaSGD'],
  apply: (subject) => {
    const changes: Record<string, unknown> = {};
    if (subject.lupaSGD !== undefined) {
      const lupa = capability<RunFn<LupaSGDHyper>>(subject, 'lupaSGD');
      changes.lupaSGD = (problem: Parameters<typeof lupa>[0], h: LupaSGDHyper) => lupa(problem, { ...h, tau: shrunkPeriod(h.tau) });
    }
    if (subject.adaLupaSGD !== undefined) {
      const ada = capability<RunFn<AdaLupaSGDHyper>>(subject, 'adaLupaSGD');
      changes.adaLupaSGD = (problem: Parameters<typeof ada>[0], h: AdaLupaSGDHyper) => ada(problem, { ...h, tau0: shrunkPeriod(h.tau0) });
    }
    return override(subject, changes);
  },
};
