/** Construction of plProblem values from their recipe (the derivation is in src/arbitraries/plProblem.ts). */
import type { Mat } from '../../numeric/types.ts';
import type { PlKind, PlProblem, PlSampling, PlShard } from '../plProblem.ts';
import { blockHadamard, blockSizes, hadamardEntry } from './hadamard.ts';
import { Pool } from './pool.ts';
import { permutation, Rng } from './rng.ts';

export interface PlRecipe {
  kind: PlKind;
  d: number;
  blockLog: number;
  exps: number[];
  mants: number[];
  logKappa: number;
  deficient: boolean;
  zeros: number;
  permSeed: number;
  xStar: number[];
  deltas: number[];
  consts: number[];
  residual: number[];
  extraRows: number[];
  p: number;
  sampling: PlSampling;
  noise: 'none' | 'additive' | 'multiplicative' | 'both';
  sigmaExp: number;
  c1Exp: number;
  batch: number;
}

const GRID = 0.25; // x*, offsets and constants are integers times 1/4

export function buildPl(recipe: PlRecipe): PlProblem {
  // one worker: nothing is heterogeneous (shardOffsets gives delta_0 = 0), so the value is 'iid' whatever was drawn
  const r: PlRecipe = recipe.p === 1 ? { ...recipe, sampling: 'iid' } : recipe;
  const d = r.d;
  const { M: Hb, logSize } = blockHadamard(blockSizes(d, r.blockLog));
  // M' = Hb times a signed column permutation (identity for seed 0): rows still orthogonal, M' M'^T = diag(2^a)
  const perm = permutation(d, r.permSeed);
  const rs = new Rng(r.permSeed);
  const sgn = Array.from({ length: d }, () => (r.permSeed === 0 ? 1 : rs.sign()));
  const M = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let c = 0; c < d; c++) M[i * d + perm[c]] = sgn[c] * Hb[i * d + c];

  // mu_i: rows i < z are zero (z in [1, d-1] when deficient); exponents e_i in [0, logKappa] with e_z = 0 and
  // e_{d-1} = logKappa, so kappa spans about 2^logKappa; least squares needs mu = tau^2 (tau = m 2^(-e/2), e even)
  const z = r.deficient && d >= 2 ? 1 + Math.min(r.zeros, d - 2) : 0;
  const ex = new Pool(r.exps);
  const ma = new Pool(r.mants);
  const tau = new Float64Array(d);
  const mu = new Float64Array(d);
  for (let i = z; i < d; i++) {
    const e = i === z ? 0 : i === d - 1 ? r.logKappa : Math.min(ex.at(i), r.logKappa);
    if (r.kind === 'quadratic') mu[i] = (1 + ma.at(i)) * 2 ** -e;
    else {
      tau[i] = (1 + (ma.at(i) & 1)) * 2 ** -Math.floor(e / 2);
      mu[i] = tau[i] * tau[i];
    }
  }
  const H = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    if (mu[i] === 0) continue;
    for (let c = 0; c < d; c++) for (let c2 = 0; c2 < d; c2++) H[c * d + c2] += M[i * d + c] * mu[i] * M[i * d + c2];
  }
  const lambda = Float64Array.from(mu, (m, i) => m * 2 ** logSize[i]).sort();
  const nonzero = Array.from(lambda).filter((x) => x > 0);
  const L = lambda[d - 1];
  const muPL = nonzero[0];
  const rank = nonzero.length;

  const xp = new Pool(r.xStar);
  const xStar = Float64Array.from({ length: d }, (_, c) => xp.at(c) * GRID);
  const p = r.p;
  const deltas = shardOffsets(r, H, d);
  const cp = new Pool(r.consts);
  const resPool = new Pool(r.residual);
  const extra = new Pool(r.extraRows);
  const shards: PlShard[] = [];
  let numerator = 0; // sum_j (F_j* + 1/2 delta_j^T H delta_j), exact on the grid
  const count = r.sampling === 'iid' ? 1 : p;
  for (let j = 0; j < count; j++) {
    const xs = Float64Array.from(xStar, (x, c) => x + deltas[j][c]);
    let shard: PlShard;
    if (r.kind === 'quadratic') shard = { kind: 'quadratic', xStar: xs, Fstar: cp.at(j) * GRID };
    else shard = leastSquaresShard(d, tau, M, xs, 2 ** (Math.ceil(Math.log2(d)) + extra.at(j)), resPool, 64 * j, r.permSeed + j);
    numerator += shard.Fstar + 0.5 * quadForm(H, deltas[j], d);
    shards.push(shard);
  }
  const all = r.sampling === 'iid' ? Array.from({ length: p }, () => shards[0]) : shards;
  const Fstar = r.sampling === 'iid' ? shards[0].Fstar : numerator / p;
  const sigma2 = r.noise === 'additive' || r.noise === 'both' ? 2 ** -r.sigmaExp : 0;
  const C1 = r.noise === 'multiplicative' || r.noise === 'both' ? 2 ** -r.c1Exp : 0;

  const regimes: string[] = [r.kind, rank === d ? 'strongly-convex' : 'rank-deficient', r.sampling];
  if (L / muPL >= 100) regimes.push('kappa>=100');
  if (p === 1) regimes.push('p=1');
  if (sigma2 === 0 && C1 === 0) regimes.push('noise-free');
  if (sigma2 > 0) regimes.push('additive-noise');
  if (C1 > 0) regimes.push('multiplicative-noise');
  if (d === 1) regimes.push('d=1');
  const Hm: Mat = { rows: d, cols: d, data: H };
  return {
    kind: r.kind, d, H: Hm, eigenvalues: lambda, L, mu: muPL, kappa: L / muPL, rank, xStar, Fstar, p,
    sampling: r.sampling, shards: all, oracle: { sigma2, C1, batch: r.batch }, meta: { regimes },
  };
}

/**
 * delta_j with sum_j delta_j = 0. iid: all zero. non-iid: delta_0 = H e_i for the largest diagonal entry H_ii > 0
 * (so H delta_0 = H^2 e_i != 0), delta_1..delta_{p-2} from the pool, delta_{p-1} = -(the others); p = 1 forces 0.
 */
function shardOffsets(r: PlRecipe, H: Float64Array, d: number): Float64Array[] {
  const p = r.p;
  const out = Array.from({ length: p }, () => new Float64Array(d));
  if (r.sampling === 'iid' || p === 1) return out;
  let iMax = 0;
  for (let i = 1; i < d; i++) if (H[i * d + i] > H[iMax * d + iMax]) iMax = i;
  for (let c = 0; c < d; c++) out[0][c] = H[c * d + iMax];
  const pool = new Pool(r.deltas);
  for (let j = 1; j < p - 1; j++) for (let c = 0; c < d; c++) out[j][c] = pool.at(j * d + c) * GRID;
  for (let j = 0; j < p - 1; j++) for (let c = 0; c < d; c++) out[p - 1][c] -= out[j][c];
  return out;
}

function quadForm(H: Float64Array, v: Float64Array, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) s += v[i] * H[i * d + j] * v[j];
  return s;
}

/**
 * A_j = C diag(tau) M (C: first d columns of the Sylvester Hadamard matrix of order n), b = A x* + r with r the
 * remaining columns times pool coefficients / 4, rows permuted. A^T A / n = M^T diag(tau^2) M = H, F_j* = |coef|^2 / 2.
 */
function leastSquaresShard(
  d: number, tau: Float64Array, M: Float64Array, xs: Float64Array, n: number, pool: Pool, off: number, seed: number,
): PlShard {
  const T = new Float64Array(d * d); // diag(tau) M
  for (let i = 0; i < d; i++) for (let c = 0; c < d; c++) T[i * d + c] = tau[i] * M[i * d + c];
  const A0 = new Float64Array(n * d);
  for (let row = 0; row < n; row++) {
    for (let i = 0; i < d; i++) {
      const h = hadamardEntry(row, i);
      for (let c = 0; c < d; c++) A0[row * d + c] += h * T[i * d + c];
    }
  }
  const b0 = new Float64Array(n);
  let ss = 0;
  for (let row = 0; row < n; row++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += A0[row * d + c] * xs[c];
    b0[row] = s;
  }
  for (let k = d; k < n; k++) {
    const coef = pool.at(off + k) * GRID;
    if (coef === 0) continue;
    ss += coef * coef;
    for (let row = 0; row < n; row++) b0[row] += coef * hadamardEntry(row, k);
  }
  const rp = permutation(n, seed);
  const A = new Float64Array(n * d);
  const b = new Float64Array(n);
  for (let row = 0; row < n; row++) {
    A.set(A0.subarray(row * d, (row + 1) * d), rp[row] * d);
    b[rp[row]] = b0[row];
  }
  return { kind: 'least-squares', A: { rows: n, cols: d, data: A }, b, xStar: xs, Fstar: ss / 2 };
}
