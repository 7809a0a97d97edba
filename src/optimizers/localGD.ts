/**
 * Local-GD / FedAvg with full local gradients (docs/theory.md#01-local-gd-round; Zhu, Vardhan, Mazumdar, arXiv 2412.07971, the
 * Local-GD of docs/theory.md#12-regression to docs/theory.md#13-classification-with-local-gd):
 *
 *   for r = 0..R-1:
 *     S_r = all nodes with alpha_k > 0, or a seeded m-subset of them (hyper.participants = m)
 *     for k in S_r:   w_{k,0} = w^r;   w_{k,l+1} = w_{k,l} - eta grad f_k(w_{k,l}),  l = 0..L_k-1
 *     w^{r+1} = sum_{k in S_r} beta_k w_{k,L_k},   beta_k = alpha_k / sum_{j in S_r} alpha_j
 *
 * Symbols: eta = local step size; L = local steps (number, or L_k per node); R = rounds; alpha = aggregation
 * weights ('samples' = n_k/N by default, 'uniform', 'given', or numbers; docs/theory.md#0-notation-and-conventions); w0 = initial model.
 * f_k is the node's MEAN loss (src/problems/types.ts), so docs/theory.md's sum-loss eta corresponds to eta / n_k here.
 * Every round restarts every participating node from the new global model.
 *
 * Exact facts the tests check (test/optimizers/localGD.test.ts): one node is centralized GD for R L steps, bit for
 * bit; L = 1 with n_k/N weights is centralized GD on the pooled mean loss (to rounding); permuting nodes changes
 * the run only by rounding.
 */
import { federatedContext, federatedOptimizer } from './parts/federated.ts';
import type { FederatedHyper } from './parts/federated.ts';

export type LocalGDHyper = FederatedHyper;

export const localGD = federatedOptimizer<LocalGDHyper>('localGD', (problem, h) =>
  federatedContext('localGD', problem, h, { batch: null, noise: 0 }, { kind: 'average' }));
