/**
 * Planted bug M11-zero-weight-nan (docs/planted-bugs.md#m11-zero-weight-nan; reported class 11): when every client reports zero samples, the aggregation divides by a total weight
 * of 0 and a NaN model is returned instead of an error. A wrapper that mis-sets what the reference sets right: on a
 * problem whose nodes all have 0 rows (the total weight of the default alpha_k = n_k / N is 0) it returns the trace
 * such an unguarded loop produces, round 0 = w0 and then NaN models and losses for rounds 1..R, instead of the
 * reference's one-line Error; every other problem goes to the reference. Killed by the bad-input contract C-2.
 */
import type { Trace, RunFn } from '../../optimizers/types.ts';
import type { FederatedDataset } from '../../problems/types.ts';
import type { Subject } from '../../spec/types.ts';
import { capability } from '../../subject/index.ts';
import { override } from './types.ts';
import type { Mutant } from './types.ts';

const AFFECTS = ['localGD', 'localSGD'] as const;

type Hyper = { readonly R?: unknown; readonly w0?: Float64Array; readonly L?: unknown };

/** What sum_k (n_k / N) w_k with N = 0 gives: 0/0 in every coordinate after the first round. */
function nanTrace(name: string, problem: FederatedDataset, hyper: Hyper): Trace {
  const R = typeof hyper.R === 'number' && Number.isInteger(hyper.R) && hyper.R >= 0 ? hyper.R : 1;
  const L = typeof hyper.L === 'number' ? hyper.L : 1;
  const w0 = hyper.w0 ?? new Float64Array(problem.d);
  const t: Trace = { algorithm: name, rounds: [], models: [], loss: [], communications: [], localSteps: [] };
  for (let r = 0; r <= R; r++) {
    t.rounds.push(r);
    t.models.push(r === 0 ? Float64Array.from(w0) : new Float64Array(problem.d).fill(Number.NaN));
    t.loss.push(Number.NaN); // a mean over 0 samples
    t.communications.push(r * problem.nodes.length);
    t.localSteps!.push(r * L);
  }
  return t;
}

function unguarded(name: string, run: RunFn<Hyper>): RunFn<Hyper> {
  return (problem, hyper) => {
    const empty = problem !== null && typeof problem === 'object' && Array.isArray(problem.nodes) && problem.nodes.length > 0
      && problem.nodes.every((n) => n.X.rows === 0);
    const defaultWeights = hyper === null || typeof hyper !== 'object' || (hyper as { alpha?: unknown }).alpha === undefined
      || (hyper as { alpha?: unknown }).alpha === 'samples';
    return empty && defaultWeights ? nanTrace(name, problem, hyper ?? {}) : run(problem, hyper);
  };
}

export const mutant: Mutant = {
  id: 'M11-zero-weight-nan',
  bug: 'all clients report zero samples: a NaN model is returned instead of an error',
  source: 'reported bug class 11 (docs/planted-bugs.md#reported-bug-classes)',
  affects: AFFECTS,
  apply: (subject: Subject) => override(subject, Object.fromEntries(
    AFFECTS.filter((name) => subject[name] !== undefined).map((name) => [name, unguarded(name, capability<RunFn<Hyper>>(subject, name))]),
  )),
};
