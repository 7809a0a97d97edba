/**
 * minNormSolution on tall systems (N > d): rank and consistency decided modulo p from the doubles
 * (src/precise/modular.ts), consistency proved by exact recovery of w* and a multimodular check of every row.
 * Small instances of the code path that the 44,000 x 500 bench times (bench/solve-scale.bench.ts).
 */
import { describe, expect, it } from 'vitest';
import { minNormSolution, PRIME } from '../../src/precise/index.ts';
import { echelonModP, firstFailingRow, ModP, primesBelow2p26, residue } from '../../src/precise/modular.ts';
import { rng } from './_helpers.ts';
import { decompose } from '../../src/precise/dyadic.ts';

/** X (n x d) on the grid k/64 and w* on k/8: y = X w* is exact in f64. */
function tall(n: number, d: number, seed: number) {
  const r = rng(seed);
  const X = { rows: n, cols: d, data: Float64Array.from({ length: n * d }, () => Math.round((2 * r() - 1) * 64) / 64) };
  const ws = Array.from({ length: d }, () => Math.round((2 * r() - 1) * 64) / 8);
  const y = Float64Array.from({ length: n }, (_, i) => ws.reduce((s, w, j) => s + X.data[i * d + j] * w, 0));
  return { X, y, ws };
}

describe('modular arithmetic on doubles', () => {
  it('residue(x) is (2^1074 x) mod p, for normal, subnormal and negative doubles', () => {
    const P = new ModP(PRIME);
    const p = BigInt(PRIME);
    for (const x of [1, -1, 0.5, 3.25, 1e308, -1e-300, 5e-324, -2.5e-320, 2 ** 52 + 1, 0.1]) {
      // x = m 2^e exactly; 2^1074 x = m 2^(e + 1074) is an integer
      const [m, e] = (() => {
        let e = 0;
        let v = Math.abs(x);
        while (!Number.isInteger(v)) { v *= 2; e--; }
        return [BigInt(v) * (x < 0 ? -1n : 1n), e];
      })();
      const want = (((m << BigInt(e + 1074)) % p) + p) % p;
      expect(residue(x, P), String(x)).toBe(Number(want));
    }
  });

  it('primesBelow2p26 starts at the PRIME of exact.ts and gives distinct primes', () => {
    const ps = primesBelow2p26(5);
    expect(ps[0]).toBe(PRIME);
    expect(new Set(ps).size).toBe(5);
  });
});

describe('minNormSolution: tall systems', () => {
  it('consistent 300 x 6: the exact w*, residual 0, rank method multimodular', () => {
    const { X, y, ws } = tall(300, 6, 1);
    const r = minNormSolution(X, y);
    expect(r.wDecimal).toEqual(ws.map(String));
    expect(r.certificate).toMatchObject({ rank: 6, rows: 300, rankMethod: 'multimodular', residualNorm: '0', digitsAchieved: 50 });
    expect(r.certificate.independentRows).toHaveLength(6);
  });

  it('inconsistent 300 x 6 (one y off by 2^-20): the certified verdict with both ranks', () => {
    const { X, y } = tall(300, 6, 2);
    y[250] += 2 ** -20;
    expect(() => minNormSolution(X, y)).toThrow(
      'minNormSolution: inconsistent system Xw = y: rank(X) = 6 < rank([X | y]) = 7 (300 rows, d = 6); no w satisfies it',
    );
  });

  it('a row off by exactly PRIME agrees modulo p, and the multimodular check still proves the system inconsistent', () => {
    const { X, y } = tall(200, 4, 3);
    const yBad = Float64Array.from(y);
    yBad[150] += PRIME; // x^T w* - y = -PRIME: zero modulo PRIME, not over Q
    const P = new ModP(PRIME);
    expect(echelonModP(X, yBad, P)).toMatchObject({ fullColumnRank: true, yPivotRow: -1, failingRow: -1 });
    expect(() => minNormSolution(X, yBad)).toThrow(/inconsistent system Xw = y: rank\(X\) = 4 < rank\(\[X \| y\]\) = 5/);
  });

  it('firstFailingRow: -1 when X w = y in every row, else the first row that disagrees', () => {
    const { X, y, ws } = tall(50, 3, 4);
    const W = ws.map((w) => BigInt(w * 8));
    expect(firstFailingRow(X, y, W, 3)).toBe(-1);
    const y2 = Float64Array.from(y);
    y2[37] += 2 ** -3;
    expect(firstFailingRow(X, y2, W, 3)).toBe(37);
  });

  it('w* not dyadic (w = 1/3): small systems fall back to exact elimination; large ones get one line naming the limit', () => {
    const X = { rows: 3, cols: 1, data: Float64Array.of(3, 6, 9) };
    expect(minNormSolution(X, Float64Array.of(1, 2, 3), { digits: 20 }).wDecimal).toEqual(['0.33333333333333333333']);
    const n = 40_001;
    const big = { rows: n, cols: 1, data: new Float64Array(n).fill(3) };
    const f = () => minNormSolution(big, new Float64Array(n).fill(1));
    expect(f).toThrow(/^minNormSolution: X \(40001 x 1\) has full column rank .* w\* is not dyadic .*limited to N d <= 40000 \(here N d = 40001\)$/);
  });

  it('rank-deficient tall: exact elimination when small; beyond the limit one line with the rank found modulo p', () => {
    const X = { rows: 4, cols: 2, data: Float64Array.of(1, 1, 2, 2, 3, 3, 4, 4) };
    const r = minNormSolution(X, Float64Array.of(2, 4, 6, 8));
    expect(r.wDecimal).toEqual(['1', '1']);
    expect(r.certificate).toMatchObject({ rank: 1, rankMethod: 'bareiss' });
    const n = 20_001;
    const big = { rows: n, cols: 2, data: Float64Array.from({ length: 2 * n }, (_, k) => (k >> 1) + 1) };
    expect(() => minNormSolution(big, new Float64Array(n).fill(1))).toThrow(/^minNormSolution: X \(20001 x 2\) has rank at least 1 < d = 2 .*limited to N d <= 40000/);
  });
});

/** The first row with x_i^T W 2^-g != y_i, in BigInt (every double times 2^1074 is an integer). */
function firstFailingExact(X: { rows: number; cols: number; data: Float64Array }, y: Float64Array, W: bigint[], g: number): number {
  const big = (x: number): bigint => {
    if (x === 0) return 0n;
    const { m, e } = decompose(x);
    return BigInt(m) << BigInt(e + 1074);
  };
  for (let i = 0; i < X.rows; i++) {
    let s = -(big(y[i]) << BigInt(g));
    for (let j = 0; j < X.cols; j++) s += big(X.data[i * X.cols + j]) * W[j];
    if (s !== 0n) return i;
  }
  return -1;
}

describe('firstFailingRow against BigInt', () => {
  it.each([
    ['small dyadic grid (exact f64 path)', false],
    ['53-bit significands (multimodular path)', true],
  ])('%s: the same first failing row, or -1', (_, wide) => {
    const r = rng(wide ? 9 : 10);
    const n = 40;
    const d = 5;
    const X = { rows: n, cols: d, data: Float64Array.from({ length: n * d }, () => (wide ? 2 * r() - 1 + r() * 2 ** -26 : Math.round((2 * r() - 1) * 64) / 64)) };
    const W = Array.from({ length: d }, () => BigInt(Math.round((2 * r() - 1) * 64)));
    // y = X W / 8 in f64: exact on the small grid, rounded in most rows of the wide data
    const y = Float64Array.from({ length: n }, (_, i) => W.reduce((s, w, j) => s + X.data[i * d + j] * Number(w), 0) / 8);
    const want = firstFailingExact(X, y, W, 3);
    expect(want).toBe(wide ? want : -1);
    expect(firstFailingRow(X, y, W, 3)).toBe(want);
    y[n - 1] += 2 ** -20;
    expect(firstFailingRow(X, y, W, 3)).toBe(firstFailingExact(X, y, W, 3));
    if (wide) expect(want).toBeGreaterThanOrEqual(0);
  });
});
