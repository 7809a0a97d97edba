/**
 * Z-R2-rate: per-round linear rate. The row-space error e_r = ||P_row(w^r - w_lim)|| satisfies e_{r+1} <= rho e_r in
 * every round, rho = spectral radius of T on row(X) computed from eigSym(Q^T T Q) (docs/theory.md#12-regression R-rate).
 * Note: proofs-notes/Z-R2-rate.md.
 */
import { EPS, dist2, norm2 } from '../../src/numeric/index.ts';
import { defineTheorem, thinIndices } from '../../src/spec/index.ts';
import { contraction, interpolatingCases, interpolation, limitRounds, positiveRun, runLocalGD } from './regression.cases.support.ts';
import type { RegressionCase } from './regression.cases.support.ts';
import { roundRounding, rowNorm } from './regression.support.ts';

export const STATEMENT = String.raw`\big\|P_{\mathrm{row}(X)}(w^{r+1} - w_\infty)\big\| \le \rho\, \big\|P_{\mathrm{row}(X)}(w^{r} - w_\infty)\big\| \;\; \forall r, \qquad \rho = \max |\lambda(Q^\top T Q)|, \; T = \sum_k \alpha_k \big(I - \tfrac{\eta}{n_k} X_k^\top X_k\big)^{L_k}`;

/** e_{r+1} - rho_up e_r for r = 0..R-1 (rho_up = rho + its error bound); `keep` receives the errors e_r for the plot. */
function excess(c: RegressionCase, models: readonly Float64Array[], keep?: (e: number[]) => void): Float64Array {
  const lim = c.limit();
  const e = models.map((w) => rowNorm(c.basis.Q, w.map((v, i) => v - lim[i])));
  keep?.(e);
  return Float64Array.from({ length: e.length - 1 }, (_, r) => e[r + 1] - c.rhoUp * e[r]);
}

export const spec = defineTheorem<RegressionCase, Float64Array>({
  id: 'Z-R2-rate',
  title: 'Local-GD contracts the row-space error by rho = rho(T|row(X)) in every round',
  source: {
    paper: 'Zhu, Vardhan, Mazumdar, arXiv 2412.07971',
    version: 'derived (docs/theory.md#12-regression R-rate); the paper\'s own rate (theta_min) could not be read',
    locator: 'docs/theory.md#12-regression R-rate, docs/theory.md#6-property-catalogue Z-R2',
    provenance: ['derived', 'num'],
  },
  statement: STATEMENT,
  kind: 'upper-bound',
  requires: ['localGD'],
  hypotheses: [interpolation, contraction, positiveRun],
  instances: interpolatingCases({ w0: 'any' }),
  observe: (c, subject, ctx) => excess(c, runLocalGD(subject, c, limitRounds(c), 'all').models, ctx.keep),
  bound: (c) => new Float64Array(limitRounds(c)),
  tolerance: (c) => {
    const lim = c.limit();
    const E0 = dist2(c.w0, lim);
    const W = norm2(lim) + c.round.growth * E0;
    const D = roundRounding(c.dataset, c.eta, c.L, c.alpha, c.round.growth, W);
    // why: one round adds at most D; measuring e_r and e_{r+1} against the f64 limit adds (angle + 4 d eps) W and
    // eps ||w_lim|| each
    const measure = 2 * ((c.basis.angle + 4 * c.dataset.d * EPS) * W + EPS * norm2(lim));
    return { abs: D + measure, why: `one round's rounding D = ${D.toExponential(2)} + measurement ${measure.toExponential(2)}; rho = ${c.spectrum.rho} + error ${c.spectrum.error.toExponential(2)}` };
  },
  nonVacuous: (c, _o) => dist2(c.w0, c.limit()) > 0 || 'w0 is already the limit: no error to contract',
  plot: {
    title: 'Row-space error e_r / e_0 against rounds, with the certified rate rho^r',
    x: { title: 'round r' },
    y: { title: 'e_r / e_0', scale: 'log' },
    series: (c, _o, _b, kept) => {
      const all = kept[0] as number[];
      const r = thinIndices(all.length, 150);
      const e = r.map((i) => all[i]);
      const rho = c.spectrum.rho;
      return {
        label: `L = [${c.L.join(", ")}], rho = ${rho.toPrecision(3)}`,
        lines: [
          { name: `e_r / e_0 (rho = ${rho.toPrecision(3)})`, x: r, y: e.map((v) => v / all[0]) },
          { name: `rho^r (rho = ${rho.toPrecision(3)})`, role: 'reference', x: r, y: r.map((k) => rho ** k) },
        ],
      };
    },
  },
  profiles: { ci: 20, default: 100, hunt: 1000 },
  hints: ['a slower rate than rho means the round map is not T (e.g. nodes not restarted from the global model, planted bug docs/planted-bugs.md#m10-no-restart)'],
});
