/** Closeness: > 1 exactly when the case (or the frequency decision) refutes; the planted rare bugs are one-part swaps. */
import { describe, expect, it } from 'vitest';
import { frequencyCloseness } from '../../src/hunt/closeness.ts';
import { mutant as P90 } from '../../src/hunt/planted/P90-dominant-node-smoothing.ts';
import { mutant as P91 } from '../../src/hunt/planted/P91-long-round-step-weighted.ts';
import type { RunFn } from '../../src/optimizers/types.ts';
import { builtinSubject } from '../../src/subject/index.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';
import { frequencyDecision } from '../../src/spec/stats/binomial.ts';

describe('frequencyCloseness', () => {
  it('is > 1 exactly when the Clopper-Pearson decision refutes the claim, for every count and each claim direction', () => {
    for (const claim of ['at-least', 'at-most', 'equal'] as const) {
      for (const n of [1, 7, 40]) {
        for (let k = 0; k <= n; k++) {
          const c = frequencyCloseness(k, n, 0.6, claim, 0.99);
          const d = frequencyDecision(k, n, { claimed: 0.6, claim, confidence: 0.99 });
          expect(c.violated, `${claim} ${k}/${n}`).toBe(d.violated);
          expect(c.closeness > 1, `${claim} ${k}/${n}: closeness ${c.closeness}`).toBe(d.violated);
        }
      }
    }
  });
});

const ds: FederatedDataset = {
  task: 'regression', d: 2,
  nodes: [
    { X: { rows: 2, cols: 2, data: Float64Array.of(1, 0, 0.5, 1) }, y: Float64Array.of(1, -1) },
    { X: { rows: 2, cols: 2, data: Float64Array.of(0, 1, 1, 0.25) }, y: Float64Array.of(2, 0.5) },
  ],
} as unknown as FederatedDataset;

function lastModel(run: unknown, hyper: Record<string, unknown>): Float64Array {
  const t = (run as RunFn<Record<string, unknown>>)(ds, { loss: { name: 'squared' }, eta: 0.25, R: 20, record: 'last', ...hyper }) as unknown as { models: Float64Array[] };
  return t.models[t.models.length - 1];
}

describe('planted rare bugs', () => {
  it('P90 (weight smoothing) changes nothing on equal weights and moves the model with one dominant node', () => {
    const ref = builtinSubject.localGD;
    const bug = P90.apply(builtinSubject).localGD;
    expect(Array.from(lastModel(bug, { L: 3, alpha: [1, 1] }))).toEqual(Array.from(lastModel(ref, { L: 3, alpha: [1, 1] })));
    const a = lastModel(bug, { L: 3, alpha: [64, 1] });
    const b = lastModel(ref, { L: 3, alpha: [64, 1] });
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });

  it('P91 (step-weighted aggregation) changes nothing with equal L_k and moves the model with unequal L_k', () => {
    const ref = builtinSubject.localGD;
    const bug = P91.apply(builtinSubject).localGD;
    expect(Array.from(lastModel(bug, { L: [4, 4], alpha: [3, 1] }))).toEqual(Array.from(lastModel(ref, { L: [4, 4], alpha: [3, 1] })));
    expect(Array.from(lastModel(bug, { L: [6, 1], alpha: [3, 1] }))).not.toEqual(Array.from(lastModel(ref, { L: [6, 1], alpha: [3, 1] })));
  });
});
