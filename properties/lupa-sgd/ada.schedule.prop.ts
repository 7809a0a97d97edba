/**
 * L-7 schedule conditions (docs/theory.md#24-ada-lupa-sgd, docs/theory.md#6-property-catalogue; poster [READ]): the adaptive schedule of ADA-LUPA-SGD satisfies
 *   (i) sum_i tau_i = T, and every tau_i is the schedule's own rule applied to the traced loss at the start of round i
 * (gap, the paper's rule with the certified F*: tau_i = min(max(1, ceil(((F_0 - F*)/(F_i - F*))^{1/3})) tau_0, T - t_i);
 * loss-ratio, the poster's named variant: tau_i = min(max(1, ceil((F_0/F_i)^{1/3})) tau_0, T - t_i);
 * linear: tau_0 + ceil(2Ti/(E(E+1))), truncated).
 * The poster's other two conditions are corollaries, derived in proofs-notes/L-7-ada-schedule.md and NOT asserted here,
 * because no schedule that meets (i) and the rule can break them (a check that cannot fail):
 *   (ii) sum_i tau_i (tau_i - 1) <= T^2 follows from (i) alone (sum tau_i^2 <= (sum tau_i)^2);
 *   (iii) loss-ratio: (max_i tau_i)^3 <= ceil((F_0/F*)^{1/3})^3 tau_0^3 follows from the rule and F_i >= F* (F* > 0), a
 *   constant unbounded as F* -> 0; gap: (max_i tau_i)^3 <= ceil(((F_0 - F*)/G)^{1/3})^3 tau_0^3 with G the smallest gap
 *   F_i - F* at a round start, so (iii) holds with a constant set by how close the run gets to F* (measured in the note:
 *   far from O(1) once the gap reaches the noise floor; the rule then hands out the rest of the budget).
 * Exact integer arithmetic (F compared with its rounding). Kills mutant #8 (the averaging period shrinks), P12 (inverted
 * loss ratio) and P41 (the gap rule read from F instead of F - F*).
 */
import fc from 'fast-check';
import { defineTheorem, type Subject } from '../../src/spec/index.ts';
import { adaCases, ruleTau, runAda, scheduleOf, type AdaCase } from './ada.support.ts';
import { PAPER } from './lupa.support.ts';

export const STATEMENT = String.raw`\textstyle\sum_{i} \tau_i = T,\quad \tau_i = \min\bigl(\max(1, \lceil (F_0/F_i)^{1/3} \rceil)\,\tau_0,\ T - t_i\bigr)\ \text{(loss-ratio)},\ \tau_i = \min\bigl(\max(1, \lceil ((F_0 - F^\star)/(F_i - F^\star))^{1/3} \rceil)\,\tau_0,\ T - t_i\bigr)\ \text{(gap)}\ \text{or}\ \tau_i = \min\bigl(\tau_0 + \lceil 2Ti/(E(E+1)) \rceil,\ T - t_i\bigr)\ \text{(linear)}`;

/** [sum tau, -sum tau, rule mismatches] */
function observe(c: AdaCase, subject: Subject, keep?: (d: unknown) => void): number[] {
  const { tau, F } = scheduleOf(runAda(subject, c), c);
  let sum = 0;
  let mismatches = 0;
  const rule: (readonly [number, number])[] = [];
  for (let i = 0; i < tau.length; i++) {
    const [lo, hi] = ruleTau(c, i, F[0], F[i], sum);
    rule.push([lo, hi]);
    if (tau[i] < lo || tau[i] > hi) mismatches++;
    sum += tau[i];
  }
  keep?.({ tau, rule });
  return [sum, -sum, mismatches];
}

export const spec = defineTheorem<AdaCase, number[]>({
  id: 'L-7-ada-schedule',
  title: 'ADA-LUPA-SGD schedule: sum tau_i = T and each tau_i is its rule (the O(T^2) and (max tau_i)^3 conditions follow)',
  source: {
    paper: PAPER,
    version: 'official poster (adaptive theorem conditions, the gap motivation and the loss-ratio rule) and official code (linear schedule)',
    locator: 'poster, ADA-LUPA-SGD box: conditions (i)-(iii), tau scaling like (F - F*)^{-1/3}, and tau_i = ceil((F(x0)/F(x_i))^{1/3}) tau_0; code: tau_i = (1 + i alpha) tau_0; docs/theory.md#24-ada-lupa-sgd ((ii), (iii) derived as corollaries)',
    provenance: ['read', 'derived'],
  },
  statement: STATEMENT,
  kind: 'upper-bound',
  requires: ['adaLupaSGD'],
  hypotheses: [
    { name: 'T >= 1, tau_0 >= 1', check: (c) => (c.T >= 1 && c.tau0 >= 1) || `T ${c.T}, tau_0 ${c.tau0}` },
    { name: 'tau_0 <= T^{2/3}/(pB)^{1/3} (the scale of condition (iii), so its corollary has the poster\'s form) or tau_0 = 1', check: (c) => c.tau0 === 1 || c.p * c.B * c.tau0 ** 3 <= c.T * c.T || `tau_0 ${c.tau0}` },
  ],
  instances: adaCases(fc.constantFrom<'loss-ratio' | 'gap' | 'linear'>('loss-ratio', 'gap', 'loss-ratio', 'gap', 'linear')),
  observe: (c: AdaCase, subject: Subject, ctx) => observe(c, subject, ctx.keep),
  plot: {
    title: 'ADA-LUPA-SGD schedule: local steps tau_i of each round, with the rule applied to the traced loss',
    x: { title: 'round i' },
    y: { title: 'tau_i (local steps)' },
    mark: 'step',
    series: (c, _o, _b, kept) => {
      const { tau, rule } = kept[0] as { tau: number[]; rule: (readonly [number, number])[] };
      const i = tau.map((_, k) => k);
      const kind = c.schedule === 'loss-ratio' ? 'loss-ratio' : 'gap' in c.schedule ? 'gap' : `linear (E = ${c.schedule.linear.E})`;
      const label = `${kind}, T = ${c.T}, tau_0 = ${c.tau0}`;
      return {
        label,
        lines: [
          { name: label, x: i, y: tau },
          { name: `rule (${label})`, role: 'reference', x: i, y: rule.map(([lo, hi]) => (lo + hi) / 2), lo: rule.map(([lo]) => lo), hi: rule.map(([, hi]) => hi) },
        ],
      };
    },
  },
  bound: (c) => [c.T, -c.T, 0],
  tolerance: { abs: 0, why: 'integer arithmetic: the rule is compared as an interval that already absorbs the rounding of F_0 and F_i' },
  profiles: { ci: 30, default: 100, hunt: 1000 },
  hints: [
    'rule mismatches (last entry): the intervals are not the rule applied to the loss at the start of the round, e.g. a sync counter that advances per parameter block (mutant #8), or a last round not truncated at T',
    'a sum below T (second entry) with no mismatch: the run stops before its budget, e.g. a loop that skips the truncated final round',
  ],
});
