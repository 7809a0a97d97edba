import type { InnerConfig } from '../types.ts';
import { innerAdamW } from './adamw.ts';
import { innerSgd } from './sgd.ts';
import type { InnerOptimizer, InnerState } from './types.ts';

export { innerSgd } from './sgd.ts';
export type { InnerSgdState } from './sgd.ts';
export { innerAdamW } from './adamw.ts';
export type { AdamWState, AdamWHyper } from './adamw.ts';
export type { InnerOptimizer, InnerState } from './types.ts';

/** The inner optimiser named by a config (the learning rate and schedule are applied by the caller). */
export function makeInner(config: InnerConfig): InnerOptimizer<InnerState> {
  switch (config.kind) {
    case 'sgd':
      return innerSgd(config) as unknown as InnerOptimizer<InnerState>;
    case 'adamw':
      return innerAdamW(config) as unknown as InnerOptimizer<InnerState>;
    default: {
      const kind = (config as { kind: unknown }).kind;
      throw new Error(`makeInner: unknown inner optimiser kind '${String(kind)}' (expected sgd or adamw)`);
    }
  }
}
