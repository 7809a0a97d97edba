/**
 * The hunt loop. For each theorem, cases run in batches of `batch` on a tinypool of worker threads. A batch is
 * planned from the state after the previous batch only (the near-miss population), and its results are folded
 * back in case order, so the cases and what they find depend on (seed, theorem, case count, shard) and never on
 * the number of workers or on timing. Case j of the theorem is
 *
 *   random   a fresh draw from stream (seed, id, j) at fast-check's bias for run j (streams.ts), or
 *   mutated  with probability `targeted` (decided on stream lane 1 of case j) once the population is non-empty:
 *            a parent picked from the population, mutated (mutate.ts) with lane 2 of case j, regenerated.
 *
 * With `--shard i/n` the theorem's case numbers are j = i, i + n, i + 2n, ...: n machines draw disjoint random
 * cases, and each mutates its own near misses. Frequency claims are hunted with random cases only (their
 * Clopper-Pearson decision needs draws from the theorem's distribution) and decided once, on every case drawn.
 * A hunt stops a theorem at its case budget, its share of the time, its first finding (unless keepGoing) or
 * when `signal` aborts (Ctrl-C): every result gathered so far is still returned.
 */
import { availableParallelism } from 'node:os';
import Tinypool from 'tinypool';
import { errorLine } from '../spec/evaluate.ts';
import { checkTheorem } from '../spec/runner.ts';
import type { AnyTheorem, FrequencySpec, ProfileName, Subject } from '../spec/types.ts';
import { frequencyCloseness } from './closeness.ts';
import { mutate } from './mutate.ts';
import { Population, type NearMiss } from './population.ts';
import { biasFor, caseStream, StreamRng } from './streams.ts';
import { FINDING_STATUSES, type CaseResult, type CaseSpec, type CaseTask, type SubjectSpec } from './types.ts';
import { openSubjectSpec, runTask, teardown } from './workerTask.ts';

export interface HuntEntry {
  readonly id: string;
  /** absolute path of the property file */
  readonly file: string;
  readonly theorem: AnyTheorem;
}

export interface Shard {
  readonly index: number;
  readonly count: number;
}

export interface HuntOptions {
  readonly entries: readonly HuntEntry[];
  readonly subject: SubjectSpec;
  readonly seed: number;
  /** the profile observe() sees (default 'hunt') */
  readonly profile?: ProfileName;
  /** worker threads (default: available parallelism); 0 runs the cases in this thread */
  readonly workers?: number;
  /** cases per theorem */
  readonly cases?: number;
  /** total wall time, shared evenly by the theorems not yet hunted */
  readonly timeMs?: number;
  readonly shard?: Shard;
  /** fraction of the cases that mutate near misses (default 0.5; 0 = purely random search) */
  readonly targeted?: number;
  /** cases per batch (default 16): the population is updated between batches */
  readonly batch?: number;
  /** near misses kept (default 16) */
  readonly populationSize?: number;
  readonly runTimeoutMs?: number;
  /** go on after the first finding (default false) */
  readonly keepGoing?: boolean;
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: HuntEvent) => void;
}

export type StopReason = 'cases' | 'time' | 'finding' | 'interrupted' | 'not-applicable' | 'error';

export interface FrequencyState {
  readonly successes: number;
  readonly n: number;
  readonly closeness: number;
  readonly violated: boolean;
  readonly summary: string;
}

export interface TheoremHunt {
  readonly id: string;
  readonly kind: AnyTheorem['kind'];
  readonly expect: 'holds' | 'refuted';
  readonly file: string;
  readonly cases: number;
  readonly vacuous: number;
  readonly targetedCases: number;
  readonly elapsedMs: number;
  readonly casesPerSec: number;
  readonly stop: StopReason;
  /** the first finding, in case order (a counterexample, or a broken check: hypothesis, spec error, run timeout) */
  readonly finding?: CaseResult;
  readonly findings: number;
  /** closest passing cases, closest first */
  readonly nearMisses: readonly NearMiss[];
  /** highest closeness seen (findings included) */
  readonly closest?: number;
  readonly frequency?: FrequencyState;
  readonly reason?: string;
}

export type HuntEvent =
  | { readonly type: 'start'; readonly id: string; readonly kind: string; readonly index: number; readonly of: number }
  | {
    readonly type: 'progress'; readonly id: string; readonly cases: number; readonly vacuous: number; readonly casesPerSec: number;
    readonly closest: number | null; readonly timeLeftS: number | null; readonly findings: number;
  }
  | { readonly type: 'done'; readonly result: TheoremHunt };

export const DEFAULTS = Object.freeze({ targeted: 0.5, batch: 16, populationSize: 16 });

const WORKER_URL = new URL('./worker.mjs', import.meta.url).href;

function checkOptions(o: HuntOptions): void {
  const fn = 'hunt';
  if (o.cases === undefined && o.timeMs === undefined) throw new Error(`${fn}: give a case budget (cases) or a time budget (timeMs)`);
  if (o.cases !== undefined && !(Number.isInteger(o.cases) && o.cases >= 1)) throw new Error(`${fn}: cases must be a positive integer, got ${o.cases}`);
  if (o.timeMs !== undefined && !(o.timeMs > 0)) throw new Error(`${fn}: timeMs must be positive, got ${o.timeMs}`);
  const t = o.targeted ?? DEFAULTS.targeted;
  if (!(t >= 0 && t <= 1)) throw new Error(`${fn}: targeted must be a fraction in [0, 1], got ${t}`);
  if (o.workers !== undefined && !(Number.isInteger(o.workers) && o.workers >= 0 && o.workers <= 256)) throw new Error(`${fn}: workers must be an integer in [0, 256], got ${o.workers}`);
  const s = o.shard;
  if (s && !(Number.isInteger(s.count) && s.count >= 1 && Number.isInteger(s.index) && s.index >= 0 && s.index < s.count)) {
    throw new Error(`${fn}: shard must be i/n with 0 <= i < n, got ${s.index}/${s.count}`);
  }
  if (o.batch !== undefined && !(Number.isInteger(o.batch) && o.batch >= 1)) throw new Error(`${fn}: batch must be a positive integer, got ${o.batch}`);
}

/** Run the hunt; results come back in the order of `entries`, one per theorem (also as 'done' events). */
export async function hunt(o: HuntOptions): Promise<TheoremHunt[]> {
  checkOptions(o);
  const workers = o.workers ?? availableParallelism();
  const pool = workers > 0 ? new Tinypool({ filename: WORKER_URL, minThreads: workers, maxThreads: workers, teardown: 'close' }) : undefined;
  const main = await openSubjectSpec(o.subject);
  const subject = main.subject;
  const results: TheoremHunt[] = [];
  const t0 = performance.now();
  try {
    for (let e = 0; e < o.entries.length; e++) {
      const entry = o.entries[e];
      o.onEvent?.({ type: 'start', id: entry.id, kind: entry.theorem.kind, index: e, of: o.entries.length });
      let deadline: number | undefined;
      if (o.timeMs !== undefined) deadline = performance.now() + (o.timeMs - (performance.now() - t0)) / (o.entries.length - e);
      const r = o.signal?.aborted ? skipped(entry, 'interrupted', 'not started: the hunt was interrupted')
        : await huntTheorem(entry, o, subject, main.sampler, pool, workers, deadline);
      results.push(r);
      o.onEvent?.({ type: 'done', result: r });
    }
  } finally {
    await pool?.destroy();
    main.close();
    if (!pool) teardown(); // the subjects runTask opened in this thread
  }
  return results;
}

function skipped(entry: HuntEntry, stop: StopReason, reason: string): TheoremHunt {
  return {
    id: entry.id, kind: entry.theorem.kind, expect: entry.theorem.expect ?? 'holds', file: entry.file, cases: 0, vacuous: 0, targetedCases: 0,
    elapsedMs: 0, casesPerSec: 0, stop, findings: 0, nearMisses: [], reason,
  };
}

async function huntTheorem(
  entry: HuntEntry, o: HuntOptions, subject: Subject, sampler: 'gate' | 'own', pool: Tinypool | undefined, workers: number, deadline: number | undefined,
): Promise<TheoremHunt> {
  const th = entry.theorem;
  // applicability as the runner decides it (src/spec/runner.ts)
  const missing = th.requires.filter((k) => subject[k] === undefined);
  if (missing.length > 0) return skipped(entry, 'not-applicable', `not applicable: subject lacks ${missing.join(', ')}`);
  if (th.requiresAny !== undefined && !th.requiresAny.some((k) => typeof subject[k] === 'function')) return skipped(entry, 'not-applicable', `not applicable: subject offers none of ${th.requiresAny.join(', ')}`);
  if (th.sampler !== undefined && th.sampler !== sampler) return skipped(entry, 'not-applicable', `not applicable: the theorem needs a subject with sampler '${th.sampler}', this one uses '${sampler}'`);
  const profile = o.profile ?? 'hunt';
  if (th.kind === 'frequency' && (th as unknown as FrequencySpec<unknown>).frequency.method === 'exact') return exactFrequency(entry, o, subject, sampler, profile);

  const t0 = performance.now();
  const shard = o.shard ?? { index: 0, count: 1 };
  const batch = o.batch ?? DEFAULTS.batch;
  const targeted = th.kind === 'frequency' ? 0 : (o.targeted ?? DEFAULTS.targeted);
  const population = new Population(o.populationSize ?? DEFAULTS.populationSize);
  const key = caseStream(o.seed, th.id, 0);
  let cases = 0;
  let vacuous = 0;
  let targetedCases = 0;
  let findings = 0;
  let finding: CaseResult | undefined;
  let closest = -Infinity;
  let successes = 0;
  let stop: StopReason | undefined;
  let reason: string | undefined;
  const elapsed = () => performance.now() - t0;

  while (stop === undefined) {
    const size = o.cases === undefined ? batch : Math.min(batch, o.cases - cases);
    const specs: CaseSpec[] = [];
    for (let t = cases; t < cases + size; t++) {
      const j = t * shard.count + shard.index;
      const decide = new StreamRng({ ...key, j }, 1);
      if (targeted > 0 && population.length > 0 && decide.next() < targeted) {
        const rng = new StreamRng({ ...key, j }, 2);
        const parent = population.pick(rng);
        const m = mutate(parent.tape, population, rng);
        specs.push({ j, k0: key.k0, k1: key.k1, bias: parent.bias, given: m.given, origin: `mutate(${parent.j}: ${m.ops})` });
      } else specs.push({ j, k0: key.k0, k1: key.k1, bias: biasFor(j), origin: 'random' });
    }
    let out: CaseResult[];
    try {
      out = await runBatch(entry, o, profile, sampler, specs, population.bar, pool, workers);
    } catch (e) {
      if (o.signal?.aborted) {
        stop = 'interrupted';
        break;
      }
      stop = 'error';
      reason = `the workers failed: ${errorLine(e)}`;
      break;
    }
    for (const r of out) {
      cases++;
      if (r.origin !== 'random') targetedCases++;
      if (r.status === 'vacuous') vacuous++;
      if (r.success === true) successes++;
      if (r.closeness !== undefined && r.closeness > closest) closest = r.closeness;
      if ((FINDING_STATUSES as readonly string[]).includes(r.status)) {
        findings++;
        finding ??= r;
      } else if (r.status === 'pass' && r.tape && r.closeness !== undefined) {
        population.offer({ j: r.j, origin: r.origin, bias: r.bias, closeness: r.closeness, difference: r.difference, allowed: r.allowed, tape: r.tape, instance: r.instance, hyperparameters: r.hyperparameters });
      }
    }
    const timeLeft = deadline === undefined ? null : Math.max(0, (deadline - performance.now()) / 1000);
    o.onEvent?.({
      type: 'progress', id: th.id, cases, vacuous, casesPerSec: cases / (elapsed() / 1000), closest: Number.isFinite(closest) ? closest : closest === Infinity ? Infinity : null,
      timeLeftS: timeLeft, findings,
    });
    if (o.signal?.aborted) stop = 'interrupted';
    else if (finding && !o.keepGoing) stop = 'finding';
    else if (o.cases !== undefined && cases >= o.cases) stop = 'cases';
    else if (deadline !== undefined && performance.now() >= deadline) stop = 'time';
  }

  let frequency: FrequencyState | undefined;
  if (th.kind === 'frequency') {
    const f = (th as unknown as FrequencySpec<unknown>).frequency;
    const n = cases - vacuous;
    const fc = frequencyCloseness(successes, n, f.claimedFrequency, f.claim ?? 'at-least', f.confidence);
    frequency = { successes, n, ...fc };
    closest = fc.closeness;
  }
  const ms = elapsed();
  return {
    id: th.id, kind: th.kind, expect: th.expect ?? 'holds', file: entry.file, cases, vacuous, targetedCases, elapsedMs: ms,
    casesPerSec: cases / (ms / 1000), stop: stop!, finding,
    findings, nearMisses: population.all(), closest: Number.isFinite(closest) || closest === Infinity ? closest : undefined, frequency, reason,
  };
}

async function runBatch(
  entry: HuntEntry, o: HuntOptions, profile: ProfileName, sampler: 'gate' | 'own', specs: CaseSpec[], keepAbove: number, pool: Tinypool | undefined, workers: number,
): Promise<CaseResult[]> {
  const base = { file: entry.file, id: entry.id, subject: o.subject, profile, sampler, runTimeoutMs: o.runTimeoutMs, keepAbove };
  if (!pool) return runTask({ ...base, cases: specs });
  const chunk = Math.max(1, Math.ceil(specs.length / (2 * workers)));
  const tasks: Promise<CaseResult[]>[] = [];
  for (let i = 0; i < specs.length; i += chunk) {
    const task: CaseTask = { ...base, cases: specs.slice(i, i + chunk) };
    tasks.push(pool.run(task, o.signal ? { signal: o.signal } : {}) as Promise<CaseResult[]>);
  }
  const parts = await Promise.allSettled(tasks);
  const failed = parts.find((p) => p.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return parts.flatMap((p) => (p as PromiseFulfilledResult<CaseResult[]>).value);
}

/** A frequency claim decided on a whole population (method 'exact'): one run of the runner; nothing to search. */
async function exactFrequency(entry: HuntEntry, o: HuntOptions, subject: Subject, sampler: 'gate' | 'own', profile: ProfileName): Promise<TheoremHunt> {
  const v = await checkTheorem(entry.theorem, { subject, seed: o.seed, profile, sampler });
  const base = skipped(entry, 'cases', 'exact frequency claim: the whole population is evaluated once');
  if (v.status === 'holds' && v.evidence.frequency) {
    const f = v.evidence.frequency;
    const c = frequencyCloseness(f.successes, f.n, f.claimed, f.claim, 1);
    return { ...base, cases: f.n, elapsedMs: v.elapsedMs, casesPerSec: f.n / (v.elapsedMs / 1000), frequency: { successes: f.successes, n: f.n, ...c, summary: f.summary }, closest: c.closeness };
  }
  const message = v.status === 'violated' ? v.message : v.status === 'holds' ? 'holds' : v.reason;
  return { ...base, cases: v.runs, elapsedMs: v.elapsedMs, findings: v.status === 'holds' ? 0 : 1, stop: v.status === 'holds' ? 'cases' : 'finding', reason: message };
}
