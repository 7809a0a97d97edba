/**
 * Z-R5-l1: with one local step (L = 1) Local-GD is gradient descent on F = sum_k alpha_k f_k, so even without
 * interpolation its limit is the minimiser of F: the alpha-weighted least-squares point
 * argmin sum_k (alpha_k / n_k) ||X_k w - y_k||^2 (ordinary least squares for alpha_k = n_k / N), computed exactly from
 * the normal equations (docs/theory.md#12-regression counterexample table: "||w - w_LS|| = 0 for L = 1").
 * Note: proofs-notes/Z-R5-l1.md.
 */
import { EPS, dist2 } from '../../src/numeric/index.ts';
import type { Vec } from '../../src/numeric/index.ts';
import { defineTheorem } from '../../src/spec/index.ts';
import { exactWeightedLeastSquares } from './regression.exact.support.ts';
import { contraction, fullColumnRank, lastModel, limitRounds, limitSlack, positiveRun, runLocalGD, tallCases } from './regression.cases.support.ts';
import type { RegressionCase } from './regression.cases.support.ts';

export const STATEMENT = String.raw`L_k = 1 \;\forall k,\; \rho(T) < 1 \;\Longrightarrow\; \lim_{r\to\infty} w^r = \operatorname*{argmin}_w \sum_k \frac{\alpha_k}{n_k} \|X_k w - y_k\|^2`;

const leastSquares = new WeakMap<RegressionCase, Vec>();
function weightedLS(c: RegressionCase): Vec {
  let w = leastSquares.get(c);
  if (w === undefined) {
    w = exactWeightedLeastSquares(c.dataset, c.weights);
    leastSquares.set(c, w);
  }
  return w;
}

export const spec = defineTheorem<RegressionCase, Vec>({
  id: 'Z-R5-l1',
  title: 'With L = 1 the non-interpolating Local-GD limit is the (alpha-weighted) least-squares point',
  source: {
    paper: 'Zhu, Vardhan, Mazumdar, arXiv 2412.07971 (contrast); docs/theory.md',
    version: 'derived (docs/theory.md#12-regression counterexample table, L = 1 row)',
    locator: 'docs/theory.md#12-regression, docs/theory.md#6-property-catalogue Z-R5',
    provenance: ['derived', 'num'],
  },
  statement: STATEMENT,
  kind: 'tight',
  requires: ['localGD'],
  hypotheses: [
    fullColumnRank, contraction, positiveRun,
    { name: 'L_k = 1 on every node', check: (c) => c.L.every((l) => l === 1) || `L = [${c.L.join(', ')}]` },
  ],
  instances: tallCases({ Lchoices: [1] }),
  observe: (c, subject) => lastModel(runLocalGD(subject, c, limitRounds(c), 'last')),
  bound: weightedLS,
  tolerance: (c, _o, b) => {
    const s = limitSlack(c, limitRounds(c), b);
    return { abs: s.abs, rel: EPS, why: `${s.why}; + eps relative for rounding the exact least-squares point to f64` };
  },
  nonVacuous: (c, _o) => dist2(c.w0, weightedLS(c)) > 0 || 'w0 is already the least-squares point: nothing moves',
  profiles: { ci: 20, default: 100, hunt: 1000 },
  hints: ['a node that keeps its own local model between rounds (planted bug docs/planted-bugs.md#m10-no-restart) averages per-node minimisers instead'],
});
