/**
 * C-4-recurrence and C-5-sampler against independent implementations (test/gate/fixtures/independentFedAvg.ts): a
 * correct FedAvg written from the maths passes whether it uses the gate's draws or its own sampler; a sampler that
 * takes the first m clients, one that samples with replacement, and a centralized minibatch SGD whose step is B/N
 * too short each fail.
 */
import { describe, expect, it } from 'vitest';
import { checkTheorem } from '../../src/spec/runner.ts';
import type { Subject } from '../../src/spec/types.ts';
import { spec as recurrence } from '../../properties/conformance/any.recurrence.prop.ts';
import { spec as sampler } from '../../properties/conformance/own.sampler.prop.ts';
import { spec as traceShape } from '../../properties/conformance/any.trace-shape.prop.ts';
import { builtinSubject, withGateDraws } from '../../src/subject/index.ts';
import { independentFedAvg, type FedAvgOptions } from './fixtures/independentFedAvg.ts';

const seed = Number(process.env.LSGD_SEED ?? 1);
// as the plug-in protocol's client calls it: the gate's draws added to every stochastic call
const subject = (o: FedAvgOptions): Subject => withGateDraws(independentFedAvg(o) as unknown as Subject);

describe('C-4-recurrence: the specified recurrence on the gate\'s draws', () => {
  it('holds on the reference and on a correct independent FedAvg that uses the draws', async () => {
    expect((await checkTheorem(recurrence, { subject: builtinSubject, seed, profile: 'ci' })).status).toBe('holds');
    const indep = subject({ sampler: 'gate' });
    expect((await checkTheorem(recurrence, { subject: indep, seed, profile: 'ci' })).status).toBe('holds');
    expect((await checkTheorem(traceShape, { subject: indep, seed, profile: 'ci' })).status).toBe('holds');
  }, 120_000);

  it.each([
    ['first-m', { sampler: 'first-m' } as const, /ignores the supplied random draws|observed exceeds the bound/],
    ['with replacement', { sampler: 'with-replacement' } as const, /ignores the supplied random draws|observed exceeds the bound/],
    ['B/N-short centralized SGD step', { sampler: 'gate', sgdStep: 'short' } as const, /observed exceeds the bound at index 1/],
  ])('fails a subject whose sampler or step is wrong: %s', async (_name, o, message) => {
    const v = await checkTheorem(recurrence, { subject: subject(o), seed, profile: 'ci' });
    expect(v.status).toBe('violated');
    if (v.status === 'violated') expect(v.message).toMatch(message);
  }, 120_000);

  it('a subject with its own sampler is compared only where nothing is drawn', async () => {
    const v = await checkTheorem(recurrence, { subject: subject({ sampler: 'own' }), seed, profile: 'ci', sampler: 'own' });
    expect(v.status).toBe('holds');
  }, 120_000);
});

describe('C-5-sampler: a subject\'s own sampler, in distribution', () => {
  it('is not applicable to a subject that uses the gate\'s draws', async () => {
    const v = await checkTheorem(sampler, { subject: builtinSubject, seed, profile: 'ci' });
    expect(v.status === 'interrupted' && v.cause === 'not-applicable').toBe(true);
  });

  it('holds on a correct own sampler', async () => {
    const v = await checkTheorem(sampler, { subject: subject({ sampler: 'own' }), seed, profile: 'ci', sampler: 'own' });
    expect(v.status).toBe('holds');
  }, 120_000);

  it.each([
    ['first-m', { sampler: 'first-m' } as const],
    ['with replacement', { sampler: 'with-replacement' } as const],
    ['B/N-short centralized SGD step', { sampler: 'own', sgdStep: 'short' } as const],
  ])('fails a wrong own sampler or step: %s', async (_name, o) => {
    const v = await checkTheorem(sampler, { subject: subject(o), seed, profile: 'ci', sampler: 'own' });
    expect(v.status).toBe('violated');
  }, 120_000);
});
