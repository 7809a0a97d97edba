/**
 * C-1 (conformance): every run capability returns a well-formed Trace (src/optimizers/types.ts): the recorded arrays
 * have one entry per round, rounds run 0..R, models are finite vectors of length d starting at w0 bit for bit, the
 * loss is F at the model (default weights n_k/N), communications count up from 0, and the inputs are left untouched.
 * Checked on every federated capability the subject offers (src/gate/conformance.ts). Note: proofs-notes/C-1-trace-shape.md.
 */
import { checkTraceContract, conformanceCases, type ConformanceCase } from '../../src/gate/conformance.ts';
import { defineTheorem } from '../../src/spec/index.ts';
import { FEDERATED_RUN_CAPABILITIES } from '../../src/subject/catalogue.ts';

export const STATEMENT = String.raw`\forall\,\text{capability } A:\ \mathrm{trace} = A(P, h) \text{ has } |\mathrm{rounds}| = |\mathrm{models}| = |\mathrm{loss}| = |\mathrm{comm}|,\ \mathrm{rounds} = (0, \dots, R),\ w^{(0)} = w_0,\ w^{(r)} \in \mathbb{R}^d \text{ finite},\ \mathrm{loss}_r = F(w^{(r)}) = \textstyle\sum_k \tfrac{n_k}{N} f_k(w^{(r)})`;

export const spec = defineTheorem<ConformanceCase, number>({
  id: 'C-1-trace-shape',
  title: 'every run capability returns a well-formed trace (shape, finiteness, round 0 = w0, loss = F(w))',
  source: {
    paper: 'lsgd-spec plug-in contract (src/optimizers/types.ts Trace; docs/theory.md#0-notation-and-conventions objective and weights)',
    version: 'this repository',
    locator: 'src/optimizers/types.ts (Trace); src/problems/types.ts (mean-per-node loss); ci/README.md',
    provenance: 'derived',
  },
  statement: STATEMENT,
  kind: 'tight',
  requires: [],
  requiresAny: FEDERATED_RUN_CAPABILITIES,
  hypotheses: [],
  instances: conformanceCases(),
  // a breach throws one line naming the capability and the rule; a conforming subject observes 0 breaches
  observe: (c, subject) => (checkTraceContract(subject, c), 0),
  bound: () => 0,
  tolerance: { abs: 0, why: 'a contract has no slack; the loss comparison inside has its own derived rounding allowance' },
  profiles: { ci: 25, default: 100, hunt: 1000 },
  hints: [
    'loss must be F(w) = sum_k (n_k/N) f_k(w) with mean node losses: a wrong default weighting (planted bug docs/planted-bugs.md#m02-uniform-weights) shows here',
    'with record left at its default every round 0..R must be recorded; round 0 is w0 itself, not a step from it',
  ],
});
