/**
 * Shared by the properties of the lupa-sgd family (docs/theory.md#2-lupa-sgd-and-ada-lupa-sgd-haddadpour-et-al; Haddadpour et al., NeurIPS 2019): least-squares PL
 * problems as LUPA-SGD sees them, the deterministic gradient-descent path, the EXACT expected loss of LUPA-SGD on
 * IID least squares (a second-moment recursion, derived in proofs-notes/L-4-tau-threshold.md), Monte Carlo helpers
 * and the per-interval confidence that keeps a property run's false-alarm probability at most 1e-3.
 * Not a property file (the registry loads only *.prop.ts).
 */
import fc from 'fast-check';
import type { PlProblem } from '../../src/arbitraries/index.ts';
import type { Mat, Vec } from '../../src/numeric/index.ts';
import type { StepSize } from '../../src/optimizers/parts/check.ts';
import type { Trace } from '../../src/optimizers/types.ts';
import { datasetLoss, nodeGrad } from '../../src/problems/losses.ts';
import type { LossSpec } from '../../src/problems/losses.ts';
import { pooled } from '../../src/problems/dataset.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';
import { tInterval } from '../../src/spec/stats/index.ts';
import { EPS } from '../../src/numeric/index.ts';
import type { RunFn } from '../../src/optimizers/types.ts';
import type { LupaSGDHyper } from '../../src/optimizers/lupaSGD.ts';

/** The source every LUPA property cites (docs/theory.md#2-lupa-sgd-and-ada-lupa-sgd-haddadpour-et-al) */
export const PAPER = 'Haddadpour, Kamani, Mahdavi, Cadambe, Local SGD with Periodic Averaging (NeurIPS 2019, arXiv 1910.13598)';

export const SQUARED: LossSpec = Object.freeze({ name: 'squared' });

/** Family-wide false-alarm budget of one property run (the issue: a correct optimizer fails w.p. <= 1e-3). */
export const FALSE_ALARM = 1e-3;

/**
 * Confidence of ONE interval when a property run makes `runs` instance evaluations with `perInstance` intervals
 * each: Bonferroni over all of them, so a correct subject is refuted with probability <= FALSE_ALARM per run
 * (given the interval's own coverage; for t intervals that assumes near-normal sample means).
 */
export function intervalConfidence(runs: number, perInstance: number): number {
  return 1 - FALSE_ALARM / (runs * perInstance);
}

/** A least-squares objective F(x) = 1/(2N) ||X x - y||^2 as LUPA-SGD's 'iid' sampling sees it (one pooled node). */
export interface LsProblem {
  readonly ds: FederatedDataset;
  readonly d: number;
  /** pooled rows */
  readonly n: number;
  readonly X: Mat;
  readonly y: Vec;
  /** (1/n) X^T X, row-major d x d */
  readonly H: Float64Array;
  readonly L: number;
  /** PL constant (smallest nonzero eigenvalue of H) */
  readonly mu: number;
  /** max_i ||x_i||^2: a step eta <= 1/R2 keeps every one-row step nonexpansive */
  readonly R2: number;
  /** a minimiser and F* (from plProblem: exact by construction) */
  readonly xStar: Vec;
  readonly Fstar: number;
}

/** The IID least-squares plProblem as one node (every worker samples the pooled rows). */
export function lsFromPl(pr: PlProblem): LsProblem {
  const s = pr.shards[0];
  if (pr.sampling !== 'iid' || s.kind !== 'least-squares') {
    throw new Error(`lsFromPl: needs an iid least-squares plProblem, got ${pr.sampling} ${s.kind}`);
  }
  const ds: FederatedDataset = { task: 'regression', d: pr.d, nodes: [{ X: s.A, y: s.b }] };
  return { ds, d: pr.d, n: s.A.rows, X: s.A, y: s.b, H: pr.H.data, L: pr.L, mu: pr.mu, R2: maxRowNorm2(s.A), xStar: pr.xStar, Fstar: pr.Fstar };
}

export function maxRowNorm2(X: Mat): number {
  let m = 0;
  for (let i = 0; i < X.rows; i++) {
    let s = 0;
    for (let j = 0; j < X.cols; j++) s += X.data[i * X.cols + j] ** 2;
    m = Math.max(m, s);
  }
  return m;
}

/** eta_t for iteration t (the optimizers' rule, docs/theory.md#23-main-result). */
export function etaAt(eta: StepSize, t: number): number {
  return typeof eta === 'number' ? eta : eta.a / (eta.mu * (t + eta.b));
}

/** F(w), the pooled mean squared loss, evaluated here (never read from the subject's trace). */
export function lossAt(ds: FederatedDataset, w: Vec): number {
  return datasetLoss(ds, SQUARED, w);
}

/** The last model of a trace (copy). Throws a one-line error when the trace has none. */
export function finalModel(tr: Trace, who: string): Vec {
  if (!tr || !Array.isArray(tr.models) || tr.models.length === 0) throw new Error(`${who}: the subject returned a trace without models`);
  return Float64Array.from(tr.models[tr.models.length - 1]);
}

/** The s-th Monte Carlo seed of an instance seed (a 32-bit integer, distinct for s < 2^32 / 0x9E3779B1). */
export function mcSeed(seed: number, s: number): number {
  return (seed + Math.imul(s, 0x9e3779b1)) | 0;
}

/** Lower end of the one-sided t interval for E[x] at `confidence`. */
export function lowerMean(xs: readonly number[], confidence: number): number {
  return tInterval(xs, { confidence, side: 'lower' }).lo;
}

export interface LupaMoments {
  readonly p: number;
  readonly B: number | 'full';
  readonly T: number;
  readonly tau: number;
  readonly eta: StepSize;
  /** sigma of the additive N(0, sigma^2 I) gradient noise */
  readonly noise: number;
  readonly x0: Vec;
}

/**
 * E F(xbar_T) of LUPA-SGD(tau) with p workers, each drawing B rows uniformly with replacement from the pooled data
 * (or the full gradient) plus N(0, sigma^2 I) noise, EXACTLY (up to rounding), by the second-moment recursion of
 * proofs-notes/L-4-tau-threshold.md: with e = x - x*, residuals r_i = y_i - x_i^T x*, Q(W) = mean_i (a_i^T W a_i) a_i a_i^T,
 * K(m) = mean_i (a_i^T m) r_i a_i a_i^T, Rr = mean_i r_i^2 a_i a_i^T, one step is
 *   m' = (I - eta H) m,   X' = (I - eta H) X (I - eta H),
 *   W' = (I - eta H) W (I - eta H) + eta^2/B (Q(W) - H W H + Rr - 2 K(m)) + eta^2 sigma^2 I     (the 1/B terms vanish for 'full'),
 * W = E e_j e_j^T (one worker), X = E e_j e_k^T (j != k); an averaging sets W = X = W/p + (1 - 1/p) X; E F = F* + tr(H W)/2.
 */
export function exactMeanLoss(pb: LsProblem, h: LupaMoments): number {
  const { d, n, X: A } = pb;
  const H = pb.H;
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = pb.y[i];
    for (let j = 0; j < d; j++) s -= A.data[i * d + j] * pb.xStar[j];
    r[i] = s;
  }
  const dd = d * d;
  const Rr = new Float64Array(dd);
  for (let i = 0; i < n; i++) addOuter(Rr, A.data, i * d, d, (r[i] * r[i]) / n);
  const m = Float64Array.from(h.x0, (x, j) => x - pb.xStar[j]);
  // buffers, reused every step: W (one worker), X (two workers), their successors, scratch
  let W: Float64Array = new Float64Array(dd);
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) W[a * d + b] = m[a] * m[b];
  let Xc: Float64Array = Float64Array.from(W);
  let Wn: Float64Array = new Float64Array(dd);
  let Xn: Float64Array = new Float64Array(dd);
  const tmp = new Float64Array(dd);
  const HWH = new Float64Array(dd);
  const mn = new Float64Array(d);
  const mb = h.B === 'full' ? 0 : 1 / h.B;
  for (let t = 0; t < h.T; t++) {
    const e = etaAt(h.eta, t);
    congruence(H, W, e, d, tmp, Wn);
    if (mb > 0) {
      for (let i = 0; i < n; i++) {
        const o = i * d;
        let q = 0;
        for (let a = 0; a < d; a++) {
          let s = 0;
          for (let b = 0; b < d; b++) s += W[a * d + b] * A.data[o + b];
          q += A.data[o + a] * s;
        }
        let am = 0;
        for (let a = 0; a < d; a++) am += A.data[o + a] * m[a];
        addOuter(Wn, A.data, o, d, ((e * e * mb) / n) * (q - 2 * am * r[i]));
      }
      sandwich(H, W, d, tmp, HWH);
      for (let k = 0; k < dd; k++) Wn[k] += e * e * mb * (Rr[k] - HWH[k]);
    }
    for (let a = 0; a < d; a++) Wn[a * d + a] += e * e * h.noise * h.noise;
    congruence(H, Xc, e, d, tmp, Xn);
    [W, Wn] = [Wn, W];
    [Xc, Xn] = [Xn, Xc];
    for (let a = 0; a < d; a++) {
      let s = m[a];
      for (let b = 0; b < d; b++) s -= e * H[a * d + b] * m[b];
      mn[a] = s;
    }
    m.set(mn);
    if ((t + 1) % h.tau === 0 || t + 1 === h.T) {
      for (let k = 0; k < dd; k++) W[k] = W[k] / h.p + (1 - 1 / h.p) * Xc[k];
      Xc.set(W);
    }
  }
  let tr = 0;
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) tr += H[a * d + b] * W[b * d + a];
  return pb.Fstar + tr / 2;
}

function addOuter(M: Float64Array, data: Float64Array, o: number, d: number, c: number): void {
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) M[a * d + b] += c * data[o + a] * data[o + b];
}

/** out = (I - e H) W (I - e H) (tmp: scratch; no aliasing of out with W or tmp). */
function congruence(H: Float64Array, W: Float64Array, e: number, d: number, tmp: Float64Array, out: Float64Array): void {
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      let s = W[a * d + b];
      for (let k = 0; k < d; k++) s -= e * H[a * d + k] * W[k * d + b];
      tmp[a * d + b] = s;
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      let s = tmp[a * d + b];
      for (let k = 0; k < d; k++) s -= e * tmp[a * d + k] * H[k * d + b];
      out[a * d + b] = s;
    }
  }
}

/** out = H W H (tmp: scratch). */
function sandwich(H: Float64Array, W: Float64Array, d: number, tmp: Float64Array, out: Float64Array): void {
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += H[a * d + k] * W[k * d + b];
    tmp[a * d + b] = s;
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += tmp[a * d + k] * H[k * d + b];
    out[a * d + b] = s;
  }
}

/** A LUPA-SGD run on a least-squares problem: the data set (one pooled node, or identical copies for 'shards'), and the hyperparameters other than tau. */
export interface TauCase {
  readonly pb: LsProblem;
  readonly ds: FederatedDataset;
  readonly p: number;
  readonly B: number | 'full';
  readonly sampling: 'iid' | 'shards';
  readonly noise: number;
  readonly eta: StepSize;
  readonly T: number;
  /** the periods compared with tau = 1 */
  readonly taus: readonly number[];
  readonly x0: Vec;
  readonly seed: number;
}

/** p identical copies of the pooled node (worker j pinned to copy j): identical objectives through the 'shards' path. */
export function copiesOf(pb: LsProblem, p: number): FederatedDataset {
  return { task: 'regression', d: pb.d, nodes: Array.from({ length: p }, () => ({ X: pb.X, y: pb.y })) };
}

/** Largest |xi| of a 53-bit Box-Muller normal: sqrt(-2 ln 2^-53) = 8.57... (the bound the optimizer tests use). */
export const NORMAL_MAX = 8.6;

/**
 * Rounding scale of a run: max_t ||x_t||_2 along the tau = 1 run (every iterate of the reference recursion) plus the
 * sizes a step adds per coordinate (|y|/sqrt(R2) for the residual term, eta_0 sigma NORMAL_MAX for the noise).
 */
export function runScale(c: TauCase, models: readonly Vec[]): number {
  let s = 0;
  for (const w of models) {
    let q = 0;
    for (let j = 0; j < w.length; j++) q += w[j] * w[j];
    s = Math.max(s, Math.sqrt(q));
  }
  let ymax = 0;
  for (let i = 0; i < c.pb.y.length; i++) ymax = Math.max(ymax, Math.abs(c.pb.y[i]));
  return s + ymax / Math.sqrt(c.pb.R2) + etaAt(c.eta, 0) * c.noise * NORMAL_MAX;
}

/**
 * k of the tau-invariance tolerance k EPS S sqrt(d): per iteration and worker the computed step differs from the exact
 * (nonexpansive, since eta_t <= 1/R2) step by at most (rows + d + 2) EPS S per coordinate, an averaging of p models by
 * (p + 1) EPS S; both runs contribute, over T iterations.
 */
export function tauInvarianceK(c: TauCase): number {
  const rows = c.B === 'full' ? c.pb.n : c.B;
  return 2 * c.T * (rows + c.pb.d + c.p + 3);
}

/**
 * max over tau in c.taus of ||xbar_T(tau) - xbar_T(1)||_2 / S, with S = runScale of the tau = 1 run, for the subject's
 * lupaSGD: the observable of L-1 and L-2 (0 in exact arithmetic under their hypotheses).
 */
export function relativeTauSpread(run: (ds: FederatedDataset, h: Record<string, unknown>) => Trace, c: TauCase): number {
  const h = { loss: SQUARED, eta: c.eta, T: c.T, p: c.p, B: c.B, sampling: c.sampling, noise: c.noise, w0: c.x0, seed: c.seed };
  const base = run(c.ds, { ...h, tau: 1, record: 'all' });
  const ref = finalModel(base, 'lupaSGD(tau = 1)');
  const S = runScale(c, base.models);
  let worst = 0;
  for (const tau of c.taus) {
    const w = finalModel(run(c.ds, { ...h, tau, record: 'last' }), `lupaSGD(tau = ${tau})`);
    let q = 0;
    for (let j = 0; j < w.length; j++) q += (w[j] - ref[j]) ** 2;
    // q = 0 gives 0 even when S = 0 (a run that never moves); q > 0 with S = 0 gives Infinity (reported as invalid)
    worst = Math.max(worst, q === 0 ? 0 : Math.sqrt(q) / S);
  }
  return worst;
}

/** ||H (x0 - x*)||_inf > 0: the deterministic part of the run moves. */
export function startsOffOptimum(pb: LsProblem, x0: Vec): boolean {
  const d = pb.d;
  for (let a = 0; a < d; a++) {
    let s = 0;
    for (let b = 0; b < d; b++) s += pb.H[a * d + b] * (x0[b] - pb.xStar[b]);
    if (s !== 0) return true;
  }
  return false;
}

/** Grid offsets u in {-4..4}/4 (6 of them; the first d are used) for x0 = x* + u. */
export const OFFSETS = fc.array(fc.integer({ min: -4, max: 4 }), { minLength: 6, maxLength: 6 });

export function startNear(pb: LsProblem, u: readonly number[]): Vec {
  return Float64Array.from(pb.xStar, (x, j) => x + u[j] / 4);
}

/** eta_t: the constant 1/R2 or the schedule 4/(mu (t + 4 R2/mu)) (eta_0 = 1/R2, tau-independent as docs/theory.md#26-how-tau-enters advises). */
export function stepFor(pb: LsProblem, decaying: boolean): StepSize {
  return decaying ? { a: 4, b: (4 * pb.R2) / pb.mu, mu: pb.mu } : 1 / pb.R2;
}

/** Periods compared with tau = 1: 2, 3, T - 1 (never divides T >= 3), T (one-shot averaging), and a free one. */
export function periodsFor(T: number, free: number): number[] {
  return [...new Set([2, 3, T - 1, T, free].filter((t) => t >= 2))].sort((a, b) => a - b);
}

/**
 * The deterministic path m_{t+1} = m_t - eta_t grad F(m_t), t < T, on the pooled mean loss (the mean path of IID
 * LUPA-SGD): its final point, its largest norm and ||grad F(x0)||_2 (for rounding slacks).
 */
export function gdPathStats(ds: FederatedDataset, eta: StepSize, T: number, x0: Vec): { m: Vec; maxNorm: number; grad0: number } {
  const P = pooled(ds);
  const m = Float64Array.from(x0);
  const g = new Float64Array(ds.d);
  const norm = (v: Vec) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  nodeGrad(SQUARED, P.X, P.y, m, g);
  const grad0 = norm(g);
  let maxNorm = norm(m);
  for (let t = 0; t < T; t++) {
    nodeGrad(SQUARED, P.X, P.y, m, g);
    const e = etaAt(eta, t);
    for (let j = 0; j < m.length; j++) m[j] -= e * g[j];
    maxNorm = Math.max(maxNorm, norm(m));
  }
  return { m, maxNorm, grad0 };
}

/**
 * tau* = the least integer tau with p tau^3 >= T^2 (= ceil(T^{2/3}/p^{1/3}) exactly, in integers); with `halves` = k,
 * the least tau with p tau^3 >= (k/2)^3 T^2, i.e. 8 p tau^3 >= k^3 T^2 (the threshold times c = k/2).
 */
export function tauStar(T: number, p: number, halves = 2): number {
  const rhs = halves ** 3 * T * T;
  let t = Math.max(1, Math.floor(Math.cbrt(rhs / (8 * p))) - 1);
  while (8 * p * t ** 3 < rhs) t++;
  while (t > 1 && 8 * p * (t - 1) ** 3 >= rhs) t--;
  return t;
}

/** ceil((pT)^{1/3}) exactly: the least integer r with r^3 >= pT. */
export function roundCap(T: number, p: number): number {
  let r = Math.max(0, Math.floor(Math.cbrt(p * T)) - 1);
  while (r ** 3 < p * T) r++;
  return r;
}

/** Total rows of a data set. */
export function rowsOf(ds: FederatedDataset): number {
  return ds.nodes.reduce((s, nd) => s + nd.X.rows, 0);
}

/** Each node k times (node i of the result is node i mod K): the 4p run pins 4 workers to each node (the same F). */
export function replicated(ds: FederatedDataset, k: number): FederatedDataset {
  return { ...ds, nodes: Array.from({ length: k * ds.nodes.length }, (_, i) => ds.nodes[i % ds.nodes.length]) };
}

/** A LUPA-SGD run compared at p and 4p workers (L-3 and its non-IID refutation). */
export interface SpeedupRun {
  readonly ds: FederatedDataset;
  readonly sampling: 'iid' | 'shards';
  readonly p: number;
  readonly B: number | 'full';
  readonly noise: number;
  readonly eta: StepSize;
  readonly T: number;
  readonly tau: number;
  readonly x0: Vec;
  readonly seed: number;
  readonly samples: number;
}

/**
 * The paired Monte Carlo sample Z_s = 4 F(xbar^{4p}) - F(xbar^{p}), s < samples (seed s runs both; with 'shards' the
 * 4p run pins 4 workers to each node), and the rounding allowance of its mean: each F evaluation (a mean of rows
 * squared residuals of d-term dots) has relative error <= (rows + d + 2) EPS, and every term is >= 0, so the sample
 * mean of 4 F4 - F1 is off by at most that times max_s(4 F4 + F1).
 */
export function speedupSample(run: RunFn<LupaSGDHyper>, c: SpeedupRun): { z: number[]; rounding: number; f1: number[]; f4: number[] } {
  const ds4 = c.sampling === 'shards' ? replicated(c.ds, 4) : c.ds;
  const h = { loss: SQUARED, eta: c.eta, T: c.T, tau: c.tau, B: c.B, sampling: c.sampling, noise: c.noise, w0: c.x0, record: 'last' as const };
  const z: number[] = [];
  const F1: number[] = [];
  const F4: number[] = [];
  let scale = 0;
  for (let s = 0; s < c.samples; s++) {
    const seed = mcSeed(c.seed, s);
    const f1 = lossAt(c.ds, finalModel(run(c.ds, { ...h, p: c.p, seed }), 'lupaSGD (p workers)'));
    const f4 = lossAt(c.ds, finalModel(run(ds4, { ...h, p: 4 * c.p, seed }), 'lupaSGD (4p workers)'));
    z.push(4 * f4 - f1);
    F1.push(f1);
    F4.push(f4);
    scale = Math.max(scale, 4 * f4 + f1);
  }
  return { z, rounding: (rowsOf(c.ds) + c.ds.d + 2) * EPS * scale, f1: F1, f4: F4 };
}

/**
 * The observed value of the speedup claims: the lower end of the one-sided t interval for E Z, minus the rounding.
 * `keep` (a run context's plot sink) receives the sample's losses { f1, f4 } at p and 4p workers.
 */
export function speedupObserved(run: RunFn<LupaSGDHyper>, c: SpeedupRun, confidence: number, keep?: (d: { f1: number[]; f4: number[] }) => void): number {
  const { z, rounding, f1, f4 } = speedupSample(run, c);
  keep?.({ f1, f4 });
  return lowerMean(z, confidence) - rounding;
}

/**
 * p shards of 2 rows in d columns, entries xs/2 and labels ys/2 (xs read cyclically, 4 per shard; ys 2 per shard), and
 * R2 = max_i ||x_i||^2 over all shards: the small non-IID instances of the speedup properties (L-3 shards, L-3-bias-floor).
 */
export function twoRowShards(p: number, d: number, xs: readonly number[], ys: readonly number[]): { ds: FederatedDataset; R2: number } {
  const nodes = Array.from({ length: p }, (_, j) => ({
    X: { rows: 2, cols: d, data: Float64Array.from({ length: 2 * d }, (_, k) => xs[(j * 4 + k) % xs.length] / 2) },
    y: Float64Array.from({ length: 2 }, (_, i) => ys[j * 2 + i] / 2),
  }));
  return { ds: { task: 'regression', d, nodes }, R2: Math.max(...nodes.map((nd) => maxRowNorm2(nd.X))) };
}
