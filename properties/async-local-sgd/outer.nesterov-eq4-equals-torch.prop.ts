/**
 * the outer Nesterov of eq. 4 is PyTorch's `SGD(nesterov=True, dampening=0)`, over any sequence of
 * pseudo-gradients (docs/theory.md#33-outer-nesterov-and-sequential-updates). The subject's 'outerNesterov' runs the pushes; the bound is the
 * PyTorch rule transcribed from its documentation.
 */
import fc from 'fast-check';
import { defineTheorem } from '../../src/spec/index.ts';
import { capability } from '../../src/subject/index.ts';
import { EPS } from '../../src/numeric/index.ts';
import { betaArb, dyadicVec, epsArb, maxAbsAll, PAPER, runOuter, torchNesterov, VERSION, type NesterovFactory } from './_shared.ts';

export interface NesterovPushes {
  readonly theta0: number[];
  readonly pushes: number[][];
  readonly eps: number;
  readonly beta: number;
}

const instances: fc.Arbitrary<NesterovPushes> = fc
  .integer({ min: 1, max: 6 })
  .chain((n) => fc.record({ theta0: dyadicVec(n), pushes: fc.array(dyadicVec(n), { minLength: 1, maxLength: 8 }), eps: epsArb, beta: betaArb }));

/**
 * Rounding budget of two correct implementations of the same recurrence. With u = EPS/2 and
 * S = max_t (|theta_t| + eps (|g_t| + |buf_t|)): the buffer error grows by <= 2u S/eps per push and enters
 * theta with weight eps beta <= eps, theta itself rounds <= 3u S per push, so after P pushes one
 * implementation is within u S (3P + P(P+1)) of exact arithmetic; two are within twice that.
 */
export function nesterovTolerance(theta0: readonly number[], pushes: readonly (readonly number[])[], eps: number, beta: number): number {
  const ref = torchNesterov(theta0, pushes, eps, beta);
  const S = maxAbsAll(ref.thetas) + eps * (maxAbsAll(pushes) + ref.bufMax);
  const P = pushes.length;
  return (P * P + 4 * P) * EPS * S;
}

export const spec = defineTheorem({
  id: 'A-1',
  title: 'outer Nesterov (eq. 4) equals PyTorch nesterov SGD',
  source: { paper: PAPER, version: VERSION, locator: 'Sec. 3.3, eq. 4; docs/theory.md#33-outer-nesterov-and-sequential-updates', provenance: ['read', 'num'] },
  statement: String.raw`m_{t+1} = \beta m_t + g_t,\quad \theta_{t+1} = \theta_t - \epsilon\,(\beta^2 m_t + (1+\beta)\, g_t) \;\equiv\; b \leftarrow \beta b + g,\ \theta \leftarrow \theta - \epsilon\,(g + \beta b)`,
  kind: 'equivalence',
  requires: ['outerNesterov'],
  hypotheses: [
    { name: 'beta in [0, 1)', check: (p: NesterovPushes) => (p.beta >= 0 && p.beta < 1) || `beta = ${p.beta}` },
    { name: 'eps > 0', check: (p: NesterovPushes) => p.eps > 0 || `eps = ${p.eps}` },
  ],
  instances,
  observe: (p, subject) => runOuter(capability<NesterovFactory>(subject, 'outerNesterov')({ eps: p.eps, beta: p.beta }), p.theta0, p.pushes).at(-1)!,
  bound: (p) => torchNesterov(p.theta0, p.pushes, p.eps, p.beta).thetas.at(-1)!,
  tolerance: (p) => ({
    abs: nesterovTolerance(p.theta0, p.pushes, p.eps, p.beta),
    why: '(P^2 + 4P) EPS S: two roundings of the same recurrence over P pushes, S = max |theta| + eps (|g| + |buf|) on the path',
  }),
  profiles: { ci: 50, default: 200, hunt: 5000 },
  hints: [
    'a parameter update that uses g where the momentum buffer belongs (docs/planted-bugs.md#m01-outer-delta-not-momentum) or an EMA buffer (docs/planted-bugs.md#m07-momentum-ema) breaks this from the second push on',
  ],
});
