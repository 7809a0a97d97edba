/** Shared helpers for the async simulator tests (not a test file itself). */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Vec } from '../../../src/numeric/types.ts';

/** The message of the error fn throws; fails if it does not throw or the message spans lines. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    const msg = (e as Error).message;
    expect(msg).not.toMatch(/[\r\n]/);
    return msg;
  }
  throw new Error('expected a throw, but the call returned');
}

/** Values j / den with |j| <= span: exact in f64, so the identities see no input rounding. */
export const dyadic = (span: number, den: number): fc.Arbitrary<number> => fc.integer({ min: -span, max: span }).map((j) => j / den);

/** A vector of `n` dyadic entries in [-1, 1] on the 1/64 grid. */
export const dyadicVec = (n: number): fc.Arbitrary<Vec> => fc.array(dyadic(64, 64), { minLength: n, maxLength: n }).map((a) => Float64Array.from(a));

/** beta on the 1/16 grid in [0, 15/16] (outer momentum must be < 1). */
export const betaArb = fc.integer({ min: 0, max: 15 }).map((j) => j / 16);
/** eps on the 1/16 grid in [1/16, 1]. */
export const epsArb = fc.integer({ min: 1, max: 16 }).map((j) => j / 16);

export function maxAbs(...xs: Vec[]): number {
  let m = 0;
  for (const x of xs) for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

export function maxAbsDiff(a: Vec, b: Vec): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Bit-for-bit equality of two Float64Arrays (Object.is per entry, so -0 and NaN are exact too). */
export function sameBits(a: Vec, b: Vec): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
