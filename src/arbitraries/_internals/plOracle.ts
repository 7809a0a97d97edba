/**
 * Evaluation and the stochastic oracle of plProblem values (pure functions; the values themselves are data only).
 *
 *   shardValue(pr, j, x)       F_j(x)
 *   shardGradient(pr, j, x)    grad F_j(x)
 *   objective(pr, x)           F(x) = (1/p) sum_j F_j(x)
 *   gradient(pr, x)            grad F(x)
 *   stochasticGradient(pr, j, x, noiseSeed, out)
 *       g = grad F_j(x) + sqrt(C1) grad F_j(x) (.) s + sqrt(sigma2 / (B d)) s',  s, s' independent Rademacher vectors
 *       drawn from noiseSeed: E g = grad F_j(x), E||g - grad F_j(x)||^2 = C1 ||grad F_j(x)||^2 + sigma2 / B exactly
 *       (docs/theory.md#21-setting-and-assumptions). The additive part alone has ||.||^2 = sigma2 / B on every draw. The same seed gives the
 *       same g bit for bit; a run gives each (worker, step) its own seed.
 * `out` and `scratch` buffers (length d and n_j) let hot loops run without allocating.
 */
import type { Vec } from '../../numeric/types.ts';
import type { PlProblem } from '../plProblem.ts';
import { Rng } from './rng.ts';

function check(fn: string, pr: PlProblem, j: number, x: Vec): void {
  if (!Number.isInteger(j) || j < 0 || j >= pr.p) throw new Error(`${fn}: shard ${j} is not in [0, ${pr.p - 1}]`);
  if (x.length !== pr.d) throw new Error(`${fn}: x has ${x.length} entries but the problem has d = ${pr.d}`);
}

export function shardValue(pr: PlProblem, j: number, x: Vec): number {
  check('shardValue', pr, j, x);
  const s = pr.shards[j];
  const d = pr.d;
  if (s.kind === 'quadratic') {
    let q = 0;
    for (let a = 0; a < d; a++) {
      let t = 0;
      for (let b = 0; b < d; b++) t += pr.H.data[a * d + b] * (x[b] - s.xStar[b]);
      q += (x[a] - s.xStar[a]) * t;
    }
    return 0.5 * q + s.Fstar;
  }
  let ss = 0;
  for (let i = 0; i < s.A.rows; i++) {
    let r = -s.b[i];
    for (let c = 0; c < d; c++) r += s.A.data[i * d + c] * x[c];
    ss += r * r;
  }
  return ss / (2 * s.A.rows);
}

export function shardGradient(pr: PlProblem, j: number, x: Vec, out: Vec = new Float64Array(pr.d), scratch?: Vec): Vec {
  check('shardGradient', pr, j, x);
  const s = pr.shards[j];
  const d = pr.d;
  if (s.kind === 'quadratic') {
    for (let a = 0; a < d; a++) {
      let t = 0;
      for (let b = 0; b < d; b++) t += pr.H.data[a * d + b] * (x[b] - s.xStar[b]);
      out[a] = t;
    }
    return out;
  }
  const n = s.A.rows;
  const r = scratch !== undefined && scratch.length >= n ? scratch : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = -s.b[i];
    for (let c = 0; c < d; c++) v += s.A.data[i * d + c] * x[c];
    r[i] = v / n;
  }
  out.fill(0);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) out[c] += s.A.data[i * d + c] * r[i];
  return out;
}

export function objective(pr: PlProblem, x: Vec): number {
  let s = 0;
  for (let j = 0; j < pr.p; j++) s += shardValue(pr, j, x);
  return s / pr.p;
}

export function gradient(pr: PlProblem, x: Vec, out: Vec = new Float64Array(pr.d)): Vec {
  const g = new Float64Array(pr.d);
  out.fill(0);
  for (let j = 0; j < pr.p; j++) {
    shardGradient(pr, j, x, g);
    for (let c = 0; c < pr.d; c++) out[c] += g[c] / pr.p;
  }
  return out;
}

export function stochasticGradient(
  pr: PlProblem, j: number, x: Vec, noiseSeed: number, out: Vec = new Float64Array(pr.d), scratch?: Vec,
): Vec {
  if (!Number.isInteger(noiseSeed)) throw new Error(`stochasticGradient: noiseSeed must be an integer, got ${noiseSeed}`);
  shardGradient(pr, j, x, out, scratch);
  const { sigma2, C1, batch } = pr.oracle;
  if (sigma2 === 0 && C1 === 0) return out;
  const rng = new Rng(noiseSeed);
  const m = Math.sqrt(C1);
  const a = Math.sqrt(sigma2 / (batch * pr.d));
  for (let c = 0; c < pr.d; c++) {
    const g = out[c];
    out[c] = g + m * g * rng.sign() + a * rng.sign();
  }
  return out;
}
