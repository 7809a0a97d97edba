import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ID_PATTERN, defineTheorem, dropHypotheses, isTheorem, redefine, specOf } from '../../src/spec/defineTheorem.ts';

const valid = {
  id: 'Z-R1-limit',
  title: 'Local-GD limit',
  source: { paper: 'Zhu et al., arXiv 2412.07971', version: 'v2', locator: 'Sec. 1.2', provenance: ['derived', 'num'] },
  statement: String.raw`w_\infty = X^+ y`,
  kind: 'tight',
  hypotheses: [{ name: 'd >= N', check: (): true => true }],
  instances: fc.integer(),
  observe: (x: number) => x,
  bound: (x: number) => x,
  tolerance: { rel: 1e-10, why: 'rho^K < 1e-13 plus rounding' },
} as const;

/** defineTheorem on `valid` with some fields replaced (undefined removes the field). */
function attempt(patch: Record<string, unknown>): () => unknown {
  const spec: Record<string, unknown> = { ...valid, ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete spec[k];
  return () => defineTheorem(spec as never);
}

describe('defineTheorem', () => {
  it('accepts a valid spec, freezes it and fills the profiles', () => {
    const t = defineTheorem({ ...valid, profiles: { hunt: 5000 } });
    expect(isTheorem(t)).toBe(true);
    expect(Object.isFrozen(t)).toBe(true);
    expect(t.runsPerProfile).toEqual({ ci: 25, default: 100, hunt: 5000 });
    expect(t.requires).toEqual([]);
    expect(isTheorem({ ...valid })).toBe(false);
  });

  it('accepts the id scheme of the catalogue and rejects others', () => {
    for (const id of ['Z-R1', 'L-3', 'A-5', 'Z-R1-limit', 'Z-C2-direction-rate']) expect(ID_PATTERN.test(id)).toBe(true);
    for (const id of ['z-R1', 'ZR1', 'Z-', 'Z-R1_limit', 'Z-R1-Limit', 'Z R1']) expect(ID_PATTERN.test(id)).toBe(false);
  });

  it('rejects a bad spec with one line naming the field', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ id: 'zr1' }, /^defineTheorem\(zr1\): id must match .* got 'zr1'$/],
      [{ title: '' }, /^defineTheorem\(Z-R1-limit\): title must be a non-empty string, got ''$/],
      [{ kind: 'exact' }, /^defineTheorem\(Z-R1-limit\): kind must be one of tight, upper-bound, monotone, equivalence, frequency; got 'exact'$/],
      [{ tolerence: { rel: 1 } }, /^defineTheorem\(Z-R1-limit\): tolerence is not a field of a 'tight' spec/],
      [{ source: { ...valid.source, provenance: 'DERIVED+NUM' } }, /^defineTheorem\(Z-R1-limit\): source.provenance must be one of read, read-2, recalled, derived, num .* got 'DERIVED\+NUM'$/],
      [{ source: { ...valid.source, locator: '' } }, /^defineTheorem\(Z-R1-limit\): source.locator must be a non-empty string/],
      [{ statement: undefined }, /^defineTheorem\(Z-R1-limit\): statement must be a non-empty string/],
      [{ hypotheses: [{ name: 'a', check: () => true }, { name: 'a', check: () => true }] }, /^defineTheorem\(Z-R1-limit\): hypotheses\[1\].name duplicates 'a'$/],
      [{ hypotheses: [{ name: 'a' }] }, /^defineTheorem\(Z-R1-limit\): hypotheses\[0\].check must be a function/],
      [{ instances: [1, 2] }, /^defineTheorem\(Z-R1-limit\): instances must be a fast-check Arbitrary$/],
      [{ bound: undefined }, /^defineTheorem\(Z-R1-limit\): bound must be a function/],
      [{ tolerance: { rel: 1e-10 } }, /^defineTheorem\(Z-R1-limit\): tolerance .why must be a non-empty string/],
      [{ tolerance: { rel: -1, why: 'x' } }, /^defineTheorem\(Z-R1-limit\): tolerance .rel must be a non-negative finite number, got -1$/],
      [{ tolerance: { rel: 1e-9, why: 'x', k: 3 } }, /^defineTheorem\(Z-R1-limit\): tolerance has unknown field 'k'/],
      [{ profiles: { ci: 0 } }, /^defineTheorem\(Z-R1-limit\): profiles.ci must be a positive integer number of runs, got 0$/],
      [{ profiles: { nightly: 5 } }, /^defineTheorem\(Z-R1-limit\): profiles.nightly is not a profile/],
      [{ requires: 'localGD' }, /^defineTheorem\(Z-R1-limit\): requires must be an array of capability names, got 'localGD'$/],
      [{ kind: 'monotone', bound: undefined }, /^defineTheorem\(Z-R1-limit\): direction must be 'non-increasing' or 'non-decreasing', got undefined$/],
      [{ kind: 'monotone', direction: 'non-increasing' }, /^defineTheorem\(Z-R1-limit\): bound is not a field of a 'monotone' spec/],
      [{ minNonVacuousFraction: 2 }, /^defineTheorem\(Z-R1-limit\): minNonVacuousFraction must be in \[0, 1\], got 2$/],
    ];
    for (const [patch, msg] of cases) {
      expect(attempt(patch)).toThrow(msg);
      try {
        attempt(patch)();
      } catch (e) {
        expect((e as Error).message.includes('\n')).toBe(false);
      }
    }
  });

  it('validates frequency claims', () => {
    const freq = { statistic: () => true, claimedFrequency: 0.9, samples: 100, confidence: 0.99, method: 'monte-carlo' };
    const f = (patch: Record<string, unknown>) => attempt({ kind: 'frequency', observe: undefined, bound: undefined, tolerance: undefined, frequency: { ...freq, ...patch } });
    expect(f({})).not.toThrow();
    expect(f({ claimedFrequency: 1.5 })).toThrow(/^defineTheorem\(Z-R1-limit\): frequency.claimedFrequency must be in \[0, 1\], got 1.5$/);
    expect(f({ confidence: 1 })).toThrow(/frequency.confidence must be in \(0, 1\), got 1$/);
    expect(f({ samples: 2.5 })).toThrow(/frequency.samples must be a positive integer, got 2.5$/);
    expect(f({ method: 'exact' })).toThrow(/frequency.population must be a function/);
    expect(f({ claim: 'most' })).toThrow(/frequency.claim must be 'at-least', 'at-most' or 'equal', got 'most'$/);
    expect(f({ samples: { default: 10 } })).toThrow(/frequency.samples per-profile samples must give ci/);
    expect(f({ samples: { ci: 5, nightly: 9 } })).toThrow(/frequency.samples.nightly is not a profile \(allowed: ci, default, hunt\)$/);
    expect(f({ samples: { ci: 0 } })).toThrow(/frequency.samples.ci must be a positive integer, got 0$/);
    expect(f({ alternative: 0.95 })).toThrow(/frequency.alternative must lie below the claimed 0.9 for an 'at-least' claim, got 0.95$/);
    expect(f({ claim: 'at-most', alternative: 0.5 })).toThrow(/frequency.alternative must lie above the claimed 0.9 for an 'at-most' claim, got 0.5$/);
    expect(f({ alternative: 1.5 })).toThrow(/frequency.alternative must be in \[0, 1\], got 1.5$/);
    expect(f({ samples: { ci: 5, default: 50 }, alternative: 0.5 })).not.toThrow();
    expect(attempt({ kind: 'frequency', frequency: freq })).toThrow(/observe is not a field of a 'frequency' spec/);
  });
});

describe('variants of a defined theorem', () => {
  const t = defineTheorem({ ...valid, hypotheses: [{ name: 'd >= N', check: (): true => true }, { name: 'rho < 1', check: (): true => true }], profiles: { ci: 7 } } as never);
  it('specOf gives back the fields without the filled-in profile table; redefine validates the changes again', () => {
    expect(Object.keys(specOf(t))).not.toContain('runsPerProfile');
    const r = redefine(t, { id: 'Z-R1-other', profiles: { ci: 3 } });
    expect([r.id, r.runsPerProfile.ci, r.runsPerProfile.default, t.id]).toEqual(['Z-R1-other', 3, 100, 'Z-R1-limit']);
    expect(() => redefine(t, { kind: 'sideways' })).toThrow(/^defineTheorem\(Z-R1-limit\): kind must be one of/);
    expect(() => specOf({ id: 'x' } as never)).toThrow(/^specOf: expected a theorem built by defineTheorem/);
  });
  it('dropHypotheses removes exactly the named hypotheses under a new id, and rejects an unknown name', () => {
    const instances = fc.constant(5);
    const d = dropHypotheses(t, 'Z-R1-no-rho', ['rho < 1'], instances);
    expect([d.id, d.hypotheses.map((h) => h.name), d.instances === instances]).toEqual(['Z-R1-no-rho', ['d >= N'], true]);
    expect(t.hypotheses).toHaveLength(2); // the original is untouched
    expect(() => dropHypotheses(t, 'Z-R1-x', ['rho<1'], instances)).toThrow("dropHypotheses(Z-R1-limit): no hypothesis 'rho<1' (it has: 'd >= N', 'rho < 1')");
  });
});
