/**
 * C-5, the sampler check for a subject that draws with its own generator (handshake `"sampler": "own"`): its random
 * choices are read off its own traces and tested against the sampling rule of the reference.
 *
 * Design: with node k (or row k) holding the single sample x = e_k, y = 1 (squared loss, d = number of nodes or rows),
 * every gradient step moves coordinate k alone, by eta (1 - w_k) per use of that sample. From w0 = 0 the coordinates
 * stay below 1 (eta = 1/8: a use shrinks 1 - w_k by a factor >= 7/8, so after the <= 60 uses of these instances the
 * unit change is >= 2^-16 and f64 rounding, ~1e-16, is far below the 1e-6 that separates whole numbers), so a round's change of coordinate k divided by its unit change is the number of times the sample was
 * used in that round: an integer (to rounding) that the rules below constrain.
 *
 *   participants   Local-GD, K equal nodes, m per round, L = 1: the unit of coordinate k is (eta/m)(1 - w_k);
 *                  each round: every count in {0, 1}, m of them equal to 1; over R rounds each node's count is
 *                  Binomial(R, m/K).
 *   minibatches    Local-SGD on one node of n rows, or centralized SGD on n pooled rows, B rows per step, L = 1: the
 *                  unit is (eta/B)(1 - w_k); each step: counts are non-negative integers summing to B; over R steps
 *                  each row's count is Binomial(R B, 1/n) (uniform with replacement, src/optimizers/rng.ts).
 *
 * Exact rules break with a one-line Error. The binomial counts give two-sided exact p-values (src/spec/stats); the
 * smallest, Bonferroni-adjusted over the counts of the instance, is returned as its decimal surprise -log10(p_adj).
 */
import type { FederatedDataset } from '../problems/types.ts';
import type { Subject } from '../spec/types.ts';
import type { Trace } from '../optimizers/types.ts';
import { binomialCdf } from '../spec/stats/binomial.ts';

export type SamplerCase =
  | { readonly kind: 'participants'; readonly K: number; readonly m: number; readonly R: number; readonly seed: number }
  | { readonly kind: 'minibatches'; readonly capability: 'localSGD' | 'centralizedSGD'; readonly n: number; readonly B: number; readonly R: number; readonly seed: number };

type RunAny = (problem: FederatedDataset, hyper: Record<string, unknown>) => Trace;

/** Nodes each holding the given unit rows e_k with label 1 (one node of n rows, or K nodes of one row). */
export function unitProblem(nodes: number, rowsPerNode: number): FederatedDataset {
  const d = nodes * rowsPerNode;
  return {
    task: 'regression', d,
    nodes: Array.from({ length: nodes }, (_, k) => {
      const data = new Float64Array(rowsPerNode * d);
      for (let i = 0; i < rowsPerNode; i++) data[i * d + k * rowsPerNode + i] = 1;
      return { X: { rows: rowsPerNode, cols: d, data }, y: new Float64Array(rowsPerNode).fill(1) };
    }),
  };
}

/** Two-sided exact binomial p-value of x successes in n trials with probability p. */
export function binomialTwoSided(x: number, n: number, p: number): number {
  const lower = binomialCdf(x, n, p);
  const upper = x === 0 ? 1 : 1 - binomialCdf(x - 1, n, p);
  return Math.min(1, 2 * Math.min(lower, upper));
}

/** Per-round usage counts read off a trace (see the header); throws when one is not within 1e-6 of an integer. */
function counts(name: string, t: Trace, unit: (w: ArrayLike<number>, k: number) => number, R: number): number[][] {
  if (t.models.length !== R + 1) throw new Error(`sampler check: ${name} recorded ${t.models.length} models, expected ${R + 1} (rounds 0..${R})`);
  const out: number[][] = [];
  for (let r = 0; r < R; r++) {
    const a = t.models[r];
    const b = t.models[r + 1];
    out.push(Array.from(a, (_, k) => {
      const c = (b[k] - a[k]) / unit(a, k);
      if (!(Math.abs(c - Math.round(c)) <= 1e-6)) throw new Error(`sampler check: ${name} round ${r}: coordinate ${k} moved by ${c} units, not a whole number of uses of its sample (the step or the weights differ from the rule)`);
      return Math.round(c);
    }));
  }
  return out;
}

/** -log10 of the Bonferroni-adjusted smallest p-value of the instance; throws one line on a broken exact rule. */
export function samplerSurprise(subject: Subject, c: SamplerCase): number {
  const eta = 1 / 8; // beta = max ||x||^2 = 1: every step is a contraction towards 1 (see the header)
  let pMin = 1;
  let tests = 0;
  if (c.kind === 'participants') {
    const run = subject.localGD as RunAny;
    const t = run(unitProblem(c.K, 1), { loss: { name: 'squared' }, eta, L: 1, R: c.R, participants: c.m, seed: c.seed });
    const cs = counts('localGD', t, (w, k) => (eta / c.m) * (1 - w[k]), c.R);
    cs.forEach((row, r) => {
      if (row.some((x) => x > 1)) throw new Error(`sampler check: localGD round ${r} used node ${row.findIndex((x) => x > 1)} ${Math.max(...row)} times (participants are drawn without replacement)`);
      const used = row.reduce((s, x) => s + x, 0);
      if (used !== c.m) throw new Error(`sampler check: localGD round ${r} used ${used} nodes, expected participants = ${c.m}`);
    });
    for (let k = 0; k < c.K; k++) {
      pMin = Math.min(pMin, binomialTwoSided(cs.reduce((s, row) => s + row[k], 0), c.R, c.m / c.K));
      tests++;
    }
  } else {
    const run = subject[c.capability] as RunAny;
    const P = c.capability === 'localSGD' ? unitProblem(1, c.n) : unitProblem(c.n, 1);
    const hyper = c.capability === 'localSGD' ? { loss: { name: 'squared' }, eta, L: 1, R: c.R, B: c.B, seed: c.seed } : { loss: { name: 'squared' }, eta, T: c.R, B: c.B, seed: c.seed };
    const t = run(P, hyper);
    const cs = counts(c.capability, t, (w, k) => (eta / c.B) * (1 - w[k]), c.R);
    cs.forEach((row, r) => {
      const used = row.reduce((s, x) => s + x, 0);
      if (row.some((x) => x < 0) || used !== c.B) throw new Error(`sampler check: ${c.capability} step ${r} used ${used} rows (counts ${JSON.stringify(row)}), expected B = ${c.B} non-negative counts`);
    });
    for (let k = 0; k < c.n; k++) {
      pMin = Math.min(pMin, binomialTwoSided(cs.reduce((s, row) => s + row[k], 0), c.R * c.B, 1 / c.n));
      tests++;
    }
  }
  return -Math.log10(Math.min(1, pMin * tests));
}
