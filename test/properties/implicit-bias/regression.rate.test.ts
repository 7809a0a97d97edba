import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutant as M03 } from '../../../src/gate/mutants/M03-accumulator-not-reset.ts';
import { mutant as M10 } from '../../../src/gate/mutants/M10-no-restart.ts';
import { mutant as M14 } from '../../../src/gate/mutants/M14-stale-gradient.ts';
import type { RegressionCase } from '../../../properties/implicit-bias/regression.cases.support.ts';
import { spec as rate } from '../../../properties/implicit-bias/regression.rate.prop.ts';
import { EDGE_MARGIN, spec as stability, sweep } from '../../../properties/implicit-bias/regression.stability.prop.ts';
import { angleData, spec as angle } from '../../../properties/implicit-bias/regression.rate-principal-angle.prop.ts';
import { rowBasis } from '../../../properties/implicit-bias/regression.support.ts';
import { EPS, eigSym } from '../../../src/numeric/index.ts';
import { expectHolds, killedBy, seed } from './regression.helpers.ts';

describe('Z-R2-rate: e_{r+1} <= rho e_r every round', () => {
  it('holds on the reference Local-GD', async () => void (await expectHolds(rate)));
  it('teeth: #10 (no restart) stalls, #3 grows, #14 (stale gradient) breaks the per-round bound', async () => {
    await killedBy(rate, M10);
    await killedBy(rate, M03);
    await killedBy(rate, M14);
  });
});

describe('Z-R3-stability: convergence iff rho < 1 (eta swept across the edge)', () => {
  it('holds on the reference Local-GD: the log growth rate from the top eigenvector is log rho at every sweep point', async () => {
    const v = await expectHolds(stability);
    const worst = v.evidence.worst!;
    const c = worst.instance as RegressionCase;
    const rhos = sweep(c).map((p) => p.spectrum.rho);
    // the sweep straddles the edge, so the sign test is decided: some rho < 1 (decay) and some rho > 1 (growth)
    expect(Math.min(...rhos)).toBeLessThan(1);
    expect(Math.max(...rhos)).toBeGreaterThan(1 + EDGE_MARGIN);
  });

  it('the generator produces, by construction, a step size where one node\'s own map expands but rho < 1', () => {
    const cases = fc.sample(stability.instances, { seed, numRuns: 40 }) as RegressionCase[];
    const stabilised = cases.filter((c) => sweep(c).some((p) => p.role === 'stabilised'));
    // measured 46% of draws (seed 4, 100 draws); 20% is far below that and far above 0
    expect(stabilised.length).toBeGreaterThanOrEqual(8);
    for (const c of stabilised) {
      const p = sweep(c).find((q) => q.role === 'stabilised')!;
      const expands = c.dataset.nodes.some((_, k) => p.eta * c.round.nodes[k].lambdaMax > 2);
      expect(expands).toBe(true);
      expect(p.spectrum.rho).toBeLessThanOrEqual(1 - EDGE_MARGIN);
    }
  });

  it('teeth: #14 (gradient at the global model) changes the growth rate; #10 and #3 too', async () => {
    await killedBy(stability, M14);
    await killedBy(stability, M10);
    await killedBy(stability, M03);
  });
});

describe('Z-R2-principal-angle: two nodes, long local runs, rate (1 + cos theta_min)/2', () => {
  it('holds on the reference Local-GD', async () => void (await expectHolds(angle)));

  it('the identity behind it: (1 + cos theta_min)/2 = 1 - lambda_min((P_1 + P_2)/2) on row(X), and rho(T_L) is within sum q^L / 2 of it', () => {
    const cases = fc.sample(angle.instances, { seed, numRuns: 10 }) as RegressionCase[];
    for (const c of cases) {
      const a = angleData(c);
      const d = c.dataset.d;
      // (P_1 + P_2)/2 restricted to row(X): Q^T ((P_1 + P_2)/2) Q, projectors from orthonormal bases of the node row spaces
      const P = new Float64Array(d * d);
      for (const nd of c.dataset.nodes) {
        const { Q } = rowBasis(nd.X);
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let t = 0; t < Q.cols; t++) P[i * d + j] += (Q.data[i * Q.cols + t] * Q.data[j * Q.cols + t]) / 2;
      }
      const { Q } = c.basis;
      const r = Q.cols;
      const M = new Float64Array(r * r);
      for (let x = 0; x < r; x++) for (let y = 0; y < r; y++) {
        let s = 0;
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) s += Q.data[i * r + x] * P[i * d + j] * Q.data[j * r + y];
        M[x * r + y] = s;
      }
      for (let x = 0; x < r; x++) for (let y = x + 1; y < r; y++) M[x * r + y] = M[y * r + x] = (M[x * r + y] + M[y * r + x]) / 2;
      const lamMin = eigSym({ rows: r, cols: r, data: M }).values[0];
      // why: both sides are computed from the same f64 bases; 1e3 eps covers the two eigensolvers and the basis tilts
      expect(Math.abs(1 - lamMin - (1 + a.cosMin) / 2)).toBeLessThanOrEqual(1e3 * EPS + a.cosError);
      expect(Math.abs(c.spectrum.rho - (1 + a.cosMin) / 2)).toBeLessThanOrEqual(a.finiteL + a.cosError + c.spectrum.error);
    }
  });

  it('teeth: #10 (a node stops after its first projection), #14 (diverges at large L) and #3', async () => {
    await killedBy(angle, M10);
    await killedBy(angle, M14);
    await killedBy(angle, M03);
  });
});
