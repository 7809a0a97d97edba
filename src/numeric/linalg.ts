/**
 * f64 decompositions through ml-matrix, wrapped so the rest of the code sees only Mat/Vec, and
 * triangular substitution for their factors. These are not hot-loop kernels: they allocate.
 */
import {
  Matrix,
  QrDecomposition,
  SingularValueDecomposition,
  CholeskyDecomposition,
  EigenvalueDecomposition,
  pseudoInverse,
  solve as mlSolve,
} from 'ml-matrix';
import type { Mat, Vec } from './types.ts';

export function toMl(A: Mat): Matrix {
  const M = new Matrix(A.rows, A.cols);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) M.set(i, j, A.data[i * A.cols + j]);
  return M;
}

export function fromMl(M: Matrix): Mat {
  const rows = M.rows;
  const cols = M.columns;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = M.get(i, j);
  return { rows, cols, data };
}

function colVec(v: Vec): Matrix {
  return Matrix.columnVector(Array.from(v));
}

function toVec(M: Matrix): Vec {
  return Float64Array.from(M.to1DArray());
}

/** Cholesky factor of an SPD matrix; throws if not positive definite. */
export function cholesky(A: Mat): { L: Mat; solve(b: Vec): Vec } {
  const { rows: n, cols, data } = A;
  if (n !== cols) throw new Error(`cholesky: matrix (${n}x${cols}) is not square`);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const [a, b] = [data[i * n + j], data[j * n + i]];
      if (a !== b) throw new Error(`cholesky: matrix (${n}x${n}) is not symmetric: (${i}, ${j}) = ${a} but (${j}, ${i}) = ${b}`);
    }
  }
  const c = new CholeskyDecomposition(toMl(A));
  if (!c.isPositiveDefinite()) throw new Error(`cholesky: matrix (${A.rows}x${A.cols}) is not positive definite`);
  return { L: fromMl(c.lowerTriangularMatrix), solve: (b: Vec) => toVec(c.solve(colVec(b))) };
}

/**
 * Thin Householder QR of a tall matrix (rows >= cols): Q is rows x cols with orthonormal columns, R is cols x cols.
 * isFullRank: every |R_ii| > max(rows, cols) * EPS * max_j |R_jj| (the rank rule of svd; ml-matrix's own test is
 * R_ii !== 0, which rounding defeats on rank-deficient input).
 */
export function qr(A: Mat): { Q: Mat; R: Mat; isFullRank: boolean } {
  if (A.rows < A.cols) throw new Error(`qr: A is ${A.rows}x${A.cols}; qr needs rows >= cols (factor the transpose)`);
  const q = new QrDecomposition(toMl(A));
  const R = fromMl(q.upperTriangularMatrix);
  return { Q: fromMl(q.orthogonalMatrix), R, isFullRank: fullRankR(R, A.rows, A.cols) };
}

/**
 * The R factor alone of the thin Householder QR of a tall matrix (the same factorisation as `qr`, without forming Q,
 * which costs as much again). Backward stable: R is the exact factor of A + dA with ||da_j|| <= c rows cols EPS ||a_j||
 * (Higham, Thm 19.4). isFullRank follows the rule of `qr`.
 */
export function qrR(A: Mat): { R: Mat; isFullRank: boolean } {
  if (A.rows < A.cols) throw new Error(`qrR: A is ${A.rows}x${A.cols}; qrR needs rows >= cols (factor the transpose)`);
  const R = fromMl(new QrDecomposition(toMl(A)).upperTriangularMatrix);
  return { R, isFullRank: fullRankR(R, A.rows, A.cols) };
}

function fullRankR(R: Mat, rows: number, cols: number): boolean {
  let big = 0;
  for (let i = 0; i < R.cols; i++) big = Math.max(big, Math.abs(R.data[i * R.cols + i]));
  const cutoff = Math.max(rows, cols) * Number.EPSILON * big;
  let isFullRank = R.cols === 0 || big > 0;
  for (let i = 0; i < R.cols; i++) if (!(Math.abs(R.data[i * R.cols + i]) > cutoff)) isFullRank = false;
  return isFullRank;
}

/**
 * Substitution with a square triangular T: solves T x = b, or T^T x = b when `transposed`, where T is 'upper' or
 * 'lower' triangular; only that triangle and the diagonal are read. Backward stable: the computed x solves
 * (T + dT) x = b with |dT| <= n EPS |T| / (1 - n EPS) (Higham, Thm 8.5). A zero diagonal entry gives Infinity or NaN
 * (a kernel; callers check the diagonal).
 */
export function solveTriangular(T: Mat, b: Vec, uplo: 'upper' | 'lower', transposed = false): Vec {
  const n = T.rows;
  if (T.cols !== n) throw new Error(`solveTriangular: T is ${n}x${T.cols}; it must be square`);
  if (T.data.length !== n * n) throw new Error(`solveTriangular: T has shape ${n}x${n} but ${T.data.length} entries`);
  if (b.length !== n) throw new Error(`solveTriangular: T is ${n}x${n} but b has ${b.length} entries`);
  if (uplo !== 'upper' && uplo !== 'lower') throw new Error(`solveTriangular: uplo must be 'upper' or 'lower', got ${String(uplo)}`);
  const t = T.data;
  const x = Float64Array.from(b);
  if (uplo === 'upper' && !transposed) {
    // back substitution along the rows of T
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i];
      for (let j = i + 1; j < n; j++) s -= t[i * n + j] * x[j];
      x[i] = s / t[i * n + i];
    }
  } else if (uplo === 'lower' && !transposed) {
    for (let i = 0; i < n; i++) {
      let s = x[i];
      for (let j = 0; j < i; j++) s -= t[i * n + j] * x[j];
      x[i] = s / t[i * n + i];
    }
  } else if (uplo === 'upper') {
    // T^T is lower triangular: forward substitution, eliminating with the rows of T (column-oriented for T^T)
    for (let i = 0; i < n; i++) {
      const xi = (x[i] /= t[i * n + i]);
      for (let j = i + 1; j < n; j++) x[j] -= t[i * n + j] * xi;
    }
  } else {
    for (let i = n - 1; i >= 0; i--) {
      const xi = (x[i] /= t[i * n + i]);
      for (let j = 0; j < i; j++) x[j] -= t[i * n + j] * xi;
    }
  }
  return x;
}

export function svd(A: Mat): { U: Mat; s: Vec; V: Mat; condition: number; rank: number } {
  const s = new SingularValueDecomposition(toMl(A), { autoTranspose: true });
  return {
    U: fromMl(s.leftSingularVectors),
    s: Float64Array.from(s.diagonal),
    V: fromMl(s.rightSingularVectors),
    condition: s.condition,
    rank: s.rank,
  };
}

export function pinv(A: Mat, threshold?: number): Mat {
  return fromMl(pseudoInverse(toMl(A), threshold));
}

/** Eigen-decomposition of a symmetric matrix: eigenvalues ascending, eigenvectors as columns of V. */
export function eigSym(A: Mat): { values: Vec; V: Mat } {
  if (A.rows !== A.cols) throw new Error(`eigSym: matrix is ${A.rows}x${A.cols}, not square`);
  for (let i = 0; i < A.rows; i++) {
    for (let j = i + 1; j < A.cols; j++) {
      const a = A.data[i * A.cols + j];
      const b = A.data[j * A.cols + i];
      // symmetric up to rounding of the computation that built A: |a - b| <= 8 eps max(|a|,|b|)
      if (!(Math.abs(a - b) <= 8 * Number.EPSILON * Math.max(Math.abs(a), Math.abs(b)))) {
        throw new Error(`eigSym: matrix is not symmetric: (${i}, ${j}) = ${a} but (${j}, ${i}) = ${b}`);
      }
    }
  }
  const e = new EigenvalueDecomposition(toMl(A), { assumeSymmetric: true });
  const vals = e.realEigenvalues;
  const idx = vals.map((_, i) => i).sort((a, b) => vals[a] - vals[b]);
  const Vm = e.eigenvectorMatrix;
  const n = A.rows;
  const V = new Float64Array(n * n);
  for (let c = 0; c < n; c++) for (let r = 0; r < n; r++) V[r * n + c] = Vm.get(r, idx[c]);
  return { values: Float64Array.from(idx.map((i) => vals[i])), V: { rows: n, cols: n, data: V } };
}

/** Solve a square system by LU (ml-matrix `solve`), or least squares if not square. */
export function solve(A: Mat, b: Vec): Vec {
  return toVec(mlSolve(toMl(A), colVec(b)));
}

/** Orthonormal basis (columns) of the row space of A, from the SVD; rank decided by ml-matrix's threshold. */
export function rowSpaceBasis(A: Mat): Mat {
  const { V, rank } = svd(A);
  const d = A.cols;
  const Q = new Float64Array(d * rank);
  for (let i = 0; i < d; i++) for (let j = 0; j < rank; j++) Q[i * rank + j] = V.data[i * V.cols + j];
  return { rows: d, cols: rank, data: Q };
}
