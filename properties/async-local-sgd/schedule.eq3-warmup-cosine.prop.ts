/**
 * the per-shard learning-rate schedule of eq. 3: linear warmup to eta_max, then cosine decay to eta_min,
 * with the cosine ratio clipped to [0, 1] (so eta_t = eta_min past T and training can continue). The subject's
 * 'scheduleLr' at every step t = 0..T+8 against eq. 3 evaluated here, with the documented choice for T <= t_warmup
 * (zero-length cosine: eta_min from t_warmup on).
 */
import fc from 'fast-check';
import { defineTheorem } from '../../src/spec/index.ts';
import { capability } from '../../src/subject/index.ts';
import { EPS } from '../../src/numeric/index.ts';
import { PAPER, VERSION, type ScheduleFn } from './_shared.ts';

export interface ScheduleCase {
  readonly etaMax: number;
  readonly etaMin: number;
  readonly warmup: number;
  readonly T: number;
  /** evaluate t = 0..tEnd */
  readonly tEnd: number;
}

const instances: fc.Arbitrary<ScheduleCase> = fc
  .record({ a: fc.integer({ min: 1, max: 64 }), b: fc.integer({ min: 0, max: 8 }), warmup: fc.integer({ min: 0, max: 12 }), T: fc.integer({ min: 0, max: 48 }) })
  .map(({ a, b, warmup, T }) => ({ etaMax: a / 64, etaMin: (a / 64) * (b / 8), warmup, T, tEnd: Math.max(T, warmup) + 8 }));

/** Eq. 3 (docs/theory.md#32-asynchronous-framework), transcribed: ramp below t_warmup, clipped cosine after it. */
export function eq3(c: ScheduleCase, t: number): number {
  if (t < c.warmup) return (c.etaMax * t) / c.warmup;
  const span = c.T - c.warmup;
  const r = span <= 0 ? 1 : Math.min(1, Math.max(0, (t - c.warmup) / span));
  return c.etaMin + 0.5 * (c.etaMax - c.etaMin) * (1 + Math.cos(Math.PI * r));
}

export const spec = defineTheorem({
  id: 'A-7',
  title: 'per-shard schedule (eq. 3): linear warmup, cosine decay to eta_min, ratio clipped so eta_t = eta_min past T',
  source: { paper: PAPER, version: VERSION, locator: 'Sec. 3, eq. 3; docs/theory.md#32-asynchronous-framework', provenance: 'read' },
  statement: String.raw`\eta_t = \begin{cases} \eta_{\max}\, t / t_w & t < t_w \\ \eta_{\min} + \tfrac12(\eta_{\max}-\eta_{\min})\big(1 + \cos(\pi\, \mathrm{clip}_{[0,1]}\tfrac{t - t_w}{T - t_w})\big) & t \ge t_w \end{cases}\quad(\text{ratio} := 1 \text{ if } T \le t_w)`,
  kind: 'equivalence',
  requires: ['scheduleLr'],
  hypotheses: [
    { name: '0 <= eta_min <= eta_max', check: (c: ScheduleCase) => (c.etaMin >= 0 && c.etaMin <= c.etaMax) || `eta_min ${c.etaMin}, eta_max ${c.etaMax}` },
    { name: 'integer warmup and T >= 0', check: (c: ScheduleCase) => (Number.isInteger(c.warmup) && c.warmup >= 0 && c.T >= 0) || `warmup ${c.warmup}, T ${c.T}` },
  ],
  instances,
  observe: (c, subject) => {
    const lr = capability<ScheduleFn>(subject, 'scheduleLr');
    return Array.from({ length: c.tEnd + 1 }, (_, t) => lr(c.etaMax, { etaMin: c.etaMin, warmup: c.warmup, T: c.T }, t));
  },
  bound: (c) => Array.from({ length: c.tEnd + 1 }, (_, t) => eq3(c, t)),
  tolerance: (c) => ({ abs: 8 * EPS * c.etaMax, why: 'at most 6 roundings of terms <= eta_max per value (cos is faithful to 1 ulp), from each side' }),
  profiles: { ci: 50, default: 200, hunt: 5000 },
  hints: ['an unclipped cosine ratio climbs back to eta_max after T; an off-by-one warmup shifts the whole ramp'],
});
