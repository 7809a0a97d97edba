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
