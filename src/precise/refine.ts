/**
 * The refinement engine shared by every certified solver: the projection of w0 onto the affine
 * set {w : X w = b}, for X with linearly independent rows (decided exactly beforehand).
 *
 *   w* = w0 + X^T (X X^T)^{-1} (b - X w0).
 *
 * Method (mixed precision iterative refinement):
 *  - f64: the triangular factor R of a Householder QR of X^T (X^T = Q R, R n x n upper triangular,
 *    O(n^2 d), done once; Q is never formed), so X X^T = R^T R without rounding X X^T itself;
 *  - exact: the iterate is a fixed-point dyadic vector w = W * 2^-F (W BigInt), kept EXACTLY of the
 *    form w = w0~ + X^T lambda with lambda dyadic (w0~ = w0 rounded to the grid 2^-F), and the
 *    residual r = b - X w is computed exactly in BigInt (O(N d) per iteration; no rounding at all,
 *    which is stronger than a Decimal residual and about 13x faster than decimal.js at 50 digits);
 *  - f64 correction: delta solves R^T R delta = r by two triangular solves, rounded onto the lambda
 *    grid; w += X^T delta exactly.
 * Because R comes from a backward-stable factorisation of X^T itself (the seminormal equations for
 * minimum-norm problems: C. C. Paige, Math. Comp. 27 (1973); Higham, Accuracy and Stability of
 * Numerical Algorithms, 2nd ed., ch. 21), the correction X^T delta has a relative error of about
 * kappa(X) * 2^-52 in w-space, not kappa(X)^2 * 2^-52 as with a Cholesky factor of the rounded
 * Gram (which stalled beyond kappa(X) of about 1e7): each iteration multiplies the error w - w* by about kappa(X) * 2^-52, so
 * the refinement converges up to kappa(X) of about 1e15, in about (digits + log10 kappa) /
 * (16 - log10 kappa) iterations. The stop rule is tied to the requested digits: the error bound
 * ||r|| / sigma_min(X) (sigma_min estimated by inverse iteration with the R solve) must fall below
 * 10^-(digits+1) max(||w||, ||w0||). That bound exceeds the error by up to kappa(X), so the grid
 * carries log2 kappa(X) extra bits. "Digits" are normwise relative to the scale of the problem,
 * max(||w*||, ||w0||), not to ||w*|| alone: when the projection is 0 (or tiny) next to w0, the
 * multipliers are generally not dyadic, the residual cannot reach 0 on any finite grid, and a rule
 * relative to ||w*|| could never be met. A stall throws with the numbers.
 */
import { gemv, gemvT, gram, matmul, norm2, qrR, solveTriangular, transpose, type Mat, type Vec } from '../numeric/index.ts';
import { bitLength, bigToNumber, ldexp, scaledBigInt, type IntMatrix } from './dyadic.ts';
import { exactAffine } from './exactAffine.ts';

export interface AffineProblem {
  /** f64 rows with (exactly) linearly independent rows */
  readonly X: Mat;
  /** exact integer form of the rows of X: entry (i, j) = ints[i*stride + j] * 2^-exp[i], j < X.cols */
  readonly Xi: IntMatrix;
  /** exact right-hand side: b_i = ints[i] * 2^-exp[i] */
  readonly rhs: { readonly ints: readonly bigint[]; readonly exp: readonly number[] };
  /** b rounded to f64 (used only to size the fixed-point grid) */
  readonly rhsF64: Vec;
  /** the point to project; null means 0 */
  readonly w0: Vec | null;
  readonly digits: number;
  /** name of the public function, for error messages */
  readonly who: string;
}

export interface AffineSolution {
  /** the iterate is W * 2^-F exactly */
  readonly F: number;
  readonly W: bigint[];
  /** w0 on the grid: W0 * 2^-F; W - W0 = X^T lambda exactly */
  readonly W0: bigint[];
  /** lambda_i = L[i] * 2^(exp_i - F) */
  readonly L: bigint[];
  /** exact residual b - X w, entry i at scale 2^-(exp_i + F) */
  readonly R: bigint[];
  readonly iterations: number;
  /** f64 value of ||D (b - X w)|| 2^-scaleExp after each residual evaluation (D the row scaling) */
  readonly residualNorms: number[];
  /** extreme singular values of X (of the equilibrated rows D X when rowScaled), estimated */
  readonly sigmaMin: number;
  readonly sigmaMax: number;
  /** sigmaMax / sigmaMin of the scaled rows the refinement ran on (always finite) */
  readonly kappa: number;
  /** whether rows were scaled one by one (see scalings) */
  readonly rowScaled: boolean;
  /** 'exact': solved in rational arithmetic because f64 could not precondition (sigma and kappa unknown: NaN, Infinity) */
  readonly method: 'refinement' | 'exact';
  /** errorBound, wNorm and scaleNorm are in units of 2^scaleExp */
  readonly scaleExp: number;
  /** estimated bound on ||w - w*||: ||D r|| / sigma_min(D X), in units of 2^scaleExp */
  readonly errorBound: number;
  readonly wNorm: number;
  /** the reference scale of the digits: max(||w||, ||w0||), in units of 2^scaleExp */
  readonly scaleNorm: number;
  /** normwise correct digits, errorBound / scaleNorm, capped at the request */
  readonly digitsAchieved: number;
  /** ||w0 - w0~|| (0 unless w0 has bits below the grid), in units of 2^scaleExp; for `exact`, ||W 2^-F - w*|| */
  readonly w0Rounding: number;
}

/** Extreme eigenvalues of an SPD matrix: power iteration for the largest, inverse iteration for the smallest. */
export function extremeEigen(G: Mat, solve: (b: Vec) => Vec, iters = 40): { min: number; max: number } {
  const n = G.rows;
  let v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = 1 + i / (n + 1);
  let max = 0;
  const t = new Float64Array(n);
  for (let k = 0; k < iters; k++) {
    const nv = norm2(v);
    for (let i = 0; i < n; i++) v[i] /= nv;
    gemv(G, v, t);
    max = norm2(t);
    v.set(t);
  }
  for (let i = 0; i < n; i++) v[i] = 1 + ((i * 7) % 11) / 13;
  let invMax = 0;
  for (let k = 0; k < iters; k++) {
    const nv = norm2(v);
    for (let i = 0; i < n; i++) v[i] /= nv;
    const s = solve(v);
    invMax = norm2(s);
    v = Float64Array.from(s);
  }
  return { min: 1 / invMax, max };
}

function fmtE(x: number): string {
  return x.toExponential(2);
}

/**
 * The exact integer Gram Gint = X_int X_int^T computed in f64, when every partial sum is provably
 * below 2^53 (2 * maxBits + log2(d) <= 53, true for data on small dyadic grids); else null.
 * Then x_i^T x_j = Gint_ij 2^-(exp_i + exp_j) exactly, and the residual needs only O(N^2) BigInt work.
 */
export function exactIntGram(Xi: IntMatrix, n: number, d: number): Float64Array | null {
  if (2 * Xi.maxBits + Math.ceil(Math.log2(d + 1)) > 53) return null;
  const stride = Xi.cols;
  const A = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const k = i * stride + j;
      A[i * d + j] = Xi.mant[k] === 0 ? 0 : Xi.mant[k] * 2 ** (Xi.pow[k] + Xi.exp[i]);
    }
  }
  return gram({ rows: n, cols: d, data: A }).data;
}

/** Up to this many rows, a problem that f64 cannot precondition is solved in rational arithmetic (exactAffine.ts). */
export const EXACT_MAX_ROWS = 24;

/** Row scalings wider than this (in powers of two) are applied row by row; narrower ones as one common factor. */
const ROW_SPREAD = 100;

/**
 * Power-of-two scalings that make any finite f64 problem an ordinary one for the f64 preconditioner (the exact
 * residuals never see them):
 *  - rows: row i of X (and b_i) times 2^c_i. {w : X w = b} is unchanged, so is the answer; the correction becomes
 *    (X X^T)^{-1} r = D (X~ X~^T)^{-1} D r with D = diag(2^c_i), X~ = D X. When the rows' largest entries lie within
 *    2^ROW_SPREAD of each other one common c is used (then sigma(X) = 2^-c sigma(X~) exactly and the reported singular
 *    values are those of X); otherwise each row gets its own and sigma refers to the equilibrated rows X~.
 *  - unknowns: every f64 quantity of w-space is kept in units of 2^sigma (w = 2^sigma v), sigma the binade of the
 *    largest of |b~_i| and |w0_j|, so norms of solutions near 1e308 or 1e-320 neither overflow nor flush to zero.
 */
function scalings(Xi: IntMatrix, rhs: AffineProblem['rhs'], w0: Vec, n: number, d: number) {
  const stride = Xi.cols;
  const top = new Array<number>(n).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const k = i * stride + j;
      if (Xi.mant[k] !== 0) top[i] = Math.max(top[i], Math.floor(Math.log2(Math.abs(Xi.mant[k]))) + Xi.pow[k]);
    }
  }
  let hi = -Infinity;
  let lo = Infinity;
  for (const t of top) if (t > -Infinity) [hi, lo] = [Math.max(hi, t), Math.min(lo, t)];
  const perRow = hi - lo > ROW_SPREAD;
  const c = top.map((t) => (t === -Infinity ? 0 : perRow ? -t : -hi));
  const Xs = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const k = i * stride + j;
      if (Xi.mant[k] !== 0) Xs[i * d + j] = ldexp(Xi.mant[k], Xi.pow[k] + c[i]);
    }
  }
  let sigma = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = rhs.ints[i];
    if (v !== 0n) sigma = Math.max(sigma, bitLength(v) - 1 - rhs.exp[i] + c[i]);
  }
  for (let j = 0; j < d; j++) if (w0[j] !== 0) sigma = Math.max(sigma, Math.floor(Math.log2(Math.abs(w0[j]))));
  if (sigma === -Infinity) sigma = 0;
  return { c, perRow, Xs: { rows: n, cols: d, data: Xs } as Mat, sigma, common: perRow ? 0 : hi === -Infinity ? 0 : -hi };
}

export function refineAffine(p: AffineProblem): AffineSolution {
  const { Xi, rhs, digits, who } = p;
  const n = p.X.rows;
  const d = p.X.cols;
  const stride = Xi.cols;
  const w0 = p.w0 ?? new Float64Array(d);
  const target = 10 ** -(digits + 1);
  const ints = Xi.ints;

  const gInt = n > 0 ? exactIntGram(Xi, n, d) : null;
  const sc = scalings(Xi, rhs, w0, n, d);
  const { c, sigma } = sc;
  // rows more than 2^ROW_SPREAD apart: the solution's entries can differ as much, below any normwise grid (an active
  // constraint's multiplier would round to 0); small problems get the componentwise rational answer instead
  if (sc.perRow && n <= EXACT_MAX_ROWS) return exactAffine(p);
  const X = sc.Xs;
  let solve: (b: Vec) => Vec = () => new Float64Array(0);
  let sigmaMin = 1;
  let sigmaMax = 1;
  // f64 quantities of w-space below are in units of 2^sigma (see scalings)
  const v0 = Float64Array.from(w0, (x) => ldexp(x, -sigma));
  const wf: Vec = Float64Array.from(v0);
  if (n > 0) {
    const Rq = qrR(transpose(X)).R;
    // The rank is decided exactly beforehand, so the f64 question is only whether R can drive the refinement (not the
    // rank rule of qrR, whose cutoff max(n, d) EPS would reject kappa(X) ~ 1e13 at d = 400, where it converges):
    // sigma_min(R) <= min |R_ii| and sigma_max(R) >= max |R_ii|, so a ratio beyond 2^52 means kappa * 2^-52 >= 1.
    let lo = Infinity;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const r = Math.abs(Rq.data[i * n + i]);
      lo = Math.min(lo, r);
      hi = Math.max(hi, r);
    }
    if (!(lo > 2 ** -52 * hi)) {
      if (n <= EXACT_MAX_ROWS) return exactAffine(p);
      throw new Error(
        `${who}: the f64 QR factor R of X^T (${n} independent rows${sc.perRow ? ', each scaled by a power of two to largest entry 1' : ', scaled by 2^' + sc.common}) is numerically singular (min |R_ii| = ${fmtE(lo)} <= ` +
          `2^-52 max |R_ii| = ${fmtE(2 ** -52 * hi)}, so the condition number kappa(X) is at least about max |R_ii| / min |R_ii| > 2^52 = 4.50e+15); ` +
          `the f64 factorisation cannot drive the refinement, and the exact rational fallback is limited to ${EXACT_MAX_ROWS} rows`,
      );
    }
    // delta = (X X^T)^{-1} r = R^{-1} R^{-T} r
    solve = (b: Vec) => solveTriangular(Rq, solveTriangular(Rq, b, 'upper', true), 'upper');
    // R^T R = X X^T up to O(n d EPS) ||X||^2: enough for the power iteration on the largest eigenvalue
    const ev = extremeEigen(matmul(transpose(Rq), Rq), solve);
    if (!(ev.min > 0) || !Number.isFinite(ev.max)) {
      if (n <= EXACT_MAX_ROWS) return exactAffine(p);
      throw new Error(`${who}: the f64 R^T R of the ${n} independent rows has eigenvalue estimates ${fmtE(ev.min)}, ${fmtE(ev.max)}: too ill-conditioned to refine`);
    }
    sigmaMin = Math.sqrt(ev.min);
    sigmaMax = Math.sqrt(ev.max);
    const r0 = new Float64Array(n);
    gemv(X, v0, r0);
    for (let i = 0; i < n; i++) r0[i] = bigToNumber(rhs.ints[i], -rhs.exp[i] + c[i] - sigma) - r0[i];
    const t = gemvT(X, solve(r0));
    for (let j = 0; j < d; j++) wf[j] += t[j];
  }
  let scaleMax = 0;
  for (let j = 0; j < d; j++) scaleMax = Math.max(scaleMax, Math.abs(wf[j]), Math.abs(v0[j]));
  if (!(scaleMax > 0) || !Number.isFinite(scaleMax)) scaleMax = 1;
  const w0Norm = norm2(v0);
  // the digits are relative to max(||w||, ||w0||) (see the header)
  const scaleEst = Math.max(norm2(wf), w0Norm);

  // grid 2^-F: digits + 4 decimal digits below the largest entry, plus the bits of the integer rows, plus log2 kappa(X):
  // rounding delta onto the lambda grid leaves an error e = X^T rho in w (bounded by the first terms), whose residual
  // X e enters the stop rule as ||X e|| / sigma_min <= kappa(X) ||e||
  const kappa = sigmaMax / sigmaMin;
  let F = Math.ceil((digits + 4) * Math.log2(10)) - Math.floor(Math.log2(scaleMax)) - sigma + Xi.maxBits + Math.ceil(Math.log2(d + 1) / 2) + 8 + Math.max(0, Math.ceil(Math.log2(kappa)));
  for (let i = 0; i < n; i++) F = Math.max(F, rhs.exp[i] - Xi.exp[i]);
  F = Math.max(F, 0);

  const W0: bigint[] = new Array(d);
  let w0r = 0;
  for (let j = 0; j < d; j++) {
    W0[j] = scaledBigInt(w0[j], F);
    const fine = scaledBigInt(w0[j], F + 64) - (W0[j] << 64n);
    const e = bigToNumber(fine, -(F + 64) - sigma); // in units of 2^sigma
    w0r += e * e;
  }
  const DW: bigint[] = new Array(d).fill(0n); // W - W0 = X^T lambda, exactly
  // Yfix - X W0, exactly, at scale 2^-(exp_i + F)
  const Y0: bigint[] = new Array(n);
  for (let i = 0; i < n; i++) {
    let acc = rhs.ints[i] << BigInt(Xi.exp[i] + F - rhs.exp[i]);
    const base = i * stride;
    for (let j = 0; j < d; j++) {
      const x = ints[base + j];
      if (x !== 0n && W0[j] !== 0n) acc -= x * W0[j];
    }
    Y0[i] = acc;
  }
  const gBig: bigint[] | null = gInt ? Array.from(gInt, (v) => BigInt(v)) : null;
  const L: bigint[] = new Array(n).fill(0n);
  const R: bigint[] = new Array(n).fill(0n);
  const r = new Float64Array(n);
  const residualNorms: number[] = [];
  // iteration cap: the error contracts by about c kappa(X) 2^-52 per iteration, c growing with the size like the QR
  // backward error (measured: c ~ 1.2 at n d = 28, 5.4 at n d = 4e4; 2 sqrt(n d) is taken); it must fall by
  // 10^-(digits+1), and by kappa(X) more since the bound ||r|| / sigma_min exceeds it by up to kappa(X). At least 0.15
  // digits per iteration: slower refinements trip the stall rule below (residual not halved twice in a row) first.
  // Never below the former cap digits / 4 + 12.
  const gain = Math.max(0.15, -Math.log10(2 * Math.sqrt(n * d) * kappa * 2 ** -52));
  const maxIter = Math.max(Math.ceil(digits / 4), Math.ceil((digits + 1 + Math.log10(kappa)) / gain)) + 12;
  let errorBound = 0;
  let iterations = 0;
  let stalls = 0;

  for (;;) {
    // exact residual R = Y - X W (W = W0 + X^T L): through the exact Gram when available
    let allZero = true;
    for (let i = 0; i < n; i++) {
      let acc = Y0[i];
      if (gBig) {
        const base = i * n;
        for (let j = 0; j < n; j++) if (L[j] !== 0n) acc -= gBig[base + j] * L[j];
      } else {
        const base = i * stride;
        for (let j = 0; j < d; j++) {
          const x = ints[base + j];
          if (x !== 0n && DW[j] !== 0n) acc -= x * DW[j];
        }
      }
      R[i] = acc;
      if (acc !== 0n) allZero = false;
      r[i] = bigToNumber(acc, -(Xi.exp[i] + F) + c[i] - sigma); // D r in units of 2^sigma
    }
    const rn = norm2(r);
    residualNorms.push(rn);
    errorBound = allZero ? 0 : rn / sigmaMin;
    if (allZero || errorBound <= target * scaleEst) break;
    const k = residualNorms.length;
    if (k >= 2 && rn > 0.5 * residualNorms[k - 2]) stalls++;
    else stalls = 0;
    if (stalls >= 2 || iterations >= maxIter) {
      if (n <= EXACT_MAX_ROWS) return exactAffine(p);
      const hist = residualNorms.slice(-3).map(fmtE).join(' -> ');
      throw new Error(
        `${who}: iterative refinement stalled after ${iterations} iterations (residual ${hist}; ` +
          `condition estimate kappa(X) = ${fmtE(sigmaMax / sigmaMin)}, kappa(X) * 2^-52 = ${fmtE((sigmaMax / sigmaMin) * 2 ** -52)}; ` +
          `the f64 factorisation cannot reach ${digits} digits)`,
      );
    }
    const dl = solve(r);
    for (let i = 0; i < n; i++) {
      // delta lambda_i = 2^(c_i + sigma) dl_i on the grid 2^(exp_i - F)
      const l = scaledBigInt(dl[i], F - Xi.exp[i] + c[i] + sigma);
      if (l === 0n) continue;
      L[i] += l;
      if (gBig) continue;
      const base = i * stride;
      for (let j = 0; j < d; j++) {
        const x = ints[base + j];
        if (x !== 0n) DW[j] += x * l;
      }
    }
    iterations++;
  }
  if (gBig) {
    for (let i = 0; i < n; i++) {
      const l = L[i];
      if (l === 0n) continue;
      const base = i * stride;
      for (let j = 0; j < d; j++) {
        const x = ints[base + j];
        if (x !== 0n) DW[j] += x * l;
      }
    }
  }
  const W = W0.map((b, j) => b + DW[j]);
  const wD = Float64Array.from(W, (b) => bigToNumber(b, -F - sigma));
  const wNorm = norm2(wD);
  const scaleNorm = Math.max(wNorm, w0Norm);
  const rel = scaleNorm > 0 ? errorBound / scaleNorm : errorBound > 0 ? Infinity : 0;
  const digitsAchieved = rel === 0 ? digits : Math.max(0, Math.min(digits, Math.floor(-Math.log10(rel))));
  return {
    F, W, W0, L, R, iterations, residualNorms, errorBound, wNorm, scaleNorm, digitsAchieved,
    // singular values of X itself under a common row scaling (possibly beyond f64 range: then 0 or Infinity)
    sigmaMin: sc.perRow ? sigmaMin : ldexp(sigmaMin, -sc.common),
    sigmaMax: sc.perRow ? sigmaMax : ldexp(sigmaMax, -sc.common),
    kappa,
    rowScaled: sc.perRow,
    method: 'refinement',
    scaleExp: sigma,
    w0Rounding: Math.sqrt(w0r),
  };
}
