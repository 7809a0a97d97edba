import { describe, expect, it } from 'vitest';
import { builtinSubject } from '../../../src/subject/index.ts';
import { checkTheorem, redefine } from '../../../src/spec/index.ts';
import { doubleWellCases, spec } from '../../../properties/lupa-sgd/nonpl.double-well.prop.ts';
import { describeVerdict as statusLine, seed } from './_helpers.ts';

describe('L-4-double-well (recorded refutation: L-4 without PL)', () => {
  it('the search refutes "within 1.5x of tau = 1" on the reference and shrinks to a small instance with >= 2 workers', async () => {
    const v = await checkTheorem(spec, { subject: builtinSubject, seed, profile: 'ci' });
    expect(v.status, statusLine(v)).toBe('violated');
    if (v.status !== 'violated') return;
    expect(v.observed as number).toBeGreaterThan(0); // the lower end of E[F(tau) - 1.5 F(1)] is above 0
    const c = v.counterexample as { p: number; tau: number; T: number; ds: { d: number } };
    expect(c.p).toBeGreaterThanOrEqual(2);
    expect(2 * c.tau).toBeGreaterThanOrEqual(c.T);
    expect(v.shrinks).toBeGreaterThan(0);
    expect(v.command).toContain('--id L-4-double-well');
  });

  it('control: with one worker there is nothing to average (tau has no effect) and the same check holds', async () => {
    const one = redefine(spec, { id: 'L-4-double-well-p1', instances: doubleWellCases(1, 1), expect: 'holds' });
    const v = await checkTheorem(one, { subject: builtinSubject, seed, profile: 'ci' });
    expect(v.status, statusLine(v)).toBe('holds');
  });
});
