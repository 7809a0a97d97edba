/**
 * Frequency claims: evaluate the per-instance success statistic on `samples` instances drawn with the seed
 * (or on the whole population for method 'exact') and decide with a Clopper-Pearson interval, so a true
 * claim is refuted with probability at most 1 - confidence. There is no shrinking: the seed replays the sample.
 */
import fc from 'fast-check';
import { frequencyDecision } from './stats/binomial.ts';
import { frequencyPower, powerPhrase, samplesFor } from './power.ts';
import { countingRejections, totalRejections, type RejectionCounts } from './rejections.ts';
import { callWithTimeout, checkHypotheses, errorLine, isRunTimeout } from './evaluate.ts';
import { PlotCollector } from './plot.ts';
import type { ReplayInfo } from './runner.ts';
import type { AnyTheorem, FrequencySpec, ProfileName, RunContext, Subject } from './types.ts';
import type { FrequencyEvidence, Verdict } from './verdict.ts';
import type { PlotEvidence } from './plot.ts';

export interface FrequencyRun {
  readonly subject: Subject;
  readonly seed: number;
  readonly ctx: RunContext;
  readonly budget: number;
  readonly runTimeoutMs: number | undefined;
  readonly command: (r: ReplayInfo) => string;
  readonly base: { id: string; title: string; kind: 'tight' | 'upper-bound' | 'monotone' | 'equivalence' | 'frequency'; seed: number; profile: ProfileName };
  readonly t0: number;
}

export async function checkFrequency<I>(theorem: AnyTheorem<I> & { kind: 'frequency' }, run: FrequencyRun): Promise<Verdict> {
  const f = (theorem as unknown as FrequencySpec<I>).frequency;
  const claim = f.claim ?? 'at-least';
  const { t0 } = run;
  let base: FrequencyRun['base'] & { plot?: PlotEvidence } = run.base;
  const plots = new PlotCollector<I, boolean>((theorem as unknown as FrequencySpec<I>).plot);
  const elapsed = () => performance.now() - t0;
  const cmd = run.command({ id: theorem.id, seed: run.seed, profile: run.ctx.profile });
  let instances: readonly I[];
  let rejections: RejectionCounts = {};
  try {
    if (f.method === 'exact') instances = f.population!();
    else ({ result: instances, rejections } = await countingRejections(() => fc.sample(theorem.instances, { seed: run.seed, numRuns: samplesFor(f, run.ctx.profile) })));
  } catch (e) {
    return { ...base, status: 'interrupted', cause: 'spec-error', reason: `spec error: could not draw the sample: ${errorLine(e)}`, runs: 0, elapsedMs: elapsed() };
  }
  const n = instances.length;
  if (n === 0) return { ...base, status: 'interrupted', cause: 'spec-error', reason: 'spec error: the population is empty', runs: 0, elapsedMs: elapsed() };

  let successes = 0;
  let firstSuccess: I | undefined;
  let firstFailure: I | undefined;
  for (let i = 0; i < n; i++) {
    const inst = instances[i];
    const hs = checkHypotheses(theorem, inst);
    if (!Array.isArray(hs)) {
      return { ...base, status: 'interrupted', cause: 'spec-error', reason: `spec error: ${hs.specError}`, runs: i, counterexample: inst, command: cmd, elapsedMs: elapsed() };
    }
    const bad = hs.find((h) => !h.holds);
    if (bad) {
      return {
        ...base, status: 'interrupted', cause: 'hypothesis', reason: `hypothesis failed on generated instance: ${bad.name}: ${bad.reason} (sample ${i})`,
        runs: i, counterexample: inst, command: cmd, elapsedMs: elapsed(),
      };
    }
    let ok: unknown;
    try {
      const sink = plots.keeper();
      ok = await callWithTimeout(() => f.statistic(inst, run.subject, sink ? { ...run.ctx, keep: sink.keep } : run.ctx), run.runTimeoutMs);
      if (sink && typeof ok === 'boolean') plots.offer(inst, ok, undefined, sink.kept);
    } catch (e) {
      if (isRunTimeout(e)) {
        return { ...base, status: 'interrupted', cause: 'run-timeout', reason: `sample ${i} exceeded the per-run budget of ${e.ms} ms`, runs: i, counterexample: inst, command: cmd, elapsedMs: elapsed() };
      }
      return violated(`subject threw on sample ${i}: ${errorLine(e)}`, inst, i);
    }
    if (typeof ok !== 'boolean') return violated(`statistic returned ${String(ok)} on sample ${i}, expected a boolean`, inst, i);
    if (ok) {
      successes++;
      firstSuccess ??= inst;
    } else firstFailure ??= inst;
    if (elapsed() > run.budget && i < n - 1) {
      return { ...base, status: 'interrupted', cause: 'time-budget', reason: `time budget of ${run.budget} ms exhausted after ${i + 1} of ${n} samples`, runs: i + 1, elapsedMs: elapsed() };
    }
  }

  const plot = plots.evidence();
  if (plot) base = { ...base, plot };
  const p = successes / n;
  const p0 = f.claimedFrequency;
  let lo = p;
  let hi = p;
  let summary: string;
  let refuted: boolean;
  if (f.method === 'exact') {
    refuted = claim === 'at-least' ? p < p0 : claim === 'at-most' ? p > p0 : p !== p0;
    summary = `${successes}/${n} of the whole population (exact frequency ${p}) ${refuted ? 'contradicts' : 'satisfies'} claim ${claim} ${p0}`;
  } else {
    const d = frequencyDecision(successes, n, { claimed: p0, claim, confidence: f.confidence });
    ({ lo, hi } = d.interval);
    refuted = d.violated;
    summary = d.summary;
  }
  const pw = f.method === 'exact' ? undefined : frequencyPower({ ...f, samples: n }, run.ctx.profile);
  if (f.method !== 'exact') summary = `${summary}; ${powerPhrase(pw)}`;
  const evidence: FrequencyEvidence = {
    successes, n, lo, hi, claimed: p0, claim, summary,
    ...(pw ? { power: pw.power, alternative: pw.alternative } : {}),
  };
  if (!refuted) {
    const rejected = totalRejections(rejections);
    const rejectedPart = rejected > 0 ? { rejectedDraws: rejected, rejectionReasons: rejections } : {};
    return { ...base, status: 'holds', runs: n, elapsedMs: elapsed(), evidence: { frequency: evidence, nonVacuousRuns: n, vacuousRuns: 0, ...rejectedPart } };
  }
  // difference: how far the estimate sits on the wrong side of the claim; allowed: how far the interval reaches
  const below = claim === 'at-least' || (claim === 'equal' && p < p0);
  const difference = below ? p0 - p : p - p0;
  const allowed = below ? hi - p : p - lo;
  const example = below ? firstFailure : firstSuccess;
  return {
    ...base, status: 'violated', path: '', command: cmd, counterexample: example, observed: p, bound: p0, difference,
    tolerance: { allowed, why: summary }, message: `frequency claim refuted: ${summary}`,
    hypothesisReport: hypothesisReportOf(example), runs: n, shrinks: 0, elapsedMs: elapsed(),
  };

  function hypothesisReportOf(inst: I | undefined) {
    if (inst === undefined) return [];
    const hs = checkHypotheses(theorem, inst);
    return Array.isArray(hs) ? hs : [];
  }
  function violated(message: string, inst: I, i: number): Verdict {
    return {
      ...base, status: 'violated', path: '', command: cmd, counterexample: inst, observed: undefined, bound: f.claimedFrequency,
      message, hypothesisReport: hypothesisReportOf(inst), runs: i, shrinks: 0, elapsedMs: elapsed(),
    };
  }
}
