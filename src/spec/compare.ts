/**
 * The comparisons, chosen by kind. A comparison measures a signed `difference` and the `allowed` slack
 * (abs + rel · scale); it holds iff difference <= allowed. `used` = difference / allowed ranks instances by
 * how close they came (<= 1 holds).
 */
import type { Kind, ToleranceSpec, Value } from './types.ts';

export interface Comparison {
  readonly ok: boolean;
  readonly difference: number;
  readonly allowed: number;
  readonly used: number;
  /** element of the worst difference (vectors and sequences) */
  readonly index?: number;
  /** the two numbers compared at that element */
  readonly observedAt: number;
  readonly boundAt: number;
}

/** difference / allowed; with no slack, exact agreement sits on the edge (1) and any excess is infinite. */
export function usedRatio(difference: number, allowed: number): number {
  if (allowed > 0) return difference / allowed;
  return difference > 0 ? Infinity : difference === 0 ? 1 : -Infinity;
}

/** null when v is a finite number or a non-empty vector of finite numbers; else the problem, naming `what`. */
export function valueProblem(v: unknown, what: string): string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? null : `${what} is ${v}`;
  if (!(Array.isArray(v) || v instanceof Float64Array)) {
    return `${what} must be a number or a number array, got ${v === null ? 'null' : typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v}`;
  }
  if (v.length === 0) return `${what} is an empty array`;
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as unknown;
    if (typeof x !== 'number') return `${what}[${i}] is a ${typeof x}, not a number`;
    if (!Number.isFinite(x)) return `${what}[${i}] is ${x}`;
  }
  return null;
}

/** null when observed and bound have the same shape; else a one-line description of the mismatch. */
export function shapeProblem(observed: Value, bound: Value): string | null {
  const on = typeof observed === 'number';
  const bn = typeof bound === 'number';
  if (on && bn) return null;
  if (on !== bn) return `observed is ${on ? 'a number' : `an array of ${(observed as ArrayLike<number>).length}`} but bound is ${bn ? 'a number' : `an array of ${(bound as ArrayLike<number>).length}`}`;
  const lo = (observed as ArrayLike<number>).length;
  const lb = (bound as ArrayLike<number>).length;
  return lo === lb ? null : `observed has ${lo} entries but bound has ${lb}`;
}

function slack(tol: ToleranceSpec, scale: number): number {
  return (tol.abs ?? 0) + (tol.rel ?? 0) * scale;
}

/**
 * tight / equivalence: |o - b| <= abs + rel·|b| (vectors: max_i |o_i - b_i| <= abs + rel·max_i |b_i|);
 * upper-bound: o - b <= abs + rel·|b|, elementwise for vectors. Shapes must already agree (shapeProblem).
 */
export function compareValues(kind: Exclude<Kind, 'monotone' | 'frequency'>, observed: Value, bound: Value, tol: ToleranceSpec): Comparison {
  if (typeof observed === 'number' && typeof bound === 'number') {
    const difference = kind === 'upper-bound' ? observed - bound : Math.abs(observed - bound);
    const allowed = slack(tol, Math.abs(bound));
    return { ok: difference <= allowed, difference, allowed, used: usedRatio(difference, allowed), observedAt: observed, boundAt: bound };
  }
  const o = observed as ArrayLike<number>;
  const b = bound as ArrayLike<number>;
  let worst = 0;
  let worstUsed = -Infinity;
  let ok = true;
  let normB = 0;
  for (let i = 0; i < b.length; i++) normB = Math.max(normB, Math.abs(b[i]));
  const uniform = slack(tol, normB);
  for (let i = 0; i < o.length; i++) {
    const d = kind === 'upper-bound' ? o[i] - b[i] : Math.abs(o[i] - b[i]);
    const a = kind === 'upper-bound' ? slack(tol, Math.abs(b[i])) : uniform;
    if (!(d <= a)) ok = false;
    const u = usedRatio(d, a);
    if (u > worstUsed) {
      worstUsed = u;
      worst = i;
    }
  }
  const d = kind === 'upper-bound' ? o[worst] - b[worst] : Math.abs(o[worst] - b[worst]);
  const a = kind === 'upper-bound' ? slack(tol, Math.abs(b[worst])) : uniform;
  return { ok, difference: d, allowed: a, used: worstUsed, index: worst, observedAt: o[worst], boundAt: b[worst] };
}

/**
 * monotone: every step s[i+1] - s[i] (non-increasing; the negative for non-decreasing) is at most
 * abs + rel·|s[i]|. The reported element is the worst step; bound is the previous value. Needs >= 2 entries.
 */
export function compareMonotone(direction: 'non-increasing' | 'non-decreasing', seq: ArrayLike<number>, tol: ToleranceSpec): Comparison {
  const sign = direction === 'non-increasing' ? 1 : -1;
  let worst = 1;
  let worstUsed = -Infinity;
  let ok = true;
  for (let i = 1; i < seq.length; i++) {
    const d = sign * (seq[i] - seq[i - 1]);
    const a = slack(tol, Math.abs(seq[i - 1]));
    if (!(d <= a)) ok = false;
    const u = usedRatio(d, a);
    if (u > worstUsed) {
      worstUsed = u;
      worst = i;
    }
  }
  const difference = sign * (seq[worst] - seq[worst - 1]);
  const allowed = slack(tol, Math.abs(seq[worst - 1]));
  return { ok, difference, allowed, used: worstUsed, index: worst, observedAt: seq[worst], boundAt: seq[worst - 1] };
}
