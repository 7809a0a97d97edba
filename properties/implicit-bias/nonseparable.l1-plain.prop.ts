/**
 * Z-N1-l1-plain: on non-separable data, PLAIN logistic regression (no L2 penalty), Local-GD with L = 1 and weights
 * n_k/N is centralized GD on the pooled loss and reaches its certified minimiser w* (docs/theory.md#16-local-sgd-and-non-separable-data, docs/theory.md#6-property-catalogue Z-N1, the L = 1
 * half, in the setting). F is only locally strongly convex, so the a-priori bound has two phases (convex
 * O(1/t) until the iterate is inside a ball where the curvature is proved, then linear), derived in
 * proofs-notes/Z-N1-l1-plain.md and computed per instance in nonseparable.plain.support.ts.
 */
import { capability } from '../../src/subject/index.ts';
import type { LocalGDHyper } from '../../src/optimizers/localGD.ts';
import type { RunFn } from '../../src/optimizers/types.ts';
import { defineTheorem } from '../../src/spec/index.ts';
import type { Hypothesis } from '../../src/spec/index.ts';
import { distance, notSeparable } from './nonseparable.support.ts';
import { plainCases, plainRounding, plainScreen, TARGET_REL, type PlainCase } from './nonseparable.plain.support.ts';

/** the hunt's GPU screen for this theorem (src/backends/webgpu/screen.ts) */
export const screen = plainScreen;

export const STATEMENT = String.raw`L = 1,\ \alpha_k = \tfrac{n_k}{N},\ \eta = 1/\max_k \beta_k:\quad \|w^T - w^*\| \le \min\!\bigl(\tfrac r2, \tfrac{D}{\sqrt{\eta\mu_r T_1}}\bigr)(1-\eta\mu_r)^{(T-T_1)/2} + \varepsilon_{\mathrm{cert}},\quad T_1 > \tfrac{4D^2}{\eta\mu_r r^2},\quad w^* = \arg\min_w \tfrac1N \textstyle\sum_i \log(1 + e^{-y_i x_i^\top w})`;

const plainLoss: Hypothesis<PlainCase> = {
  name: 'plain logistic loss (no L2 term) in the optimizer, as in the reference',
  check: (c) => (c.loss.name === 'logistic' && (c.loss.l2 ?? 0) === 0) || `loss ${JSON.stringify(c.loss)}`,
};

const certifiedMinimiser: Hypothesis<PlainCase> = {
  name: 'the plain minimiser exists and is certified (plOptimum, lambda = 0: local strong convexity proved), and the curvature bound mu_r > 0 holds on B(w*, r)',
  check: (c) => (c.wStarError >= 0 && Number.isFinite(c.wStarError) && c.schedule.mu > 0 && c.schedule.r > 0) || `error ${c.wStarError}, mu ${c.schedule.mu}, r ${c.schedule.r}`,
};

export const spec = defineTheorem<PlainCase, number>({
  id: 'Z-N1-l1-plain',
  title: 'On non-separable data, plain logistic regression: Local-GD with L = 1 (weights n_k/N) reaches the centralized minimiser',
  source: {
    paper: 'Zhu, Vardhan, Mazumdar, arXiv 2412.07971 (v2 discussion of non-separable data, not read)',
    version: 'docs/theory.md#16-local-sgd-and-non-separable-data [NUM] (v2 discussion not read); the two-phase bound is ours',
    locator: 'docs/theory.md#16-local-sgd-and-non-separable-data "Non-separable logistic regression", docs/theory.md#6-property-catalogue Z-N1',
    provenance: ['derived', 'num'],
  },
  statement: STATEMENT,
  kind: 'upper-bound',
  requires: ['localGD'],
  hypotheses: [notSeparable, plainLoss, certifiedMinimiser],
  instances: plainCases(),
  observe: (c, subject) => {
    const run = capability<RunFn<LocalGDHyper>>(subject, 'localGD');
    const tr = run(c.dataset, { loss: c.loss, eta: c.eta, L: 1, R: c.schedule.T, record: 'last' });
    return distance(tr.models[tr.models.length - 1], c.wStar);
  },
  // the exact iterate is within distanceBound of the true w*, which is within wStarError of the f64 w* compared with
  bound: (c) => c.schedule.distanceBound + c.wStarError,
  precisions: ['f64', 'f32'],
  tolerance: (c, _o, _b, ctx) => ({
    abs: plainRounding(c, ctx?.precision),
    why: `${ctx?.precision ?? 'f64'} rounding of ${c.schedule.T} steps: ${c.schedule.T1} non-expansive steps add their errors, then the (1 - eta mu) contraction caps them at 1/(eta mu) steps' worth (eta mu = ${(c.eta * c.schedule.mu).toExponential(2)}); the bound targets ${TARGET_REL} ||w*||`,
  }),
  profiles: { ci: 6, default: 30, hunt: 300 },
  hints: [
    'unweighted averaging (planted bug docs/planted-bugs.md#m02-uniform-weights) converges to the minimiser of sum_k f_k / K, not of the pooled loss, when node sizes differ',
    'nodes that keep their own models (planted bug docs/planted-bugs.md#m10-no-restart) converge to the average of the node minimisers',
  ],
});
