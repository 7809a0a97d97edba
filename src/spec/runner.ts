/**
 * checkTheorem: run a theorem on a subject with fast-check (fc.check, never fc.assert), so a failure comes
 * back as data: shrunk, with the seed and path that replay it. The comparison is chosen from `kind`.
 */
import fc from 'fast-check';
import { checkFrequency } from './runFrequency.ts';
import { countingRejections, totalRejections, type RejectionCounts } from './rejections.ts';
import { checkHypotheses, errorLine, evaluate, type Outcome } from './evaluate.ts';
import { PlotCollector, type PlotEvidence } from './plot.ts';
import type { AnyTheorem, ComparisonSpec, MonotoneSpec, Precision, ProfileName, RunContext, Subject, Value } from './types.ts';
import type { HypothesisCheck, Interrupted, Verdict, WorstCase } from './verdict.ts';

/**
 * Total time per theorem when the caller does not say: none. A verdict must not depend on the machine's speed, so a
 * theorem runs all its cases (a hang is caught by the subject's per-call timeout); a wall-clock budget is an explicit
 * choice (`--budget-ms`), and a theorem it cuts short is reported as interrupted, not as holding.
 */
export const DEFAULT_TIME_BUDGET_MS: Readonly<Record<ProfileName, number>> = Object.freeze({ ci: Infinity, default: Infinity, hunt: Infinity });

/**
 * Most shrink candidates evaluated after the first failure. Shrinking is bounded by this count, never by time, so the
 * reported counterexample is the same on any machine; when the cap stops it, the report says so and the replay
 * command carries --no-shrink, which replays exactly the reported case.
 */
export const MAX_SHRINK_CANDIDATES: Readonly<Record<ProfileName, number>> = Object.freeze({ ci: 300, default: 1000, hunt: 10_000 });

export interface ReplayInfo {
  readonly id: string;
  readonly seed: number;
  /** absent for frequency claims */
  readonly path?: string;
  readonly profile: ProfileName;
  /** the replay must not shrink further (shrinking was cut short, or was off) */
  readonly noShrink?: boolean;
}

export interface CheckOptions {
  readonly subject: Subject;
  readonly seed: number;
  readonly profile?: ProfileName;
  /** overrides the spec's runs for the profile */
  readonly numRuns?: number;
  /** fast-check path: replay one counterexample */
  readonly path?: string;
  /** total wall time for this theorem (fast-check interruptAfterTimeLimit); default by profile */
  readonly timeBudgetMs?: number;
  /** per instance; asynchronous subjects are cut off, synchronous ones are judged after they return */
  readonly runTimeoutMs?: number;
  /** whose random draws the subject uses (RunContext.sampler); default 'gate' */
  readonly sampler?: 'gate' | 'own';
  /** builds the replay command; default `replayCommand` */
  readonly replayCommand?: (r: ReplayInfo) => string;
  /**
   * false: stop at the first failure without shrinking (fast mutation runs); default true. Replaying such a
   * path without `shrink: false` resumes shrinking from the recorded instance.
   */
  readonly shrink?: boolean;
  /** most shrink candidates evaluated after the first failure (default MAX_SHRINK_CANDIDATES[profile]) */
  readonly maxShrinkCandidates?: number;
  /**
   * the subject's arithmetic (default 'f64'). A theorem that does not list it in `precisions` is reported
   * interrupted / not-applicable ("not applicable at f32: <whyNotF32>"); the others see it as ctx.precision.
   */
  readonly precision?: Precision;
  /** called after each evaluated instance (comparison and monotone theorems; frequency claims report none) */
  readonly onCase?: (e: CaseEvent) => void;
}

/** One evaluated instance, as `onCase` sees it (the instance itself is not carried: it can be large). */
export interface CaseEvent {
  /** 0-based, in evaluation order */
  readonly index: number;
  /** 'shrink' once an instance has failed: the candidates fast-check tries while shrinking */
  readonly phase: 'run' | 'shrink';
  readonly outcome: Outcome['type'];
  readonly used?: number;
  readonly difference?: number;
  readonly allowed?: number;
  readonly reason?: string;
  readonly elapsedMs: number;
}

function caseEvent(index: number, phase: CaseEvent['phase'], out: Outcome, elapsedMs: number): CaseEvent {
  const base = { index, phase, outcome: out.type, elapsedMs };
  switch (out.type) {
    case 'pass': return { ...base, used: out.cmp.used, difference: out.cmp.difference, allowed: out.cmp.allowed };
    case 'vacuous': return { ...base, reason: out.reason };
    case 'violation': return { ...base, reason: out.message, ...(out.cmp ? { used: out.cmp.used, difference: out.cmp.difference, allowed: out.cmp.allowed } : {}) };
    case 'hypothesis': return { ...base, reason: `${out.name}: ${out.reason}` };
    case 'spec-error': return { ...base, reason: out.message };
    case 'run-timeout': return { ...base, reason: `exceeded ${out.ms} ms` };
    case 'subject-failure': return { ...base, reason: out.message };
  }
}

/** Why a theorem is not checked at a precision, or null when it is. */
export function precisionMismatch(theorem: AnyTheorem, precision: Precision): string | null {
  const supported = theorem.precisions ?? ['f64'];
  if (supported.includes(precision)) return null;
  const why = precision === 'f32' ? (theorem.whyNotF32 ?? 'its tolerance is derived for f64 arithmetic only') : `it supports ${supported.join(', ')} only`;
  return `not applicable at ${precision}: ${why}`;
}

/** `LSGD_SEED=<seed> npx lsgd-spec check --id <id> --seed <seed> --path <path>` (plus --profile when not default). */
export function replayCommand(r: ReplayInfo): string {
  const path = r.path ? ` --path ${r.path}` : '';
  const profile = r.profile === 'default' ? '' : ` --profile ${r.profile}`;
  return `LSGD_SEED=${r.seed} npx lsgd-spec check --id ${r.id} --seed ${r.seed}${path}${profile}${r.noShrink ? ' --no-shrink' : ''}`;
}

class OutcomeFailure extends Error {
  constructor(readonly outcome: Outcome) {
    super(`lsgd-spec outcome ${outcome.type}`);
  }
}

export async function checkTheorem<I>(theorem: AnyTheorem<I>, opts: CheckOptions): Promise<Verdict> {
  const t0 = performance.now();
  const profile = opts.profile ?? 'default';
  const base0 = { id: theorem.id, title: theorem.title, kind: theorem.kind, seed: opts.seed, profile };
  let base: typeof base0 & { plot?: PlotEvidence } = base0;
  const elapsed = () => performance.now() - t0;
  const missing = theorem.requires.filter((k) => opts.subject[k] === undefined);
  if (missing.length > 0) {
    return { ...base, status: 'interrupted', cause: 'not-applicable', reason: `not applicable: subject lacks ${missing.join(', ')}`, runs: 0, elapsedMs: elapsed() };
  }
  const sampler = opts.sampler ?? 'gate';
  if (theorem.sampler !== undefined && theorem.sampler !== sampler) {
    const reason = theorem.sampler === 'gate'
      ? 'not applicable: the claim compares runs on the gate\'s random draws, and the subject declared its own sampler'
      : 'not applicable: this checks a subject\'s own sampler, and the subject uses the gate\'s random draws';
    return { ...base, status: 'interrupted', cause: 'not-applicable', reason, runs: 0, elapsedMs: elapsed() };
  }
  if (theorem.requiresAny !== undefined && !theorem.requiresAny.some((k) => typeof opts.subject[k] === 'function')) {
    return { ...base, status: 'interrupted', cause: 'not-applicable', reason: `not applicable: subject offers none of ${theorem.requiresAny.join(', ')}`, runs: 0, elapsedMs: elapsed() };
  }
  const precision = opts.precision ?? 'f64';
  const mismatch = precisionMismatch(theorem, precision);
  if (mismatch !== null) return { ...base, status: 'interrupted', cause: 'not-applicable', reason: mismatch, runs: 0, elapsedMs: elapsed() };
  if (!(Number.isInteger(opts.seed) && opts.seed >= -0x80000000 && opts.seed <= 0x7fffffff)) {
    throw new Error(`checkTheorem(${theorem.id}): seed must be a 32-bit signed integer, got ${opts.seed}`);
  }
  if (theorem.runsPerProfile[profile] === undefined) throw new Error(`checkTheorem(${theorem.id}): unknown profile '${profile}'`);
  const numRuns = opts.numRuns ?? theorem.runsPerProfile[profile];
  if (!(Number.isInteger(numRuns) && numRuns >= 1)) throw new Error(`checkTheorem(${theorem.id}): numRuns must be a positive integer, got ${numRuns}`);
  const budget = opts.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS[profile];
  const command = opts.replayCommand ?? replayCommand;
  const ctx: RunContext = { profile, sampler, precision };
  if (theorem.kind === 'frequency') {
    return checkFrequency(theorem as AnyTheorem<I> & { kind: 'frequency' }, { subject: opts.subject, seed: opts.seed, ctx, budget, runTimeoutMs: opts.runTimeoutMs, command, base, t0 });
  }

  let vacuousRuns = 0;
  const vacuousReasons: string[] = [];
  let worst: WorstCase | undefined;
  let caseIndex = 0;
  let stop = false; // after a run timeout or a subject failure: do not shrink (every candidate would fail again)
  let failed = false; // plot cases come from the runs before the first failure, not from shrinking
  const plots = new PlotCollector<I, Value>((theorem as unknown as ComparisonSpec<I, Value>).plot);
  let shrinkCandidates = 0;
  let shrinkCapped = false;
  const maxShrink = opts.maxShrinkCandidates ?? MAX_SHRINK_CANDIDATES[profile];
  const property = fc.asyncProperty(theorem.instances, async (instance) => {
    if (stop) return true;
    if (failed) {
      // a shrink candidate: past the cap, report every further one as passing so fast-check keeps the last failure
      if (shrinkCandidates >= maxShrink) {
        shrinkCapped = true;
        return true;
      }
      shrinkCandidates++;
    }
    const sink = failed ? undefined : plots.keeper();
    const tCase = performance.now();
    const out = await evaluate(theorem, instance, opts.subject, sink ? { ...ctx, keep: sink.keep } : ctx, opts.runTimeoutMs);
    opts.onCase?.(caseEvent(caseIndex++, failed ? 'shrink' : 'run', out, performance.now() - tCase));
    if (out.type === 'pass') {
      if (sink) plots.offer(instance, out.observed, theorem.kind === 'monotone' ? undefined : out.bound, sink.kept);
      if (worst === undefined || out.cmp.used > worst.used) {
        worst = { used: out.cmp.used, difference: out.cmp.difference, allowed: out.cmp.allowed, observed: out.observed, bound: out.bound, index: out.cmp.index, instance };
      }
      return true;
    }
    if (out.type === 'vacuous') {
      vacuousRuns++;
      if (vacuousReasons.length < 3 && !vacuousReasons.includes(out.reason)) vacuousReasons.push(out.reason);
      return true;
    }
    if (out.type === 'run-timeout' || out.type === 'subject-failure') stop = true;
    failed = true;
    throw new OutcomeFailure(out);
  });

  let r: fc.RunDetails<[I]>;
  let rejections: RejectionCounts;
  try {
    ({ result: r, rejections } = await countingRejections(() => fc.check(property, {
      seed: opts.seed, numRuns, path: opts.path, markInterruptAsFailure: false,
      ...(Number.isFinite(budget) ? { interruptAfterTimeLimit: budget } : {}),
      endOnFailure: opts.shrink === false,
    })));
  } catch (e) {
    return { ...base, status: 'interrupted', cause: 'spec-error', reason: `fast-check could not run the property: ${errorLine(e)}`, runs: 0, elapsedMs: elapsed() };
  }

  if (r.failed) {
    const instance = (r.counterexample as [I])[0];
    const err0 = r.errorInstance;
    if (err0 instanceof OutcomeFailure && err0.outcome.type === 'violation' && err0.outcome.cmp !== undefined) {
      const o = err0.outcome;
      plots.offerCounterexample(instance, o.observed as Value, theorem.kind === 'monotone' ? undefined : (o.bound as Value));
    }
  }
  const plot = plots.evidence();
  if (plot) base = { ...base0, plot };
  if (r.failed) {
    const instance = (r.counterexample as [I])[0];
    const path = r.counterexamplePath ?? '';
    // the shrink stopped early (count cap or --budget-ms): the replay must reproduce this case, not shrink on
    const cut = shrinkCapped || r.interrupted;
    const cmd = command({ id: theorem.id, seed: opts.seed, path, profile, noShrink: cut || opts.shrink === false });
    const shrinkNote = cut ? ` (shrinking stopped after ${shrinkCandidates} candidates${shrinkCapped ? `: the cap of ${maxShrink}` : ': the time budget'}; the replay command reproduces this case)` : '';
    const err = r.errorInstance;
    if (!(err instanceof OutcomeFailure)) {
      return { ...base, status: 'interrupted', cause: 'spec-error', reason: `property failed outside the runner: ${errorLine(err)}`, runs: r.numRuns, counterexample: instance, path, command: cmd, elapsedMs: elapsed() };
    }
    const out = err.outcome;
    const extra = { runs: r.numRuns, counterexample: instance, path, command: cmd, elapsedMs: elapsed(), ...(cut ? { shrinkTruncated: true } : {}) };
    if (out.type === 'hypothesis') {
      return { ...base, status: 'interrupted', cause: 'hypothesis', reason: `hypothesis failed on generated instance: ${out.name}: ${out.reason}`, ...extra };
    }
    if (out.type === 'spec-error') return { ...base, status: 'interrupted', cause: 'spec-error', reason: `spec error: ${out.message}`, ...extra };
    if (out.type === 'run-timeout') return { ...base, status: 'interrupted', cause: 'run-timeout', reason: `a run exceeded the per-run budget of ${out.ms} ms`, ...extra };
    if (out.type === 'subject-failure') {
      return {
        ...base, status: 'violated', observed: undefined, bound: undefined, message: `subject failed (not shrunk: the failure is the subject's, not the instance's): ${out.message}`,
        hypothesisReport: hypothesisReport(theorem, instance), shrinks: r.numShrinks, ...extra,
      };
    }
    if (out.type !== 'violation') throw new Error(`checkTheorem(${theorem.id}): unexpected failure outcome ${out.type}`);
    const tol = out.tol;
    // difference and tolerance exist only when the comparison ran (not when the subject threw or returned NaN)
    return {
      ...base,
      status: 'violated',
      path,
      command: cmd,
      counterexample: instance,
      observed: out.observed,
      bound: out.bound,
      difference: out.cmp?.difference,
      index: out.cmp?.index,
      tolerance: out.cmp && tol ? { rel: tol.rel, abs: tol.abs, allowed: out.cmp.allowed, why: tol.why } : undefined,
      message: out.message + shrinkNote,
      hypothesisReport: hypothesisReport(theorem, instance),
      runs: r.numRuns,
      shrinks: r.numShrinks,
      elapsedMs: elapsed(),
      ...(cut ? { shrinkTruncated: true } : {}),
    };
  }

  if (r.interrupted) {
    const v: Interrupted = {
      ...base, status: 'interrupted', cause: 'time-budget',
      reason: `time budget of ${budget} ms exhausted after ${r.numRuns} of ${numRuns} runs`, runs: r.numRuns, elapsedMs: elapsed(),
    };
    return v;
  }

  const spec = theorem as unknown as ComparisonSpec<I, Value> | MonotoneSpec<I>;
  const runs = r.numRuns;
  const rejected = totalRejections(rejections);
  const rejectedPart = rejected > 0 ? { rejectedDraws: rejected, rejectionReasons: rejections } : {};
  const nonVacuousRuns = runs - vacuousRuns;
  const need = Math.max(1, Math.ceil((spec.minNonVacuousFraction ?? 0.5) * runs));
  if (nonVacuousRuns < need) {
    return {
      ...base, status: 'vacuous', runs, vacuousRuns, ...rejectedPart, elapsedMs: elapsed(),
      reason: `only ${nonVacuousRuns} of ${runs} runs exercised the claim (need ${need}); e.g. ${vacuousReasons.join('; ')}`,
    };
  }
  return { ...base, status: 'holds', runs, elapsedMs: elapsed(), evidence: { worst, nonVacuousRuns, vacuousRuns, ...rejectedPart } };
}

function hypothesisReport<I>(theorem: AnyTheorem<I>, instance: I): HypothesisCheck[] {
  const hs = checkHypotheses(theorem, instance);
  return Array.isArray(hs) ? hs : [{ name: '(checker)', holds: false, reason: hs.specError }];
}
