/**
 * Z-C2-margin: the normalised margin of Local-GD rises toward gamma* (theory.md §1.3, §6 Z-C2): the smoothed margin
 * psi(w^k)/||w^k|| (Lyu & Li 2020) is non-decreasing over geometric checkpoints after burn-in, and it lies below the
 * hard normalised margin min_i z_i^T w/||w||, which lies below gamma*. Any separable data (no asymptotic-regime
 * hypothesis: the monotonicity is a gradient-flow fact, not an asymptotic one); window k = 2^5..2^10.
 * Note: proofs-notes/Z-C2-margin.md.
 */
import { defineTheorem } from '../../src/spec/index.ts';
import {
  checkpoints, descentStep, directionFloor, localGDModels, normalisedMargin, separable, separableRun, smoothedMargin,
  unregularised,
} from './classification.support.ts';
import type { SeparableRun } from './classification.support.ts';

export const STATEMENT = String.raw`\tilde\gamma(w^{k_0}) \le \tilde\gamma(w^{k_1}) \le \dots \le \tilde\gamma(w^{k_5}) \le \gamma(w^{k_5}) \le \gamma^*,\qquad k_j = 2^{5+j},\quad \tilde\gamma(w) = \frac{\psi(w)}{\|w\|},\ \gamma(w) = \frac{\min_i z_i^\top w}{\|w\|},\ \gamma^* = \frac{1}{\|\hat w\|}`;

export const WINDOW = checkpoints(32, 5);

export const spec = defineTheorem<SeparableRun>({
  id: 'Z-C2-margin',
  title: 'The smoothed normalised margin of Local-GD is non-decreasing and stays below the hard margin and gamma*',
  source: {
    paper: 'Zhu, Vardhan, Mazumdar, arXiv 2412.07971 (margin toward gamma*); Lyu & Li, ICLR 2020 (smoothed-margin monotonicity)',
    version: 'v2 (21 Mar 2026) / ICLR 2026 submission, as reported in the abstracts and reviews',
    locator: 'classification theorem as summarised in theory.md §1.3; §6 Z-C2 (normalised margin); monotone quantity derived in the note',
    provenance: ['read-2', 'recalled', 'derived', 'num'],
  },
  statement: STATEMENT,
  kind: 'monotone',
  direction: 'non-decreasing',
  requires: ['localGD'],
  hypotheses: [separable, unregularised, descentStep],
  instances: separableRun({ thin: 'none' }),
  observe: (r, subject) => {
    const ws = localGDModels(subject, r, WINDOW);
    return [...ws.map((w) => smoothedMargin(r.loss.name, r.Z, w)), normalisedMargin(r.Z, ws[ws.length - 1]), r.gamma];
  },
  tolerance: (r) => {
    const T = r.L * WINDOW[WINDOW.length - 1];
    // a direction perturbed by floor moves every normalised margin by <= R floor; the log-sum-exp adds (N + 2) eps / ||w||, ||w|| >= 1/(2R) after 32 rounds
    const abs = r.radius * (directionFloor(T, r.dataset.d) + 2 * (r.Z.rows + 2) * Number.EPSILON);
    return { abs, why: `R (rounding of ${T} local steps in the direction + log-sum-exp of ${r.Z.rows} terms)` };
  },
  profiles: { ci: 10, default: 50, hunt: 500 },
  hints: [
    'the hard margin alone is not monotone (Lyu & Li 2020); its smoothed version is, for gradient flow and small steps',
    'a node that keeps its own local model (planted bug #10) moves the iterate away from the max-margin direction',
  ],
});
