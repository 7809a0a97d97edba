/**
 * Agreement with the independent references of test/fixtures/make_fixtures.py (numpy + scipy + mpmath at 80
 * digits; a primal SLSQP active set for the SVMs, not our dual NNLS). All values are compared to 50 digits:
 * |ours - ref| <= 1e-48 * max(1, max |ref|), entry by entry.
 *
 * Error cases, decided by the script in exact rationals (fractions.Fraction) and re-checked here in BigInt on the
 * doubles (test/numeric/_exact.ts), so a corrupt fixture fails too:
 *  - minnorm-errors.json: inconsistent systems (ranks, and integers v with X^T v = 0, v^T y != 0): minNormSolution
 *    must throw its one-line error naming the same two ranks; rank-deficient consistent systems: the exact min-norm w;
 *  - nonseparable.json: sum_k c_k y_i x_i = 0 with integers c_k > 0: maxMarginSolution must throw NotSeparableError
 *    whose own witness is exact too;
 *  - pl-unattained.json: plain logistic (lambda = 0) on separable / weakly separable data of full column rank (a
 *    dyadic w with Z w > 0, or Z w >= 0 plus a witness): plOptimum must throw its one-line "use lambda > 0" error.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { matFromRows, type Mat } from '../../src/numeric/index.ts';
import { NotSeparableError, maxMarginProjection, maxMarginSolution, minNormSolution, plOptimum } from '../../src/precise/index.ts';
import { add, mul, toExact, type Exact } from '../numeric/_exact.ts';
import { T, relErr, strs } from './_helpers.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'precise');
function load<C>(name: string): C[] {
  const f = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { digits: number; cases: C[] };
  expect(f.digits).toBe(50);
  return f.cases;
}
// why: both sides round to 50 significant digits (half a unit in the 50th digit each, 5e-50 relative); 1e-48 of
// max(1, max |ref|) leaves a factor 10 for the two roundings and the certified error of the solver (50 digits)
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

// ---------------------------------------------------------------------------------------------------------------
// Error cases. Exact checks: every double is m 2^e (toExact), so the sums below are exact BigInt dyadics.

const ZERO: Exact = { num: 0n, exp: 0 };
const big = (n: bigint): Exact => ({ num: n, exp: 0 });

/** The error f throws (the test fails if it returns). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    return e as Error;
  }
  return expect.unreachable('expected a throw');
}

/** sum_k c_k y_{i_k} x_{i_k} = 0 exactly, the c_k > 0 and the rows distinct and in range: a Gordan witness. */
function expectExactWitness(X: Mat, labels: readonly number[], indices: readonly number[], c: readonly bigint[]): void {
  expect(indices.length).toBeGreaterThan(0);
  expect(c.length).toBe(indices.length);
  expect(new Set(indices).size).toBe(indices.length);
  for (const i of indices) expect(Number.isInteger(i) && i >= 0 && i < X.rows).toBe(true);
  for (const ck of c) expect(ck > 0n).toBe(true);
  for (let j = 0; j < X.cols; j++) {
    // y_i = +-1, so y_i x_ij is an exact double
    const s = indices.reduce((acc, i, k) => add(acc, mul(big(c[k]), toExact(labels[i] * X.data[i * X.cols + j]))), ZERO);
    expect(s.num).toBe(0n);
  }
}

/** The exact margins y_i x_i^T w as signs (-1, 0, 1). */
function marginSigns(X: Mat, labels: readonly number[], w: readonly number[]): number[] {
  return Array.from({ length: X.rows }, (_, i) => {
    let acc = ZERO;
    for (let j = 0; j < X.cols; j++) acc = add(acc, mul(toExact(labels[i] * X.data[i * X.cols + j]), toExact(w[j])));
    return acc.num > 0n ? 1 : acc.num < 0n ? -1 : 0;
  });
}

describe('fixtures: min-norm error cases (ranks decided exactly by the script)', () => {
  type MnErr = { name: string; X: number[][]; y: number[]; w0?: number[]; rank: number; rankAugmented: number; certificate?: string[]; w?: string[] };
  const cases = load<MnErr>('minnorm-errors.json');
  const inconsistent = cases.filter((c) => c.certificate !== undefined);
  const consistent = cases.filter((c) => c.w !== undefined);

  it('every case is either inconsistent with a certificate or consistent with a solution, and both kinds occur', () => {
    expect(inconsistent.length).toBeGreaterThan(0);
    expect(consistent.length).toBeGreaterThan(0);
    expect(inconsistent.length + consistent.length).toBe(cases.length);
    for (const c of inconsistent) expect(c.rankAugmented).toBe(c.rank + 1);
    for (const c of consistent) expect(c.rankAugmented).toBe(c.rank);
  });

  it.each(inconsistent.map((c) => [c.name, c] as const))('%s: minNormSolution throws naming rank(X) and rank([X | y])', (_, c) => {
    const X = matFromRows(c.X);
    // the fixture's Fredholm certificate, exactly: X^T v = 0 and v^T y != 0, so Xw = y has no solution
    const vv = c.certificate!.map((t) => BigInt(t));
    expect(vv.length).toBe(X.rows);
    for (let j = 0; j < X.cols; j++) {
      const s = vv.reduce((acc, vi, i) => add(acc, mul(big(vi), toExact(X.data[i * X.cols + j]))), ZERO);
      expect(s.num).toBe(0n);
    }
    expect(vv.reduce((acc, vi, i) => add(acc, mul(big(vi), toExact(c.y[i]))), ZERO).num).not.toBe(0n);

    const e = thrown(() => minNormSolution(X, v(c.y), { w0: c.w0 ? v(c.w0) : undefined }));
    const m = /^minNormSolution: inconsistent system Xw = y: rank\(X\) = (\d+) < rank\(\[X \| y\]\) = (\d+) \((\d+) rows, d = (\d+)\); no w satisfies it$/.exec(e.message);
    expect(m, e.message).not.toBeNull();
    expect(m!.slice(1).map(Number)).toEqual([c.rank, c.rankAugmented, X.rows, X.cols]);
  });

  it.each(consistent.map((c) => [c.name, c] as const))('%s: the exact min-norm solution, rank reported', (_, c) => {
    const r = minNormSolution(matFromRows(c.X), v(c.y), { w0: c.w0 ? v(c.w0) : undefined });
    expect(relErr(r.wDecimal, strs(c.w!)).lte(REL)).toBe(true);
    expect(r.certificate).toMatchObject({ rank: c.rank, rows: c.X.length, rankDeficient: c.rank < c.X.length });
    expect(r.certificate.independentRows).toHaveLength(c.rank);
  });
});

describe('fixtures: data not separable through the origin', () => {
  type Ns = { name: string; X: number[][]; labels: number[]; witness: { indices: number[]; c: string[] } };
  const cases = load<Ns>('nonseparable.json');
  // why: weights are num/den rounded to 50 significant digits after a 55-digit division (5e-50 + 5e-55 relative),
  // compared with a 90-digit quotient here (5e-90): 1e-49 relative bounds the sum
  const WEIGHT_REL = new T('1e-49');

  it.each(cases.map((c) => [c.name, c] as const))('%s: NotSeparableError with an exact witness; the fixture witness is exact too', (_, c) => {
    const X = matFromRows(c.X);
    expectExactWitness(X, c.labels, c.witness.indices, c.witness.c.map((t) => BigInt(t)));

    const e = thrown(() => maxMarginSolution(X, v(c.labels)));
    expect(e).toBeInstanceOf(NotSeparableError);
    const w = (e as NotSeparableError).witness;
    expect(e.message).toMatch(/^maxMarginSolution: the data are not separable through the origin: .* is exactly 0, .*\(weights in \.witness\)$/);
    expect(e.message).toContain(`(${w.indices.length} rows)`);
    const nums = w.numerators.map((t) => BigInt(t));
    expectExactWitness(X, c.labels, w.indices, nums);
    // a convex combination: the numerators sum to the denominator, and the decimal weights are num/den
    expect(nums.reduce((a, b) => a + b, 0n)).toBe(BigInt(w.denominator));
    expect(w.weights).toHaveLength(nums.length);
    w.weights.forEach((t, k) => {
      const exact = new T(w.numerators[k]).div(w.denominator);
      expect(new T(t).minus(exact).abs().lte(WEIGHT_REL.times(exact))).toBe(true);
    });
  });
});

describe('fixtures: plain logistic (lambda = 0) whose infimum is not attained', () => {
  type Pu = { name: string; X: number[][]; y: number[]; lambda: number; rank: number; separator: number[]; separation: 'strict' | 'weak'; witness?: { indices: number[]; c: string[] } };
  const cases = load<Pu>('pl-unattained.json');

  it('both kinds occur: separable and weakly separable', () => {
    expect(cases.map((c) => c.separation).sort()).toEqual(['strict', 'weak']);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: plOptimum throws naming the rule (separable data, use lambda > 0)', (_, c) => {
    const X = matFromRows(c.X);
    expect(c.lambda).toBe(0);
    expect(c.rank).toBe(X.cols); // full column rank (decided by the script): the rank rule must not be what fires
    const signs = marginSigns(X, c.y, c.separator);
    if (c.separation === 'strict') {
      expect(signs.every((sg) => sg > 0)).toBe(true); // Z w > 0: separable through the origin
    } else {
      // Z w >= 0 with w != 0, zero exactly on the witness rows, and the witness shows no w' has Z w' > 0
      expect(c.separator.some((x) => x !== 0)).toBe(true);
      expect(signs.every((sg) => sg >= 0)).toBe(true);
      expect(signs.flatMap((sg, i) => (sg === 0 ? [i] : []))).toEqual(c.witness!.indices);
      expectExactWitness(X, c.y, c.witness!.indices, c.witness!.c.map((t) => BigInt(t)));
    }
    const e = thrown(() => plOptimum({ kind: 'logistic', X, y: v(c.y), lambda: c.lambda }));
    expect(e.message).not.toContain('\n');
    expect(e.message).toMatch(/^plOptimum: logistic .*lambda = 0.*separable.*the infimum is not attained.*use lambda > 0$/);
  });
});
