/**
 * The run records the HTML report is built from: one JSON object per line (JSONL), schema RECORD_SCHEMA.
 *   {"schema":"lsgd-spec.run/1","type":"run",...}       first line: seed, profile, subject
 *   {"schema":"lsgd-spec.run/1","type":"theorem",...}   one per theorem, in registry order (TheoremRecord)
 *   {"schema":"lsgd-spec.run/1","type":"mutant",...}    one per planted bug, when the mutation report ran (MutantRecord)
 * Readers skip records of other types (e.g. per-case records of `check --jsonl`) and refuse another schema.
 * Everything is data computed by the run (verdicts, plot evidence); nothing in a record depends on timing, so the
 * same seed gives the same bytes. Values that JSON cannot hold (Infinity, NaN) are written as null.
 */
import { pretty } from '../spec/pretty.ts';
import { evidenceLine } from '../spec/markdown.ts';
import { closeness } from '../spec/reporter.ts';
import type { PlotEvidence } from '../spec/plot.ts';
import type { AnyTheorem } from '../spec/types.ts';
import { outcomeOf, type Verdict } from '../spec/verdict.ts';
import type { MutationReport } from '../gate/mutationReport.ts';

export const RECORD_SCHEMA = 'lsgd-spec.run/1';

export interface RunRecord {
  readonly schema: typeof RECORD_SCHEMA;
  readonly type: 'run';
  readonly seed: number;
  readonly profile: string;
  /** in words, e.g. 'the built-in reference optimizers' */
  readonly subject: string;
}

export interface TheoremRecord {
  readonly schema: typeof RECORD_SCHEMA;
  readonly type: 'theorem';
  readonly id: string;
  /** folder under properties/ */
  readonly family: string;
  /** property file, relative to the repository root */
  readonly file: string;
  readonly title: string;
  readonly kind: string;
  readonly expect: 'holds' | 'refuted';
  readonly source: { readonly paper: string; readonly version: string; readonly locator: string; readonly provenance: readonly string[] };
  /** LaTeX */
  readonly statement: string;
  readonly hypotheses: readonly string[];
  /** the verdict's status and how it stands against `expect` (src/spec/verdict.ts outcomeOf) */
  readonly status: Verdict['status'];
  readonly outcome: 'pass' | 'fail' | 'not-reproduced';
  /** interruption cause, when status is 'interrupted' */
  readonly cause: string | null;
  /** runs tried (cases, or samples of a frequency claim) */
  readonly runs: number;
  /** one line of evidence, as in the Markdown report */
  readonly evidence: string;
  /** closest approach of a holding comparison: difference / allowed (<= 1 holds); null otherwise or when infinite */
  readonly worstRatio: number | null;
  /** the closest approach in words, as in the Markdown report (e.g. 'exact agreement (zero slack)', '12.5% of tolerance') */
  readonly closest: string | null;
  /** the instance of the closest approach, pretty-printed (null when none) */
  readonly closestInstance: string | null;
  /** frequency claims: successes, n, interval, claimed */
  readonly frequency: { readonly successes: number; readonly n: number; readonly lo: number; readonly hi: number; readonly claimed: number; readonly claim: string } | null;
  /** violated or interrupted with an instance: the (shrunk) counterexample, pretty-printed */
  readonly counterexample: string | null;
  readonly observed: string | null;
  readonly bound: string | null;
  /** the command that replays the counterexample */
  readonly replay: string | null;
  readonly plot: PlotEvidence | null;
}

export interface MutantRecord {
  readonly schema: typeof RECORD_SCHEMA;
  readonly type: 'mutant';
  readonly id: string;
  readonly bug: string;
  readonly status: 'killed' | 'survived' | 'error';
  /** every property run on the mutant, in order, with its result */
  readonly attempts: readonly { readonly property: string; readonly status: string; readonly killed: boolean; readonly discarded: boolean }[];
}

export type AnyRecord = RunRecord | TheoremRecord | MutantRecord;

export interface Records {
  readonly run: RunRecord;
  readonly theorems: readonly TheoremRecord[];
  readonly mutants: readonly MutantRecord[];
}

const provenanceOf = (t: AnyTheorem): string[] => (Array.isArray(t.source.provenance) ? [...t.source.provenance] : [String(t.source.provenance)]);
const finiteOrNull = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);

/** The record of one theorem's verdict. */
export function theoremRecord(theorem: AnyTheorem, family: string, file: string, v: Verdict): TheoremRecord {
  const expect = theorem.expect ?? 'holds';
  const holds = v.status === 'holds' ? v : undefined;
  const violated = v.status === 'violated' ? v : undefined;
  const interrupted = v.status === 'interrupted' ? v : undefined;
  const f = holds?.evidence.frequency;
  const w = holds?.evidence.worst;
  const example = violated?.counterexample ?? interrupted?.counterexample;
  return {
    schema: RECORD_SCHEMA, type: 'theorem', id: theorem.id, family, file, title: theorem.title, kind: theorem.kind, expect,
    source: { paper: theorem.source.paper, version: theorem.source.version, locator: theorem.source.locator, provenance: provenanceOf(theorem) },
    statement: theorem.statement,
    hypotheses: theorem.hypotheses.map((h) => h.name),
    status: v.status,
    outcome: outcomeOf(v, expect),
    cause: interrupted?.cause ?? null,
    runs: v.runs,
    evidence: evidenceLine(v),
    worstRatio: finiteOrNull(w?.used),
    closest: w ? closeness(w.used, w.difference, w.allowed) : null,
    closestInstance: w ? pretty(w.instance, 600) : null,
    frequency: f ? { successes: f.successes, n: f.n, lo: f.lo, hi: f.hi, claimed: f.claimed, claim: f.claim } : null,
    counterexample: example !== undefined ? pretty(example, 1200) : null,
    observed: violated && violated.observed !== undefined ? pretty(violated.observed, 600) : null,
    bound: violated && violated.bound !== undefined ? pretty(violated.bound, 600) : null,
    replay: violated?.command ?? interrupted?.command ?? null,
    plot: v.plot ?? null,
  };
}

export function mutantRecords(m: MutationReport): MutantRecord[] {
  return m.mutants.map((r) => ({
    schema: RECORD_SCHEMA, type: 'mutant', id: r.id, bug: r.bug, status: r.status,
    attempts: r.attempts.map((a) => ({ property: a.property, status: a.status, killed: a.killed, discarded: a.discarded !== undefined })),
  }));
}

/** JSONL text: one record per line, trailing newline (records hold plain arrays; JSON writes NaN and Infinity as null). */
export function writeRecords(r: Records): string {
  const all: AnyRecord[] = [r.run, ...r.theorems, ...r.mutants];
  return all.map((x) => JSON.stringify(x)).join('\n') + '\n';
}

/** Parse JSONL records; errors name the line and the rule. Records of unknown types are skipped. */
export function readRecords(text: string, where = 'records'): Records {
  let run: RunRecord | undefined;
  const theorems: TheoremRecord[] = [];
  const mutants: MutantRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch (e) {
      throw new Error(`readRecords: ${where} line ${i + 1} is not JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new Error(`readRecords: ${where} line ${i + 1} must be a JSON object`);
    const rec = o as Record<string, unknown>;
    if (rec.schema !== RECORD_SCHEMA) throw new Error(`readRecords: ${where} line ${i + 1} has schema ${JSON.stringify(rec.schema)}, expected '${RECORD_SCHEMA}'`);
    if (rec.type === 'run') {
      if (run !== undefined) throw new Error(`readRecords: ${where} line ${i + 1} is a second 'run' record`);
      if (!Number.isInteger(rec.seed) || typeof rec.profile !== 'string') throw new Error(`readRecords: ${where} line ${i + 1}: a run record needs an integer seed and a profile`);
      run = rec as unknown as RunRecord;
    } else if (rec.type === 'theorem') {
      for (const k of ['id', 'family', 'file', 'title', 'kind', 'statement', 'status', 'outcome', 'evidence'] as const) {
        if (typeof rec[k] !== 'string') throw new Error(`readRecords: ${where} line ${i + 1}: theorem field '${k}' must be a string, got ${JSON.stringify(rec[k])}`);
      }
      theorems.push(rec as unknown as TheoremRecord);
    } else if (rec.type === 'mutant') mutants.push(rec as unknown as MutantRecord);
  }
  if (run === undefined) throw new Error(`readRecords: ${where} has no 'run' record`);
  if (theorems.length === 0) throw new Error(`readRecords: ${where} has no 'theorem' record`);
  return { run, theorems, mutants };
}
