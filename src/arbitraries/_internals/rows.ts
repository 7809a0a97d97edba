/**
 * Integer matrices whose rows are independent by construction (no filtering, no rank test).
 *
 * Every row g has a pivot column p_g, and with P the set of all pivots,
 *
 *     Z[g][p_g] = s_g (1 + e_g + sum_{q in P, q != p_g} |Z[g][q]|),      s_g in {-1, +1}, e_g >= 0.
 *
 * Then ANY set S of rows with pairwise distinct pivots is linearly independent: the square block Z[S, pivots(S)] is
 * strictly row diagonally dominant, hence nonsingular (Levy-Desplanques), with ||Z[S, pivots(S)]^{-1}||_inf <= 1
 * (Varah), so the construction also bounds the conditioning. N rows with distinct pivots have full row rank; rows
 * whose pivots cover all d columns contain a d x d nonsingular block (full column rank). Entries outside P are free.
 *
 * (A lower-triangular pivot pattern also certifies rank, but small diagonals under larger off-diagonal entries give
 * condition numbers growing like c^N, up to 1e17 at N = 30 in trials: too ill-conditioned to certify or to run
 * Local-GD on, so only the dominant form is used.)
 *
 * Everything is in integer "grid units" (exact in f64 while |entries| < 2^53); callers scale by powers of two.
 */

/**
 * Overwrite the pivots into a copy of `base` (N x d, row-major, integer entries).
 * `sign(g)` (its sign is used) and `extra(g)` (truncated, >= 0) pick each pivot's sign and size.
 */
export function dominantRows(
  base: Float64Array,
  N: number,
  d: number,
  pivots: readonly number[],
  sign: (g: number) => number,
  extra: (g: number) => number,
): Float64Array {
  const Z = Float64Array.from(base);
  const inP = new Uint8Array(d);
  for (const p of pivots) inP[p] = 1;
  for (let g = 0; g < N; g++) {
    const p = pivots[g];
    const o = g * d;
    const s = sign(g) < 0 ? -1 : 1;
    const e = Math.max(0, Math.trunc(extra(g)));
    let off = 0;
    for (let q = 0; q < d; q++) if (inP[q] === 1 && q !== p) off += Math.abs(Z[o + q]);
    Z[o + p] = s * (1 + e + off);
  }
  return Z;
}
