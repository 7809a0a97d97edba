/** Helpers of the lupa-sgd property tests: the run seed, a spec with a hypothesis dropped, status assertions. */
import type fc from 'fast-check';
import { expect } from 'vitest';
import { checkTheorem, dropHypotheses, type AnyTheorem, type Subject, type Verdict } from '../../../src/spec/index.ts';
import { parseSeed } from '../../../src/spec/seed.ts';

export const seed = parseSeed(process.env.LSGD_SEED ?? '42', 'LSGD_SEED');

/** The spec under a new id with `instances` replaced by a generator WITHOUT some hypotheses, which are dropped. */
export function withInstances<I>(spec: AnyTheorem<I>, id: string, instances: fc.Arbitrary<I>, keep: (name: string) => boolean = () => false): AnyTheorem<I> {
  return dropHypotheses(spec, id, spec.hypotheses.filter((h) => !keep(h.name)).map((h) => h.name), instances);
}

/** One line naming the status and why (so a failed expectation says what happened). */
export function describeVerdict(v: Verdict): string {
  if (v.status === 'holds') return `holds after ${v.runs} runs`;
  if (v.status === 'violated') return `violated: ${v.message}`;
  return `${v.status}: ${v.reason}`;
}

export async function expectStatus(spec: AnyTheorem, subject: Subject, status: Verdict['status'], extra: { shrink?: boolean } = {}): Promise<Verdict> {
  const v = await checkTheorem(spec, { subject, seed, profile: 'ci', ...extra });
  expect(v.status, `${spec.id} (seed ${seed}): ${describeVerdict(v)}`).toBe(status);
  return v;
}
