/** The spec framework: every export named. */
export { defineTheorem, isTheorem, ID_PATTERN, specOf, redefine, dropHypotheses } from './defineTheorem.ts';
export { checkTheorem, replayCommand, precisionMismatch, DEFAULT_TIME_BUDGET_MS, type CheckOptions, type ReplayInfo } from './runner.ts';
export { compareValues, compareMonotone, usedRatio, type Comparison } from './compare.ts';
export { textReport, summaryLine, jsonReport, assertHolds, type TextOptions } from './reporter.ts';
export { pretty, toJsonSafe } from './pretty.ts';
export { loadRegistry, selectEntries, findPropertyFiles, type Registry, type RegistryEntry, type RegistryOptions, type Selection } from './registry.ts';
export { isFailure, outcomeOf, type Outcome, type Verdict, type Holds, type Violated, type Vacuous, type Interrupted, type InterruptCause, type Evidence, type WorstCase, type FrequencyEvidence, type AppliedTolerance, type HypothesisCheck } from './verdict.ts';
export { PlotCollector, DEFAULT_PLOT_CASES, thinIndices, type PlotSpec, type PlotCase, type PlotLine, type PlotAxis, type PlotEvidence } from './plot.ts';
export { parseSeed, resolveSeed, type ResolvedSeed } from './seed.ts';
export { loadTheorems, theoremById, THEOREMS_ROOT } from './theorems.ts';
export {
  KINDS, PROVENANCES, PROFILE_NAMES, DEFAULT_PROFILES, PRECISIONS,
  type Kind, type Provenance, type ProfileName, type Source, type Hypothesis, type ToleranceSpec, type Value, type RunContext, type Subject, type Precision,
  type ComparisonSpec, type MonotoneSpec, type FrequencySpec, type FrequencyClaim, type TheoremSpec, type Theorem, type AnyTheorem,
} from './types.ts';
export { frequencyPower, samplesFor, powerPhrase, type FrequencyPower } from './power.ts';
export { filterCounted, countingRejections, totalRejections, type RejectionCounts } from './rejections.ts';
