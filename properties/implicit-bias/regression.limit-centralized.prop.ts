/**
 * Z-R1-centralized: in the interpolating regime the Local-GD limit equals the limit of centralized GD on the pooled
 * mean loss from the same w0, for every w0 (docs/theory.md#12-regression R-exact, docs/theory.md#6-property-catalogue Z-R1). Both runs come from the subject.
 * Note: proofs-notes/Z-R1-centralized.md.
 */
import { EPS, EPS32, dist2, eigSym, gram, gramT, norm2 } from '../../src/numeric/index.ts';
import type { Vec } from '../../src/numeric/index.ts';
import type { CentralizedGDHyper } from '../../src/optimizers/centralizedGD.ts';
import { capability } from '../../src/subject/index.ts';
import type { RunFn } from '../../src/optimizers/types.ts';
import { pooled } from '../../src/problems/dataset.ts';
import { defineTheorem } from '../../src/spec/index.ts';
import type { Subject } from '../../src/spec/index.ts';
import {
  contraction, interpolatingCases, interpolation, lastModel, limitRounds, limitSlack, positiveRun, runLocalGD, shortDyadic,
} from './regression.cases.support.ts';
import type { RegressionCase } from './regression.cases.support.ts';
import { roundRounding, roundsFor } from './regression.support.ts';

export const STATEMENT = String.raw`\rho\big(T|_{\mathrm{row}(X)}\big) < 1 \;\Longrightarrow\; \lim_{r\to\infty} w^r_{\text{Local-GD}} = \lim_{t\to\infty} w^t_{\text{GD}} \quad \text{(same } w^0\text{; GD on } \tfrac{1}{N}\textstyle\sum_i \tfrac12 (x_i^\top w - y_i)^2)`;

export interface CentralizedPlan {
  readonly eta: number;
  readonly T: number;
  readonly rhoUp: number;
}

/**
 * Centralized GD on the pooled mean loss: eta = 2 / (lambda_max + lambda_min^+) of H = X^T X / N (rounded down to a
 * short dyadic), contraction rho_c = max |1 - eta lambda| over the nonzero eigenvalues, T steps with rho_c^T <= 1e-13.
 */
export function centralizedPlan(c: RegressionCase): CentralizedPlan {
  const { X } = pooled(c.dataset);
  const N = X.rows;
  // the nonzero eigenvalues of X^T X / N are those of X X^T / N (interpolating) or all of X^T X / N (tall)
  const G = c.interpolating ? gram(X) : gramT(X);
  const ev = eigSym({ rows: G.rows, cols: G.cols, data: G.data.map((v) => v / N) }).values;
  const lo = ev[0];
  const hi = ev[ev.length - 1];
  const eta = shortDyadic(2 / (hi + lo));
  // why: eigenvalues from a backward-stable eigensolver are off by ~ N eps lambda_max (doubled), seen through eta
  const err = 2 * G.rows * EPS * hi * eta;
  const rhoUp = Math.max(Math.abs(1 - eta * hi), Math.abs(1 - eta * lo)) + err;
  return { eta, T: roundsFor(rhoUp, 1e-13), rhoUp };
}

function centralizedRun(subject: Subject, c: RegressionCase, p: CentralizedPlan): Vec {
  const run = capability<RunFn<CentralizedGDHyper>>(subject, 'centralizedGD');
  return lastModel(run(c.dataset, { loss: { name: 'squared' }, eta: p.eta, T: p.T, w0: c.w0, record: 'last' }));
}

/** rho_c^T E0 + D (T + 1/(1 - rho_c)) for the pooled run (one node, one step per round, growth 1 as eta lambda < 2). */
function centralizedSlack(c: RegressionCase, p: CentralizedPlan, limit: Vec, eps = EPS): number {
  const { X, y } = pooled(c.dataset);
  const E0 = dist2(c.w0, limit);
  const W = norm2(limit) + E0;
  const D = roundRounding({ task: 'regression', d: c.dataset.d, nodes: [{ X, y }] }, p.eta, [1], Float64Array.of(1), 1, W, eps);
  return p.rhoUp ** p.T * E0 + D * (p.T + 1 / (1 - p.rhoUp));
}

export const spec = defineTheorem<RegressionCase, Vec>({
  id: 'Z-R1-centralized',
  title: 'Local-GD and centralized GD from the same w0 have the same limit (interpolating regression; any w0)',
  source: {
    paper: 'Zhu, Vardhan, Mazumdar, arXiv 2412.07971',
    version: 'v1 (10 Dec 2024) abstract ("converges exactly to the centralized model"); ICLR reviews of Thm 1',
    locator: 'v1 abstract; ICLR review summary of Thm 1; docs/theory.md#12-regression R-exact, docs/theory.md#6-property-catalogue Z-R1',
    provenance: ['read-2', 'derived', 'num'],
  },
  statement: STATEMENT,
  kind: 'equivalence',
  requires: ['localGD', 'centralizedGD'],
  hypotheses: [interpolation, contraction, positiveRun],
  instances: interpolatingCases({ w0: 'any' }),
  observe: (c, subject) => {
    const local = lastModel(runLocalGD(subject, c, limitRounds(c), 'last'));
    const central = centralizedRun(subject, c, centralizedPlan(c));
    return local.map((v, i) => v - central[i]);
  },
  bound: (c) => new Float64Array(c.dataset.d),
  // f32 (the GPU kernel): the same derivation with EPS32 = 2u per operation. The data sit on a dyadic grid and eta is a
  // short dyadic, so both are exact in f32; w0 is rounded once and both runs start from the same rounded w0, whose
  // limits agree by the theorem itself.
  precisions: ['f64', 'f32'],
  tolerance: (c, _o, _b, ctx) => {
    const eps = ctx?.precision === 'f32' ? EPS32 : EPS;
    const limit = c.limit();
    const s = limitSlack(c, limitRounds(c), limit, eps);
    const p = centralizedPlan(c);
    const central = centralizedSlack(c, p, limit, eps);
    return { abs: s.abs + central, why: `${ctx?.precision ?? 'f64'}: Local-GD: ${s.why}; centralized GD (eta = ${p.eta}, T = ${p.T}): ${central.toExponential(2)}` };
  },
  nonVacuous: (c, _o) => dist2(c.w0, c.limit()) > 0 || 'w0 is already the limit (e.g. y = 0 and w0 = 0): nothing moves',
  profiles: { ci: 20, default: 100, hunt: 1000 },
  hints: [
    'this survives w0 outside row(X) (both limits keep the null-space part of w0), unlike "limit = X^+ y" (Z-R1-min-norm)',
    'without interpolation and with L >= 2 the two limits differ (client drift)',
  ],
});
