import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, mat, matFromRows, matToRows, row, transpose, vec, vecFrom, vstack } from '../../src/numeric/index.ts';
import type { Mat } from '../../src/numeric/index.ts';
import { dyadicMat } from './_exact.ts';

const small = fc.integer({ min: 0, max: 6 });

describe('mat, vec, vecFrom', () => {
  it('mat builds a zero matrix or wraps data of the right length (no copy)', () => {
    const z = mat(2, 3);
    expect([z.rows, z.cols, z.data.length, z.data.every((v) => v === 0)]).toEqual([2, 3, 6, true]);
    const data = new Float64Array(6);
    expect(mat(3, 2, data).data).toBe(data);
    expect(mat(0, 5).data.length).toBe(0);
    expect(Array.from(vec(3))).toEqual([0, 0, 0]);
    expect(vecFrom([1.5, -2])).toEqual(Float64Array.of(1.5, -2));
  });

  it('mat rejects non-integer or negative shapes and data of the wrong length, naming the values', () => {
    expect(() => mat(-1, 2)).toThrow('mat: shape must be non-negative integers, got -1 x 2');
    expect(() => mat(2, 1.5)).toThrow('mat: shape must be non-negative integers, got 2 x 1.5');
    expect(() => mat(NaN, 2)).toThrow('mat: shape must be non-negative integers, got NaN x 2');
    expect(() => mat(2, 3, new Float64Array(5))).toThrow('mat: data length 5 does not match shape 2 x 3 (6)');
  });
});

describe('matFromRows, matToRows, row', () => {
  it('round-trip through nested arrays; row(A, i) is a view of row i', () => {
    fc.assert(
      fc.property(dyadicMat(small, small), (A) => {
        const rows = matToRows(A);
        expect(rows.length).toBe(A.rows);
        const B = matFromRows(rows, A.cols);
        expect(B).toEqual(A);
        for (let i = 0; i < A.rows; i++) {
          const r = row(A, i);
          expect(Array.from(r)).toEqual(rows[i]);
          expect(r.buffer).toBe(A.data.buffer);
        }
      }),
    );
  });

  it('takes cols from the first row or from the argument (needed for zero rows)', () => {
    expect(matFromRows([[1, 2, 3]])).toEqual({ rows: 1, cols: 3, data: Float64Array.of(1, 2, 3) });
    expect(matFromRows([], 4)).toEqual({ rows: 0, cols: 4, data: new Float64Array(0) });
    expect(matFromRows([])).toEqual({ rows: 0, cols: 0, data: new Float64Array(0) });
  });

  it('rejects ragged rows, naming the row, its length and the expected length', () => {
    expect(() => matFromRows([[1, 2], [3, 4], [5]])).toThrow('matFromRows: row 2 has 1 entries, expected 2');
    expect(() => matFromRows([[1, 2]], 3)).toThrow('matFromRows: row 0 has 2 entries, expected 3');
  });
});

describe('vstack, concat, transpose', () => {
  it('vstack stacks blocks in order into a copy; concat joins vectors', () => {
    fc.assert(
      fc.property(small.chain((c) => fc.array(dyadicMat(small, fc.constant(c)), { maxLength: 4 }).map((bs) => [c, bs] as const)), ([c, blocks]) => {
        const S = vstack(blocks, c);
        expect(S.cols).toBe(c);
        expect(matToRows(S)).toEqual(blocks.flatMap(matToRows));
        if (S.data.length > 0) {
          S.data[0] += 1;
          expect(blocks.find((b) => b.data.length > 0)!.data[0]).toBe(S.data[0] - 1);
        }
        const parts = blocks.map((b) => b.data);
        expect(Array.from(concat(parts))).toEqual(parts.flatMap((p) => Array.from(p)));
      }),
    );
  });

  it('vstack rejects a block whose column count differs, naming both counts', () => {
    const A: Mat = mat(1, 2);
    const B: Mat = mat(2, 3);
    expect(() => vstack([A, B])).toThrow('vstack: block has 3 columns, expected 2');
    expect(() => vstack([A], 5)).toThrow('vstack: block has 2 columns, expected 5');
    expect(vstack([], 3)).toEqual(mat(0, 3));
  });

  it('transpose swaps the shape, maps (i, j) to (j, i), is an involution and copies (transpose has no error cases)', () => {
    fc.assert(
      fc.property(dyadicMat(small, small), (A) => {
        const T = transpose(A);
        expect([T.rows, T.cols]).toEqual([A.cols, A.rows]);
        for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) expect(T.data[j * A.rows + i]).toBe(A.data[i * A.cols + j]);
        expect(transpose(T)).toEqual(A);
        expect(T.data === A.data).toBe(false);
      }),
    );
  });
});
