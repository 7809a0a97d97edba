import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonDuplicateKey, JsonSyntax, NumberArray, readJson } from '../../src/problems/jsonReader.ts';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
/** readJson with NumberArray turned back into plain arrays, for comparison with JSON.parse. */
const plain = (v: unknown): unknown => {
  if (v instanceof NumberArray) return Array.from(v.values);
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
};
const sameBits = (a: number, b: number): boolean => Object.is(a, b);

describe('readJson', () => {
  it('reads every double written by JSON.stringify back bit for bit (fast and slow number paths)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 20 }), (xs) => {
        const text = JSON.stringify(xs);
        const got = readJson(bytes(text)) as NumberArray;
        expect(got).toBeInstanceOf(NumberArray);
        const want = JSON.parse(text) as number[];
        want.forEach((w, k) => expect(sameBits(got.values[k], w)).toBe(true));
      }),
      { numRuns: 300 },
    );
  });

  it('reads decimal tokens of any length and exponent exactly as JSON.parse does', () => {
    const token = fc
      .tuple(fc.boolean(), fc.stringMatching(/^(0|[1-9][0-9]{0,25})$/), fc.option(fc.stringMatching(/^[0-9]{1,25}$/)), fc.option(fc.integer({ min: -340, max: 330 })))
      .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : `e${exp}`}`);
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 10 }), (ts) => {
        const text = `[${ts.join(',')}]`;
        const got = (readJson(bytes(text)) as NumberArray).values;
        (JSON.parse(text) as number[]).forEach((w, k) => expect(sameBits(got[k], w), ts[k]).toBe(true));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same values as JSON.parse on mixed documents (strings with escapes, nesting, literals, __proto__)', () => {
    const text = '{"a": [1, "x\\u00e9\\n", [2, 3], [], {}, true, false, null], "é": {"__proto__": [0.1, -0]}, "b": [[1e-310], [5e-324, 1.7976931348623157e308]]}';
    expect(plain(readJson(bytes(text)))).toEqual(JSON.parse(text));
    const obj = readJson(bytes('{"__proto__": 1}')) as Record<string, unknown>;
    expect(Object.keys(obj)).toEqual(['__proto__']);
  });

  it('rejects a repeated key with its path, line and column', () => {
    const err = (s: string): JsonDuplicateKey => {
      try {
        readJson(bytes(s));
      } catch (e) {
        return e as JsonDuplicateKey;
      }
      throw new Error('expected a throw');
    };
    const e = err('{"a": {"b": [{"c": 1,\n  "c": 2}]}}');
    expect(e).toBeInstanceOf(JsonDuplicateKey);
    expect(e.message).toBe('duplicate key "c" in a.b[0] at line 2, column 3; each key may appear once in an object');
    expect(err('{"k": 1, "k": 1}').message).toMatch(/^duplicate key "k" in the top-level object at line 1, column 10;/);
  });

  it('rejects what RFC 8259 rejects (leading zeros, bare dots, plus signs, trailing commas, garbage after the value)', () => {
    for (const bad of ['[01]', '[1.]', '[.5]', '[+1]', '[1,]', '[1] x', '{"a" 1}', '[1e]', '["a\tb"]', '', '[NaN]', '[-Infinity]']) {
      expect(() => readJson(bytes(bad)), bad).toThrow(JsonSyntax);
    }
    // bare non-finite tokens only when asked for (dataset files written by Python)
    expect(Array.from((readJson(bytes('[NaN, -Infinity, Infinity]'), { allowNonFinite: true }) as NumberArray).values)).toEqual([NaN, -Infinity, Infinity]);
  });
});
