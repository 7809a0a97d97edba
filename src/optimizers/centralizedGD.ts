/**
 * Centralized gradient descent on the pooled data (the reference of docs/theory.md#02-certified-references and docs/theory.md#12-regression to docs/theory.md#13-classification-with-local-gd):
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
