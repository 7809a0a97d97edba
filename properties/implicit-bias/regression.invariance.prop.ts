/**
 * Z-R4-invariance: in the interpolating regime the Local-GD limit does not depend on the local step counts L_k, the
 * aggregation weights alpha_k or the step size (as long as rho < 1): two runs on the same data from the same w0 with
 * different (L_k, alpha_k, eta) reach the same point (docs/theory.md#12-regression R-invariance). Without interpolation this fails
 * (objective inconsistency, FedNova): the dropped-hypothesis variant in the tests finds such instances by search.
 * Note: proofs-notes/Z-R4-invariance.md.
 */
import { dist2 } from '../../src/numeric/index.ts';
import type { Vec } from '../../src/numeric/index.ts';
import { defineTheorem } from '../../src/spec/index.ts';
import type { Hypothesis } from '../../src/spec/index.ts';
import { contraction, interpolation, lastModel, limitRounds, limitSlack, pairedCases, positiveRun, runLocalGD } from './regression.cases.support.ts';
import type { CasePair } from './regression.cases.support.ts';

export const STATEMENT = String.raw`\lim_r w^r\big(L_{1:K}, \alpha_{1:K}, \eta\big) = \lim_r w^r\big(L'_{1:K}, \alpha'_{1:K}, \eta'\big) \quad \text{whenever both } \rho < 1 \text{ (same data, same } w^0)`;

/** A hypothesis on one run, lifted to both runs of the pair. */
function both(h: Hypothesis<CasePair['a']>): Hypothesis<CasePair> {
  return {
    name: `${h.name} (both runs)`,
    check: (p) => {
      const a = h.check(p.a);
      if (a !== true) return `first run: ${a}`;
      const b = h.check(p.b);
      return b === true || `second run: ${b}`;
    },
  };
}

export const spec = defineTheorem<CasePair, Vec>({
  id: 'Z-R4-invariance',
  title: 'The interpolating Local-GD limit does not depend on L_k, the weights or eta',
  source: {
    paper: 'Zhu, Vardhan, Mazumdar, arXiv 2412.07971',
    version: 'derived (docs/theory.md#12-regression R-invariance); contrast with FedNova objective inconsistency',
    locator: 'docs/theory.md#12-regression R-invariance and counterexample table, docs/theory.md#6-property-catalogue Z-R4',
    provenance: ['derived', 'num'],
  },
  statement: STATEMENT,
  kind: 'equivalence',
  requires: ['localGD'],
  hypotheses: [both(interpolation), both(contraction), both(positiveRun)],
  instances: pairedCases('interpolating', { w0: 'any' }),
  observe: (p, subject) => {
    const wa = lastModel(runLocalGD(subject, p.a, limitRounds(p.a), 'last'));
    const wb = lastModel(runLocalGD(subject, p.b, limitRounds(p.b), 'last'));
    return wa.map((v, i) => v - wb[i]);
  },
  bound: (p) => new Float64Array(p.a.dataset.d),
  tolerance: (p) => {
    const sa = limitSlack(p.a, limitRounds(p.a), p.a.limit());
    const sb = limitSlack(p.b, limitRounds(p.b), p.b.limit());
    return { abs: sa.abs + sb.abs, why: `each run within its own slack of its limit: [${sa.why}] + [${sb.why}]` };
  },
  nonVacuous: (p, _o) => {
    if (dist2(p.a.w0, p.a.limit()) === 0) return 'w0 is already the limit: nothing moves';
    const same = p.a.eta === p.b.eta && p.a.L.every((l, k) => l === p.b.L[k]) && p.a.alpha.every((v, k) => v === p.b.alpha[k]);
    return !same || 'the two runs have the same L_k, weights and eta';
  },
  profiles: { ci: 15, default: 75, hunt: 750 },
  hints: [
    'without interpolation the limit moves with L_k and the weights (objective inconsistency), see Z-R5',
    'a node that keeps its own local model between rounds (planted bug docs/planted-bugs.md#m10-no-restart) makes the limit a weighted average of per-node projections',
  ],
});
