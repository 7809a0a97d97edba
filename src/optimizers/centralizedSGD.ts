/**
 * Centralized minibatch SGD on the pooled data:
 *
 *   w_{t+1} = w_t - eta_t (1/B) sum_{i in I_t} grad l_i(w_t) - eta_t lambda w_t,   t = 0..T-1
 *
 * I_t = B pooled row indices drawn uniformly WITH replacement from the counter (minibatch, 0, t) (rng.ts); eta is a
 * constant or eta_t = a/(mu(t+b)). With one node this is one-node Local-SGD and LUPA-SGD with p = 1, bit for bit.
 */
import { intAtLeast } from './parts/check.ts';
import { centralizedOptimizer } from './parts/centralized.ts';
import type { CentralizedHyper } from './parts/centralized.ts';

export interface CentralizedSGDHyper extends CentralizedHyper {
  /** minibatch size B (integer >= 1) */
  readonly B: number;
}

export const centralizedSGD = centralizedOptimizer<CentralizedSGDHyper>('centralizedSGD', (h) => intAtLeast('centralizedSGD', 'B', h.B, 1));
