/**
 * Dynamic Local Updates, eq. 6 of Liu et al. 2024 (docs/theory.md#35-dynamic-local-updates):
 *   steps_w = floor(v_w / v_max * H)
 *   v_w = speed of worker w (inner steps per virtual second), H = steps of the fastest worker.
 * Computed as the largest integer s with s / v_w <= H / v_max in floating point, which equals
 * floor(v_w H / v_max) whenever that quotient is not within rounding of an integer, and
 * guarantees what DyLU is for: no worker finishes after the fastest one, and the fastest gets
 * exactly H. So completion times s / v_w lie in (H / v_max - 1 / v_w, H / v_max].
 *
 * Deliberate addition: a floor `minSteps` (default 1; the paper sets none, the notebook's
 * unused helper uses 5): steps_w = max(floor(...), minSteps). With minSteps = 0 a worker with
 * v_w / v_max < 1 / H gets 0 steps; the simulators then PARK it: it never downloads, trains or
 * pushes (a zero pseudo-gradient would still move a momentum optimiser and advance DN's cycle
 * counter, so sending one is not neutral). A worker with 0 steps is recorded in trace.parked.
 */
export function dyluSteps(speeds: readonly number[], H: number, minSteps = 1): number[] {
  if (speeds.length === 0) throw new Error('dyluSteps: speeds is empty (need at least one worker)');
  if (!(Number.isInteger(H) && H >= 1)) throw new Error(`dyluSteps: H must be an integer >= 1, got ${H}`);
  if (!(Number.isInteger(minSteps) && minSteps >= 0 && minSteps <= H)) {
    throw new Error(`dyluSteps: minSteps must be an integer in [0, H] = [0, ${H}], got ${minSteps}`);
  }
  let vmax = 0;
  for (let w = 0; w < speeds.length; w++) {
    const v = speeds[w];
    if (!(Number.isFinite(v) && v > 0)) throw new Error(`dyluSteps: speed of worker ${w} must be positive and finite, got ${v}`);
    if (v > vmax) vmax = v;
  }
  const horizon = H / vmax;
  return speeds.map((v) => {
    let s = Math.min(H, Math.floor((v / vmax) * H));
    while (s > 0 && s / v > horizon) s -= 1;
    while (s < H && (s + 1) / v <= horizon) s += 1;
    return Math.max(s, minSteps);
  });
}
