/**
 * one cycle of N pushes through Delayed Nesterov (Algorithm 3) moves theta by the cycle identity of
 * docs/theory.md#34-delayed-nesterov; with c = 0 that is exactly one Nesterov step (eq. 4) on the mean of the N pushes, N = 1 is
 * per-push Nesterov and beta = 0 is SGD with rate eps / N. The subject's 'delayedNesterov' runs whole
 * cycles; the bound applies the identity cycle by cycle.
 */
import fc from 'fast-check';
import { defineTheorem } from '../../src/spec/index.ts';
import { capability } from '../../src/subject/index.ts';
import { EPS } from '../../src/numeric/index.ts';
import { betaArb, concat, dyadicVec, epsArb, maxAbs, maxAbsAll, PAPER, runOuter, VERSION, type DelayedNesterovFactory } from './_shared.ts';

export interface DnCycles {
  readonly theta0: number[];
  readonly N: number;
  /** momentum activation, on the grid j / (16 N), j = 0..16 */
  readonly c: number;
  readonly eps: number;
  readonly beta: number;
  /** cycles * N pushes */
  readonly pushes: number[][];
}

const instances: fc.Arbitrary<DnCycles> = fc
  .record({ n: fc.integer({ min: 1, max: 5 }), N: fc.integer({ min: 1, max: 6 }), cycles: fc.integer({ min: 1, max: 3 }), j: fc.integer({ min: 0, max: 16 }) })
  .chain(({ n, N, cycles, j }) =>
    fc.record({
      theta0: dyadicVec(n),
      N: fc.constant(N),
      c: fc.constant(j / 16 / N),
      eps: epsArb,
      beta: betaArb,
      pushes: fc.array(dyadicVec(n), { minLength: cycles * N, maxLength: cycles * N }),
    }),
  );

/** The cycle identity applied cycle by cycle from m = 0; theta after each cycle, and max |m|. */
export function cycleIdentity(p: DnCycles): { thetas: Float64Array[]; mMax: number } {
  const n = p.theta0.length;
  const { N, c, eps, beta } = p;
  let theta = Float64Array.from(p.theta0);
  let m = new Float64Array(n);
  let mMax = 0;
  const thetas: Float64Array[] = [];
  for (let start = 0; start + N <= p.pushes.length; start += N) {
    const next = new Float64Array(n);
    const mNew = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = start; j < start + N; j++) sum += p.pushes[j][i];
      const mean = sum / N;
      mNew[i] = beta * m[i] + mean;
      next[i] = theta[i] - eps * (mean + beta * ((N - 1) * c * m[i] + (1 - (N - 1) * c) * mNew[i]));
    }
    theta = next;
    m = mNew;
    mMax = Math.max(mMax, maxAbs(m));
    thetas.push(theta);
  }
  return { thetas, mMax };
}

export const spec = defineTheorem({
  id: 'A-3',
  title: 'Delayed Nesterov: one cycle of N pushes follows the cycle identity (c = 0: one Nesterov step on the mean)',
  source: { paper: PAPER, version: VERSION, locator: 'Sec. 3.4, Algorithm 3; docs/theory.md#34-delayed-nesterov', provenance: ['read', 'derived', 'num'] },
  statement: String.raw`m_{\text{new}} = \beta m_{\text{old}} + \bar g,\quad \theta_{\text{end}} = \theta_{\text{start}} - \epsilon\big(\bar g + \beta\,[(N-1)\,c\, m_{\text{old}} + (1-(N-1)\,c)\, m_{\text{new}}]\big),\quad \bar g = \tfrac1N \textstyle\sum_{j=1}^N g_j,\ c \in [0, 1/N]`,
  kind: 'equivalence',
  requires: ['delayedNesterov'],
  hypotheses: [
    { name: 'c in [0, 1/N]', check: (p: DnCycles) => (p.c >= 0 && p.c <= 1 / p.N) || `c = ${p.c} outside [0, ${1 / p.N}] for N = ${p.N}` },
    { name: 'beta in [0, 1)', check: (p: DnCycles) => (p.beta >= 0 && p.beta < 1) || `beta = ${p.beta}` },
    { name: 'whole cycles', check: (p: DnCycles) => (p.pushes.length > 0 && p.pushes.length % p.N === 0) || `${p.pushes.length} pushes for N = ${p.N}` },
  ],
  instances,
  observe: (p, subject) => {
    const opt = capability<DelayedNesterovFactory>(subject, 'delayedNesterov')({ eps: p.eps, beta: p.beta, N: p.N, c: p.c });
    const path = runOuter(opt, p.theta0, p.pushes);
    return concat(path.filter((_, t) => (t + 1) % p.N === 0));
  },
  bound: (p) => concat(cycleIdentity(p).thetas),
  tolerance: (p) => {
    const { thetas, mMax } = cycleIdentity(p);
    const S = Math.max(maxAbs(p.theta0), maxAbsAll(thetas)) + p.eps * (maxAbsAll(p.pushes) + mMax);
    const C = p.pushes.length / p.N;
    return {
      abs: C * (C + 1) * (4 * p.N + 8) * EPS * S,
      why: 'C(C+1)(4N+8) EPS S: per cycle N theta updates and an N-term mean, m errors carried into theta over C cycles, S = max |theta| + eps (|g| + |m|)',
    };
  },
  profiles: { ci: 50, default: 200, hunt: 5000 },
  hints: ['momentum updated at every push instead of every N-th (docs/planted-bugs.md#m12-dn-momentum-every-push) breaks this whenever N >= 2 and beta > 0'],
});
