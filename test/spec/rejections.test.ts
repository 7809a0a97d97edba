import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTheorem, defineTheorem, summaryLine } from '../../src/spec/index.ts';
import { countingRejections, filterCounted, totalRejections } from '../../src/spec/rejections.ts';

/** a tight theorem on integers whose arbitrary throws away the odd draws (about half) */
function evensOnly(id: string) {
  return defineTheorem({
    id, title: 'x is x', source: { paper: 'test', version: 'v0', locator: 'here', provenance: 'derived' }, statement: 'x = x',
    kind: 'tight', hypotheses: [], instances: filterCounted(fc.integer({ min: 0, max: 1000 }), (x) => x % 2 === 0, 'odd draw'),
    observe: (x: number) => x, bound: (x: number) => x, tolerance: { abs: 0, why: 'exact' },
  });
}

describe('rejections inside an arbitrary', () => {
  it('are counted by reason in the scope of a check, and nothing is counted outside one', async () => {
    const { result, rejections } = await countingRejections(() => fc.sample(filterCounted(fc.integer({ min: 0, max: 9 }), (x) => x < 3, 'x >= 3'), { seed: 1, numRuns: 50 }));
    expect(result).toHaveLength(50);
    expect(rejections['x >= 3']).toBeGreaterThan(40);
    expect(totalRejections(rejections)).toBe(rejections['x >= 3']);
    expect(totalRejections(undefined)).toBe(0);
    expect(fc.sample(filterCounted(fc.integer(), () => true, 'never'), { seed: 1, numRuns: 3 })).toHaveLength(3);
  });

  it('reach the verdict and its summary line; two concurrent checks keep their own counts', async () => {
    const [a, b] = await Promise.all([
      checkTheorem(evensOnly('T-REJ1'), { subject: {}, seed: 5, profile: 'ci' }),
      checkTheorem(defineTheorem({
        id: 'T-REJ2', title: 'no filter', source: { paper: 'test', version: 'v0', locator: 'here', provenance: 'derived' }, statement: 'x = x',
        kind: 'tight', hypotheses: [], instances: fc.integer(), observe: (x: number) => x, bound: (x: number) => x, tolerance: { abs: 0, why: 'exact' },
      }), { subject: {}, seed: 5, profile: 'ci' }),
    ]);
    expect(a.status).toBe('holds');
    expect(b.status).toBe('holds');
    if (a.status !== 'holds' || b.status !== 'holds') return;
    expect(a.evidence.rejectedDraws).toBeGreaterThan(5);
    expect(a.evidence.rejectionReasons).toEqual({ 'odd draw': a.evidence.rejectedDraws });
    expect(b.evidence.rejectedDraws).toBeUndefined();
    expect(summaryLine(a)).toMatch(/\d+ draws? rejected in the arbitrary/);
  });

  it('a reason is required', () => {
    expect(() => filterCounted(fc.integer(), () => true, '')).toThrow(/^filterCounted: reason must be a non-empty string, got ""$/);
  });
});
