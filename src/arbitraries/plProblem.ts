/**
 * plProblem: smooth PL objectives with KNOWN L, mu, F* and minimiser, split over p workers, with a stochastic oracle
 * of known variance (docs/theory.md#21-setting-and-assumptions setting of LUPA-SGD / ADA-LUPA-SGD; docs/theory.md#26-how-tau-enters checks and counterexamples).
 *
 * Every value has the form F(x) = (1/p) sum_j F_j(x) = 1/2 (x - x*)^T H (x - x*) + F*, with all shards sharing the
 * Hessian H = M^T diag(mu) M, M a signed-permuted block Sylvester-Hadamard matrix (_internals/hadamard.ts), so the
 * eigenvalues are exactly lambda_i = mu_i 2^a(i) and the eigenbasis is not the standard one:
 *   - kind 'quadratic':     F_j(x) = 1/2 (x - x*_j)^T H (x - x*_j) + c_j;
 *   - kind 'least-squares': F_j(x) = (1/(2 n_j)) ||A_j x - b_j||^2 (mean convention), A_j = C_j diag(tau) M with C_j
 *     the first d columns of a Sylvester Hadamard matrix of order n_j = 2^m >= d (so A_j^T A_j / n_j = H with
 *     mu = tau^2), b_j = A_j x*_j + r_j with r_j in the span of the remaining columns (r_j orthogonal to range(A_j)),
 *     F_j* = ||r_j||^2/(2 n_j), rows permuted.
 * Shard minimisers x*_j = x* + delta_j with sum_j delta_j = 0, so x* = mean_j x*_j exactly and
 * F* = (1/p) sum_j (F_j* + 1/2 delta_j^T H delta_j) (exact numerator; one division by p, so F* is the correctly rounded
 * value of an exact rational). L = max lambda, mu = min nonzero lambda (PL constant; strongly convex iff full rank).
 *
 * Sampling: 'iid' gives every worker the same shard (delta_j = 0, one shared dataset): each worker's oracle is
 * unbiased for grad F, as the LUPA analysis assumes. 'non-iid' pins shards with different minimisers: delta_0 = H e_i
 * (the largest diagonal entry of H), so grad F_0(x*) = -H delta_0 != 0 (the counterexample of docs/theory.md#26-how-tau-enters). 'non-iid' always has
 * p >= 2: with sampling 'non-iid' p is drawn from [max(2, minWorkers), maxWorkers] (maxWorkers < 2 throws at build);
 * with 'any', a one-worker draw is reported as 'iid' (one shard is trivially identically distributed), so the value's
 * `sampling` and its regimes never call a p = 1 problem 'non-iid'.
 *
 * Oracle (stochasticGradient in _internals/plOracle.ts): g = grad F_j(x) + sqrt(C1) grad F_j(x) (.) s + sqrt(sigma2 /
 * (B d)) s' with independent Rademacher vectors s, s', so E g = grad F_j(x) and E||g - grad F_j(x)||^2 =
 * C1 ||grad F_j(x)||^2 + sigma2 / B exactly (the bound of docs/theory.md#21-setting-and-assumptions with equality).
 *
 * Shrinking: smaller d, diagonal H (blocks of size 1), no zero eigenvalues, kappa -> 1, p -> 1, iid, no noise,
 * x* -> 0, F* -> 0.
 *
 * Regimes (meta.regimes; each at least 5% of draws under the default constraints):
 *   'quadratic', 'least-squares', 'strongly-convex', 'rank-deficient', 'kappa>=100', 'p=1', 'iid', 'non-iid',
 *   'noise-free', 'additive-noise', 'multiplicative-noise', 'd=1'.
 */
import fc from 'fast-check';
import type { Mat, Vec } from '../numeric/types.ts';
import { withPrinter } from './_internals/instance.ts';
import { buildPl, type PlRecipe } from './_internals/plBuild.ts';
import { ints } from './_internals/regression.ts';
import { checkKeys, intIn, oneOf, ordered } from './_internals/validate.ts';

export type PlKind = 'quadratic' | 'least-squares';
export type PlSampling = 'iid' | 'non-iid';

export interface PlProblemConstraints {
  /** 'quadratic', 'least-squares' or 'any' (default) */
  readonly kind?: PlKind | 'any';
  /** default 1 */
  readonly minDim?: number;
  /** default 6 */
  readonly maxDim?: number;
  /** 'never' (strongly convex), 'always' (PL only; needs minDim >= 2), 'any' (default) */
  readonly rankDeficient?: 'never' | 'always' | 'any';
  /** mu_i = m_i 2^-e_i with e_i in [0, logKappa], logKappa <= maxLogKappa (default 8); kappa <= 2^maxLogKappa * 4 * 8
   *  (mantissa m_i <= 4, block factor 2^a <= 8) */
  readonly maxLogKappa?: number;
  /** workers p (defaults 1..6) */
  readonly minWorkers?: number;
  readonly maxWorkers?: number;
  /** 'iid', 'non-iid' (p >= 2; needs maxWorkers >= 2) or 'any' (default; p = 1 is always reported 'iid') */
  readonly sampling?: PlSampling | 'any';
  /** 'none', 'additive' (sigma2 > 0), 'multiplicative' (C1 > 0), 'both', or 'any' (default) */
  readonly noise?: 'none' | 'additive' | 'multiplicative' | 'both' | 'any';
  /** largest mini-batch size B (default 8) */
  readonly maxBatch?: number;
}

export type PlShard =
  | { readonly kind: 'quadratic'; readonly xStar: Vec; readonly Fstar: number }
  | { readonly kind: 'least-squares'; readonly A: Mat; readonly b: Vec; readonly xStar: Vec; readonly Fstar: number };

export interface PlOracle {
  /** additive variance sigma^2 (the noise has E||.||^2 = sigma2 / batch) */
  readonly sigma2: number;
  /** multiplicative constant C1 (E||.||^2 = C1 ||grad F_j||^2) */
  readonly C1: number;
  readonly batch: number;
}

export interface PlProblem {
  readonly kind: PlKind;
  readonly d: number;
  /** the common Hessian of F and of every shard */
  readonly H: Mat;
  /** exact eigenvalues of H, ascending */
  readonly eigenvalues: Vec;
  readonly L: number;
  /** PL constant: smallest nonzero eigenvalue */
  readonly mu: number;
  readonly kappa: number;
  readonly rank: number;
  readonly xStar: Vec;
  readonly Fstar: number;
  readonly p: number;
  readonly sampling: PlSampling;
  /** p shards (for 'iid' the same object p times) */
  readonly shards: readonly PlShard[];
  readonly oracle: PlOracle;
  readonly meta: { readonly regimes: readonly string[] };
}

export const PL_REGIMES = [
  'quadratic', 'least-squares', 'strongly-convex', 'rank-deficient', 'kappa>=100', 'p=1', 'iid', 'non-iid',
  'noise-free', 'additive-noise', 'multiplicative-noise', 'd=1',
] as const;

const FN = 'plProblem';
const KEYS = [
  'kind', 'minDim', 'maxDim', 'rankDeficient', 'maxLogKappa', 'minWorkers', 'maxWorkers', 'sampling', 'noise', 'maxBatch',
];
const NOISES = ['none', 'additive', 'multiplicative', 'both'] as const;

export function plProblem(constraints: PlProblemConstraints = {}): fc.Arbitrary<PlProblem> {
  checkKeys(FN, constraints, KEYS);
  const kind = oneOf(FN, 'kind', constraints.kind, ['quadratic', 'least-squares', 'any'], 'any');
  const minDim = intIn(FN, 'minDim', constraints.minDim, 1, 64, 1);
  const maxDim = intIn(FN, 'maxDim', constraints.maxDim, 1, 64, Math.max(6, minDim));
  ordered(FN, 'minDim', minDim, 'maxDim', maxDim);
  const deficient = oneOf(FN, 'rankDeficient', constraints.rankDeficient, ['never', 'always', 'any'], 'any');
  if (deficient === 'always' && maxDim < 2) {
    throw new Error(`${FN}: rankDeficient 'always' needs constraints.maxDim >= 2 (a rank-deficient H with a nonzero eigenvalue), got ${maxDim}`);
  }
  const maxLogKappa = intIn(FN, 'maxLogKappa', constraints.maxLogKappa, 0, 20, 8);
  const minWorkers = intIn(FN, 'minWorkers', constraints.minWorkers, 1, 256, 1);
  const maxWorkers = intIn(FN, 'maxWorkers', constraints.maxWorkers, 1, 256, Math.max(6, minWorkers));
  ordered(FN, 'minWorkers', minWorkers, 'maxWorkers', maxWorkers);
  const sampling = oneOf(FN, 'sampling', constraints.sampling, ['iid', 'non-iid', 'any'], 'any');
  if (sampling === 'non-iid' && maxWorkers < 2) {
    throw new Error(`${FN}: sampling 'non-iid' needs constraints.maxWorkers >= 2 (one worker has no heterogeneity), got ${maxWorkers}`);
  }
  const noise = oneOf(FN, 'noise', constraints.noise, [...NOISES, 'any'], 'any');
  const maxBatch = intIn(FN, 'maxBatch', constraints.maxBatch, 1, 1024, 8);

  const dimLo = deficient === 'always' ? Math.max(2, minDim) : minDim;
  const recipe: fc.Arbitrary<PlRecipe> = fc.record({
    kind: kind === 'any' ? fc.constantFrom<PlKind>('quadratic', 'least-squares') : fc.constant(kind),
    d: fc.integer({ min: dimLo, max: maxDim }),
    blockLog: fc.integer({ min: 0, max: 3 }),
    exps: ints(0, maxLogKappa, 16),
    mants: ints(0, 3, 16),
    logKappa: fc.integer({ min: 0, max: maxLogKappa }),
    deficient: deficient === 'any' ? fc.boolean() : fc.constant(deficient === 'always'),
    zeros: fc.integer({ min: 0, max: 63 }),
    permSeed: fc.nat(),
    xStar: ints(-8, 8, 16),
    deltas: ints(-4, 4, 48),
    consts: ints(0, 8, 8),
    residual: ints(-2, 2, 48),
    extraRows: ints(0, 2, 8),
    p: fc.integer({ min: sampling === 'non-iid' ? Math.max(2, minWorkers) : minWorkers, max: maxWorkers }),
    sampling: sampling === 'any' ? fc.constantFrom<PlSampling>('iid', 'non-iid') : fc.constant(sampling),
    noise: noise === 'any' ? fc.constantFrom(...NOISES) : fc.constant(noise),
    sigmaExp: fc.integer({ min: 0, max: 6 }),
    c1Exp: fc.integer({ min: 0, max: 4 }),
    batch: fc.integer({ min: 1, max: maxBatch }),
  });
  return recipe.map((r) => withPrinter(buildPl(r), printPl));
}

/** JSON of a PL problem (matrices as nested arrays), one line. */
export function plProblemToJson(pr: PlProblem): Record<string, unknown> {
  const rows = (A: Mat) => Array.from({ length: A.rows }, (_, i) => Array.from(A.data.subarray(i * A.cols, (i + 1) * A.cols)));
  return {
    kind: pr.kind, d: pr.d, H: rows(pr.H), eigenvalues: Array.from(pr.eigenvalues), L: pr.L, mu: pr.mu, kappa: pr.kappa,
    rank: pr.rank, xStar: Array.from(pr.xStar), Fstar: pr.Fstar, p: pr.p, sampling: pr.sampling, oracle: pr.oracle,
    shards: pr.shards.map((s) =>
      s.kind === 'quadratic'
        ? { xStar: Array.from(s.xStar), Fstar: s.Fstar }
        : { A: rows(s.A), b: Array.from(s.b), xStar: Array.from(s.xStar), Fstar: s.Fstar },
    ),
    regimes: pr.meta.regimes,
  };
}

function printPl(pr: PlProblem): string {
  return JSON.stringify(plProblemToJson(pr));
}
