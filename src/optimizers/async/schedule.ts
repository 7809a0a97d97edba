/**
 * Per-shard learning-rate schedule, eq. 3 of Liu et al. 2024 (docs/theory.md#32-asynchronous-framework), indexed by the
 * shard's own step counter t (the number of inner steps taken on that shard by any worker):
 *   eta_t = eta_max t / t_warmup                                                 if t < t_warmup
 *   eta_t = eta_min + (eta_max - eta_min) (1 + cos(pi r)) / 2,   r = clip((t - t_warmup) / (T - t_warmup), 0, 1)
 * with T - t_warmup clamped at 0. Documented choices where the paper is silent:
 *  - If T <= t_warmup the cosine segment has zero length; then r = 1 for every t >= t_warmup, so
 *    the schedule drops from the warmup ramp to eta_min at t_warmup (the one discontinuity).
 *  - eta_t >= eta_min holds for t >= t_warmup; the warmup ramp starts at 0 as in the paper, so it
 *    lies below eta_min for t < t_warmup eta_min / eta_max.
 *  - Past T the ratio is clipped, so eta_t = eta_min and training continues (eta_min > 0 allowed).
 *   eta_max = lr of the inner optimiser; eta_min, t_warmup, T from ScheduleConfig.
 */
import type { ScheduleConfig } from './types.ts';

export function validateSchedule(fn: string, etaMax: number, s: ScheduleConfig): void {
  if (!(Number.isFinite(etaMax) && etaMax >= 0)) throw new Error(`${fn}: eta_max must be finite and >= 0, got ${etaMax}`);
  if (!(Number.isFinite(s.etaMin) && s.etaMin >= 0 && s.etaMin <= etaMax)) {
    throw new Error(`${fn}: eta_min must lie in [0, eta_max] = [0, ${etaMax}], got ${s.etaMin}`);
  }
  if (!(Number.isInteger(s.warmup) && s.warmup >= 0)) throw new Error(`${fn}: t_warmup must be an integer >= 0, got ${s.warmup}`);
  if (!(Number.isFinite(s.T) && s.T >= 0)) throw new Error(`${fn}: T must be finite and >= 0, got ${s.T}`);
}

/** eta_t of eq. 3 at shard step t (integer >= 0). Validates its arguments. */
export function scheduleLr(etaMax: number, s: ScheduleConfig, t: number): number {
  validateSchedule('scheduleLr', etaMax, s);
  if (!(Number.isInteger(t) && t >= 0)) throw new Error(`scheduleLr: step t must be an integer >= 0, got ${t}`);
  return lrAt(etaMax, s, t);
}

/** Unchecked eq. 3 for the hot loop (arguments validated once by the caller). */
export function lrAt(etaMax: number, s: ScheduleConfig, t: number): number {
  if (t < s.warmup) return (etaMax * t) / s.warmup;
  const span = Math.max(s.T - s.warmup, 0);
  const r = span === 0 ? 1 : Math.min(Math.max((t - s.warmup) / span, 0), 1);
  return s.etaMin + 0.5 * (etaMax - s.etaMin) * (1 + Math.cos(Math.PI * r));
}
