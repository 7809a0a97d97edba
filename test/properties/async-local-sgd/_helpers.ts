/** Shared by the async-local-sgd property tests (not a test file). */
import type fc from 'fast-check';
import { expect } from 'vitest';
import { builtinSubject } from '../../../src/subject/index.ts';
import { checkTheorem, dropHypotheses } from '../../../src/spec/index.ts';
import type { AnyTheorem, Holds, Subject, TheoremSpec, Verdict, Violated } from '../../../src/spec/index.ts';
import { parseSeed } from '../../../src/spec/seed.ts';
import type { Mutant } from '../../../src/gate/mutants/types.ts';

export const seed = parseSeed(process.env.LSGD_SEED ?? '42', 'LSGD_SEED');

/** One line for a failed expectation: status and reason or message. */
function detail(v: Verdict): string {
  return `${v.id}: ${v.status} ${'reason' in v ? v.reason : 'message' in v ? v.message : ''}`;
}

export async function expectHolds(spec: AnyTheorem, subject: Subject = builtinSubject): Promise<Holds> {
  const v = await checkTheorem(spec, { subject, seed, profile: 'ci' });
  expect(v.status, detail(v)).toBe('holds');
  return v as Holds;
}

/** Violated, with observed and bound in the report and a replay command. */
export async function expectViolated(spec: AnyTheorem, subject: Subject): Promise<Violated> {
  const v = await checkTheorem(spec, { subject, seed, profile: 'ci' });
  expect(v.status, detail(v)).toBe('violated');
  const w = v as Violated;
  expect(w.observed).toBeDefined();
  expect(w.bound).toBeDefined();
  expect(w.command).toContain(`--id ${spec.id}`);
  return w;
}

/**
 * A planted bug is killed when the theorem is violated on it: by a value outside the bound, or by the mutated run
 * throwing on a valid instance (M13 can end a DiLoCo run early, so a recorded round no longer exists).
 */
export async function killedBy(spec: AnyTheorem, m: Mutant): Promise<Violated> {
  const v = await checkTheorem(spec, { subject: m.apply(builtinSubject), seed, profile: 'ci' });
  expect(v.status, detail(v)).toBe('violated');
  const w = v as Violated;
  if (w.observed === undefined) expect(w.message).toMatch(/^subject threw: /);
  expect(w.command).toContain(`--id ${spec.id}`);
  return w;
}

/** For a comparison verdict: the closest approach stayed within the allowance. */
export function expectWithinAllowance(v: Holds): void {
  const w = v.evidence.worst;
  expect(w).toBeDefined();
  expect(w!.difference).toBeLessThanOrEqual(w!.allowed);
}

/** The spec with one hypothesis dropped and its instances replaced (a generator without that hypothesis). */
export function withoutHypothesis<I>(spec: AnyTheorem<I>, id: string, name: string, instances: fc.Arbitrary<I>): AnyTheorem<I> {
  return dropHypotheses(spec, id, [name], instances);
}
