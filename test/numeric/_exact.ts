/**
 * Exact arithmetic on doubles for reference values: every finite double is m * 2^e with m, e integers, so sums and
 * dot products of doubles are exact dyadic rationals num * 2^exp held in a BigInt. Test helper, not library code.
 */
import fc from 'fast-check';
import type { Mat } from '../../src/numeric/index.ts';

export interface Exact {
  readonly num: bigint;
  readonly exp: number;
}

const view = new DataView(new ArrayBuffer(8));

/** x = m * 2^e exactly. */
export function toExact(x: number): Exact {
  if (!Number.isFinite(x)) throw new Error(`toExact: ${x} is not finite`);
  if (x === 0) return { num: 0n, exp: 0 };
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const m = biased === 0 ? frac : frac | (1n << 52n);
  return { num: bits >> 63n ? -m : m, exp: (biased === 0 ? 1 : biased) - 1075 };
}

function align(a: Exact, exp: number): bigint {
  return a.num << BigInt(a.exp - exp);
}

export function add(a: Exact, b: Exact): Exact {
  const exp = Math.min(a.exp, b.exp);
  return { num: align(a, exp) + align(b, exp), exp };
}

export function sub(a: Exact, b: Exact): Exact {
  return add(a, { num: -b.num, exp: b.exp });
}

export function mul(a: Exact, b: Exact): Exact {
  return { num: a.num * b.num, exp: a.exp + b.exp };
}

export function abs(a: Exact): Exact {
  return a.num < 0n ? { num: -a.num, exp: a.exp } : a;
}

export function sum(xs: ArrayLike<number>): Exact {
  let s: Exact = { num: 0n, exp: 0 };
  for (let i = 0; i < xs.length; i++) s = add(s, toExact(xs[i]));
  return s;
}

export function dot(x: ArrayLike<number>, y: ArrayLike<number>): Exact {
  let s: Exact = { num: 0n, exp: 0 };
  for (let i = 0; i < x.length; i++) s = add(s, mul(toExact(x[i]), toExact(y[i])));
  return s;
}

/** sum |x_i y_i|, exactly. */
export function absDot(x: ArrayLike<number>, y: ArrayLike<number>): Exact {
  let s: Exact = { num: 0n, exp: 0 };
  for (let i = 0; i < x.length; i++) s = add(s, abs(mul(toExact(x[i]), toExact(y[i]))));
  return s;
}

/**
 * The double nearest to a (ties to even). Number(bigint) rounds correctly; a significand longer than 64 bits is first
 * cut to 64 bits with a sticky bit (so ties stay honest), and the power-of-two scaling is exact while the result is a
 * normal double, which is checked (test data stays far from overflow and underflow).
 */
export function toNumber(a: Exact): number {
  if (a.num === 0n) return 0;
  const neg = a.num < 0n;
  let m = neg ? -a.num : a.num;
  let e = a.exp;
  const bits = m.toString(2).length;
  if (bits > 64) {
    const s = BigInt(bits - 64);
    const sticky = (m & ((1n << s) - 1n)) !== 0n ? 1n : 0n;
    m = (m >> s) | sticky;
    e += bits - 64;
  }
  const top = e + Math.min(bits, 64);
  if (top > 1000 || top < -1000) throw new Error(`toNumber: 2^${top} is outside the range this helper rounds exactly`);
  const v = Number(m) * 2 ** e;
  return neg ? -v : v;
}

/** Exact product A B with the reference triple loop, as doubles (exact when the true entries are doubles). */
export function matmulExact(A: Mat, B: Mat): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < A.rows; i++) {
    const r: number[] = [];
    for (let j = 0; j < B.cols; j++) {
      let s: Exact = { num: 0n, exp: 0 };
      for (let k = 0; k < A.cols; k++) s = add(s, mul(toExact(A.data[i * A.cols + k]), toExact(B.data[k * B.cols + j])));
      r.push(toNumber(s));
    }
    out.push(r);
  }
  return out;
}

/**
 * Small-integer dyadic data: entries k * 2^-4 with |k| <= 2^12. Products are multiples of 2^-8 below 2^16 and sums
 * of up to 2^20 of them stay below 2^36 in magnitude, so every kernel on this data is exact in f64.
 */
export const dyadicEntry = fc.integer({ min: -(2 ** 12), max: 2 ** 12 }).map((k) => k / 16);

export function dyadicMat(rows: fc.Arbitrary<number>, cols: fc.Arbitrary<number>, entry = dyadicEntry): fc.Arbitrary<Mat> {
  return fc.tuple(rows, cols).chain(([r, c]) =>
    fc.array(entry, { minLength: r * c, maxLength: r * c }).map((xs) => ({ rows: r, cols: c, data: Float64Array.from(xs) })),
  );
}

export function vecOf(n: number, entry = dyadicEntry): fc.Arbitrary<Float64Array> {
  return fc.array(entry, { minLength: n, maxLength: n }).map((xs) => Float64Array.from(xs));
}

/** Doubles with a 26-bit significand and exponents in [-40, 40]: wide range, exact in the BigInt reference. */
export const wideEntry = fc
  .tuple(fc.integer({ min: -(2 ** 26), max: 2 ** 26 }), fc.integer({ min: -40, max: 40 }))
  .map(([m, e]) => m * 2 ** e);
