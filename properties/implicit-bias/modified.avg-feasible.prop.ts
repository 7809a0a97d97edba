/**
 * Z-M1-feasible: averaged exact max-margin projections (M-avg, our construction of v1's idealised regime) from any
 * w^0 outside the interior of C = {u : Z u >= 1} never enter the interior, and approach C at the Drori-Teboulle rate
 * of gradient descent on the proximity function; so the limit has min margin exactly 1 (v1's "same feasible set").
 * proofs-notes/Z-M1-feasible.md derives both halves.
 */
import fc from 'fast-check';
import { EPS } from '../../src/numeric/index.ts';
import { capability } from '../../src/subject/index.ts';
import { defineTheorem } from '../../src/spec/index.ts';
import type { SeparableClassification } from '../../src/arbitraries/index.ts';
import { dist, exactProjection, gramCondition, minMargin, nodeRadius, norm, radius, sampleWeights, skewedSeparable } from './modified.support.ts';
import type { ModifiedRun } from './modified.support.ts';

/** rounds of M-avg: enough for the a priori deficit bound to fall below 1 on most draws (measured), cheap with exact f64 projections */
const ROUNDS = 200;

export interface FeasibleInstance {
  readonly sc: SeparableClassification;
  /** the start w^0; min margin(w^0) <= 1 by construction (0, or a dyadic vector halved until it is outside int C) */
  readonly w0: Float64Array;
}

/** w^0 = 0, or an integer vector on the 1/2 grid halved (exactly) until its min margin is at most 1. */
export function startOutsideInterior(sc: SeparableClassification, v: readonly number[], zero: boolean): Float64Array {
  const w = Float64Array.from({ length: sc.dataset.d }, (_, j) => (zero ? 0 : v[j % v.length] / 2));
  while (minMargin(sc.dataset, w) > 1) for (let j = 0; j < w.length; j++) w[j] /= 2;
  return w;
}

export const instances: fc.Arbitrary<FeasibleInstance> = fc
  .tuple(skewedSeparable(), fc.array(fc.integer({ min: -8, max: 8 }), { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([sc, v, zero]) => ({ sc, w0: startOutsideInterior(sc, v, zero) }));

/** max_m R_m ||w^0 - w_hat|| / sqrt(alpha_m (2K + 1)): the a priori bound on the min-margin deficit after K rounds. */
export function deficitBound(inst: FeasibleInstance, K: number): number {
  const ds = inst.sc.dataset;
  const r0 = dist(inst.w0, inst.sc.reference().wHat);
  const alpha = sampleWeights(ds);
  let b = 0;
  alpha.forEach((a, m) => {
    if (a > 0) b = Math.max(b, (nodeRadius(ds, m) * r0) / Math.sqrt(a * (2 * K + 1)));
  });
  return b;
}

export const spec = defineTheorem<FeasibleInstance, number[]>({
  id: 'Z-M1-feasible',
  title: 'M-avg (averaged exact max-margin projections) stays outside int C and reaches its boundary: min margin of the limit = 1',
  source: {
    paper: 'Zhu, Vardhan, Mazumdar, arXiv 2412.07971',
    version: 'v1 (10 Dec 2024): "converges (in direction) to the same feasible set"; M-avg is our idealisation of it',
    locator: 'v1 abstract [READ-2]; docs/theory.md#14-non-commuting-limits, docs/theory.md#15-modified-local-gd (M-avg), docs/theory.md#6-property-catalogue Z-M1; proofs-notes/modified-local-gd.md (a)',
    provenance: ['read-2', 'derived'],
  },
  statement: String.raw`w^{k+1}=\sum_m \alpha_m P_m(w^k),\ \min_i z_i^\top w^0 \le 1 \;\Rightarrow\; \min_i z_i^\top w^K \le 1 \ \text{and}\ 1-\min_i z_i^\top w^K \le \max_m \frac{R_m\,\|w^0-\hat w\|}{\sqrt{\alpha_m(2K+1)}}`,
  kind: 'upper-bound',
  requires: ['modifiedLocalGD'],
  hypotheses: [
    { name: 'pooled data separable through the origin (C nonempty)', check: (i) => i.sc.meta.marginRatioBound > 0 || `certified margin ratio ${i.sc.meta.marginRatioBound}` },
    { name: 'w^0 outside int C (min margin of w^0 <= 1)', check: (i) => minMargin(i.sc.dataset, i.w0) <= 1 || `min margin of w^0 is ${minMargin(i.sc.dataset, i.w0)}` },
    { name: 'at most 12 rows per node (exact enumeration projector)', check: (i) => i.sc.dataset.nodes.every((nd) => nd.X.rows <= 12) || 'a node has more than 12 rows' },
  ],
  instances,
  observe: (inst, subject) => {
    const run = capability<ModifiedRun>(subject, 'modifiedLocalGD');
    const t = run(inst.sc.dataset, { variant: 'avg', R: ROUNDS, w0: inst.w0, alpha: 'samples', record: 'last', project: exactProjection });
    const m = minMargin(inst.sc.dataset, t.models[t.models.length - 1]);
    return [m - 1, 1 - m];
  },
  bound: (inst) => [0, deficitBound(inst, ROUNDS)],
  tolerance: (inst) => ({
    abs: 64 * ROUNDS * EPS * gramCondition(inst.sc.dataset) * radius(inst.sc.dataset) * (norm(inst.w0) + 2 * norm(inst.sc.reference().wHat)),
    why: 'each round adds a few eps of ||w|| <= ||w0|| + 2||w_hat|| (Fejer) times the Gram condition kappa of the projector solves, seen through a row of norm <= R; T is nonexpansive so errors add at most linearly: 64 K eps kappa R (||w0|| + 2||w_hat||)',
  }),
  profiles: { ci: 10, default: 60, hunt: 600 },
  hints: [
    'first entry > 0: the iterate entered the interior of C (an aggregation that overshoots, e.g. an accumulator that keeps the previous model)',
    'second entry > bound: the projections are not averaged with weights n_m/N, or a projection is not onto {Z_m u >= 1}',
  ],
});
