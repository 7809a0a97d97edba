/**
 * Z-M1-not-max-margin: the limit of M-avg (averaged exact max-margin projections, our idealisation of v1's
 * exact-local-solve regime) is generally NOT the max-margin direction: on label-skewed data split over >= 2 nodes its
 * direction error to w_hat exceeds 1e-2 in at least half of the draws (Clopper-Pearson decision). docs/theory.md#14-non-commuting-limits [NUM]
 * reports 20/20 seeds with errors 0.031-0.195 (d = 20); proofs-notes/modified-local-gd.md has a closed-form example
 * (error 0.3204).
 */
import { capability } from '../../src/subject/index.ts';
import { defineTheorem } from '../../src/spec/index.ts';
import type { SeparableClassification } from '../../src/arbitraries/index.ts';
import { ang, eventOf, exactProjection, skewedSeparable } from './modified.support.ts';
import type { ModifiedRun } from './modified.support.ts';

/** rounds: M-avg reached its limit to <= 1e-13 in min margin by round 200 on every measured draw (proofs-notes/Z-M1-not-max-margin.md) */
export const ROUNDS = 200;
/** the direction-error threshold of "not the max-margin direction" */
export const ANG_THRESHOLD = 1e-2;

/** true iff the M-avg iterate after ROUNDS rounds from 0 is more than ANG_THRESHOLD away from w_hat in direction */
export function avgMissesMaxMargin(sc: SeparableClassification, run: ModifiedRun): boolean {
  const t = run(sc.dataset, { variant: 'avg', R: ROUNDS, alpha: 'samples', record: 'last', project: exactProjection });
  const a = ang(t.models[t.models.length - 1], sc.reference().wHat);
  if (!Number.isFinite(a)) throw new Error(`Z-M1-not-max-margin: direction error is ${a} (zero or non-finite model)`);
  return a > ANG_THRESHOLD;
}

export const spec = defineTheorem<SeparableClassification>({
  id: 'Z-M1-not-max-margin',
  title: 'M-avg (v1 regime: averaged exact max-margin projections) generally does not reach the max-margin direction',
  source: {
    paper: 'Zhu, Vardhan, Mazumdar, arXiv 2412.07971',
    version: 'v1 (10 Dec 2024) abstract: "converges (in direction) to the same feasible set as centralized model"',
    locator: 'v1 abstract [READ-2]; docs/theory.md#14-non-commuting-limits (20/20 seeds, ang 0.031-0.195), docs/theory.md#15-modified-local-gd M-avg, docs/theory.md#6-property-catalogue Z-M1',
    provenance: ['read-2', 'num'],
  },
  statement: String.raw`\Pr_{\text{label-skewed data, } M\ge 2}\Big[\operatorname{ang}\big(w^{K}_{\text{M-avg}},\hat w\big) > 10^{-2}\Big] \ge \tfrac12,\quad K = 200,\ w^0 = 0`,
  kind: 'frequency',
  requires: ['modifiedLocalGD'],
  hypotheses: [
    { name: 'data split over >= 2 nodes', check: (sc) => sc.dataset.nodes.filter((nd) => nd.X.rows > 0).length >= 2 || `${sc.dataset.nodes.length} node(s)` },
    { name: 'labels sorted before the split (label skew)', check: (sc) => sc.meta.labelSkew === 'sorted' || `label skew '${sc.meta.labelSkew}'` },
    { name: 'pooled data separable through the origin', check: (sc) => sc.meta.marginRatioBound > 0 || `certified margin ratio ${sc.meta.marginRatioBound}` },
  ],
  instances: skewedSeparable(),
  frequency: {
    statistic: (sc, subject) => eventOf(() => avgMissesMaxMargin(sc, capability<ModifiedRun>(subject, 'modifiedLocalGD'))),
    claimedFrequency: 0.5,
    claim: 'at-least',
    // power against a true frequency of 0.2 (exact binomial): 0.957 at the default profile's 40 samples, 0.656 at ci's 24
    samples: { ci: 24, default: 40 },
    alternative: 0.2,
    confidence: 0.99,
    method: 'monte-carlo',
  },
  hints: ['a frequency near 0 means the "avg" variant reaches w_hat: it anchors/shrinks (that is M-anchor), or there is only one node'],
});
