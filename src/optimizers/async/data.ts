/**
 * Gaussian-mixture classification data, after the official toy notebook (docs/theory.md#38-the-official-toy-notebook):
 * K = classes x clustersPerClass unit-norm centres in R^d, each assigned to class
 * floor(cluster / clustersPerClass); point i belongs to cluster i mod K (balanced) and is
 * centre + noise * N(0, I). Every number is a pure function of (seed, point index), drawn with
 * the counter-based RNG, so the same seed gives the same data bit for bit.
 * Split: 'iid' shuffles the training points (keyed by seed) and cuts them into `shards`
 * near-equal contiguous blocks; 'byClass' sorts them by label first (non-IID shards).
 * The eval set is `evalSize` further points of the same mixture.
 */
import { mat, type Mat } from '../../numeric/types.ts';
import { normals, rngKey, uniformAt } from '../rng.ts';
import { ASYNC_PURPOSE, ASYNC_STREAM } from './_internals/streams.ts';
import type { Shard } from './types.ts';

export interface GaussianMixtureOptions {
  readonly seed: number;
  /** d, feature dimension */
  readonly features: number;
  readonly classes: number;
  /** default 1 */
  readonly clustersPerClass?: number;
  /** training points in total (split over the shards) */
  readonly n: number;
  readonly shards: number;
  /** default 0.5 (the notebook's ep) */
  readonly noise?: number;
  /** default 256 */
  readonly evalSize?: number;
  /** default 'iid' */
  readonly split?: 'iid' | 'byClass';
}

export interface GaussianMixtureData {
  readonly shards: Shard[];
  readonly evalSet: Shard;
  /** K x d centres */
  readonly centers: Mat;
}

export function gaussianMixture(o: GaussianMixtureOptions): GaussianMixtureData {
  const fn = 'gaussianMixture';
  const cpc = o.clustersPerClass ?? 1;
  const noise = o.noise ?? 0.5;
  const evalSize = o.evalSize ?? 256;
  const split = o.split ?? 'iid';
  const ints: [string, number, number][] = [
    ['features', o.features, 1], ['classes', o.classes, 2], ['clustersPerClass', cpc, 1], ['shards', o.shards, 1], ['evalSize', evalSize, 1],
  ];
  for (const [name, value, lo] of ints) {
    if (!(Number.isInteger(value) && value >= lo)) throw new Error(`${fn}: ${name} must be an integer >= ${lo}, got ${value}`);
  }
  if (!(Number.isInteger(o.n) && o.n >= o.shards)) throw new Error(`${fn}: n must be an integer >= shards (${o.shards}), got ${o.n}`);
  if (!(Number.isFinite(noise) && noise >= 0)) throw new Error(`${fn}: noise must be finite and >= 0, got ${noise}`);
  if (split !== 'iid' && split !== 'byClass') throw new Error(`${fn}: split must be 'iid' or 'byClass', got '${String(split)}'`);
  if (!(Number.isInteger(o.seed) && o.seed >= -0x80000000 && o.seed <= 0xffffffff)) throw new Error(`${fn}: seed must be a 32-bit integer, got ${o.seed}`);
  const key = rngKey(o.seed, ASYNC_STREAM);
  const d = o.features;
  const z = new Float64Array(d);
  const K = o.classes * cpc;

  const centers = mat(K, d);
  for (let k = 0; k < K; k++) {
    let nrm = 0;
    normals(key, ASYNC_PURPOSE.dataCenter, k, 0, z, d);
    for (let j = 0; j < d; j++) {
      const v = z[j];
      centers.data[k * d + j] = v;
      nrm += v * v;
    }
    const s = nrm > 0 ? 1 / Math.sqrt(nrm) : 0;
    for (let j = 0; j < d; j++) centers.data[k * d + j] *= s;
  }
  const point = (i: number, out: Float64Array, off: number): number => {
    const k = i % K;
    normals(key, ASYNC_PURPOSE.dataPoint, i, 0, z, d);
    for (let j = 0; j < d; j++) out[off + j] = centers.data[k * d + j] + noise * z[j];
    return Math.floor(k / cpc);
  };

  // order of the training points
  const order = Array.from({ length: o.n }, (_, i) => i);
  const sortKey = order.map((i) => uniformAt(key, ASYNC_PURPOSE.dataSplit, i, 0, 0));
  if (split === 'iid') order.sort((a, b) => sortKey[a] - sortKey[b] || a - b);
  else order.sort((a, b) => Math.floor((a % K) / cpc) - Math.floor((b % K) / cpc) || a - b);

  const shards: Shard[] = [];
  let start = 0;
  for (let s = 0; s < o.shards; s++) {
    const size = Math.floor(o.n / o.shards) + (s < o.n % o.shards ? 1 : 0);
    const X = mat(size, d);
    const y = new Float64Array(size);
    for (let r = 0; r < size; r++) y[r] = point(order[start + r], X.data, r * d);
    shards.push({ X, y });
    start += size;
  }
  const Xe = mat(evalSize, d);
  const ye = new Float64Array(evalSize);
  for (let r = 0; r < evalSize; r++) ye[r] = point(o.n + r, Xe.data, r * d);
  return { shards, evalSet: { X: Xe, y: ye }, centers };
}
