/**
 * Z-C2-rate: after burn-in, the direction error of Local-GD falls like 1/log(eta L k): ang(w^k, wHat) log(eta R^2 L k)
 * stays within 1.2 times its value at the start of the window (docs/theory.md#13-classification-with-local-gd, docs/theory.md#17-numerical-checks C-direction, docs/theory.md#6-property-catalogue Z-C2). Instances
 * and window as Z-C2-angle. The 1.2 is docs/theory.md's measured threshold, not a derived bound (O(1/log t) has no explicit
 * constant), and a correct optimizer exceeds it on a few draws in a thousand; so the claim is a FREQUENCY claim: the
 * ratio stays <= 1.2 on at least 95% of draws. Note: proofs-notes/Z-C2-rate.md.
 */
import { defineTheorem, type Subject } from '../../src/spec/index.ts';
import {
  allSupport, directionExercised, angle, descentStep, directionFloor, directionRun, directionWindow, fastRegime, localGDModels, roundStep, separable,
  unregularised,
} from './classification.support.ts';
import type { SeparableRun } from './classification.support.ts';

export const STATEMENT = String.raw`\Pr_{\text{instance}}\Big[\max_{k \in W} \frac{\operatorname{ang}(w^{k}, \hat w)\,\log(\eta R^2 L k)}{\operatorname{ang}(w^{k_0}, \hat w)\,\log(\eta R^2 L k_0)} \le 1.2\Big] \ge 0.95,\qquad W = \{k_0, 2k_0, \dots, 32k_0\}\ \text{(the window of Z-C2-angle)}`;

/** the ratio bound of docs/theory.md#17-numerical-checks C-direction */
export const RATE_RATIO = 1.2;

/**
 * max over the window of ang x log(clock), relative to the window's start. Each angle's rounding floor is folded in
 * (numerator + floor, denominator - floor), so rounding can only raise the ratio.
 */
export function rateRatio(r: SeparableRun, subject: Subject): number {
  const W = directionWindow(r);
  const a = localGDModels(subject, r, W).map((w) => angle(w, r.wHat));
  const clock = W.map((k) => Math.log(r.etaFraction * r.L * k));
  const floor = directionFloor(r.L * W[W.length - 1], r.dataset.d);
  let top = 0;
  for (let j = 0; j < W.length; j++) top = Math.max(top, (a[j] + floor) * clock[j]);
  return top / (Math.max(a[0] - floor, floor) * clock[0]);
}

export const spec = defineTheorem<SeparableRun, number>({
  id: 'Z-C2-rate',
  title: 'The direction error of Local-GD falls like 1/log(eta L k) after burn-in (bounded ang x log ratio)',
  source: {
    paper: 'Zhu, Vardhan, Mazumdar, arXiv 2412.07971 (O(1/log(Lk)) direction rate); Soudry et al. JMLR 2018',
    version: 'v2 (21 Mar 2026) / ICLR 2026 submission, as reported in the abstracts and reviews',
    locator: 'classification theorem as summarised in docs/theory.md#13-classification-with-local-gd; threshold 1.2 from docs/theory.md#17-numerical-checks C-direction',
    provenance: ['read-2', 'derived', 'num'],
  },
  statement: STATEMENT,
  kind: 'frequency',
  requires: ['localGD'],
  hypotheses: [separable, unregularised, descentStep, roundStep, allSupport, fastRegime],
  instances: directionRun(),
  frequency: {
    // a draw whose reference error is within the rounding floor at k0 (not exercised) counts as a success
    statistic: (r, subject) => !(directionExercised(r) === true) || rateRatio(r, subject) <= RATE_RATIO,
    claimedFrequency: 0.95,
    claim: 'at-least',
    // 40 draws at 99.9%: refuted iff <= 32 of 40 hold. False alarm <= 7.1e-4 at the claimed 0.95, 5e-13 at the
    // measured 0.997 (1 of 300 draws above 1.2); M10 holds on 164/300 draws and is missed w.p. 2.5e-4, M09 (155/300)
    // likewise. As an upper bound per draw it failed in CI on seed 1457683851 (ratio 1.216): see the note.
    samples: 40,
    // power against a true frequency of 0.7 (exact binomial, 40 samples, every profile): 0.945
    alternative: 0.7,
    confidence: 0.999,
    method: 'monte-carlo',
  },
  hints: [
    'a ratio near 2 or more means the error does not shrink while log t grows: a wrong limit direction, e.g. nodes that keep their own local models (planted bug docs/planted-bugs.md#m10-no-restart)',
    'an aggregation sum started from the previous model (planted bug docs/planted-bugs.md#m03-accumulator-not-reset) doubles the model each round and freezes the direction',
  ],
});
