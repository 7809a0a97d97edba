import type { OuterConfig } from '../types.ts';
import { delayedNesterov } from './delayedNesterov.ts';
import { outerNesterov } from './nesterov.ts';
import { outerSgd } from './sgd.ts';
import type { OuterOptimizer, OuterState } from './types.ts';

export { outerSgd } from './sgd.ts';
export type { OuterSgdState } from './sgd.ts';
export { outerNesterov } from './nesterov.ts';
export type { NesterovState } from './nesterov.ts';
export { delayedNesterov } from './delayedNesterov.ts';
export type { DelayedNesterovState, DelayedNesterovHyper } from './delayedNesterov.ts';
export type { OuterOptimizer, OuterState } from './types.ts';

/** The outer optimiser named by a config. */
export function makeOuter(config: OuterConfig): OuterOptimizer<OuterState> {
  switch (config.kind) {
    case 'sgd':
      return outerSgd(config) as OuterOptimizer<OuterState>;
    case 'nesterov':
      return outerNesterov(config) as OuterOptimizer<OuterState>;
    case 'delayedNesterov':
      return delayedNesterov(config) as OuterOptimizer<OuterState>;
    default: {
      const kind = (config as { kind: unknown }).kind;
      throw new Error(`makeOuter: unknown outer optimiser kind '${String(kind)}' (expected sgd, nesterov or delayedNesterov)`);
    }
  }
}
