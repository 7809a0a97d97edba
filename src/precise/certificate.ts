/**
 * Certificate types of the reference solvers, and the KKT verifier of the max-margin problems.
 * Certificate numbers are decimal strings (bounds rounded up) or plain numbers for estimates.
 */
import type { Mat, Vec } from '../numeric/index.ts';
import {
  decimalCompare, decimalContext, decimalFromDouble, formatUpper, tenToMinus,
  type Dec,
} from './decimal.ts';

export interface MinNormCertificate {
  /** upper bound on ||X w - y|| for the returned decimal w */
  readonly residualNorm: string;
  /** upper bound on the distance of w - w0 from the row space of X, for the returned decimal w */
  readonly rowSpaceDistance: string;
  /** correct significant digits (normwise, from ||r|| / sigma_min) of the internal iterate, capped at the request */
  readonly digitsAchieved: number;
  /** kappa_2 of X on its independent rows, estimated by power/inverse iteration on R^T R (R of the f64 QR of X^T) */
  readonly conditionEstimate: number;
  readonly rank: number;
  readonly rows: number;
  /** the rows the solution was computed on (a basis of the row space) */
  readonly independentRows: number[];
  readonly rankDeficient: boolean;
  readonly iterations: number;
  /**
   * 'modular' = full row rank proved mod a prime; 'bareiss' = exact BigInt elimination; 'multimodular' = tall X of full
   * column rank proved mod a prime, the solution w* of d independent rows recovered exactly and X w* = y checked
   * exactly on every row (src/precise/modular.ts)
   */
  readonly rankMethod: 'modular' | 'bareiss' | 'multimodular';
  /** ||w_decimal - w_iterate||: rounding of the iterate to the requested digits */
  readonly outputRounding: string;
}

/** KKT certificate of argmin ||u - w0|| s.t. Z u >= 1 (max margin: w0 = 0, lambda = alpha). */
export interface LdpCertificate {
  /** smallest multiplier on the active set (must be > 0) */
  readonly lambdaMin: string;
  /** min_i z_i^T u over all constraints (must be >= 1 - tolerance) */
  readonly minMargin: string;
  /** max over the active set of |z_i^T u - 1| */
  readonly maxActiveResidual: string;
  /** max over the active set of lambda_i |z_i^T u - 1| */
  readonly complementarySlackness: string;
  /** ||u - w0 - Z_A^T lambda_A|| */
  readonly stationarityResidual: string;
  /** 10^-(digits - 5) */
  readonly tolerance: string;
  readonly digitsAchieved: number;
  /** kappa_2 of Z_A, estimated by power/inverse iteration on R^T R (R of the f64 QR of Z_A^T) */
  readonly conditionEstimate: number;
  readonly activeSize: number;
  /** active-set corrections made after the f64 proposal */
  readonly rounds: number;
}

export interface LdpCheck {
  readonly ok: boolean;
  readonly failures: string[];
  readonly lambdaMin: Dec | null;
  readonly minMargin: Dec;
  readonly maxActiveResidual: Dec;
  readonly complementarity: Dec;
  readonly stationarity: Dec;
  readonly tolerance: Dec;
}

export interface LdpCandidate {
  /** signed rows z_i */
  readonly Z: Mat;
  /** projected point (null: 0) */
  readonly w0: Vec | null;
  /** the candidate u, decimal strings */
  readonly u: readonly string[];
  readonly active: readonly number[];
  /** multipliers on `active`, decimal strings */
  readonly lambda: readonly string[];
  readonly digits: number;
}

/**
 * Every comparison site of verifyLdp, in call order. The tag is passed as the comparator's third argument so
 * that a test can plant a wrong comparison at ONE site (test/precise/comparator.test.ts covers each).
 */
export const LDP_COMPARE_SITES = [
  'lambdaMin', 'lambdaMax', 'lambdaSign', 'marginMin', 'activeMax', 'complMax',
  'marginGate', 'activeGate', 'complGate', 'scaleMax', 'stationarityGate',
] as const;
export type LdpCompareSite = (typeof LDP_COMPARE_SITES)[number];
/** A DecimalCompare is one (it ignores the site). */
export type LdpCompare = (a: Dec, b: Dec, site: LdpCompareSite) => number;

/**
 * Check the KKT conditions of a candidate in Decimal (precision digits + 15) from the exact values
 * of the data. Every decision goes through `compare` (Decimal.cmp by default): a native `<` on
 * Decimal objects compares their string forms, so '1e-8' > '0.99' and '-0.5' > '-0.25' there.
 * Tolerance t = 10^-(digits-5): lambda_A > 0; min margin >= 1 - t; active residual and
 * complementarity <= t * max(1, max lambda); stationarity <= t * max(1, ||w0|| + sum lambda_i ||z_i||).
 */
export function verifyLdp(c: LdpCandidate, compare: LdpCompare = decimalCompare): LdpCheck {
  const D = decimalContext(c.digits + 15);
  const { Z } = c;
  const d = Z.cols;
  const u = c.u.map((s) => new D(s));
  const lam = c.lambda.map((s) => new D(s));
  const zero = new D(0);
  const one = new D(1);
  const tol = tenToMinus(D, c.digits - 5);
  const failures: string[] = [];
  const row = (i: number) => Array.from(Z.data.subarray(i * d, (i + 1) * d), (x) => decimalFromDouble(D, x));

  let lambdaMin: Dec | null = null;
  let lambdaMax = one;
  lam.forEach((l, k) => {
    if (lambdaMin === null || compare(l, lambdaMin, 'lambdaMin') < 0) lambdaMin = l;
    if (compare(l, lambdaMax, 'lambdaMax') > 0) lambdaMax = l;
    if (compare(l, zero, 'lambdaSign') <= 0) failures.push(`lambda[${c.active[k]}] = ${l.toSignificantDigits(6)} is not positive`);
  });

  const isActive = new Set(c.active);
  let minMargin: Dec | null = null;
  let maxActive = zero;
  let compl = zero;
  let minAt = -1;
  for (let i = 0; i < Z.rows; i++) {
    const z = row(i);
    let m = zero;
    for (let j = 0; j < d; j++) m = m.plus(z[j].times(u[j]));
    if (minMargin === null || compare(m, minMargin, 'marginMin') < 0) { minMargin = m; minAt = i; }
    if (isActive.has(i)) {
      const s = m.minus(one).abs();
      if (compare(s, maxActive, 'activeMax') > 0) maxActive = s;
      const k = c.active.indexOf(i);
      const cs = lam[k].abs().times(s);
      if (compare(cs, compl, 'complMax') > 0) compl = cs;
    }
  }
  const mm = minMargin ?? new D(Infinity);
  if (compare(mm, one.minus(tol), 'marginGate') < 0) failures.push(`margin of row ${minAt} is ${mm.toSignificantDigits(8)} < 1 - ${tol}`);
  if (compare(maxActive, tol.times(lambdaMax), 'activeGate') > 0) failures.push(`active residual ${maxActive.toSignificantDigits(6)} exceeds ${tol}`);
  if (compare(compl, tol.times(lambdaMax), 'complGate') > 0) failures.push(`complementary slackness ${compl.toSignificantDigits(6)} exceeds tolerance`);

  // stationarity: u - w0 - Z_A^T lambda_A
  const res = u.map((x, j) => (c.w0 ? x.minus(decimalFromDouble(D, c.w0[j])) : x));
  let scale = c.w0 ? new D(Math.hypot(...c.w0)) : zero;
  c.active.forEach((i, k) => {
    const z = row(i);
    let zn = zero;
    for (let j = 0; j < d; j++) {
      res[j] = res[j].minus(z[j].times(lam[k]));
      zn = zn.plus(z[j].times(z[j]));
    }
    scale = scale.plus(zn.sqrt().times(lam[k].abs()));
  });
  let st = zero;
  for (const r of res) st = st.plus(r.times(r));
  st = st.sqrt();
  if (compare(st, tol.times(compare(scale, one, 'scaleMax') > 0 ? scale : one), 'stationarityGate') > 0) failures.push(`stationarity residual ${st.toSignificantDigits(6)} exceeds tolerance`);

  return { ok: failures.length === 0, failures, lambdaMin, minMargin: mm, maxActiveResidual: maxActive, complementarity: compl, stationarity: st, tolerance: tol };
}

/** The certificate strings of a passing check. */
export function ldpCertificateFields(chk: LdpCheck, digits: number) {
  return {
    lambdaMin: chk.lambdaMin ? chk.lambdaMin.toSignificantDigits(digits).toString() : 'none',
    minMargin: chk.minMargin.toSignificantDigits(digits).toString(),
    maxActiveResidual: formatUpper(chk.maxActiveResidual),
    complementarySlackness: formatUpper(chk.complementarity),
    stationarityResidual: formatUpper(chk.stationarity),
    tolerance: chk.tolerance.toString(),
  };
}

/** Certificate of the PL optimum. */
export interface PlCertificate {
  /** ||grad F(x)|| at the returned x (upper bound) */
  readonly gradNorm: string;
  /** correct significant digits of x (normwise), from ||grad F|| / mu, capped at the request */
  readonly digits: number;
  /** Decimal/exact refinement iterations after the f64 phase */
  readonly iterations: number;
  /** strong-convexity (PL) constant used: lambda for logistic (rigorous), estimated for least squares */
  readonly mu: number;
  /** F(x) - F* <= gradNorm^2 / (2 mu) */
  readonly gapBound: string;
  /** for least squares: whether F* = 0 exactly (consistent A x = b, lambda = 0) */
  readonly exactZero?: boolean;
  readonly rankDeficient?: boolean;
}
