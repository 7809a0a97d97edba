/**
 * Rank and consistency of X w = y for tall systems, decided from the doubles without a BigInt copy of X.
 *
 * Residues. Every finite double is m 2^e with |m| < 2^53 and e >= -1074, so 2^1074 x is an integer; multiplying a row
 * of [X | y] by 2^1074 changes neither its rank nor the consistency of X w = y, and p odd keeps the factor invertible
 * modulo p. Residues of m 2^(e + 1074) are read from the bits of the double, in f64 (products of residues stay below
 * 2^52, hence exact).
 *
 * 1. Streaming echelon modulo p (`echelonModP`): rows of [X | y] are reduced one by one against a basis kept in echelon
 *    form (at most d + 1 rows, O(r d) per row). A nonzero minor modulo p is a nonzero integer, so the basis rows are
 *    PROVED independent over Q. As soon as the X part has rank d (full column rank, proved), the elimination stops:
 *      - a basis row whose X part vanished but whose y part did not proves rank([X | y]) = d + 1 > d = rank(X):
 *        inconsistent;
 *      - otherwise w_p = X_B^{-1} y_B modulo p (B the d basis rows), and every other row is checked in O(d): a row with
 *        x_i^T w_p != y_i (mod p) proves that rows B and i of [X | y] have a nonzero (d + 1)-minor: inconsistent.
 *    The cost is O(d^3 + N d), not O(N d^2): deciding that a 5,000 x 50 regression is inconsistent takes milliseconds.
 * 2. When every row agrees modulo p, consistency is only likely. The caller computes the solution w* of the d basis
 *    rows (refinement), recovers it exactly as a dyadic vector (checked exactly on the basis rows) and
 *    `firstFailingRow` checks x_i^T w* = y_i for all rows, exactly: in plain f64 when the bit sizes make every partial
 *    sum an exact integer multiple, else with primes whose product exceeds twice the largest possible |x_i^T w* - y_i|
 *    (Chinese remainder theorem). A proof, both ways.
 */
import type { Mat, Vec } from '../numeric/index.ts';
import { ldexp } from './dyadic.ts';

/** Primes below 2^26 (so products of residues stay below 2^52), largest first; the first is exact.ts's PRIME. */
export function primesBelow2p26(count: number): number[] {
  const out: number[] = [];
  for (let c = 2 ** 26 - 1; out.length < count; c -= 2) {
    let prime = true;
    for (let f = 3; f * f <= c; f += 2) {
      if (c % f === 0) {
        prime = false;
        break;
      }
    }
    if (prime) out.push(c);
  }
  return out;
}

/** Arithmetic modulo one prime p < 2^26, with the table of 2^k mod p for the exponents of doubles. */
export class ModP {
  readonly pinv: number;
  private readonly pow2: Float64Array;
  constructor(readonly p: number) {
    this.pinv = 1 / p;
    // exponents of m 2^(e + 1074) range over [0, 2098], plus the shifts of a recovered solution's grid
    this.pow2 = new Float64Array(4200);
    this.pow2[0] = 1;
    for (let k = 1; k < this.pow2.length; k++) this.pow2[k] = this.mul(this.pow2[k - 1], 2);
  }
  mul(a: number, b: number): number {
    const p = this.p;
    const prod = a * b;
    let rem = prod - Math.floor(prod * this.pinv) * p;
    if (rem < 0) rem += p;
    else if (rem >= p) rem -= p;
    return rem;
  }
  /** 2^k mod p for k >= 0. */
  pow2mod(k: number): number {
    if (k < this.pow2.length) return this.pow2[k];
    let r = this.pow2[this.pow2.length - 1];
    let rest = k - (this.pow2.length - 1);
    while (rest > 0) {
      const s = Math.min(rest, this.pow2.length - 1);
      r = this.mul(r, this.pow2[s]);
      rest -= s;
    }
    return r;
  }
  inv(a: number): number {
    let [r0, r1] = [this.p, a];
    let [t0, t1] = [0, 1];
    while (r1 !== 0) {
      const q = Math.floor(r0 / r1);
      [r0, r1] = [r1, r0 - q * r1];
      [t0, t1] = [t1, t0 - q * t1];
    }
    return ((t0 % this.p) + this.p) % this.p;
  }
  /** (integer |m| < 2^53) mod p, non-negative. */
  reduce(m: number): number {
    const p = this.p;
    let r = m - Math.floor(m * this.pinv) * p;
    while (r < 0) r += p;
    while (r >= p) r -= p;
    return r;
  }
  /** bigint mod p, non-negative. */
  reduceBig(b: bigint): number {
    const r = Number(b % BigInt(this.p));
    return r < 0 ? r + this.p : r;
  }
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE ? 0 : 1;
const HI = LITTLE ? 1 : 0;

/** (2^1074 x) mod p for a finite double x: m 2^(e + 1074) with m the (not normalised) significand. */
export function residue(x: number, P: ModP): number {
  if (x === 0) return 0;
  f64[0] = x;
  const hi = u32[HI];
  const lo = u32[LO];
  const bexp = (hi >>> 20) & 0x7ff;
  const m = (hi & 0xfffff) * 4294967296 + lo + (bexp === 0 ? 0 : 4503599627370496);
  const shift = bexp === 0 ? 0 : bexp - 1; // e + 1074 with e = bexp - 1075 (normal) or -1074 (subnormal)
  const r = P.mul(P.reduce(m), P.pow2mod(shift));
  return x < 0 ? (r === 0 ? 0 : P.p - r) : r;
}

export interface EchelonModP {
  /** rows of X in the basis, in the order found (their X parts are independent, proved) */
  readonly basisRows: number[];
  /** the pivot column of each basis row */
  readonly pivotCols: number[];
  /** rank of X modulo p (a proved lower bound on the rank over Q) */
  readonly rankX: number;
  /** a row whose X part reduced to 0 but whose y part did not (rank of [X | y] mod p exceeds rank X mod p), or -1 */
  readonly yPivotRow: number;
  /** full column rank: a row i with x_i^T w_p != y_i (mod p), proving inconsistency; -1 if none or not checked */
  readonly failingRow: number;
  /** whether the elimination stopped early at full column rank and checked the remaining rows against w_p */
  readonly fullColumnRank: boolean;
  /** rows reduced by elimination (the others were checked in O(d)) */
  readonly rowsEliminated: number;
}

export type Progress = (stage: string, done: number, total: number) => void;

/** Streaming row echelon of [X | y] modulo P.p (see the header). y may be null (rank of X only). */
export function echelonModP(X: Mat, y: Vec | null, P: ModP, progress?: Progress): EchelonModP {
  const n = X.rows;
  const d = X.cols;
  const c = y ? d + 1 : d;
  const basis: Float64Array[] = [];
  const piv: number[] = [];
  const basisRows: number[] = [];
  let yPivotRow = -1;
  let rankX = 0;
  const row = new Float64Array(c);
  const data = X.data;
  let i = 0;
  const every = Math.max(1, Math.floor(n / 100));
  for (; i < n && rankX < d; i++) {
    if (progress && i % every === 0) progress('rank modulo p', i, n);
    const off = i * d;
    for (let j = 0; j < d; j++) row[j] = residue(data[off + j], P);
    if (y) row[d] = residue(y[i], P);
    for (let b = 0; b < basis.length; b++) {
      const f = row[piv[b]];
      if (f === 0) continue;
      const br = basis[b];
      for (let j = piv[b]; j < c; j++) {
        const v = br[j];
        if (v === 0) continue;
        const t = row[j] - P.mul(f, v);
        row[j] = t < 0 ? t + P.p : t;
      }
    }
    let pc = -1;
    for (let j = 0; j < c; j++) if (row[j] !== 0) { pc = j; break; }
    if (pc < 0) continue;
    const inv = P.inv(row[pc]);
    const nb = new Float64Array(c);
    for (let j = pc; j < c; j++) nb[j] = row[j] === 0 ? 0 : P.mul(row[j], inv);
    basis.push(nb);
    piv.push(pc);
    basisRows.push(i);
    if (pc === d) yPivotRow = i;
    else rankX++;
  }
  const xPivots = piv.filter((p) => p < d);
  const xRows = basisRows.filter((_, b) => piv[b] < d);
  if (rankX < d || !y || yPivotRow >= 0) {
    return { basisRows: xRows, pivotCols: xPivots, rankX, yPivotRow, failingRow: -1, fullColumnRank: rankX === d, rowsEliminated: i };
  }
  // full column rank and consistent so far: w_p = X_B^{-1} y_B mod p by back substitution (every column is a pivot;
  // basis row b has zeros at the pivots of earlier rows), then O(d) per remaining row
  const w = new Float64Array(d);
  for (let b = basis.length - 1; b >= 0; b--) {
    const br = basis[b];
    let s = br[d];
    for (let j = piv[b] + 1; j < d; j++) {
      if (br[j] === 0 || w[j] === 0) continue;
      const t = s - P.mul(br[j], w[j]);
      s = t < 0 ? t + P.p : t;
    }
    w[piv[b]] = s;
  }
  let failingRow = -1;
  for (let r = i; r < n; r++) {
    if (progress && r % every === 0) progress('consistency modulo p', r, n);
    const off = r * d;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const x = data[off + j];
      if (x === 0 || w[j] === 0) continue;
      s += P.mul(residue(x, P), w[j]);
      if (s >= P.p) s -= P.p;
    }
    if (s !== residue(y[r], P)) {
      failingRow = r;
      break;
    }
  }
  return { basisRows: xRows, pivotCols: xPivots, rankX, yPivotRow, failingRow, fullColumnRank: true, rowsEliminated: i };
}

let HIGH = 0;
/**
 * For a finite nonzero double x = odd * 2^low: returns low and sets HIGH to the exponent just above the top bit
 * (|x| < 2^HIGH), from the bits of x without allocating.
 */
function bitRange(x: number): number {
  f64[0] = x;
  const hi = u32[HI];
  const lo = u32[LO];
  const bexp = (hi >>> 20) & 0x7ff;
  const mhi = (hi & 0xfffff) | (bexp === 0 ? 0 : 0x100000);
  const e = bexp === 0 ? -1074 : bexp - 1075;
  HIGH = e + (mhi !== 0 ? 64 - Math.clz32(mhi) : 32 - Math.clz32(lo));
  return e + (lo !== 0 ? 31 - Math.clz32(lo & -lo) : 63 - Math.clz32(mhi & -mhi));
}

/**
 * The first row i with x_i^T w != y_i, exactly, for w = W 2^-g (W BigInt), or -1 when X w = y holds exactly in every
 * row. Every term of S_i = sum_j x_ij W_j - y_i 2^g is a multiple of 2^lo_i (lo_i the smallest exponent of the row's
 * odd significands, of x_ij and of y_i 2^g) and |S_i| < 2^(lo_i + B_i) with B_i from the bit sizes.
 *  - B_i <= 53 in every row (data on small dyadic grids): every product and partial sum is an integer multiple of
 *    2^lo_i below 2^(lo_i + 53), so plain f64 arithmetic computes S_i exactly.
 *  - Otherwise residues: those below carry the factor 2^(1074 - lo_i) of `residue` (invertible modulo an odd prime), so
 *    they vanish exactly when S_i / 2^lo_i does modulo p; modulo primes whose product exceeds 2^(B + 1), S_i = 0
 *    follows (Chinese remainder theorem).
 */
export function firstFailingRow(X: Mat, y: Vec, W: readonly bigint[], g: number, progress?: Progress): number {
  const n = X.rows;
  const d = X.cols;
  if (g < 0) throw new Error(`firstFailingRow: grid exponent must be >= 0, got ${g}`);
  let wBits = 0;
  for (const b of W) wBits = Math.max(wBits, b === 0n ? 0 : (b < 0n ? -b : b).toString(2).length);
  const logd = Math.ceil(Math.log2(d + 1));
  let B = 0;
  let top = -Infinity;
  const every = Math.max(1, Math.floor(n / 100));
  for (let i = 0; i < n; i++) {
    if (progress && i % every === 0) progress('exact check: sizes', i, n);
    let lo = Infinity;
    let hiX = -Infinity;
    let hiY = -Infinity;
    if (y[i] !== 0) {
      lo = bitRange(y[i]) + g;
      hiY = HIGH + g;
    }
    const off = i * d;
    for (let j = 0; j < d; j++) {
      const x = X.data[off + j];
      if (x === 0) continue;
      const e = bitRange(x);
      if (e < lo) lo = e;
      if (HIGH > hiX) hiX = HIGH;
    }
    if (lo === Infinity) continue;
    const hi = Math.max(hiX + wBits + logd, hiY) + 1;
    B = Math.max(B, hi - lo);
    top = Math.max(top, hi);
  }
  if (B <= 53 && top <= 1023 && wBits <= 53) {
    const Wf = W.map((b) => Number(b));
    for (let i = 0; i < n; i++) {
      if (progress && i % every === 0) progress('exact check (f64, exact for these sizes)', i, n);
      const off = i * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += X.data[off + j] * Wf[j];
      if (s !== ldexp(y[i], g)) return i;
    }
    return -1;
  }
  const count = Math.ceil((B + 1) / 25); // each prime exceeds 2^25
  const primes = primesBelow2p26(count);
  for (let k = 0; k < primes.length; k++) {
    const P = new ModP(primes[k]);
    const wr = W.map((b) => P.reduceBig(b));
    const shiftY = P.pow2mod(g);
    for (let i = 0; i < n; i++) {
      if (progress && i % every === 0) progress(`exact check, prime ${k + 1} of ${primes.length}`, i, n);
      const off = i * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const x = X.data[off + j];
        if (x === 0 || wr[j] === 0) continue;
        s += P.mul(residue(x, P), wr[j]);
        if (s >= P.p) s -= P.p;
      }
      if (s !== P.mul(residue(y[i], P), shiftY)) return i;
    }
  }
  return -1;
}
