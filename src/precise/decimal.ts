/**
 * Decimal contexts and exact conversions for the certified solvers.
 *
 * Every solver builds its own constructor with `decimalContext(digits)` (a `Decimal.clone`),
 * never touching the global Decimal settings.
 *
 * Exact conversion of doubles: `new D(x)` for a number goes through the shortest round-trip
 * string, which is NOT the value of the double (0.1 becomes 0.1, while the double is
 * 0.1000000000000000055511151231257827021181583404541015625). We instead write the double as
 * m * 2^e (src/precise/dyadic.ts) and, for e < 0, as (m * 5^-e) * 10^e, whose decimal string
 * is exact; the Decimal constructor does not round, so the result is the double's exact value
 * (up to 767 significant digits for subnormals, but a handful for data on dyadic grids).
 * Arithmetic on it then rounds to the context precision, as every Decimal operation does.
 */
import { Decimal } from 'decimal.js';
import { decompose } from './dyadic.ts';

/** A Decimal constructor made by `Decimal.clone`. */
export type DecimalCtor = typeof Decimal;
export type Dec = Decimal;

/** Smallest and largest digits accepted by the solvers (thresholds like 10^-(digits+1) must stay within f64 range). */
export const MIN_DIGITS = 6;
export const MAX_DIGITS = 300;

/** A fresh Decimal constructor with `precision` significant digits, round-half-even. */
export function decimalContext(precision: number): DecimalCtor {
  if (!Number.isInteger(precision) || precision < 1 || precision > 1e6) {
    throw new Error(`decimalContext: precision must be an integer in [1, 1e6], got ${precision}`);
  }
  return Decimal.clone({ precision, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -7, toExpPos: 21 });
}

/** Validate the `digits` option of a solver (named `who` in the message). */
export function checkDigits(digits: number, who: string): number {
  if (!Number.isInteger(digits) || digits < MIN_DIGITS || digits > MAX_DIGITS) {
    throw new Error(`${who}: digits must be an integer in [${MIN_DIGITS}, ${MAX_DIGITS}], got ${digits}`);
  }
  return digits;
}

const pow5: bigint[] = [1n];
/** 5^k as a BigInt (cached). */
export function pow5Big(k: number): bigint {
  while (pow5.length <= k) pow5.push(pow5[pow5.length - 1] * 5n);
  return pow5[k];
}

/** Exact decimal string of m * 2^e (m an integer). */
export function dyadicString(m: bigint, e: number): string {
  if (m === 0n) return '0';
  if (e >= 0) return (m << BigInt(e)).toString();
  return `${(m * pow5Big(-e)).toString()}e${e}`;
}

/** The exact value m * 2^e as a Decimal of constructor D (not rounded by the constructor). */
export function decimalFromDyadic(D: DecimalCtor, m: bigint, e: number): Decimal {
  return new D(dyadicString(m, e));
}

/** The exact value of the double x as a Decimal of constructor D. */
export function decimalFromDouble(D: DecimalCtor, x: number): Decimal {
  if (!Number.isFinite(x)) throw new Error(`decimalFromDouble: expected a finite double, got ${x}`);
  const { m, e } = decompose(x);
  return decimalFromDyadic(D, BigInt(m), e);
}

/** Comparison of Decimal values: negative, zero or positive. The solvers use this, never `<` on objects. */
export type DecimalCompare = (a: Decimal, b: Decimal) => number;

/** The correct comparator (Decimal.prototype.cmp). */
export const decimalCompare: DecimalCompare = (a, b) => a.cmp(b);

/** Euclidean norm of Decimal values, in the precision of D. */
export function decimalNorm(D: DecimalCtor, xs: readonly Decimal[]): Decimal {
  let s = new D(0);
  for (const x of xs) s = s.plus(x.times(x));
  return s.sqrt();
}

/** Largest value under `cmp` (the first one wins ties); throws on an empty list. */
export function decimalMax(xs: readonly Decimal[], cmp: DecimalCompare = decimalCompare): Decimal {
  if (xs.length === 0) throw new Error('decimalMax: empty list');
  let best = xs[0];
  for (let i = 1; i < xs.length; i++) if (cmp(xs[i], best) > 0) best = xs[i];
  return best;
}

/** Smallest value under `cmp`; throws on an empty list. */
export function decimalMin(xs: readonly Decimal[], cmp: DecimalCompare = decimalCompare): Decimal {
  if (xs.length === 0) throw new Error('decimalMin: empty list');
  let best = xs[0];
  for (let i = 1; i < xs.length; i++) if (cmp(xs[i], best) < 0) best = xs[i];
  return best;
}

/** 10^-k as a Decimal of D. */
export function tenToMinus(D: DecimalCtor, k: number): Decimal {
  return new D(`1e-${k}`);
}

/** A Decimal as a string with at most `digits` significant digits (round-half-even). */
export function formatDecimal(x: Decimal, digits: number): string {
  return x.toSignificantDigits(digits, Decimal.ROUND_HALF_EVEN).toString();
}

/** A non-negative bound as a short string, rounded UP so the printed value is still a bound. */
export function formatUpper(x: Decimal, digits = 6): string {
  return x.toSignificantDigits(digits, Decimal.ROUND_UP).toString();
}
