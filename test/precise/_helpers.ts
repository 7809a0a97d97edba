/**
 * Test-side helpers for src/precise: seeded dyadic data, fast-check arbitraries, and INDEPENDENT checks in
 * Decimal (a separate 90-digit context and a plain Gaussian elimination written here, sharing no code with
 * the solvers beyond decimal.js itself).
 */
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import type { Mat, Vec } from '../../src/numeric/index.ts';
import { toExact } from '../numeric/_exact.ts';

/** 90 digits: far beyond the 50 requested, so test-side rounding never decides a comparison. */
export const T = Decimal.clone({ precision: 90, rounding: Decimal.ROUND_HALF_EVEN });
export type TD = InstanceType<typeof T>;

/** Exact value of a double (its shortest string is not its value, so go through BigInt). */
export function exactD(x: number): TD {
  const { num, exp } = toExact(x);
  return exp >= 0 ? new T((num << BigInt(exp)).toString()) : new T(`${(num * 5n ** BigInt(-exp)).toString()}e${exp}`);
}

/** mulberry32: a tiny seeded generator for fixed test instances. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Entry k / 2^8 with |k| <= 4 * 2^8. */
export function dyadic(r: () => number, k = 8, amp = 4): number {
  return Math.round((2 * r() - 1) * amp * 2 ** k) / 2 ** k;
}

export function randMat(r: () => number, n: number, d: number, k = 8): Mat {
  return { rows: n, cols: d, data: Float64Array.from({ length: n * d }, () => dyadic(r, k)) };
}

export function randVec(r: () => number, n: number, k = 8): Vec {
  return Float64Array.from({ length: n }, () => dyadic(r, k));
}

/** fast-check: a dyadic entry k / 64 in [-4, 4]. */
export const entryArb = fc.integer({ min: -256, max: 256 }).map((k) => k / 64);

export function matArb(n: number, d: number): fc.Arbitrary<Mat> {
  return fc.array(entryArb, { minLength: n * d, maxLength: n * d }).map((a) => ({ rows: n, cols: d, data: Float64Array.from(a) }));
}

export function vecArb(n: number): fc.Arbitrary<Vec> {
  return fc.array(entryArb, { minLength: n, maxLength: n }).map((a) => Float64Array.from(a));
}

export function rowD(X: Mat, i: number): TD[] {
  return Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols), exactD);
}

export function dotD(a: readonly TD[], b: readonly TD[]): TD {
  let s = new T(0);
  for (let j = 0; j < a.length; j++) s = s.plus(a[j].times(b[j]));
  return s;
}

export function normD(a: readonly TD[]): TD {
  return dotD(a, a).sqrt();
}

export function strs(v: readonly string[]): TD[] {
  return v.map((s) => new T(s));
}

/** Solve a small square system in Decimal by Gaussian elimination with partial pivoting (test-side). */
export function solveD(A: TD[][], b: TD[]): TD[] {
  const n = b.length;
  const M = A.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (M[i][c].abs().gt(M[p][c].abs())) p = i;
    [M[c], M[p]] = [M[p], M[c]];
    if (M[c][c].isZero()) throw new Error('solveD: singular');
    for (let i = c + 1; i < n; i++) {
      const f = M[i][c].div(M[c][c]);
      for (let j = c; j <= n; j++) M[i][j] = M[i][j].minus(f.times(M[c][j]));
    }
  }
  const x: TD[] = new Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = M[i][n];
    for (let j = i + 1; j < n; j++) s = s.minus(M[i][j].times(x[j]));
    x[i] = s.div(M[i][i]);
  }
  return x;
}

/** ||X w - y|| in 90 digits. */
export function residualD(X: Mat, w: readonly TD[], y: Vec): TD {
  const r: TD[] = [];
  for (let i = 0; i < X.rows; i++) r.push(dotD(rowD(X, i), w).minus(exactD(y[i])));
  return normD(r);
}

/** Distance of v from the row space of X (X with independent rows), in 90 digits. */
export function rowSpaceDistD(X: Mat, v: readonly TD[]): TD {
  const rows = Array.from({ length: X.rows }, (_, i) => rowD(X, i));
  const G = rows.map((a) => rows.map((b) => dotD(a, b)));
  const lam = solveD(G, rows.map((a) => dotD(a, v)));
  const p = v.map((x, j) => rows.reduce((s, r, i) => s.minus(r[j].times(lam[i])), x));
  return normD(p);
}

/** max_j |a_j - b_j| / max(1, max_j |b_j|) */
export function relErr(a: readonly string[], b: readonly TD[]): TD {
  let m = new T(0);
  let s = new T(1);
  for (let j = 0; j < b.length; j++) {
    m = Decimal.max(m, new T(a[j]).minus(b[j]).abs()) as TD;
    s = Decimal.max(s, b[j].abs()) as TD;
  }
  return m.div(s);
}

/** Number of significant digits in a decimal string. */
export function sigDigits(s: string): number {
  const mant = s.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '');
  return mant.length;
}
