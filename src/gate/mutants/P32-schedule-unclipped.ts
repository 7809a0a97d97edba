/**
 * Planted beyond the table (for property A-7): the eq. 3 cosine ratio (t - t_warmup) / (T - t_warmup) is not
 * clipped to [0, 1], so past T the rate climbs back from eta_min towards eta_max instead of staying at eta_min
 * (a schedule run longer than planned). Replaces 'scheduleLr' only.
 */
import { validateSchedule } from '../../optimizers/async/index.ts';
import type { ScheduleConfig } from '../../optimizers/async/index.ts';
import { override, type Mutant } from './types.ts';

export function scheduleUnclipped(etaMax: number, s: ScheduleConfig, t: number): number {
  validateSchedule('scheduleUnclipped', etaMax, s);
  if (t < s.warmup) return (etaMax * t) / s.warmup;
  const span = Math.max(s.T - s.warmup, 0);
  const r = span === 0 ? 1 : (t - s.warmup) / span; // the bug: no clip to [0, 1]
  return s.etaMin + 0.5 * (etaMax - s.etaMin) * (1 + Math.cos(Math.PI * r));
}

export const mutant: Mutant = {
  id: 'P32-schedule-unclipped',
  bug: 'cosine ratio of the eq. 3 schedule not clipped: past T the rate climbs back towards eta_max',
  source: 'planted for A-7 (eq. 3 clipping); no reported class in docs/planted-bugs.md',
  affects: ['scheduleLr'],
  apply: (subject) => override(subject, { scheduleLr: scheduleUnclipped }),
};
