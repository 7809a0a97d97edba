import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EPS, dotCompensated, sumCompensated } from '../../src/numeric/index.ts';
import * as X from './_exact.ts';

/**
 * Ogita, Rump, Oishi, "Accurate sum and dot product", SIAM J. Sci. Comput. 26 (2005): with u = EPS/2 and
 * gamma_k = k u / (1 - k u), Sum2 (the Neumaier sum) satisfies |res - s| <= u |s| + gamma_{n-1}^2 sum |x_i| (Prop. 4.5)
 * and Dot2 satisfies |res - x.y| <= u |x.y| + gamma_n^2 |x|.|y| (Prop. 5.5), barring underflow and overflow.
 * The result is as if computed in twice the working precision and then rounded once.
 */
const u = EPS / 2;
const gamma = (k: number): number => (k * u) / (1 - k * u);
function oroBound(exact: number, absSum: number, k: number): number {
  return u * Math.abs(exact) + gamma(k) ** 2 * absSum;
}
/** |res - exact| with the difference taken exactly, then rounded once (good to a relative 2^-53 of itself). */
function errorOf(res: number, exact: X.Exact): number {
  return Math.abs(X.toNumber(X.sub(X.toExact(res), exact)));
}

/** Ill-conditioned sums: random wide-range terms plus the negated naive sum inserted anywhere. The exact total is
 *  the rounding error of the naive sum, so cond = sum|x| / |sum x| is around 1/u or worse. */
const illSum = fc
  .tuple(fc.array(X.wideEntry, { minLength: 1, maxLength: 40 }), fc.nat())
  .map(([a, at]) => {
    let naive = 0;
    for (const v of a) naive += v;
    const p = at % (a.length + 1);
    return [...a.slice(0, p), -naive, ...a.slice(p)];
  });

/** 31-bit significands, so products round and the TwoProduct error terms of Dot2 are non-zero. */
const dotEntry = fc
  .tuple(fc.integer({ min: -(2 ** 31), max: 2 ** 31 }), fc.integer({ min: -30, max: 30 }))
  .map(([m, e]) => m * 2 ** e);
const illDot = fc
  .tuple(fc.array(fc.tuple(dotEntry, dotEntry), { minLength: 1, maxLength: 40 }), fc.nat())
  .map(([pairs, at]) => {
    let naive = 0;
    for (const [a, b] of pairs) naive += a * b;
    const p = at % (pairs.length + 1);
    const all: [number, number][] = [...pairs.slice(0, p), [naive, -1], ...pairs.slice(p)];
    return { x: Float64Array.from(all, (q) => q[0]), y: Float64Array.from(all, (q) => q[1]) };
  });

function naiveSum(xs: readonly number[]): number {
  let s = 0;
  for (const v of xs) s += v;
  return s;
}

describe('sumCompensated', () => {
  it('meets the Sum2 bound against the exact BigInt sum on ill-conditioned sums, where a plain sum does not', () => {
    let naiveViolations = 0;
    fc.assert(
      fc.property(illSum, (xs) => {
        const exact = X.sum(xs);
        const absSum = X.toNumber(X.sum(xs.map(Math.abs)));
        // why: ORO Prop. 4.5 with n - 1 additions (see the header comment)
        const bound = oroBound(X.toNumber(exact), absSum, xs.length - 1);
        expect(errorOf(sumCompensated(xs), exact)).toBeLessThanOrEqual(bound);
        if (errorOf(naiveSum(xs), exact) > bound) naiveViolations++;
      }),
    );
    // the instances are hard: a recursive sum fails the same bound on some of them, so the check has teeth
    expect(naiveViolations).toBeGreaterThan(0);
  });

  it('gets [1, 2^60, 1, -2^60] right (exact total 2) where the plain sum returns 0', () => {
    const xs = [1, 2 ** 60, 1, -(2 ** 60)];
    const exact = X.sum(xs);
    expect(X.toNumber(exact)).toBe(2);
    const bound = oroBound(2, X.toNumber(X.sum(xs.map(Math.abs))), 3); // why: ORO Prop. 4.5, n = 4
    expect(errorOf(sumCompensated(xs), exact)).toBeLessThanOrEqual(bound);
    expect(errorOf(naiveSum(xs), exact)).toBeGreaterThan(bound);
  });

  it('is exact on small-integer dyadic data, accepts plain arrays, and is 0 on the empty list', () => {
    fc.assert(
      fc.property(fc.array(X.dyadicEntry, { maxLength: 30 }), (xs) => {
        expect(sumCompensated(xs)).toBe(X.toNumber(X.sum(xs)));
        expect(sumCompensated(Float64Array.from(xs))).toBe(X.toNumber(X.sum(xs)));
      }),
    );
    expect(sumCompensated([])).toBe(0);
  });
});

describe('dotCompensated', () => {
  it('meets the Dot2 bound against the exact BigInt dot on ill-conditioned dots, where a plain dot does not', () => {
    let naiveViolations = 0;
    fc.assert(
      fc.property(illDot, ({ x, y }) => {
        const exact = X.dot(x, y);
        // why: ORO Prop. 5.5 for a length-n dot (see the header comment)
        const bound = oroBound(X.toNumber(exact), X.toNumber(X.absDot(x, y)), x.length);
        expect(errorOf(dotCompensated(x, y), exact)).toBeLessThanOrEqual(bound);
        let naive = 0;
        for (let i = 0; i < x.length; i++) naive += x[i] * y[i];
        if (errorOf(naive, exact) > bound) naiveViolations++;
      }),
    );
    expect(naiveViolations).toBeGreaterThan(0);
  });

  it('is exact on small-integer dyadic data', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }).chain((n) => fc.tuple(X.vecOf(n), X.vecOf(n))), ([x, y]) => {
        expect(dotCompensated(x, y)).toBe(X.toNumber(X.dot(x, y)));
      }),
    );
  });
});
