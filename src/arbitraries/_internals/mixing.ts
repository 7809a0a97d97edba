/**
 * Rank-preserving column mixing on the integer grid: X = Z Pm U, with Pm a column permutation and U = I + S a
 * unimodular matrix (det 1) whose strictly upper part S has at most one entry per column, S[parent_j][j] = coef_j
 * in {-1, 0, 1} with parent_j < j. Column j of X is column j of Z Pm plus coef_j times column parent_j, so entries at
 * most double, and U^{-1} is again an integer matrix whose action on a vector only sums over a tree (no growth
 * beyond the number of columns). Rank, row rank and null-space dimension of every row subset are preserved, and the
 * visible pivot pattern of src/arbitraries/_internals/rows.ts is hidden.
 */
import { Pool } from './pool.ts';
import { permutation, Rng } from './rng.ts';

export interface Mixing {
  readonly d: number;
  /** column c of Z moves to column perm[c] */
  readonly perm: readonly number[];
  /** parent[j] < j for j >= 1 (parent[0] = -1) */
  readonly parent: Int32Array;
  /** coef[j] in {-1, 0, 1} */
  readonly coef: Int8Array;
}

/** A mixing for width d from a permutation seed (0: identity) and a pool of shear signs (empty: no shear). */
export function makeMixing(d: number, permSeed: number, shear: Pool): Mixing {
  const perm = permutation(d, permSeed);
  const parent = new Int32Array(d);
  const coef = new Int8Array(d);
  parent[0] = -1;
  const r = new Rng(permSeed ^ 0x5bd1e995);
  for (let j = 1; j < d; j++) {
    parent[j] = permSeed === 0 ? j - 1 : r.int(j);
    const c = shear.at(j - 1);
    coef[j] = c > 0 ? 1 : c < 0 ? -1 : 0;
  }
  return { d, perm, parent, coef };
}

/** X = Z Pm U for a row-major Z with `rows` rows and m.d columns (a new array). */
export function mixColumns(Z: Float64Array, rows: number, m: Mixing): Float64Array {
  const d = m.d;
  const X = new Float64Array(rows * d);
  for (let i = 0; i < rows; i++) {
    const o = i * d;
    for (let c = 0; c < d; c++) X[o + m.perm[c]] = Z[o + c];
    // decreasing j: column parent[j] < j is still the unsheared one when column j reads it, so X = (Z Pm) U
    for (let j = d - 1; j >= 1; j--) if (m.coef[j] !== 0) X[o + j] += m.coef[j] * X[o + m.parent[j]];
  }
  return X;
}

/** u = U^{-1} Pm^{-1} v: if Z v = 0 then X u = 0 (exact integer arithmetic for integer v). */
export function mixNullVector(v: ArrayLike<number>, m: Mixing): Float64Array {
  const d = m.d;
  const u = new Float64Array(d);
  for (let c = 0; c < d; c++) u[m.perm[c]] = v[c];
  // solve U u' = u: decreasing j, u'_j is final once every child (index > j) has been subtracted
  for (let j = d - 1; j >= 1; j--) if (m.coef[j] !== 0) u[m.parent[j]] -= m.coef[j] * u[j];
  return u;
}
