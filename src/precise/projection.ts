/**
 * Certified max-margin projection of a point onto one node's constraints (docs/theory.md#15-modified-local-gd):
 *   P(w) = argmin_u ||u - w||  subject to  Z u >= 1      (Z: signed rows z_i = y_i x_i).
 * Same machinery as the hard-margin SVM (which is P(0) on all the data): f64 Lawson–Hanson on the
 * LDP form min ||v|| s.t. Z v >= 1 - Z w (v = u - w), exact KKT polish on the active set A
 * (u = w + Z_A^T lambda_A, Z_A u = 1), exact re-check, then a Decimal KKT check.
 * If Z w >= 1 already, A is empty and u = w.
 */
import type { Mat, Vec } from '../numeric/index.ts';
import { certifiedLdp, ldpOutputs } from './ldp.ts';
import { checkDigits, decimalCompare, type DecimalCompare } from './decimal.ts';
import { ldpCertificateFields, verifyLdp, type LdpCertificate } from './certificate.ts';
import { checkMat, checkVec } from './minNorm.ts';

export interface ProjectionOptions {
  readonly digits?: number;
  /** Decimal comparator of the final KKT check; only mutation tests replace it */
  readonly compare?: DecimalCompare;
}

export interface ProjectionResult {
  readonly u: Vec;
  readonly uDecimal: string[];
  /** multipliers, one per row of Z (zero off the active set): u = w + Z^T lambda */
  readonly lambda: Vec;
  readonly lambdaDecimal: string[];
  /** active rows (ascending, linearly independent) */
  readonly active: number[];
  readonly certificate: LdpCertificate;
}

export function maxMarginProjection(Z: Mat, w: Vec, opts: ProjectionOptions = {}): ProjectionResult {
  const who = 'maxMarginProjection';
  const digits = checkDigits(opts.digits ?? 50, who);
  checkMat(Z, who, 'Z');
  checkVec(w, Z.cols, who, 'w', 'the number of columns of Z');
  const out = certifiedLdp(Z, w, digits, who);
  const o = ldpOutputs(out, Z.rows, digits);
  const chk = verifyLdp({ Z, w0: w, u: o.uDecimal, active: out.active, lambda: o.lambdaDecimal, digits }, opts.compare ?? decimalCompare);
  if (!chk.ok) throw new Error(`${who}: KKT certificate failed after ${out.rounds} rounds: ${chk.failures.join('; ')}`);
  const f = ldpCertificateFields(chk, digits);
  return {
    u: o.u,
    uDecimal: o.uDecimal,
    lambda: o.lambda,
    lambdaDecimal: o.lambdaDecimal,
    active: out.active,
    certificate: {
      ...f,
      digitsAchieved: out.sol.digitsAchieved,
      conditionEstimate: out.active.length > 0 ? out.sol.kappa : 1,
      activeSize: out.active.length,
      rounds: out.rounds,
    },
  };
}
