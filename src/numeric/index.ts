export type { Vec, Mat } from './types.ts';
export { vec, vecFrom, mat, matFromRows, matToRows, row, vstack, concat, transpose } from './types.ts';
export {
  dot, dotRange, gemv, gemvT, gram, gramT, matmul, axpy, scale, sub, add, norm2, normInf, dist2,
  sumCompensated, dotCompensated, allFinite,
} from './kernels.ts';
export { EPS, EPS32, epsTol, within, relDiff } from './tolerance.ts';
export type { Tolerance } from './tolerance.ts';
export { toMl, fromMl, cholesky, qr, qrR, solveTriangular, svd, pinv, eigSym, solve, rowSpaceBasis } from './linalg.ts';
