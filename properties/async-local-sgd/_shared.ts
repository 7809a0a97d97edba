/**
 * What the async-local-sgd properties share (not a property file: the registry loads only *.prop.ts):
 * the source record, the capability signatures the specs call through the subject, dyadic generators
 * (inputs exact in f64, so the identities see no input rounding), and small numeric helpers.
 */
import fc from 'fast-check';
import type { Vec } from '../../src/numeric/types.ts';
import type {
  AsyncHyper, AsyncProblem, AsyncTrace, OuterOptimizer, OuterState, ScheduleConfig, ShardCounts,
} from '../../src/optimizers/async/index.ts';

export const PAPER = 'Liu, Chhaparia, Douillard, Kale, Rusu, Shen, Szlam, Ranzato, Asynchronous Local-SGD Training for Language Modeling, arXiv 2401.09135';
export const VERSION = 'v2 (23 Sep 2024)';

/** Capability signatures (src/subject/index.ts). */
export type OuterFactory<H> = (hyper: H) => OuterOptimizer<OuterState>;
export type NesterovFactory = OuterFactory<{ eps: number; beta: number }>;
export type SgdFactory = OuterFactory<{ eps: number; beta?: number }>;
export type DelayedNesterovFactory = OuterFactory<{ eps: number; beta: number; N: number; c: number }>;
export type DyluFn = (speeds: readonly number[], H: number, minSteps?: number) => number[];
export type SampleShardFn = (counts: ShardCounts, seed: number, job: number) => number;
export type ScheduleFn = (etaMax: number, schedule: ScheduleConfig, t: number) => number;
export type AsyncRunFn = (problem: AsyncProblem, hyper: AsyncHyper) => AsyncTrace;

/** j / den with |j| <= span: exact in f64. */
export const dyadic = (span: number, den: number): fc.Arbitrary<number> => fc.integer({ min: -span, max: span }).map((j) => j / den);
/** A vector of n entries on the 1/64 grid in [-1, 1]. */
export const dyadicVec = (n: number): fc.Arbitrary<number[]> => fc.array(dyadic(64, 64), { minLength: n, maxLength: n });
/** beta on the 1/16 grid in [0, 15/16] (outer momentum must be < 1). */
export const betaArb = fc.integer({ min: 0, max: 15 }).map((j) => j / 16);
/** eps on the 1/16 grid in [1/16, 1]. */
export const epsArb = fc.integer({ min: 1, max: 16 }).map((j) => j / 16);

export function maxAbs(xs: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < xs.length; i++) m = Math.max(m, Math.abs(xs[i]));
  return m;
}

export function maxAbsAll(xss: readonly ArrayLike<number>[]): number {
  let m = 0;
  for (const x of xss) m = Math.max(m, maxAbs(x));
  return m;
}

/** Concatenate vectors (an observed or bound trajectory). */
export function concat(xs: readonly ArrayLike<number>[]): Float64Array {
  let n = 0;
  for (const x of xs) n += x.length;
  const out = new Float64Array(n);
  let o = 0;
  for (const x of xs) {
    out.set(x as ArrayLike<number>, o);
    o += x.length;
  }
  return out;
}

/**
 * PyTorch `SGD(momentum=mu, nesterov=True, dampening=0)` transcribed from the torch.optim.SGD docs
 * (buf = g on the first step, then buf = mu buf + g; p -= lr (g + mu buf)). Returns every iterate and
 * the buffer after the last push (zeros before any push), and the largest |buffer entry| seen.
 */
export function torchNesterov(theta0: readonly number[], pushes: readonly (readonly number[])[], lr: number, mu: number): { thetas: Vec[]; buf: Vec; bufMax: number } {
  const p = Float64Array.from(theta0);
  const buf = new Float64Array(theta0.length);
  const thetas: Vec[] = [Float64Array.from(p)];
  let bufMax = 0;
  pushes.forEach((g, t) => {
    for (let i = 0; i < p.length; i++) {
      buf[i] = t === 0 ? g[i] : mu * buf[i] + g[i];
      p[i] = p[i] - lr * (g[i] + mu * buf[i]);
    }
    bufMax = Math.max(bufMax, maxAbs(buf));
    thetas.push(Float64Array.from(p));
  });
  return { thetas, buf, bufMax };
}

/** Run an outer optimiser from theta0 over the pushes; the iterate after each push. */
export function runOuter(opt: OuterOptimizer<OuterState>, theta0: readonly number[], pushes: readonly (readonly number[])[]): Vec[] {
  let s = opt.init(Float64Array.from(theta0));
  const out: Vec[] = [];
  for (const g of pushes) {
    s = opt.step(s, Float64Array.from(g));
    out.push(s.theta);
  }
  return out;
}

/** Eq. 6 in exact integers: speeds are multiples of 1/4, so floor(v_i H / v_max) = floor(a_i H / a_max), a = 4 v. */
export function exactDylu(speeds: readonly number[], H: number, minSteps: number): number[] {
  const a = speeds.map((v) => Math.round(4 * v));
  const amax = Math.max(...a);
  return a.map((ai) => Math.max(Math.floor((ai * H) / amax), minSteps));
}
