/**
 * Tolerance helpers. A tolerance is never a bare number: it is k * EPS * scale with
 * k and scale named, or a value derived from the instance, and it carries its reason.
 */
export const EPS = Number.EPSILON; // 2^-52, unit roundoff of f64 is EPS/2
export const EPS32 = 2 ** -23; // f32 machine epsilon (GPU backend)

export interface Tolerance {
  readonly value: number;
  /** one line: where the number comes from */
  readonly why: string;
}

/** k * EPS * scale, e.g. epsTol(10 * n, normX * normW, 'backward error of a length-n dot') */
export function epsTol(k: number, scale: number, why: string, eps = EPS): Tolerance {
  if (!(k > 0) || !Number.isFinite(k)) throw new Error(`epsTol: k must be positive and finite, got ${k}`);
  if (!(scale >= 0) || !Number.isFinite(scale)) throw new Error(`epsTol: scale must be non-negative and finite, got ${scale}`);
  return { value: k * eps * scale, why: `${k} * eps * ${scale.toExponential(3)}: ${why}` };
}

/** |a - b| <= tol.value, NaN never passes. */
export function within(a: number, b: number, tol: Tolerance | number): boolean {
  const t = typeof tol === 'number' ? tol : tol.value;
  const d = Math.abs(a - b);
  return d <= t;
}

/** Relative difference |a-b| / max(|a|,|b|, floor). */
export function relDiff(a: number, b: number, floor = Number.MIN_VALUE): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}
