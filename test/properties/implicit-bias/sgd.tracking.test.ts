import { describe, expect, it } from 'vitest';
import { mutant as M02 } from '../../../src/gate/mutants/M02-uniform-weights.ts';
import { mutant as M03 } from '../../../src/gate/mutants/M03-accumulator-not-reset.ts';
import { mutant as M09 } from '../../../src/gate/mutants/M09-single-node-no-update.ts';
import { mutant as M10 } from '../../../src/gate/mutants/M10-no-restart.ts';
import { mutant as P10 } from '../../../src/gate/mutants/P10-minibatch-stream-restart.ts';
import { builtinSubject } from '../../../src/subject/index.ts';
import { localSGD } from '../../../src/optimizers/localSGD.ts';
import { checkTheorem } from '../../../src/spec/index.ts';
import { GROWTH } from '../../../properties/implicit-bias/classification.support.ts';
import { spec } from '../../../properties/implicit-bias/sgd.tracking.prop.ts';
import type { FederatedDataset } from '../../../src/problems/types.ts';
import { expectStatus, expectViolationReport, seed } from './classification.helpers.ts';

describe('Z-S1-tracking', () => {
  it('the L = 1 reference takes node k\'s t-th step on the same rows as Local-SGD(L): L = 1 with one round equals L local steps of that node alone', () => {
    // one node: Local-SGD(L = 3, R = 1) and Local-SGD(L = 1, R = 3) run the same three minibatch steps bit for bit
    const ds: FederatedDataset = { task: 'classification', d: 2, nodes: [{ X: { rows: 3, cols: 2, data: Float64Array.of(1, 0.5, -0.25, 1, 0.75, -1) }, y: Float64Array.of(1, -1, 1) }] };
    const h = { loss: { name: 'logistic' as const }, eta: 0.25, B: 2, seed: 7 };
    const a = localSGD.run(ds, { ...h, L: 3, R: 1, record: 'last' });
    const b = localSGD.run(ds, { ...h, L: 1, R: 3, record: 'last' });
    expect(Array.from(a.models[a.models.length - 1])).toEqual(Array.from(b.models[b.models.length - 1]));
  });

  it('holds on the reference optimizer', async () => {
    const v = await checkTheorem(spec, { subject: builtinSubject, seed, profile: 'ci' });
    expectStatus(v, 'holds');
    expect(v.evidence.nonVacuousRuns).toBeGreaterThanOrEqual(v.runs / 2);
    expect((v.evidence.worst!.observed as number[])[0]).toBeLessThanOrEqual(GROWTH);
  });

  it('teeth: a minibatch stream that restarts every round (P10) optimises other rows than the reference', async () => {
    const v = await checkTheorem(spec, { subject: P10.apply(builtinSubject), seed, profile: 'ci', shrink: false, numRuns: 24 });
    expectViolationReport(v, true);
  });

  it('teeth: a never-reset accumulator (M03) overflows', async () => {
    const v = await checkTheorem(spec, { subject: M03.apply(builtinSubject), seed, profile: 'ci', shrink: false });
    expectViolationReport(v, true);
  });

  it('teeth: unweighted averaging (M02) is compared with the REFERENCE L = 1 run, so it no longer cancels', async () => {
    const v = await checkTheorem(spec, { subject: M02.apply(builtinSubject), seed, profile: 'ci', shrink: false });
    expectViolationReport(v, true);
  });

  it('teeth: nodes that keep their own local models (M10) drift away from the reference minibatch SGD', async () => {
    const v = await checkTheorem(spec, { subject: M10.apply(builtinSubject), seed, profile: 'ci', shrink: false });
    expectViolationReport(v, true);
  });

  it('teeth: a single node that never moves (M09) leaves an offset that grows like the reference iterates', async () => {
    const v = await checkTheorem(spec, { subject: M09.apply(builtinSubject), seed, profile: 'ci', shrink: false, numRuns: 24 });
    expectViolationReport(v, true);
  });
});
