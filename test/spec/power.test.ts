import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTheorem, defineTheorem, loadRegistry } from '../../src/spec/index.ts';
import { frequencyPower, powerPhrase, samplesFor } from '../../src/spec/power.ts';
import { binomialCdf, frequencyDecision } from '../../src/spec/stats/binomial.ts';
import type { FrequencyClaim } from '../../src/spec/types.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** the power every Monte Carlo frequency claim must reach against its stated alternative on the default profile */
const MIN_DEFAULT_POWER = 0.9;

const claim = (over: Partial<FrequencyClaim<unknown>>): FrequencyClaim<unknown> => ({
  statistic: () => true, claimedFrequency: 0.5, claim: 'at-least', samples: 40, confidence: 0.999, method: 'monte-carlo', ...over,
});

describe('frequencyPower', () => {
  it('equals the binomial cdf at the largest refuting count (an independent path through the incomplete beta)', () => {
    for (const [n, p0, conf, alt] of [[40, 0.5, 0.999, 0.3], [12, 0.8, 0.99, 0.5], [80, 0.5, 0.99, 0.3], [150, 0.95, 0.999, 0.8]] as const) {
      let kStar = -1;
      for (let k = 0; k <= n; k++) if (frequencyDecision(k, n, { claimed: p0, claim: 'at-least', confidence: conf }).violated) kStar = k;
      const p = frequencyPower(claim({ samples: n, claimedFrequency: p0, confidence: conf, alternative: alt }), 'ci')!;
      expect(p.power).toBeCloseTo(binomialCdf(kStar, n, alt), 12);
      expect(p.size).toBeLessThanOrEqual(1 - conf);
    }
  });

  it('reproduces the weak decisions it replaced: 40 samples at 99.9% against 0.3 (claim >= 0.5), 12 at 99% against 0.5 (claim >= 0.8)', () => {
    expect(frequencyPower(claim({ alternative: 0.3 }), 'ci')!.power).toBeCloseTo(0.196, 3);
    expect(frequencyPower(claim({ samples: 12, claimedFrequency: 0.8, confidence: 0.99, alternative: 0.5 }), 'ci')!.power).toBeCloseTo(0.387, 3);
  });

  it('is monotone: more samples or an alternative further from the claim give more power', () => {
    const at = (n: number, alt: number) => frequencyPower(claim({ samples: n, confidence: 0.99, alternative: alt }), 'ci')!.power;
    expect(at(80, 0.3)).toBeGreaterThan(at(40, 0.3));
    expect(at(40, 0.2)).toBeGreaterThan(at(40, 0.3));
  });

  it('an at-most claim is refuted by high frequencies', () => {
    const p = frequencyPower(claim({ claim: 'at-most', claimedFrequency: 0.1, alternative: 0.4, samples: 30, confidence: 0.99 }), 'ci')!;
    expect(p.power).toBeGreaterThan(0.9);
  });

  it('is undefined without an alternative or for exact enumeration, and says so in words', () => {
    expect(frequencyPower(claim({}), 'ci')).toBeUndefined();
    expect(frequencyPower(claim({ method: 'exact', alternative: 0.3 }), 'ci')).toBeUndefined();
    expect(powerPhrase(undefined)).toBe('power not stated (no alternative)');
  });

  it('takes the sample count of the profile, falling back to the nearest smaller profile', () => {
    expect(samplesFor({ samples: 7 }, 'hunt')).toBe(7);
    expect(samplesFor({ samples: { ci: 10, default: 40 } }, 'ci')).toBe(10);
    expect(samplesFor({ samples: { ci: 10, default: 40 } }, 'hunt')).toBe(40);
    expect(samplesFor({ samples: { ci: 10, hunt: 99 } }, 'default')).toBe(10);
  });
});

describe('the runner reports the power', () => {
  it('puts power and alternative into the evidence and the summary, and draws the profile\'s sample count', async () => {
    const t = defineTheorem({
      id: 'T-POW1', title: 'coin', source: { paper: 'test', version: 'v0', locator: 'here', provenance: 'derived' },
      statement: 'p >= 1/2', kind: 'frequency', hypotheses: [], instances: fc.boolean(),
      frequency: { statistic: (b: boolean) => b, claimedFrequency: 0.5, samples: { ci: 30, default: 60 }, alternative: 0.2, confidence: 0.99, method: 'monte-carlo' },
    });
    const v = await checkTheorem(t, { subject: {}, seed: 3, profile: 'default' });
    const f = v.status === 'holds' ? v.evidence.frequency! : undefined;
    expect(f?.n).toBe(60);
    expect(f?.alternative).toBe(0.2);
    expect(f?.power).toBeCloseTo(frequencyPower((t as unknown as { frequency: FrequencyClaim<unknown> }).frequency, 'default')!.power, 15);
    expect(f?.summary).toMatch(/; power 0\.\d{3} against a true frequency of 0\.2 \(n = 60\)$/);
  });
});

describe('every Monte Carlo frequency property of the registry states its power', () => {
  it(`names an alternative and reaches power >= ${MIN_DEFAULT_POWER} on the default profile`, async () => {
    const reg = await loadRegistry({ root: ROOT });
    expect(reg.errors).toEqual([]);
    const freq = reg.entries.filter((e) => e.theorem.kind === 'frequency' && (e.theorem as { frequency: FrequencyClaim<unknown> }).frequency.method === 'monte-carlo');
    expect(freq.length).toBeGreaterThanOrEqual(5);
    const report = freq.map((e) => {
      const p = frequencyPower((e.theorem as { frequency: FrequencyClaim<unknown> }).frequency, 'default');
      return { id: e.id, ok: p !== undefined && p.power >= MIN_DEFAULT_POWER, why: powerPhrase(p) };
    });
    expect(report.filter((r) => !r.ok).map((r) => `${r.id}: ${r.why}`)).toEqual([]);
  });
});
