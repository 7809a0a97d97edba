/**
 * One hunt case, in a worker or in process: rebuild the instance from the case's stream (and the tape it replays),
 * evaluate it exactly as `check` does (src/spec/evaluate.ts), and return a CaseResult. Never throws: a generator
 * that throws is a spec error of the case.
 */
import fc from 'fast-check';
import { callWithTimeout, checkHypotheses, errorLine, evaluate } from '../spec/evaluate.ts';
import type { AnyTheorem, FrequencySpec, RunContext, Subject } from '../spec/types.ts';
import { closenessOf } from './closeness.ts';
import { generateFromTape } from './tape.ts';
import type { CaseResult, CaseSpec, CaseTask } from './types.ts';

const HYPER_ARRAY_MAX = 16;

/**
 * The instance's hyperparameters, as far as they can be told apart from its data: the top-level fields that are
 * numbers, strings, booleans or short number arrays (L per node, weights, eta, rounds), never `dataset` or `meta`.
 */
export function hyperparametersOf(instance: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof instance !== 'object' || instance === null || Array.isArray(instance)) return out;
  for (const [k, v] of Object.entries(instance)) {
    if (k === 'dataset' || k === 'meta') continue;
    if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string' || typeof v === 'boolean') out[k] = v;
    else if ((Array.isArray(v) || v instanceof Float64Array) && v.length <= HYPER_ARRAY_MAX && Array.from(v as ArrayLike<unknown>).every((x) => typeof x === 'number' && Number.isFinite(x))) {
      out[k] = Array.from(v as ArrayLike<number>);
    }
  }
  return out;
}

/** JSON-safe copy of an observed or bound value (numbers and vectors; anything else as its string). */
function plain(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (Array.isArray(v) || v instanceof Float64Array) return Array.from(v as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : String(x)));
  return v === undefined ? undefined : String(v);
}

export async function runCase(theorem: AnyTheorem, subject: Subject, spec: CaseSpec, task: Pick<CaseTask, 'profile' | 'runTimeoutMs' | 'keepAbove' | 'sampler'>): Promise<CaseResult> {
  const t0 = performance.now();
  const base = { j: spec.j, origin: spec.origin, bias: spec.bias };
  const ms = () => performance.now() - t0;
  let gen;
  try {
    gen = generateFromTape(theorem.instances, { k0: spec.k0, k1: spec.k1, j: spec.j }, spec.bias, spec.given ?? []);
  } catch (e) {
    return { ...base, status: 'spec-error', message: `the generator threw: ${errorLine(e)}`, ms: ms() };
  }
  const instance = gen.value;
  const ctx: RunContext = { profile: task.profile, sampler: task.sampler ?? 'gate' };
  const keep = (extra: Partial<CaseResult>) => ({ tape: gen.tape, instance: fc.stringify(instance), hyperparameters: hyperparametersOf(instance), ...extra });

  if (theorem.kind === 'frequency') {
    const f = (theorem as unknown as FrequencySpec<unknown>).frequency;
    const hs = checkHypotheses(theorem, instance);
    if (!Array.isArray(hs)) return { ...base, status: 'spec-error', message: hs.specError, ...keep({}), ms: ms() };
    const bad = hs.find((h) => !h.holds);
    if (bad) return { ...base, status: 'hypothesis', message: `hypothesis failed on generated instance: ${bad.name}: ${bad.reason}`, ...keep({}), ms: ms() };
    let ok: unknown;
    try {
      ok = await callWithTimeout(() => f.statistic(instance, subject, ctx), task.runTimeoutMs);
    } catch (e) {
      return { ...base, status: 'violation', message: `subject threw: ${errorLine(e)}`, closeness: Infinity, ...keep({}), ms: ms() };
    }
    if (typeof ok !== 'boolean') return { ...base, status: 'violation', message: `statistic returned ${String(ok)}, expected a boolean`, closeness: Infinity, ...keep({}), ms: ms() };
    return { ...base, status: 'pass', success: ok, ...(ok ? {} : keep({})), ms: ms() };
  }

  const out = await evaluate(theorem, instance, subject, ctx, task.runTimeoutMs);
  const closeness = closenessOf(out);
  switch (out.type) {
    case 'pass':
      return {
        ...base, status: 'pass', closeness, difference: out.cmp.difference, allowed: out.cmp.allowed,
        ...(closeness! > task.keepAbove ? keep({}) : {}), ms: ms(),
      };
    case 'vacuous':
      return { ...base, status: 'vacuous', message: out.reason, ms: ms() };
    case 'violation':
      return {
        ...base, status: 'violation', closeness, difference: out.cmp?.difference, allowed: out.cmp?.allowed, message: out.message,
        ...keep({ observed: plain(out.observed), bound: plain(out.bound) }), ms: ms(),
      };
    case 'hypothesis':
      return { ...base, status: 'hypothesis', message: `hypothesis failed on generated instance: ${out.name}: ${out.reason}`, ...keep({}), ms: ms() };
    case 'spec-error':
      return { ...base, status: 'spec-error', message: `spec error: ${out.message}`, ...keep({}), ms: ms() };
    case 'run-timeout':
      return { ...base, status: 'run-timeout', message: `a run exceeded the per-run budget of ${out.ms} ms`, ...keep({}), ms: ms() };
    case 'subject-failure':
      return { ...base, status: 'subject-failure', message: out.message, ...keep({}), ms: ms() };
  }
}
