/**
 * Exact rank, independent rows and consistency of dyadic data, decided without tolerances.
 *
 * Fast path: Gaussian elimination modulo the prime p = 2^26 - 5 (residues are doubles; every
 * product of two residues is below 2^52, hence exact). A nonzero minor modulo p is a nonzero
 * integer, so "rank mod p = number of rows" PROVES full row rank over Q. When the rank modulo p
 * is smaller, the answer is not trusted: fraction-free (Bareiss) elimination over BigInt
 * decides rank, rank of [X | y] and the independent rows exactly.
 */
import type { IntMatrix } from './dyadic.ts';

/** 2^26 - 5, a prime: products of residues stay below 2^52 and are exact in f64. */
export const PRIME = 67108859;

export interface RankInfo {
  /** rank of the first `xCols` columns (X) */
  readonly rank: number;
  /** rank of all columns ([X | y]); equals `rank` when there is no extra column or Xw = y is consistent */
  readonly rankAugmented: number;
  /** a basis of the row space of X among its rows (ascending) */
  readonly independentRows: number[];
  /** the columns of X holding pivots (a maximal independent set of columns) */
  readonly pivotCols: number[];
  readonly method: 'modular' | 'bareiss';
}

const PINV = 1 / PRIME;

function mulMod(a: number, b: number): number {
  const prod = a * b;
  let rem = prod - Math.floor(prod * PINV) * PRIME;
  if (rem < 0) rem += PRIME;
  else if (rem >= PRIME) rem -= PRIME;
  return rem;
}

const pow2Table: number[] = [1];
function pow2mod(k: number): number {
  if (k < 0) throw new Error(`pow2mod: negative exponent ${k}`);
  while (pow2Table.length <= k) pow2Table.push(mulMod(pow2Table[pow2Table.length - 1], 2));
  return pow2Table[k];
}

function invMod(a: number): number {
  let [r0, r1] = [PRIME, a];
  let [t0, t1] = [0, 1];
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  return ((t0 % PRIME) + PRIME) % PRIME;
}

/** Rank modulo PRIME of the first xCols columns, with the pivot rows and columns. */
export function rankModular(A: IntMatrix, xCols = A.cols): { rank: number; pivotRows: number[]; pivotCols: number[] } {
  const { rows, cols } = A;
  const c = xCols;
  const M = new Float64Array(rows * c);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < c; j++) {
      const k = i * cols + j;
      const m = A.mant[k];
      if (m === 0) continue;
      const r = ((m % PRIME) + PRIME) % PRIME;
      M[i * c + j] = mulMod(r, pow2mod(A.pow[k] + A.exp[i]));
    }
  }
  const perm = Array.from({ length: rows }, (_, i) => i);
  const pivotCols: number[] = [];
  let r = 0;
  for (let col = 0; col < c && r < rows; col++) {
    let piv = -1;
    for (let i = r; i < rows; i++) if (M[perm[i] * c + col] !== 0) { piv = i; break; }
    if (piv < 0) continue;
    [perm[r], perm[piv]] = [perm[piv], perm[r]];
    const pr = perm[r] * c;
    const inv = invMod(M[pr + col]);
    for (let i = r + 1; i < rows; i++) {
      const ir = perm[i] * c;
      const a = M[ir + col];
      if (a === 0) continue;
      const f = mulMod(a, inv);
      M[ir + col] = 0;
      for (let j = col + 1; j < c; j++) {
        const b = M[pr + j];
        if (b === 0) continue;
        // (f * b) mod p without fmod: the product is exact (< 2^52) and the quotient estimate
        // is off by at most one, fixed by the two comparisons
        const prod = f * b;
        let rem = prod - Math.floor(prod * PINV) * PRIME;
        if (rem < 0) rem += PRIME;
        else if (rem >= PRIME) rem -= PRIME;
        const t = M[ir + j] - rem;
        M[ir + j] = t < 0 ? t + PRIME : t;
      }
    }
    pivotCols.push(col);
    r++;
  }
  return { rank: r, pivotRows: perm.slice(0, r), pivotCols };
}

/**
 * Fraction-free elimination over BigInt (Bareiss) on a rows x cols integer matrix (row-major).
 * Entries after each step are minors of the input, so every division is exact. Returns the
 * reduced matrix, the row order, and the pivot columns (in order).
 */
export function bareiss(ints: readonly bigint[], rows: number, cols: number): { M: bigint[]; perm: number[]; pivotCols: number[] } {
  const M = ints.slice();
  const perm = Array.from({ length: rows }, (_, i) => i);
  const pivotCols: number[] = [];
  let prev = 1n;
  let r = 0;
  for (let col = 0; col < cols && r < rows; col++) {
    let piv = -1;
    for (let i = r; i < rows; i++) if (M[perm[i] * cols + col] !== 0n) { piv = i; break; }
    if (piv < 0) continue;
    [perm[r], perm[piv]] = [perm[piv], perm[r]];
    const pr = perm[r] * cols;
    const p = M[pr + col];
    for (let i = r + 1; i < rows; i++) {
      const ir = perm[i] * cols;
      const a = M[ir + col];
      for (let j = col + 1; j < cols; j++) M[ir + j] = (p * M[ir + j] - a * M[pr + j]) / prev;
      M[ir + col] = 0n;
    }
    prev = p;
    pivotCols.push(col);
    r++;
  }
  return { M, perm, pivotCols };
}

/**
 * Exact rank information of the integer matrix A, whose first `xCols` columns are X and whose
 * remaining columns (if any) are right-hand sides.
 */
export function exactRank(A: IntMatrix, xCols = A.cols): RankInfo {
  if (A.rows === 0) return { rank: 0, rankAugmented: 0, independentRows: [], pivotCols: [], method: 'modular' };
  const mod = rankModular(A, xCols);
  if (mod.rank === A.rows) {
    // full row rank of X is proved; then [X | y] has the same rank and Xw = y is consistent
    return { rank: mod.rank, rankAugmented: mod.rank, independentRows: [...mod.pivotRows].sort((a, b) => a - b), pivotCols: mod.pivotCols, method: 'modular' };
  }
  const { perm, pivotCols } = bareiss(A.ints, A.rows, A.cols);
  const xPivots = pivotCols.filter((c) => c < xCols);
  const rank = xPivots.length;
  return {
    rank,
    rankAugmented: pivotCols.length,
    independentRows: perm.slice(0, rank).sort((a, b) => a - b),
    pivotCols: xPivots,
    method: 'bareiss',
  };
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/**
 * The exact rational solution x = num / den of A x = b (A rows x cols, integer, row-major), or
 * null when A does not have full column rank or the system is inconsistent. The answer is
 * verified (A num = den b, exactly) before it is returned.
 */
export function solveRational(A: readonly bigint[], rows: number, cols: number, b: readonly bigint[]): { num: bigint[]; den: bigint } | null {
  const aug: bigint[] = new Array(rows * (cols + 1));
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) aug[i * (cols + 1) + j] = A[i * cols + j];
    aug[i * (cols + 1) + cols] = b[i];
  }
  const w = cols + 1;
  const { M, perm, pivotCols } = bareiss(aug, rows, w);
  if (pivotCols.length !== cols || pivotCols.some((c, k) => c !== k)) return null;
  const den0 = M[perm[cols - 1] * w + cols - 1];
  const X: bigint[] = new Array(cols).fill(0n);
  for (let k = cols - 1; k >= 0; k--) {
    const rk = perm[k] * w;
    let s = den0 * M[rk + cols];
    for (let j = k + 1; j < cols; j++) s -= M[rk + j] * X[j];
    X[k] = s / M[rk + k];
  }
  for (let i = 0; i < rows; i++) {
    let s = 0n;
    for (let j = 0; j < cols; j++) s += A[i * cols + j] * X[j];
    if (s !== den0 * b[i]) return null;
  }
  let g = den0;
  for (const x of X) g = gcd(g, x);
  if (g === 0n) return null;
  if (den0 < 0n) g = -g;
  return { num: X.map((x) => x / g), den: den0 / g };
}
