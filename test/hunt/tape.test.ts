/** Choice sequences: a recorded tape rebuilds the instance bit for bit; a mutated tape stays in the arbitrary. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { overparameterisedRegression } from '../../src/arbitraries/index.ts';
import { mutate } from '../../src/hunt/mutate.ts';
import { Population } from '../../src/hunt/population.ts';
import { biasFor, caseStream, drawAt, StreamRng } from '../../src/hunt/streams.ts';
import { generateFromTape } from '../../src/hunt/tape.ts';
import { resolveSeed } from '../../src/spec/seed.ts';
import { spec as fixedPoint } from '../../properties/implicit-bias/regression.drift-fixed-point.prop.ts';

const seed = resolveSeed(process.env).seed;
const mixed = fc.record({
  xs: fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 6 }),
  d: fc.double({ noNaN: true }),
  big: fc.bigInt({ min: 0n, max: 2n ** 80n }),
  chained: fc.integer({ min: 1, max: 4 }).chain((n) => fc.array(fc.boolean(), { minLength: n, maxLength: n })),
  opt: fc.option(fc.constantFrom('a', 'b', 'c')),
});

describe('tape', () => {
  it('a case is a pure function of (seed, theorem, j): the same stream gives the same instance, another j another one', () => {
    const a = generateFromTape(mixed, caseStream(seed, 'X-1', 5), biasFor(5));
    const b = generateFromTape(mixed, caseStream(seed, 'X-1', 5), biasFor(5));
    expect(fc.stringify(b.value)).toBe(fc.stringify(a.value));
    const others = [6, 7, 8, 9].map((j) => fc.stringify(generateFromTape(mixed, caseStream(seed, 'X-1', j), biasFor(j)).value));
    expect(others.some((s) => s !== fc.stringify(a.value))).toBe(true);
  });

  it('replaying the recorded tape from ANOTHER stream rebuilds the instance (tape and bias determine it)', () => {
    for (let j = 0; j < 20; j++) {
      const g = generateFromTape(overparameterisedRegression({ maxNodes: 3 }), caseStream(seed, 'Y', j), biasFor(j));
      const r = generateFromTape(overparameterisedRegression({ maxNodes: 3 }), caseStream(seed ^ 1, 'other', j + 1000), biasFor(j), g.tape.values);
      expect(fc.stringify(r.value.dataset)).toBe(fc.stringify(g.value.dataset));
      expect(r.tape.values).toEqual(g.tape.values);
    }
  });

  it('every recorded draw lies in its recorded range', () => {
    const g = generateFromTape(mixed, caseStream(seed, 'Z', 3), 3);
    expect(g.tape.values.length).toBeGreaterThan(3);
    g.tape.values.forEach((v, i) => {
      expect(v).toBeGreaterThanOrEqual(g.tape.mins[i]);
      expect(v).toBeLessThanOrEqual(g.tape.maxs[i]);
    });
  });

  it('drawAt stays in [min, max] at the ends of 32- and 53-bit ranges', () => {
    const k = caseStream(seed, 'W', 0);
    for (let i = 0; i < 200; i++) {
      const a = drawAt(k, i, 0, -0x80000000, 0x7fffffff);
      const b = drawAt(k, i, 0, 0, 2 ** 53 - 1);
      expect(a >= -0x80000000 && a <= 0x7fffffff && Number.isInteger(a)).toBe(true);
      expect(b >= 0 && b <= 2 ** 53 - 1 && Number.isInteger(b)).toBe(true);
    }
  });

  it('mutated tapes of a theorem generator still meet every hypothesis (Z-R5-fixed-point)', () => {
    const pop = new Population(8);
    for (let j = 0; j < 8; j++) {
      const g = generateFromTape(fixedPoint.instances, caseStream(seed, fixedPoint.id, j), biasFor(j));
      pop.offer({ j, origin: 'random', bias: biasFor(j), closeness: j, tape: g.tape });
    }
    let changed = 0;
    for (let j = 100; j < 160; j++) {
      const rng = new StreamRng(caseStream(seed, fixedPoint.id, j), 2);
      const parent = pop.pick(rng);
      const m = mutate(parent.tape, pop, rng);
      m.given.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(parent.tape.mins[i]);
        expect(v).toBeLessThanOrEqual(parent.tape.maxs[i]);
      });
      const child = generateFromTape(fixedPoint.instances, caseStream(seed, fixedPoint.id, j), parent.bias, m.given);
      if (child.tape.values.join() !== parent.tape.values.join()) changed++;
      for (const h of fixedPoint.hypotheses) expect(h.check(child.value), h.name).toBe(true);
    }
    expect(changed).toBeGreaterThan(30); // most mutations change the instance
  });
});
