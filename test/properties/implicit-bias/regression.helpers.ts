/** Shared by the implicit-bias regression property tests (not a test file). */
import type fc from 'fast-check';
import { expect } from 'vitest';
import type { Mutant } from '../../../src/gate/mutants/types.ts';
import { builtinSubject } from '../../../src/subject/index.ts';
import { checkTheorem, dropHypotheses, parseSeed } from '../../../src/spec/index.ts';
import type { AnyTheorem, Holds, Subject, TheoremSpec, Verdict, Violated } from '../../../src/spec/index.ts';

export const seed = parseSeed(process.env.LSGD_SEED ?? '42', 'LSGD_SEED');

function detail(v: Verdict): string {
  return `${v.id}: ${v.status} ${'reason' in v ? v.reason : 'message' in v ? v.message : ''}`;
}

/** Holds on the subject, the closest approach within its allowance, and at least half the runs non-vacuous. */
export async function expectHolds(spec: AnyTheorem, subject: Subject = builtinSubject): Promise<Holds> {
  const v = await checkTheorem(spec, { subject, seed, profile: 'ci' });
  expect(v.status, detail(v)).toBe('holds');
  const h = v as Holds;
  if (h.evidence.worst) expect(h.evidence.worst.difference).toBeLessThanOrEqual(h.evidence.worst.allowed);
  expect(h.evidence.nonVacuousRuns ?? 0).toBeGreaterThanOrEqual(Math.ceil(h.runs / 2));
  return h;
}

/**
 * Violated, with observed and bound in the report and a replay command. `numRuns` overrides the ci runs only where
 * the test says why (a bug that shows on a regime drawn in about a third of the draws).
 */
export async function expectViolated(spec: AnyTheorem, subject: Subject, opts: { shrink?: boolean; numRuns?: number } = {}): Promise<Violated> {
  const v = await checkTheorem(spec, { subject, seed, profile: 'ci', shrink: opts.shrink ?? false, numRuns: opts.numRuns });
  expect(v.status, detail(v)).toBe('violated');
  const w = v as Violated;
  // a run that blows up is a violation too (the optimizers throw on a non-finite model); otherwise both values are reported
  if (!/^subject threw: .*(diverged|not finite)/.test(w.message)) {
    expect(w.observed, w.message).toBeDefined();
    expect(w.bound, w.message).toBeDefined();
  }
  expect(w.command).toContain(`--id ${spec.id}`);
  return w;
}

export const killedBy = (spec: AnyTheorem, m: Mutant, opts: { numRuns?: number } = {}): Promise<Violated> =>
  expectViolated(spec, m.apply(builtinSubject), opts);

/** The spec with hypotheses dropped and its instances replaced by a generator without them (a new id). */
export function dropped<I>(spec: AnyTheorem<I>, id: string, names: readonly string[], instances: fc.Arbitrary<I>): AnyTheorem<I> {
  return dropHypotheses(spec, id, names, instances);
}

/** A dropped-hypothesis search: violated on the reference, shrunk, and the shrunk instance reported. */
export async function expectFoundBySearch<I>(spec: AnyTheorem<I>): Promise<Violated> {
  const v = await expectViolated(spec, builtinSubject, { shrink: true });
  expect(v.shrinks).toBeGreaterThan(0);
  expect(v.counterexample).toBeDefined();
  return v;
}
