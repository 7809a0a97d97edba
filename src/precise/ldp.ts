/**
 * Certified projection onto a polyhedron {u : Z u >= 1}: argmin ||u - w0|| (w0 = 0 gives the
 * hard-margin SVM through the origin). Shared by maxMarginSolution and maxMarginProjection.
 *
 *  1. f64 proposal: Lawson–Hanson NNLS on the LDP form (src/precise/nnls.ts) gives an active set A.
 *  2. exact polish: on A, the KKT system is  u = w0 + Z_A^T lambda_A,  Z_A u = 1, i.e. the
 *     projection of w0 onto {Z_A u = 1}; the refinement engine solves it to the requested digits
 *     with exact residuals (rank of Z_A decided exactly; dependent rows are dropped).
 *  3. exact re-check: signs of lambda_A (exact) and all margins z_i^T u - 1 (exact BigInt).
 *     A negative multiplier drops its row, a violated constraint joins A; repeat (never cycling:
 *     a repeated active set is an error). The caller then verifies the rounded answer in Decimal.
 * Infeasibility (NNLS residual ~ 0) is settled by an exact Farkas witness (NotSeparableError).
 */
import { cholesky, gemv, gram, type Mat, type Vec } from '../numeric/index.ts';
import { bigToNumber, toIntMatrix, type IntMatrix } from './dyadic.ts';
import { exactRank, solveRational } from './exact.ts';
import { nnlsLdp } from './nnls.ts';
import { refineAffine, type AffineSolution } from './refine.ts';
import { selectF64Rows } from './minNorm.ts';
import { decimalContext, decimalFromDyadic, formatDecimal } from './decimal.ts';
import { roundDyadic, roundVector } from './output.ts';
import { NotSeparableError, type SeparabilityWitness } from './errors.ts';

export interface LdpOutcome {
  readonly sol: AffineSolution;
  /** active rows, ascending, linearly independent */
  readonly active: number[];
  /** Z restricted to the active rows, and its exact form (used for exponents of lambda) */
  readonly ZA: Mat;
  readonly ZAi: IntMatrix;
  readonly rounds: number;
}

/** Threshold on the NNLS residual below which infeasibility is suspected and an exact witness is sought. */
const INFEASIBLE_RESIDUAL_SQ = 1e-12;

/** Exact Farkas witness on the candidate rows P, or null. */
export function separabilityWitness(Zi: IntMatrix, d: number, P: readonly number[], digits: number): SeparabilityWitness | null {
  if (P.length === 0) return null;
  const cols = P.length;
  const A: bigint[] = new Array((d + 1) * cols);
  const f: bigint[] = [];
  P.forEach((i, k) => {
    // column proportional (factor 2^max(exp_i, 0) > 0) to (z_i, 1), integral
    const e = Zi.exp[i];
    const up = BigInt(Math.max(e, 0) - e);
    for (let j = 0; j < d; j++) A[j * cols + k] = Zi.ints[i * Zi.cols + j] << up;
    A[d * cols + k] = 1n << BigInt(Math.max(e, 0));
    f.push(BigInt(Math.max(e, 0)));
  });
  const b: bigint[] = new Array(d + 1).fill(0n);
  b[d] = 1n;
  const s = solveRational(A, d + 1, cols, b);
  if (!s) return null;
  // u_i = num_k * 2^f_k / den >= 0, and sum_i u_i = 1 by the last equation
  const nums = s.num.map((x, k) => x << f[k]);
  let den = s.den;
  if (den < 0n) { den = -den; for (let k = 0; k < nums.length; k++) nums[k] = -nums[k]; }
  if (nums.some((x) => x < 0n)) return null;
  let g = den;
  for (const x of nums) g = gcdBig(g, x);
  if (g > 1n) {
    den /= g;
    for (let k = 0; k < nums.length; k++) nums[k] /= g;
  }
  const D = decimalContext(digits + 5);
  const keep = P.map((_, k) => k).filter((k) => nums[k] !== 0n);
  return {
    indices: keep.map((k) => P[k]),
    numerators: keep.map((k) => nums[k].toString()),
    denominator: den.toString(),
    weights: keep.map((k) => formatDecimal(new D(nums[k].toString()).div(den.toString()), digits)),
  };
}

/** f64 ratio test: coefficients c of z_p on the rows `old` (least squares), then argmin lambda_i / c_i over c_i > 0; -1 if none. */
function ratioTest(Z: Mat, old: readonly number[], p: number, lambda: ReadonlyMap<number, number>): number {
  if (old.length === 0) return -1;
  const d = Z.cols;
  const Zo = selectF64Rows(Z, old);
  const zp = Z.data.subarray(p * d, (p + 1) * d);
  let c: Vec;
  try {
    c = cholesky(gram(Zo)).solve(gemv(Zo, zp));
  } catch {
    return -1;
  }
  let best = -1;
  let bestT = Infinity;
  old.forEach((i, k) => {
    const l = lambda.get(i);
    if (l === undefined || !(c[k] > 0)) return;
    const t = l / c[k];
    if (t < bestT) { bestT = t; best = i; }
  });
  return best;
}

function gcdBig(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function marginSlack(Zi: IntMatrix, d: number, i: number, W: readonly bigint[], F: number): number {
  let acc = 0n;
  const base = i * Zi.cols;
  for (let j = 0; j < d; j++) {
    const x = Zi.ints[base + j];
    if (x !== 0n) acc += x * W[j];
  }
  const k = Zi.exp[i] + F; // z_i^T w = acc * 2^-k
  return k >= 0 ? bigToNumber(acc - (1n << BigInt(k)), -k) : bigToNumber((acc << BigInt(-k)) - 1n, 0);
}

/**
 * `proposal` replaces the f64 active set (tests use it to check that the exact correction loop recovers
 * from a wrong start).
 */
export function certifiedLdp(Z: Mat, w0: Vec | null, digits: number, who: string, proposal?: readonly number[]): LdpOutcome {
  const N = Z.rows;
  const d = Z.cols;
  const Zi = toIntMatrix(Z);
  const h = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let s = 0;
    if (w0) for (let j = 0; j < d; j++) s += Z.data[i * d + j] * w0[j];
    h[i] = 1 - s;
  }
  const nn = nnlsLdp(Z, h);
  if (nn.residualSq <= INFEASIBLE_RESIDUAL_SQ) {
    const wit = separabilityWitness(Zi, d, nn.passive, digits);
    if (wit) throw new NotSeparableError(who, wit);
  }
  const tol = 10 ** -(digits - 5);
  let A = proposal ? [...new Set(proposal)].sort((a, b) => a - b) : [...nn.passive];
  let lastAdded = -1;
  let prevLambda = new Map<number, number>();
  const seen = new Set<string>();
  for (let rounds = 0; ; rounds++) {
    const key = A.join(',');
    if (seen.has(key) || rounds > 2 * N + 20) {
      const wit = separabilityWitness(Zi, d, nn.passive, digits);
      if (wit) throw new NotSeparableError(who, wit);
      throw new Error(`${who}: the active-set correction cycled after ${rounds} rounds (active set [${key}]); no certified answer`);
    }
    seen.add(key);
    const ones = new Float64Array(A.length).fill(1);
    const ZA0 = selectF64Rows(Z, A);
    const aug = toIntMatrix(ZA0, ones);
    const info = exactRank(aug, d);
    if (info.rankAugmented > info.rank) {
      // no u with Z_A u = 1. If a violated row p just joined, z_p depends on the old rows: z_p = sum c_i z_i;
      // swap out the old row chosen by the dual ratio test min { lambda_i / c_i : c_i > 0 } (Goldfarb–Idnani).
      // Otherwise (the f64 proposal itself), drop its weakest row.
      let drop = -1;
      if (lastAdded >= 0 && prevLambda.size > 0) drop = ratioTest(Z, A.filter((i) => i !== lastAdded), lastAdded, prevLambda);
      if (drop < 0) drop = lastAdded >= 0 ? lastAdded : A.reduce((a, b) => (nn.u[a] <= nn.u[b] ? a : b));
      A = A.filter((i) => i !== drop);
      lastAdded = -1;
      continue;
    }
    if (info.rank < A.length) A = info.independentRows.map((r) => A[r]);
    const ZA = A.length === ZA0.rows ? ZA0 : selectF64Rows(Z, A);
    const ZAi = A.length === ZA0.rows ? aug : toIntMatrix(ZA, new Float64Array(A.length).fill(1));
    const rhs = { ints: A.map((_, r) => ZAi.ints[r * ZAi.cols + d]), exp: ZAi.exp };
    const sol = refineAffine({ X: ZA, Xi: ZAi, rhs, rhsF64: new Float64Array(A.length).fill(1), w0, digits, who });
    // exact signs of the multipliers
    let worst = -1;
    let worstVal = 0;
    A.forEach((_, r) => {
      if (sol.L[r] <= 0n) {
        const v = bigToNumber(sol.L[r], ZAi.exp[r] - sol.F);
        if (worst < 0 || v < worstVal) { worst = r; worstVal = v; }
      }
    });
    prevLambda = new Map(A.map((i, r) => [i, bigToNumber(sol.L[r], ZAi.exp[r] - sol.F)]));
    if (worst >= 0) {
      A = A.filter((_, r) => r !== worst);
      lastAdded = -1;
      continue;
    }
    // exact margins of every other constraint
    const inA = new Set(A);
    let viol = -1;
    let violVal = -tol;
    for (let i = 0; i < N; i++) {
      if (inA.has(i)) continue;
      const s = marginSlack(Zi, d, i, sol.W, sol.F);
      if (s < violVal) { violVal = s; viol = i; }
    }
    if (viol >= 0) {
      A = [...A, viol].sort((a, b) => a - b);
      lastAdded = viol;
      continue;
    }
    return { sol, active: A, ZA, ZAi, rounds };
  }
}

/** Rounded outputs of an LDP outcome: u (f64 and decimal), multipliers, and ||u|| in Decimal. */
export function ldpOutputs(out: LdpOutcome, N: number, digits: number) {
  const { sol, active, ZAi } = out;
  const D = decimalContext(digits + 20);
  const v = roundVector(sol.W, sol.F, digits);
  let sq = new D(0);
  for (const b of sol.W) if (b !== 0n) sq = sq.plus(decimalFromDyadic(D, b * b, -2 * sol.F));
  const lambda = new Float64Array(N);
  const lambdaDecimal: string[] = [];
  active.forEach((i, r) => {
    const e = ZAi.exp[r] - sol.F;
    lambda[i] = bigToNumber(sol.L[r], e);
    lambdaDecimal.push(roundDyadic(sol.L[r], -e, digits).str);
  });
  return { u: v.x, uDecimal: v.strs, lambda, lambdaDecimal, norm: sq.sqrt(), D };
}
