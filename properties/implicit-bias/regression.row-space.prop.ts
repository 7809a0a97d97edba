/**
 * Z-R1-row-space: every Local-GD iterate stays in w0 + row(X) (docs/theory.md#12-regression: each local step moves along
 * X_k^T(...) in row(X_k) within row(X), and averaging with weights summing to 1 keeps the affine set).
 * Note: proofs-notes/Z-R1-row-space.md.
 */
import fc from 'fast-check';
import { EPS, dist2, norm2 } from '../../src/numeric/index.ts';
import { defineTheorem } from '../../src/spec/index.ts';
import { interpolatingCases, interpolation, limitRounds, positiveRun, contraction, runLocalGD } from './regression.cases.support.ts';
import type { RegressionCase } from './regression.cases.support.ts';
import { roundRounding, rowDistance } from './regression.support.ts';

export const STATEMENT = String.raw`w^r - w^0 \in \mathrm{row}(X) \quad \text{for every round } r \ge 0`;

/** Rounds checked: the start of the run, up to the limit's R (at most 200: the claim is per round, not asymptotic). */
export function rowSpaceRounds(c: RegressionCase): number {
  return Math.min(200, limitRounds(c));
}

export const spec = defineTheorem<RegressionCase, number>({
  id: 'Z-R1-row-space',
  title: 'Local-GD iterates stay in w0 + row(X) (any K, L_k, weights, w0)',
  source: {
    paper: 'Zhu, Vardhan, Mazumdar, arXiv 2412.07971',
    version: 'derived (docs/theory.md#12-regression, the "why" of R-exact)',
    locator: 'docs/theory.md#12-regression R-exact proof sketch; docs/theory.md#02-certified-references centralized GD limit',
    provenance: ['derived', 'num'],
  },
  statement: STATEMENT,
  kind: 'upper-bound',
  requires: ['localGD'],
  hypotheses: [interpolation, contraction, positiveRun],
  // w0 outside row(X) in most draws: that is where the claim has content (and where a wrong aggregation shows)
  instances: fc.oneof({ arbitrary: interpolatingCases({ w0: 'outside' }), weight: 3 }, { arbitrary: interpolatingCases({ w0: 'any' }), weight: 1 }),
  observe: (c, subject) => {
    const t = runLocalGD(subject, c, rowSpaceRounds(c), 'all');
    let worst = 0;
    for (const w of t.models) worst = Math.max(worst, rowDistance(c.basis.Q, w.map((v, i) => v - c.w0[i])));
    return worst;
  },
  bound: () => 0,
  tolerance: (c) => {
    const R = rowSpaceRounds(c);
    const lim = c.limit();
    const E0 = dist2(c.w0, lim);
    const W = norm2(lim) + c.round.growth * E0;
    const D = roundRounding(c.dataset, c.eta, c.L, c.alpha, c.round.growth, W);
    // why: the null-space part of each round's rounding error is never contracted (T = I on null(X)), so it adds up
    // over R rounds; measuring dist(w - w0, span Q) adds (angle + 4 d eps) ||w - w0||
    const measure = (c.basis.angle + 4 * c.dataset.d * EPS) * (W + norm2(c.w0));
    return { abs: R * D + measure, why: `R D = ${R} x ${D.toExponential(2)} (null-space rounding accumulates) + measurement ${measure.toExponential(2)}` };
  },
  nonVacuous: (c, _o) => dist2(c.w0, c.limit()) > 0 || 'w0 is already the limit (e.g. y = 0 and w0 = 0): nothing moves',
  profiles: { ci: 20, default: 100, hunt: 1000 },
  hints: ['an aggregation whose weights do not sum to 1 (e.g. a sum started from the previous model, planted bug docs/planted-bugs.md#m03-accumulator-not-reset) scales the null-space part of w0'],
});
