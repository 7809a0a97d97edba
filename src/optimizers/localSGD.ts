/**
 * Local-SGD / FedAvg with minibatch local steps (docs/theory.md#01-local-gd-round with stochastic gradients; docs/theory.md#16-local-sgd-and-non-separable-data):
 *
 *   for r = 0..R-1:
 *     for k in S_r:   w_{k,0} = w^r;
 *                     w_{k,l+1} = w_{k,l} - eta (1/B) sum_{i in I_{k,t}} grad l_i(w_{k,l}),   t = r L_k + l
 *     w^{r+1} = sum_{k in S_r} beta_k w_{k,L_k}
 *
 * I_{k,t} are B row indices of node k drawn uniformly WITH replacement from the counter (minibatch, k, t) (rng.ts),
 * so node k's t-th local step uses the same rows whatever R or the other nodes are: one-node Local-SGD equals
 * centralized SGD (centralizedSGD.ts) on that node's data bit for bit, seed for seed.
 * Symbols as in localGD.ts, plus B = minibatch size (integer >= 1) and seed.
 */
import { intAtLeast } from './parts/check.ts';
import { federatedContext, federatedOptimizer } from './parts/federated.ts';
import type { FederatedHyper } from './parts/federated.ts';

export interface LocalSGDHyper extends FederatedHyper {
  /** minibatch size B */
  readonly B: number;
}

export const localSGD = federatedOptimizer<LocalSGDHyper>('localSGD', (problem, h) => {
  const B = intAtLeast('localSGD', 'B', h?.B, 1);
  return federatedContext('localSGD', problem, h, { batch: B, noise: 0 }, { kind: 'average' });
});
