/**
 * Decimal contexts and exact conversions: the value of a double (not its shortest string), isolation from the
 * global Decimal settings, and correctly rounded output of fixed-point iterates (checked against a 90-digit
 * Decimal rounding of the exact value).
 */
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { decimalContext, decimalFromDouble, dyadicString, checkDigits } from '../../src/precise/decimal.ts';
import { roundDyadic } from '../../src/precise/output.ts';

describe('decimal contexts', () => {
  it('converts a double to its exact value, not its shortest string', () => {
    const D = decimalContext(50);
    expect(decimalFromDouble(D, 0.1).toFixed()).toBe('0.1000000000000000055511151231257827021181583404541015625');
    expect(new D(0.1).toFixed()).toBe('0.1'); // the trap this module avoids
    // the smallest subnormal: 2^-1074 has 751 significant digits; times 2^1074 it is exactly 1
    const tiny = decimalFromDouble(D, 5e-324);
    expect(tiny.toFixed().replace(/^0\.0*/, '').length).toBe(751);
    const Big = decimalContext(2000);
    expect(new Big(tiny).times(new Big(2).pow(1074)).eq(1)).toBe(true);
    expect(() => decimalFromDouble(D, Infinity)).toThrow(/finite double, got Infinity/);
  });

  it('never touches the global Decimal settings; each context keeps its own precision', () => {
    const before = Decimal.precision;
    const D30 = decimalContext(30);
    const D60 = decimalContext(60);
    expect(new D30(1).div(3).toString().length).toBe(32); // '0.' + 30 digits
    expect(new D60(1).div(3).toString().length).toBe(62);
    expect(Decimal.precision).toBe(before);
    expect(new Decimal(1).div(3).toString().length).toBe(2 + before);
  });

  it('validates digits with a message naming the function', () => {
    expect(checkDigits(50, 'f')).toBe(50);
    expect(() => checkDigits(3, 'minNormSolution')).toThrow('minNormSolution: digits must be an integer in [6, 300], got 3');
    expect(() => checkDigits(50.5, 'f')).toThrow(/got 50.5/);
  });
});

describe('roundDyadic (BigInt rounding of m * 2^-F)', () => {
  const H = Decimal.clone({ precision: 400, rounding: Decimal.ROUND_HALF_EVEN });

  it('matches a high-precision half-even rounding of the exact value, with the right relative error', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 200n), max: 1n << 200n }), fc.integer({ min: -50, max: 260 }), fc.integer({ min: 6, max: 60 }), (m, F, digits) => {
        const r = roundDyadic(m, F, digits);
        const exact = new H(dyadicString(m, -F));
        expect(r.str).toBe(exact.toSignificantDigits(digits, Decimal.ROUND_HALF_EVEN).toString());
        if (m !== 0n) {
          const rel = new H(r.str).minus(exact).div(exact).toNumber(); // (rounded - exact) / exact
          expect(Math.abs(r.relErr - rel)).toBeLessThanOrEqual(1e-12 * Math.abs(rel) + 1e-300);
          expect(Math.abs(rel)).toBeLessThanOrEqual(5 * 10 ** -digits); // half a unit in the last place
        }
      }),
    );
  });

  it('breaks exact ties to even and carries 9.99.. to 10', () => {
    expect(roundDyadic(1n, 3, 2).str).toBe('0.12'); // 0.125 -> even
    expect(roundDyadic(3n, 3, 2).str).toBe('0.38'); // 0.375 -> even
    expect(roundDyadic(1023n, 10, 2).str).toBe('1'); // 0.9990234375 -> 1.0
    expect(roundDyadic(0n, 7, 10)).toEqual({ str: '0', relErr: 0 });
  });
});
