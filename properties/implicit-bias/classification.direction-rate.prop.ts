/**
 * Z-C2-rate: after burn-in, the direction error of Local-GD falls like 1/log(eta L k): ang(w^k, wHat) log(eta R^2 L k)
 * stays within 1.2 times its value at the start of the window (theory.md §1.3, §1.7 C-direction, §6 Z-C2). Instances
 * and window as Z-C2-angle. Note: proofs-notes/Z-C2-rate.md.
 */
import { defineTheorem } from '../../src/spec/index.ts';
import {
  allSupport, directionExercised, angle, descentStep, directionFloor, directionRun, directionWindow, fastRegime, localGDModels, roundStep, separable,
  unregularised,
} from './classification.support.ts';
import type { SeparableRun } from './classification.support.ts';

export const STATEMENT = String.raw`\max_{k \in W} \frac{\operatorname{ang}(w^{k}, \hat w)\,\log(\eta R^2 L k)}{\operatorname{ang}(w^{k_0}, \hat w)\,\log(\eta R^2 L k_0)} \le 1.2,\qquad W = \{k_0, 2k_0, \dots, 32k_0\}\ \text{(the window of Z-C2-angle)}`;

/** the ratio bound of theory.md §1.7 C-direction */
export const RATE_RATIO = 1.2;

export const spec = defineTheorem<SeparableRun, number>({
  id: 'Z-C2-rate',
  title: 'The direction error of Local-GD falls like 1/log(eta L k) after burn-in (bounded ang x log ratio)',
  source: {
    paper: 'Zhu, Vardhan, Mazumdar, arXiv 2412.07971 (O(1/log(Lk)) direction rate); Soudry et al. JMLR 2018',
    version: 'v2 (21 Mar 2026) / ICLR 2026 submission, as reported in the abstracts and reviews',
    locator: 'classification theorem as summarised in theory.md §1.3; threshold 1.2 from theory.md §1.7 C-direction',
    provenance: ['read-2', 'derived', 'num'],
  },
  statement: STATEMENT,
  kind: 'upper-bound',
  requires: ['localGD'],
  hypotheses: [separable, unregularised, descentStep, roundStep, allSupport, fastRegime],
  instances: directionRun(),
  observe: (r, subject) => {
    const W = directionWindow(r);
    const a = localGDModels(subject, r, W).map((w) => angle(w, r.wHat));
    const clock = W.map((k) => Math.log(r.etaFraction * r.L * k));
    const floor = directionFloor(r.L * W[W.length - 1], r.dataset.d);
    // rounding folded in: each angle is known to +-floor
    let top = 0;
    for (let j = 0; j < W.length; j++) top = Math.max(top, (a[j] + floor) * clock[j]);
    return top / (Math.max(a[0] - floor, floor) * clock[0]);
  },
  bound: () => RATE_RATIO,
  tolerance: { rel: 4 * Number.EPSILON, why: 'the angles\' rounding is folded into the observed ratio; 4 eps covers the ratio\'s own products and division' },
  nonVacuous: (r) => directionExercised(r),
  profiles: { ci: 10, default: 50, hunt: 500 },
  hints: [
    'a ratio near 2 or more means the error does not shrink while log t grows: a wrong limit direction, e.g. nodes that keep their own local models (planted bug #10)',
    'an aggregation sum started from the previous model (planted bug #3) doubles the model each round and freezes the direction',
  ],
});
