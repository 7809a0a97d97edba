import { describe, expect, it } from 'vitest';
import { compareMonotone, compareValues, shapeProblem, usedRatio, valueProblem } from '../../src/spec/compare.ts';

describe('comparisons by kind', () => {
  it('tight scalars: |o - b| <= abs + rel |b|, with the edge included', () => {
    const tol = { abs: 0.5, rel: 0.25, why: 'test' };
    expect(compareValues('tight', 10, 8, tol)).toMatchObject({ ok: true, difference: 2, allowed: 2.5, used: 0.8 }); // allowed = 0.5 + 0.25 * 8
    expect(compareValues('tight', 10.5, 8, tol)).toMatchObject({ ok: true, difference: 2.5, allowed: 2.5, used: 1 });
    expect(compareValues('tight', 10.75, 8, tol).ok).toBe(false);
    expect(compareValues('equivalence', 5.5, 8, tol)).toMatchObject({ ok: true, difference: 2.5 });
  });

  it('upper-bound: only the excess counts; vectors are compared elementwise with |b_i|', () => {
    const tol = { rel: 0.5, why: 'test' };
    expect(compareValues('upper-bound', -100, 1, tol)).toMatchObject({ ok: true, difference: -101 });
    const c = compareValues('upper-bound', [1, 5, 3.5], [2, 4, 2], tol);
    expect(c).toMatchObject({ ok: false, index: 2, difference: 1.5, allowed: 1, used: 1.5 }); // element 1 is inside: 1 <= 2
  });

  it('tight vectors use the infinity norm of the bound as scale and report the worst element', () => {
    const c = compareValues('tight', [1, 2, 3], [1, 2.5, 4], { rel: 0.2, why: 'test' });
    expect(c).toMatchObject({ ok: false, index: 2, difference: 1, allowed: 0.8, observedAt: 3, boundAt: 4 });
    expect(compareValues('tight', new Float64Array([1, 2]), [1, 2], { abs: 0, why: 'exact' })).toMatchObject({ ok: true, used: 1 });
  });

  it('monotone: steps against the previous element; direction flips the sign', () => {
    const tol = { rel: 0.1, why: 'slack' };
    expect(compareMonotone('non-increasing', [10, 9, 9.8], tol)).toMatchObject({ ok: true, index: 2 }); // +0.8 <= 0.9
    expect(compareMonotone('non-increasing', [10, 9, 10], tol)).toMatchObject({ ok: false, index: 2, observedAt: 10, boundAt: 9 });
    expect(compareMonotone('non-decreasing', [1, 2, 1.5], { abs: 0, why: 'exact' })).toMatchObject({ ok: false, index: 2, difference: 0.5 });
  });

  it('usedRatio handles zero slack; value and shape problems are named', () => {
    expect([usedRatio(0, 0), usedRatio(1e-300, 0), usedRatio(-1, 0), usedRatio(1, 4)]).toEqual([1, Infinity, -Infinity, 0.25]);
    expect(valueProblem([1, Number.NaN], 'observed')).toBe('observed[1] is NaN');
    expect(valueProblem('3', 'observed')).toBe('observed must be a number or a number array, got string');
    expect(valueProblem([], 'bound')).toBe('bound is an empty array');
    expect(shapeProblem([1, 2], [1, 2, 3])).toBe('observed has 2 entries but bound has 3');
  });
});
