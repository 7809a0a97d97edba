/**
 * Exact dyadic arithmetic on doubles. Every finite double is a dyadic rational m * 2^e with
 * an integer |m| < 2^53, so a row of doubles times a power of two is a row of integers, and
 * sums of products of such rows are exact in BigInt. The refinement engine, the rank tests
 * and the witnesses of src/precise work on these integer forms; f64 only proposes.
 */
import type { Mat, Vec } from '../numeric/index.ts';

const view = new DataView(new ArrayBuffer(8));
const TWO32 = 4294967296;
const TWO52 = 4503599627370496;

function ctz32(v: number): number {
  return 31 - Math.clz32(v & -v);
}

/** x = m * 2^e exactly, with m an integer (|m| < 2^53, odd unless x = 0). Throws on NaN or infinity. */
export function decompose(x: number): { m: number; e: number } {
  if (x === 0) return { m: 0, e: 0 };
  if (!Number.isFinite(x)) throw new Error(`decompose: expected a finite double, got ${x}`);
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  const hiMant = (hi & 0xfffff) | (bexp === 0 ? 0 : 0x100000);
  const tz = lo !== 0 ? ctz32(lo) : 32 + ctz32(hiMant);
  const m = ((hi & 0xfffff) * TWO32 + lo + (bexp === 0 ? 0 : TWO52)) / 2 ** tz;
  const e = (bexp === 0 ? -1074 : bexp - 1075) + tz;
  return { m: x < 0 ? -m : m, e };
}

/** Number of bits of |b| (0 for 0). */
export function bitLength(b: bigint): number {
  if (b < 0n) b = -b;
  if (b === 0n) return 0;
  const hex = b.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0], 16)));
}

/** x * 2^k without spurious overflow or underflow in the intermediate steps. */
export function ldexp(x: number, k: number): number {
  while (k > 1000) {
    x *= 2 ** 1000;
    k -= 1000;
  }
  while (k < -1000) {
    x *= 2 ** -1000;
    k += 1000;
  }
  return x * 2 ** k;
}

/** b * 2^e rounded to the nearest double (correctly rounded unless the result is subnormal). */
export function bigToNumber(b: bigint, e = 0): number {
  if (b === 0n) return 0;
  const neg = b < 0n;
  let a = neg ? -b : b;
  const bits = bitLength(a);
  if (bits > 1000) {
    // keep 64 bits plus a sticky bit, so rounding to 53 bits stays correct
    const s = bits - 64;
    const t = a >> BigInt(s);
    a = (t << BigInt(s)) === a ? t : t | 1n;
    e += s;
  }
  const v = ldexp(Number(a), e);
  return neg ? -v : v;
}

/** round(x * 2^k) as a BigInt (ties away from zero are irrelevant here: the value is a proposal). */
export function scaledBigInt(x: number, k: number): bigint {
  if (x === 0) return 0n;
  const { m, e } = decompose(x);
  const s = e + k;
  if (s >= 0) return BigInt(m) << BigInt(s);
  if (s < -60) return 0n;
  return BigInt(Math.round(m * 2 ** s));
}

/**
 * Exact integer form of a matrix, row by row: entry (i, j) equals ints[i*cols + j] * 2^-exp[i].
 * `exp[i]` is the smallest exponent that makes row i (and its extra column, if any) integral.
 */
export interface IntMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly ints: bigint[];
  readonly exp: number[];
  /** bit length of the largest |ints| entry */
  readonly maxBits: number;
  /** the decompositions, kept for modular arithmetic without BigInt: entry = mant * 2^(pow - exp[i]) */
  readonly mant: Float64Array;
  readonly pow: Int32Array;
}

/**
 * Integer rows of [X | extra] (extra may be omitted). Row scaling by a power of two changes
 * neither the row space, nor the rank, nor the consistency of Xw = y.
 */
export function toIntMatrix(X: Mat, extra?: Vec): IntMatrix {
  const rows = X.rows;
  const c0 = X.cols;
  const cols = extra ? c0 + 1 : c0;
  const n = rows * cols;
  const mant = new Float64Array(n);
  const pow = new Int32Array(n);
  const exp: number[] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    let ei = -Infinity;
    for (let j = 0; j < cols; j++) {
      const v = j < c0 ? X.data[i * c0 + j] : extra![i];
      const d = decompose(v);
      const k = i * cols + j;
      mant[k] = d.m;
      pow[k] = d.e;
      if (d.m !== 0 && -d.e > ei) ei = -d.e;
    }
    exp[i] = ei === -Infinity ? 0 : ei;
  }
  const ints: bigint[] = new Array(n);
  let maxBits = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const k = i * cols + j;
      if (mant[k] === 0) {
        ints[k] = 0n;
        continue;
      }
      const s = pow[k] + exp[i];
      const b = s === 0 ? BigInt(mant[k]) : BigInt(mant[k]) << BigInt(s);
      ints[k] = b;
      const bl = Math.floor(Math.log2(Math.abs(mant[k]))) + 1 + s; // may overstate by one bit: only sizes F
      if (bl > maxBits) maxBits = bl;
    }
  }
  return { rows, cols, ints, exp, maxBits, mant, pow };
}

/** Rows `idx` of an IntMatrix (restricted to its first `cols` columns), as a new IntMatrix. */
export function selectRows(A: IntMatrix, idx: readonly number[], cols = A.cols): IntMatrix {
  const n = idx.length * cols;
  const ints: bigint[] = new Array(n);
  const mant = new Float64Array(n);
  const pow = new Int32Array(n);
  const exp: number[] = [];
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r];
    exp.push(A.exp[i]);
    for (let j = 0; j < cols; j++) {
      ints[r * cols + j] = A.ints[i * A.cols + j];
      mant[r * cols + j] = A.mant[i * A.cols + j];
      pow[r * cols + j] = A.pow[i * A.cols + j];
    }
  }
  return { rows: idx.length, cols, ints, exp, maxBits: A.maxBits, mant, pow };
}
