/**
 * Planted bug M01-outer-delta-not-momentum (docs/planted-bugs.md#m01-outer-delta-not-momentum; reported class 1): the server optimiser uses the raw pseudo-gradient where the momentum belongs
 * (the FedAdam/FedYogi fix). Here: outer Nesterov keeps its buffer buf <- beta buf + g but the parameter step
 * uses the current pseudo-gradient in its place, theta <- theta - eps (g + beta g), instead of
 * theta <- theta - eps (g + beta buf). The first push from buf = 0 is unchanged (buf = g there); from the second
 * push on the move differs by eps beta (buf - g) = eps beta^2 buf_old. The faulty Nesterov replaces
 * 'outerNesterov' and, through _asyncComposite.ts, every 'nesterov' outer of asyncLocalSGD and diloco.
 */
import type { Vec } from '../../numeric/types.ts';
import { makeOuter, outerNesterov } from '../../optimizers/async/index.ts';
import type { NesterovState, OuterConfig, OuterOptimizer, OuterState } from '../../optimizers/async/index.ts';
import { faultyAsync } from './_asyncComposite.ts';
import { override, type Mutant } from './types.ts';

export function nesterovWithoutMomentumStep(hyper: { eps: number; beta: number }): OuterOptimizer<NesterovState> {
  const ref = outerNesterov(hyper); // validates and initialises exactly as the reference
  const { eps, beta } = hyper;
  return {
    name: `${ref.name} [M01: step uses g, not buf]`,
    init: ref.init,
    step(state: NesterovState, g: Vec): NesterovState {
      const n = g.length;
      const theta = new Float64Array(n);
      const buf = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        buf[i] = state.buf[i] * beta + g[i];
        theta[i] = state.theta[i] + -eps * (g[i] + beta * g[i]); // the bug: g where buf belongs
      }
      return { theta, t: state.t + 1, buf };
    },
  };
}

const outer = (c: OuterConfig): OuterOptimizer<OuterState> =>
  c.kind === 'nesterov' ? (nesterovWithoutMomentumStep(c) as OuterOptimizer<OuterState>) : makeOuter(c);

export const mutant: Mutant = {
  id: 'M01-outer-delta-not-momentum',
  bug: 'server optimiser uses the raw pseudo-gradient where the momentum buffer belongs',
  source: 'reported bug class 1 (docs/planted-bugs.md#reported-bug-classes)',
  affects: ['outerNesterov', 'asyncLocalSGD', 'diloco'],
  apply: (subject) => override(subject, { outerNesterov: nesterovWithoutMomentumStep, ...faultyAsync({ outer }) }),
};
