/**
 * Z-C5-null-space: the part of the initial model outside span(z_i) is never touched by Local-GD on an unregularised
 * margin loss: P_perp w^k = P_perp w^0 for every round (every local gradient is a combination of the z_i). Hence it does
 * not change the limit direction (its norm stays fixed while ||w^k|| diverges). docs/theory.md#6-property-catalogue Z-C5.
 * Note: proofs-notes/Z-C5-null-space.md.
 */
import fc from 'fast-check';
import { EPS, rowSpaceBasis, svd } from '../../src/numeric/index.ts';
import type { Mat, Vec } from '../../src/numeric/index.ts';
import { defineTheorem } from '../../src/spec/index.ts';
import type { Hypothesis } from '../../src/spec/index.ts';
import {
  checkpoints, descentStep, localGDModels, norm, normBound, separable, separableRun, trajectoryFloor, unregularised,
} from './classification.support.ts';
import type { SeparableRun } from './classification.support.ts';

export const STATEMENT = String.raw`\big(I - P_{\mathrm{span}\{z_i\}}\big)\,(w^k - w^0) = 0 \quad \text{for every round } k \quad (\text{unregularised margin loss, any } w^0,\ L,\ \alpha)`;

export interface NullSpaceCase {
  readonly run: SeparableRun;
  /**
   * initial model (I - P) v for a dyadic v: outside span(z_i) up to rounding, so every margin z_i^T w0 is ~ eps and
   * f_k(w0) = f_k(0), which keeps eta R^2 <= 1 a descent step (a w0 with large negative margins overflows exp)
   */
  readonly w0: Vec;
}

export const ROUNDS = checkpoints(1, 8);

/** Orthonormal basis of span(z_i) (columns) and the condition number of the nonzero singular values. */
export function rowSpace(Z: Mat): { Q: Mat; kappa: number } {
  const { s, rank } = svd(Z);
  return { Q: rowSpaceBasis(Z), kappa: rank > 0 ? s[0] / s[rank - 1] : 1 };
}

/** (I - Q Q^T) v */
export function nullPart(Q: Mat, v: Vec): Vec {
  const out = Float64Array.from(v);
  for (let j = 0; j < Q.cols; j++) {
    let c = 0;
    for (let i = 0; i < Q.rows; i++) c += Q.data[i * Q.cols + j] * v[i];
    for (let i = 0; i < Q.rows; i++) out[i] -= c * Q.data[i * Q.cols + j];
  }
  return out;
}

const rankDeficient: Hypothesis<NullSpaceCase> = {
  name: 'span(z_i) is a proper subspace (rank < d; the instances have N <= 6 < 7 <= d), so w0 can leave it',
  check: (c) => {
    const rank = rowSpace(c.run.Z).Q.cols;
    return rank < c.run.dataset.d || `rank ${rank} = d = ${c.run.dataset.d} (N = ${c.run.Z.rows})`;
  },
};

const lift = (h: Hypothesis<SeparableRun>): Hypothesis<NullSpaceCase> => ({ name: h.name, check: (c) => h.check(c.run) });

export function nullSpaceCases(): fc.Arbitrary<NullSpaceCase> {
  return separableRun({ thin: 'none', data: { minDim: 7, maxDim: 8, maxNodes: 3, maxRowsPerNode: 2 } }).chain((run) =>
    fc.array(fc.integer({ min: -8, max: 8 }), { minLength: run.dataset.d, maxLength: run.dataset.d })
      .map((a) => ({ run, w0: nullPart(rowSpace(run.Z).Q, Float64Array.from(a, (v) => v / 4)) })));
}

export const spec = defineTheorem<NullSpaceCase, number>({
  id: 'Z-C5-null-space',
  title: 'Local-GD never changes the component of w0 outside span(z_i) (unregularised margin loss)',
  source: {
    paper: 'docs/theory.md#6-property-catalogue Z-C5 (our derivation; background: Soudry et al. JMLR 2018, any initialisation)',
    version: 'docs/theory.md as of this commit',
    locator: 'docs/theory.md#6-property-catalogue Z-C5',
    provenance: 'derived',
  },
  statement: STATEMENT,
  kind: 'upper-bound',
  requires: ['localGD'],
  hypotheses: [lift(separable), lift(unregularised), lift(descentStep), rankDeficient],
  instances: nullSpaceCases(),
  observe: (c, subject) => {
    const { Q } = rowSpace(c.run.Z);
    const ws = localGDModels(subject, c.run, ROUNDS, c.w0);
    let worst = 0;
    for (const w of ws) worst = Math.max(worst, norm(nullPart(Q, w.map((v, i) => v - c.w0[i]))));
    return worst;
  },
  bound: () => 0,
  tolerance: (c) => {
    const r = c.run;
    const d = r.dataset.d;
    const T = r.L * ROUNDS[ROUNDS.length - 1];
    const moved = normBound(r, T);
    const { kappa } = rowSpace(r.Z);
    // trajectory rounding (every direction), plus the f64 basis of span(z_i): SVD subspace error <= 4 d eps kappa
    const abs = trajectoryFloor(T, d, normBound(r, T, norm(c.w0))) + (4 * d * kappa + d + 2) * EPS * moved;
    return { abs, why: `rounding of ${T} local steps from w0 + f64 basis of span(z) (4 d eps kappa = ${kappa.toFixed(1)}) on ||w - w0|| <= eta R T` };
  },
  nonVacuous: (c) => norm(nullPart(rowSpace(c.run.Z).Q, c.w0)) > 0 || 'w0 lies in span(z_i): no component to preserve',
  profiles: { ci: 8, default: 40, hunt: 400 },
  hints: [
    'an aggregation sum started from the previous model (planted bug docs/planted-bugs.md#m03-accumulator-not-reset) doubles the null-space part every round',
    'an L2 term (weight decay) shrinks it by (1 - eta lambda) per step: the hypothesis "unregularised" matters',
  ],
});
