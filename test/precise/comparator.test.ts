/**
 * Teeth for the Decimal comparisons. decimal.js objects compare natively through valueOf(), which returns a
 * STRING, so `a < b` on Decimals is a lexicographic comparison: '1e-8' > '0.99', '9' > '10', '-0.5' > '-0.25'.
 * Every decision of the KKT gate (verifyLdp) goes through an injectable comparator (Decimal.cmp by default).
 * These tests plant the native comparison and show that a check which the real comparator passes then fails:
 * a solver with such a bug would accept an infeasible answer (and the assertions below would go red).
 */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { matFromRows } from '../../src/numeric/index.ts';
import { decimalCompare, decimalContext, decimalMin, maxMarginSolution, verifyLdp } from '../../src/precise/index.ts';
import type { DecimalCompare, LdpCandidate } from '../../src/precise/index.ts';
import { LDP_COMPARE_SITES, type LdpCompare, type LdpCompareSite } from '../../src/precise/certificate.ts';

/** The planted bug: native relational operators on Decimal objects (via valueOf, which is what `<` uses). */
const nativeCompare: DecimalCompare = (a, b) => (a.valueOf() < b.valueOf() ? -1 : a.valueOf() > b.valueOf() ? 1 : 0);

describe('native comparison of Decimal objects is lexicographic', () => {
  const D = decimalContext(50);
  it.each([
    ['1e-8', '0.99'],
    ['9', '10'],
    ['-0.5', '-0.25'],
  ])('%s vs %s: Decimal.cmp and the native order disagree', (a, b) => {
    expect(Math.sign(decimalCompare(new D(a), new D(b)))).toBe(-1);
    expect(Math.sign(nativeCompare(new D(a), new D(b)))).toBe(1);
    expect(new D(a).valueOf() > new D(b).valueOf()).toBe(true); // what `a > b` evaluates on the objects
  });

  it('decimalMin with the planted comparator picks the wrong element', () => {
    const xs = ['9', '10', '12'].map((s) => new D(s));
    expect(decimalMin(xs).toString()).toBe('9');
    expect(decimalMin(xs, nativeCompare).toString()).toBe('10');
  });
});

describe('the KKT gate with a planted comparator accepts an infeasible candidate', () => {
  // Z = I (constraints u_0 >= 1, u_1 >= 1), w0 = (0, 2^-27). Candidate u = (1, 2^-27) with active set {0},
  // lambda_0 = 1: stationarity, active residual and lambda > 0 all hold exactly, but u_1 = 7.45e-9 < 1 violates
  // the second constraint. Its margin prints as '7.450580596923828125e-9', which sorts ABOVE '1'.
  const cand: LdpCandidate = {
    Z: matFromRows([[1, 0], [0, 1]]),
    w0: Float64Array.from([0, 2 ** -27]),
    u: ['1', new Decimal(2).pow(-27).toString()],
    active: [0],
    lambda: ['1'],
    digits: 50,
  };

  it('Decimal.cmp rejects it, naming the violated margin', () => {
    const chk = verifyLdp(cand);
    expect(chk.ok).toBe(false);
    expect(chk.failures.join(' ')).toMatch(/margin of row 1 is 7\.4505806e-9 < 1 - 1e-45/);
  });

  it('the planted native comparison accepts it (this is the bug the previous test catches)', () => {
    expect(cand.u[1]).toBe('7.450580596923828125e-9');
    expect(verifyLdp(cand, nativeCompare).ok).toBe(true);
  });

  it('each KKT condition has teeth under the real comparator', () => {
    const base = { Z: matFromRows([[1, 0], [0, 1]]), w0: null, digits: 50 } as const;
    const good: LdpCandidate = { ...base, u: ['1', '1'], active: [0, 1], lambda: ['1', '1'] };
    expect(verifyLdp(good).ok).toBe(true);
    expect(verifyLdp({ ...good, lambda: ['1', '-1e-9'] }).failures.join()).toMatch(/lambda\[1\] = -1e-9 is not positive/);
    expect(verifyLdp({ ...good, u: ['1', '1.5'] }).failures.join()).toMatch(/active residual|stationarity/);
    expect(verifyLdp({ ...good, lambda: ['1', '1.0000001'] }).failures.join()).toMatch(/stationarity residual/);
  });

  it('the solvers pass the comparator through: a planted one is used by the final gate', () => {
    // a throwing comparator proves the option reaches the gate
    const boom: DecimalCompare = () => { throw new Error('planted comparator called'); };
    expect(() => maxMarginSolution(matFromRows([[1, 0]]), Float64Array.from([1]), { compare: boom })).toThrow('planted comparator called');
  });
});

/*
 * Comparison sites of verifyLdp (src/precise/certificate.ts, tags in LDP_COMPARE_SITES) and the test below that
 * fails when that ONE site is planted with a wrong comparison (`plantAt(site, ...)`, every other site correct):
 *   lambdaMin        running min of lambda (reported lambdaMin)    -> 'lambdaMin': lambda (9, 10, 12)
 *   lambdaMax        running max of lambda (scales two tolerances)  -> 'lambdaMax': lambda (10, 9, 1/2 + ...)
 *   lambdaSign       lambda_k <= 0                                  -> 'lambdaSign': lambda = 1e-400 (Number() plant)
 *   marginMin        running min of the margins                     -> 'marginMin': margin 7.45e-9 vs 1
 *   activeMax        running max of |z_i^T u - 1| on A               -> 'activeMax': residuals 9e-46, 2e-45
 *   complMax         running max of lambda_i |z_i^T u - 1|           -> 'complMax': products 3e-45, 1.2e-44
 *   marginGate       min margin >= 1 - tol                          -> 'marginGate': 7.45e-9 vs 0.999...
 *   activeGate       active residual <= tol * max lambda            -> 'activeGate': u = lambda = (1.5, 1 + 1e-60)
 *   complGate        complementarity <= tol * max lambda            -> 'complGate': the same candidate
 *   scaleMax         max(1, stationarity scale)                     -> 'scaleMax': scale 2^-20
 *   stationarityGate stationarity residual <= tol * scale           -> 'stationarityGate': residual 1.5e-44
 * The last test checks that this table is complete: every call of the comparator carries one of these tags and
 * the candidates below reach every tag.
 */
describe('verifyLdp: a wrong comparison planted at any single site makes a test fail', () => {
  const D = decimalContext(80);
  const stringOrder: LdpCompare = (a, b) => nativeCompare(a, b);
  const viaNumber: LdpCompare = (a, b) => Math.sign(Number(a.valueOf()) - Number(b.valueOf()));
  const plantAt = (site: LdpCompareSite, wrong: LdpCompare): LdpCompare => (a, b, s) => (s === site ? wrong(a, b, s) : decimalCompare(a, b));
  const I = (n: number) => matFromRows(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))));
  const dec = (x: string) => new D(x).toString(); // full-precision decimal strings of exact sums
  // the infeasible candidate of the previous block: Z = I, w0 = (0, 2^-27), u = (1, 2^-27), A = {0}, lambda = 1
  const infeasible: LdpCandidate = { Z: I(2), w0: Float64Array.from([0, 2 ** -27]), u: ['1', new D(2).pow(-27).toString()], active: [0], lambda: ['1'], digits: 50 };

  // brief's candidate. Z = I, w0 = 0, A = {0, 1}, u = lambda = (1.5, 1 + 1e-60) (precision 65 holds 1 + 1e-60 exactly).
  // lambda > 0; min margin 1 + 1e-60 >= 1 - t; stationarity u - lambda = 0 exactly. But z_0^T u - 1 = 0.5 on the
  // active set: active residual 0.5 > t * max lambda = 1.5e-45 and complementarity 1.5 * 0.5 = 0.75 > 1.5e-45.
  // Right verdict: NOT ok, exactly those two failures. String order: '0.5' < '1.5e-45' and '0.75' < '1.5e-45'.
  const brief: LdpCandidate = { Z: I(2), w0: null, u: ['1.5', new D(1).plus('1e-60').toString()], active: [0, 1], lambda: ['1.5', new D(1).plus('1e-60').toString()], digits: 50 };

  const cases: Array<{ site: LdpCompareSite; cand: LdpCandidate; wrong: LdpCompare; check: (c: ReturnType<typeof verifyLdp>) => unknown }> = [
    // lambdaMin: string order keeps '10' < '9'; the reported min must be 9. All conditions hold (u = (1,1,1) = w0 + lambda).
    { site: 'lambdaMin', wrong: stringOrder, cand: { Z: I(3), w0: Float64Array.from([-8, -9, -11]), u: ['1', '1', '1'], active: [0, 1, 2], lambda: ['9', '10', '12'], digits: 50 },
      check: (c) => [c.ok, c.lambdaMin?.toString()] },
    // lambdaMax: true max 10 gives tolerance 1e-44 >= residual 9.5e-45 of row 2 (lambda_2 = 0.5 + 9.5e-45: complementarity
    // 4.75e-45 passes too; u = w0 + lambda exactly): ok. String order gives max 9 ('9' > '10'), 9e-45 < 9.5e-45: fails.
    { site: 'lambdaMax', wrong: stringOrder, cand: { Z: I(3), w0: Float64Array.from([-9, -8, 0.5]), u: ['1', '1', dec('1.0000000000000000000000000000000000000000000095')], active: [0, 1, 2], lambda: ['10', '9', dec('0.5000000000000000000000000000000000000000000095')], digits: 50 },
      check: (c) => c.ok },
    // lambdaSign: lambda = 1e-400 > 0 is fine (Z = [1], w0 = 1, u = 1: stationarity residual 1e-400 <= t): ok.
    // String order gets every sign right ('-' < '0' < digits); Number('1e-400') = 0 makes it "not positive".
    { site: 'lambdaSign', wrong: viaNumber, cand: { Z: matFromRows([[1]]), w0: Float64Array.from([1]), u: ['1'], active: [0], lambda: ['1e-400'], digits: 50 },
      check: (c) => c.ok },
    // marginMin / marginGate: the infeasible candidate above (u_1 = 2^-27 off the active set): NOT ok.
    { site: 'marginMin', wrong: stringOrder, cand: infeasible, check: (c) => c.ok },
    { site: 'marginGate', wrong: stringOrder, cand: infeasible, check: (c) => c.ok },
    // activeMax: residuals 9e-46 (lambda 1 + 9e-46) and 2e-45 (lambda 0.25 + 2e-45), u = w0 + lambda with w0 = (0, 0.75):
    // 2e-45 > t * (1 + 9e-46): NOT ok (complementarity 5e-46 and 9e-46 pass). String order keeps 9e-46 as the max.
    { site: 'activeMax', wrong: stringOrder, cand: { Z: I(2), w0: Float64Array.from([0, 0.75]), u: [dec('1.0000000000000000000000000000000000000000000009'), dec('1.000000000000000000000000000000000000000000002')], active: [0, 1], lambda: [dec('1.0000000000000000000000000000000000000000000009'), dec('0.250000000000000000000000000000000000000000002')], digits: 50 },
      check: (c) => c.ok },
    // complMax: residuals 3e-45 on both rows (<= t * (4 + 3e-45)), lambda = (1 + 3e-45, 4 + 3e-45), w0 = (0, -3):
    // complementarity of row 1 is 1.2e-44 > 4e-45: NOT ok. String order keeps 3e-45 ('1.2e-44' < '3e-45').
    { site: 'complMax', wrong: stringOrder, cand: { Z: I(2), w0: Float64Array.from([0, -3]), u: [dec('1.000000000000000000000000000000000000000000003'), dec('1.000000000000000000000000000000000000000000003')], active: [0, 1], lambda: [dec('1.000000000000000000000000000000000000000000003'), dec('4.000000000000000000000000000000000000000000003')], digits: 50 },
      check: (c) => c.ok },
    { site: 'activeGate', wrong: stringOrder, cand: brief, check: (c) => c.failures.map((f) => f.split(' ')[0]) },
    { site: 'complGate', wrong: stringOrder, cand: brief, check: (c) => c.failures.map((f) => f.split(' ')[0]) },
    // scaleMax: Z = [[2^20, 0]], u = (2^-20, 1e-46), lambda = 2^-40: margin 1 exactly; stationarity residual (0, 1e-46)
    // <= t * max(1, scale = 2^-20) = 1e-45: ok. String order: '9.5e-7' > '1', tolerance 9.5e-52 < 1e-46: fails.
    { site: 'scaleMax', wrong: stringOrder, cand: { Z: matFromRows([[2 ** 20, 0]]), w0: null, u: [new D(2).pow(-20).toString(), '1e-46'], active: [0], lambda: [new D(2).pow(-40).toString()], digits: 50 },
      check: (c) => c.ok },
    // stationarityGate: Z = [[1, 0]], u = (1, 1.5e-44), lambda = 1: residual 1.5e-44 > t: NOT ok; '1.5e-44' < '1e-45' as strings.
    { site: 'stationarityGate', wrong: stringOrder, cand: { Z: matFromRows([[1, 0]]), w0: null, u: ['1', '1.5e-44'], active: [0], lambda: ['1'], digits: 50 },
      check: (c) => c.ok },
  ];

  it('the right verdicts (derived in the comments above)', () => {
    const ok = (c: LdpCandidate) => verifyLdp(c).ok;
    expect(cases.map((k) => [k.site, ok(k.cand)])).toEqual([
      ['lambdaMin', true], ['lambdaMax', true], ['lambdaSign', true], ['marginMin', false], ['marginGate', false],
      ['activeMax', false], ['complMax', false], ['activeGate', false], ['complGate', false], ['scaleMax', true], ['stationarityGate', false],
    ]);
    expect(verifyLdp(cases[0].cand).lambdaMin?.toString()).toBe('9');
    expect(verifyLdp(brief).failures.map((f) => f.split(' ')[0])).toEqual(['active', 'complementary']);
  });

  it.each(cases.map((k) => [k.site, k] as const))('%s: planting the wrong comparison there changes the outcome', (_, k) => {
    expect(k.check(verifyLdp(k.cand, plantAt(k.site, k.wrong)))).not.toEqual(k.check(verifyLdp(k.cand)));
  });

  it('the brief candidate under native string order everywhere: the real violation (0.5) is lost', () => {
    // The running max keeps '1e-60' > '0.5', and the gate then finds '1e-60' > '1.5e-45' ('e' sorts above '.'):
    // the verdict stays "not ok" by accident, for a phantom reason; Number() also keeps "not ok" (0.5 > 1.5e-45 in f64).
    expect(verifyLdp(brief).failures.join('; ')).toMatch(/^active residual 0\.5 exceeds 1e-45; complementary slackness 0\.75/);
    expect(verifyLdp(brief, stringOrder).failures).toEqual(['active residual 1e-60 exceeds 1e-45']);
  });

  it('the table is complete: every comparison is tagged, and the candidates reach every site', () => {
    const seen = new Set<string>();
    const rec: LdpCompare = (a, b, s) => { expect(LDP_COMPARE_SITES).toContain(s); seen.add(s); return decimalCompare(a, b); };
    for (const k of cases) verifyLdp(k.cand, rec);
    expect([...seen].sort()).toEqual([...LDP_COMPARE_SITES].sort());
    expect(new Set(cases.map((k) => k.site))).toEqual(new Set(LDP_COMPARE_SITES));
  });
});
