/**
 * minNormSolution: closed forms (orthogonal rows, one row), independent 90-digit checks of the defining
 * properties (X w = y, w - w0 in the row space) on random instances, ill-conditioned X (kappa 1e2 .. 1e14)
 * against an exact rational reference, the certificate bounds, rank deficiency, and every error path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minNormSolution } from '../../src/precise/index.ts';
import { EXACT_MAX_ROWS } from '../../src/precise/refine.ts';
import { EPS, matFromRows, svd } from '../../src/numeric/index.ts';
import type { Mat, Vec } from '../../src/numeric/index.ts';
import { toExact } from '../numeric/_exact.ts';
import { T, exactD, matArb, normD, rng, randMat, randVec, relErr, residualD, rowD, rowSpaceDistD, sigDigits, strs, vecArb, dotD } from './_helpers.ts';

const P = 50;
/** agreement required with an exact reference: the answer is correctly rounded to 50 digits, so 1e-49 relative. */
const REL = new T('1e-49');

describe('minNormSolution: closed forms', () => {
  it('orthogonal rows (Hadamard): w = sum_i y_i h_i / ||h_i||^2, exactly', () => {
    const h = [[1, 1, 1, 1, 1, 1, 1, 1], [1, -1, 1, -1, 1, -1, 1, -1], [1, 1, -1, -1, 1, 1, -1, -1], [1, -1, -1, 1, 1, -1, -1, 1]];
    const y = [3, -1.5, 0.25, 7];
    const r = minNormSolution(matFromRows(h), Float64Array.from(y));
    // each entry is a dyadic rational sum_i y_i h_ij / 8: exact in a few digits
    const exact = h[0].map((_, j) => h.reduce((s, row, i) => s + (y[i] * row[j]) / 8, 0));
    expect(r.wDecimal).toEqual(exact.map((v) => new T(v).toString()));
    expect(r.certificate).toMatchObject({ rank: 4, rows: 4, rankDeficient: false, rankMethod: 'modular', digitsAchieved: P });
    expect(Array.from(r.lambda)).toEqual(y.map((v) => v / 8));
  });

  it('one row: w = y x / ||x||^2 to 50 digits (a non-dyadic rational)', () => {
    const x = [1, 2, 3, 0.5];
    const r = minNormSolution(matFromRows([x]), Float64Array.from([1]));
    const nx2 = x.reduce((s, v) => s + v * v, 0); // 14.25
    const ref = x.map((v) => new T(v).div(nx2));
    expect(relErr(r.wDecimal, ref).lte(REL)).toBe(true);
    expect(r.wDecimal[0]).toBe(new T(1).div(nx2).toSignificantDigits(P).toString());
  });

  it('w0 on the affine set is returned unchanged (its projection is itself)', () => {
    const X = matFromRows([[1, 2, 0], [0, 1, 1]]);
    const w0 = Float64Array.from([0.5, -0.25, 2]);
    const y = Float64Array.from([0, 1.75]);
    expect(minNormSolution(X, y, { w0 }).wDecimal).toEqual(['0.5', '-0.25', '2']);
  });

  // regressions: the projection is 0 next to w0 and the multiplier -x w0 / x^2 is not dyadic, so the residual never
  // reaches 0; the stop rule is normwise relative to max(||w||, ||w0||) and entries below that accuracy print as 0
  it.each([
    [[[3]], [0], [1], ['0']],
    [[[1.015625]], [0], [0.015625], ['0']], // fast-check counterexample, LSGD_SEED=1094298157
    [[[-0.515625]], [0], [-0.015625], ['0']], // fast-check counterexample, LSGD_NUM_RUNS=400
    [[[0, 3]], [0], [1, 1], ['1', '0']],
  ])('%#: projection that vanishes next to w0 (X = %j, y = %j, w0 = %j) is exact-looking and certified', (Xr, y, w0, want) => {
    const X = matFromRows(Xr);
    const r = minNormSolution(X, Float64Array.from(y), { w0: Float64Array.from(w0) });
    expect(r.wDecimal).toEqual(want);
    expect(r.certificate.digitsAchieved).toBe(P);
    const w = strs(r.wDecimal);
    expect(residualD(X, w, Float64Array.from(y)).lte(new T(r.certificate.residualNorm))).toBe(true);
    expect(new T(r.certificate.residualNorm).lte('1e-50')).toBe(true);
  });

  it('no rows: the affine set is everything and w = w0', () => {
    const r = minNormSolution({ rows: 0, cols: 3, data: new Float64Array(0) }, new Float64Array(0), { w0: Float64Array.from([1, 2, 3]) });
    expect(r.wDecimal).toEqual(['1', '2', '3']);
  });
});

describe('minNormSolution: defining properties, checked independently in 90 digits', () => {
  const inst = fc.record({ n: fc.integer({ min: 1, max: 4 }), extra: fc.integer({ min: 0, max: 4 }) }).chain(({ n, extra }) =>
    fc.record({ X: matArb(n, n + extra), y: vecArb(n), w0: fc.option(vecArb(n + extra), { nil: undefined }) }),
  );

  it('X w = y, w - w0 in row(X), and the certificate bounds hold for the returned strings', () => {
    fc.assert(
      fc.property(inst, ({ X, y, w0 }) => {
        let r;
        try {
          r = minNormSolution(X, y, { w0 });
        } catch (e) {
          // random small dyadic rows can be dependent and inconsistent: only that error is acceptable here
          expect(String(e)).toMatch(/inconsistent system/);
          return;
        }
        const w = strs(r.wDecimal);
        const rows = r.certificate.independentRows;
        const XI: Mat = matFromRows(rows.map((i) => Array.from(rowD(X, i), (v) => v.toNumber())));
        const res = residualD(X, w, y);
        const dist = rowSpaceDistD(XI, w.map((v, j) => v.minus(w0 ? exactD(w0[j]) : 0)));
        const scale = normD(w).plus(1);
        expect(res.lte(new T(r.certificate.residualNorm))).toBe(true); // the certificate is an upper bound
        expect(dist.lte(new T(r.certificate.rowSpaceDistance).plus('1e-80'))).toBe(true);
        expect(res.div(scale).lte('1e-46')).toBe(true);
        expect(dist.div(scale).lte('1e-46')).toBe(true);
        expect(r.certificate.digitsAchieved).toBe(P);
      }),
    );
  });

  it('is the projection: ||w - w0|| <= ||v - w0|| for another solution v = w + null-space direction', () => {
    const r0 = rng(7);
    const X = randMat(r0, 3, 7);
    const y = randVec(r0, 3);
    const w0 = randVec(r0, 7);
    const w = strs(minNormSolution(X, y, { w0 }).wDecimal);
    // a null-space direction: e - X^T (X X^T)^{-1} X e, computed by the solver itself on y = 0 from w0 = e
    const e = randVec(r0, 7);
    const n = strs(minNormSolution(X, new Float64Array(3), { w0: e }).wDecimal);
    const d0 = normD(w.map((v, j) => v.minus(exactD(w0[j]))));
    for (const t of [-1, 0.5, 2]) {
      const v = w.map((x, j) => x.plus(n[j].times(t)));
      expect(residualD(X, v, y).lte('1e-45')).toBe(true);
      expect(d0.lte(normD(v.map((x, j) => x.minus(exactD(w0[j])))))).toBe(true);
    }
  });
});

/** Exact rationals p / q with q > 0 (test-side, no code shared with src/precise): the reference on ill-conditioned X. */
interface Q {
  readonly p: bigint;
  readonly q: bigint;
}
const ZERO: Q = { p: 0n, q: 1n };
function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
function qn(p: bigint, q: bigint): Q {
  if (q < 0n) [p, q] = [-p, -q];
  const g = gcd(p, q);
  return g > 1n ? { p: p / g, q: q / g } : { p, q };
}
const qadd = (a: Q, b: Q): Q => qn(a.p * b.q + b.p * a.q, a.q * b.q);
const qsub = (a: Q, b: Q): Q => qn(a.p * b.q - b.p * a.q, a.q * b.q);
const qmul = (a: Q, b: Q): Q => qn(a.p * b.p, a.q * b.q);
const qdiv = (a: Q, b: Q): Q => qn(a.p * b.q, a.q * b.p);
const qdot = (a: readonly Q[], b: readonly Q[]): Q => a.reduce((s, v, j) => qadd(s, qmul(v, b[j])), ZERO);
/** the exact value of a double */
function qDouble(x: number): Q {
  const { num, exp } = toExact(x);
  return exp >= 0 ? { p: num << BigInt(exp), q: 1n } : qn(num, 1n << BigInt(-exp));
}
/** a decimal string as printed by the solver (or a certificate bound), exactly */
function qDecimal(s: string): Q {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(s);
  if (!m) throw new Error(`qDecimal: cannot parse '${s}'`);
  const frac = m[3] ?? '';
  const e = Number(m[4] ?? 0) - frac.length;
  const int = BigInt(m[1] + m[2] + frac);
  return e >= 0 ? { p: int * 10n ** BigInt(e), q: 1n } : qn(int, 10n ** BigInt(-e));
}
/** a rational in the 90-digit test context (relative rounding 1e-90, far below every quantity compared) */
const qT = (a: Q) => new T(a.p.toString()).div(a.q.toString());

/** w* = w0 + X^T (X X^T)^{-1} (y - X w0) exactly: Gauss-Jordan in rationals on the Gram matrix. */
function minNormExact(X: Mat, y: Vec, w0?: Vec): Q[] {
  const { rows: n, cols: d } = X;
  const x = Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => qDouble(X.data[i * d + j])));
  const v = Array.from({ length: d }, (_, j) => (w0 ? qDouble(w0[j]) : ZERO));
  const M = x.map((xi, i) => [...x.map((xk) => qdot(xi, xk)), qsub(qDouble(y[i]), qdot(xi, v))]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    while (piv < n && M[piv][c].p === 0n) piv++;
    if (piv === n) throw new Error('minNormExact: the Gram matrix is singular');
    [M[c], M[piv]] = [M[piv], M[c]];
    for (let i = 0; i < n; i++) {
      if (i === c || M[i][c].p === 0n) continue;
      const f = qdiv(M[i][c], M[c][c]);
      for (let k = c; k <= n; k++) M[i][k] = qsub(M[i][k], qmul(f, M[c][k]));
    }
  }
  const lam = M.map((r, i) => qdiv(r[n], r[i]));
  return v.map((vj, j) => lam.reduce((s, l, i) => qadd(s, qmul(l, x[i][j])), vj));
}

describe('minNormSolution: ill-conditioned X on a dyadic grid, against an exact rational reference', () => {
  /**
   * n = 4 rows, d = 7: rows 0..2 are e_i + N_i (N_ij = k / 2^8, |N_ij| <= 1/8), row 3 is row 0 + 2^-s e_3. The rows are
   * exactly independent, sigma_max ~ sqrt(2) (rows 0 and 3 nearly equal) and sigma_min ~ 2^-s / sqrt(2) (their
   * difference, almost orthogonal to rows 0..2), so kappa(X) ~ 2^(s+1). Entry (3, 3) spans 2^-3 .. 2^-s: exact in f64.
   */
  const [n, d] = [4, 7];
  const noise = fc.integer({ min: -32, max: 32 }).map((k) => k / 256);
  const inst = (s: number) =>
    fc.record({ N: fc.array(noise, { minLength: (n - 1) * d, maxLength: (n - 1) * d }), y: vecArb(n), w0: fc.option(vecArb(d), { nil: undefined }) }).map(({ N, y, w0 }) => {
      const rows = Array.from({ length: n - 1 }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0) + N[i * d + j]));
      rows.push(rows[0].map((v, j) => (j === n - 1 ? v + 2 ** -s : v)));
      return { X: matFromRows(rows), y, w0 };
    });

  it.each([
    [6, '1e2'],
    [29, '1e9'],
    [39, '1e12'],
    [46, '1e14'],
  ])('rows 0 and 3 differ by 2^-%i (kappa(X) ~ %s): 50 certified digits, equal to the exact answer within the certificate', (s) => {
    fc.assert(
      fc.property(inst(s), ({ X, y, w0 }) => {
        expect(X.data[(n - 1) * d + n - 1] - X.data[n - 1]).toBe(2 ** -s); // the instance is exactly what it claims
        const sv = svd(X);
        const kappa = sv.condition;
        // why: kappa ~ 2^(s+1) up to ||row 0|| in [7/8, 1.16] (noise <= 1/8 per entry), the spread of the other singular
        // values and the angle of e_3 with span(rows 0..2); a factor 4 covers them (300 seeded draws: 0.90 .. 1.17)
        expect(kappa).toBeGreaterThan(2 ** (s + 1) / 4);
        expect(kappa).toBeLessThan(2 ** (s + 1) * 4);
        const r = minNormSolution(X, y, { w0 });
        const c = r.certificate;
        // why: the refinement returns only once ||r|| / sigma_min <= 10^-(P+1) max(||w||, ||w0||), so the cap P is reached
        expect(c.digitsAchieved).toBe(P);
        // why: R is the exact QR factor of X^T + E with ||E|| a small multiple of EPS ||X|| (Higham Thm 19.4; the worst-case
        // factor n d is not attained), which moves sigma_min by a relative |u^T E v| / sigma_min <= ||E|| kappa / ||X||
        // (first order), and the f64 SVD errs alike: 8 EPS kappa for both (300 seeded draws: at most 0.08 EPS kappa).
        // 40 steps of power (inverse) iteration from the start vector v0 leave a relative error <= tan^2(v0, u) q^78 / 2 on
        // the eigenvalue, q the ratio of the two largest (smallest) eigenvalues of X X^T, u the eigenvector
        // (extremeEigen in src/precise/refine.ts)
        const tan2 = (v0: number[], k: number) => {
          const cos = v0.reduce((acc, v, i) => acc + v * sv.U.data[i * sv.U.cols + k], 0);
          return (v0.reduce((acc, v) => acc + v * v, 0) - cos * cos) / (cos * cos);
        };
        const ev = Array.from(sv.s, (v) => v * v);
        const power = (tan2(Array.from({ length: n }, (_, i) => 1 + i / (n + 1)), 0) * (ev[1] / ev[0]) ** 78) / 2;
        const inverse = (tan2(Array.from({ length: n }, (_, i) => 1 + ((i * 7) % 11) / 13), n - 1) * (ev[n - 1] / ev[n - 2]) ** 78) / 2;
        expect(Math.abs(c.conditionEstimate / kappa - 1)).toBeLessThan(8 * EPS * kappa + power + inverse);

        const ref = minNormExact(X, y, w0);
        const w = r.wDecimal.map(qDecimal);
        // the answer: ||w_dec - w*|| <= ||w_dec - w_it|| + ||w_it - w*|| <= outputRounding + 10^-D S / (1 - 10^-D),
        // S = max(||w*||, ||w0||) (the digits are normwise relative to that scale; ||w_it|| <= S + ||w_it - w*||)
        const errW = qT(w.reduce((acc, v, j) => qadd(acc, qmul(qsub(v, ref[j]), qsub(v, ref[j]))), ZERO)).sqrt();
        const S = T.max(qT(qdot(ref, ref)).sqrt(), w0 ? normD(Array.from(w0, exactD)) : new T(0));
        const tenD = new T(10).pow(-c.digitsAchieved);
        expect(errW.lte(tenD.times(S).div(new T(1).minus(tenD)).plus(c.outputRounding))).toBe(true);
        // the residual bound is honest: ||X w_dec - y||^2 <= residualNorm^2, decided exactly
        const rows = Array.from({ length: n }, (_, i) => Array.from(X.data.subarray(i * d, (i + 1) * d), qDouble));
        const res2 = rows.reduce((acc, xi, i) => {
          const ri = qsub(qdot(xi, w), qDouble(y[i]));
          return qadd(acc, qmul(ri, ri));
        }, ZERO);
        const bound = qDecimal(c.residualNorm);
        expect(res2.p * bound.q * bound.q <= bound.p * bound.p * res2.q).toBe(true);
      }),
    );
  });
});

describe('minNormSolution: ranks, digits, purity', () => {
  it('rank-deficient but consistent: solves on independent rows and says so', () => {
    const r0 = rng(11);
    const X = randMat(r0, 3, 6);
    const y = randVec(r0, 3);
    const rows = [0, 1, 2].map((i) => Array.from(rowD(X, i), (v) => v.toNumber()));
    const Xd = matFromRows([...rows, rows[1].map((v) => 2 * v), rows[0].map((v, j) => v - rows[2][j])]);
    const yd = Float64Array.from([...y, 2 * y[1], y[0] - y[2]]);
    const full = minNormSolution(X, y);
    const dep = minNormSolution(Xd, yd);
    expect(dep.wDecimal).toEqual(full.wDecimal);
    expect(dep.certificate).toMatchObject({ rank: 3, rows: 5, rankDeficient: true, rankMethod: 'bareiss' });
    expect(dep.certificate.independentRows.length).toBe(3);
  });

  it('inconsistent: a clear error with both ranks', () => {
    const X = matFromRows([[1, 2, 3], [2, 4, 6], [0, 1, 0]]);
    expect(() => minNormSolution(X, Float64Array.from([1, 3, 0]))).toThrow(
      'minNormSolution: inconsistent system Xw = y: rank(X) = 2 < rank([X | y]) = 3 (3 rows, d = 3); no w satisfies it',
    );
  });

  // kappa(X) ~ 2^54 ~ 1.8e16 > 1/EPS: exactly full rank, but the f64 QR factor R of X^T carries no correct digit of
  // sigma_min, so it cannot drive the refinement. Up to EXACT_MAX_ROWS rows the solver then works in rational arithmetic
  // (src/precise/exactAffine.ts) and the answer is exact; beyond, it throws one line with the numbers.
  it.each([
    // row space span(e1, e2): w1 + w2 = 1, w1 + (1 + 2^-52) w2 = 2
    ['rows differing by one ulp', [[1, 1, 0], [1, 1 + 2 ** -52, 0]], [1 - 2 ** 52, 2 ** 52, 0]],
    // square: 2^-26 w1 = 3, 2^28 w2 = -1
    ['columns 2^-27 and +-2^27', [[2 ** -27, 2 ** 27], [2 ** -27, -(2 ** 27)]], [3 * 2 ** 26, -(2 ** -28)]],
  ])('beyond f64 conditioning (%s): the exact answer, from rational arithmetic', (_, rows, want) => {
    const r = minNormSolution(matFromRows(rows as number[][]), Float64Array.from([1, 2]));
    expect(r.wDecimal).toEqual((want as number[]).map((v) => exactD(v).toString()));
    expect(r.certificate).toMatchObject({ digitsAchieved: P, residualNorm: '0' });
  });

  it(`beyond f64 conditioning with more than ${EXACT_MAX_ROWS} rows: one line with the numbers, never fewer digits`, () => {
    // rows e_0 .. e_(n-2) and e_(n-2) + 2^-60 e_(n-1): kappa ~ 2^61
    const n = EXACT_MAX_ROWS + 1;
    const rows = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (j === Math.min(i, n - 2) ? 1 : i === n - 1 && j === n - 1 ? 2 ** -60 : 0)));
    const f = () => minNormSolution(matFromRows(rows), Float64Array.from({ length: n }, (_, i) => i + 1));
    expect(f).toThrow(/^minNormSolution: (the f64 QR factor R of X\^T \(25 independent rows.*numerically singular|iterative refinement stalled).*kappa\(X\)/);
    expect(f).toThrow(/^[^\n]*$/);
  });

  it('digits: 100 agrees with 50, 20 prints at most 20 significant digits', () => {
    const r0 = rng(3);
    const X = randMat(r0, 4, 9);
    const y = randVec(r0, 4);
    const r50 = minNormSolution(X, y);
    const r100 = minNormSolution(X, y, { digits: 100 });
    expect(r100.certificate.digitsAchieved).toBe(100);
    expect(relErr(r50.wDecimal, strs(r100.wDecimal)).lte(REL)).toBe(true);
    const r20 = minNormSolution(X, y, { digits: 20 });
    expect(Math.max(...r20.wDecimal.map(sigDigits))).toBeLessThanOrEqual(20);
    expect(relErr(r20.wDecimal, strs(r100.wDecimal)).lte('1e-19')).toBe(true);
  });

  it('does not mutate its inputs and is deterministic', () => {
    const r0 = rng(5);
    const X = randMat(r0, 3, 5);
    const y = randVec(r0, 3);
    const w0 = randVec(r0, 5);
    const copies = [X.data.slice(), y.slice(), w0.slice()];
    const a = minNormSolution(X, y, { w0 });
    const b = minNormSolution(X, y, { w0 });
    expect([X.data, y, w0]).toEqual(copies);
    expect(a).toEqual(b);
    expect(Array.from(a.w)).toEqual(a.wDecimal.map(Number)); // f64 output = the decimal rounded to nearest
  });

  it('multipliers reproduce w: w = w0 + X^T lambda (to f64 rounding)', () => {
    const r0 = rng(9);
    const X = randMat(r0, 3, 5);
    const y = randVec(r0, 3);
    const r = minNormSolution(X, y);
    const lam = Array.from(r.lambda, (v) => new T(v));
    const w = strs(r.wDecimal);
    for (let j = 0; j < 5; j++) {
      const s = lam.reduce((acc, l, i) => acc.plus(l.times(exactD(X.data[i * 5 + j]))), new T(0));
      expect(s.minus(w[j]).abs().lte(new T(1e-14).times(normD(w)))).toBe(true); // lambda is rounded to f64
    }
    void dotD;
  });
});

describe('minNormSolution: bad input', () => {
  const X = matFromRows([[1, 2], [3, 4], [5, 6]]);
  it.each([
    [() => minNormSolution(X, Float64Array.from([1, 2, 3, 4])), 'minNormSolution: X has 3 rows but y has 4 entries'],
    [() => minNormSolution(matFromRows([[1, NaN], [0, 1]]), Float64Array.from([1, 2])), 'minNormSolution: X[0][1] is NaN; entries must be finite'],
    [() => minNormSolution(X, Float64Array.from([1, Infinity, 3])), 'minNormSolution: y[1] is Infinity; entries must be finite'],
    [() => minNormSolution(X, Float64Array.from([1, 2, 3]), { w0: Float64Array.from([1]) }), 'minNormSolution: w0 has 1 entries but the number of columns of X is 2'],
    [() => minNormSolution(X, Float64Array.from([1, 2, 3]), { digits: 0 }), 'minNormSolution: digits must be an integer in [6, 300], got 0'],
    [() => minNormSolution({ rows: 2, cols: 2, data: new Float64Array(3) }, Float64Array.from([1, 2])), 'minNormSolution: X has shape 2 x 2 but 3 entries'],
  ])('%#: throws a one-line message naming the rule and the value', (f, msg) => {
    expect(f).toThrow(msg);
  });
});
