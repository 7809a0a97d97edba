/**
 * The federated mutants built on _federatedComposite.ts swap ONE part of the reference round: where that part
 * coincides with the reference's, the run is the reference bit for bit; where it does not, the run changes.
 */
import { describe, expect, it } from 'vitest';
import { mutant as M04 } from '../../../src/gate/mutants/M04-partial-all-clients.ts';
import { mutant as P02 } from '../../../src/gate/mutants/P02-modified-normaliser.ts';
import { builtinSubject } from '../../../src/subject/index.ts';
import type { RunFn, Trace } from '../../../src/optimizers/types.ts';
import type { FederatedDataset } from '../../../src/problems/types.ts';

const ds: FederatedDataset = {
  task: 'classification', d: 2,
  nodes: [
    { X: { rows: 2, cols: 2, data: Float64Array.of(1, 0.5, 0.25, 1) }, y: Float64Array.of(1, 1) },
    { X: { rows: 1, cols: 2, data: Float64Array.of(-1, 0.5) }, y: Float64Array.of(-1) },
    { X: { rows: 3, cols: 2, data: Float64Array.of(0.5, 0.5, 1, -0.25, -0.5, 1) }, y: Float64Array.of(1, 1, -1) },
  ],
};
const bits = (t: Trace) => t.models.map((m) => Array.from(m));
const run = (s: Record<string, unknown>, cap: string, h: Record<string, unknown>) => bits((s[cap] as RunFn<Record<string, unknown>>)(ds, h));

describe('M04 (weights not renormalised over the sampled clients)', () => {
  const m = M04.apply(builtinSubject);
  const h = { loss: { name: 'logistic' }, eta: 0.25, L: 3, R: 5, seed: 3 };
  it('full participation: the reference bit for bit', () => {
    expect(run(m, 'localGD', h)).toEqual(run(builtinSubject, 'localGD', h));
    expect(run(m, 'localSGD', { ...h, B: 1 })).toEqual(run(builtinSubject, 'localSGD', { ...h, B: 1 }));
  });
  it('partial participation: a different run', () => {
    expect(run(m, 'localGD', { ...h, participants: 2 })).not.toEqual(run(builtinSubject, 'localGD', { ...h, participants: 2 }));
  });
});

describe('P02 (the normaliser counts 1 step instead of L_k)', () => {
  const m = P02.apply(builtinSubject);
  const h = { variant: 'normalized', loss: { name: 'exponential' }, eta: 0.25, etaG: 0.5, R: 4 };
  it('with L = 1 the count is right: the reference bit for bit; the projection variants are untouched', () => {
    expect(run(m, 'modifiedLocalGD', { ...h, L: 1 })).toEqual(run(builtinSubject, 'modifiedLocalGD', { ...h, L: 1 }));
    expect(run(m, 'modifiedLocalGD', { variant: 'avg', R: 3 })).toEqual(run(builtinSubject, 'modifiedLocalGD', { variant: 'avg', R: 3 }));
  });
  it('with L = 3 the server step is L times too large: a different run', () => {
    expect(run(m, 'modifiedLocalGD', { ...h, L: 3 })).not.toEqual(run(builtinSubject, 'modifiedLocalGD', { ...h, L: 3 }));
  });
});
