/**
 * The result of checking one theorem: holds | violated | vacuous | interrupted. Verdicts are data; only
 * reporters print them. Every verdict carries the seed it ran with, so any of them can be replayed.
 */
import type { PlotEvidence } from './plot.ts';
import type { Kind, ProfileName, Value } from './types.ts';

interface VerdictBase {
  readonly id: string;
  readonly title: string;
  readonly kind: Kind;
  readonly seed: number;
  readonly profile: ProfileName;
  readonly elapsedMs: number;
  /** the spec's plot, with the cases kept from this run's passing instances (absent when the spec has no plot) */
  readonly plot?: PlotEvidence;
}

/** The instance that came closest to violating the claim, and how close. */
export interface WorstCase {
  /** difference / allowed: <= 1 holds, 1 is the edge (Infinity if allowed is 0 and difference > 0) */
  readonly used: number;
  readonly difference: number;
  readonly allowed: number;
  readonly observed: Value;
  readonly bound: Value;
  /** element of the worst difference for vector values */
  readonly index?: number;
  readonly instance: unknown;
}

export interface FrequencyEvidence {
  readonly successes: number;
  readonly n: number;
  readonly lo: number;
  readonly hi: number;
  readonly claimed: number;
  readonly claim: 'at-least' | 'at-most' | 'equal';
  /** one line: counts, interval, the decision and its power */
  readonly summary: string;
  /** exact probability that a subject with the stated alternative frequency is refuted at this n (absent if none stated) */
  readonly power?: number;
  /** the stated alternative (true frequency) the power is computed against */
  readonly alternative?: number;
}

export interface Evidence {
  /** absent for frequency claims */
  readonly worst?: WorstCase;
  readonly frequency?: FrequencyEvidence;
  readonly nonVacuousRuns: number;
  readonly vacuousRuns: number;
  /**
   * draws the arbitrary rejected before they became runs (filterCounted), with reasons: they exercised nothing, like
   * vacuous runs, but the verdict rule (minNonVacuousFraction of the runs) does not count them; reports do
   */
  readonly rejectedDraws?: number;
  readonly rejectionReasons?: Readonly<Record<string, number>>;
}

export interface Holds extends VerdictBase {
  readonly status: 'holds';
  readonly runs: number;
  readonly evidence: Evidence;
}

export interface AppliedTolerance {
  readonly rel?: number;
  readonly abs?: number;
  /** the slack at the reported element: abs + rel · scale */
  readonly allowed: number;
  readonly why: string;
}

export interface HypothesisCheck {
  readonly name: string;
  readonly holds: boolean;
  readonly reason?: string;
}

export interface Violated extends VerdictBase {
  readonly status: 'violated';
  /** fast-check counterexample path ('' for frequency claims, which have no shrinking) */
  readonly path: string;
  /** exact shell command that replays this verdict */
  readonly command: string;
  /** the shrunk instance */
  readonly counterexample: unknown;
  readonly observed: unknown;
  readonly bound: unknown;
  /**
   * signed excess measure compared with tolerance.allowed (|o - b|, o - b, or the step of a sequence).
   * Both are absent when the subject failed before any comparison (threw, NaN, wrong shape): see message.
   */
  readonly difference?: number;
  readonly tolerance?: AppliedTolerance;
  /** element of the worst difference for vector values */
  readonly index?: number;
  /** one line: what went wrong (comparison, subject threw, NaN, shape) */
  readonly message: string;
  readonly hypothesisReport: readonly HypothesisCheck[];
  /** runs up to and including the first failure, and shrink steps after it */
  readonly runs: number;
  readonly shrinks: number;
  /** shrinking stopped at the candidate cap or a --budget-ms: the replay command carries --no-shrink */
  readonly shrinkTruncated?: boolean;
}

export interface Vacuous extends VerdictBase {
  readonly status: 'vacuous';
  readonly reason: string;
  readonly runs: number;
  readonly vacuousRuns: number;
  readonly rejectedDraws?: number;
  readonly rejectionReasons?: Readonly<Record<string, number>>;
}

export type InterruptCause = 'not-applicable' | 'time-budget' | 'run-timeout' | 'hypothesis' | 'spec-error';

export interface Interrupted extends VerdictBase {
  readonly status: 'interrupted';
  readonly cause: InterruptCause;
  /** e.g. 'not applicable: subject lacks localGD', 'hypothesis failed on generated instance: d >= N: d 3 < N 4' */
  readonly reason: string;
  readonly runs: number;
  /** for hypothesis and spec errors: the (shrunk) instance and how to replay it */
  readonly counterexample?: unknown;
  readonly path?: string;
  readonly command?: string;
}

export type Verdict = Holds | Violated | Vacuous | Interrupted;

/** A verdict that should fail a check: violated, vacuous, or interrupted for any cause but not-applicable. */
export function isFailure(v: Verdict): boolean {
  if (v.status === 'holds') return false;
  if (v.status === 'interrupted') return v.cause !== 'not-applicable';
  return true;
}

/**
 * How a verdict stands against what its theorem expects (see the spec field `expect`):
 * 'pass' (a theorem held, or was not applicable; or a recorded refutation was reproduced),
 * 'fail' (a theorem did not hold; or a recorded refutation's check itself broke),
 * 'not-reproduced' (a recorded refutation was not found with this seed and budget: reported, not a failure).
 */
export type Outcome = 'pass' | 'fail' | 'not-reproduced';

export function outcomeOf(v: Verdict, expect: 'holds' | 'refuted' = 'holds'): Outcome {
  if (expect === 'holds') return isFailure(v) ? 'fail' : 'pass';
  if (v.status === 'violated') return 'pass';
  if (v.status === 'interrupted') return v.cause === 'not-applicable' ? 'pass' : 'fail';
  return 'not-reproduced';
}
