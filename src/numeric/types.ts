/**
 * The one vector/matrix type of lsgd-spec. Vectors are Float64Array; matrices are
 * row-major Float64Array with explicit shape. Everything above src/numeric sees
 * only these types (ml-matrix stays behind src/numeric/linalg.ts).
 */
export type Vec = Float64Array;

export interface Mat {
  readonly rows: number;
  readonly cols: number;
  /** row-major: entry (i, j) is data[i * cols + j] */
  readonly data: Float64Array;
}

export function vec(n: number): Vec {
  return new Float64Array(n);
}

export function vecFrom(values: ArrayLike<number>): Vec {
  return Float64Array.from(values as ArrayLike<number>);
}

export function mat(rows: number, cols: number, data?: Float64Array): Mat {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new Error(`mat: shape must be non-negative integers, got ${rows} x ${cols}`);
  }
  if (data !== undefined && data.length !== rows * cols) {
    throw new Error(`mat: data length ${data.length} does not match shape ${rows} x ${cols} (${rows * cols})`);
  }
  return { rows, cols, data: data ?? new Float64Array(rows * cols) };
}

/** Matrix from nested arrays; every row must have the same length. */
export function matFromRows(rowsIn: ReadonlyArray<ArrayLike<number>>, cols?: number): Mat {
  const r = rowsIn.length;
  const c = cols ?? (r > 0 ? rowsIn[0].length : 0);
  const data = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    const row = rowsIn[i];
    if (row.length !== c) throw new Error(`matFromRows: row ${i} has ${row.length} entries, expected ${c}`);
    for (let j = 0; j < c; j++) data[i * c + j] = row[j];
  }
  return { rows: r, cols: c, data };
}

export function matToRows(A: Mat): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < A.rows; i++) out.push(Array.from(A.data.subarray(i * A.cols, (i + 1) * A.cols)));
  return out;
}

/** Row i as a view (no copy). */
export function row(A: Mat, i: number): Vec {
  return A.data.subarray(i * A.cols, (i + 1) * A.cols);
}

/** Stack matrices with equal column counts vertically. */
export function vstack(blocks: readonly Mat[], cols?: number): Mat {
  const c = cols ?? (blocks.length > 0 ? blocks[0].cols : 0);
  let r = 0;
  for (const b of blocks) {
    if (b.cols !== c) throw new Error(`vstack: block has ${b.cols} columns, expected ${c}`);
    r += b.rows;
  }
  const data = new Float64Array(r * c);
  let off = 0;
  for (const b of blocks) {
    data.set(b.data, off);
    off += b.data.length;
  }
  return { rows: r, cols: c, data };
}

export function concat(parts: readonly Vec[]): Vec {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Float64Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function transpose(A: Mat): Mat {
  const out = new Float64Array(A.rows * A.cols);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) out[j * A.rows + i] = A.data[i * A.cols + j];
  return { rows: A.cols, cols: A.rows, data: out };
}
