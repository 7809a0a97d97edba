/**
 * Z-N1-l1: on non-separable data (logistic loss, L2 weight lambda), Local-GD with L = 1 and weights n_k/N is
 * centralized GD on the pooled objective, so it reaches the certified minimiser w*: ||w^T - w*|| <= rho^T ||w*|| +
 * (certificate) with rho = 1 - eta lambda (docs/theory.md#16-local-sgd-and-non-separable-data, docs/theory.md#17-numerical-checks "non-separable drift", docs/theory.md#6-property-catalogue Z-N1, the L = 1 half).
 * Note: proofs-notes/Z-N1-l1.md.
 */
import { capability } from '../../src/subject/index.ts';
import type { LocalGDHyper } from '../../src/optimizers/localGD.ts';
import type { RunFn } from '../../src/optimizers/types.ts';
import { defineTheorem } from '../../src/spec/index.ts';
import { contractedRounding, distance, driftCases, norm, notSeparable, ridge, roundsFor } from './nonseparable.support.ts';
import type { DriftCase } from './nonseparable.support.ts';

export const STATEMENT = String.raw`L = 1,\ \alpha_k = \tfrac{n_k}{N},\ \eta = \eta_0 = 1/\max_k \beta_k:\qquad \|w^T - w^*\| \le (1-\eta\lambda)^T\,\|w^0 - w^*\| + \varepsilon_{\mathrm{cert}},\qquad w^* = \arg\min_w \tfrac1N \textstyle\sum_i \log(1 + e^{-y_i x_i^\top w}) + \tfrac{\lambda}{2}\|w\|^2`;

/** contraction target: (1 - eta lambda)^T <= 1e-12 */
export const TARGET = 1e-12;

export function l1Rounds(c: DriftCase): number {
  return roundsFor(c, c.eta0, 1, TARGET);
}

export const spec = defineTheorem<DriftCase, number>({
  id: 'Z-N1-l1',
  title: 'On non-separable data Local-GD with L = 1 (weights n_k/N) reaches the centralized minimiser',
  source: {
    paper: 'Zhu, Vardhan, Mazumdar, arXiv 2412.07971 (v2 discussion of non-separable data, not read)',
    version: 'docs/theory.md#16-local-sgd-and-non-separable-data [NUM] (v2 discussion not read)',
    locator: 'docs/theory.md#16-local-sgd-and-non-separable-data "Non-separable logistic regression", docs/theory.md#17-numerical-checks non-separable drift, docs/theory.md#6-property-catalogue Z-N1',
    provenance: ['derived', 'num'],
  },
  statement: STATEMENT,
  kind: 'upper-bound',
  requires: ['localGD'],
  hypotheses: [notSeparable, ridge],
  instances: driftCases({ data: { minNodes: 1 } }),
  observe: (c, subject) => {
    const run = capability<RunFn<LocalGDHyper>>(subject, 'localGD');
    const tr = run(c.dataset, { loss: c.loss, eta: c.eta0, L: 1, R: l1Rounds(c), record: 'last' });
    return distance(tr.models[tr.models.length - 1], c.wStar);
  },
  // ||w^0 - w*_true|| <= ||w*|| + err (w^0 = 0), then the contraction, then w*'s own error
  bound: (c) => (1 - c.eta0 * c.lambda) ** l1Rounds(c) * (norm(c.wStar) + c.wStarError) + c.wStarError,
  tolerance: (c) => {
    const abs = contractedRounding(c, c.eta0, 2 * norm(c.wStar) + c.wStarError);
    return { abs, why: `rounding of a (1 - eta lambda)-contraction: (d + 2) eps (2||w*|| + eta (R + lambda 2||w*||)) / (eta lambda), eta lambda = ${(c.eta0 * c.lambda).toFixed(3)}` };
  },
  profiles: { ci: 8, default: 40, hunt: 400 },
  hints: [
    'unweighted averaging (planted bug docs/planted-bugs.md#m02-uniform-weights) converges to the minimiser of sum_k f_k / K, not of the pooled loss, when node sizes differ',
    'nodes that keep their own models (planted bug docs/planted-bugs.md#m10-no-restart) converge to the average of the node minimisers',
  ],
});
