/**
 * Conformance: what a plug-in (or a mutant) must do before any theorem is worth checking on it. These are contracts
 * of src/optimizers/types.ts and docs/theory.md#0-notation-and-conventions, not theorems; they run as the properties of properties/conformance/
 * (so `lsgd-spec check` runs them in the main job, and `lsgd-spec mutants` runs them first on every mutant):
 *
 *   C-1  trace shape: rounds/models/loss/communications (and localSteps when present) have the same length >= 1;
 *        rounds are integers from 0, strictly increasing (0..R under the default record 'all' where the algorithm
 *        fixes R); every model has d finite entries; round 0 is w0 bit for bit; loss[i] is F(models[i]) with the
 *        default weights n_k / N; communications are integers from 0, non-decreasing; the inputs are not mutated.
 *   C-2  bad input: a zero total aggregation weight (every node reports 0 samples, or the caller's weights are all 0)
 *        is refused with a one-line Error, never a NaN model (docs/planted-bugs.md#m11-zero-weight-nan).
 *   C-3  a common stationary point w* of every node's loss is a fixed point of every round (aggregation weights over
 *        the participants of a round sum to 1; docs/planted-bugs.md#m03-accumulator-not-reset, docs/planted-bugs.md#m04-partial-all-clients).
 *
 * The checks call the subject's capabilities by name and skip the ones it lacks. A breach is a one-line Error naming
 * the capability and the rule (the runner reports it as a violation); C-3 returns data for the runner to compare.
 */
import { EPS } from '../numeric/index.ts';
import type { Vec } from '../numeric/types.ts';
import { datasetLoss } from '../problems/losses.ts';
import type { FederatedDataset } from '../problems/types.ts';
import type { Subject } from '../spec/types.ts';
import { recordPredicate } from '../optimizers/fold.ts';
import type { RecordSpec } from '../optimizers/types.ts';
import { callFor, FEDERATED_CAPABILITIES, type ConformanceCase, type FederatedCapability } from './conformanceCases.ts';

export { FEDERATED_CAPABILITIES, WEIGHTED_CAPABILITIES, callFor, conformanceCases, zeroWeightCases, stationaryCases, stableEta } from './conformanceCases.ts';
export type { ConformanceCase, CapabilityCall, FederatedCapability } from './conformanceCases.ts';

type RunAny = (problem: FederatedDataset, hyper: Record<string, unknown>) => unknown;

const fmt = (v: unknown): string => {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (ArrayBuffer.isView(v) || Array.isArray(v)) {
    const a = Array.from(v as ArrayLike<unknown>);
    return `[${a.slice(0, 6).map(fmt).join(', ')}${a.length > 6 ? `, ... (${a.length})` : ''}]`;
  }
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
};

const isNumArray = (v: unknown): v is ArrayLike<number> =>
  v instanceof Float64Array || (Array.isArray(v) && v.every((x) => typeof x === 'number'));

/** Present capabilities of the subject among the federated ones, in report order. */
export function presentCapabilities(subject: Subject): FederatedCapability[] {
  return FEDERATED_CAPABILITIES.filter((n) => typeof subject[n] === 'function');
}

/**
 * Slack for |trace.loss - F(w)|: k = 8 (d + N + 4) roundings of the residual terms, against the scale
 * mean_i (sum_j |x_ij w_j| + |y_i| + 1)^2 (a bound on every term of the squared and logistic losses and their errors).
 */
export function lossTolerance(problem: FederatedDataset, w: ArrayLike<number>): number {
  let N = 0;
  let scale = 0;
  const d = problem.d;
  for (const nd of problem.nodes) {
    for (let i = 0; i < nd.X.rows; i++) {
      let a = Math.abs(nd.y[i]) + 1;
      for (let j = 0; j < d; j++) a += Math.abs(nd.X.data[i * d + j] * w[j]);
      scale += a * a;
    }
    N += nd.X.rows;
  }
  return 8 * (d + N + 4) * EPS * (N > 0 ? scale / N : 1);
}

export interface TraceExpectation {
  readonly problem: FederatedDataset;
  readonly loss: ConformanceCase['loss'];
  readonly w0: Vec;
  readonly lastRound?: number;
  /** the record form asked for (default 'all') */
  readonly record?: RecordSpec;
}

/** The rounds a run that ends at lastRound records under `record` (src/optimizers/fold.ts recordPredicate). */
export function expectedRounds(record: RecordSpec | undefined, lastRound: number): number[] {
  const wanted = recordPredicate('expectedRounds', record);
  const out: number[] = [];
  for (let r = 0; r <= lastRound; r++) if (wanted(r, r === lastRound)) out.push(r);
  return out;
}

/** Every breach of the trace contract by `trace` (one line each, prefixed with the capability); [] when it conforms. */
export function traceProblems(name: string, trace: unknown, e: TraceExpectation): string[] {
  const out: string[] = [];
  const bad = (m: string) => out.push(`${name}: ${m}`);
  if (typeof trace !== 'object' || trace === null) return [`${name}: returned ${fmt(trace)}, not a Trace object`];
  const t = trace as Record<string, unknown>;
  for (const k of ['rounds', 'models', 'loss', 'communications']) if (!Array.isArray(t[k])) bad(`trace.${k} is ${fmt(t[k])}, not an array`);
  if (out.length > 0) return out;
  const rounds = t.rounds as unknown[];
  const models = t.models as unknown[];
  const loss = t.loss as unknown[];
  const comms = t.communications as unknown[];
  const n = rounds.length;
  if (n === 0) return [`${name}: the trace records no round (every record form records at least the last one)`];
  for (const [k, v] of [['models', models], ['loss', loss], ['communications', comms], ['localSteps', t.localSteps]] as const) {
    if (v === undefined && k === 'localSteps') continue;
    if (!Array.isArray(v)) bad(`trace.${k} is ${fmt(v)}, not an array`);
    else if (v.length !== n) bad(`trace.${k} has ${v.length} entries but trace.rounds has ${n}`);
  }
  if (out.length > 0) return out;
  if (typeof t.algorithm !== 'string' || t.algorithm === '') bad(`trace.algorithm must be a non-empty string, got ${fmt(t.algorithm)}`);
  rounds.forEach((r, i) => {
    if (!(typeof r === 'number' && Number.isInteger(r) && r >= 0)) bad(`trace.rounds[${i}] = ${fmt(r)} is not an integer >= 0`);
    else if (i === 0 && r !== 0 && (e.record === undefined || e.record === 'all')) bad(`trace.rounds[0] = ${r}, expected 0 (the initial model)`);
    else if (i > 0 && !(r > (rounds[i - 1] as number))) bad(`trace.rounds is not strictly increasing: ${fmt(rounds[i - 1])} then ${r} at index ${i}`);
  });
  if (e.lastRound !== undefined && out.length === 0) {
    const want = expectedRounds(e.record, e.lastRound);
    if (want.length !== n || want.some((r, i) => r !== rounds[i])) {
      bad(`record ${JSON.stringify(e.record ?? 'all')} must give rounds ${fmt(want)}, got ${fmt(rounds)}`);
    }
  }
  const d = e.problem.d;
  models.forEach((w, i) => {
    if (out.length > 3) return;
    if (!isNumArray(w)) bad(`trace.models[${i}] is ${fmt(w)}, not a vector of numbers`);
    else if (w.length !== d) bad(`trace.models[${i}] has ${w.length} entries, expected d = ${d}`);
    else {
      const j = Array.from(w).findIndex((v) => !Number.isFinite(v));
      if (j >= 0) bad(`trace.models[${i}][${j}] = ${fmt(w[j])} is not finite (round ${fmt(rounds[i])})`);
    }
  });
  const w0 = models[0];
  if (out.length === 0 && rounds[0] === 0 && isNumArray(w0)) {
    const j = Array.from(w0).findIndex((v, i) => !Object.is(v, e.w0[i]));
    if (j >= 0) bad(`round 0 must be w0 bit for bit: models[0][${j}] = ${fmt(w0[j])} but w0[${j}] = ${fmt(e.w0[j])}`);
  }
  loss.forEach((f, i) => {
    if (out.length > 3) return;
    if (typeof f !== 'number' || !Number.isFinite(f)) {
      bad(`trace.loss[${i}] = ${fmt(f)} is not a finite number`);
      return;
    }
    const w = models[i];
    if (!isNumArray(w) || w.length !== d || !Array.from(w).every(Number.isFinite)) return;
    const ref = datasetLoss(e.problem, e.loss, Float64Array.from(w));
    const tol = lossTolerance(e.problem, w);
    if (!(Math.abs(f - ref) <= tol)) {
      bad(`trace.loss[${i}] = ${f} but F(models[${i}]) with weights n_k/N is ${ref} (|diff| ${Math.abs(f - ref).toPrecision(3)} > ${tol.toPrecision(3)})`);
    }
  });
  comms.forEach((c, i) => {
    if (!(typeof c === 'number' && Number.isInteger(c) && c >= 0)) bad(`trace.communications[${i}] = ${fmt(c)} is not an integer >= 0`);
    else if (i === 0 && c !== 0 && rounds[0] === 0) bad(`trace.communications[0] = ${c}, expected 0 before any round`);
    else if (i > 0 && c < (comms[i - 1] as number)) bad(`trace.communications decreases: ${fmt(comms[i - 1])} then ${c} at index ${i}`);
  });
  if (Array.isArray(t.localSteps)) {
    (t.localSteps as unknown[]).forEach((s, i, a) => {
      if (!(typeof s === 'number' && Number.isFinite(s) && s >= 0)) bad(`trace.localSteps[${i}] = ${fmt(s)} is not a finite number >= 0`);
      else if (i > 0 && s < (a[i - 1] as number)) bad(`trace.localSteps decreases: ${fmt(a[i - 1])} then ${s} at index ${i}`);
    });
  }
  return out.slice(0, 4);
}

/** A snapshot of everything a run must leave untouched (w0 and the problem's data). */
function snapshot(c: ConformanceCase): Float64Array {
  const parts: number[] = Array.from(c.w0);
  for (const nd of c.problem.nodes) parts.push(nd.X.rows, ...nd.X.data, ...nd.y);
  return Float64Array.from(parts);
}

function mutated(before: Float64Array, c: ConformanceCase): boolean {
  const after = snapshot(c);
  return after.length !== before.length || after.some((v, i) => !Object.is(v, before[i]));
}

/**
 * C-1: run every present capability on c and check its trace. Returns the capabilities checked; throws one line
 * (the first breaches, capability first) when a trace breaks the contract or an input was mutated.
 */
export function checkTraceContract(subject: Subject, c: ConformanceCase): string[] {
  const checked: string[] = [];
  for (const name of presentCapabilities(subject)) {
    const call = callFor(name, c);
    if (call === null) continue;
    const before = snapshot(c);
    const trace = (subject[name] as RunAny)(c.problem, call.hyper);
    const problems = traceProblems(name, trace, { problem: c.problem, loss: c.loss, w0: c.w0, lastRound: call.lastRound, record: c.record });
    if (mutated(before, c)) problems.unshift(`${name}: the run mutated its inputs (w0 or the problem's data)`);
    if (problems.length > 0) throw new Error(`trace contract broken: ${problems.join('; ')}`);
    checked.push(name);
  }
  return checked;
}

/**
 * C-2: every present capability must refuse a zero total weight with a one-line Error. Returns the capabilities
 * checked; throws one line naming the first that returned (with what it returned) or threw something else.
 */
export function checkZeroWeightRefused(subject: Subject, c: ConformanceCase & { readonly mode: string }): string[] {
  const checked: string[] = [];
  const what = c.alpha === undefined ? `every node (${c.problem.nodes.length}) reports 0 samples` : `the aggregation weights are all 0 (${fmt(c.alpha)})`;
  for (const name of presentCapabilities(subject)) {
    const call = callFor(name, c);
    if (call === null) continue;
    let result: unknown;
    try {
      result = (subject[name] as RunAny)(c.problem, call.hyper);
    } catch (e) {
      if (!(e instanceof Error)) throw new Error(`bad-input contract broken: ${name} threw a non-Error (${fmt(e)}) when ${what}; expected a one-line Error`);
      if (e.message.trim() === '' || e.message.includes('\n')) {
        throw new Error(`bad-input contract broken: ${name} threw an Error with ${e.message.trim() === '' ? 'an empty' : 'a multi-line'} message when ${what}; expected one line naming the rule and the values`);
      }
      checked.push(name);
      continue;
    }
    const r = result as { models?: unknown[]; loss?: unknown[] } | null;
    const last = Array.isArray(r?.models) ? r!.models[r!.models.length - 1] : undefined;
    const loss = Array.isArray(r?.loss) ? r!.loss[r!.loss.length - 1] : undefined;
    throw new Error(`bad-input contract broken: ${name} returned a result (final model ${fmt(last)}, loss ${fmt(loss)}) when ${what}; expected a one-line Error (a zero total weight must not become a NaN model)`);
  }
  return checked;
}

/**
 * C-3: max_j |w_j - w*_j| of the last model of every capability, in FEDERATED_CAPABILITIES order (0 for a capability
 * the subject lacks), on a case whose w0 is a common stationary point w*.
 */
export function stationaryDrift(subject: Subject, c: ConformanceCase & { readonly wStar: Vec }): Float64Array {
  const out = new Float64Array(FEDERATED_CAPABILITIES.length);
  FEDERATED_CAPABILITIES.forEach((name, i) => {
    if (typeof subject[name] !== 'function') return;
    const call = callFor(name, c)!;
    const trace = (subject[name] as RunAny)(c.problem, call.hyper) as { models?: unknown[] } | null;
    const models = trace?.models;
    const w = Array.isArray(models) ? models[models.length - 1] : undefined;
    if (!isNumArray(w) || w.length !== c.wStar.length) throw new Error(`${name}: the trace has no final model of length d = ${c.wStar.length} (got ${fmt(w)})`);
    let m = 0;
    for (let j = 0; j < w.length; j++) m = Math.max(m, Math.abs(w[j] - c.wStar[j]));
    out[i] = Number.isNaN(m) ? Number.NaN : m;
  });
  return out;
}

/** C-3 slack: 4 (K + 2) R eps ||w*||_inf (see properties/conformance/stationary.fixed-point.prop.ts). */
export function stationaryTolerance(c: ConformanceCase & { readonly wStar: Vec }): number {
  let s = 0;
  for (const v of c.wStar) s = Math.max(s, Math.abs(v));
  return 4 * (c.problem.nodes.length + 2) * Math.max(1, c.R) * EPS * s;
}
