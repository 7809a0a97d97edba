/**
 * Planted bug M12-dn-momentum-every-push (docs/planted-bugs.md#m12-dn-momentum-every-push; reported class 12): Delayed Nesterov applies the momentum at every push instead of every N-th, i.e.
 * it degenerates to vanilla per-push Nesterov: buf <- beta buf + g; theta <- theta - eps (g + beta buf) on each
 * push. A wrapper that mis-sets what the reference sets right: the 'delayedNesterov' factory returns
 * outerNesterov({eps, beta}) (N and c ignored), and asyncLocalSGD / diloco rewrite an outer config of kind
 * 'delayedNesterov' to kind 'nesterov' with the same eps and beta before calling the reference drivers.
 */
import { outerNesterov, runAsync, runDiLoCo } from '../../optimizers/async/index.ts';
import type { AsyncHyper, AsyncProblem, DelayedNesterovHyper, OuterConfig, OuterOptimizer, OuterState } from '../../optimizers/async/index.ts';
import { override, type Mutant } from './types.ts';

export function dnMomentumEveryPush(hyper: DelayedNesterovHyper): OuterOptimizer<OuterState> {
  const o = outerNesterov({ eps: hyper.eps, beta: hyper.beta });
  return { ...o, name: `${o.name} [M12: DN momentum every push]` } as OuterOptimizer<OuterState>;
}

const rewrite = (c: OuterConfig): OuterConfig => (c.kind === 'delayedNesterov' ? { kind: 'nesterov', eps: c.eps, beta: c.beta } : c);

export const mutant: Mutant = {
  id: 'M12-dn-momentum-every-push',
  bug: 'delayed Nesterov applies the momentum at every push instead of every N-th (vanilla async Nesterov)',
  source: 'reported bug class 12 (docs/planted-bugs.md#reported-bug-classes)',
  affects: ['delayedNesterov', 'asyncLocalSGD', 'diloco'],
  apply: (subject) => override(subject, {
    delayedNesterov: dnMomentumEveryPush,
    asyncLocalSGD: (problem: AsyncProblem, hyper: AsyncHyper) => runAsync(problem, { ...hyper, outer: rewrite(hyper.outer) }),
    diloco: (problem: AsyncProblem, hyper: AsyncHyper) => runDiLoCo(problem, { ...hyper, outer: rewrite(hyper.outer) }),
  }),
};
