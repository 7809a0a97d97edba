/**
 * Power of a frequency claim's decision: the exact probability, under the binomial distribution, that a subject whose
 * true success frequency is the claim's stated alternative is refuted by the Clopper-Pearson decision of runFrequency
 * with the profile's sample count. Together with the false-alarm bound (1 - confidence) it says what a run can
 * detect: a claim that passes with low power is weak evidence.
 */
import { frequencyDecisionSize } from './stats/binomial.ts';
import { PROFILE_NAMES, type FrequencyClaim, type ProfileName } from './types.ts';

/** Sample count of a Monte Carlo frequency claim at a profile (a missing profile takes the nearest given one below it). */
export function samplesFor(f: Pick<FrequencyClaim<unknown>, 'samples'>, profile: ProfileName): number {
  if (typeof f.samples === 'number') return f.samples;
  const order = PROFILE_NAMES.slice(0, PROFILE_NAMES.indexOf(profile) + 1).reverse();
  for (const p of order) {
    const n = f.samples[p];
    if (n !== undefined) return n;
  }
  throw new Error(`samplesFor: no sample count at or below profile '${profile}' (given: ${Object.keys(f.samples).join(', ') || 'none'})`);
}

export interface FrequencyPower {
  /** the stated alternative (true frequency) */
  readonly alternative: number;
  /** sample count of the profile */
  readonly n: number;
  /** P(refuted | true frequency = alternative), exact binomial */
  readonly power: number;
  /** the largest false-alarm probability at the claimed frequency itself (exact binomial; at most 1 - confidence) */
  readonly size: number;
}

/** The power of a Monte Carlo frequency claim at a profile, or undefined when it states no alternative or is exact. */
export function frequencyPower(f: FrequencyClaim<unknown>, profile: ProfileName): FrequencyPower | undefined {
  if (f.method !== 'monte-carlo' || f.alternative === undefined) return undefined;
  const n = samplesFor(f, profile);
  const opts = { claimed: f.claimedFrequency, claim: f.claim ?? 'at-least', confidence: f.confidence } as const;
  return { alternative: f.alternative, n, power: frequencyDecisionSize(n, f.alternative, opts), size: frequencyDecisionSize(n, f.claimedFrequency, opts) };
}

/** One phrase for reports: 'power 0.93 against a true frequency of 0.3 (n = 60)'. */
export function powerPhrase(p: FrequencyPower | undefined): string {
  if (!p) return 'power not stated (no alternative)';
  return `power ${p.power.toFixed(3)} against a true frequency of ${p.alternative} (n = ${p.n})`;
}
