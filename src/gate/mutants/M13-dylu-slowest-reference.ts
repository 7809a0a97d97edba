/**
 * Planted bug M13-dylu-slowest-reference (docs/planted-bugs.md#m13-dylu-slowest-reference; reported class 13): dynamic local updates use the slowest worker as the reference,
 * steps = floor(v / v_min * H) instead of eq. 6's floor(v / v_max * H). The slowest worker gets H steps and
 * everyone else more (the fastest v_max / v_min times H), so workers no longer finish together and the
 * fastest no longer gets H. Replaces 'dyluSteps' and, through _asyncComposite.ts, the DyLU part of
 * asyncLocalSGD and diloco (the reference's minSteps floor is kept).
 */
import { override, type Mutant } from './types.ts';
import { faultyAsync } from './_asyncComposite.ts';

export function dyluSlowestReference(speeds: readonly number[], H: number, minSteps = 1): number[] {
  if (speeds.length === 0) throw new Error('dyluSlowestReference: speeds is empty (need at least one worker)');
  const vmin = Math.min(...speeds);
  return speeds.map((v) => Math.max(Math.floor((v / vmin) * H), minSteps));
}

export const mutant: Mutant = {
  id: 'M13-dylu-slowest-reference',
  bug: 'dynamic local updates use the slowest worker as reference: steps = floor(v / v_min * H)',
  source: 'reported bug class 13 (docs/planted-bugs.md#reported-bug-classes)',
  affects: ['dyluSteps', 'asyncLocalSGD', 'diloco'],
  apply: (subject) => override(subject, { dyluSteps: dyluSlowestReference, ...faultyAsync({ steps: dyluSlowestReference }) }),
};
