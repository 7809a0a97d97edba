/**
 * The arbitraries by name, with their default constraints, for `lsgd-spec sample` and for documentation: draw one
 * instance deterministically (fast-check's sample with a seed) and give its JSON and a short human summary.
 * Dataset-valued arbitraries print exactly the dataset format of src/problems/README.md (so the output can be fed
 * to `lsgd-spec solve --data`, whose loader rejects unknown top-level keys); what the format cannot hold (w0, the
 * regimes, the witness, ...) is in the summary lines. The others print their own JSON (src/arbitraries/README.md
 * lists every field).
 */
import fc from 'fast-check';
import { datasetToJson } from '../problems/dataset.ts';
import type { FederatedDataset } from '../problems/types.ts';
import { hyperparameters } from './hyperparameters.ts';
import { nonSeparableClassification } from './nonSeparableClassification.ts';
import { overparameterisedRegression } from './overparameterisedRegression.ts';
import { plProblem, plProblemToJson, type PlProblem } from './plProblem.ts';
import { separableClassification } from './separableClassification.ts';
import { underparameterisedRegression } from './underparameterisedRegression.ts';
import { workerSpeeds, type WorkerSpeeds } from './workerSpeeds.ts';
import type { Hyperparameters } from './hyperparameters.ts';

export const ARBITRARY_NAMES = [
  'overparameterisedRegression', 'underparameterisedRegression', 'separableClassification',
  'nonSeparableClassification', 'plProblem', 'workerSpeeds', 'hyperparameters',
] as const;
export type ArbitraryName = (typeof ARBITRARY_NAMES)[number];

export interface SampledInstance {
  readonly name: ArbitraryName;
  readonly seed: number;
  readonly index: number;
  readonly value: unknown;
  /** the dataset format for dataset-valued arbitraries, the value's own JSON otherwise */
  readonly json: unknown;
  /** a few lines for humans */
  readonly summary: string[];
}

export interface SampleOptions {
  /** smoothness beta for `hyperparameters` (default 1) */
  readonly smoothness?: number;
}

export function isArbitraryName(s: string): s is ArbitraryName {
  return (ARBITRARY_NAMES as readonly string[]).includes(s);
}

/** The `index`-th value (0-based) that fast-check draws from the named arbitrary with this seed. */
export function sampleInstance(name: string, seed: number, index = 0, opts: SampleOptions = {}): SampledInstance {
  if (!isArbitraryName(name)) {
    throw new Error(`sampleInstance: unknown arbitrary '${name}' (known: ${ARBITRARY_NAMES.join(', ')})`);
  }
  if (!Number.isInteger(index) || index < 0) throw new Error(`sampleInstance: index must be an integer >= 0, got ${index}`);
  const draw = <T>(arb: fc.Arbitrary<T>): T => fc.sample(arb, { seed, numRuns: index + 1 })[index];
  const head = `${name} (seed ${seed}, index ${index})`;
  const base = { name, seed, index };
  switch (name) {
    case 'overparameterisedRegression': {
      const v = draw(overparameterisedRegression());
      return dataset(v.dataset, v.meta.regimes, [
        `w0 (${v.meta.w0Placement === 'zero' ? 'zero' : `${v.meta.w0Placement} the row space`}): ${JSON.stringify(Array.from(v.w0))}`,
        `cond(X X^T) = ${v.meta.condition.toPrecision(4)}`,
      ], v);
    }
    case 'underparameterisedRegression': {
      const v = draw(underparameterisedRegression());
      const w = v.meta.witness;
      const how = w ? ` (node ${w.b.node} row ${w.b.row} = ${w.factor} x node ${w.a.node} row ${w.a.row}, target off by ${w.gap})` : '';
      return dataset(v.dataset, v.meta.regimes, [
        `w0: ${JSON.stringify(Array.from(v.w0))}`,
        `system: ${v.meta.system}${how}`,
        `cond(X^T X) = ${v.meta.condition.toPrecision(4)}`,
      ], v);
    }
    case 'separableClassification': {
      const v = draw(separableClassification());
      return dataset(v.dataset, v.meta.regimes, [
        `label skew: ${v.meta.labelSkew}; gamma*/max||x|| >= ${v.meta.marginRatioBound.toPrecision(4)}`,
        `planted separator w* = ${JSON.stringify(Array.from(v.meta.wStar))}`,
      ], v);
    }
    case 'nonSeparableClassification': {
      const v = draw(nonSeparableClassification());
      const w = v.meta.witness;
      const terms = w.rows.map((r, j) => `${w.lambda[j]} y x (node ${r.node}, row ${r.row})`).join(' + ');
      return dataset(v.dataset, v.meta.regimes, [`label skew: ${v.meta.labelSkew}; witness: ${terms} = 0`], v);
    }
    case 'plProblem': {
      const v: PlProblem = draw(plProblem());
      return other(v, plProblemToJson(v), [
        `${v.kind}, d = ${v.d}, rank ${v.rank}, L = ${v.L}, mu = ${v.mu}, kappa = ${v.kappa}, F* = ${v.Fstar}`,
        `p = ${v.p} workers, ${v.sampling}; oracle sigma2 = ${v.oracle.sigma2}, C1 = ${v.oracle.C1}, B = ${v.oracle.batch}`,
        `regimes: ${v.meta.regimes.join(', ')}`,
      ]);
    }
    case 'workerSpeeds': {
      const v: WorkerSpeeds = draw(workerSpeeds());
      return other(v, { speeds: v.speeds, regime: v.regime, ratio: v.ratio, regimes: v.meta.regimes }, [
        `${v.speeds.length} workers, ${v.regime}, max/min = ${v.ratio.toPrecision(4)}`,
        `regimes: ${v.meta.regimes.join(', ')}`,
      ]);
    }
    case 'hyperparameters': {
      const beta = opts.smoothness ?? 1;
      const v: Hyperparameters = draw(hyperparameters({ smoothness: beta, stability: 'any', heterogeneousSteps: true }));
      const { meta, ...rest } = v;
      return other(v, { ...rest, regimes: meta.regimes }, [
        `eta = ${v.eta} (${v.etaFraction} x 2/beta rounded down to 8 bits, beta = ${beta}; ${v.stable ? 'inside' : 'outside'} the stability region)`,
        `L = ${v.L} (homogeneous), L_m = ${JSON.stringify(v.Lm)} (per node, drawn independently of L), tau = ${v.tau}, rounds = ${v.rounds}`,
        `regimes: ${meta.regimes.join(', ')}`,
      ]);
    }
  }

  function dataset(ds: FederatedDataset, regimes: readonly string[], extra: string[], value: unknown): SampledInstance {
    return { ...base, value, json: datasetToJson(ds), summary: [head, ...datasetSummary(ds, regimes), ...extra] };
  }
  function other(value: unknown, json: unknown, lines: string[]): SampledInstance {
    return { ...base, value, json, summary: [head, ...lines] };
  }
}

function datasetSummary(ds: FederatedDataset, regimes: readonly string[]): string[] {
  const sizes = ds.nodes.map((n) => n.X.rows);
  const N = sizes.reduce((a, b) => a + b, 0);
  const w = ds.nodes.every((n) => n.weight !== undefined) ? `, weights ${JSON.stringify(ds.nodes.map((n) => n.weight))}` : '';
  return [`${ds.task}: K = ${ds.nodes.length} nodes, N = ${N}, d = ${ds.d}, n_k = ${JSON.stringify(sizes)}${w}`, `regimes: ${regimes.join(', ')}`];
}
