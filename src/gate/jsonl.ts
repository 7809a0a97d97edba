/**
 * JSON-lines records of a check run (`lsgd-spec check --jsonl`): one JSON object per line, each carrying
 * `schema: JSONL_SCHEMA` and a `type`. In order: one `run` record, then for each theorem its `case` records (one per
 * evaluated instance, shrink candidates included) and one `theorem` record, then one `summary` record. On a usage
 * or input error the only record is an `error` record. The shapes are documented in ci/README.md; a `theorem`
 * record carries everything the Markdown evidence report (src/spec/markdown.ts) prints, so a report can be
 * rebuilt from the file without rerunning anything.
 */
import { evidenceLine } from '../spec/markdown.ts';
import { toJsonSafe } from '../spec/pretty.ts';
import type { CaseEvent } from '../spec/runner.ts';
import type { AnyTheorem } from '../spec/types.ts';
import type { Outcome, Verdict } from '../spec/verdict.ts';

/** Bumped when a field changes meaning or disappears (adding a field keeps the version). */
export const JSONL_SCHEMA = 'lsgd-spec/jsonl@1';

export interface JsonlRun {
  readonly schema: typeof JSONL_SCHEMA;
  readonly type: 'run';
  readonly seed: number;
  readonly profile: string;
  readonly subject: string;
  readonly theorems: readonly string[];
}

export interface JsonlCase {
  readonly schema: typeof JSONL_SCHEMA;
  readonly type: 'case';
  readonly id: string;
  /** 0-based, in evaluation order within the theorem */
  readonly index: number;
  /** 'run' before the first failure, 'shrink' for the candidates tried while shrinking */
  readonly phase: 'run' | 'shrink';
  readonly outcome: CaseEvent['outcome'];
  /** fraction of the allowed difference used (comparison ran and passed) */
  readonly used?: number;
  readonly difference?: number;
  readonly allowed?: number;
  /** why the case was vacuous or failed (one line) */
  readonly reason?: string;
  readonly elapsedMs: number;
}

export interface JsonlTheorem {
  readonly schema: typeof JSONL_SCHEMA;
  readonly type: 'theorem';
  readonly id: string;
  readonly title: string;
  readonly family: string;
  /** the property file, relative to the registry root */
  readonly file: string;
  readonly kind: string;
  readonly statement: string;
  readonly source: { readonly paper: string; readonly version: string; readonly locator: string; readonly provenance: string | readonly string[] };
  readonly hypotheses: readonly string[];
  readonly expect: 'holds' | 'refuted';
  /** the verdict judged against the expectation */
  readonly outcome: Outcome;
  /** the evidence line of the Markdown report */
  readonly evidence: string;
  /** the full verdict (src/spec/verdict.ts), non-finite numbers as strings */
  readonly verdict: unknown;
}

export interface JsonlSummary {
  readonly schema: typeof JSONL_SCHEMA;
  readonly type: 'summary';
  readonly theorems: number;
  readonly holds: number;
  readonly violated: number;
  readonly vacuous: number;
  readonly interrupted: number;
  readonly notApplicable: number;
  readonly failed: number;
  readonly registryErrors: readonly string[];
  readonly exitCode: number;
}

export interface JsonlError {
  readonly schema: typeof JSONL_SCHEMA;
  readonly type: 'error';
  readonly message: string;
  readonly exitCode: number;
}

export type JsonlRecord = JsonlRun | JsonlCase | JsonlTheorem | JsonlSummary | JsonlError;

export function jsonlRun(seed: number, profile: string, subject: string, theorems: readonly string[]): JsonlRun {
  return { schema: JSONL_SCHEMA, type: 'run', seed, profile, subject, theorems };
}

export function jsonlCase(id: string, e: CaseEvent): JsonlCase {
  return {
    schema: JSONL_SCHEMA, type: 'case', id, index: e.index, phase: e.phase, outcome: e.outcome,
    ...(e.used === undefined ? {} : { used: e.used }),
    ...(e.difference === undefined ? {} : { difference: e.difference }),
    ...(e.allowed === undefined ? {} : { allowed: e.allowed }),
    ...(e.reason === undefined ? {} : { reason: e.reason }),
    elapsedMs: Math.round(e.elapsedMs * 1000) / 1000,
  };
}

export function jsonlTheorem(t: AnyTheorem, family: string, file: string, v: Verdict, outcome: Outcome): JsonlTheorem {
  return {
    schema: JSONL_SCHEMA, type: 'theorem', id: t.id, title: t.title, family, file, kind: t.kind, statement: t.statement,
    source: { paper: t.source.paper, version: t.source.version, locator: t.source.locator, provenance: t.source.provenance },
    hypotheses: t.hypotheses.map((h) => h.name), expect: t.expect ?? 'holds', outcome, evidence: evidenceLine(v), verdict: toJsonSafe(v),
  };
}

export function jsonlSummary(verdicts: readonly Verdict[], outcomes: readonly Outcome[], registryErrors: readonly string[], exitCode: number): JsonlSummary {
  const count = (s: Verdict['status']) => verdicts.filter((v) => v.status === s).length;
  return {
    schema: JSONL_SCHEMA, type: 'summary', theorems: verdicts.length, holds: count('holds'), violated: count('violated'), vacuous: count('vacuous'),
    interrupted: count('interrupted'), notApplicable: verdicts.filter((v) => v.status === 'interrupted' && v.cause === 'not-applicable').length,
    failed: outcomes.filter((o) => o === 'fail').length, registryErrors, exitCode,
  };
}

export function jsonlError(message: string, exitCode: number, extra: Record<string, unknown> = {}): JsonlError {
  return { schema: JSONL_SCHEMA, type: 'error', message, ...extra, exitCode };
}

/** One record as one line: non-finite numbers become strings (JSON has no NaN), key order as built. */
export function jsonlLine(r: JsonlRecord): string {
  return JSON.stringify(toJsonSafe(r));
}
