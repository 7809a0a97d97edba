/**
 * Z-V2-non-commuting: v1 against v2, the two limits do not commute. Taking L -> infinity first (exact local solves,
 * averaged max-margin projections, v1's regime) ends at a feasible point p_inf that is generally not w_hat; taking
 * k -> infinity at fixed L (v2's regime, step condition eta L beta <= 1) drifts towards w_hat. At a finite budget the
 * drift is visible in the direction of the late increment w^{k2} - w^{k1} (the bounded residual rho^k cancels in it):
 * in at least half of the label-skewed draws it is closer to w_hat than p_inf is (docs/theory.md#14-non-commuting-limits, docs/theory.md#51-classification-target; [NUM]:
 * 29/40 and 28/40 draws at k1 = 4096, k2 = 16384, L = 2).
 */
import { smoothness } from '../../src/arbitraries/index.ts';
import type { SeparableClassification } from '../../src/arbitraries/index.ts';
import { modifiedLocalGD } from '../../src/optimizers/modifiedLocalGD.ts';
import { capability } from '../../src/subject/index.ts';
import { defineTheorem } from '../../src/spec/index.ts';
import { ang, eventOf, minus, pocsReference, skewedSeparable } from './modified.support.ts';
import type { ModifiedRun, TraceRun } from './modified.support.ts';

export const L_FIXED = 2;
export const K1 = 4096;
export const K2 = 4 * K1;
/** M-avg rounds for the v1 limit point (at its limit to rounding by 200 on every measured draw) */
export const POCS_ROUNDS = 200;

/** [ang(w^{K2} - w^{K1}, w_hat), ang(p_inf, w_hat)] */
export function driftVersusPocs(sc: SeparableClassification, localGD: TraceRun): [number, number] {
  const ds = sc.dataset;
  const wHat = sc.reference().wHat;
  const eta = 1 / (smoothness(ds, 'exponential') * L_FIXED);
  const t = localGD(ds, { loss: { name: 'exponential' }, eta, L: L_FIXED, R: K2, alpha: 'samples', record: [K1, K2] });
  const drift = ang(minus(t.models[1], t.models[0]), wHat);
  const pInf = pocsReference(ds, [POCS_ROUNDS], modifiedLocalGD.run as unknown as ModifiedRun)[0];
  const a = ang(pInf, wHat);
  if (!Number.isFinite(drift) || !Number.isFinite(a)) throw new Error(`Z-V2-non-commuting: non-finite direction error (drift ${drift}, POCS ${a})`);
  return [drift, a];
}

export const spec = defineTheorem<SeparableClassification>({
  id: 'Z-V2-non-commuting',
  title: 'v1 vs v2: the k -> infinity drift of Local-GD at fixed L is closer to w_hat than the L -> infinity (POCS) limit point',
  source: {
    paper: 'Zhu, Vardhan, Mazumdar, arXiv 2412.07971',
    version: 'v1 (10 Dec 2024) "same feasible set" against v2 (21 Mar 2026) "exactly ... in direction"',
    locator: 'v1 and v2 abstracts [READ-2]; docs/theory.md#14-non-commuting-limits (non-commuting limits), docs/theory.md#51-classification-target; drift measurement [NUM]',
    provenance: ['read-2', 'derived', 'num'],
  },
  statement: String.raw`\Pr\Big[\operatorname{ang}\big(w^{k_2}_{L}-w^{k_1}_{L},\hat w\big) < \operatorname{ang}\big(p^{\infty},\hat w\big)\Big]\ge\tfrac12,\quad L=2,\ \eta=\tfrac1{\beta L},\ k_1=4096,\ k_2=4k_1,\ p^{k+1}=\sum_m\alpha_m P_m(p^k),\ p^0=0`,
  kind: 'frequency',
  requires: ['localGD'],
  hypotheses: [
    { name: 'data split over >= 2 nodes', check: (sc) => sc.dataset.nodes.filter((nd) => nd.X.rows > 0).length >= 2 || `${sc.dataset.nodes.length} node(s)` },
    { name: 'labels sorted before the split (label skew)', check: (sc) => sc.meta.labelSkew === 'sorted' || `label skew '${sc.meta.labelSkew}'` },
    { name: 'pooled data separable through the origin', check: (sc) => sc.meta.marginRatioBound > 0 || `certified margin ratio ${sc.meta.marginRatioBound}` },
  ],
  instances: skewedSeparable(),
  frequency: {
    statistic: (sc, subject) => eventOf(() => {
      const [drift, pocs] = driftVersusPocs(sc, capability<TraceRun>(subject, 'localGD'));
      return drift < pocs;
    }),
    claimedFrequency: 0.5,
    claim: 'at-least',
    // at 99%, false alarm <= 1e-2 at the claimed 1/2 (exact sizes in the note; far less at the measured 0.72). Power
    // against a true frequency of 0.3 (exact binomial): 0.908 at the default profile's 80 samples, 0.577 at ci's 40;
    // the M10 teeth (measured rate 17/300 = 0.057) are refuted at ci with probability > 0.9999.
    samples: { ci: 40, default: 80 },
    alternative: 0.3,
    confidence: 0.99,
    method: 'monte-carlo',
  },
  hints: ['a low frequency: Local-GD at fixed L is not heading to w_hat (nodes not restarted from the global model?), or a single node makes p_inf = w_hat'],
});
