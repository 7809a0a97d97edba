import { describe, expect, it } from 'vitest';
import { mutant as M03 } from '../../../src/gate/mutants/M03-accumulator-not-reset.ts';
import { mutant as M10 } from '../../../src/gate/mutants/M10-no-restart.ts';
import { mutant as M14 } from '../../../src/gate/mutants/M14-stale-gradient.ts';
import { interpolation, pairedCases } from '../../../properties/implicit-bias/regression.cases.support.ts';
import type { CasePair } from '../../../properties/implicit-bias/regression.cases.support.ts';
import { spec as cimmino } from '../../../properties/implicit-bias/regression.drift-cimmino.prop.ts';
import { spec as fixedPoint } from '../../../properties/implicit-bias/regression.drift-fixed-point.prop.ts';
import { spec as l1 } from '../../../properties/implicit-bias/regression.drift-l1.prop.ts';
import { spec as invariance } from '../../../properties/implicit-bias/regression.invariance.prop.ts';
import { dropped, expectFoundBySearch, expectHolds, killedBy } from './regression.helpers.ts';

describe('Z-R4-invariance: L_k, weights and eta do not move the interpolating limit', () => {
  it('holds on the reference Local-GD', async () => void (await expectHolds(invariance)));
  it('teeth: #10 (limit becomes a weighted average of per-node projections) and #3', async () => {
    await killedBy(invariance, M10);
    await killedBy(invariance, M03);
  });
  it('dropped hypothesis "interpolation": the limit moves with the weights or L_k (found by search)', async () => {
    const h = `${interpolation.name} (both runs)`;
    const v = await expectFoundBySearch(dropped(invariance, 'Z-R4-invariance-no-interpolation', [h], pairedCases('tall')));
    const p = v.counterexample as CasePair;
    expect(p.a.dataset.nodes.length).toBeGreaterThanOrEqual(2);
  });
});

describe('Z-R5: the non-interpolating limits', () => {
  it('Z-R5-fixed-point holds: Local-GD reaches the exact (I - T)^{-1} c', async () => void (await expectHolds(fixedPoint)));
  it('Z-R5-fixed-point teeth: #14, #10, #3', async () => {
    await killedBy(fixedPoint, M14);
    await killedBy(fixedPoint, M10);
    await killedBy(fixedPoint, M03);
  });
  it('Z-R5-l1 holds: with L = 1 the limit is the exact weighted least-squares point', async () => void (await expectHolds(l1)));
  it('Z-R5-l1 teeth: M10-no-restart and M03-accumulator-not-reset (M14-stale-gradient is the reference when L = 1)', async () => {
    await killedBy(l1, M10);
    await killedBy(l1, M03);
  });
  it('Z-R5-cimmino holds: long local runs reach the Cimmino-weighted least-squares point', async () => void (await expectHolds(cimmino)));
  it('Z-R5-cimmino teeth: #10 and #3', async () => {
    await killedBy(cimmino, M10);
    await killedBy(cimmino, M03);
  });
});
