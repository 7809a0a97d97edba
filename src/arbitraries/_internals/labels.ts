/**
 * Label skew for the classification arbitraries. Labels are +-1 per pooled row, nodes taking consecutive rows.
 *   'iid'        label i from a pool (pool value < 0 gives -1): the homogeneous shrink target (all +1)
 *   'dirichlet'  node k's positive share p_k ~ Beta(a, a) (two-class Dirichlet), a = [0.1, 0.3, 1, 3][alphaIndex],
 *                n_pos = round(p_k n_k), positives first within the node
 *   'sorted'     the 'iid' labels sorted (+1 first) and split into nodes in order: label-sorted nodes
 *   'one-class'  node k has the single label (k even ? +1 : -1)
 */
import type { FederatedDataset } from '../../problems/types.ts';
import type { Pool } from './pool.ts';
import { Rng } from './rng.ts';

export type LabelSkew = 'iid' | 'dirichlet' | 'sorted' | 'one-class';
export const LABEL_SKEWS: readonly LabelSkew[] = ['iid', 'dirichlet', 'sorted', 'one-class'];
export const DIRICHLET_ALPHAS = [0.1, 0.3, 1, 3] as const;

export function labelsFor(mode: LabelSkew, sizes: readonly number[], pool: Pool, seed: number, alphaIndex: number): Float64Array {
  const N = sizes.reduce((a, b) => a + b, 0);
  const y = new Float64Array(N);
  if (mode === 'iid' || mode === 'sorted') {
    for (let g = 0; g < N; g++) y[g] = pool.at(g) < 0 ? -1 : 1;
    if (mode === 'sorted') y.sort().reverse();
    return y;
  }
  const rng = new Rng(seed);
  const a = DIRICHLET_ALPHAS[alphaIndex] ?? 1;
  for (let k = 0, g = 0; k < sizes.length; k++) {
    let pos: number;
    if (mode === 'one-class') pos = k % 2 === 0 ? sizes[k] : 0;
    else {
      const g1 = rng.gamma(a);
      const g2 = rng.gamma(a);
      pos = Math.round((g1 + g2 > 0 ? g1 / (g1 + g2) : 0.5) * sizes[k]);
    }
    for (let i = 0; i < sizes[k]; i++) y[g++] = i < pos ? 1 : -1;
  }
  return y;
}

/**
 * 'one-class-node': a node with >= 2 samples, all of one label, in data that has both labels;
 * 'sorted-labels', 'dirichlet': the skew mode; 'both-classes': both labels occur.
 */
export function labelRegimes(mode: LabelSkew, ds: FederatedDataset): string[] {
  const r: string[] = [];
  const all = ds.nodes.flatMap((nd) => Array.from(nd.y));
  const both = all.includes(1) && all.includes(-1);
  if (both) r.push('both-classes');
  if (both && ds.nodes.some((nd) => nd.y.length >= 2 && nd.y.every((v) => v === nd.y[0]))) r.push('one-class-node');
  if (mode === 'sorted') r.push('sorted-labels');
  if (mode === 'dirichlet') r.push('dirichlet');
  return r;
}
