/**
 * Shared by the `nonseparable.*` properties of the implicit-bias family (docs/theory.md#16-local-sgd-and-non-separable-data "Non-separable logistic
 * regression", docs/theory.md#17-numerical-checks "non-separable drift", docs/theory.md#6-property-catalogue Z-N1). Not a property file (the registry loads only *.prop.ts).
 *
 * Objective (mean convention, src/problems/types.ts): F(w) = (1/N) sum_i log(1 + exp(-y_i x_i^T w)) + (lambda/2)||w||^2
 * = sum_k (n_k/N) f_k(w). The certified minimiser w* comes from plOptimum (src/precise). plOptimum also certifies
 * lambda = 0 when the data are not even weakly separable and of full column rank, but the ridge is kept: without it
 * no per-round contraction can be derived for L >= 2 (proofs-notes/Z-N1-drift.md, "Deviation from the issue").
 * lambda = R^2 / 16 (R = max_i ||x_i||) in BOTH the optimizer loss and the reference: every f_k is lambda-strongly
 * convex and beta_k-smooth (beta_k = lambda_max(X_k^T X_k)/(4 n_k) + lambda <= 5 R^2 / 16), so a local step with
 * eta <= 1/beta_k contracts by (1 - eta lambda) and the certified contraction of a round is (1 - eta lambda)^L. A
 * tiny lambda would make that certificate (and so the rounds needed) scale like 1/lambda; the drift itself does not
 * need lambda small (proofs-notes/Z-N1-drift.md).
 */
import fc from 'fast-check';
import { nonSeparableClassification, smoothness } from '../../src/arbitraries/index.ts';
import type { NonSeparabilityWitness, NonSeparableClassificationConstraints } from '../../src/arbitraries/index.ts';
import type { Hypothesis } from '../../src/spec/index.ts';
import { EPS, cholesky } from '../../src/numeric/index.ts';
import type { Vec } from '../../src/numeric/index.ts';
import { plOptimum } from '../../src/precise/index.ts';
import { datasetToJson, pooled } from '../../src/problems/dataset.ts';
import type { LossSpec } from '../../src/problems/losses.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';
import { norm } from './classification.observables.support.ts';

export interface DriftCase {
  readonly dataset: FederatedDataset;
  /** local steps per round */
  readonly L: number;
  /** the L2 weight lambda = R^2 / 16 of both the optimizer and the reference */
  readonly lambda: number;
  readonly loss: LossSpec;
  /** eta0 = 1 / max_k beta_k: the largest step of the sweep (every local step a (1 - eta lambda)-contraction) */
  readonly eta0: number;
  readonly radius: number;
  /** certified minimiser of F (plOptimum, 20 digits) and the bound ||w*(f64) - w*|| <= gradNorm / lambda + rounding */
  readonly wStar: Vec;
  readonly wStarError: number;
  /**
   * first-order drift vector v = H^{-1} sum_k alpha_k H_k g_k at w* (H_k, g_k the node Hessians and gradients, H =
   * sum alpha_k H_k): the Local-GD fixed point is w* + eta (L - 1)/2 v + O(eta^2) (derived in the note)
   */
  readonly drift: Vec;
  /** max_k ||grad f_k(w*)||: how hard each node pulls away from w* */
  readonly nodeGradMax: number;
  /** Gordan witness of non-separability from the arbitrary: sum_j lambda_j y_j x_j = 0 with lambda_j > 0 */
  readonly witness: NonSeparabilityWitness;
}

export const LAMBDA_OVER_R2 = 1 / 16;

export function driftCases(c: { data?: NonSeparableClassificationConstraints; minL?: number; maxL?: number } = {}): fc.Arbitrary<DriftCase> {
  return fc
    .tuple(
      nonSeparableClassification({ maxNodes: 4, maxDim: 4, ...(c.data ?? {}) }),
      fc.integer({ min: c.minL ?? 2, max: c.maxL ?? 8 }),
    )
    .map(([inst, L]) => makeDriftCase(inst.dataset, L, inst.meta.witness));
}

export function makeDriftCase(dataset: FederatedDataset, L: number, witness: NonSeparabilityWitness): DriftCase {
  const { X, y } = pooled(dataset);
  const d = dataset.d;
  let r2 = 0;
  for (let i = 0; i < X.rows; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += X.data[i * d + j] ** 2;
    r2 = Math.max(r2, s);
  }
  const lambda = LAMBDA_OVER_R2 * r2;
  const loss: LossSpec = { name: 'logistic', l2: lambda };
  const opt = plOptimum({ kind: 'logistic', X, y, lambda }, { digits: 20 });
  const wStar = opt.x;
  // why: the certificate bounds ||x - x*|| by gradNorm / lambda (strong convexity); x is that decimal rounded to f64
  const wStarError = Number(opt.certificate.gradNorm) / lambda + EPS * norm(wStar);
  const value: DriftCase = {
    dataset, L, lambda, loss, eta0: 1 / smoothness(dataset, loss), radius: Math.sqrt(r2), wStar, wStarError,
    ...driftAt(dataset, lambda, wStar), witness,
  };
  Object.defineProperty(value, fc.toStringMethod, {
    value: () => JSON.stringify({ ...datasetToJson(dataset), L, lambda, eta0: value.eta0 }),
    enumerable: false,
  });
  return value;
}

export const notSeparable: Hypothesis<Pick<DriftCase, 'witness' | 'dataset'>> = {
  name: 'not separable through the origin (Gordan witness: sum_j lambda_j y_j x_j = 0, lambda_j > 0, exact on the dyadic grid)',
  check: (c) => {
    const { rows, lambda } = c.witness;
    if (rows.length < 2 || lambda.some((l) => !(l > 0))) return `witness rows ${rows.length}, weights [${lambda.join(', ')}]`;
    const d = c.dataset.d;
    for (let j = 0; j < d; j++) {
      // dyadic entries times small integers: every product and partial sum is exact in f64
      let s = 0;
      rows.forEach((r, i) => { s += lambda[i] * c.dataset.nodes[r.node].y[r.row] * c.dataset.nodes[r.node].X.data[r.row * d + j]; });
      if (s !== 0) return `witness sum has coordinate ${j} = ${s}`;
    }
    return true;
  },
};

export const ridge: Hypothesis<DriftCase> = {
  name: 'logistic loss with the same lambda > 0 in the optimizer and the reference',
  check: (c) => (c.loss.name === 'logistic' && c.loss.l2 === c.lambda && c.lambda > 0) || `loss ${JSON.stringify(c.loss)}, lambda ${c.lambda}`,
};

/** v = H^{-1} sum_k alpha_k H_k g_k (alpha_k = n_k / N) at w, and max_k ||g_k|| (f64). */
export function driftAt(ds: FederatedDataset, lambda: number, w: Vec): { drift: Vec; nodeGradMax: number } {
  const d = ds.d;
  const N = ds.nodes.reduce((a, nd) => a + nd.X.rows, 0);
  const H = new Float64Array(d * d);
  const acc = new Float64Array(d);
  let nodeGradMax = 0;
  for (const nd of ds.nodes) {
    const n = nd.X.rows;
    if (n === 0) continue;
    const Hk = new Float64Array(d * d);
    const gk = Float64Array.from(w, (v) => lambda * v);
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (let j = 0; j < d; j++) m += nd.X.data[i * d + j] * w[j];
      m *= nd.y[i];
      const s = 1 / (1 + Math.exp(m));
      for (let a = 0; a < d; a++) {
        const xa = nd.X.data[i * d + a];
        gk[a] -= (nd.y[i] * s * xa) / n;
        for (let b = 0; b <= a; b++) Hk[a * d + b] += (s * (1 - s) * xa * nd.X.data[i * d + b]) / n;
      }
    }
    for (let a = 0; a < d; a++) {
      Hk[a * d + a] += lambda;
      for (let b = 0; b < a; b++) Hk[b * d + a] = Hk[a * d + b];
    }
    nodeGradMax = Math.max(nodeGradMax, norm(gk));
    const alpha = n / N;
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let b = 0; b < d; b++) s += Hk[a * d + b] * gk[b];
      acc[a] += alpha * s;
    }
    for (let j = 0; j < d * d; j++) H[j] += alpha * Hk[j];
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) H[a * d + b] = H[b * d + a];
  return { drift: cholesky({ rows: d, cols: d, data: H }).solve(acc), nodeGradMax };
}

/**
 * A-priori bound on ||w* - w_eta|| (w_eta the fixed point of the Local-GD round map T with step eta): T is a
 * rho = (1 - eta lambda)^L contraction, so ||w* - w_eta|| <= ||T(w*) - w*|| / (1 - rho); a node's L steps from w* move
 * by <= eta L ||g_k|| (1 + eta beta)^L (induction with beta-smoothness), and 1 - rho >= eta lambda L / 2 when
 * (L - 1) eta lambda <= 1. Hence ||w* - w_eta|| <= 2 (1 + eta beta)^L max_k ||g_k|| / lambda with beta = 1 / eta0.
 */
export function fixedPointRadius(c: DriftCase, eta: number): number {
  return (2 * (1 + eta / c.eta0) ** c.L * c.nodeGradMax) / c.lambda;
}

export { distance, norm } from './classification.observables.support.ts';

/** Rounds R with (1 - eta lambda)^(L R) <= target (the certified contraction of a Local-GD round). */
export function roundsFor(c: DriftCase, eta: number, L: number, target: number): number {
  return Math.ceil(Math.log(target) / (L * Math.log1p(-eta * c.lambda)));
}

/**
 * Rounding of local steps that contract by rho = (1 - eta lambda) each: a step rounds every entry of w (scale: the
 * iterates' norm bound `normScale`) and of the step eta g (each per-sample gradient of the logistic loss is at most
 * R, plus lambda ||w||) once, (d + 2) eps of that scale, and the contraction stops the errors from piling up beyond
 * 1 / (1 - rho) steps' worth.
 */
export function contractedRounding(c: DriftCase, eta: number, normScale: number): number {
  const scale = normScale + eta * (c.radius + c.lambda * normScale);
  return ((c.dataset.d + 2) * EPS * scale) / (eta * c.lambda);
}
