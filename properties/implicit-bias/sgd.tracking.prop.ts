/**
 * Z-S1-tracking: on separable data, Local-SGD tracks synchronous minibatch SGD on the SAME minibatches at the matched
 * total step (docs/theory.md#16-local-sgd-and-non-separable-data "Local-SGD on separable data", docs/theory.md#6-property-catalogue Z-S1). The reference trajectory is the REFERENCE
 * implementation's Local-SGD (src/optimizers/localSGD.ts, never the subject) with L = 1 run for L k rounds: node k's
 * t-th local step draws its rows from the counter (minibatch, k, t) whatever L is, so the subject's Local-SGD(L) and the
 * reference use exactly the same row indices at every node-local step t, and the L = 1 run is centralized SGD whose
 * step-t minibatch is the alpha-weighted union of the nodes' t-th minibatches (with one node: centralized SGD on that
 * node's minibatches, bit for bit). A bug that affects L = 1 and L > 1 alike (weights, restarts) no longer cancels.
 * Offsets checked as in Z-C1.
 * Note: proofs-notes/Z-S1-tracking.md.
 */
import fc from 'fast-check';
import type { Vec } from '../../src/numeric/index.ts';
import { localSGD } from '../../src/optimizers/localSGD.ts';
import type { LocalSGDHyper } from '../../src/optimizers/localSGD.ts';
import { capability } from '../../src/subject/index.ts';
import type { RunFn } from '../../src/optimizers/types.ts';
import { defineTheorem } from '../../src/spec/index.ts';
import type { Hypothesis, Subject } from '../../src/spec/index.ts';
import {
  checkpoints, descentStep, distance, GROWTH, norm, normBound, pick, separable, separableRun, trackingRatios,
  trajectoryFloor, unregularised,
} from './classification.support.ts';
import type { SeparableRun } from './classification.support.ts';

export const STATEMENT = String.raw`D_k = \big\|w^k_{\text{Local-SGD}(L)} - w^{Lk}_{\text{Local-SGD}(1)}\big\|\ \text{(same node-local minibatches)}:\quad \max_{k \in W} D_k \le 1.5\,\max(D_{k_0}, \varepsilon\Delta_W),\qquad D_{k_{j+1}} \le \max(D_{k_j}, \varepsilon\Delta_W)\ \text{on the last three steps}`;

export const WINDOW = checkpoints(16, 6);

export interface SgdCase {
  readonly run: SeparableRun;
  /** minibatch size B */
  readonly B: number;
  /** RNG seed of both runs */
  readonly seed: number;
}

function sgdModels(run: RunFn<LocalSGDHyper>, c: SgdCase, L: number, rounds: readonly number[], who: string): Vec[] {
  const r = c.run;
  const tr = run(r.dataset, { loss: r.loss, eta: r.eta, L, B: c.B, seed: c.seed, R: rounds[rounds.length - 1], record: rounds });
  return pick(tr.rounds, tr.models, rounds, who);
}

const referenceRuns = new WeakMap<SgdCase, { models: Vec[]; norms: number[] }>();

/** The REFERENCE minibatch SGD (src/optimizers Local-SGD with L = 1, not the subject) at steps L k and its norms; memoised. */
export function referenceSgd(c: SgdCase): { models: Vec[]; norms: number[] } {
  let v = referenceRuns.get(c);
  if (v === undefined) {
    const models = sgdModels(localSGD.run, c, 1, WINDOW.map((k) => c.run.L * k), 'localSGD');
    v = { models, norms: models.map((w) => norm(w)) };
    referenceRuns.set(c, v);
  }
  return v;
}

/** Norms of the reference minibatch SGD at L k (see referenceSgd). */
export function referenceSgdNorms(c: SgdCase): number[] {
  return referenceSgd(c).norms;
}

const lift = (h: Hypothesis<SeparableRun>): Hypothesis<SgdCase> => ({ name: h.name, check: (c) => h.check(c.run) });

export function sgdCases(): fc.Arbitrary<SgdCase> {
  return fc.record({ run: separableRun({ thin: 'none' }), B: fc.integer({ min: 1, max: 2 }), seed: fc.integer({ min: 0, max: 0xffff }) });
}

export const spec = defineTheorem<SgdCase, number[]>({
  id: 'Z-S1-tracking',
  title: 'Local-SGD tracks minibatch SGD on the same minibatches at the matched total step on separable data',
  source: {
    paper: 'Zhu, Vardhan, Mazumdar, arXiv 2412.07971 (Local-SGD discussion, not read); Nacson, Srebro, Soudry AISTATS 2019 (SGD)',
    version: 'docs/theory.md#16-local-sgd-and-non-separable-data [DERIVED]; background Nacson et al. 2019 [READ-2]',
    locator: 'docs/theory.md#16-local-sgd-and-non-separable-data "Local-SGD on separable data", docs/theory.md#6-property-catalogue Z-S1',
    provenance: ['read-2', 'derived', 'num'],
  },
  statement: STATEMENT,
  kind: 'upper-bound',
  requires: ['localSGD'],
  // the reference path uses the gate's minibatch stream: a subject with its own sampler draws other rows
  sampler: 'gate',
  hypotheses: [lift(separable), lift(unregularised), lift(descentStep)],
  instances: sgdCases(),
  observe: (c, subject: Subject) => {
    const run = capability<RunFn<LocalSGDHyper>>(subject, 'localSGD');
    const r = c.run;
    const local = sgdModels(run, c, r.L, WINDOW, 'localSGD');
    const { models: sync, norms } = referenceSgd(c);
    const T = r.L * WINDOW[WINDOW.length - 1];
    // each trajectory (subject's and reference's, computed independently) carries at most trajectoryFloor of rounding; D inherits the sum
    const delta = 2 * trajectoryFloor(T, r.dataset.d, normBound(r, T));
    return trackingRatios(local.map((w, j) => distance(w, sync[j])), norms[norms.length - 1] - norms[0], delta);
  },
  bound: () => [GROWTH, 1],
  tolerance: {
    rel: 4 * Number.EPSILON,
    why: 'the trajectories\' rounding (2 T (d+2) eps eta R T) is folded into the ratios; 4 eps covers the ratio\'s own division and sums',
  },
  nonVacuous: (c) => {
    const n = referenceSgdNorms(c);
    return n[n.length - 1] >= 2 * n[0] || `the reference minibatch SGD norm grows only ${(n[n.length - 1] / n[0]).toFixed(2)}x over the window (need 2x)`;
  },
  profiles: { ci: 8, default: 40, hunt: 400 },
  hints: [
    'an aggregation sum started from the previous model (planted bug docs/planted-bugs.md#m03-accumulator-not-reset) doubles the model every round',
    'the L = 1 reference (src/optimizers) shares the subject\'s minibatch streams; a Local-SGD that re-draws or shifts them per round drifts apart',
    'an offset that grows like the iterates means a different limit direction: unweighted averaging (planted bug docs/planted-bugs.md#m02-uniform-weights) or nodes not restarted (planted bug docs/planted-bugs.md#m10-no-restart) do this',
  ],
});
