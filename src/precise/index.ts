/** Certified high-precision reference solvers (docs/theory.md#02-certified-references, docs/theory.md#15-modified-local-gd). Every export is named. */
export { minNormSolution } from './minNorm.ts';
export type { MinNormOptions, MinNormResult } from './minNorm.ts';
export { maxMarginSolution } from './maxMargin.ts';
export type { MaxMarginOptions, MaxMarginResult, MaxMarginCertificate } from './maxMargin.ts';
export { maxMarginProjection } from './projection.ts';
export type { ProjectionOptions, ProjectionResult } from './projection.ts';
export { NotSeparableError } from './errors.ts';
export type { SeparabilityWitness } from './errors.ts';
export { verifyLdp } from './certificate.ts';
export type { MinNormCertificate, LdpCertificate, LdpCandidate, LdpCheck, PlCertificate } from './certificate.ts';
export {
  decimalContext, decimalFromDouble, decimalFromDyadic, decimalCompare, decimalNorm, decimalMin, decimalMax,
  formatDecimal, MIN_DIGITS, MAX_DIGITS,
} from './decimal.ts';
export type { DecimalCtor, DecimalCompare } from './decimal.ts';
export { decompose, toIntMatrix } from './dyadic.ts';
export type { IntMatrix } from './dyadic.ts';
export { exactRank, solveRational, PRIME } from './exact.ts';
export type { RankInfo } from './exact.ts';
export { plOptimum } from './plOptimum.ts';
export { gramMinEigenLowerBound } from './plLogistic.ts';
export type { PlObjective, PlOptions, PlResult } from './plOptimum.ts';
