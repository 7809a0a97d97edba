/**
 * Certified hard-margin SVM through the origin (docs/theory.md#02-certified-references):
 *   w_hat = argmin ||w||  subject to  y_i x_i^T w >= 1 for all i,   gamma* = 1 / ||w_hat||.
 * f64 Lawson–Hanson active set on the dual (LDP/NNLS form) proposes the support set, the exact
 * refinement engine solves the KKT system on it, exact margins and multiplier signs correct it,
 * and a Decimal KKT check (certificate.ts) gates the answer: no uncertified result is returned.
 * Data not separable through the origin raise NotSeparableError with an exact witness.
 */
import type { Mat, Vec } from '../numeric/index.ts';
import { certifiedLdp, ldpOutputs } from './ldp.ts';
import { checkDigits, decimalCompare, formatDecimal, type DecimalCompare } from './decimal.ts';
import { ldpCertificateFields, verifyLdp } from './certificate.ts';
import { checkMat } from './minNorm.ts';

export interface MaxMarginOptions {
  /** significant digits (default 50) */
  readonly digits?: number;
  /** Decimal comparator of the final KKT check; only mutation tests replace it */
  readonly compare?: DecimalCompare;
}

export interface MaxMarginCertificate {
  /** smallest alpha on the support set (> 0) */
  readonly alphaMin: string;
  /** min_i y_i x_i^T w (>= 1 - tolerance) */
  readonly minMargin: string;
  /** max over the support of |y_i x_i^T w - 1| */
  readonly maxActiveResidual: string;
  /** max over the support of alpha_i |y_i x_i^T w - 1| */
  readonly complementarySlackness: string;
  /** ||w - sum_S alpha_i y_i x_i|| */
  readonly stationarityResidual: string;
  /** 10^-(digits - 5) */
  readonly tolerance: string;
  readonly digitsAchieved: number;
  readonly conditionEstimate: number;
  readonly supportSize: number;
  readonly rounds: number;
}

export interface MaxMarginResult {
  readonly w: Vec;
  readonly wDecimal: string[];
  readonly gamma: number;
  readonly gammaDecimal: string;
  /** support rows (ascending, linearly independent) */
  readonly support: number[];
  /** dual variables, N entries (zero off the support): w = sum_i alpha_i y_i x_i */
  readonly alpha: Vec;
  /** alpha on the support, decimal strings */
  readonly alphaDecimal: string[];
  readonly certificate: MaxMarginCertificate;
}

/** Z = diag(labels) X, validating labels in {-1, +1}. */
export function signedRows(X: Mat, labels: Vec, who: string): Mat {
  checkMat(X, who);
  if (labels.length !== X.rows) throw new Error(`${who}: X has ${X.rows} rows but labels has ${labels.length} entries`);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1 && labels[i] !== -1) throw new Error(`${who}: labels[${i}] is ${labels[i]}; labels must be -1 or +1`);
  }
  const data = new Float64Array(X.data.length);
  for (let i = 0; i < X.rows; i++) for (let j = 0; j < X.cols; j++) data[i * X.cols + j] = labels[i] * X.data[i * X.cols + j];
  return { rows: X.rows, cols: X.cols, data };
}

export function maxMarginSolution(X: Mat, labels: Vec, opts: MaxMarginOptions = {}): MaxMarginResult {
  const who = 'maxMarginSolution';
  const digits = checkDigits(opts.digits ?? 50, who);
  const Z = signedRows(X, labels, who);
  if (Z.rows === 0) throw new Error(`${who}: needs at least one example (X has 0 rows)`);
  if (Z.cols === 0) throw new Error(`${who}: needs at least one feature (X has 0 columns)`);
  const out = certifiedLdp(Z, null, digits, who);
  const o = ldpOutputs(out, Z.rows, digits);
  const chk = verifyLdp({ Z, w0: null, u: o.uDecimal, active: out.active, lambda: o.lambdaDecimal, digits }, opts.compare ?? decimalCompare);
  if (!chk.ok) throw new Error(`${who}: KKT certificate failed after ${out.rounds} rounds: ${chk.failures.join('; ')}`);
  const f = ldpCertificateFields(chk, digits);
  const gammaD = new o.D(1).div(o.norm);
  return {
    w: o.u,
    wDecimal: o.uDecimal,
    gamma: gammaD.toNumber(),
    gammaDecimal: formatDecimal(gammaD, digits),
    support: out.active,
    alpha: o.lambda,
    alphaDecimal: o.lambdaDecimal,
    certificate: {
      alphaMin: f.lambdaMin,
      minMargin: f.minMargin,
      maxActiveResidual: f.maxActiveResidual,
      complementarySlackness: f.complementarySlackness,
      stationarityResidual: f.stationarityResidual,
      tolerance: f.tolerance,
      digitsAchieved: out.sol.digitsAchieved,
      conditionEstimate: out.sol.kappa,
      supportSize: out.active.length,
      rounds: out.rounds,
    },
  };
}
