/**
 * Draws that an arbitrary rejects internally (a filter on a generator) never reach the runner, so they would be
 * invisible in the vacuity figures: a property whose generator throws away 60% of its draws looks as exercised as one
 * that throws away none. `filterCounted` is `arb.filter(pred)` that also counts each rejection, by reason, in the
 * scope of the check that is drawing (AsyncLocalStorage, so concurrent checks in one process do not mix their
 * counts); the runner opens the scope and reports the counts with the verdict. Outside a scope nothing is counted.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type fc from 'fast-check';

/** rejected draws by reason */
export type RejectionCounts = Record<string, number>;

const scope = new AsyncLocalStorage<Map<string, number>>();

/** `arb.filter(pred)`, counting every rejected draw under `reason` in the current check's scope. */
export function filterCounted<T>(arb: fc.Arbitrary<T>, pred: (value: T) => boolean, reason: string): fc.Arbitrary<T> {
  if (typeof reason !== 'string' || reason.length === 0) throw new Error(`filterCounted: reason must be a non-empty string, got ${JSON.stringify(reason)}`);
  return arb.filter((v) => {
    const ok = pred(v);
    if (!ok) {
      const m = scope.getStore();
      if (m) m.set(reason, (m.get(reason) ?? 0) + 1);
    }
    return ok;
  });
}

/** Run `body` (the drawing of one check) in a fresh counting scope; returns its result and the counts. */
export async function countingRejections<R>(body: () => Promise<R> | R): Promise<{ result: R; rejections: RejectionCounts }> {
  const m = new Map<string, number>();
  const result = await scope.run(m, body);
  return { result, rejections: Object.fromEntries([...m.entries()].sort(([a], [b]) => a.localeCompare(b))) };
}

/** Total rejected draws. */
export function totalRejections(r: RejectionCounts | undefined): number {
  return r ? Object.values(r).reduce((s, n) => s + n, 0) : 0;
}
