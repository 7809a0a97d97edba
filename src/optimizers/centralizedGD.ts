/**
 * Centralized gradient descent on the pooled data (the reference of theory.md §0.2 and §1.2-1.3):
 *
 *   w_{t+1} = w_t - eta_t grad F(w_t),   F(w) = (1/N) sum_i l_i(w) + (lambda/2)||w||^2,   t = 0..T-1
 *
 * (the pooled mean loss = F with alpha_k = n_k/N). eta is a constant (or the schedule eta_t = a/(mu(t+b))).
 * Each step is one round of the trace (rounds = t, localSteps = t, communications = 0).
 */
import { centralizedOptimizer } from './parts/centralized.ts';
import type { CentralizedHyper } from './parts/centralized.ts';

export type CentralizedGDHyper = CentralizedHyper;

export const centralizedGD = centralizedOptimizer<CentralizedGDHyper>('centralizedGD', () => null);
