/**
 * Calibration: on synthetic data where the claim is exactly true, the decisions must raise false alarms at
 * most at the nominal rate, and (where the level is exact) at that rate. Each check compares the observed
 * false-alarm count over R seeded replications with the known size through a 99.9% Clopper-Pearson interval,
 * so it fails if the decision is mis-sided, uses the wrong quantile, or is anti-conservative.
 */
import { describe, expect, it } from 'vitest';
import { clopperPearson, frequencyDecision, frequencyDecisionSize, meanClaimDecision, ratioClaimDecision } from '../../../src/spec/stats/index.ts';
import { normalStream, uniformStream } from '../_helpers/rng.ts';

/** true when `count` false alarms in R replications are consistent (at 99.9%) with a false-alarm probability `size` */
function consistent(count: number, R: number, size: number): boolean {
  const iv = clopperPearson(count, R, { confidence: 0.999 });
  return iv.lo <= size && size <= iv.hi;
}

describe('frequency decision (Clopper-Pearson) calibration', () => {
  const n = 200;
  const opts = { claimed: 0.8, claim: 'at-least' as const, confidence: 0.95 };

  it('exact size under a true claim is at most the nominal 5% and the simulated rate matches it', () => {
    const size = frequencyDecisionSize(n, 0.8, opts);
    expect(size).toBeLessThanOrEqual(0.05);
    expect(size).toBeGreaterThan(0.02); // not absurdly conservative at n = 200
    const u = uniformStream(101);
    const R = 2000;
    let alarms = 0;
    for (let r = 0; r < R; r++) {
      let k = 0;
      for (let i = 0; i < n; i++) if (u() < 0.8) k++;
      if (frequencyDecision(k, n, opts).violated) alarms++;
    }
    expect({ alarms, ok: consistent(alarms, R, size) }).toEqual({ alarms, ok: true });
  });

  it('power: a true frequency of 0.65 is refuted in most replications, at the exactly computed rate', () => {
    const power = frequencyDecisionSize(n, 0.65, opts);
    expect(power).toBeGreaterThan(0.99);
    const u = uniformStream(202);
    const R = 500;
    let hits = 0;
    for (let r = 0; r < R; r++) {
      let k = 0;
      for (let i = 0; i < n; i++) if (u() < 0.65) k++;
      if (frequencyDecision(k, n, opts).violated) hits++;
    }
    expect(consistent(hits, R, power)).toBe(true);
  });

  it('at nominal 1e-3 a true claim raises (almost) no alarm in 2000 replications', () => {
    const strict = { ...opts, confidence: 0.999 };
    const size = frequencyDecisionSize(n, 0.8, strict);
    expect(size).toBeLessThanOrEqual(1e-3);
    const u = uniformStream(303);
    let alarms = 0;
    for (let r = 0; r < 2000; r++) {
      let k = 0;
      for (let i = 0; i < n; i++) if (u() < 0.8) k++;
      if (frequencyDecision(k, n, strict).violated) alarms++;
    }
    expect(consistent(alarms, 2000, size)).toBe(true);
  });
});

describe('mean decision calibration', () => {
  it('Student t, normal data, claim "mean at most μ": the false-alarm rate is the nominal 5%', () => {
    const z = normalStream(404);
    const R = 4000;
    const n = 12;
    const xs = new Float64Array(n);
    let alarms = 0;
    for (let r = 0; r < R; r++) {
      for (let i = 0; i < n; i++) xs[i] = 3 + 0.5 * z();
      if (meanClaimDecision(xs, { claimed: 3, claim: 'at-most', confidence: 0.95, method: 't' }).violated) alarms++;
    }
    expect({ alarms, ok: consistent(alarms, R, 0.05) }).toEqual({ alarms, ok: true });
  });

  it('Student t, claim "mean equals μ" (two-sided): rate 5%; shifted by one standard error per sample it is refuted more often', () => {
    const z = normalStream(505);
    const R = 3000;
    const n = 8;
    const xs = new Float64Array(n);
    let alarms = 0;
    let shifted = 0;
    for (let r = 0; r < R; r++) {
      for (let i = 0; i < n; i++) xs[i] = z();
      if (meanClaimDecision(xs, { claimed: 0, claim: 'equal', confidence: 0.95, method: 't' }).violated) alarms++;
      if (meanClaimDecision(xs, { claimed: -1, claim: 'equal', confidence: 0.95, method: 't' }).violated) shifted++;
    }
    expect(consistent(alarms, R, 0.05)).toBe(true);
    expect(shifted / R).toBeGreaterThan(0.5); // noncentral t power at δ = sqrt(8) is about 0.7
  });

  it('Hoeffding and empirical Bernstein on uniform [0, 1] data are conservative: alarm rate not above 5%', () => {
    const u = uniformStream(606);
    const R = 2000;
    const n = 30;
    const xs = new Float64Array(n);
    let hoeff = 0;
    let bern = 0;
    for (let r = 0; r < R; r++) {
      for (let i = 0; i < n; i++) xs[i] = u();
      const o = { claimed: 0.5, claim: 'at-least' as const, confidence: 0.95, range: [0, 1] as const };
      if (meanClaimDecision(xs, { ...o, method: 'hoeffding' }).violated) hoeff++;
      if (meanClaimDecision(xs, { ...o, method: 'empirical-bernstein' }).violated) bern++;
    }
    // one-sided: the 99.9% lower confidence bound of the observed rate must not exceed the nominal level
    expect(clopperPearson(hoeff, R, { confidence: 0.999, side: 'lower' }).lo).toBeLessThanOrEqual(0.05);
    expect(clopperPearson(bern, R, { confidence: 0.999, side: 'lower' }).lo).toBeLessThanOrEqual(0.05);
  });
});

describe('ratio-of-means decision calibration', () => {
  it('Fieller, true ratio on the edge of the claimed range [2, 8]: alarms at most (1 - confidence)/2; ratio 16 is refuted', () => {
    const z = normalStream(707);
    const R = 2000;
    const n = 16;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    const x16 = new Float64Array(n);
    let alarms = 0;
    let hits = 0;
    for (let r = 0; r < R; r++) {
      for (let i = 0; i < n; i++) {
        y[i] = 1 + 0.2 * z(); // mean gap at 4p
        x[i] = 8 + 1.6 * z(); // mean gap at p: exactly 8 times larger (the claim's upper edge)
        x16[i] = 16 + 3.2 * z();
      }
      const o = { claimedLo: 2, claimedHi: 8, confidence: 0.95 };
      if (ratioClaimDecision(x, y, o).violated) alarms++;
      if (ratioClaimDecision(x16, y, o).violated) hits++;
    }
    // the interval uses t with min(nx, ny) - 1 df for a two-sample statistic: conservative, so not above 2.5%
    expect(clopperPearson(alarms, R, { confidence: 0.999, side: 'lower' }).lo).toBeLessThanOrEqual(0.025);
    expect(alarms).toBeGreaterThan(0); // not vacuous: the edge is reachable
    expect(hits / R).toBeGreaterThan(0.95);
  });
});
