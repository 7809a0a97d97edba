/**
 * Hyperparameter checks shared by the optimizers. Each throws a one-line Error naming the function, the rule and
 * the offending value, e.g. `localGD: eta must be positive and finite, got -0.1`.
 */
import type { Vec } from '../../numeric/types.ts';

export function show(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return `[${Array.from(v as ArrayLike<unknown>, show).join(', ')}]`;
  if (v === undefined) return 'undefined';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

export function positiveFinite(fn: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new Error(`${fn}: ${name} must be positive and finite, got ${show(v)}`);
  return v;
}

export function intAtLeast(fn: string, name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new Error(`${fn}: ${name} must be an integer >= ${min}, got ${show(v)}`);
  if (v > 0xffffffff) throw new Error(`${fn}: ${name} must be below 2^32, got ${show(v)}`);
  return v;
}

export function checkSeed(fn: string, seed: unknown): number {
  if (seed === undefined) return 0;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < -0x80000000 || seed > 0xffffffff) {
    throw new Error(`${fn}: seed must be a 32-bit integer, got ${show(seed)}`);
  }
  return seed;
}

/** A validated copy of w0 (zeros if absent): length d, every entry finite. */
export function initialModel(fn: string, d: number, w0: Vec | undefined): Vec {
  if (w0 === undefined) return new Float64Array(d);
  if (!(w0 instanceof Float64Array)) throw new Error(`${fn}: w0 must be a Float64Array, got ${show(w0)}`);
  if (w0.length !== d) throw new Error(`${fn}: w0 has ${w0.length} entries but the problem has d = ${d}`);
  for (let j = 0; j < d; j++) if (!Number.isFinite(w0[j])) throw new Error(`${fn}: w0[${j}] = ${show(w0[j])} is not finite`);
  return Float64Array.from(w0);
}

/** Step size: a constant eta, or the schedule eta_t = a / (mu (t + b)) of LUPA-SGD (docs/theory.md#23-main-result). */
export type StepSize = number | { readonly a: number; readonly b: number; readonly mu: number };

export function checkStepSize(fn: string, eta: unknown): StepSize {
  if (typeof eta === 'number') return positiveFinite(fn, 'eta', eta);
  if (eta === null || typeof eta !== 'object') throw new Error(`${fn}: eta must be a number or { a, b, mu }, got ${show(eta)}`);
  const { a, b, mu } = eta as { a: unknown; b: unknown; mu: unknown };
  positiveFinite(fn, 'eta.a', a);
  positiveFinite(fn, 'eta.mu', mu);
  if (typeof b !== 'number' || !(b > 0) || !Number.isFinite(b)) {
    throw new Error(`${fn}: eta.b must be positive and finite (eta_t = a/(mu (t + b)) at t = 0), got ${show(b)}`);
  }
  return { a: a as number, b, mu: mu as number };
}

/** eta_t for the 0-based iteration t. */
export function stepAt(eta: StepSize, t: number): number {
  return typeof eta === 'number' ? eta : eta.a / (eta.mu * (t + eta.b));
}

/** Throws if some entry of the new global model is not finite (the run diverged). */
export function checkFiniteModel(fn: string, w: Vec, round: number, hint: string): void {
  let probe = 0;
  for (let j = 0; j < w.length; j++) probe += w[j] * 0; // NaN iff some entry is NaN or infinite
  if (probe === 0) return;
  for (let j = 0; j < w.length; j++) {
    if (!Number.isFinite(w[j])) {
      throw new Error(`${fn}: the global model is not finite after round ${round} (w[${j}] = ${w[j]}); the run diverged (${hint})`);
    }
  }
}

/** Prefix an error from a lower layer with the round (and node) where it happened; keeps it one line. */
export function rethrowAt(fn: string, where: string, e: unknown): never {
  const msg = e instanceof Error ? e.message : String(e);
  throw new Error(`${fn}: ${where}: ${msg}`);
}
