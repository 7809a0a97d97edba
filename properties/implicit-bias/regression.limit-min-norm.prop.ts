/**
 * Z-R1-min-norm: in the interpolating regime, Local-GD started in the row space converges to the min-norm
 * interpolator X^+ y, for any K, any per-node L_k >= 1 and any positive weights, whenever rho < 1 (docs/theory.md#12-regression
 * R-exact; the v1 abstract's regression claim). Note: proofs-notes/Z-R1-min-norm.md.
 */
import { EPS, dist2 } from '../../src/numeric/index.ts';
import { minNormSolution } from '../../src/precise/index.ts';
import { pooled } from '../../src/problems/dataset.ts';
import { defineTheorem } from '../../src/spec/index.ts';
import type { Vec } from '../../src/numeric/index.ts';
import fc from 'fast-check';
import { contraction, interpolatingCases, interpolation, lastModel, limitRounds, limitSlack, positiveRun, runLocalGD, w0InRowSpace } from './regression.cases.support.ts';
import type { RegressionCase } from './regression.cases.support.ts';

export const STATEMENT = String.raw`\rho\big(T|_{\mathrm{row}(X)}\big) < 1,\; w^0 \in \mathrm{row}(X) \;\Longrightarrow\; \lim_{r\to\infty} w^r = X^+ y, \qquad T = \sum_k \alpha_k \big(I - \tfrac{\eta}{n_k} X_k^\top X_k\big)^{L_k}`;

function minNorm(c: RegressionCase): Vec {
  const { X, y } = pooled(c.dataset);
  return minNormSolution(X, y).w;
}

export const spec = defineTheorem<RegressionCase, Vec>({
  id: 'Z-R1-min-norm',
  title: 'Local-GD from w0 in row(X) converges to the min-norm interpolator (any K, L_k, weights; rho < 1)',
  source: {
    paper: 'Zhu, Vardhan, Mazumdar, arXiv 2412.07971',
    version: 'v1 (10 Dec 2024) abstract; exact statement derived (docs/theory.md#12-regression R-exact)',
    locator: 'v1 abstract (regression claim); ICLR reviews of Thm 1; docs/theory.md#12-regression, docs/theory.md#6-property-catalogue Z-R1',
    provenance: ['read-2', 'derived', 'num'],
  },
  statement: STATEMENT,
  kind: 'tight',
  requires: ['localGD'],
  hypotheses: [interpolation, w0InRowSpace, contraction, positiveRun],
  instances: fc.oneof(interpolatingCases({ w0: 'zero' }), interpolatingCases({ w0: 'inside' })),
  observe: (c, subject) => lastModel(runLocalGD(subject, c, limitRounds(c), 'last')),
  bound: minNorm,
  tolerance: (c, _o, b) => {
    const s = limitSlack(c, limitRounds(c), b);
    return { abs: s.abs, rel: EPS, why: `${s.why}; + eps relative for rounding the certified X^+ y to f64` };
  },
  nonVacuous: (c, _o) => dist2(c.w0, minNorm(c)) > 0 || 'w0 is already X^+ y (e.g. y = 0 and w0 = 0): nothing moves',
  profiles: { ci: 20, default: 100, hunt: 1000 },
  hints: [
    'a node that does not restart from the global model each round (planted bug docs/planted-bugs.md#m10-no-restart) moves the limit',
    'an aggregation sum that starts from the previous model (planted bug docs/planted-bugs.md#m03-accumulator-not-reset) doubles the model each round',
    'with w0 outside row(X) the limit is X^+ y + (I - X^+X) w0, not X^+ y (that is not a bug: see Z-R1-projection)',
  ],
});
