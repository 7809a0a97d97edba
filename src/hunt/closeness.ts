/**
 * Closeness: how near one case came to refuting its theorem, on one scale for every kind, > 1 exactly when the
 * case refutes it. It is the runner's own `used` ratio (src/spec/compare.ts), so the hunt ranks cases by the very
 * comparison `check` decides with:
 *
 *   tight, equivalence   |o - b| / (abs + rel |b|)        (vectors: the worst element against rel ||b||_inf)
 *   upper-bound          (o - b) / (abs + rel |b|)        (elementwise; negative when strictly inside the bound)
 *   monotone             max_i step_i / (abs + rel |s_{i-1}|), step_i = s_i - s_{i-1} (negated for non-decreasing)
 *   zero slack           1 for exact agreement, +Infinity for any excess, -Infinity strictly inside (usedRatio)
 *   subject failure      +Infinity (it threw, returned NaN or a wrong shape: a violation with no comparison)
 *   vacuous              none (the case did not exercise the claim and is not ranked)
 *
 * A frequency claim has no closeness per case (one instance is a Bernoulli trial, not a comparison); its hunt has an
 * aggregate closeness (frequencyCloseness) over all the cases drawn so far.
 */
import type { Outcome } from '../spec/evaluate.ts';
import { frequencyDecision } from '../spec/stats/binomial.ts';

/** Closeness of one evaluated case (undefined: vacuous, or no comparison ran for a reason that is not the subject's). */
export function closenessOf(out: Outcome): number | undefined {
  if (out.type === 'pass') return out.cmp.used;
  if (out.type === 'violation') return out.cmp ? out.cmp.used : Infinity;
  return undefined;
}

/**
 * Aggregate closeness of a frequency claim after `successes` of `n`: (distance of the estimate from the claim on the
 * wrong side) / (reach of the confidence interval toward the claim), the ratio runFrequency.ts reports as
 * difference / allowed. It is > 1 exactly when the Clopper-Pearson interval excludes the claim; <= 0 when the
 * estimate sits on the claim's side.
 */
export function frequencyCloseness(successes: number, n: number, claimed: number, claim: 'at-least' | 'at-most' | 'equal', confidence: number): { closeness: number; violated: boolean; summary: string } {
  if (n === 0) return { closeness: -Infinity, violated: false, summary: 'no cases yet' };
  const d = frequencyDecision(successes, n, { claimed, claim, confidence });
  const p = successes / n;
  const below = claim === 'at-least' || (claim === 'equal' && p < claimed);
  const difference = below ? claimed - p : p - claimed;
  const allowed = below ? d.interval.hi - p : p - d.interval.lo;
  // allowed = 0 only when the interval collapses onto p; then the claim is refuted iff the estimate is off it
  const closeness = allowed > 0 ? difference / allowed : difference > 0 ? Infinity : difference === 0 ? 1 : -Infinity;
  return { closeness, violated: d.violated, summary: d.summary };
}
