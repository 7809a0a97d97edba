/** Pieces shared by the two regression arbitraries. */
import fc from 'fast-check';
import { svd } from '../../numeric/linalg.ts';
import type { Mat } from '../../numeric/types.ts';
import type { FederatedDataset } from '../../problems/types.ts';
import { Pool } from './pool.ts';

/** A pool of integers in [lo, hi] (fast-check shrinks it toward fewer entries and zeros). */
export function ints(lo: number, hi: number, maxLength: number): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: lo, max: hi }), { maxLength, size: 'max' });
}

export interface NodeRecipe {
  rows: number;
  scale: number;
  offset: number;
  weight: number;
}

/** Per-node knobs: rows - 1, scale exponent, offset amplitude, weight exponent; all shrink to 0. */
export function nodeRecipe(maxRows: number, shift: boolean, maxScaleExp: number): fc.Arbitrary<NodeRecipe> {
  return fc.record({
    rows: fc.integer({ min: 0, max: maxRows - 1 }),
    scale: shift ? fc.integer({ min: -maxScaleExp, max: maxScaleExp }) : fc.constant(0),
    offset: shift ? fc.integer({ min: 0, max: 2 }) : fc.constant(0),
    weight: fc.integer({ min: 0, max: 6 }),
  });
}

/** Node index of each pooled row. */
export function rowNodes(sizes: readonly number[]): Int32Array {
  const N = sizes.reduce((a, b) => a + b, 0);
  const out = new Int32Array(N);
  for (let k = 0, g = 0; k < sizes.length; k++) for (let i = 0; i < sizes[k]; i++) out[g++] = k;
  return out;
}

/** Free integer entries of the N x d pre-mixing matrix plus each row's node offset (amplitude x offset pool). */
export function baseEntries(
  N: number,
  d: number,
  nodeOf: Int32Array,
  nodes: readonly NodeRecipe[],
  entries: Pool,
  offsets: Pool,
): Float64Array {
  const base = new Float64Array(N * d);
  for (let g = 0; g < N; g++) {
    const k = nodeOf[g];
    for (let c = 0; c < d; c++) base[g * d + c] = entries.at(g * d + c) + nodes[k].offset * offsets.at(k * d + c);
  }
  return base;
}

/** The pooled design matrix (all nodes stacked). */
export function pooledX(ds: FederatedDataset): Mat {
  const N = ds.nodes.reduce((a, nd) => a + nd.X.rows, 0);
  const data = new Float64Array(N * ds.d);
  let off = 0;
  for (const nd of ds.nodes) {
    data.set(nd.X.data, off);
    off += nd.X.data.length;
  }
  return { rows: N, cols: ds.d, data };
}

/** (s_max / s_min)^2 of X: the condition number of X X^T (wide X) or X^T X (tall X), in f64. */
export function gramCondition(X: Mat): number {
  const s = svd(X).s;
  const r = Math.min(X.rows, X.cols);
  return (s[0] / s[r - 1]) ** 2;
}

/** True when some node differs from node 0 in offset or scale (with at least two nodes). */
export function hasCovariateShift(nodes: readonly NodeRecipe[]): boolean {
  return nodes.length >= 2 && nodes.some((nd) => nd.offset !== 0 || nd.scale !== nodes[0].scale);
}
