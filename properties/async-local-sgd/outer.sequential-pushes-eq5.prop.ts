/**
 * eq. 5 of the paper, generalised from k = 4 to any k: applying the same pseudo-gradient g k times
 * through outer Nesterov from momentum m gives a closed-form move, larger than k synchronous steps
 * (docs/theory.md#33-outer-nesterov-and-sequential-updates). The subject's 'outerNesterov' first takes some warm-up pushes (so m != 0), then g
 * k times; the bound is the closed form evaluated at the warm-up state of the PyTorch transcription.
 */
import fc from 'fast-check';
import { defineTheorem } from '../../src/spec/index.ts';
import { capability } from '../../src/subject/index.ts';
import { EPS } from '../../src/numeric/index.ts';
import { betaArb, dyadicVec, epsArb, maxAbsAll, PAPER, runOuter, torchNesterov, VERSION, type NesterovFactory } from './_shared.ts';

export interface RepeatedPush {
  readonly theta0: number[];
  /** pushes before the repeated one (build up the momentum m) */
  readonly warm: number[][];
  readonly g: number[];
  /** how many times g is applied */
  readonly k: number;
  readonly eps: number;
  readonly beta: number;
}

const instances: fc.Arbitrary<RepeatedPush> = fc.integer({ min: 1, max: 5 }).chain((n) =>
  fc.record({
    theta0: dyadicVec(n),
    warm: fc.array(dyadicVec(n), { maxLength: 4 }),
    g: dyadicVec(n),
    k: fc.integer({ min: 1, max: 8 }),
    eps: epsArb,
    beta: betaArb,
  }),
);

/** c_g(k) = sum_{j=1..k} sum_{i=0..j} beta^i and c_m(k) = sum_{j=1..k} beta^{j+1} (k = 4: eq. 5's coefficients). */
export function eq5Coefficients(k: number, beta: number): { cg: number; cm: number } {
  let cg = 0;
  let cm = 0;
  let geo = 1; // sum_{i=0..j} beta^i
  for (let j = 1; j <= k; j++) {
    geo += beta ** j;
    cg += geo;
    cm += beta ** (j + 1);
  }
  return { cg, cm };
}

function closedForm(p: RepeatedPush): Float64Array {
  const ref = torchNesterov(p.theta0, p.warm, p.eps, p.beta);
  const thetaW = ref.thetas.at(-1)!;
  const { cg, cm } = eq5Coefficients(p.k, p.beta);
  return thetaW.map((t, i) => t - p.eps * (cg * p.g[i] + cm * ref.buf[i]));
}

export const spec = defineTheorem({
  id: 'A-2',
  title: 'k equal pseudo-gradients applied one after another follow eq. 5 (amplified move, momentum decayed by beta^k)',
  source: { paper: PAPER, version: VERSION, locator: 'Sec. 3.3, eq. 5 (k = 4); docs/theory.md#33-outer-nesterov-and-sequential-updates', provenance: ['read', 'derived', 'num'] },
  statement: String.raw`\theta_{t+k} = \theta_t - \epsilon\Big[\Big(\sum_{j=1}^{k}\sum_{i=0}^{j}\beta^i\Big) g + \Big(\sum_{j=1}^{k}\beta^{j+1}\Big) m_t\Big],\quad m_{t+k} = \beta^k m_t + \frac{1-\beta^k}{1-\beta}\, g;\ k=4:\ \theta_{t+4} = \theta_t - \epsilon\big[(4+4\beta+3\beta^2+2\beta^3+\beta^4)\, g + \beta^2(1+\beta+\beta^2+\beta^3)\, m_t\big]`,
  kind: 'equivalence',
  requires: ['outerNesterov'],
  hypotheses: [
    { name: 'beta in [0, 1)', check: (p: RepeatedPush) => (p.beta >= 0 && p.beta < 1) || `beta = ${p.beta}` },
    { name: 'k >= 1', check: (p: RepeatedPush) => (Number.isInteger(p.k) && p.k >= 1) || `k = ${p.k}` },
  ],
  instances,
  observe: (p, subject) => {
    const opt = capability<NesterovFactory>(subject, 'outerNesterov')({ eps: p.eps, beta: p.beta });
    return runOuter(opt, p.theta0, [...p.warm, ...Array.from({ length: p.k }, () => p.g)]).at(-1)!;
  },
  bound: closedForm,
  tolerance: (p) => {
    const all = [...p.warm, ...Array.from({ length: p.k }, () => p.g)];
    const ref = torchNesterov(p.theta0, all, p.eps, p.beta);
    const S = maxAbsAll(ref.thetas) + p.eps * (maxAbsAll(all) + ref.bufMax);
    const Q = all.length;
    return {
      abs: (Q * Q + 4 * Q + 4 * (p.k + 1) ** 2) * EPS * S,
      why: '(Q^2 + 4Q) EPS S for the Q-push recurrence (as A-1) plus 4 (k+1)^2 EPS S for the closed form, whose coefficients are <= (k+1)^2',
    };
  },
  profiles: { ci: 50, default: 200, hunt: 5000 },
  hints: ['an EMA momentum (docs/planted-bugs.md#m07-momentum-ema) or a parameter step without the buffer (docs/planted-bugs.md#m01-outer-delta-not-momentum) changes both coefficients'],
});
