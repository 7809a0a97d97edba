import { describe, expect, it } from 'vitest';
import { mutant as M10 } from '../../../src/gate/mutants/M10-no-restart.ts';
import { builtinSubject } from '../../../src/subject/index.ts';
import { checkTheorem } from '../../../src/spec/index.ts';
import { parseSeed } from '../../../src/spec/seed.ts';
import { LS, SLACK_PER_ETA_L_BETA, TS, spec as fixedEta } from '../../../properties/implicit-bias/versions.fixed-eta-rate.prop.ts';

const seed = parseSeed(process.env.LSGD_SEED ?? '42', 'LSGD_SEED');

describe('Z-V4-fixed-eta-rate', () => {
  it('compares every L at every late budget, with a slack that vanishes as eta L beta -> 0', () => {
    expect(LS.length * TS.length).toBe(6);
    expect(SLACK_PER_ETA_L_BETA * (4 / 64)).toBeLessThan(2e-3);
  });

  it('holds on the reference', async () => {
    const v = await checkTheorem(fixedEta, { subject: builtinSubject, seed, profile: 'ci' });
    expect(v.status, JSON.stringify(v)).toBe('holds');
  }, 120_000);

  it('teeth: nodes that keep their own local models (mutant M10) exceed the L = 1 constant', async () => {
    const v = await checkTheorem(fixedEta, { subject: M10.apply(builtinSubject), seed, profile: 'ci', shrink: false });
    expect(v.status).toBe('violated');
  }, 180_000);
});
