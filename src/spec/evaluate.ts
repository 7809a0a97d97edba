/**
 * One instance, one outcome: check the hypotheses, observe the subject, compute the bound and the
 * tolerance, skip vacuous instances, compare by kind. Never throws: every failure becomes an Outcome that
 * says whose fault it is (the subject: violation; the generator: hypothesis; the spec: spec-error).
 */
import { compareMonotone, compareValues, shapeProblem, valueProblem, type Comparison } from './compare.ts';
import { toleranceProblem } from './defineTheorem.ts';
import type { AnyTheorem, ComparisonSpec, MonotoneSpec, RunContext, Subject, ToleranceSpec, Value } from './types.ts';
import type { HypothesisCheck } from './verdict.ts';
import { isSubjectFailure } from './subjectFailure.ts';

export type Outcome =
  | { readonly type: 'pass'; readonly cmp: Comparison; readonly observed: Value; readonly bound: Value; readonly tol: ToleranceSpec }
  | { readonly type: 'vacuous'; readonly reason: string }
  | {
    readonly type: 'violation';
    readonly message: string;
    readonly observed?: unknown;
    readonly bound?: unknown;
    readonly cmp?: Comparison;
    readonly tol?: ToleranceSpec;
  }
  | { readonly type: 'hypothesis'; readonly name: string; readonly reason: string }
  | { readonly type: 'spec-error'; readonly message: string }
  | { readonly type: 'run-timeout'; readonly ms: number }
  | { readonly type: 'subject-failure'; readonly message: string };

/** First line of an error's message (or of String(e) for non-Errors). */
export function errorLine(e: unknown): string {
  const m = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  return m.split('\n')[0];
}

class RunTimeout extends Error {
  constructor(readonly ms: number) {
    super(`run exceeded ${ms} ms`);
  }
}

/**
 * Call f, failing with RunTimeout after `ms` when f is asynchronous; a synchronous f cannot be preempted,
 * so its elapsed time is checked after it returns.
 */
export async function callWithTimeout<T>(f: () => T | Promise<T>, ms: number | undefined): Promise<T> {
  const t0 = performance.now();
  const p = Promise.resolve().then(f);
  if (ms === undefined || !Number.isFinite(ms)) return p;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RunTimeout(ms)), ms);
  });
  try {
    const v = await Promise.race([p, timeout]);
    if (performance.now() - t0 > ms) throw new RunTimeout(ms);
    return v;
  } finally {
    clearTimeout(timer);
  }
}

export function isRunTimeout(e: unknown): e is RunTimeout {
  return e instanceof RunTimeout;
}

/** Every hypothesis on the instance; a checker that throws or returns neither true nor a string is a spec error. */
export function checkHypotheses<I>(theorem: AnyTheorem<I>, instance: I): HypothesisCheck[] | { specError: string } {
  const out: HypothesisCheck[] = [];
  for (const h of theorem.hypotheses) {
    let r: unknown;
    try {
      r = h.check(instance);
    } catch (e) {
      return { specError: `hypothesis '${h.name}' threw: ${errorLine(e)}` };
    }
    if (r === true) out.push({ name: h.name, holds: true });
    else if (typeof r === 'string') out.push({ name: h.name, holds: false, reason: r });
    else return { specError: `hypothesis '${h.name}' returned ${String(r)}, expected true or a reason string` };
  }
  return out;
}

function hypothesisOutcome<I>(theorem: AnyTheorem<I>, instance: I): Outcome | null {
  const hs = checkHypotheses(theorem, instance);
  if (!Array.isArray(hs)) return { type: 'spec-error', message: hs.specError };
  const bad = hs.find((h) => !h.holds);
  return bad ? { type: 'hypothesis', name: bad.name, reason: bad.reason ?? '' } : null;
}

/** Evaluate a comparison or monotone theorem on one instance. */
export async function evaluate<I>(
  theorem: AnyTheorem<I>, instance: I, subject: Subject, ctx: RunContext, runTimeoutMs: number | undefined,
): Promise<Outcome> {
  const hyp = hypothesisOutcome(theorem, instance);
  if (hyp) return hyp;
  const spec = theorem as unknown as ComparisonSpec<I, Value> | MonotoneSpec<I>;

  let observed: unknown;
  try {
    observed = await callWithTimeout(() => spec.observe(instance, subject, ctx), runTimeoutMs);
  } catch (e) {
    if (isRunTimeout(e)) return { type: 'run-timeout', ms: e.ms };
    if (isSubjectFailure(e)) return { type: 'subject-failure', message: e.message };
    return { type: 'violation', message: `subject threw: ${errorLine(e)}` };
  }
  const vp = valueProblem(observed, 'observed');
  if (vp) return { type: 'violation', message: `subject returned an invalid value: ${vp}`, observed };

  let bound: Value | undefined;
  if (spec.kind !== 'monotone') {
    try {
      bound = spec.bound(instance, ctx);
    } catch (e) {
      return { type: 'spec-error', message: `bound threw: ${errorLine(e)}` };
    }
    const bp = valueProblem(bound, 'bound');
    if (bp) return { type: 'spec-error', message: `bound is invalid: ${bp}` };
    const sp = shapeProblem(observed as Value, bound);
    if (sp) return { type: 'violation', message: `shape mismatch: ${sp}`, observed, bound };
  } else if (typeof observed === 'number' || (observed as ArrayLike<number>).length < 2) {
    return { type: 'violation', message: `a monotone claim needs a sequence of at least 2 values, got ${typeof observed === 'number' ? 'a number' : `${(observed as ArrayLike<number>).length} value`}`, observed };
  }

  if (spec.nonVacuous) {
    let nv: unknown;
    try {
      nv = (spec.nonVacuous as (i: I, o: unknown) => unknown)(instance, observed);
    } catch (e) {
      return { type: 'spec-error', message: `nonVacuous threw: ${errorLine(e)}` };
    }
    if (typeof nv === 'string') return { type: 'vacuous', reason: nv };
    if (nv !== true) return { type: 'spec-error', message: `nonVacuous returned ${String(nv)}, expected true or a reason string` };
  }

  let tol: ToleranceSpec;
  try {
    tol = typeof spec.tolerance === 'function'
      ? (spec.tolerance as (i: I, o: unknown, b: unknown, c: RunContext) => ToleranceSpec)(instance, observed, bound, ctx)
      : spec.tolerance;
  } catch (e) {
    return { type: 'spec-error', message: `tolerance threw: ${errorLine(e)}` };
  }
  const tp = toleranceProblem(tol);
  if (tp) return { type: 'spec-error', message: `tolerance ${tp}` };

  const cmp = spec.kind === 'monotone'
    ? compareMonotone(spec.direction, observed as ArrayLike<number>, tol)
    : compareValues(spec.kind, observed as Value, bound as Value, tol);
  const o = observed as Value;
  const b = (bound ?? observed) as Value;
  if (cmp.ok) return { type: 'pass', cmp, observed: o, bound: b, tol };
  return { type: 'violation', message: comparisonMessage(spec.kind, cmp, spec.kind === 'monotone' ? spec.direction : undefined), observed: o, bound: bound ?? undefined, cmp, tol };
}

function comparisonMessage(kind: string, c: Comparison, direction?: string): string {
  const at = c.index === undefined ? '' : ` at index ${c.index}`;
  const g = (x: number) => x.toPrecision(3); // differences and slack; the compared values print in full
  if (kind === 'monotone') {
    return `sequence is not ${direction}${at}: ${c.boundAt} -> ${c.observedAt}, step ${g(c.difference)} > allowed ${g(c.allowed)}`;
  }
  if (kind === 'upper-bound') return `observed exceeds the bound${at}: ${c.observedAt} > ${c.boundAt} + ${g(c.allowed)}`;
  return `observed differs from the bound${at}: |${c.observedAt} - ${c.boundAt}| = ${g(c.difference)} > allowed ${g(c.allowed)}`;
}
