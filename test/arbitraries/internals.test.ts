import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockHadamard, blockSizes } from '../../src/arbitraries/_internals/hadamard.ts';
import { labelsFor } from '../../src/arbitraries/_internals/labels.ts';
import { makeMixing, mixColumns, mixNullVector } from '../../src/arbitraries/_internals/mixing.ts';
import { Pool } from '../../src/arbitraries/_internals/pool.ts';
import { permutation } from '../../src/arbitraries/_internals/rng.ts';
import { dominantRows } from '../../src/arbitraries/_internals/rows.ts';
import { rankOf } from './_helpers.ts';

const ints = (n: number, lo = -4, hi = 4) => fc.array(fc.integer({ min: lo, max: hi }), { minLength: n, maxLength: n });

describe('arbitraries internals', () => {
  it('dominantRows: every set of rows with distinct pivots is independent (exact rank)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 4 }), ints(64), ints(8), (N, extra, vals, piv) => {
        const d = N + extra;
        const base = Float64Array.from({ length: N * d }, (_, i) => vals[i % vals.length]);
        const pivots = permutation(d, vals[0] + 7).slice(0, N);
        const Z = dominantRows(base, N, d, pivots, (g) => piv[g % 8], (g) => Math.abs(piv[g % 8]));
        expect(rankOf({ rows: N, cols: d, data: Z }).rank).toBe(N);
        // off-pivot entries are untouched
        for (let g = 0; g < N; g++) for (let c = 0; c < d; c++) if (c !== pivots[g]) expect(Z[g * d + c]).toBe(base[g * d + c]);
      }),
    );
  });

  it('mixing keeps the rank and carries a null vector exactly: X u = 0 when Z v = 0', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 7 }), fc.nat(), ints(16, -1, 1), ints(64), (d, seed, shear, vals) => {
        const rows = d - 1;
        // Z with last column = sum of the others: v = (1, ..., 1, -1) is in its null space
        const Z = new Float64Array(rows * d);
        for (let i = 0; i < rows; i++) {
          for (let c = 0; c < d - 1; c++) Z[i * d + c] = vals[(i * d + c) % vals.length];
          for (let c = 0; c < d - 1; c++) Z[i * d + d - 1] += Z[i * d + c];
        }
        const v = Float64Array.from({ length: d }, (_, c) => (c === d - 1 ? -1 : 1));
        const m = makeMixing(d, seed, new Pool(shear));
        const X = mixColumns(Z, rows, m);
        const u = mixNullVector(v, m);
        expect(u.some((x) => x !== 0)).toBe(true);
        for (let i = 0; i < rows; i++) {
          let s = 0;
          for (let c = 0; c < d; c++) s += X[i * d + c] * u[c];
          expect(s).toBe(0);
        }
        expect(rankOf({ rows, cols: d, data: X }).rank).toBe(rankOf({ rows, cols: d, data: Z }).rank);
      }),
    );
  });

  it('blockHadamard: M M^T = diag(2^a) exactly, block sizes sum to d and respect the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 4 }), (d, cap) => {
        const sizes = blockSizes(d, cap);
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(d);
        expect(Math.max(...sizes)).toBeLessThanOrEqual(2 ** cap);
        const { M, logSize } = blockHadamard(sizes);
        for (let i = 0; i < d; i++) {
          for (let j = 0; j < d; j++) {
            let s = 0;
            for (let c = 0; c < d; c++) s += M[i * d + c] * M[j * d + c];
            expect(s).toBe(i === j ? 2 ** logSize[i] : 0);
          }
        }
      }),
    );
  });

  it('permutation is a permutation (identity for seed 0) and labelsFor gives the declared skews', () => {
    expect(permutation(5, 0)).toEqual([0, 1, 2, 3, 4]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.nat(), (n, seed) => {
        expect([...permutation(n, seed)].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
    );
    const sizes = [3, 1, 4];
    const one = labelsFor('one-class', sizes, new Pool([]), 0, 0);
    expect(Array.from(one)).toEqual([1, 1, 1, -1, 1, 1, 1, 1]);
    const sorted = labelsFor('sorted', sizes, new Pool([1, -1, 0, -1]), 0, 0);
    expect(Array.from(sorted)).toEqual([1, 1, 1, 1, -1, -1, -1, -1]);
    expect(new Pool([]).at(5)).toBe(0);
  });
});
