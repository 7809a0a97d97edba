/**
 * A-B1: with heterogeneous worker speeds, asynchronous DN + DyLU reaches a target loss in less virtual
 * (wall-clock) time than synchronous DiLoCo (abstract; Figure 2). A frequency claim over random instances
 * (_behaviour.ts): the event "DN + DyLU reaches the target strictly earlier" holds on at least 97% of them.
 * The target is 90% of the loss reduction that synchronous DiLoCo achieves with the whole budget.
 */
import { defineTheorem } from '../../src/spec/index.ts';
import { PAPER, VERSION } from './_shared.ts';
import { behaviourInstances, heterogeneous, runMethod, TARGET_FRACTION, timeToTarget, type BehaviourRun } from './_behaviour.ts';

export const spec = defineTheorem({
  id: 'A-B1-dn-dylu-wallclock',
  title: 'heterogeneous speeds: async DN + DyLU reaches a target loss in less virtual time than sync DiLoCo (on >= 97% of instances)',
  source: { paper: PAPER, version: VERSION, locator: 'abstract; Sec. 5, Figure 2 (perplexity vs wall-clock); docs/theory.md#37-experiments-and-headline-numbers', provenance: 'read' },
  statement: String.raw`\Pr_{\text{instance}}\Big[\, t^{\mathrm{DN+DyLU}}(L^\star) < t^{\mathrm{DiLoCo}}(L^\star) \Big] \ge 0.97,\quad L^\star = L_0 - 0.9\,\big(L_0 - L^{\mathrm{DiLoCo}}_{\mathrm{end}}\big),\ v_{\max} > v_{\min}`,
  kind: 'frequency',
  requires: ['asyncLocalSGD', 'diloco'],
  hypotheses: [heterogeneous],
  instances: behaviourInstances,
  frequency: {
    statistic: (p: BehaviourRun, subject) => {
      const sync = runMethod(p, subject, 'sync', 'all');
      const L0 = sync.loss[0];
      const target = L0 - TARGET_FRACTION * (L0 - sync.loss.at(-1)!);
      return timeToTarget(runMethod(p, subject, 'dnDylu', 'all'), target) < timeToTarget(sync, target);
    },
    claimedFrequency: 0.97,
    claim: 'at-least',
    samples: 100,
    // power against a true frequency of 0.85 (exact binomial, 100 samples): 0.945
    alternative: 0.85,
    confidence: 0.999,
    method: 'monte-carlo',
  },
  hints: ['DyLU from the slowest worker (docs/planted-bugs.md#m13-dylu-slowest-reference) makes the fast workers run far longer than the slow ones'],
});
