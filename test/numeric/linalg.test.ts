/**
 * The ml-matrix wrappers and the triangular substitution, checked by their defining identities (residuals), not
 * against stored outputs.
 * Tolerances are c * (size) * EPS * (norm) with the size factor from the standard backward-error results
 * (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed.) and a small named constant c.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cholesky, eigSym, epsTol, fromMl, gemv, gram, matmul, norm2, pinv, qr, qrR, rowSpaceBasis, solve, solveTriangular, svd, toMl,
  transpose, within,
} from '../../src/numeric/index.ts';
import type { Mat, Vec } from '../../src/numeric/index.ts';
import { dot as dotExact, dyadicMat, sub as subExact, toExact, toNumber, vecOf } from './_exact.ts';

/** Entries k / 2^10 in [-1, 1]. */
const entry = fc.integer({ min: -1024, max: 1024 }).map((k) => k / 1024);
const size = (min: number, max: number) => fc.integer({ min, max });

function frob(A: Mat): number {
  return norm2(A.data);
}
function diffFrob(A: Mat, B: Mat): number {
  expect([A.rows, A.cols]).toEqual([B.rows, B.cols]);
  return norm2(A.data.map((v, i) => v - B.data[i]));
}
function eye(n: number): Mat {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return { rows: n, cols: n, data };
}
function diag(s: Vec): Mat {
  const n = s.length;
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = s[i];
  return { rows: n, cols: n, data };
}
function plus(A: Mat, B: Mat, b = 1): Mat {
  return { rows: A.rows, cols: A.cols, data: A.data.map((v, i) => v + b * B.data[i]) };
}
function resid(A: Mat, x: Vec, b: Vec): number {
  return norm2(gemv(A, x).map((v, i) => v - b[i]));
}
/** ||Q^T Q - I||_F for the first `cols` columns. */
function orthoError(Q: Mat, cols = Q.cols): number {
  const Qc: Mat = { rows: Q.rows, cols, data: Float64Array.from({ length: Q.rows * cols }, (_, t) => Q.data[Math.floor(t / cols) * Q.cols + (t % cols)]) };
  return diffFrob(matmul(transpose(Qc), Qc), eye(cols));
}

/**
 * A well-conditioned m x r matrix of rank r (r <= m): its top r x r block is I + E with |E_ij| <= 1/8, strictly
 * diagonally dominant for r <= 8, so the rank is exactly r and the condition number stays small.
 */
function fullRank(m: number, r: number): fc.Arbitrary<Mat> {
  return dyadicMat(fc.constant(m), fc.constant(r), entry).map((A) => ({
    rows: m,
    cols: r,
    data: A.data.map((v, t) => (Math.floor(t / r) < r ? (Math.floor(t / r) === t % r ? 1 : 0) + v / 8 : v)),
  }));
}
/** m x n of rank exactly r, as B C with B (m x r) and C^T (n x r) both full rank. */
const lowRank = fc
  .tuple(size(1, 6), size(1, 6))
  .chain(([m, n]) => size(0, Math.min(m, n)).map((r) => [m, n, r] as const))
  .chain(([m, n, r]) => fc.tuple(fullRank(m, r), fullRank(n, r)).map(([B, Ct]) => ({ A: matmul(B, transpose(Ct)), r })));

describe('cholesky', () => {
  const spd = size(1, 6).chain((n) => fc.tuple(dyadicMat(fc.constant(n), size(1, 6), entry), vecOf(n, entry)));

  it('L is lower triangular with a positive diagonal, L L^T = A, and solve has a small residual', () => {
    fc.assert(
      fc.property(spd, ([B, b]) => {
        const n = B.rows;
        const A = plus(gram(B), eye(n)); // SPD, eigenvalues >= 1
        const { L, solve: cs } = cholesky(A);
        for (let i = 0; i < n; i++) {
          expect(L.data[i * n + i]).toBeGreaterThan(0);
          for (let j = i + 1; j < n; j++) expect(L.data[i * n + j]).toBe(0);
        }
        let trace = 0;
        for (let i = 0; i < n; i++) trace += A.data[i * n + i];
        // why: L L^T = A + dA with |dA| <= gamma_{n+1} |L||L^T| and || |L||L^T| ||_F <= ||L||_F^2 = trace(A) (Higham Thm 10.3)
        expect(within(diffFrob(matmul(L, transpose(L)), A), 0, epsTol(n + 1, trace, 'Cholesky backward error'))).toBe(true);
        const x = cs(b);
        // why: (A + dA) x = b with |dA| <= gamma_{3n+1} |L||L^T| (Higham Thm 10.4)
        expect(within(resid(A, x, b), 0, epsTol(3 * n + 1, trace * norm2(x), 'Cholesky solve backward error'))).toBe(true);
      }),
    );
  });

  it('rejects a symmetric matrix that is not positive definite, and a non-symmetric one, naming the function', () => {
    const indefinite: Mat = { rows: 2, cols: 2, data: Float64Array.of(1, 2, 2, 1) };
    expect(() => cholesky(indefinite)).toThrow('cholesky: matrix (2x2) is not positive definite');
    const nonsym: Mat = { rows: 2, cols: 2, data: Float64Array.of(2, 1, 0, 2) };
    expect(() => cholesky(nonsym)).toThrow(/^cholesky: .*not symmetric.*\(0, 1\)/);
  });
});

describe('qr', () => {
  const tall = size(1, 7).chain((n) => dyadicMat(size(n, 8), fc.constant(n), entry));
  const C = 4; // the constant c in gamma~_{mn} = c m n u / (1 - c m n u) of Householder QR (Higham Thm 19.4)

  it('Q (m x n) has orthonormal columns, R is upper triangular, and QR = A', () => {
    fc.assert(
      fc.property(tall, (A) => {
        const { Q, R } = qr(A);
        const [m, n] = [A.rows, A.cols];
        expect([Q.rows, Q.cols, R.rows, R.cols]).toEqual([m, n, n, n]);
        for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) expect(R.data[i * n + j]).toBe(0);
        // why: the computed Q is within gamma~_{mn} of an exactly orthonormal one (Higham Thm 19.4)
        expect(within(orthoError(Q), 0, epsTol(C * m * n, 1, 'Householder Q orthonormality'))).toBe(true);
        // why: Q R = A + dA with ||da_j|| <= gamma~_{mn} ||a_j|| (Higham Thm 19.4)
        expect(within(diffFrob(matmul(Q, R), A), 0, epsTol(C * m * n, frob(A), 'Householder QR backward error'))).toBe(true);
      }),
    );
  });

  it('isFullRank is true for full column rank and false for an exactly rank-deficient matrix', () => {
    fc.assert(
      fc.property(lowRank.filter(({ A }) => A.rows >= A.cols), ({ A, r }) => {
        expect(qr(A).isFullRank).toBe(r === A.cols);
      }),
    );
  });

  it('rejects a wide matrix (rows < cols) with a one-line error naming the shape', () => {
    expect(() => qr({ rows: 2, cols: 3, data: new Float64Array(6) })).toThrow(/^qr: .*2x3/);
  });
});

describe('qrR', () => {
  const tall = size(1, 7).chain((n) => dyadicMat(size(n, 8), fc.constant(n), entry));

  it('is the R factor of qr, bit for bit, with the same rank verdict', () => {
    fc.assert(
      fc.property(tall, (A) => {
        const full = qr(A);
        const { R, isFullRank } = qrR(A);
        expect(R).toEqual(full.R);
        expect(isFullRank).toBe(full.isFullRank);
      }),
    );
    fc.assert(
      fc.property(lowRank.filter(({ A }) => A.rows >= A.cols), ({ A, r }) => {
        expect(qrR(A).isFullRank).toBe(r === A.cols);
      }),
    );
  });

  it('rejects a wide matrix (rows < cols) with a one-line error naming the shape', () => {
    expect(() => qrR({ rows: 2, cols: 3, data: new Float64Array(6) })).toThrow(/^qrR: .*2x3/);
  });
});

describe('solveTriangular', () => {
  /** n x n with entries in [-1, 1] and a diagonal of modulus in [1, 2], plus a right-hand side */
  const system = size(1, 7).chain((n) =>
    fc.tuple(dyadicMat(fc.constant(n), fc.constant(n), entry), vecOf(n, entry), vecOf(n, entry)).map(([A, dg, b]) => {
      const data = A.data.slice();
      for (let i = 0; i < n; i++) data[i * n + i] = (dg[i] < 0 ? -1 : 1) * (1 + Math.abs(dg[i]));
      return { T: { rows: n, cols: n, data }, b };
    }),
  );
  const modes = [['upper', false], ['upper', true], ['lower', false], ['lower', true]] as const;
  /** the triangle that `uplo` names, the other one set to `fill` */
  const triangle = (T: Mat, uplo: 'upper' | 'lower', fill: number): Mat => ({
    rows: T.rows,
    cols: T.cols,
    data: T.data.map((v, k) => {
      const [i, j] = [Math.floor(k / T.cols), k % T.cols];
      return i === j || (uplo === 'upper' ? j > i : j < i) ? v : fill;
    }),
  });

  it.each(modes)('%s, transposed = %s: componentwise backward error within gamma_n |T| |x|, exact residual', (uplo, tr) => {
    fc.assert(
      fc.property(system, ({ T: T0, b }) => {
        const T = triangle(T0, uplo, 0);
        const x = solveTriangular(T, b, uplo, tr);
        const n = T.rows;
        const M = tr ? transpose(T) : T;
        for (let i = 0; i < n; i++) {
          const row = M.data.subarray(i * n, (i + 1) * n);
          const r = toNumber(subExact(toExact(b[i]), dotExact(row, x))); // b_i - (M x)_i exactly, then rounded once
          let absTx = 0;
          for (let j = 0; j < n; j++) absTx += Math.abs(row[j] * x[j]);
          // why: (T + dT) x = b with |dT| <= gamma_n |T| (Higham Thm 8.5), gamma_n <= n EPS; the f64 sum |T||x| and the
          // rounding of the exact residual are within a factor 1 + n EPS, covered by gamma_n = n EPS / 2 / (1 - n EPS / 2)
          expect(within(r, 0, epsTol(n, absTx, 'triangular substitution backward error'))).toBe(true);
        }
      }),
    );
  });

  it.each(modes)('%s, transposed = %s: reads only its triangle (the other one may hold NaN)', (uplo, tr) => {
    fc.assert(
      fc.property(system, ({ T, b }) => {
        expect(solveTriangular(triangle(T, uplo, NaN), b, uplo, tr)).toEqual(solveTriangular(triangle(T, uplo, 0), b, uplo, tr));
      }),
    );
  });

  it('a zero on the diagonal gives a non-finite entry (a kernel: callers check the diagonal)', () => {
    const T: Mat = { rows: 2, cols: 2, data: Float64Array.of(1, 1, 0, 0) };
    expect(Array.from(solveTriangular(T, Float64Array.of(1, 1), 'upper')).every(Number.isFinite)).toBe(false);
  });

  it('rejects bad shapes and a bad uplo with one-line errors naming the values', () => {
    const T: Mat = { rows: 2, cols: 2, data: Float64Array.of(1, 0, 0, 1) };
    expect(() => solveTriangular({ rows: 2, cols: 3, data: new Float64Array(6) }, Float64Array.of(1, 2), 'upper')).toThrow(
      'solveTriangular: T is 2x3; it must be square',
    );
    expect(() => solveTriangular({ rows: 2, cols: 2, data: new Float64Array(3) }, Float64Array.of(1, 2), 'upper')).toThrow(
      'solveTriangular: T has shape 2x2 but 3 entries',
    );
    expect(() => solveTriangular(T, Float64Array.of(1, 2, 3), 'lower')).toThrow('solveTriangular: T is 2x2 but b has 3 entries');
    expect(() => solveTriangular(T, Float64Array.of(1, 2), 'diag' as 'upper')).toThrow("solveTriangular: uplo must be 'upper' or 'lower', got diag");
  });
});

describe('svd', () => {
  const any = dyadicMat(size(1, 7), size(1, 7), entry);
  const C = 8; // constant c of the one-sided Jacobi / Golub-Kahan backward error c * max(m, n) * min(m, n) * u

  it('U diag(s) V^T = A, s descending and non-negative, U and V orthonormal on the non-zero singular values', () => {
    fc.assert(
      fc.property(any, (A) => {
        const { U, s, V, rank, condition } = svd(A);
        const [m, n, p] = [A.rows, A.cols, Math.min(A.rows, A.cols)];
        expect([U.rows, U.cols, s.length, V.rows, V.cols]).toEqual([m, p, p, n, p]);
        for (let i = 0; i < p; i++) expect(s[i] >= 0 && (i === 0 || s[i] <= s[i - 1])).toBe(true);
        const k = C * m * n;
        // why: backward-stable SVD, U S V^T = A + dA with ||dA|| <= c m n u ||A|| (Higham §20 / Demmel §5.4)
        expect(within(diffFrob(matmul(matmul(U, diag(s)), transpose(V)), A), 0, epsTol(k, frob(A), 'SVD backward error'))).toBe(true);
        expect(within(orthoError(U, rank), 0, epsTol(k, 1, 'orthonormal singular vectors'))).toBe(true);
        expect(within(orthoError(V, rank), 0, epsTol(k, 1, 'orthonormal singular vectors'))).toBe(true);
        if (rank === p) expect(condition).toBe(s[0] / s[p - 1]);
      }),
    );
  });

  it('rank is exactly r on matrices built with rank r', () => {
    fc.assert(
      fc.property(lowRank, ({ A, r }) => {
        expect(svd(A).rank).toBe(r);
      }),
    );
  });
});

describe('pinv', () => {
  it('satisfies the four Moore-Penrose conditions, on full-rank and rank-deficient matrices', () => {
    fc.assert(
      fc.property(lowRank, ({ A }) => {
        const P = pinv(A);
        expect([P.rows, P.cols]).toEqual([A.cols, A.rows]);
        const [nA, nP] = [frob(A), frob(P)];
        const kappa = nA * nP;
        const k = 8 * A.rows * A.cols; // why: SVD backward error c m n u, propagated through products of A and P
        const AP = matmul(A, P);
        const PA = matmul(P, A);
        expect(within(diffFrob(matmul(AP, A), A), 0, epsTol(k, nA * kappa, 'A P A = A'))).toBe(true);
        expect(within(diffFrob(matmul(PA, P), P), 0, epsTol(k, nP * kappa, 'P A P = P'))).toBe(true);
        expect(within(diffFrob(transpose(AP), AP), 0, epsTol(k, kappa, '(A P)^T = A P'))).toBe(true);
        expect(within(diffFrob(transpose(PA), PA), 0, epsTol(k, kappa, '(P A)^T = P A'))).toBe(true);
      }),
    );
  });
});

describe('eigSym', () => {
  it('A V = V diag(values), V orthonormal, values ascending and summing to the trace', () => {
    fc.assert(
      fc.property(size(1, 7).chain((n) => dyadicMat(fc.constant(n), fc.constant(n), entry)), (B) => {
        const A = plus(B, transpose(B)); // exactly symmetric, indefinite in general
        const n = A.rows;
        const { values, V } = eigSym(A);
        for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
        const k = 8 * n * n; // why: backward-stable symmetric QR algorithm, error c n^2 u ||A|| (Higham §20, Golub-Van Loan 8.3)
        expect(within(diffFrob(matmul(A, V), matmul(V, diag(values))), 0, epsTol(k, frob(A), 'A V = V Lambda'))).toBe(true);
        expect(within(orthoError(V), 0, epsTol(k, 1, 'orthonormal eigenvectors'))).toBe(true);
        let trace = 0;
        for (let i = 0; i < n; i++) trace += A.data[i * n + i];
        expect(within(values.reduce((a, b) => a + b, 0), trace, epsTol(k, frob(A) * Math.sqrt(n), 'sum of eigenvalues'))).toBe(true);
      }),
    );
  });
});

describe('solve', () => {
  it('square: the LU solution has a small residual; tall: the least-squares normal equations hold', () => {
    const square = size(1, 6).chain((n) => fc.tuple(fullRank(n, n), vecOf(n, entry)));
    fc.assert(
      fc.property(square, ([A, b]) => {
        const x = solve(A, b);
        const n = A.rows;
        // why: LU with partial pivoting, (A + dA) x = b, |dA| <= gamma_{3n} |L||U|, growth <= 2 on diagonally dominant A (Higham Thm 9.4)
        expect(within(resid(A, x, b), 0, epsTol(6 * n * n, frob(A) * norm2(x), 'LU backward error'))).toBe(true);
      }),
    );
    const tall = size(1, 5).chain((n) => size(n + 1, 8).chain((m) => fc.tuple(fullRank(m, n), vecOf(m, entry))));
    fc.assert(
      fc.property(tall, ([A, b]) => {
        const x = solve(A, b);
        const r = gemv(A, x).map((v, i) => b[i] - v);
        const g = gemv(transpose(A), r);
        const [m, n] = [A.rows, A.cols];
        // why: Householder least squares is backward stable (Higham Thm 20.3); A^T r is then O(m n u) ||A|| (||A|| ||x|| + ||b||)
        expect(within(norm2(g), 0, epsTol(8 * m * n, frob(A) * (frob(A) * norm2(x) + norm2(b)), 'normal equations'))).toBe(true);
      }),
    );
  });
});

describe('rowSpaceBasis', () => {
  it('has rank(A) orthonormal columns and every row of A lies in their span (so they span the row space)', () => {
    fc.assert(
      fc.property(lowRank, ({ A, r }) => {
        const Q = rowSpaceBasis(A);
        expect([Q.rows, Q.cols]).toEqual([A.cols, r]);
        const k = 8 * A.rows * A.cols; // why: SVD backward error, as for svd above
        expect(within(orthoError(Q), 0, epsTol(k, 1, 'orthonormal basis'))).toBe(true);
        const { s } = svd(A);
        const gap = r > 0 ? s[0] / s[r - 1] : 1; // why: the computed subspace tilts by O(u ||A|| / sigma_r) (Wedin)
        for (let i = 0; i < A.rows; i++) {
          const a = A.data.slice(i * A.cols, (i + 1) * A.cols);
          const proj = gemv(Q, gemv(transpose(Q), a));
          expect(within(norm2(a.map((v, j) => v - proj[j])), 0, epsTol(k, norm2(a) * gap, 'row in span(Q)'))).toBe(true);
        }
      }),
    );
  });
});

describe('toMl, fromMl', () => {
  it('round-trip any matrix exactly', () => {
    fc.assert(
      fc.property(dyadicMat(size(0, 5), size(0, 5), entry), (A) => {
        expect(fromMl(toMl(A))).toEqual(A);
      }),
    );
  });
});
