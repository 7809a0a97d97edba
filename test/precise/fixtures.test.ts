/**
 * Agreement with the independent references of test/fixtures/make_fixtures.py (numpy + scipy + mpmath at 80
 * digits; a primal SLSQP active set for the SVMs, not our dual NNLS). All values are compared to 50 digits:
 * |ours - ref| <= 1e-48 * max(1, max |ref|), entry by entry.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { matFromRows } from '../../src/numeric/index.ts';
import { maxMarginProjection, maxMarginSolution, minNormSolution, plOptimum } from '../../src/precise/index.ts';
import { T, relErr, strs } from './_helpers.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'precise');
function load<C>(name: string): C[] {
  const f = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { digits: number; cases: C[] };
  expect(f.digits).toBe(50);
  return f.cases;
}
const REL = new T('1e-48');
const v = (a: number[]) => Float64Array.from(a);

describe('fixtures: min-norm', () => {
  const cases = load<{ name: string; X: number[][]; y: number[]; w0?: number[]; w: string[]; rank?: number }>('minnorm.json');
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const r = minNormSolution(matFromRows(c.X), v(c.y), { w0: c.w0 ? v(c.w0) : undefined });
    expect(relErr(r.wDecimal, strs(c.w)).lte(REL)).toBe(true);
    if (c.rank !== undefined) expect(r.certificate).toMatchObject({ rank: c.rank, rankDeficient: true });
  });
});

describe('fixtures: max-margin', () => {
  const cases = load<{ name: string; X: number[][]; labels: number[]; w: string[]; gamma: string; support: number[] }>('maxmargin.json');
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const r = maxMarginSolution(matFromRows(c.X), v(c.labels));
    expect(relErr(r.wDecimal, strs(c.w)).lte(REL)).toBe(true);
    expect(new T(r.gammaDecimal).minus(c.gamma).abs().lte(REL.times(c.gamma))).toBe(true);
    expect(r.support).toEqual(c.support);
  });
});

describe('fixtures: max-margin projection', () => {
  const cases = load<{ name: string; Z: number[][]; w: number[]; u: string[]; active: number[] }>('projection.json');
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const r = maxMarginProjection(matFromRows(c.Z), v(c.w));
    expect(relErr(r.uDecimal, strs(c.u)).lte(REL)).toBe(true);
    expect(r.active).toEqual(c.active);
  });
});

describe('fixtures: PL optima', () => {
  type Pl = { name: string; kind: string; A?: number[][]; b?: number[]; X?: number[][]; y?: number[]; lambda: number; x: string[]; F: string };
  const cases = load<Pl>('pl.json');
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const r = c.kind === 'least-squares'
      ? plOptimum({ kind: 'least-squares', A: matFromRows(c.A!), b: v(c.b!), lambda: c.lambda })
      : plOptimum({ kind: 'logistic', X: matFromRows(c.X!), y: v(c.y!), lambda: c.lambda });
    expect(relErr(r.xDecimal, strs(c.x)).lte(REL)).toBe(true);
    expect(new T(r.FDecimal).minus(c.F).abs().lte(REL.times(c.F))).toBe(true);
  });
});
