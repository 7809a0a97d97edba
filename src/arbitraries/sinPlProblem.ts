/**
 * sinPlProblem: the non-convex PL family built from g(r) = r^2 + 3 sin^2(r) (the classic non-convex function that
 * satisfies the PL inequality; loss 'sinsq' of src/problems/losses.ts), in d dimensions with a rotated basis:
 *
 *   F(w) = (1/d) sum_i g(x_i^T w),   x_i = c_i m_i,   c_i in {1/2, 1},   m_i the rows of a signed, column-permuted
 *                                    block Sylvester-Hadamard matrix M (src/arbitraries/_internals/hadamard.ts),
 *
 * so X X^T = diag(c_i^2 2^a(i)) exactly (rows orthogonal; 2^a(i) the size of row i's block). Labels are 0, so
 * F >= 0 = F(0): F* = 0, attained at x* = 0 (the unique minimiser: X is square and invertible). d = 1 is g(c w).
 *
 * Constants of g (proofs-notes/L-8-rate-slopes.md, section "the sin family", and test/arbitraries/sinPlProblem.test.ts):
 *   g'' = 2 + 6 cos(2r) in [-4, 8]: L_g = 8, and g is NOT convex (g''(pi/2) = -4);
 *   the only stationary point is r = 0, and (1/2) g'(r)^2 >= MU_G g(r) with MU_G = 1/6 (the infimum of
 *   g'^2/(2g) is about 0.1755, at |r| ~ 2.20).
 * Constants of F (derived): grad F = (1/d) X^T g'(X w) and X has orthogonal rows, so
 *   (1/2)||grad F||^2 >= (lambda_min(X X^T)/d^2) (1/2) sum_i g'(r_i)^2 >= (lambda_min(X X^T)/d) MU_G F,
 *   mu = MU_G min_i c_i^2 2^a(i) / d   (PL constant),   L = L_G max_i c_i^2 2^a(i) / d   (smoothness).
 * The sampled-row gradients all vanish at x* = 0, so the LUPA-SGD properties add the oracle noise of docs/theory.md's
 * variance assumption (E||g~ - grad F||^2 = sigma^2/B with C1 = 0) as Gaussian noise of per-coordinate standard
 * deviation sqrt(sigma^2 / (B d)) (LUPA-SGD's `noise` hyperparameter); that noise does not vanish at the optimum.
 *
 * Shrinking: smaller d, one block (blockLog 0: X diagonal), unit scales, identity permutation and signs.
 * Regimes (meta.regimes): 'd=1', 'rotated' (a block of size >= 2), 'diagonal', 'kappa>=96'.
 */
import fc from 'fast-check';
import type { Mat, Vec } from '../numeric/types.ts';
import type { LossSpec } from '../problems/losses.ts';
import type { FederatedDataset } from '../problems/types.ts';
import { blockHadamard, blockSizes } from './_internals/hadamard.ts';
import { withPrinter } from './_internals/instance.ts';
import { Rng } from './_internals/rng.ts';
import { checkKeys, intIn, ordered } from './_internals/validate.ts';

/** PL constant of g(r) = r^2 + 3 sin^2 r: (1/2) g'(r)^2 >= MU_G g(r) for every real r (proof in the header's note). */
export const MU_G = 1 / 6;
/** Smoothness of g: |g''| = |2 + 6 cos 2r| <= 8. */
export const L_G = 8;

export interface SinPlProblemConstraints {
  /** default 1 */
  readonly minDim?: number;
  /** default 4 */
  readonly maxDim?: number;
  /** largest Hadamard block 2^maxBlockLog (default 2; 0 gives diagonal X) */
  readonly maxBlockLog?: number;
}

export interface SinPlProblem {
  /** one node: rows x_i, labels 0, loss 'sinsq' */
  readonly ds: FederatedDataset;
  readonly loss: LossSpec;
  readonly d: number;
  /** PL constant MU_G min_i c_i^2 2^a(i) / d */
  readonly mu: number;
  /** smoothness L_G max_i c_i^2 2^a(i) / d */
  readonly L: number;
  readonly kappa: number;
  /** max_i ||x_i||^2 */
  readonly R2: number;
  readonly xStar: Vec;
  /** exactly 0 */
  readonly Fstar: number;
  readonly meta: { readonly regimes: readonly string[] };
}

export const SIN_PL_REGIMES = ['d=1', 'rotated', 'diagonal', 'kappa>=96'] as const;

const FN = 'sinPlProblem';
const KEYS = ['minDim', 'maxDim', 'maxBlockLog'];

export function sinPlProblem(constraints: SinPlProblemConstraints = {}): fc.Arbitrary<SinPlProblem> {
  checkKeys(FN, constraints, KEYS);
  const minDim = intIn(FN, 'minDim', constraints.minDim, 1, 32, 1);
  const maxDim = intIn(FN, 'maxDim', constraints.maxDim, 1, 32, Math.max(4, minDim));
  ordered(FN, 'minDim', minDim, 'maxDim', maxDim);
  const maxBlockLog = intIn(FN, 'maxBlockLog', constraints.maxBlockLog, 0, 5, 2);
  return fc
    .record({
      d: fc.integer({ min: minDim, max: maxDim }),
      blockLog: fc.integer({ min: 0, max: maxBlockLog }),
      halves: fc.array(fc.boolean(), { minLength: maxDim, maxLength: maxDim }),
      permSeed: fc.nat(),
    })
    .map(({ d, blockLog, halves, permSeed }) => withPrinter(build(d, blockLog, halves, permSeed), print));
}

function build(d: number, blockLog: number, halves: boolean[], permSeed: number): SinPlProblem {
  const { M, logSize } = blockHadamard(blockSizes(d, blockLog));
  // column permutation and column signs (seed 0: identity, all +1); both keep the rows orthogonal
  const perm = Array.from({ length: d }, (_, j) => j);
  const sign = new Float64Array(d).fill(1);
  if (permSeed !== 0) {
    const rng = new Rng(permSeed);
    for (let j = d - 1; j > 0; j--) {
      const k = rng.int(j + 1);
      [perm[j], perm[k]] = [perm[k], perm[j]];
    }
    for (let j = 0; j < d; j++) sign[j] = rng.sign();
  }
  const data = new Float64Array(d * d);
  let lo = Infinity;
  let hi = 0;
  let R2 = 0;
  for (let i = 0; i < d; i++) {
    const c = halves[i] ? 0.5 : 1;
    for (let j = 0; j < d; j++) data[i * d + perm[j]] = c * sign[j] * M[i * d + j];
    const eig = c * c * 2 ** logSize[i]; // ||x_i||^2, the eigenvalue of X X^T for row i
    lo = Math.min(lo, eig);
    hi = Math.max(hi, eig);
    R2 = Math.max(R2, eig);
  }
  const X: Mat = { rows: d, cols: d, data };
  const mu = (MU_G * lo) / d;
  const L = (L_G * hi) / d;
  const kappa = L / mu;
  const rotated = logSize.some((a) => a > 0);
  const regimes = [...(d === 1 ? ['d=1'] : []), rotated ? 'rotated' : 'diagonal', ...(kappa >= 96 ? ['kappa>=96'] : [])];
  return {
    ds: { task: 'regression', d, nodes: [{ X, y: new Float64Array(d) }] }, loss: Object.freeze({ name: 'sinsq' }), d, mu, L, kappa, R2,
    xStar: new Float64Array(d), Fstar: 0, meta: { regimes },
  };
}

/** JSON of a value, one line. */
export function sinPlProblemToJson(pr: SinPlProblem): Record<string, unknown> {
  const X = pr.ds.nodes[0].X;
  return {
    d: pr.d, mu: pr.mu, L: pr.L, kappa: pr.kappa, R2: pr.R2, Fstar: pr.Fstar,
    X: Array.from({ length: X.rows }, (_, i) => Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols))), regimes: pr.meta.regimes,
  };
}

function print(pr: SinPlProblem): string {
  return JSON.stringify(sinPlProblemToJson(pr));
}
