/**
 * Z-V3-l-uniform-rate — a HUNT, expected to be REFUTED. It encodes the L-uniform reading of v2's rate claim as we
 * read it (Thm 2 per the ICLR reviews: direction error O(1/log(Lk)) under eta <= 1/L): ONE constant C, independent of
 * L, with ang(w^k_L, w_hat) <= C / log(L k) for every L and k, with eta_L = 1/(beta L) (the largest step the condition
 * allows). C is fitted on L = 1 (centralized GD with step 1/beta) over the same rounds. Our finding (the test asserts
 * 'violated'): fast-check finds and shrinks a counterexample on almost every draw; at eta_L = 1/(beta L) the error at
 * round k barely depends on L while C/log(Lk) shrinks with L (Reviewer 2's objection). See
 * proofs-notes/Z-V3-l-uniform-rate.md for the shrunk counterexample and the measured numbers, including the
 * fixed-eta reading.
 */
import { EPS } from '../../src/numeric/index.ts';
import { smoothness } from '../../src/arbitraries/index.ts';
import type { SeparableClassification } from '../../src/arbitraries/index.ts';
import { centralizedGD } from '../../src/optimizers/centralizedGD.ts';
import { capability } from '../../src/subject/index.ts';
import { defineTheorem } from '../../src/spec/index.ts';
import { ang, skewedSeparable } from './modified.support.ts';
import type { TraceRun } from './modified.support.ts';

export const LS = [4, 16, 64] as const;
export const KS = [4, 16, 64, 256] as const;
const LOSS = { name: 'exponential' } as const;

/** C = max_k ang(v^k, w_hat) log k over KS, v = centralized GD with step 1/beta (= Local-GD with L = 1) */
export function fittedConstant(sc: SeparableClassification): number {
  const ds = sc.dataset;
  const v = centralizedGD.run(ds, { loss: LOSS, eta: 1 / smoothness(ds, LOSS), T: KS[KS.length - 1], record: [...KS] });
  const wHat = sc.reference().wHat;
  return Math.max(...v.models.map((w, i) => ang(w, wHat) * Math.log(KS[i])));
}

/** ang(w^k_L, w_hat) log(L k) for L in LS (outer) and k in KS (inner), eta_L = 1/(beta L) */
export function scaledErrors(sc: SeparableClassification, localGD: TraceRun): number[] {
  const ds = sc.dataset;
  const beta = smoothness(ds, LOSS);
  const wHat = sc.reference().wHat;
  return LS.flatMap((L) => {
    const t = localGD(ds, { loss: LOSS, eta: 1 / (beta * L), L, R: KS[KS.length - 1], alpha: 'samples', record: [...KS] });
    return t.models.map((w, i) => ang(w, wHat) * Math.log(L * KS[i]));
  });
}

export const spec = defineTheorem<SeparableClassification, number[]>({
  id: 'Z-V3-l-uniform-rate',
  title: 'HUNT (claim as read; our finding refutes it): one L-independent C with ang(w^k, w_hat) <= C/log(Lk) under eta = 1/(beta L)',
  source: {
    paper: 'Zhu, Vardhan, Mazumdar, arXiv 2412.07971',
    version: 'v2 (21 Mar 2026) / ICLR 2026 riWQNV1LOC Thm 2 as reported by the reviews: "O(1/log(Lk))" with eta = O(1/L)',
    locator: 'ICLR reviews of riWQNV1LOC (Thm 2, Reviewer 2 on L-dependent constants) [READ-2]; docs/theory.md#13-classification-with-local-gd, docs/theory.md#14-non-commuting-limits hunt 1, docs/theory.md#53-rate-in-l',
    provenance: ['read-2', 'num'],
  },
  statement: String.raw`\exists C\ \forall L,k:\ \operatorname{ang}(w^k_L,\hat w)\le \frac{C}{\log(Lk)},\quad \eta_L=\frac1{\beta L},\ \ C=\max_{k}\operatorname{ang}(w^k_1,\hat w)\log k,\ k\in\{4,16,64,256\},\ L\in\{4,16,64\}`,
  // the L-uniform reading is refuted by search on a correct optimizer (see the note): a recorded finding
  expect: 'refuted',
  kind: 'upper-bound',
  requires: ['localGD'],
  hypotheses: [
    { name: 'pooled data separable through the origin', check: (sc) => sc.meta.marginRatioBound > 0 || `certified margin ratio ${sc.meta.marginRatioBound}` },
  ],
  instances: skewedSeparable(),
  observe: (sc, subject) => scaledErrors(sc, capability<TraceRun>(subject, 'localGD')),
  bound: (sc) => {
    const C = fittedConstant(sc);
    return LS.flatMap(() => KS.map(() => C));
  },
  tolerance: {
    abs: 64 * LS[LS.length - 1] * KS[KS.length - 1] * EPS * 2 * Math.log(LS[LS.length - 1] * KS[KS.length - 1]),
    why: 'rounding only: <= L k sequential local steps of a few eps each on a direction error <= 2, times log(L k)',
  },
  plot: {
    title: 'ang(w^k_L, w_hat) log(Lk) against rounds for each L (eta = 1/(beta L)), with the constant C fitted at L = 1',
    x: { title: 'round k', scale: 'log' },
    y: { title: 'ang(w^k_L, w_hat) log(Lk)' },
    series: (sc, observed, bound) => {
      const o = Array.from(observed);
      const C = (bound as number[])[0];
      return {
        label: `d = ${sc.dataset.d}, ${sc.dataset.nodes.length} nodes`,
        lines: [
          ...LS.map((L, j) => ({ name: `L = ${L}`, x: [...KS], y: KS.map((_, i) => o[j * KS.length + i]) })),
          { name: 'C (fitted at L = 1)', role: 'reference' as const, x: [KS[0], KS[KS.length - 1]], y: [C, C] },
        ],
      };
    },
  },
  profiles: { ci: 4, default: 25, hunt: 250 },
  hints: ['expected: the L-uniform reading is false; the constant grows with log(Lk)/log(k) when eta scales as 1/L'],
});
