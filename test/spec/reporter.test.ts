import { describe, expect, it } from 'vitest';
import { pretty, toJsonSafe, truncate } from '../../src/spec/pretty.ts';
import { assertHolds, frequencyCloseness, jsonReport, summaryLine, textReport } from '../../src/spec/reporter.ts';
import { frequencyDecision } from '../../src/spec/stats/binomial.ts';
import { checkTheorem } from '../../src/spec/runner.ts';
import type { Verdict } from '../../src/spec/verdict.ts';
import { buggySubject, coinFrequency, correctSubject, sumReverse } from './fixtures/toy.ts';

const seed = Number(process.env.LSGD_SEED ?? 42);

describe('text reporter', () => {
  it('a violation reads like fast-check: headline, replay line, counterexample, observed vs bound, why, hypotheses, hints', async () => {
    const v = await checkTheorem(sumReverse, { subject: buggySubject, seed, profile: 'ci' });
    if (v.status !== 'violated') throw new Error(`expected a violation, got ${v.status}`);
    const lines = textReport(v, { theorem: sumReverse }).split('\n');
    expect(lines[0]).toBe('✗ T-SUM1 — sum of a list equals the sum of its reverse [tight] violated');
    expect(lines[1]).toBe('  source: toy arithmetic (runner tests), n/a, test/spec/fixtures/toy.ts (derived)');
    expect(lines[2]).toMatch(/^ {2}observed differs from the bound: \|-?\d+ - -?\d+\| = 1\.00 > allowed 0\.00$/);
    expect(lines[3]).toBe(`  replay: ${v.command}`);
    expect(lines).toContain(`  counterexample (shrunk): ${pretty(v.counterexample)}`);
    expect(lines).toContain(`  observed: ${v.observed}`);
    expect(lines).toContain(`  bound:    ${v.bound}`);
    expect(lines).toContain('  difference 1.00 > allowed 0.00 (abs 0.00)');
    expect(lines).toContain('  tolerance why: integer sums below 2^53 are exact in f64');
    expect(lines).toContain('  hypotheses on the counterexample: ✓ integers in [-100, 100]');
    expect(lines.at(-1)).toBe('  hint: rerun the replay line to reproduce the same counterexample');
  });

  it('summary lines, one per status', async () => {
    const holds = await checkTheorem(coinFrequency, { subject: correctSubject, seed });
    // one-sided: only the upper bound can refute "at least 0.9", so that is the bound shown
    expect(summaryLine(holds)).toMatch(/^✓ T-FREQ1 holds \(400 runs, \d+\/400 = \d+\.\d%, upper 99(\.\d+)?% bound 0\.9\d* >= claimed 0\.9; power not stated, [\d.]+ s\)$/);
    const na = await checkTheorem(sumReverse, { subject: {}, seed });
    expect(summaryLine(na)).toMatch(/^! T-SUM1 interrupted: not applicable: subject lacks sum \([\d.]+ s\)$/);
    const vac: Verdict = { id: 'T-V1', title: 't', kind: 'tight', seed: 1, profile: 'ci', elapsedMs: 1234, status: 'vacuous', reason: 'norms did not grow', runs: 3, vacuousRuns: 3 };
    expect(summaryLine(vac)).toBe('∅ T-V1 vacuous: norms did not grow (1.23 s)');
  });

  it('assertHolds passes a holding verdict and throws the text report otherwise', async () => {
    const ok = await checkTheorem(sumReverse, { subject: correctSubject, seed, profile: 'ci' });
    expect(() => assertHolds(ok)).not.toThrow();
    const bad = await checkTheorem(sumReverse, { subject: buggySubject, seed, profile: 'ci' });
    expect(() => assertHolds(bad)).toThrow(textReport(bad));
  });

  it('long counterexamples are truncated with a count of what was cut', () => {
    expect(truncate('abcdef', 4)).toBe('abcd… (2 more characters)');
    expect(pretty(new Float64Array(1000), 30)).toMatch(/^Float64Array\.from\(\[0,0,0.*… \(\d+ more characters\)$/);
  });
});

describe('JSON reporter', () => {
  it('keeps typed arrays, non-finite numbers, -0 and nested values faithfully', () => {
    expect(toJsonSafe({ a: new Float64Array([1, 0.5]), b: [Number.NaN, Infinity, -Infinity, -0], c: 3n, f: () => 1 }))
      .toEqual({ a: [1, 0.5], b: ['NaN', 'Infinity', '-Infinity', 0], c: '3n' });
    const loop: Record<string, unknown> = { x: 1 };
    loop.self = loop;
    expect(toJsonSafe(loop)).toEqual({ x: 1, self: '[circular]' });
  });

  it('round-trips a violated verdict through JSON.parse', async () => {
    const v = await checkTheorem(sumReverse, { subject: buggySubject, seed, profile: 'ci' });
    const [back] = JSON.parse(jsonReport([v])) as Record<string, unknown>[];
    expect(back).toMatchObject({ id: 'T-SUM1', status: 'violated', seed, profile: 'ci', path: (v as { path: string }).path, counterexample: (v as { counterexample: unknown }).counterexample });
  });
});

describe('frequency evidence in words (frequencyCloseness)', () => {
  const ev = (k: number, n: number, claimed: number, claim: 'at-least' | 'at-most' | 'equal') => {
    const d = frequencyDecision(k, n, { claimed, claim, confidence: 0.999 });
    return { successes: k, n, lo: d.interval.lo, hi: d.interval.hi, claimed, claim, summary: d.summary };
  };

  it('at least: shows the upper one-sided bound, the side that can refute, against the claim (was "148/150 [0.00, 1.00]")', () => {
    expect(frequencyCloseness(ev(148, 150, 0.9, 'at-least'))).toMatch(/^148\/150 = 98\.7%, upper 99\.9% bound 0\.99\d+ >= claimed 0\.9; power not stated$/);
    expect(frequencyCloseness(ev(120, 150, 0.9, 'at-least'))).toMatch(/^120\/150 = 80\.0%, upper 99\.9% bound 0\.8\d+ < claimed 0\.9; power not stated$/);
    expect(frequencyDecision(120, 150, { claimed: 0.9, claim: 'at-least', confidence: 0.999 }).violated).toBe(true);
  });

  it('at most: the lower bound; equal: the two-sided interval; exact: the frequency itself', () => {
    expect(frequencyCloseness(ev(3, 150, 0.1, 'at-most'))).toMatch(/^3\/150 = 2\.0%, lower 99\.9% bound 0\.00\d+ <= claimed 0\.1; power not stated$/);
    expect(frequencyCloseness(ev(75, 150, 0.5, 'equal'))).toMatch(/^75\/150 = 50\.0%, two-sided 99\.9% interval \[0\.3\d*, 0\.6\d*\] contains claimed 0\.5; power not stated$/);
    expect(frequencyCloseness({ ...ev(148, 150, 0.9, 'at-least'), power: 0.9123, alternative: 0.7 })).toMatch(/; power 0\.912 vs 0\.7$/);
    const exact = { successes: 9, n: 10, lo: 0.9, hi: 0.9, claimed: 0.95, claim: 'at-least' as const, summary: '9/10 of the whole population (exact frequency 0.9) contradicts claim at-least 0.95' };
    expect(frequencyCloseness(exact)).toBe('9/10 = 90.0% (exact) < claimed 0.95');
  });
});
