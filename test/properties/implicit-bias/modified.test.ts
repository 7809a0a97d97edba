import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { separableClassification } from '../../../src/arbitraries/index.ts';
import { mutant as P02 } from '../../../src/gate/mutants/P02-modified-normaliser.ts';
import { mutant as P03 } from '../../../src/gate/mutants/P03-modified-no-anchor.ts';
import { EPS } from '../../../src/numeric/index.ts';
import { maxMarginProjection } from '../../../src/precise/index.ts';
import { localGD } from '../../../src/optimizers/localGD.ts';
import { builtinSubject } from '../../../src/subject/index.ts';
import { checkTheorem, defineTheorem, specOf } from '../../../src/spec/index.ts';
import type { AnyTheorem, Verdict } from '../../../src/spec/index.ts';
import { parseSeed } from '../../../src/spec/seed.ts';
import { spec as feasible } from '../../../properties/implicit-bias/modified.avg-feasible.prop.ts';
import { spec as notMaxMargin } from '../../../properties/implicit-bias/modified.avg-not-max-margin.prop.ts';
import { spec as anchor } from '../../../properties/implicit-bias/modified.anchor-halpern.prop.ts';
import { spec as normalized } from '../../../properties/implicit-bias/modified.normalized-l-free.prop.ts';
import { dist, exactProjection, norm, signedRowsOf, skewedSeparable } from '../../../properties/implicit-bias/modified.support.ts';

const seed = parseSeed(process.env.LSGD_SEED ?? '42', 'LSGD_SEED');

/** the spec's fields without what defineTheorem adds, to build a dropped-hypothesis variant */
function fieldsOf(t: AnyTheorem): Record<string, unknown> {
  return specOf(t) as unknown as Record<string, unknown>;
}

function expectViolated(v: Verdict): asserts v is Extract<Verdict, { status: 'violated' }> {
  expect(v.status, JSON.stringify({ status: v.status, reason: 'reason' in v ? v.reason : undefined })).toBe('violated');
}

describe('exactProjection (support): the exact f64 KKT enumeration agrees with the certified Decimal projector', () => {
  it('on random nodes and points, to 64 eps of the scale', () => {
    const arb = fc.tuple(skewedSeparable(), fc.array(fc.integer({ min: -16, max: 16 }), { minLength: 4, maxLength: 4 }));
    for (const [sc, v] of fc.sample(arb, { seed, numRuns: 12 })) {
      for (const nd of sc.dataset.nodes) {
        const Z = signedRowsOf(nd.X, nd.y);
        const w = Float64Array.from({ length: sc.dataset.d }, (_, j) => v[j] / 4);
        const u = exactProjection(Z, w);
        const ref = maxMarginProjection(Z, w).u;
        // why: the certified projection is exact to 1 ulp; the enumeration solves a <= 4x4 Gram system, a few eps of
        // ||u|| times its condition number (<= 1e3 on this grid data measured), far inside 1e-12
        expect(dist(u, ref)).toBeLessThanOrEqual(1e-12 * (1 + norm(ref)));
      }
    }
  });
});

describe('Z-M1-feasible', () => {
  it('holds on the reference', async () => {
    const v = await checkTheorem(feasible, { subject: builtinSubject, seed, profile: 'ci' });
    expect(v.status, JSON.stringify(v)).toBe('holds');
  });

  it('teeth: dropping "w^0 outside int C" is found by search: a start inside C never moves and keeps margin > 1', async () => {
    const anyStart = fc
      .tuple(skewedSeparable(), fc.array(fc.integer({ min: -8, max: 8 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 8 }), fc.boolean())
      .map(([sc, v, j, along]) => ({
        sc, w0: Float64Array.from({ length: sc.dataset.d }, (_, c) => (along ? (j * sc.meta.wStar[c]) / 2 : v[c % v.length] / 2)),
      }));
    const dropped = defineTheorem({ ...fieldsOf(feasible), id: 'Z-M1-feasible-dropped', hypotheses: [], instances: anyStart } as never);
    const v = await checkTheorem(dropped, { subject: builtinSubject, seed, profile: 'ci', numRuns: 40 });
    expectViolated(v);
    expect(v.index).toBe(0); // the "never enters int C" entry
    expect((v.observed as number[])[0]).toBeGreaterThan(0);
    expect(v.bound).toEqual([0, expect.any(Number)]);
  });
});

describe('Z-M1-not-max-margin', () => {
  it('holds on the reference (frequency of ang > 1e-2 not below 1/2)', async () => {
    const v = await checkTheorem(notMaxMargin, { subject: builtinSubject, seed, profile: 'ci' });
    expect(v.status, JSON.stringify(v)).toBe('holds');
    if (v.status === 'holds') expect(v.evidence.frequency?.n).toBe(24);
  });

  it('teeth: dropping ">= 2 nodes" (one node: M-avg is the projection of 0 onto C, i.e. w_hat) refutes it', async () => {
    const oneNode = separableClassification({ minNodes: 1, maxNodes: 1, maxRowsPerNode: 6, minDim: 2, maxDim: 4, labelSkew: 'sorted', weights: 'none' });
    const dropped = defineTheorem({ ...fieldsOf(notMaxMargin), id: 'Z-M1-not-max-margin-dropped', hypotheses: [], instances: oneNode } as never);
    const v = await checkTheorem(dropped, { subject: builtinSubject, seed, profile: 'ci' });
    expectViolated(v);
    expect(v.observed).toBe(0);
    expect(v.bound).toBe(0.5);
  });
});

describe('Z-M2-anchor', () => {
  it('holds on the reference', async () => {
    const v = await checkTheorem(anchor, { subject: builtinSubject, seed, profile: 'ci' });
    expect(v.status, JSON.stringify(v)).toBe('holds');
  });

  it('teeth: plain averaging (mutant P03, anchor dropped) ends away from w_hat, beyond the Halpern budget', async () => {
    const v = await checkTheorem(anchor, { subject: P03.apply(builtinSubject), seed, profile: 'ci', numRuns: 20 });
    expectViolated(v);
    expect(v.index).toBe(0);
    const [excess, budget] = v.observed as number[];
    expect(excess).toBeGreaterThan(0);
    expect(budget).toBeLessThan(0.25);
  });
});

describe('Z-M3-normalized', () => {
  it('holds on the reference', async () => {
    const v = await checkTheorem(normalized, { subject: builtinSubject, seed, profile: 'ci' });
    expect(v.status, JSON.stringify(v)).toBe('holds');
  });

  it('teeth: the miscounted normaliser (mutant P02, docs/planted-bugs.md#p02-modified-normaliser) makes the direction error depend on L', async () => {
    const v = await checkTheorem(normalized, { subject: P02.apply(builtinSubject), seed, profile: 'ci', numRuns: 20 });
    expectViolated(v);
    const o = v.observed as number[];
    // L = 1 is unaffected by the count (one step either way): the gap is at L = 4 or 16
    expect(Math.abs(o[0] - (v.bound as number[])[0])).toBeLessThanOrEqual(1e3 * EPS);
    expect(v.index).toBeGreaterThan(0);
  });

  it('contrast: plain Local-GD with the same eta (effective server step eta L) is not L-independent', async () => {
    const plain = { ...builtinSubject, modifiedLocalGD: (ds: never, h: { eta: number; L: number; R: number; loss: never; record: never }) =>
      localGD.run(ds, { loss: h.loss, eta: h.eta, L: h.L, R: h.R, record: h.record }) };
    const v = await checkTheorem(normalized, { subject: plain, seed, profile: 'ci', numRuns: 20 });
    expectViolated(v);
    expect(v.tolerance?.allowed).toBeLessThanOrEqual(0.1 + 1e-9);
  });
});
