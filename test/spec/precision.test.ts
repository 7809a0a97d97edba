/** The subject's precision in the runner: theorems declare the precisions they derive tolerances for. */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { defineTheorem } from '../../src/spec/defineTheorem.ts';
import { checkTheorem } from '../../src/spec/runner.ts';
import type { ComparisonSpec, RunContext } from '../../src/spec/types.ts';

const seed = Number(process.env.LSGD_SEED ?? 42);
const U = { f64: 2 ** -53, f32: 2 ** -24 };

/** x + 1 - 1 == x within u |x| per rounding; the subject rounds the sum to f32 when it says so. */
function rawSpec(precisions?: ('f64' | 'f32')[], seen?: string[]): ComparisonSpec<number, number> {
  return {
    id: 'T-PREC1',
    title: 'x + 1 - 1 recovers x up to the precision\'s rounding',
    source: { paper: 'toy', version: 'test', locator: 'test', provenance: 'derived' },
    statement: 'x + 1 - 1 = x',
    kind: 'tight' as const,
    hypotheses: [],
    instances: fc.double({ min: -1, max: 1, noNaN: true }),
    observe: (x, subject, ctx) => {
      seen?.push(ctx.precision ?? 'absent');
      return (subject.add as (a: number, b: number) => number)((subject.add as (a: number, b: number) => number)(x, 1), -1);
    },
    bound: (x) => x,
    tolerance: (_x, _o, _b, ctx?: RunContext) => ({ abs: 2 * U[ctx?.precision ?? 'f64'] * 2, why: 'two roundings of numbers below 2 at the subject\'s unit roundoff' }),
    ...(precisions ? { precisions } : {}),
    ...(precisions ? {} : { whyNotF32: 'toy: derived for f64 only' }),
  };
}

const sumSpec = (precisions?: ('f64' | 'f32')[], seen?: string[]) => defineTheorem<number, number>(rawSpec(precisions, seen));

const f64Subject = { add: (a: number, b: number) => a + b };
const f32Subject = { add: (a: number, b: number) => Math.fround(Math.fround(a) + Math.fround(b)) };

it('a theorem without f32 in precisions is not applicable at f32, with its reason; at f64 it runs as before', async () => {
  const v = await checkTheorem(sumSpec(), { subject: f32Subject, seed, profile: 'ci', precision: 'f32' });
  expect(v).toMatchObject({ status: 'interrupted', cause: 'not-applicable', reason: 'not applicable at f32: toy: derived for f64 only', runs: 0 });
  expect((await checkTheorem(sumSpec(), { subject: f64Subject, seed, profile: 'ci' })).status).toBe('holds');
});

it('a theorem that supports f32 sees ctx.precision in observe and tolerance, and its f32 tolerance has teeth', async () => {
  const seen: string[] = [];
  const ok = await checkTheorem(sumSpec(['f64', 'f32'], seen), { subject: f32Subject, seed, profile: 'ci', precision: 'f32' });
  expect(ok.status).toBe('holds');
  expect(new Set(seen)).toEqual(new Set(['f32']));
  // the f32 subject checked as if it were f64 gets f64's tolerance and is caught
  const bad = await checkTheorem(sumSpec(['f64', 'f32']), { subject: f32Subject, seed, profile: 'ci', precision: 'f64' });
  expect(bad.status).toBe('violated');
});

it('defineTheorem refuses an unknown precision, naming the field', () => {
  expect(() => defineTheorem({ ...rawSpec(), precisions: ['f16'] } as never)).toThrow(/precisions.*must be a non-empty array of f64, f32, got/);
});
