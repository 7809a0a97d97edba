/**
 * L-7 schedule conditions (theory.md §2.4, §6; poster [READ]): the adaptive schedule of ADA-LUPA-SGD satisfies
 *   (i) sum_i tau_i = T,  (ii) sum_i tau_i (tau_i - 1) <= T^2 (= O(T^2)),  (iii) (max_i tau_i)^3 <= cap^3,
 * where cap is what the rule can reach from the instance alone (loss-ratio: ceil((F_0/F*)^{1/3}) tau_0 when F* > 0, so
 * with tau_0 <= T^{2/3}/(pB)^{1/3} condition (iii) holds with the constant ceil((F_0/F*)^{1/3})^3; linear: its largest
 * interval), and every tau_i is the schedule's own rule applied to the traced loss at the start of round i.
 * Exact integer arithmetic (F compared with its rounding). Kills mutant #8 (the averaging period shrinks).
 */
import fc from 'fast-check';
import { defineTheorem, type Subject } from '../../src/spec/index.ts';
import { adaCases, ruleTau, runAda, scheduleOf, tauCap, type AdaCase } from './ada.support.ts';
import { PAPER } from './lupa.support.ts';

export const STATEMENT = String.raw`\textstyle\sum_{i} \tau_i = T,\quad \sum_i \tau_i(\tau_i - 1) \le T^2,\quad \bigl(\max_i \tau_i\bigr)^3 \le \bar\tau^{\,3},\quad \tau_i = \min\bigl(\max(1, \lceil (F_0/F_i)^{1/3} \rceil)\,\tau_0,\ T - t_i\bigr)\ \text{(loss-ratio; } \bar\tau = \lceil (F_0/F^\star)^{1/3} \rceil \tau_0 \text{ if } F^\star > 0\text{)}\ \text{or}\ \tau_i = \min\bigl(\tau_0 + \lceil 2Ti/(E(E+1)) \rceil,\ T - t_i\bigr)\ \text{(linear)}`;

/** [sum tau, -sum tau, sum tau(tau - 1), (max tau)^3, rule mismatches] */
function observe(c: AdaCase, subject: Subject): number[] {
  const { tau, F } = scheduleOf(runAda(subject, c), c);
  let sum = 0;
  let pairs = 0;
  let max = 0;
  let mismatches = 0;
  for (let i = 0; i < tau.length; i++) {
    const [lo, hi] = ruleTau(c, i, F[0], F[i], sum);
    if (tau[i] < lo || tau[i] > hi) mismatches++;
    sum += tau[i];
    pairs += tau[i] * (tau[i] - 1);
    max = Math.max(max, tau[i]);
  }
  return [sum, -sum, pairs, max ** 3, mismatches];
}

export const spec = defineTheorem<AdaCase, number[]>({
  id: 'L-7-ada-schedule',
  title: 'ADA-LUPA-SGD schedule: sum tau_i = T, sum tau_i(tau_i - 1) <= T^2, (max tau_i)^3 bounded, each tau_i its rule',
  source: {
    paper: PAPER,
    version: 'official poster (adaptive theorem conditions, loss-ratio rule) and official code (linear schedule)',
    locator: 'poster, ADA-LUPA-SGD box: conditions (i)-(iii) and tau_i = ceil((F(x0)/F(x_i))^{1/3}) tau_0; code: tau_i = (1 + i alpha) tau_0; theory.md §2.4, L-7',
    provenance: ['read', 'derived'],
  },
  statement: STATEMENT,
  kind: 'upper-bound',
  requires: ['adaLupaSGD'],
  hypotheses: [
    { name: 'T >= 1, tau_0 >= 1', check: (c) => (c.T >= 1 && c.tau0 >= 1) || `T ${c.T}, tau_0 ${c.tau0}` },
    { name: 'tau_0 <= T^{2/3}/(pB)^{1/3} (the scale of condition (iii)) or tau_0 = 1', check: (c) => c.tau0 === 1 || c.p * c.B * c.tau0 ** 3 <= c.T * c.T || `tau_0 ${c.tau0}` },
  ],
  instances: adaCases(fc.constantFrom<'loss-ratio' | 'linear'>('loss-ratio', 'loss-ratio', 'linear')),
  observe: (c: AdaCase, subject: Subject) => observe(c, subject),
  bound: (c) => [c.T, -c.T, c.T * c.T, tauCap(c) ** 3, 0],
  tolerance: { abs: 0, why: 'integer arithmetic: the rule is compared as an interval that already absorbs the rounding of F_0 and F_i' },
  profiles: { ci: 25, default: 100, hunt: 1000 },
  hints: [
    'rule mismatches (last entry): the intervals are not the rule applied to the loss at the start of the round, e.g. a sync counter that advances per parameter block (mutant #8)',
    'a sum above T: rounds not truncated at T; (max tau)^3 above the cap: the multiplier is not saturated by F*',
  ],
});
