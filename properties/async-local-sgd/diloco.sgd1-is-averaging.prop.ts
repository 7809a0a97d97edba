/**
 * DiLoCo (Algorithm 1) with OuterOpt = SGD(lr 1, no momentum) is parameter averaging (FedAvg / Local-SGD):
 * theta - mean_i(theta - theta_i) = mean_i theta_i (docs/theory.md#31-diloco). The subject's 'diloco' after each of R
 * outer steps, against FedAvg computed here from the model's gradient: each active worker runs its tau_i
 * full-batch GD steps from theta on its pinned shard (tau_i = H, or eq. 6 with DyLU), then theta = mean.
 */
import fc from 'fast-check';
import { defineTheorem } from '../../src/spec/index.ts';
import { capability } from '../../src/subject/index.ts';
import { EPS } from '../../src/numeric/index.ts';
import type { AsyncHyper, AsyncProblem } from '../../src/optimizers/async/index.ts';
import { workerSpeeds } from '../../src/arbitraries/index.ts';
import { concat, exactDylu, maxAbs, PAPER, VERSION, type AsyncRunFn } from './_shared.ts';
import { gradientEntryBound, mixtureProblem, softmaxSmoothness, type MixtureSpec } from './_mixture.ts';

export interface AveragingRun {
  readonly data: MixtureSpec;
  readonly speeds: readonly number[];
  readonly dylu: boolean;
  readonly H: number;
  readonly R: number;
  /** inner rate as a fraction of 2 / L */
  readonly lrFraction: number;
  readonly outerEps: number;
  readonly outerBeta: number;
}

const instances: fc.Arbitrary<AveragingRun> = workerSpeeds({ minWorkers: 1, maxWorkers: 4 }).chain((ws) =>
  fc.record({
    data: fc.record({ dataSeed: fc.nat(1 << 20), d: fc.integer({ min: 2, max: 4 }), C: fc.integer({ min: 2, max: 3 }), shards: fc.constant(ws.speeds.length), perShard: fc.integer({ min: 1, max: 16 }) }),
    speeds: fc.constant(ws.speeds),
    dylu: fc.boolean(),
    H: fc.integer({ min: 1, max: 6 }),
    R: fc.integer({ min: 1, max: 5 }),
    lrFraction: fc.integer({ min: 1, max: 16 }).map((j) => j / 16),
    outerEps: fc.constant(1),
    outerBeta: fc.constant(0),
  }),
);

interface Reference {
  readonly problem: AsyncProblem;
  readonly lr: number;
  readonly tau: number[];
  readonly thetas: Float64Array[];
  /** max |entry| of every global and local model on the way */
  readonly S: number;
}

const cache = new WeakMap<AveragingRun, Reference>();
/** FedAvg by hand (pure; memoised per instance object). */
export function fedAvg(p: AveragingRun): Reference {
  const hit = cache.get(p);
  if (hit) return hit;
  const problem = mixtureProblem(p.data);
  const { model, shards } = problem;
  const lr = (p.lrFraction * 2) / softmaxSmoothness(problem);
  const tau = p.dylu ? exactDylu(p.speeds, p.H, 1) : p.speeds.map(() => p.H);
  let theta = new Float64Array(model.dim);
  const g = new Float64Array(model.dim);
  const thetas: Float64Array[] = [];
  let S = 0;
  for (let r = 0; r < p.R; r++) {
    const next = new Float64Array(model.dim);
    shards.forEach((s, i) => {
      const w = Float64Array.from(theta);
      for (let t = 0; t < tau[i]; t++) {
        model.lossAndGrad(w, s.X, s.y, g);
        for (let j = 0; j < w.length; j++) w[j] -= lr * g[j];
        S = Math.max(S, maxAbs(w));
      }
      for (let j = 0; j < w.length; j++) next[j] += w[j] / shards.length;
    });
    theta = next;
    S = Math.max(S, maxAbs(theta));
    thetas.push(theta);
  }
  const ref = { problem, lr, tau, thetas, S };
  cache.set(p, ref);
  return ref;
}

export const spec = defineTheorem({
  id: 'A-8',
  title: 'DiLoCo with outer SGD (lr 1, no momentum) is parameter averaging (FedAvg)',
  source: { paper: PAPER, version: VERSION, locator: 'Sec. 2, Algorithm 1 (DiLoCo); docs/theory.md#31-diloco', provenance: ['read', 'derived'] },
  statement: String.raw`\mathrm{OuterOpt} = \mathrm{SGD}(\epsilon = 1, \beta = 0):\quad \theta^{(t)} = \theta^{(t-1)} - \frac1k\sum_{i=1}^k \big(\theta^{(t-1)} - \theta_i^{(t)}\big) = \frac1k \sum_{i=1}^k \theta_i^{(t)}`,
  kind: 'equivalence',
  requires: ['diloco'],
  hypotheses: [
    { name: 'outer SGD with eps = 1, beta = 0', check: (p: AveragingRun) => (p.outerEps === 1 && p.outerBeta === 0) || `eps ${p.outerEps}, beta ${p.outerBeta}` },
    { name: 'inner rate <= 2/L (tolerance: local map 1-Lipschitz)', check: (p: AveragingRun) => (p.lrFraction > 0 && p.lrFraction <= 1) || `lr fraction ${p.lrFraction}` },
  ],
  instances,
  observe: (p, subject) => {
    const { problem, lr, tau } = fedAvg(p);
    // one outer step applies sum tau_i local steps: stop after exactly R of them
    const hyper: AsyncHyper = {
      k: p.speeds.length, speeds: p.speeds, H: p.H, inner: { kind: 'sgd', lr }, outer: { kind: 'sgd', eps: p.outerEps, beta: p.outerBeta },
      dylu: p.dylu, gracePeriod: 0, tMax: p.R * tau.reduce((a, b) => a + b, 0), seed: 0, shardMode: 'pinned',
      record: Array.from({ length: p.R }, (_, r) => r + 1),
    };
    return concat(capability<AsyncRunFn>(subject, 'diloco')(problem, hyper).models);
  },
  bound: (p) => concat(fedAvg(p).thetas),
  tolerance: (p) => {
    const { problem, lr, tau, S } = fedAvg(p);
    const k = p.speeds.length;
    const { d, C, perShard } = p.data;
    const perRound = (k + 4) * EPS * S + Math.max(...tau) * (perShard + d + C + 4) * EPS * (S + lr * gradientEntryBound(problem));
    return {
      abs: p.R * Math.sqrt(problem.model.dim) * perRound,
      why: 'per round (k+4) EPS S for theta - mean(theta - theta_i) vs mean(theta_i), plus gradient and step roundings per inner step; GD (lr <= 2/L) and averaging are 1-Lipschitz, so R rounds add',
    };
  },
  profiles: { ci: 25, default: 100, hunt: 2000 },
  hints: ['a flipped pseudo-gradient (docs/planted-bugs.md#m05-pseudo-gradient-sign) gives theta + mean(theta - theta_i); DyLU from the slowest worker (docs/planted-bugs.md#m13-dylu-slowest-reference) changes the step counts'],
});
