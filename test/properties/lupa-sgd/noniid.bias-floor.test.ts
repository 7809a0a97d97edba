import { describe, expect, it } from 'vitest';
import { EPS } from '../../../src/numeric/index.ts';
import { builtinSubject, capability } from '../../../src/subject/index.ts';
import type { RunFn } from '../../../src/optimizers/types.ts';
import type { LupaSGDHyper } from '../../../src/optimizers/lupaSGD.ts';
import type { FederatedDataset } from '../../../src/problems/types.ts';
import { checkTheorem, redefine } from '../../../src/spec/index.ts';
import { tInterval } from '../../../src/spec/stats/index.ts';
import { driftFloor, floorCases, noiseFreeRun, spec, type FloorCase } from '../../../properties/lupa-sgd/noniid.bias-floor.prop.ts';
import { finalModel, gdPathStats, lossAt, mcSeed, SQUARED } from '../../../properties/lupa-sgd/lupa.support.ts';
import { describeVerdict as statusLine, seed } from './_helpers.ts';

/** The shrunk counterexample of the L-3 note: d = 1, two shards with different Hessians and local minimisers. */
function pinned(): FloorCase {
  const ds: FederatedDataset = {
    task: 'regression', d: 1,
    nodes: [
      { X: { rows: 2, cols: 1, data: Float64Array.of(0.5, -0.5) }, y: Float64Array.of(-1, 0) },
      { X: { rows: 2, cols: 1, data: Float64Array.of(1, -1) }, y: Float64Array.of(0, 0) },
    ],
  };
  return { ds, sampling: 'shards', p: 2, noise: 0.25, eta: 1, T: 8, tau: 4, x0: Float64Array.of(0), seed: 11, samples: 0 };
}

describe('L-3-bias-floor (recorded refutation: L-3 without IID)', () => {
  it('the search refutes the 4-fold shrink on the reference; the shrunk instance has a positive drift floor that explains the excess', async () => {
    const v = await checkTheorem(spec, { subject: builtinSubject, seed, profile: 'ci' });
    expect(v.status, statusLine(v)).toBe('violated');
    if (v.status !== 'violated') return;
    const c = v.counterexample as FloorCase;
    expect(c.p).toBeGreaterThanOrEqual(2);
    expect(2 * c.tau).toBeGreaterThanOrEqual(c.T);
    expect(v.observed as number).toBeGreaterThan(v.bound as number);
    const b = driftFloor(c);
    expect(b).toBeGreaterThan(0);
    // E[4 F4 - F1] = 3 F(d_T) = bound + 3 b exactly (the note); the observed lower end is below it
    expect(v.observed as number).toBeLessThanOrEqual((v.bound as number) + 3 * b + 64 * c.T * EPS * (1 + (v.bound as number)));
    expect(v.command).toContain('--id L-3-bias-floor');
  });

  it('control: with IID sampling of the same pooled rows (no drift, d_T = m_T) the same check holds', async () => {
    const iid = redefine(spec, { id: 'L-3-bias-floor-iid', instances: floorCases('iid'), expect: 'holds' });
    const v = await checkTheorem(iid, { subject: builtinSubject, seed, profile: 'ci' });
    expect(v.status, statusLine(v)).toBe('holds');
  });

  it('the excess over the GD path does not shrink with p: at 16p it stays above the p-independent floor b, far above 1/16 of the excess at p', () => {
    const c = pinned();
    const run = capability<RunFn<LupaSGDHyper>>(builtinSubject, 'lupaSGD');
    const fm = lossAt(c.ds, gdPathStats(c.ds, c.eta, c.T, c.x0).m);
    const b = driftFloor(c);
    const excess = (k: number) => {
      const ds = { ...c.ds, nodes: Array.from({ length: k * c.p }, (_, i) => c.ds.nodes[i % c.p]) };
      const h = { loss: SQUARED, eta: c.eta, T: c.T, tau: c.tau, B: 'full' as const, sampling: 'shards' as const, noise: c.noise, w0: c.x0, record: 'last' as const, p: k * c.p };
      const f = Array.from({ length: 200 }, (_, s) => lossAt(c.ds, finalModel(run(ds, { ...h, seed: mcSeed(c.seed, s) }), 'lupaSGD')) - fm);
      return tInterval(f, { confidence: 1 - 1e-4, side: 'two-sided' });
    };
    const e1 = excess(1);
    const e16 = excess(16);
    expect(b).toBeGreaterThan(0.01);
    // E[excess at k p] = b + v/(k p) >= b (the note): the lower end at 16p is above b/2, and b is above e1.hi/16 (linear speedup would give <= e1/16)
    expect(e16.lo).toBeGreaterThan(b / 2);
    expect(b).toBeGreaterThan(e1.hi / 16);
    expect(e16.lo).toBeGreaterThan(e1.hi / 16);
  });
});
