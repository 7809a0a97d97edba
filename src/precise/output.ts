/**
 * Output of exact fixed-point iterates: correctly rounded decimal strings (BigInt arithmetic,
 * no Decimal at 200 digits), their rounding error, and norms as upper bounds. Bounds are
 * computed with a relative slack of 1e-12 on top of f64 rounding (which is below 1e-15 here)
 * and printed rounded up.
 */
import { Decimal } from 'decimal.js';
import { bigToNumber, bitLength, ldexp } from './dyadic.ts';

const LOG10_2 = Math.log10(2);
/** constructor used only to format strings (the constructor never rounds) and for short bounds */
const SHORT = Decimal.clone({ precision: 20, rounding: Decimal.ROUND_UP, toExpNeg: -7, toExpPos: 21 });
const SLACK = 1 + 1e-12;

const pow10: bigint[] = [1n];
function pow10Big(k: number): bigint {
  while (pow10.length <= k) pow10.push(pow10[pow10.length - 1] * 10n);
  return pow10[k];
}

/** a / b for big non-negative a and positive b, as a double, without overflow. */
function ratio(a: bigint, b: bigint): number {
  const s = Math.max(0, bitLength(b) - 60);
  return bigToNumber(a, -s) / bigToNumber(b, -s);
}

/**
 * m * 2^-F correctly rounded (half-even) to `digits` significant digits, formatted like
 * decimal.js's toString, and the relative rounding error (rounded - exact) / exact as a double.
 */
export function roundDyadic(m: bigint, F: number, digits: number): { str: string; relErr: number } {
  if (m === 0n) return { str: '0', relErr: 0 };
  const neg = m < 0n;
  let a = neg ? -m : m;
  if (F < 0) {
    a <<= BigInt(-F);
    F = 0;
  }
  const den0 = 1n << BigInt(F);
  let t = digits + 2 - Math.floor((bitLength(a) - F) * LOG10_2);
  for (;;) {
    const num = t >= 0 ? a * pow10Big(t) : a;
    const den = t >= 0 ? den0 : den0 * pow10Big(-t);
    const q = num / den;
    const qs = q.toString();
    if (qs.length < digits + 1) {
      t += digits + 1 - qs.length;
      continue;
    }
    const sticky = num % den !== 0n;
    const head = qs.slice(0, digits);
    const tail = qs.slice(digits);
    let up: boolean;
    if (tail[0] > '5') up = true;
    else if (tail[0] < '5') up = false;
    else if (sticky || /[1-9]/.test(tail.slice(1))) up = true;
    else up = (head.charCodeAt(head.length - 1) & 1) === 1;
    const H = up ? BigInt(head) + 1n : BigInt(head);
    const e10 = qs.length - t - digits; // rounded value = H * 10^e10
    const str = new SHORT(`${neg ? '-' : ''}${H}e${e10}`).toString();
    let relErr: number;
    if (e10 >= 0) relErr = ratio(((H * pow10Big(e10)) << BigInt(F)) - a, a);
    else {
      const aa = a * pow10Big(-e10);
      relErr = ratio((H << BigInt(F)) - aa, aa);
    }
    return { str, relErr };
  }
}

/**
 * Rounded outputs of the fixed-point vector W * 2^-F: f64 values, decimal strings, and an upper bound on ||decimal - exact||.
 * Entries with |W_j 2^-F| < zeroBelow (an absolute threshold, default 0: none) are returned as 0: callers pass a level
 * below the certified normwise accuracy, so such entries carry no correct digit. Their full value enters roundingNorm.
 */
export function roundVector(W: readonly bigint[], F: number, digits: number, zeroBelow = 0, zeroExp = 0): { x: Float64Array; strs: string[]; roundingNorm: Decimal } {
  const strs: string[] = [];
  const rel: number[] = [];
  // zeroBelow is in units of 2^zeroExp (so thresholds near the ends of the f64 range stay representable)
  const snap = W.map((b) => zeroBelow > 0 && b !== 0n && Math.abs(bigToNumber(b, -F - zeroExp)) < zeroBelow);
  W.forEach((b, j) => {
    if (snap[j]) {
      strs.push('0');
      rel.push(-1); // (0 - exact) / exact
      return;
    }
    const r = roundDyadic(b, F, digits);
    strs.push(r.str);
    rel.push(r.relErr);
  });
  const x = Float64Array.from(W, (b, j) => (snap[j] ? 0 : bigToNumber(b, -F)));
  const errs = W.map((b, j) => ({ b, rel: rel[j] }));
  return { x, strs, roundingNorm: weightedNormUpper(errs, F) };
}

/** Upper bound on sqrt(sum (rel_i * b_i * 2^-F)^2), robust to any exponent range. */
function weightedNormUpper(items: { b: bigint; rel: number }[], F: number): Decimal {
  let top = -Infinity;
  for (const { b } of items) if (b !== 0n) top = Math.max(top, bitLength(b) - F);
  if (top === -Infinity) return new SHORT(0);
  let s = 0;
  for (const { b, rel } of items) {
    const v = rel * bigToNumber(b, -F - top);
    s += v * v;
  }
  return new SHORT(Math.sqrt(s) * SLACK).times(new SHORT(2).pow(top));
}

/** Upper bound on the Frobenius norm of a f64 matrix, as a Decimal (exact power-of-two scaling: no overflow). */
export function frobeniusUpperDecimal(data: ArrayLike<number>): Decimal {
  let top = 0;
  for (let k = 0; k < data.length; k++) top = Math.max(top, Math.abs(data[k]));
  if (top === 0) return new SHORT(0);
  const e = Math.ceil(Math.log2(top));
  let s = 0;
  for (let k = 0; k < data.length; k++) {
    const v = ldexp(data[k], -e);
    s += v * v;
  }
  // f64 sum of squares: relative error below (n + 2) eps, covered by 1 + 2 (n + 2) eps
  return new SHORT(Math.sqrt(s * (1 + 2 * (data.length + 2) * Number.EPSILON)) * SLACK).times(new SHORT(2).pow(e));
}

/** Upper bound on the Euclidean norm of the dyadic values vals[i] * 2^-scale[i]. */
export function dyadicNormUpper(vals: readonly bigint[], scale: readonly number[] | number): Decimal {
  const sc = (i: number) => (typeof scale === 'number' ? scale : scale[i]);
  let top = -Infinity;
  vals.forEach((v, i) => {
    if (v !== 0n) top = Math.max(top, bitLength(v) - sc(i));
  });
  if (top === -Infinity) return new SHORT(0);
  let s = 0;
  vals.forEach((v, i) => {
    const x = bigToNumber(v, -sc(i) - top);
    s += x * x;
  });
  return new SHORT(Math.sqrt(s) * SLACK).times(new SHORT(2).pow(top));
}

/** A short Decimal from a double (for combining bounds). */
export function shortDecimal(x: number): Decimal {
  return new SHORT(x);
}

/** A non-negative bound as a 6-digit string, rounded up. */
export function boundString(x: Decimal): string {
  return x.toSignificantDigits(6, Decimal.ROUND_UP).toString();
}
