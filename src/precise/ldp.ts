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
import { bigToNumber, ldexp, toIntMatrix, type IntMatrix } from './dyadic.ts';
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

/**
 * Row i as the integral column 2^f (z_i, 1) of the witness system sum_i u_i (z_i, 1) = (0, 1), with f = max(exp_i, 0)
 * (z_i = ints_i 2^-exp_i), so the factor 2^f > 0 keeps every sign.
 */
function witnessColumn(Zi: IntMatrix, d: number, i: number): { col: bigint[]; f: number } {
  const e = Zi.exp[i];
  const f = Math.max(e, 0);
  const up = BigInt(f - e);
  const col: bigint[] = new Array(d + 1);
  for (let j = 0; j < d; j++) col[j] = Zi.ints[i * Zi.cols + j] << up;
  col[d] = 1n << BigInt(f);
  return { col, f };
}

/** The witness u_k = nums[k] / den on rows `rows` (nums >= 0, den > 0), reduced by their gcd, zero weights dropped. */
function witnessOf(rows: readonly number[], nums: bigint[], den: bigint, digits: number): SeparabilityWitness {
  let g = den;
  for (const x of nums) g = gcdBig(g, x);
  if (g > 1n) {
    den /= g;
    for (let k = 0; k < nums.length; k++) nums[k] /= g;
  }
  const D = decimalContext(digits + 5);
  const keep = rows.map((_, k) => k).filter((k) => nums[k] !== 0n);
  return {
    indices: keep.map((k) => rows[k]),
    numerators: keep.map((k) => nums[k].toString()),
    denominator: den.toString(),
    weights: keep.map((k) => formatDecimal(new D(nums[k].toString()).div(den.toString()), digits)),
  };
}

/** Exact Farkas witness on the candidate rows P, or null. */
export function separabilityWitness(Zi: IntMatrix, d: number, P: readonly number[], digits: number): SeparabilityWitness | null {
  if (P.length === 0) return null;
  const cols = P.length;
  const A: bigint[] = new Array((d + 1) * cols);
  const f: bigint[] = [];
  P.forEach((i, k) => {
    const w = witnessColumn(Zi, d, i);
    for (let j = 0; j <= d; j++) A[j * cols + k] = w.col[j];
    f.push(BigInt(w.f));
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
  return witnessOf(P, nums, den, digits);
}

/**
 * Exact decision of separability: Phase I of the simplex method in integer (fraction-free) arithmetic
 * with Bland's rule, on  find x >= 0 with  sum_k x_k 2^(f_k) (z_k, 1) = (0, 1)  over ALL rows.
 * Feasible: the basic solution is an exact Farkas witness (returned, verified in integers).
 * Infeasible: by Gordan's theorem some w has Z w > 0, i.e. the data are separable (returns null).
 * Bland's rule cannot cycle, so this terminates; its cost is only paid when the f64 path is in doubt.
 */
export function exactSeparabilityWitness(Zi: IntMatrix, d: number, digits: number): SeparabilityWitness | null {
  const N = Zi.rows;
  const m = d + 1;
  const n = N + m; // originals, then one artificial per row
  const W = n + 1; // last entry: right-hand side
  const f: number[] = [];
  const T: bigint[][] = Array.from({ length: m }, () => new Array<bigint>(W).fill(0n));
  const columns = Array.from({ length: N }, (_, k) => witnessColumn(Zi, d, k));
  columns.forEach((w, k) => {
    for (let r = 0; r < m; r++) T[r][k] = w.col[r];
    f.push(w.f);
  });
  for (let r = 0; r < m; r++) T[r][N + r] = 1n;
  T[d][n] = 1n;
  // reduced costs of Phase I (minimise the sum of the artificials), artificials basic
  const obj = new Array<bigint>(W).fill(0n);
  for (let j = 0; j < W; j++) if (j < N || j === n) for (let r = 0; r < m; r++) obj[j] -= T[r][j];
  const basis = Array.from({ length: m }, (_, r) => N + r);
  const reduce = (row: bigint[]) => {
    let g = 0n;
    for (const x of row) if (x !== 0n) { g = gcdBig(g, x); if (g === 1n) return; }
    if (g > 1n) for (let j = 0; j < row.length; j++) row[j] /= g;
  };
  for (;;) {
    let col = -1;
    for (let j = 0; j < n; j++) if (obj[j] < 0n) { col = j; break; } // Bland: smallest improving index
    if (col < 0) break;
    let p = -1;
    for (let r = 0; r < m; r++) {
      if (T[r][col] <= 0n) continue;
      if (p < 0) { p = r; continue; }
      // rhs_r / T[r][col] vs rhs_p / T[p][col] (denominators positive); ties: smallest basic index
      const c = T[r][n] * T[p][col] - T[p][n] * T[r][col];
      if (c < 0n || (c === 0n && basis[r] < basis[p])) p = r;
    }
    if (p < 0) break; // unbounded direction: impossible in Phase I (objective >= 0); stop safely
    const piv = T[p][col];
    const rowP = T[p];
    const elim = (row: bigint[]) => {
      const a = row[col];
      if (a === 0n) return;
      for (let j = 0; j < W; j++) row[j] = row[j] * piv - rowP[j] * a; // positive multiple of the true row
      reduce(row);
    };
    for (let r = 0; r < m; r++) if (r !== p) elim(T[r]);
    elim(obj);
    reduce(rowP);
    basis[p] = col;
  }
  if (obj[n] !== 0n) return null; // Phase I optimum > 0: no convex combination of the z_i is 0
  // x_k = T[r][n] / T[r][k] for basic originals; common denominator L
  let L = 1n;
  const fr: Array<[number, bigint, bigint]> = [];
  basis.forEach((k, r) => {
    if (k >= N || T[r][n] === 0n) return;
    let num = T[r][n];
    let den = T[r][k];
    const g = gcdBig(num, den);
    num /= g; den /= g;
    fr.push([k, num, den]);
    L = (L / gcdBig(L, den)) * den;
  });
  fr.sort((a, b) => a[0] - b[0]);
  const X = fr.map(([, num, den]) => num * (L / den));
  // exact check: sum_k X_k 2^f_k (z_k, 1) = L (0, 1), i.e. sum u z = 0 and sum u = 1 with u_k = X_k 2^f_k / L
  for (let j = 0; j <= d; j++) {
    let s = 0n;
    fr.forEach(([k], t) => { s += columns[k].col[j] * X[t]; });
    if (s !== (j < d ? 0n : L) || X.some((x) => x <= 0n)) throw new Error(`exactSeparabilityWitness: internal error, the simplex witness fails its exact check (row ${j})`);
  }
  const nums = X.map((x, t) => x << BigInt(f[fr[t][0]]));
  return witnessOf(fr.map(([k]) => k), nums, L, digits);
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
  // The f64 proposal runs on Z scaled by a power of two (largest entry in [1, 2)): {u : Z u >= h} scaled by c is
  // {u / c : c Z (u / c) >= h}, so the active set is the same, and entries near 1e308 or 5e-324 neither overflow nor
  // underflow in the f64 Gram. The exact steps below use Z itself.
  let zMax = 0;
  for (let k = 0; k < Z.data.length; k++) zMax = Math.max(zMax, Math.abs(Z.data[k]));
  const zExp = zMax > 0 ? -Math.floor(Math.log2(zMax)) : 0;
  const nn = nnlsLdp(zExp === 0 ? Z : { rows: N, cols: d, data: Z.data.map((v) => ldexp(v, zExp)) }, h);
  // Exact separability verdict, computed at most once: the f64 passive set first (cheap), then the exact simplex.
  let verdict: SeparabilityWitness | null | undefined;
  const witness = () => (verdict === undefined ? (verdict = separabilityWitness(Zi, d, nn.passive, digits) ?? exactSeparabilityWitness(Zi, d, digits)) : verdict);
  if (nn.residualSq <= INFEASIBLE_RESIDUAL_SQ) {
    // A tiny residual only suggests infeasibility. With columns of very different scales (mm281: 1e-4 vs 1e2)
    // the f64 Gram sees the large columns only, so the passive set zeroes them alone and is no exact witness
    // (d + 1 rows are needed generically); the exact simplex then decides.
    const wit = witness();
    if (wit) throw new NotSeparableError(who, wit);
  }
  try {
    return correctActiveSet(Z, Zi, w0, digits, who, nn, proposal);
  } catch (e) {
    if (e instanceof NotSeparableError) throw e;
    // Before giving up (cycling, round limit, a refinement stall), decide feasibility exactly.
    const wit = witness();
    if (wit) throw new NotSeparableError(who, wit);
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(`${msg} (the constraints Z u >= 1 are feasible: decided exactly by the rational simplex)`);
  }
}

function correctActiveSet(Z: Mat, Zi: IntMatrix, w0: Vec | null, digits: number, who: string, nn: ReturnType<typeof nnlsLdp>, proposal?: readonly number[]): LdpOutcome {
  const N = Z.rows;
  const d = Z.cols;
  const tol = 10 ** -(digits - 5);
  let A = proposal ? [...new Set(proposal)].sort((a, b) => a - b) : [...nn.passive];
  let lastAdded = -1;
  let prevLambda = new Map<number, number>();
  const seen = new Set<string>();
  for (let rounds = 0; ; rounds++) {
    const key = A.join(',');
    if (seen.has(key) || rounds > 2 * N + 20) {
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
