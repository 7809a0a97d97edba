/**
 * Example plug-in for ci/gate.sh: a TypeScript module exporting `subject`, a record of capability run functions
 * (ci/README.md). Here the "user's optimizer" is lsgd-spec's own Local-GD and Local-SGD, so the gate passes; replace
 * the functions with yours (same signatures) to check your implementation:
 *
 *   ci/gate.sh ci/example-subject.ts --profile ci
 *
 * Capabilities you leave out are reported as "not applicable" by `lsgd-spec check` and do not fail the gate.
 */
import { localGD } from '../src/optimizers/localGD.ts';
import { localSGD } from '../src/optimizers/localSGD.ts';
import type { Trace } from '../src/optimizers/types.ts';
import type { FederatedDataset } from '../src/problems/types.ts';

/** (problem, hyper) => Trace: round 0 = w0, one record per round, loss = F(w) with weights n_k/N by default. */
type RunFn = (problem: FederatedDataset, hyper: never) => Trace;

export const subject: Record<string, RunFn> = {
  localGD: localGD.run as RunFn,
  localSGD: localSGD.run as RunFn,
};
