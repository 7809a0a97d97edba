/**
 * Planted bug M07-momentum-ema (docs/planted-bugs.md#m07-momentum-ema; reported class 7): server momentum written as an EMA, buf <- beta buf + (1 - beta) g, instead of the
 * paper's recurrence buf <- beta buf + g (eq. 4, PyTorch dampening = 0). The steady-state move shrinks by
 * (1 - beta) and the momentum-to-gradient balance of eq. 4 / eq. 5 changes from the first push on (beta > 0).
 * The faulty Nesterov replaces 'outerNesterov' and, through _asyncComposite.ts, every 'nesterov' outer of
 * asyncLocalSGD and diloco.
 */
import type { Vec } from '../../numeric/types.ts';
import { makeOuter, outerNesterov } from '../../optimizers/async/index.ts';
import type { NesterovState, OuterConfig, OuterOptimizer, OuterState } from '../../optimizers/async/index.ts';
import { faultyAsync } from './_asyncComposite.ts';
import { override, type Mutant } from './types.ts';

export function nesterovEma(hyper: { eps: number; beta: number }): OuterOptimizer<NesterovState> {
  const ref = outerNesterov(hyper);
  const { eps, beta } = hyper;
  return {
    name: `${ref.name} [M07: EMA momentum]`,
    init: ref.init,
    step(state: NesterovState, g: Vec): NesterovState {
      const n = g.length;
      const theta = new Float64Array(n);
      const buf = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const b = state.buf[i] * beta + (1 - beta) * g[i]; // the bug: dampening 1 - beta
        buf[i] = b;
        theta[i] = state.theta[i] + -eps * (g[i] + beta * b);
      }
      return { theta, t: state.t + 1, buf };
    },
  };
}

const outer = (c: OuterConfig): OuterOptimizer<OuterState> => (c.kind === 'nesterov' ? (nesterovEma(c) as OuterOptimizer<OuterState>) : makeOuter(c));

export const mutant: Mutant = {
  id: 'M07-momentum-ema',
  bug: 'server momentum written as an EMA (m = beta m + (1 - beta) delta) instead of the paper recurrence',
  source: 'reported bug class 7 (docs/planted-bugs.md#reported-bug-classes)',
  affects: ['outerNesterov', 'asyncLocalSGD', 'diloco'],
  apply: (subject) => override(subject, { outerNesterov: nesterovEma, ...faultyAsync({ outer }) }),
};
