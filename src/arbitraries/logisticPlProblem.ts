/**
 * logisticPlProblem: l2-regularised logistic regression as LUPA-SGD's IID setting sees it (docs/theory.md, LUPA-SGD
 * setting: every worker samples the pooled data, so each stochastic gradient is unbiased for grad F), with the
 * optimum F* and the minimiser CERTIFIED by src/precise (plOptimum, logistic kind: Newton + exact refinement, gradient
 * certificate ||x - x*|| <= ||grad F(x)|| / lambda). Mean convention (src/problems/types.ts):
 *
 *   F(x) = (1/n) sum_i log(1 + exp(-y_i x_i^T x)) + (lambda/2) ||x||^2,   labels y_i in {-1, +1}.
 *
 * Constants, all from the instance:
 *   mu = lambda                         F is lambda-strongly convex, hence mu-PL: (1/2)||grad F||^2 >= mu (F - F*);
 *   L  = lambda + R^2 / 4               R^2 = max_i ||x_i||^2 (exact dyadic); the logistic l'' <= 1/4 and
 *                                       lambda_max((1/n) X^T X) <= R^2, so L bounds the Hessian everywhere;
 *   sigma2 = R^2                        one sampled row's gradient minus grad F has E||.||^2 <= E||l'(m_i) x_i||^2 <= R^2
 *                                       (|l'| <= 1; the l2 term is the same for every row and cancels), so a minibatch
 *                                       of B rows drawn with replacement has variance <= sigma2 / B (C1 = 0): the
 *                                       noise of docs/theory.md's LUPA-SGD assumption, and it does NOT vanish at x*
 *                                       (the rows' gradients differ there unless every margin is equal).
 *
 * Data: rows with entries on the dyadic grid {-1, -1/2, 0, 1/2, 1} (f64 and Decimal see the same numbers), no zero
 * row, random labels; lambda = 2^-k. Shrinking: smaller d, fewer rows, larger lambda (smaller kappa).
 * Separable data are allowed: lambda > 0 makes the minimiser exist for every dataset.
 * Regimes (meta.regimes): 'd=1', 'd>=2', 'kappa>=4', 'kappa<4'.
 */
import fc from 'fast-check';
import type { Mat, Vec } from '../numeric/types.ts';
import { plOptimum } from '../precise/plOptimum.ts';
import type { LossSpec } from '../problems/losses.ts';
import type { FederatedDataset } from '../problems/types.ts';
import { withPrinter } from './_internals/instance.ts';
import { checkKeys, intIn, ordered } from './_internals/validate.ts';

export interface LogisticPlProblemConstraints {
  /** default 1 */
  readonly minDim?: number;
  /** default 3 */
  readonly maxDim?: number;
  /** pooled rows, defaults 8..32 */
  readonly minRows?: number;
  readonly maxRows?: number;
  /** lambda = 2^-k with k in [minLogLambda, maxLogLambda] (defaults 1..3) */
  readonly minLogLambda?: number;
  readonly maxLogLambda?: number;
}

export interface LogisticPlProblem {
  /** one pooled node (task 'classification'): LUPA-SGD's 'iid' sampling draws from it */
  readonly ds: FederatedDataset;
  readonly loss: LossSpec;
  readonly d: number;
  readonly n: number;
  readonly lambda: number;
  /** PL constant (= lambda) */
  readonly mu: number;
  /** smoothness bound lambda + R^2/4 */
  readonly L: number;
  readonly kappa: number;
  /** max_i ||x_i||^2 */
  readonly R2: number;
  /** variance bound of a one-row stochastic gradient (= R2) */
  readonly sigma2: number;
  /** certified minimiser and optimum (src/precise plOptimum) */
  readonly xStar: Vec;
  readonly Fstar: number;
  /** the certificate's bound on F(xStar) - F* (f64 rounding of the certified optimum aside) */
  readonly gapBound: number;
  readonly meta: { readonly regimes: readonly string[] };
}

export const LOGISTIC_PL_REGIMES = ['d=1', 'd>=2', 'kappa>=4', 'kappa<4'] as const;

const FN = 'logisticPlProblem';
const KEYS = ['minDim', 'maxDim', 'minRows', 'maxRows', 'minLogLambda', 'maxLogLambda'];
const GRID = [-1, -0.5, 0, 0.5, 1];

export function logisticPlProblem(constraints: LogisticPlProblemConstraints = {}): fc.Arbitrary<LogisticPlProblem> {
  checkKeys(FN, constraints, KEYS);
  const minDim = intIn(FN, 'minDim', constraints.minDim, 1, 16, 1);
  const maxDim = intIn(FN, 'maxDim', constraints.maxDim, 1, 16, Math.max(3, minDim));
  ordered(FN, 'minDim', minDim, 'maxDim', maxDim);
  const minRows = intIn(FN, 'minRows', constraints.minRows, 1, 1024, 8);
  const maxRows = intIn(FN, 'maxRows', constraints.maxRows, 1, 1024, Math.max(32, minRows));
  ordered(FN, 'minRows', minRows, 'maxRows', maxRows);
  const minLog = intIn(FN, 'minLogLambda', constraints.minLogLambda, 0, 12, 1);
  const maxLog = intIn(FN, 'maxLogLambda', constraints.maxLogLambda, 0, 12, Math.max(3, minLog));
  ordered(FN, 'minLogLambda', minLog, 'maxLogLambda', maxLog);

  return fc
    .record({
      d: fc.integer({ min: minDim, max: maxDim }),
      n: fc.integer({ min: minRows, max: maxRows }),
      k: fc.integer({ min: minLog, max: maxLog }),
      cells: fc.array(fc.integer({ min: 0, max: GRID.length - 1 }), { minLength: maxRows * maxDim, maxLength: maxRows * maxDim }),
      labels: fc.array(fc.boolean(), { minLength: maxRows, maxLength: maxRows }),
    })
    .map(({ d, n, k, cells, labels }) => withPrinter(build(d, n, k, cells, labels), print));
}

function build(d: number, n: number, k: number, cells: number[], labels: boolean[]): LogisticPlProblem {
  const data = new Float64Array(n * d);
  const y = new Float64Array(n);
  let R2 = 0;
  for (let i = 0; i < n; i++) {
    let q = 0;
    for (let j = 0; j < d; j++) {
      // GRID index 2 is 0; a zero row becomes e_(i mod d) so that every row carries a gradient
      const v = GRID[cells[i * d + j]];
      data[i * d + j] = v;
      q += v * v;
    }
    if (q === 0) {
      data[i * d + (i % d)] = 1;
      q = 1;
    }
    R2 = Math.max(R2, q);
    y[i] = labels[i] ? 1 : -1;
  }
  const X: Mat = { rows: n, cols: d, data };
  const lambda = 2 ** -k;
  const opt = plOptimum({ kind: 'logistic', X, y, lambda }, { digits: 30 });
  const L = lambda + R2 / 4;
  const kappa = L / lambda;
  const regimes = [d === 1 ? 'd=1' : 'd>=2', kappa >= 4 ? 'kappa>=4' : 'kappa<4'];
  return {
    ds: { task: 'classification', d, nodes: [{ X, y }] }, loss: Object.freeze({ name: 'logistic', l2: lambda }), d, n, lambda,
    mu: lambda, L, kappa, R2, sigma2: R2, xStar: opt.x, Fstar: opt.F, gapBound: Number(opt.certificate.gapBound), meta: { regimes },
  };
}

/** JSON of a value (the dataset as nested arrays), one line. */
export function logisticPlProblemToJson(pr: LogisticPlProblem): Record<string, unknown> {
  const X = pr.ds.nodes[0].X;
  return {
    d: pr.d, n: pr.n, lambda: pr.lambda, mu: pr.mu, L: pr.L, kappa: pr.kappa, R2: pr.R2, Fstar: pr.Fstar, xStar: Array.from(pr.xStar),
    X: Array.from({ length: X.rows }, (_, i) => Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols))), y: Array.from(pr.ds.nodes[0].y),
    regimes: pr.meta.regimes,
  };
}

function print(pr: LogisticPlProblem): string {
  return JSON.stringify(logisticPlProblemToJson(pr));
}
