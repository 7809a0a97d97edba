/**
 * Z-R3-stability: Local-GD on interpolating regression converges iff rho < 1, where rho is the spectral radius of T on
 * row(X); the per-node condition eta lambda_max(H_k) < 2 is sufficient but not necessary (docs/theory.md#12-regression
 * R-stability). Checked on a sweep of step sizes around the stability edge: from w_lim + s v (v the top eigenvector of
 * T(eta) on row(X)) the error after m rounds is exactly |lambda|^m s, so the observed log growth rate equals log rho:
 * negative (decay) iff rho < 1, positive (growth, no convergence) iff rho > 1. The sweep includes, when the instance
 * has one, a step size where a node's own map expands (eta lambda_max(H_k) > 2) yet rho < 1.
 * Note: proofs-notes/Z-R3-stability.md.
 */
import { EPS, norm2 } from '../../src/numeric/index.ts';
import type { Vec } from '../../src/numeric/index.ts';
import { defineTheorem } from '../../src/spec/index.ts';
import { interpolatingCases, interpolation, positiveRun, runLocalGD, shortDyadic } from './regression.cases.support.ts';
import type { RegressionCase } from './regression.cases.support.ts';
import { roundMap, roundRounding, rowNorm, rowSpectrum } from './regression.support.ts';
import type { RowSpectrum } from './regression.support.ts';

export const STATEMENT = String.raw`w^r \to w_\infty \text{ for every } w^0 \iff \rho(\eta) < 1; \qquad \big\|P_{\mathrm{row}(X)}(w^m - w_\infty)\big\| = \rho(\eta)^m s \text{ from } w^0 = w_\infty + s\,v_{\max}(\eta)`;

/** Rounds per sweep point (>= 2 so that a bug that only shows from the second round, e.g. #10, is seen). */
export const SWEEP_ROUNDS = 3;
/** Sweep points are kept only if |rho - 1| >= this, so the sign of log rho is decided far above the slack. */
export const EDGE_MARGIN = 0.02;

export interface SweepPoint {
  readonly eta: number;
  /** eta beta / 2 (> 1: the node with the largest curvature expands on its own) */
  readonly fraction: number;
  readonly spectrum: RowSpectrum;
  readonly growth: number;
  readonly roundError: number;
  readonly role: 'case' | 'stabilised' | 'growth';
}

const sweeps = new WeakMap<RegressionCase, readonly SweepPoint[]>();

function pointAt(c: RegressionCase, fraction: number, role: SweepPoint['role']): SweepPoint {
  const eta = shortDyadic((fraction * 2) / c.beta);
  const round = roundMap(c.dataset, eta, c.L, c.alpha);
  return { eta, fraction: (eta * c.beta) / 2, spectrum: rowSpectrum(round, c.basis), growth: round.growth, roundError: round.error, role };
}

/**
 * The sweep: the case's own (stable) eta; the stabilised point (f > 1, rho <= 1 - margin, the smallest rho on the grid
 * f = k/16, k = 17..64) if any; the first grid point past the averaged edge with 1 + margin <= rho <= 8.
 */
export function sweep(c: RegressionCase): readonly SweepPoint[] {
  const hit = sweeps.get(c);
  if (hit) return hit;
  const pts: SweepPoint[] = [pointAt(c, c.fraction, 'case')];
  let stab: SweepPoint | undefined;
  let grow: SweepPoint | undefined;
  for (let k = 17; k <= 64 && grow === undefined; k++) {
    const p = pointAt(c, k / 16, 'stabilised');
    const rho = p.spectrum.rho;
    if (rho <= 1 - EDGE_MARGIN && (stab === undefined || rho < stab.spectrum.rho)) stab = p;
    if (rho >= 1 + EDGE_MARGIN && rho <= 8) grow = { ...p, role: 'growth' };
  }
  if (stab) pts.push(stab);
  if (grow) pts.push(grow);
  sweeps.set(c, pts);
  return pts;
}

function startOf(c: RegressionCase, p: SweepPoint): { w0: Vec; s: number } {
  const lim = c.limit();
  const s = Math.max(1, norm2(lim));
  return { w0: lim.map((v, i) => v + s * p.spectrum.vTop[i]), s };
}

/** Bound on |observed - log rho| at one point (see the note for the derivation). */
function pointSlack(c: RegressionCase, p: SweepPoint): number {
  const m = SWEEP_ROUNDS;
  const lim = c.limit();
  const { s } = startOf(c, p);
  const rho = p.spectrum.rho;
  const big = Math.max(rho, 1) ** m;
  const W = norm2(lim) + p.growth * big * s;
  const D = roundRounding(c.dataset, p.eta, c.L, c.alpha, p.growth, W);
  const measure = c.basis.angle + 4 * c.dataset.d * EPS;
  // absolute errors of e_m: eigenvector residual (telescoped), rounding of m rounds, start and limit rounding, measurement
  const Am = s * m * Math.max(rho, 1) ** (m - 1) * p.spectrum.residual + m * big * D + (big + 1) * EPS * (2 * norm2(lim) + s) + 2 * measure * rho ** m * s;
  const A0 = 2 * EPS * (norm2(lim) + s) + measure * s;
  const dm = Am / (rho ** m * s);
  const d0 = A0 / s;
  if (!(dm <= 0.5 && d0 <= 0.5)) return Infinity;
  return (2 * dm + 2 * d0) / m + (1.01 * p.spectrum.error) / rho;
}

export const spec = defineTheorem<RegressionCase, Float64Array>({
  id: 'Z-R3-stability',
  title: 'Local-GD converges iff rho < 1; averaging can stabilise a node whose own map expands',
  source: {
    paper: 'Zhu, Vardhan, Mazumdar, arXiv 2412.07971',
    version: 'derived (docs/theory.md#12-regression R-stability); the paper\'s step-size condition (theta_min) could not be read',
    locator: 'docs/theory.md#12-regression R-stability, docs/theory.md#17-numerical-checks, docs/theory.md#6-property-catalogue Z-R3; ICLR review question on theta_min > 2',
    provenance: ['derived', 'num'],
  },
  statement: STATEMENT,
  kind: 'tight',
  requires: ['localGD'],
  hypotheses: [interpolation, positiveRun],
  instances: interpolatingCases({ w0: 'any', minNodes: 2, Lchoices: [1, 3, 5, 2] }),
  observe: (c, subject) => {
    const lim = c.limit();
    return Float64Array.from(sweep(c), (p) => {
      const { w0 } = startOf(c, p);
      const t = runLocalGD(subject, { ...c, eta: p.eta }, SWEEP_ROUNDS, [0, SWEEP_ROUNDS], w0);
      const e0 = rowNorm(c.basis.Q, t.models[0].map((v, i) => v - lim[i]));
      const em = rowNorm(c.basis.Q, t.models[1].map((v, i) => v - lim[i]));
      return Math.log(em / e0) / SWEEP_ROUNDS;
    });
  },
  bound: (c) => Float64Array.from(sweep(c), (p) => Math.log(p.spectrum.rho)),
  tolerance: (c) => {
    const pts = sweep(c);
    const slack = Math.max(...pts.map((p) => pointSlack(c, p)));
    return { abs: slack, why: `eigenvector residual, ${SWEEP_ROUNDS} rounds of rounding, measurement and the error of rho, as a bound on |log growth - log rho| (max over ${pts.length} sweep points)` };
  },
  nonVacuous: (c, _o) => {
    const pts = sweep(c);
    if (!pts.some((p) => p.role === 'growth')) return 'no step size with 1.02 <= rho <= 8 on the grid f <= 4';
    const slack = Math.max(...pts.map((p) => pointSlack(c, p)));
    if (!Number.isFinite(slack)) return 'a sweep point is too close to the rounding floor';
    return pts.every((p) => Math.abs(Math.log(p.spectrum.rho)) > 10 * slack) || 'a sweep point has |log rho| within 10x the slack';
  },
  profiles: { ci: 20, default: 100, hunt: 1000 },
  hints: [
    'a growth rate different from log rho means the round map is not T (e.g. the gradient taken at the global model, planted bug docs/planted-bugs.md#m14-stale-gradient)',
    'eta lambda_max(H_k) > 2 on one node is not divergence: only rho >= 1 is',
  ],
});
