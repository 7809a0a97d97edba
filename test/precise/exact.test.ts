/**
 * Exact building blocks: double -> m * 2^e, integer row forms, rank/consistency (mod-p proof and Bareiss), and
 * exact rational solves. References are exact BigInt rational eliminations written here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bigToNumber, decompose, scaledBigInt, toIntMatrix } from '../../src/precise/dyadic.ts';
import { PRIME, bareiss, exactRank, rankModular, solveRational } from '../../src/precise/exact.ts';
import { matFromRows } from '../../src/numeric/index.ts';
import type { Mat } from '../../src/numeric/index.ts';

/** Rank over Q of a small integer matrix, by elimination with BigInt fractions (test-side reference). */
function rankQ(rows: bigint[][]): number {
  const M = rows.map((r) => r.map((v) => ({ n: v, d: 1n })));
  let rank = 0;
  const cols = M[0]?.length ?? 0;
  for (let c = 0; c < cols && rank < M.length; c++) {
    const p = M.findIndex((r, i) => i >= rank && r[c].n !== 0n);
    if (p < 0) continue;
    [M[rank], M[p]] = [M[p], M[rank]];
    for (let i = rank + 1; i < M.length; i++) {
      if (M[i][c].n === 0n) continue;
      // row_i <- row_i * piv - row_rank * a  (fraction-free in the numerators: all denominators are 1)
      const a = M[i][c].n;
      const piv = M[rank][c].n;
      M[i] = M[i].map((x, j) => ({ n: x.n * piv - M[rank][j].n * a, d: 1n }));
    }
    rank++;
  }
  return rank;
}

const doubleArb = fc.double({ noNaN: true, noDefaultInfinity: true });

describe('decompose and integer forms', () => {
  it('writes every finite double as m * 2^e exactly, with m odd', () => {
    fc.assert(
      fc.property(doubleArb, (x) => {
        const { m, e } = decompose(x);
        if (x === 0) return m === 0;
        expect(Number.isInteger(m) && Math.abs(m) < 2 ** 53 && Math.abs(m) % 2 === 1).toBe(true);
        expect(bigToNumber(BigInt(m), e)).toBe(x);
        return true;
      }),
    );
  });

  it('handles the subnormal extreme and powers of two', () => {
    expect(decompose(5e-324)).toEqual({ m: 1, e: -1074 });
    expect(decompose(-0.375)).toEqual({ m: -3, e: -3 });
    expect(decompose(2 ** 60)).toEqual({ m: 1, e: 60 });
    expect(() => decompose(NaN)).toThrow(/decompose: expected a finite double, got NaN/);
  });

  it('scaledBigInt rounds x * 2^k to the nearest integer', () => {
    expect(scaledBigInt(0.75, 2)).toBe(3n);
    expect(scaledBigInt(0.75, 1)).toBe(2n); // 1.5 rounds up
    expect(scaledBigInt(-1.25, 3)).toBe(-10n);
    expect(scaledBigInt(1e-30, 10)).toBe(0n);
  });

  it('integer rows reproduce every entry: ints * 2^-exp === x', () => {
    fc.assert(
      fc.property(fc.array(fc.array(doubleArb, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 4 }), (rows) => {
        const X = matFromRows(rows);
        const A = toIntMatrix(X);
        for (let i = 0; i < X.rows; i++) {
          for (let j = 0; j < 3; j++) expect(bigToNumber(A.ints[i * 3 + j], -A.exp[i]) === X.data[i * 3 + j]).toBe(true); // -0 becomes 0n: compare with ===
        }
      }),
    );
  });
});

describe('exactRank', () => {
  it('proves full row rank modulo p on a generic matrix and lists every row', () => {
    const X = matFromRows([[1, 0.5, 0.25], [0, 1, 3], [2, 0, 1]]);
    const r = exactRank(toIntMatrix(X));
    expect(r).toMatchObject({ rank: 3, rankAugmented: 3, independentRows: [0, 1, 2], method: 'modular' });
  });

  it('does not trust a rank drop modulo p: det = p is caught by Bareiss', () => {
    // [[p, 1], [0, 1]] has determinant p = 0 mod p, but rank 2 over Q
    const X = matFromRows([[PRIME, 1], [0, 1]]);
    expect(rankModular(toIntMatrix(X)).rank).toBe(1);
    expect(exactRank(toIntMatrix(X))).toMatchObject({ rank: 2, method: 'bareiss' });
  });

  it('duplicate and combined rows: rank, basis and consistency of [X | y]', () => {
    const X = matFromRows([[1, 2, 0], [0.5, 1, 0], [0, 0, 1], [1, 2, 1]]);
    const consistent = exactRank(toIntMatrix(X, Float64Array.from([2, 1, 3, 5])), 3);
    expect(consistent).toMatchObject({ rank: 2, rankAugmented: 2, method: 'bareiss' });
    expect(consistent.independentRows.length).toBe(2);
    const inconsistent = exactRank(toIntMatrix(X, Float64Array.from([2, 1.5, 3, 5])), 3);
    expect(inconsistent).toMatchObject({ rank: 2, rankAugmented: 3 });
  });

  it('agrees with a BigInt fraction elimination on low-rank integer matrices', () => {
    const small = fc.integer({ min: -3, max: 3 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 3 }),
        fc.array(small, { minLength: 15, maxLength: 15 }), fc.array(small, { minLength: 15, maxLength: 15 }),
        (n, d, r, b, c) => {
          // X = B C with B (n x r), C (r x d): rank <= r, scaled by 1/8 to exercise the row exponents
          const rows: number[][] = [];
          for (let i = 0; i < n; i++) {
            rows.push(Array.from({ length: d }, (_, j) => {
              let s = 0;
              for (let k = 0; k < r; k++) s += b[i * 3 + k] * c[k * 5 + j];
              return s / 8;
            }));
          }
          const X = matFromRows(rows);
          const got = exactRank(toIntMatrix(X));
          const ref = rankQ(rows.map((row) => row.map((v) => BigInt(v * 8))));
          expect(got.rank).toBe(ref);
          // the reported rows really are independent and span: same rank as the whole matrix
          const sub: Mat = matFromRows(got.independentRows.map((i) => rows[i]));
          expect(got.independentRows.length === 0 ? 0 : rankQ(matToBig(sub))).toBe(ref);
        },
      ),
    );
  });

  it('Bareiss keeps every division exact (entries stay integers equal to minors)', () => {
    const { M, perm } = bareiss([2n, 3n, 1n, 4n, 1n, 5n, 6n, 2n, 7n], 3, 3);
    // the last pivot of a nonsingular 3x3 is its determinant (up to the row order)
    const det = 2n * (1n * 7n - 5n * 2n) - 3n * (4n * 7n - 5n * 6n) + 1n * (4n * 2n - 1n * 6n);
    expect(M[perm[2] * 3 + 2] === det || M[perm[2] * 3 + 2] === -det).toBe(true);
  });
});

function matToBig(X: Mat): bigint[][] {
  const out: bigint[][] = [];
  for (let i = 0; i < X.rows; i++) out.push(Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols), (v) => BigInt(v * 8)));
  return out;
}

describe('solveRational', () => {
  it('returns the exact solution, verified by A num = den b', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 12, maxLength: 12 }), (a) => {
        const A = a.slice(0, 9).map(BigInt);
        const b = a.slice(9).map(BigInt);
        const s = solveRational(A, 3, 3, b);
        const det = A[0] * (A[4] * A[8] - A[5] * A[7]) - A[1] * (A[3] * A[8] - A[5] * A[6]) + A[2] * (A[3] * A[7] - A[4] * A[6]);
        if (det !== 0n) expect(s).not.toBeNull();
        if (s === null) return; // singular: null is the documented answer (dependent columns)
        expect(det).not.toBe(0n); // a non-null answer needs independent columns
        for (let i = 0; i < 3; i++) {
          const lhs = A[i * 3] * s!.num[0] + A[i * 3 + 1] * s!.num[1] + A[i * 3 + 2] * s!.num[2];
          expect(lhs).toBe(s!.den * b[i]);
        }
      }),
    );
  });

  it('returns null for an inconsistent overdetermined system and for dependent columns', () => {
    expect(solveRational([1n, 0n, 0n, 1n, 1n, 1n], 3, 2, [1n, 1n, 3n])).toBeNull();
    expect(solveRational([1n, 2n, 2n, 4n], 2, 2, [1n, 2n])).toBeNull();
  });
});
