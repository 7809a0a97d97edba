/**
 * Block Sylvester-Hadamard matrices: exact +-1 integer matrices M (d x d) with M M^T = diag(2^a(i)), a(i) the log2
 * size of the block holding row i. With O = diag(2^(-a/2)) M orthogonal, M^T diag(mu) M = O^T diag(mu 2^a) O, so a
 * symmetric matrix with KNOWN eigenvalues mu_i 2^a(i) and a non-diagonal eigenbasis has exact dyadic entries.
 */

/** Sylvester Hadamard entry H_{2^a}[i][j] = (-1)^popcount(i & j). */
export function hadamardEntry(i: number, j: number): number {
  let x = i & j;
  let s = 0;
  while (x !== 0) {
    s ^= x & 1;
    x >>>= 1;
  }
  return s === 0 ? 1 : -1;
}

/** Block sizes (powers of two, each <= 2^maxLog, largest first) summing to d. */
export function blockSizes(d: number, maxLog: number): number[] {
  const out: number[] = [];
  let left = d;
  while (left > 0) {
    let b = 1;
    while (2 * b <= left && 2 * b <= 2 ** maxLog) b *= 2;
    out.push(b);
    left -= b;
  }
  return out;
}

/** M (row-major d x d) and a(i) for the given block sizes. */
export function blockHadamard(sizes: readonly number[]): { M: Float64Array; logSize: Int32Array; d: number } {
  const d = sizes.reduce((a, b) => a + b, 0);
  const M = new Float64Array(d * d);
  const logSize = new Int32Array(d);
  let o = 0;
  for (const b of sizes) {
    const a = Math.round(Math.log2(b));
    for (let i = 0; i < b; i++) {
      logSize[o + i] = a;
      for (let j = 0; j < b; j++) M[(o + i) * d + (o + j)] = hadamardEntry(i, j);
    }
    o += b;
  }
  return { M, logSize, d };
}
