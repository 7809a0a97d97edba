/**
 * Z-R1-projection: in the interpolating regime Local-GD from ANY w0 converges to the projection of w0 onto
 * {w : X w = y}, i.e. X^+ y + (I - X^+ X) w0, the least-squares point nearest w0 (docs/theory.md#12-regression R-exact, docs/theory.md#02-certified-references).
 * Note: proofs-notes/Z-R1-projection.md.
 */
import { EPS } from '../../src/numeric/index.ts';
import type { Vec } from '../../src/numeric/index.ts';
import { defineTheorem } from '../../src/spec/index.ts';
import { exactWeightedLeastSquares } from './regression.exact.support.ts';
import {
  contraction, interpolatingCases, interpolation, lastModel, limitRounds, limitSlack, positiveRun, runLocalGD,
} from './regression.cases.support.ts';
import type { RegressionCase } from './regression.cases.support.ts';

export const STATEMENT = String.raw`\rho\big(T|_{\mathrm{row}(X)}\big) < 1 \;\Longrightarrow\; \lim_{r\to\infty} w^r = \operatorname*{argmin}_{w \in \operatorname{argmin} F} \|w - w^0\| = X^+ y + (I - X^+ X)\, w^0, \qquad F = \sum_k \alpha_k f_k`;

/**
 * The minimiser of F = sum_k alpha_k f_k nearest w0: the certified projection of w0 onto {Xw = y} when X has full row
 * rank (then argmin F = {Xw = y} for every alpha), the exact unique minimiser when X has full column rank (used only by
 * the dropped-hypothesis variant: there it is the alpha-weighted least-squares point).
 */
export function nearestMinimiser(c: RegressionCase): Vec {
  return c.interpolating ? c.limit() : exactWeightedLeastSquares(c.dataset, c.weights);
}

export const spec = defineTheorem<RegressionCase, Vec>({
  id: 'Z-R1-projection',
  title: 'Local-GD from any w0 converges to the projection of w0 onto {Xw = y} (any K, L_k, weights; rho < 1)',
  source: {
    paper: 'Zhu, Vardhan, Mazumdar, arXiv 2412.07971',
    version: 'v1 (10 Dec 2024) abstract; exact statement derived (docs/theory.md#12-regression R-exact)',
    locator: 'v1 abstract (regression claim); docs/theory.md#02-certified-references (centralized GD limit), docs/theory.md#12-regression, docs/theory.md#6-property-catalogue Z-R1',
    provenance: ['read-2', 'derived', 'num'],
  },
  statement: STATEMENT,
  kind: 'tight',
  requires: ['localGD'],
  hypotheses: [interpolation, contraction, positiveRun],
  instances: interpolatingCases({ w0: 'any' }),
  observe: (c, subject) => lastModel(runLocalGD(subject, c, limitRounds(c), 'last')),
  bound: nearestMinimiser,
  tolerance: (c, _o, b) => {
    const s = limitSlack(c, limitRounds(c), b);
    return { abs: s.abs, rel: EPS, why: `${s.why}; + eps relative for rounding the certified reference to f64` };
  },
  nonVacuous: (c, _o) => c.w0.some((v, i) => v !== nearestMinimiser(c)[i]) || 'w0 is already the limit (e.g. y = 0 and w0 = 0): nothing moves',
  profiles: { ci: 20, default: 100, hunt: 1000 },
  hints: [
    'without interpolation (N > d) and with L >= 2 the Local-GD limit is (I - T)^{-1} c, not least squares (client drift, Z-R5)',
    'a node that does not restart from the global model each round (planted bug docs/planted-bugs.md#m10-no-restart) moves the limit',
  ],
});
