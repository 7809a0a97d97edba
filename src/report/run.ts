/**
 * recordRun: check the selected theorems (as `lsgd-spec check` does) and, optionally, the mutation report, and
 * return the run records (records.ts) together with the report entries the Markdown report uses.
 */
import { mutationReport, type MutationReport } from '../gate/mutationReport.ts';
import type { ReportEntry } from '../spec/markdown.ts';
import type { RegistryEntry } from '../spec/registry.ts';
import { checkTheorem } from '../spec/runner.ts';
import type { ProfileName, Subject } from '../spec/types.ts';
import { mutantRecords, RECORD_SCHEMA, theoremRecord, type Records } from './records.ts';

export interface RecordRunOptions {
  readonly subject: Subject;
  /** in words, for the run record */
  readonly subjectName: string;
  readonly seed: number;
  readonly profile: ProfileName;
  /** also run the mutation report (built-in subject only) */
  readonly mutants: boolean;
  /** progress, one line per theorem */
  readonly progress?: (line: string) => void;
}

export interface RecordedRun {
  readonly records: Records;
  readonly entries: ReportEntry[];
  readonly mutation: MutationReport | undefined;
}

export async function recordRun(entries: readonly RegistryEntry[], o: RecordRunOptions): Promise<RecordedRun> {
  const out: ReportEntry[] = [];
  for (const e of entries) {
    const verdict = await checkTheorem(e.theorem, { subject: o.subject, seed: o.seed, profile: o.profile });
    out.push({ theorem: e.theorem, family: e.family, file: e.file, verdict });
    o.progress?.(`report: ${e.id} ${verdict.status}`);
  }
  const mutation = o.mutants ? await mutationReport({ seed: o.seed, profile: o.profile }) : undefined;
  const records: Records = {
    run: { schema: RECORD_SCHEMA, type: 'run', seed: o.seed, profile: o.profile, subject: o.subjectName },
    theorems: out.map((e) => theoremRecord(e.theorem, e.family, e.file, e.verdict)),
    mutants: mutation ? mutantRecords(mutation) : [],
  };
  return { records, entries: out, mutation };
}
