/**
 * C-3 (conformance): a common stationary point w* of every node's loss (y_k = X_k w* exactly) is a fixed point of
 * every round, with full or partial participation: each local run stays at w*, and the aggregate
 * sum_{k in S_r} beta_k w* is w* because the weights of a round sum to 1 over its participants. A sum started from
 * the previous model (docs/planted-bugs.md#m03-accumulator-not-reset) doubles w*, a partial round normalised by all clients (docs/planted-bugs.md#m04-partial-all-clients) shrinks it.
 * Note: proofs-notes/C-3-stationary.md.
 */
import { FEDERATED_CAPABILITIES, stationaryCases, stationaryDrift, stationaryTolerance, type ConformanceCase } from '../../src/gate/conformance.ts';
import type { Vec } from '../../src/numeric/types.ts';
import { defineTheorem } from '../../src/spec/index.ts';
import { FEDERATED_RUN_CAPABILITIES } from '../../src/subject/catalogue.ts';

export const STATEMENT = String.raw`\nabla f_k(w^\star) = 0\ \forall k,\ w^0 = w^\star \ \Longrightarrow\ w^{r} = w^\star\ \forall r,\ \text{since } w^{r+1} = \textstyle\sum_{k \in S_r} \beta_k w^\star,\ \sum_{k \in S_r} \beta_k = 1`;

type Case = ConformanceCase & { readonly wStar: Vec };

export const spec = defineTheorem<Case, Float64Array>({
  id: 'C-3-stationary',
  title: 'a common stationary point is a fixed point of every round (weights over the participants sum to 1)',
  source: {
    paper: 'Local-GD / FedAvg round as defined in docs/theory.md#01-local-gd-round (w^{r+1} = sum_{k in S_r} beta_k w_k, beta renormalised over S_r)',
    version: 'this repository',
    locator: 'docs/theory.md#01-local-gd-round; src/optimizers/parts/aggregate.ts header; reported bug classes 3, 4 (docs/planted-bugs.md#reported-bug-classes)',
    provenance: 'derived',
  },
  statement: STATEMENT,
  kind: 'upper-bound',
  requires: [],
  requiresAny: FEDERATED_RUN_CAPABILITIES,
  hypotheses: [
    { name: 'y = X w* exactly on every node', check: (c) => c.problem.nodes.every((nd) => nd.y.every((v, i) => v === Array.from({ length: c.problem.d }, (_, j) => nd.X.data[i * c.problem.d + j] * c.wStar[j]).reduce((s, x) => s + x, 0))) || 'a residual is not exactly 0' },
    { name: 'w0 = w* != 0', check: (c) => (c.w0.every((v, j) => v === c.wStar[j]) && c.wStar.some((v) => v !== 0)) || 'w0 differs from w* or w* = 0' },
  ],
  instances: stationaryCases(),
  // observed[i] = max_j |w_R - w*|_j of capability FEDERATED_CAPABILITIES[i] (0 where the subject lacks it)
  observe: (c, subject) => stationaryDrift(subject, c),
  bound: () => new Float64Array(FEDERATED_CAPABILITIES.length),
  tolerance: (c) => ({
    abs: stationaryTolerance(c),
    why: `4 (K+2) R eps ||w*||_inf: gradients at w* are exactly 0, each aggregate carries <= 2K+2 roundings of weights summing to 1, and non-expansive rounds (eta = 1/(2 beta)) add them over R = ${c.R} rounds`,
  }),
  profiles: { ci: 20, default: 80, hunt: 800 },
  hints: [
    `observed[i] is the drift of capability i in the order ${FEDERATED_CAPABILITIES.join(', ')}`,
    'a drift of about ||w*|| means the weights of a round do not sum to 1 over its participants (accumulator not reset, or normalised by all clients)',
  ],
});
