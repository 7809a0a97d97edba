/**
 * Shared pieces of generated values: dataset assembly from integer grid rows, the compact printer that fast-check
 * uses for counterexamples, memoised references, and the regimes that every federated dataset can hit.
 */
import fc from 'fast-check';
import { datasetToJson } from '../../problems/dataset.ts';
import type { FederatedDataset, NodeData, Task } from '../../problems/types.ts';

/** Attach fast-check's printer (non-enumerable, so it never shows up in JSON or in deep equality). */
export function withPrinter<T extends object>(value: T, print: (v: T) => string): T {
  Object.defineProperty(value, fc.toStringMethod, { value: () => print(value), enumerable: false });
  return value;
}

/** A thunk evaluated at most once (the certified references are expensive and shared by every check). */
export function memo<T>(f: () => T): () => T {
  let done = false;
  let v: T;
  return () => {
    if (!done) {
      v = f();
      done = true;
    }
    return v;
  };
}

/**
 * Nodes from pooled integer rows: node k takes `sizes[k]` consecutive rows; every entry of node k is multiplied by
 * 2^(exps[k]) (exact), targets are taken as given. `weights[k]`, when present, becomes the node's weight.
 */
export function assembleDataset(
  task: Task,
  d: number,
  Zint: Float64Array,
  y: Float64Array,
  sizes: readonly number[],
  exps: readonly number[],
  weights?: readonly number[],
): FederatedDataset {
  const nodes: NodeData[] = [];
  let g = 0;
  for (let k = 0; k < sizes.length; k++) {
    const n = sizes[k];
    const f = 2 ** exps[k];
    const data = new Float64Array(n * d);
    for (let i = 0; i < n * d; i++) data[i] = Zint[g * d + i] * f;
    const node: NodeData = { X: { rows: n, cols: d, data }, y: y.slice(g, g + n) };
    nodes.push(weights === undefined ? node : { ...node, weight: weights[k] });
    g += n;
  }
  return { task, d, nodes };
}

/** `{"task", "nodes"}` JSON of the dataset plus extra fields (e.g. w0), on one line. */
export function printDataset(ds: FederatedDataset, extra: Record<string, unknown> = {}): string {
  const out: Record<string, unknown> = { ...datasetToJson(ds) };
  for (const [k, v] of Object.entries(extra)) out[k] = v instanceof Float64Array ? Array.from(v) : v;
  return JSON.stringify(out);
}

/** Largest over smallest of positive numbers (1 for fewer than two). */
export function spread(xs: readonly number[]): number {
  if (xs.length < 2) return 1;
  return Math.max(...xs) / Math.min(...xs);
}

/**
 * Regimes that any federated dataset can hit:
 *  'K=1'                   a single node
 *  'single-sample-node'    some node has exactly one sample
 *  'quantity-skew'         the n_k are not all equal
 *  'very-unequal-weights'  max n_k / min n_k >= 8, or given weights with max/min >= 10
 *  'given-weights'         every node carries a user weight
 */
export function datasetRegimes(ds: FederatedDataset): string[] {
  const sizes = ds.nodes.map((n) => n.X.rows);
  const r: string[] = [];
  if (ds.nodes.length === 1) r.push('K=1');
  if (sizes.some((n) => n === 1)) r.push('single-sample-node');
  if (spread(sizes) > 1) r.push('quantity-skew');
  const ws = ds.nodes.map((n) => n.weight);
  const given = ws.every((w) => w !== undefined);
  if (given) r.push('given-weights');
  if (spread(sizes) >= 8 || (given && spread(ws as number[]) >= 10)) r.push('very-unequal-weights');
  return r;
}
