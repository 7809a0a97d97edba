/**
 * Planted bug M05-pseudo-gradient-sign (docs/planted-bugs.md#m05-pseudo-gradient-sign; reported class 5): the pseudo-gradient sign is flipped in a DiLoCo implementation: workers send
 * delta = theta_local - theta_global instead of theta_global - theta_local. The outer optimiser then moves
 * the server model away from the workers' models. Faulty composite of runAsync / runDiLoCo with one part
 * swapped (what a worker pushes; _asyncComposite.ts). The outer optimisers themselves are untouched: their
 * input is the pseudo-gradient, whatever its sign.
 */
import type { Vec } from '../../numeric/types.ts';
import { faultyAsync } from './_asyncComposite.ts';
import { override, type Mutant } from './types.ts';

const push = (g: Vec): Vec => g.map((x) => -x);

export const mutant: Mutant = {
  id: 'M05-pseudo-gradient-sign',
  bug: 'pseudo-gradient sign flipped (delta = local - global instead of global - local)',
  source: 'reported bug class 5 (docs/planted-bugs.md#reported-bug-classes)',
  affects: ['asyncLocalSGD', 'diloco'],
  apply: (subject) => override(subject, faultyAsync({ push })),
};
