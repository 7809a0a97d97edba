/**
 * C-4 (conformance): the first rounds of every run capability follow the specified recurrence on the gate's random
 * draws: the subject's models equal the reference's (src/subject/builtin.ts) run with the same hyperparameters and
 * the same draws, within the rounding budget derived in src/gate/recurrence.ts. A subject that ignores the draws it
 * was given is told so. Note: proofs-notes/C-4-recurrence.md.
 */
import { FEDERATED_CAPABILITIES, conformanceCases, type ConformanceCase } from '../../src/gate/conformance.ts';
import { recurrenceRatios } from '../../src/gate/recurrence.ts';
import { defineTheorem } from '../../src/spec/index.ts';
import { FEDERATED_RUN_CAPABILITIES } from '../../src/subject/catalogue.ts';

export const STATEMENT = String.raw`\forall\,\text{capability } A,\ r \le R:\ \big\| w^{(r)}_{A}(P, h, \xi) - w^{(r)}_{\mathrm{ref}}(P, h, \xi) \big\|_\infty \le \tau_A(P, h),\ \ \xi = \text{the gate's draws}`;

export const spec = defineTheorem<ConformanceCase, Float64Array>({
  id: 'C-4-recurrence',
  title: 'every run capability follows the specified recurrence on the supplied random draws (to rounding)',
  source: {
    paper: 'lsgd-spec plug-in contract: the reference recurrences of src/optimizers and the draws of ci/PROTOCOL.md',
    version: 'this repository',
    locator: 'src/gate/recurrence.ts (budget); src/subject/draws.ts (draws); ci/PROTOCOL.md "draws"',
    provenance: 'derived',
  },
  statement: STATEMENT,
  kind: 'upper-bound',
  requires: [],
  requiresAny: FEDERATED_RUN_CAPABILITIES,
  hypotheses: [
    { name: 'R <= 4 rounds from a small instance', check: (c) => c.R <= 4 || `R = ${c.R}` },
  ],
  // every record form is C-1's business: here the whole path is compared, so record 'all'
  instances: conformanceCases().map((c) => ({ ...c, record: undefined })),
  // observed[i] = |subject - reference| / budget over the path, for capability FEDERATED_CAPABILITIES[i] (0 if absent)
  observe: (c, subject, ctx) => {
    const { names, ratios } = recurrenceRatios(subject, c, ctx);
    const out = new Float64Array(FEDERATED_CAPABILITIES.length);
    names.forEach((n, i) => {
      out[FEDERATED_CAPABILITIES.indexOf(n as (typeof FEDERATED_CAPABILITIES)[number])] = ratios[i];
    });
    return out;
  },
  bound: () => Float64Array.from(FEDERATED_CAPABILITIES, () => 1),
  tolerance: { abs: 0, why: 'each entry is already |subject - reference| divided by its derived rounding budget (src/gate/recurrence.ts), so the bound 1 has no further slack' },
  profiles: { ci: 25, default: 100, hunt: 1000 },
  hints: [
    `observed[i] is |subject - reference| / budget for capability i in the order ${FEDERATED_CAPABILITIES.join(', ')}`,
    'a ratio far above 1 after one round: the mean loss, the weights n_k/N, the step size or the use of the supplied draws differs from the reference',
  ],
});
