/**
 * Shared by the classification / nonseparable / sgd property tests: the run's seed, verdict assertions, and variants
 * of a spec with other instances or hypotheses (the dropped-hypothesis teeth).
 */
import { expect } from 'vitest';
import { redefine } from '../../../src/spec/index.ts';
import type { AnyTheorem, Verdict } from '../../../src/spec/index.ts';
import { parseSeed } from '../../../src/spec/seed.ts';

export const seed = parseSeed(process.env.LSGD_SEED ?? '42', 'LSGD_SEED');

/** The verdict has status s (the message shows the verdict when it does not). */
export function expectStatus<S extends Verdict['status']>(v: Verdict, s: S): asserts v is Extract<Verdict, { status: S }> {
  const detail = v.status === 'holds' ? '' : 'reason' in v ? v.reason : 'message' in v ? v.message : '';
  expect({ id: v.id, status: v.status, detail }).toMatchObject({ status: s });
}

/** A violated verdict carries the compared values: observed always; bound for comparison kinds. */
export function expectViolationReport(v: Verdict, withBound: boolean): void {
  expectStatus(v, 'violated');
  expect(v.message.length).toBeGreaterThan(0);
  expect(v.command).toContain(`--id ${v.id}`);
  if (v.message.startsWith('subject threw')) return; // the run itself failed: nothing was compared
  expect(v.observed).toBeDefined();
  if (v.message.startsWith('subject returned an invalid value')) return; // e.g. an overflowed model: no comparison
  if (withBound) expect(v.bound).toBeDefined();
  expect(v.tolerance?.why.length).toBeGreaterThan(0);
}

/** The same theorem with some fields replaced (defineTheorem rejects the profile table it filled in). */
export function variant<I>(spec: AnyTheorem<I>, changes: Record<string, unknown>): AnyTheorem<I> {
  return redefine(spec, changes);
}
