import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EPS, EPS32, epsTol, relDiff, within } from '../../src/numeric/index.ts';

describe('EPS, EPS32', () => {
  it('are the gaps between 1 and the next double / float', () => {
    expect(1 + EPS > 1 && 1 + EPS / 2 === 1).toBe(true);
    expect(Math.fround(1 + EPS32) > 1 && Math.fround(1 + EPS32 / 2) === 1).toBe(true);
  });
});

describe('epsTol', () => {
  it('is k * eps * scale and carries k, the scale and the reason in why', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), (k, scale) => {
        const t = epsTol(k, scale, 'reason text');
        expect(t.value).toBe(k * EPS * scale);
        expect(t.why).toBe(`${k} * eps * ${scale.toExponential(3)}: reason text`);
        expect(epsTol(k, scale, 'f32', EPS32).value).toBe(k * EPS32 * scale);
      }),
    );
  });

  it('rejects a k that is not positive and finite, and a scale that is negative or not finite, naming the value', () => {
    for (const k of [0, -1, NaN, Infinity, -Infinity]) {
      expect(() => epsTol(k, 1, 'w')).toThrow(`epsTol: k must be positive and finite, got ${k}`);
    }
    for (const s of [-1, -1e-300, NaN, Infinity, -Infinity]) {
      expect(() => epsTol(1, s, 'w')).toThrow(`epsTol: scale must be non-negative and finite, got ${s}`);
    }
    expect(epsTol(1, 0, 'zero scale is allowed').value).toBe(0);
  });
});

describe('within', () => {
  const anyDouble = fc.double();

  it('is |a - b| <= tol for finite values, symmetric, and accepts a Tolerance or a number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ min: 0, max: 1e300, noNaN: true }), (a, b, t) => {
        const d = Math.abs(a - b);
        expect(within(a, b, t)).toBe(d <= t);
        expect(within(b, a, t)).toBe(within(a, b, t));
        expect(within(a, b, { value: t, why: 'test' })).toBe(within(a, b, t));
        expect(within(a, a + 0, 0)).toBe(true);
      }),
    );
    expect(within(1, 1 + EPS, EPS)).toBe(true); // the boundary passes (<=)
    expect(within(1, 1 + 2 * EPS, EPS)).toBe(false);
  });

  it('never passes NaN (in a, b or the tolerance) nor a pair of equal infinities', () => {
    fc.assert(
      fc.property(anyDouble, anyDouble, (x, t) => {
        expect(within(NaN, x, t)).toBe(false);
        expect(within(x, NaN, t)).toBe(false);
        expect(within(x, x, NaN)).toBe(false);
        expect(within(x, x, { value: NaN, why: 'test' })).toBe(false);
      }),
    );
    expect(within(Infinity, Infinity, Infinity)).toBe(false);
    expect(within(-Infinity, -Infinity, 1)).toBe(false);
  });
});

describe('relDiff', () => {
  it('is |a - b| / max(|a|, |b|, floor): 0 for equal values, symmetric, at most 2 without a floor', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }), (a, b) => {
        const r = relDiff(a, b);
        expect(r).toBe(Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), Number.MIN_VALUE));
        expect(relDiff(b, a)).toBe(r);
        expect(relDiff(a, a)).toBe(0);
        expect(r).toBeLessThanOrEqual(2);
      }),
    );
    expect(relDiff(0, 0)).toBe(0);
    expect(relDiff(1, 1 + EPS)).toBe(EPS / (1 + EPS));
    expect(relDiff(1e-20, 0, 1)).toBe(1e-20); // the floor turns it into an absolute difference near 0
  });
});
