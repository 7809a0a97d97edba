/**
 * Shared by the `modified.*` and `versions.*` properties of the implicit-bias family (docs/theory.md#13-classification-with-local-gd to docs/theory.md#15-modified-local-gd): signed
 * rows, the direction error ang, margins, an exact f64 max-margin projector for tiny nodes, and the instance
 * arbitrary (small label-skewed separable data). Not a property file (the registry loads only *.prop.ts).
 */
import fc from 'fast-check';
import { separableClassification } from '../../src/arbitraries/index.ts';
import type { SeparableClassification } from '../../src/arbitraries/index.ts';
import { EPS, eigSym } from '../../src/numeric/index.ts';
import type { Mat, Vec } from '../../src/numeric/index.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';
import { distance as dist, norm } from './classification.observables.support.ts';

/** Z = diag(y) X of one node (rows z_i = y_i x_i). */
export function signedRowsOf(X: Mat, y: Vec): Mat {
  const data = new Float64Array(X.data.length);
  for (let i = 0; i < X.rows; i++) for (let j = 0; j < X.cols; j++) data[i * X.cols + j] = y[i] * X.data[i * X.cols + j];
  return { rows: X.rows, cols: X.cols, data };
}

export { norm, distance as dist } from './classification.observables.support.ts';

/** ang(u, v) = || u/||u|| - v/||v|| || (docs/theory.md#0-notation-and-conventions); NaN when either vector is 0 (the runner reports NaN as a violation). */
export function ang(u: ArrayLike<number>, v: ArrayLike<number>): number {
  const nu = norm(u);
  const nv = norm(v);
  let s = 0;
  for (let i = 0; i < u.length; i++) s += (u[i] / nu - v[i] / nv) ** 2;
  return Math.sqrt(s);
}

/** min_i y_i x_i^T w over the pooled data. */
export function minMargin(ds: FederatedDataset, w: ArrayLike<number>): number {
  let m = Infinity;
  for (const nd of ds.nodes) {
    for (let i = 0; i < nd.X.rows; i++) {
      let s = 0;
      for (let j = 0; j < ds.d; j++) s += nd.X.data[i * ds.d + j] * w[j];
      m = Math.min(m, nd.y[i] * s);
    }
  }
  return m;
}

/** max_i ||x_i|| over the pooled data. */
export function radius(ds: FederatedDataset): number {
  let r = 0;
  for (const nd of ds.nodes) for (let i = 0; i < nd.X.rows; i++) r = Math.max(r, norm(nd.X.data.subarray(i * ds.d, (i + 1) * ds.d)));
  return r;
}

/** Solve the small SPD system G x = b in place by Gaussian elimination with partial pivoting; false if singular. */
function solveSmall(G: Float64Array, b: Float64Array, n: number): boolean {
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(G[r * n + c]) > Math.abs(G[p * n + c])) p = r;
    const piv = G[p * n + c];
    // why: a Gram pivot below 1e-12 of the diagonal scale means the active rows are (numerically) dependent;
    // a dependent active set is never needed (Caratheodory), so it is skipped
    if (!(Math.abs(piv) > 1e-12 * Math.abs(G[c * n + c] || 1))) return false;
    if (p !== c) {
      for (let k = 0; k < n; k++) [G[p * n + k], G[c * n + k]] = [G[c * n + k], G[p * n + k]];
      [b[p], b[c]] = [b[c], b[p]];
    }
    for (let r = c + 1; r < n; r++) {
      const f = G[r * n + c] / G[c * n + c];
      for (let k = c; k < n; k++) G[r * n + k] -= f * G[c * n + k];
      b[r] -= f * b[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < n; k++) s -= G[r * n + k] * b[k];
    b[r] = s / G[r * n + r];
  }
  return true;
}

/**
 * Exact (to f64 rounding) projection of w onto {u : Z u >= 1} for a node with at most 12 rows, by enumerating active
 * sets: every candidate u = w + Z_A^T lambda_A with Z_A u = 1, lambda_A >= 0 and Z u >= 1 satisfies the KKT conditions
 * of the strictly convex QP, so it IS the projection; the nearest candidate is kept against rounding ties. Throws when
 * no candidate is found (infeasible node, impossible for separable data).
 */
export function exactProjection(Z: Mat, w: Vec): Vec {
  const { rows: n, cols: d } = Z;
  if (n > 12) throw new Error(`exactProjection: node has ${n} rows; enumeration is meant for at most 12`);
  let feasible = true;
  for (let i = 0; i < n && feasible; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += Z.data[i * d + j] * w[j];
    if (s < 1) feasible = false;
  }
  if (feasible) return Float64Array.from(w);
  let best: Vec | null = null;
  let bestD = Infinity;
  let bestV = Infinity;
  const zn = new Float64Array(n);
  for (let i = 0; i < n; i++) zn[i] = norm(Z.data.subarray(i * d, (i + 1) * d));
  for (let mask = 1; mask < 1 << n; mask++) {
    const A: number[] = [];
    for (let i = 0; i < n; i++) if (mask & (1 << i)) A.push(i);
    const a = A.length;
    if (a > d) continue;
    const G = new Float64Array(a * a);
    const b = new Float64Array(a);
    for (let r = 0; r < a; r++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += Z.data[A[r] * d + j] * w[j];
      b[r] = 1 - s;
      for (let c = 0; c < a; c++) {
        let g = 0;
        for (let j = 0; j < d; j++) g += Z.data[A[r] * d + j] * Z.data[A[c] * d + j];
        G[r * a + c] = g;
      }
    }
    if (!solveSmall(G, b, a)) continue;
    if (b.some((l) => l < 0)) continue;
    const u = Float64Array.from(w);
    for (let r = 0; r < a; r++) for (let j = 0; j < d; j++) u[j] += b[r] * Z.data[A[r] * d + j];
    const nu = norm(u);
    let viol = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += Z.data[i * d + j] * u[j];
      viol = Math.max(viol, (1 - s) / (1 + zn[i] * nu));
    }
    // why: a wrong active set violates some constraint by O(1) in the data's units; the right one only by rounding.
    // 1e-9 relative separates the two; among survivors the least violated wins, then the nearest (rounding ties)
    if (viol > 1e-9) continue;
    const dd = dist(u, w);
    // why: candidates within 64 eps of the least violation are equally exact; the nearer one is the projection
    if (best === null || viol < bestV - 64 * EPS || (viol <= bestV + 64 * EPS && dd < bestD)) [best, bestD, bestV] = [u, dd, Math.min(viol, bestV)];
  }
  if (best === null) throw new Error(`exactProjection: no KKT point found for a node with ${n} rows (the node's constraints look infeasible)`);
  return best;
}

/** Label-skewed, separable, tiny data for the projection variants and short Local-GD runs. */
export function skewedSeparable(opts: { maxNodes?: number; maxRowsPerNode?: number; maxDim?: number } = {}): fc.Arbitrary<SeparableClassification> {
  return separableClassification({
    minNodes: 2, maxNodes: opts.maxNodes ?? 3, maxRowsPerNode: opts.maxRowsPerNode ?? 3, minDim: 2, maxDim: opts.maxDim ?? 4,
    labelSkew: 'sorted', weights: 'none',
  });
}

/** alpha_m = n_m / N, the default ('samples') aggregation weights. */
export function sampleWeights(ds: FederatedDataset): number[] {
  const N = ds.nodes.reduce((s, nd) => s + nd.X.rows, 0);
  return ds.nodes.map((nd) => nd.X.rows / N);
}

/** max_{i in node m} ||x_i|| (0 for an empty node). */
export function nodeRadius(ds: FederatedDataset, m: number): number {
  const nd = ds.nodes[m];
  let r = 0;
  for (let i = 0; i < nd.X.rows; i++) r = Math.max(r, norm(nd.X.data.subarray(i * ds.d, (i + 1) * ds.d)));
  return r;
}

/** The Modified Local-GD run function as the subject offers it (ModifiedLocalGDHyper of src/optimizers). */
export type ModifiedRun = (ds: FederatedDataset, h: Record<string, unknown>) => { models: Vec[]; rounds: number[] };
/** Local-GD / centralized GD run functions as the subject offers them. */
export type TraceRun = (ds: FederatedDataset, h: Record<string, unknown>) => { models: Vec[]; rounds: number[]; loss: number[] };

/**
 * Error growth of the exact projector on this data: max over nodes and over sets A of <= d of its rows that are
 * linearly independent (Gram pivot test of the projector) of cond(Z_A Z_A^T) = lambda_max / lambda_min, at least 1.
 * A projection's rounding error is a few eps of ||u|| times this (backward-stable small solve).
 */
export function gramCondition(ds: FederatedDataset): number {
  let worst = 1;
  for (const nd of ds.nodes) {
    const Z = signedRowsOf(nd.X, nd.y);
    const n = Z.rows;
    if (n > 12) throw new Error(`gramCondition: node has ${n} rows; meant for at most 12`);
    for (let mask = 1; mask < 1 << n; mask++) {
      const A: number[] = [];
      for (let i = 0; i < n; i++) if (mask & (1 << i)) A.push(i);
      if (A.length > ds.d) continue;
      const a = A.length;
      const G = new Float64Array(a * a);
      for (let r = 0; r < a; r++) for (let c = 0; c < a; c++) {
        let g = 0;
        for (let j = 0; j < ds.d; j++) g += Z.data[A[r] * ds.d + j] * Z.data[A[c] * ds.d + j];
        G[r * a + c] = g;
      }
      const ev = eigSym({ rows: a, cols: a, data: G }).values;
      const lo = Math.min(...ev);
      const hi = Math.max(...ev);
      // why: the projector skips sets whose Gram pivots fall below 1e-12 of the scale, i.e. lambda_min <= ~1e-12 hi
      if (lo > 1e-12 * hi) worst = Math.max(worst, hi / lo);
    }
  }
  return worst;
}

/**
 * Reference iterates of averaged exact max-margin projections (M-avg, docs/theory.md#14-non-commuting-limits "POCS") from 0, at the given
 * rounds. Reference side only: the builtin optimizer with the exact projector, never the subject.
 */
export function pocsReference(ds: FederatedDataset, rounds: readonly number[], run: ModifiedRun): Vec[] {
  return run(ds, { variant: 'avg', R: rounds[rounds.length - 1], alpha: 'samples', record: rounds, project: exactProjection }).models;
}

/** d = a - b (fresh array). */
export function minus(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: a.length }, (_, j) => a[j] - b[j]);
}

/**
 * A frequency event evaluated on a subject's run: a run that throws (e.g. a model that overflowed and was refused by
 * the optimizer) did not produce the event, so it counts as a failure of the event, not as an error of the spec.
 */
export function eventOf(f: () => boolean): boolean {
  try {
    return f();
  } catch {
    return false;
  }
}
