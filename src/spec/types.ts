/**
 * The shape of a theorem spec. A spec is data plus pure functions: it generates instances, observes the
 * subject (the optimizer implementation under test) on an instance, states the bound, and says how much
 * slack the comparison gets and why. The runner, never the spec, chooses the comparison from `kind`.
 */
import type fc from 'fast-check';
import type { PlotSpec } from './plot.ts';

export type Kind = 'tight' | 'upper-bound' | 'monotone' | 'equivalence' | 'frequency';
export const KINDS: readonly Kind[] = ['tight', 'upper-bound', 'monotone', 'equivalence', 'frequency'];

/** Provenance tags of docs/theory.md: read, read in a secondary source, recalled, derived here, checked numerically. */
export type Provenance = 'read' | 'read-2' | 'recalled' | 'derived' | 'num';
export const PROVENANCES: readonly Provenance[] = ['read', 'read-2', 'recalled', 'derived', 'num'];

export type ProfileName = 'ci' | 'default' | 'hunt';
export const PROFILE_NAMES: readonly ProfileName[] = ['ci', 'default', 'hunt'];
/** Runs per profile when a spec does not say. */
export const DEFAULT_PROFILES: Readonly<Record<ProfileName, number>> = Object.freeze({ ci: 25, default: 100, hunt: 1000 });

export interface Source {
  /** e.g. 'Zhu, Vardhan, Mazumdar, arXiv 2412.07971' */
  readonly paper: string;
  /** e.g. 'v2 (21 Mar 2026)' */
  readonly version: string;
  /** theorem / section / equation, e.g. 'Thm 1', 'Sec. 3.4, Alg. 3' */
  readonly locator: string;
  /** one tag or several (e.g. ['derived', 'num'] for docs/theory.md's DERIVED+NUM) */
  readonly provenance: Provenance | readonly Provenance[];
}

/** A named hypothesis; `check` returns true or the reason it fails on this instance. */
export interface Hypothesis<I> {
  readonly name: string;
  check(instance: I): true | string;
}

/**
 * Slack of the comparison: allowed = abs + rel · scale, where scale is |bound| (scalars; upper-bound
 * elementwise), ‖bound‖∞ (tight/equivalence arrays), or |previous element| (monotone). `why` is one line.
 */
export interface ToleranceSpec {
  readonly rel?: number;
  readonly abs?: number;
  readonly why: string;
}

/** Observed and bound values: a number or a vector (number[] or Float64Array), compared elementwise. */
export type Value = number | readonly number[] | Float64Array;

/**
 * The arithmetic of the subject under test: 'f64' (the default; every tolerance is derived for it) or 'f32' (the
 * WebGPU backend, or a plug-in that declares it). A theorem runs at f32 only when it lists 'f32' in `precisions` and
 * derives its tolerance from ctx.precision (unit roundoff 2^-24, src/backends/f32.ts); otherwise the runner reports it
 * not applicable at f32, with `whyNotF32` as the reason.
 */
export type Precision = 'f64' | 'f32';
export const PRECISIONS: readonly Precision[] = ['f64', 'f32'];

export interface RunContext {
  readonly profile: ProfileName;
  /**
   * whose random draws the subject uses (ci/PROTOCOL.md): 'gate' (default) the ones its requests carry, so
   * path-level claims compare it with the reference on the same randomness; 'own' its own generator
   */
  readonly sampler?: 'gate' | 'own';
  /**
   * Present only while the runner still collects plot cases (spec field `plot`): observe or statistic may pass it
   * values it computed anyway (per-round errors, a trace) for `plot.series`. It must not change what they return.
   */
  readonly keep?: (data: unknown) => void;
  /** the subject's arithmetic (absent: 'f64') */
  readonly precision?: Precision;
}

/** The implementation under test: a record of optimizer run functions, looked up by capability name. */
export type Subject = Readonly<Record<string, unknown>>;

interface CommonSpec<I> {
  readonly id: string;
  readonly title: string;
  readonly source: Source;
  /** LaTeX via String.raw, the same string as in proofs-notes/<id>.md */
  readonly statement: string;
  readonly hypotheses: readonly Hypothesis<I>[];
  readonly instances: fc.Arbitrary<I>;
  /** subject capabilities the spec uses, e.g. ['localGD', 'centralizedGD'] */
  readonly requires?: readonly string[];
  /**
   * the spec checks whichever of these the subject offers (a contract over every run capability): it is not
   * applicable, rather than trivially holding, when the subject offers none of them
   */
  readonly requiresAny?: readonly string[];
  /**
   * 'gate': the claim compares runs on the gate's random draws (path level), not applicable to a subject with its own
   * sampler; 'own': a distribution-level check of the subject's own sampler, not applicable to one that uses the gate's
   */
  readonly sampler?: 'gate' | 'own';
  /** runs per profile; missing profiles take DEFAULT_PROFILES */
  readonly profiles?: Partial<Record<ProfileName, number>>;
  /** one-line hints printed with a violation (what usually causes it) */
  readonly hints?: readonly string[];
  /**
   * 'holds' (default): a theorem, which a correct subject must satisfy. 'refuted': a reading of a paper's claim
   * that we have found false (a recorded finding; the proof note has the counterexample). The main job expects the
   * search to refute it on a correct subject and reports that as a finding, not a failure; the mutation report
   * does not use it to kill mutants.
   */
  readonly expect?: 'holds' | 'refuted';
  /** the subject precisions whose tolerance the spec derives (default ['f64']; see Precision) */
  readonly precisions?: readonly Precision[];
  /** why the claim is not checked at f32 (printed as "not applicable at f32: <why>"; default: tolerance derived for f64 only) */
  readonly whyNotF32?: string;
}

export type ToleranceOf<I, O> = ToleranceSpec | ((instance: I, observed: O, bound: O, ctx?: RunContext) => ToleranceSpec);

/** tight: |observed - bound| within the tolerance; equivalence: the same test, for two implementations/algorithms. */
export interface ComparisonSpec<I, O extends Value = Value> extends CommonSpec<I> {
  readonly kind: 'tight' | 'equivalence' | 'upper-bound';
  observe(instance: I, subject: Subject, ctx: RunContext): O | Promise<O>;
  bound(instance: I, ctx: RunContext): O;
  readonly tolerance: ToleranceOf<I, O>;
  /** true, or why this instance does not exercise the claim (it is then not compared) */
  nonVacuous?(instance: I, observed: O): true | string;
  /** verdict is 'vacuous' when fewer than this fraction of runs were non-vacuous (default 0.5) */
  readonly minNonVacuousFraction?: number;
  /** what the report plots from this run (src/spec/plot.ts) */
  readonly plot?: PlotSpec<I, O>;
}

/** monotone: the observed sequence is non-increasing (or non-decreasing) up to the tolerance per step. */
export interface MonotoneSpec<I> extends CommonSpec<I> {
  readonly kind: 'monotone';
  readonly direction: 'non-increasing' | 'non-decreasing';
  observe(instance: I, subject: Subject, ctx: RunContext): readonly number[] | Float64Array | Promise<readonly number[] | Float64Array>;
  readonly tolerance: ToleranceOf<I, readonly number[] | Float64Array>;
  nonVacuous?(instance: I, observed: readonly number[] | Float64Array): true | string;
  readonly minNonVacuousFraction?: number;
  /** what the report plots from this run (src/spec/plot.ts); bound is undefined */
  readonly plot?: PlotSpec<I, readonly number[] | Float64Array>;
}

export interface FrequencyClaim<I> {
  /** success (true) or failure of the claim's event on one instance */
  statistic(instance: I, subject: Subject, ctx: RunContext): boolean | Promise<boolean>;
  readonly claimedFrequency: number;
  /** default 'at-least': the event happens at least claimedFrequency of the time */
  readonly claim?: 'at-least' | 'at-most' | 'equal';
  /**
   * instances drawn from `instances` (monte-carlo); ignored for 'exact'. A number (every profile), or one per profile
   * (a missing profile takes the largest given at or below it: ci <= default <= hunt).
   */
  readonly samples: number | Partial<Record<ProfileName, number>>;
  /**
   * The stated alternative: a true frequency on the refuting side of the claim (below claimedFrequency for
   * 'at-least', above it for 'at-most', different for 'equal'). The runner reports the power of the decision against
   * it, the exact binomial probability that a subject with that true frequency is refuted with the profile's sample
   * count (frequencyPower).
   */
  readonly alternative?: number;
  /** the decision refutes a true claim with probability at most 1 - confidence */
  readonly confidence: number;
  /**
   * 'monte-carlo': `samples` instances drawn with the seed, decided by a Clopper-Pearson interval;
   * 'exact': every instance of `population()` is evaluated and the frequency compared as is.
   */
  readonly method: 'exact' | 'monte-carlo';
  population?(): readonly I[];
}

export interface FrequencySpec<I> extends CommonSpec<I> {
  readonly kind: 'frequency';
  readonly frequency: FrequencyClaim<I>;
  /** what the report plots from this run (src/spec/plot.ts); observed is the statistic, bound undefined */
  readonly plot?: PlotSpec<I, boolean>;
}

export type TheoremSpec<I, O extends Value = Value> = ComparisonSpec<I, O> | MonotoneSpec<I> | FrequencySpec<I>;

export const THEOREM_BRAND: unique symbol = Symbol.for('lsgd-spec.theorem');

/** A validated spec: as defined, frozen, with every profile filled in. */
export type Theorem<I = unknown, O extends Value = Value> = TheoremSpec<I, O> & {
  readonly [THEOREM_BRAND]: true;
  readonly runsPerProfile: Readonly<Record<ProfileName, number>>;
  readonly requires: readonly string[];
};

/**
 * A theorem with its value type erased, as the runner, registry and reporter see it (a Theorem<I, number>
 * is not a Theorem<I, Value>: its tolerance function takes only numbers).
 */
export type AnyTheorem<I = any> = Theorem<I, any>;
