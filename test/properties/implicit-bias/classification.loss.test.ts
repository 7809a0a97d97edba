import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutant as M03 } from '../../../src/gate/mutants/M03-accumulator-not-reset.ts';
import { mutant as M09 } from '../../../src/gate/mutants/M09-single-node-no-update.ts';
import { builtinSubject } from '../../../src/subject/index.ts';
import { checkTheorem } from '../../../src/spec/index.ts';
import { spec as loss } from '../../../properties/implicit-bias/classification.loss-rate.prop.ts';
import { nullPart, rowSpace, spec as nullSpace } from '../../../properties/implicit-bias/classification.null-space.prop.ts';
import type { NullSpaceCase } from '../../../properties/implicit-bias/classification.null-space.prop.ts';
import { expectStatus, expectViolationReport, seed, variant } from './classification.helpers.ts';

describe('Z-C3-loss', () => {
  it('holds on the reference optimizer', async () => {
    const v = await checkTheorem(loss, { subject: builtinSubject, seed, profile: 'ci' });
    expectStatus(v, 'holds');
    expect(v.evidence.nonVacuousRuns).toBeGreaterThanOrEqual(v.runs / 2);
  });

  it('teeth: a model that never moves (M09, single-node draws) keeps F(w0), so F eta L k grows linearly', async () => {
    const v = await checkTheorem(loss, { subject: M09.apply(builtinSubject), seed, profile: 'ci', shrink: false, numRuns: 40 });
    expectViolationReport(v, true);
    if (v.status !== 'violated') return;
    const o = v.observed as number[];
    expect(o[o.length - 1]).toBeGreaterThan((v.bound as number[])[o.length - 1]);
  });
});

describe('Z-C5-null-space', () => {
  it('instances start outside span(z_i): w0 = (I - P) v is orthogonal to every row up to rounding', () => {
    for (const c of fc.sample(nullSpace.instances, { seed, numRuns: 10 }) as NullSpaceCase[]) {
      const { Q } = rowSpace(c.run.Z);
      const back = nullPart(Q, c.w0);
      for (let j = 0; j < c.w0.length; j++) expect(Math.abs(back[j] - c.w0[j])).toBeLessThanOrEqual(64 * Number.EPSILON * (1 + Math.abs(c.w0[j])));
    }
  });

  it('holds on the reference optimizer', async () => {
    const v = await checkTheorem(nullSpace, { subject: builtinSubject, seed, profile: 'ci' });
    expectStatus(v, 'holds');
    expect(v.evidence.nonVacuousRuns).toBeGreaterThanOrEqual(v.runs / 2);
  });

  it('teeth: a never-reset accumulator (M03) doubles the null-space part every round', async () => {
    const v = await checkTheorem(nullSpace, { subject: M03.apply(builtinSubject), seed, profile: 'ci', shrink: false });
    expectViolationReport(v, true);
  });

  it('teeth (dropped hypothesis): an L2 term shrinks the null-space part; found by search and shrunk', async () => {
    const ridge = variant(nullSpace, {
      id: 'Z-C5-null-space-dropped',
      instances: nullSpace.instances.map((c: NullSpaceCase) => ({ ...c, run: { ...c.run, loss: { ...c.run.loss, l2: c.run.radius ** 2 / 64 } } })),
      hypotheses: [],
    });
    const v = await checkTheorem(ridge, { subject: builtinSubject, seed, profile: 'ci' });
    expectViolationReport(v, true);
    if (v.status === 'violated') expect(v.observed as number).toBeGreaterThan(v.tolerance!.allowed);
  });
});
