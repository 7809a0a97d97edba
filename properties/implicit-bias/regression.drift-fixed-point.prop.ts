/**
 * Z-R5-fixed-point: without interpolation (N > d, X of full column rank) Local-GD converges to the fixed point of
 * its round map, (I - T)^{-1} c, computed exactly in rational arithmetic (docs/theory.md#02-certified-references closed form, docs/theory.md#12-regression table).
 * For L >= 2 and heterogeneous nodes this is not the least-squares point (client drift).
 * Note: proofs-notes/Z-R5-fixed-point.md.
 */
import { EPS, dist2 } from '../../src/numeric/index.ts';
import type { Vec } from '../../src/numeric/index.ts';
import { defineTheorem } from '../../src/spec/index.ts';
import { contraction, fullColumnRank, lastModel, limitRounds, limitSlack, positiveRun, runLocalGD, tallCases } from './regression.cases.support.ts';
import type { RegressionCase } from './regression.cases.support.ts';

export const STATEMENT = String.raw`\rho(T) < 1 \;\Longrightarrow\; \lim_{r\to\infty} w^r = (I - T)^{-1} c, \quad T = \sum_k \alpha_k B_k^{L_k},\; c = \sum_k \alpha_k \sum_{j<L_k} B_k^{\,j}\, \tfrac{\eta}{n_k} X_k^\top y_k,\; B_k = I - \tfrac{\eta}{n_k} X_k^\top X_k`;

export const spec = defineTheorem<RegressionCase, Vec>({
  id: 'Z-R5-fixed-point',
  title: 'Non-interpolating Local-GD converges to the exact fixed point (I - T)^{-1} c of its round map',
  source: {
    paper: 'Zhu, Vardhan, Mazumdar, arXiv 2412.07971 (contrast); docs/theory.md closed form',
    version: 'derived (docs/theory.md#02-certified-references "any Local-GD fixed point for quadratics", docs/theory.md#12-regression counterexample table)',
    locator: 'docs/theory.md#02-certified-references, docs/theory.md#12-regression, docs/theory.md#6-property-catalogue Z-R5',
    provenance: ['derived', 'num'],
  },
  statement: STATEMENT,
  kind: 'tight',
  requires: ['localGD'],
  hypotheses: [fullColumnRank, contraction, positiveRun],
  instances: tallCases(),
  observe: (c, subject) => lastModel(runLocalGD(subject, c, limitRounds(c), 'last')),
  bound: (c) => c.limit(),
  tolerance: (c, _o, b) => {
    const s = limitSlack(c, limitRounds(c), b);
    return { abs: s.abs, rel: EPS, why: `${s.why}; + eps relative for rounding the exact rational fixed point to f64` };
  },
  nonVacuous: (c, _o) => dist2(c.w0, c.limit()) > 0 || 'w0 is already the fixed point: nothing moves',
  profiles: { ci: 20, default: 100, hunt: 1000 },
  hints: ['the gradient taken at the global model (planted bug docs/planted-bugs.md#m14-stale-gradient) makes the round one GD step on sum_k alpha_k L_k f_k, whose minimiser differs'],
});
