/**
 * C-2 (conformance, bad input): a zero total aggregation weight, whether every node reports 0 samples (default weights
 * n_k/N) or the caller's weights are all 0, is refused with a one-line Error, never turned into a NaN model
 * (reported bug class 11 (docs/planted-bugs.md#reported-bug-classes)). Checked on every federated capability the subject offers. Note: proofs-notes/C-2-zero-weight.md.
 */
import { checkZeroWeightRefused, zeroWeightCases, type ConformanceCase } from '../../src/gate/conformance.ts';
import { defineTheorem } from '../../src/spec/index.ts';
import { FEDERATED_RUN_CAPABILITIES } from '../../src/subject/catalogue.ts';

export const STATEMENT = String.raw`\textstyle\sum_k \alpha_k^{\mathrm{raw}} = 0 \ \Longrightarrow\ A(P, h) \text{ throws a one-line Error (no trace, no NaN model)}`;

export const spec = defineTheorem<ConformanceCase & { readonly mode: 'no-samples' | 'zero-weights' }, number>({
  id: 'C-2-zero-weight',
  title: 'a zero total aggregation weight is refused with a one-line Error, not a NaN model',
  source: {
    paper: 'lsgd-spec plug-in contract (house rule: bad input throws a one-line Error; never NaN silently)',
    version: 'this repository',
    locator: 'reported bug class 11 (docs/planted-bugs.md#reported-bug-classes); docs/theory.md#0-notation-and-conventions (alpha_k > 0, sum alpha_k = 1); ci/README.md',
    provenance: 'derived',
  },
  statement: STATEMENT,
  kind: 'tight',
  requires: [],
  requiresAny: FEDERATED_RUN_CAPABILITIES,
  hypotheses: [],
  instances: zeroWeightCases(),
  observe: (c, subject) => (checkZeroWeightRefused(subject, c), 0),
  bound: () => 0,
  tolerance: { abs: 0, why: 'a contract has no slack' },
  profiles: { ci: 10, default: 40, hunt: 400 },
  hints: ['divide by the total weight only after checking that it is positive (sum n_k = 0 gives 0/0 = NaN in every coordinate)'],
});
