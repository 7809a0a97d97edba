import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { indicesBelow, normals, philox4x32, rngKey, subsetOf, uniformAt, uniforms } from '../../src/optimizers/rng.ts';

const hex = (a: Uint32Array): string[] => Array.from(a, (x) => x.toString(16).padStart(8, '0'));

describe('rng: Philox4x32-10', () => {
  it("reproduces Random123's three published known-answer vectors", () => {
    const out = new Uint32Array(4);
    expect(hex(philox4x32(0, 0, 0, 0, 0, 0, out))).toEqual(['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
    const F = 0xffffffff;
    expect(hex(philox4x32(F, F, F, F, F, F, out))).toEqual(['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd']);
    expect(hex(philox4x32(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, out)))
      .toEqual(['d16cfe09', '94fdcceb', '5001e420', '24126ea1']);
  });

  it('is a pure function of (key, counter): batch fillers agree with single draws, bit for bit', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat(1000), fc.nat(1000), fc.integer({ min: 1, max: 17 }), (seed, a, b, count) => {
        const key = rngKey(seed);
        const u = uniforms(key, 1, a, b, new Float64Array(count));
        for (let i = 0; i < count; i++) expect(Object.is(u[i], uniformAt(key, 1, a, b, i))).toBe(true);
        const idx = indicesBelow(key, 1, a, b, 7, new Int32Array(count));
        for (let i = 0; i < count; i++) expect(idx[i]).toBe(Math.floor(u[i] * 7));
        expect(Array.from(uniforms(rngKey(seed), 1, a, b, new Float64Array(count)))).toEqual(Array.from(u));
      }),
    );
  });

  it('different purposes, counters, seeds and streams give different draws', () => {
    const k = rngKey(5);
    const base = uniformAt(k, 1, 2, 3, 0);
    expect(uniformAt(k, 2, 2, 3, 0)).not.toBe(base);
    expect(uniformAt(k, 1, 3, 3, 0)).not.toBe(base);
    expect(uniformAt(k, 1, 2, 4, 0)).not.toBe(base);
    expect(uniformAt(k, 1, 2, 3, 1)).not.toBe(base);
    expect(uniformAt(rngKey(6), 1, 2, 3, 0)).not.toBe(base);
    expect(uniformAt(rngKey(5, 1), 1, 2, 3, 0)).not.toBe(base);
  });

  it('uniforms pass a chi-square test on 20 bins over 20000 fixed counters (deterministic, threshold at p = 1e-6)', () => {
    const bins = new Array<number>(20).fill(0);
    const u = new Float64Array(200);
    let inRange = true;
    for (let b = 0; b < 100; b++) {
      uniforms(rngKey(12345), 1, 0, b, u);
      for (const x of u) {
        inRange &&= x >= 0 && x < 1;
        bins[Math.floor(x * 20)]++;
      }
    }
    expect(inRange).toBe(true);
    const e = 20000 / 20;
    const chi2 = bins.reduce((s, o) => s + (o - e) ** 2 / e, 0);
    // why: the chi-square(19) quantile at 1 - 1e-6 is about 59.7
    expect(chi2).toBeLessThan(59.7);
  });

  it('normals have mean ~0 and variance ~1 over 20000 fixed draws (5-sigma bounds of the sample moments)', () => {
    const z = normals(rngKey(7), 3, 0, 0, new Float64Array(20000));
    const mean = z.reduce((s, x) => s + x, 0) / z.length;
    const varc = z.reduce((s, x) => s + (x - mean) ** 2, 0) / z.length;
    expect(z.every(Number.isFinite)).toBe(true);
    // why: sd(mean) = 1/sqrt(n) ~ 0.0071, sd(var) = sqrt(2/n) ~ 0.01; 5 sigma each
    expect(Math.abs(mean)).toBeLessThan(5 * 0.0071);
    expect(Math.abs(varc - 1)).toBeLessThan(5 * 0.01);
  });

  it('subsetOf draws m distinct sorted items, each with frequency m/n (5-sigma binomial bound over 3000 rounds)', () => {
    const n = 6, m = 2, R = 3000;
    const count = new Array<number>(n).fill(0);
    for (let r = 0; r < R; r++) {
      const s = subsetOf(rngKey(3), 2, 0, r, n, m);
      expect(s.length).toBe(m);
      for (let i = 1; i < m; i++) expect(s[i]).toBeGreaterThan(s[i - 1]);
      for (const k of s) count[k]++;
    }
    const p = m / n;
    const sd = Math.sqrt(R * p * (1 - p));
    for (const c of count) expect(Math.abs(c - R * p)).toBeLessThan(5 * sd);
  });

  it('rejects bad seeds and counters with one-line errors', () => {
    expect(() => rngKey(1.5)).toThrow(/^rngKey: seed must be a 32-bit integer, got 1.5$/);
    expect(() => uniformAt(rngKey(0), 1, -1, 0, 0)).toThrow(/^uniformAt: a must be an integer in \[0, 2\^32\), got -1$/);
    expect(() => indicesBelow(rngKey(0), 1, 0, 0, 0, new Int32Array(1))).toThrow(/n must be an integer in \[1, 2\^31\), got 0/);
    expect(() => subsetOf(rngKey(0), 2, 0, 0, 3, 4)).toThrow(/m must be an integer in \[0, 3\], got 4/);
  });
});
