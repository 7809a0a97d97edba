/**
 * workerSpeeds: speeds (local steps per virtual second) of p asynchronous workers (docs/theory.md#35-dynamic-local-updates DyLU, docs/theory.md#38-the-official-toy-notebook the
 * notebook's simulated devices; docs/theory.md#37-experiments-and-headline-numbers the paper's "no / slight / moderate / very" heterogeneity).
 *
 * Speeds are dyadic: integers times 1/4, the fastest in [4, 16] steps/s (times ceil(minStragglerRatio / 8)). Regimes,
 * each built by construction:
 *   'homogeneous'  every worker has the same speed
 *   'mild'         max/min in (1, 2]
 *   'very'         max/min in (2, maxRatio] (maxRatio up to 10 by default), with the extremes attained
 *   'stragglers'   one or more (at most about a quarter, at least one) workers are slower than all others by a factor
 *                  of at least minStragglerRatio (default 5); the rest are within a factor 2 of each other. The
 *                  stragglers' max/min is NOT bounded by maxRatio (maxRatio applies to 'very' only): it can reach
 *                  64 max(1, ceil(minStragglerRatio / 8)) (the fastest speed over the smallest, 1/4), e.g. 36 seen in
 *                  400 default draws
 * With p = 1 every regime degenerates to one speed; the value's `regime` is then 'homogeneous'.
 *
 * Shrinking: fewer workers, toward 'homogeneous', toward speed 1.
 *
 * Regimes (meta.regimes; each at least 5% of draws under the default constraints): 'homogeneous', 'mild', 'very',
 * 'stragglers', 'ratio>=5' (max/min >= 5), 'ratio>=8' (max/min >= 8: very heterogeneous, close to the 10x of the
 * issue; reached by 'very' with rho >= 8 and by most straggler draws; about 22-28% of default draws), 'p=1', 'DyLU-zero-steps' (some worker gets floor(v/v_max H) = 0 local
 * steps for H = 8, the edge case of docs/theory.md#35-dynamic-local-updates).
 */
import fc from 'fast-check';
import { withPrinter } from './_internals/instance.ts';
import { checkKeys, intIn, numIn, oneOf, ordered } from './_internals/validate.ts';

export type SpeedRegime = 'homogeneous' | 'mild' | 'very' | 'stragglers';
export const SPEED_REGIMES: readonly SpeedRegime[] = ['homogeneous', 'mild', 'very', 'stragglers'];

export interface WorkerSpeedsConstraints {
  /** default 1 */
  readonly minWorkers?: number;
  /** default 8 */
  readonly maxWorkers?: number;
  /** one regime or 'any' (default) */
  readonly regime?: SpeedRegime | 'any';
  /** the largest max/min ratio for 'very' (default 10; at least 2.5); stragglers are not bounded by it */
  readonly maxRatio?: number;
  /** stragglers are slower than every other worker by at least this factor (default 5; in [2, 32]) */
  readonly minStragglerRatio?: number;
}

export interface WorkerSpeeds {
  /** steps per virtual second, one per worker, dyadic */
  readonly speeds: readonly number[];
  readonly regime: SpeedRegime;
  /** max/min of the speeds */
  readonly ratio: number;
  readonly meta: { readonly regimes: readonly string[] };
}

export const WORKER_SPEED_REGIMES = [
  'homogeneous', 'mild', 'very', 'stragglers', 'ratio>=5', 'ratio>=8', 'p=1', 'DyLU-zero-steps',
] as const;

const FN = 'workerSpeeds';
const KEYS = ['minWorkers', 'maxWorkers', 'regime', 'maxRatio', 'minStragglerRatio'];
const Q = 4; // speeds are integers / Q
const DYLU_H = 8;

export function workerSpeeds(constraints: WorkerSpeedsConstraints = {}): fc.Arbitrary<WorkerSpeeds> {
  checkKeys(FN, constraints, KEYS);
  const minW = intIn(FN, 'minWorkers', constraints.minWorkers, 1, 1024, 1);
  const maxW = intIn(FN, 'maxWorkers', constraints.maxWorkers, 1, 1024, Math.max(8, minW));
  ordered(FN, 'minWorkers', minW, 'maxWorkers', maxW);
  const regime = oneOf(FN, 'regime', constraints.regime, [...SPEED_REGIMES, 'any'], 'any');
  const maxRatio = numIn(FN, 'maxRatio', constraints.maxRatio, 2.5, 64, 10);
  const strag = numIn(FN, 'minStragglerRatio', constraints.minStragglerRatio, 2, 32, 5);
  if (regime !== 'homogeneous' && regime !== 'any' && maxW < 2) {
    throw new Error(`${FN}: regime '${regime}' needs constraints.maxWorkers >= 2, got ${maxW}`);
  }
  const minForRegime = regime === 'homogeneous' || regime === 'any' ? minW : Math.max(2, minW);
  const recipe = fc.record({
    p: fc.integer({ min: minForRegime, max: maxW }),
    regime: regime === 'any' ? fc.constantFrom(...SPEED_REGIMES) : fc.constant(regime),
    base: fc.integer({ min: 0, max: 12 }),
    fractions: fc.array(fc.integer({ min: 0, max: 64 }), { maxLength: 64, size: 'max' }),
    ratioPick: fc.integer({ min: 0, max: 64 }),
    stragglers: fc.integer({ min: 0, max: 255 }),
  });
  return recipe.map((r) => withPrinter(build(r, maxRatio, strag), (v) => JSON.stringify(v)));
}

/** The hypotheses of a regime, as a one-line failure or null (the same rules as the construction). */
export function checkSpeedRegime(v: WorkerSpeeds, maxRatio = 10, minStragglerRatio = 5): string | null {
  const s = v.speeds;
  if (s.length === 0 || s.some((x) => !(x > 0) || !Number.isFinite(x) || (x * Q) % 1 !== 0)) {
    return `speeds must be positive multiples of 1/${Q}: ${JSON.stringify(s)}`;
  }
  const ratio = Math.max(...s) / Math.min(...s);
  if (ratio !== v.ratio) return `ratio ${v.ratio} is not max/min = ${ratio}`;
  if (v.regime === 'homogeneous' && ratio !== 1) return `homogeneous speeds differ: ${JSON.stringify(s)}`;
  if (v.regime === 'mild' && !(ratio > 1 && ratio <= 2)) return `mild ratio ${ratio} not in (1, 2]`;
  if (v.regime === 'very' && !(ratio > 2 && ratio <= maxRatio)) return `very ratio ${ratio} not in (2, ${maxRatio}]`;
  if (v.regime === 'stragglers') {
    const sorted = [...s].sort((a, b) => a - b);
    // some split: k >= 1 slowest workers (k <= max(1, floor(p/4))) slower than the rest by >= minStragglerRatio
    const kMax = Math.max(1, Math.floor(s.length / 4));
    let ok = false;
    for (let k = 1; k <= kMax && k < s.length; k++) {
      const rest = sorted.slice(k);
      if (rest[0] / sorted[k - 1] >= minStragglerRatio && rest[rest.length - 1] / rest[0] <= 2) ok = true;
    }
    if (!ok) return `no straggler split with factor >= ${minStragglerRatio}: ${JSON.stringify(s)}`;
  }
  return null;
}

interface Recipe {
  p: number;
  regime: SpeedRegime;
  base: number;
  fractions: number[];
  ratioPick: number;
  stragglers: number;
}

function build(r: Recipe, maxRatio: number, strag: number): WorkerSpeeds {
  const p = r.p;
  const regime: SpeedRegime = p === 1 ? 'homogeneous' : r.regime;
  const f = (i: number) => (r.fractions.length === 0 ? 0 : r.fractions[i % r.fractions.length]) / 64; // in [0, 1]
  // the fastest speed, in units of 1/Q: [4, 16] steps/s (times m, so that fast/2 >= strag and stragglers fit the grid)
  const fast = Q * (4 + r.base) * Math.max(1, Math.ceil(strag / 8));
  const q = new Array<number>(p).fill(fast);
  if (regime === 'mild') {
    // [fast/2, fast], at least one strictly slower worker: ratio in (1, 2]
    for (let i = 1; i < p; i++) q[i] = Math.ceil(fast / 2 + (fast / 2) * f(i));
    q[p - 1] = Math.min(q[p - 1], fast - 1);
  } else if (regime === 'very') {
    // ratio rho in (2, maxRatio]: slowest = ceil(fast / rho) with rho chosen by ratioPick; others in between
    const rho = 2 + ((maxRatio - 2) * (1 + r.ratioPick)) / 65;
    const slow = Math.min(Math.ceil(fast / rho), fast / 2 - 1); // fast is even; fast/(fast/2 - 1) <= 16/7 < 2.5
    q[p - 1] = slow;
    for (let i = 1; i < p - 1; i++) q[i] = slow + Math.round((fast - slow) * f(i));
  } else if (regime === 'stragglers') {
    // s stragglers (1 <= s <= max(1, floor(p/4))) at speed <= min(others) / strag; others within a factor 2
    const s = 1 + (r.stragglers % Math.max(1, Math.floor(p / 4)));
    for (let i = 1; i < p - s; i++) q[i] = Math.ceil(fast / 2 + (fast / 2) * f(i));
    const othersMin = Math.min(...q.slice(0, p - s));
    const top = Math.max(1, Math.floor(othersMin / strag));
    for (let i = p - s; i < p; i++) q[i] = Math.max(1, Math.floor(top * (0.5 + 0.5 * f(i))));
  }
  const speeds = q.map((x) => x / Q);
  const ratio = Math.max(...speeds) / Math.min(...speeds);
  const regimes: string[] = [regime];
  if (ratio >= 5) regimes.push('ratio>=5');
  if (ratio >= 8) regimes.push('ratio>=8');
  if (p === 1) regimes.push('p=1');
  const vmax = Math.max(...speeds);
  if (speeds.some((v) => Math.floor((v / vmax) * DYLU_H) === 0)) regimes.push('DyLU-zero-steps');
  return { speeds, regime, ratio, meta: { regimes } };
}
