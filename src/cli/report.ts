/**
 * `lsgd-spec report [--out FILE] [--profile ci|default|hunt] [--seed S] [--family F] [--mutants]
 *  [--subject MODULE.ts | --subject-cmd COMMAND]`
 * Runs every theorem (as `check` does) and writes the evidence report in Markdown (src/spec/markdown.ts): the
 * statement, source, hypotheses, outcome and evidence of each, linked to its proof note; --mutants appends the
 * mutation matrix. Deterministic for a seed. Exit code as `check`: 0 iff every theorem met its expectation.
 * `lsgd-spec report --html [--from RUN.jsonl] [--out DIR] [...]` writes the static HTML site instead
 * (src/report/html/site.ts) into DIR (default docs/report), from this run or from the records of an earlier one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { parseArgs } from './args.ts';
import { openSubject, REPO_ROOT } from '../subject/index.ts';
import { mutationMarkdown } from '../gate/mutationText.ts';
import { writeSite } from '../report/html/site.ts';
import { readRecords, type Records } from '../report/records.ts';
import { recordRun } from '../report/run.ts';
import { markdownReport } from '../spec/markdown.ts';
import { loadRegistry, selectEntries } from '../spec/registry.ts';
import { parseSeed, resolveSeed } from '../spec/seed.ts';
import { PROFILE_NAMES, type ProfileName, type Subject } from '../spec/types.ts';
import { outcomeOf } from '../spec/verdict.ts';

const CMD = 'report';

export interface ReportIo {
  readonly env?: Record<string, string | undefined>;
  readonly out?: (s: string) => void;
  readonly err?: (s: string) => void;
}

export async function runReport(argv: readonly string[], io: ReportIo = {}): Promise<number> {
  const out = io.out ?? ((s: string) => console.log(s));
  const err = io.err ?? ((s: string) => console.error(s));
  const { positional, flags } = parseArgs(argv, { values: ['out', 'profile', 'seed', 'family', 'subject', 'subject-cmd', 'from'], booleans: ['mutants', 'html'] }, CMD);
  if (positional.length > 0) throw new Error(`${CMD}: unexpected argument '${positional[0]}'`);
  if (typeof flags.from === 'string' && flags.html !== true) throw new Error(`${CMD}: --from RUN.jsonl needs --html`);
  if (typeof flags.from === 'string') {
    for (const f of ['profile', 'seed', 'family', 'subject', 'subject-cmd', 'mutants']) if (flags[f] !== undefined) throw new Error(`${CMD}: --${f} does not apply with --from (the records fix the run)`);
    return htmlSite(readRecords(readFileSync(resolve(flags.from), 'utf8'), flags.from), flags.out, out);
  }
  const profile = (flags.profile ?? 'ci') as string;
  if (!(PROFILE_NAMES as readonly string[]).includes(profile)) throw new Error(`${CMD}: --profile must be one of ${PROFILE_NAMES.join(', ')}, got '${profile}'`);
  const seed = typeof flags.seed === 'string' ? parseSeed(flags.seed, `${CMD}: --seed`) : resolveSeed(io.env ?? process.env).seed;
  if (typeof flags.subject === 'string' && typeof flags['subject-cmd'] === 'string') throw new Error(`${CMD}: give --subject MODULE.ts or --subject-cmd COMMAND, not both`);
  const subjectName = typeof flags['subject-cmd'] === 'string' ? `command \`${flags['subject-cmd']}\`` : typeof flags.subject === 'string' ? `module ${flags.subject}` : 'the built-in reference optimizers';
  const opened = await openSubject(
    typeof flags['subject-cmd'] === 'string' ? { kind: 'command', command: flags['subject-cmd'], cwd: process.cwd() }
      : typeof flags.subject === 'string' ? { kind: 'module', path: flags.subject, base: process.cwd() } : { kind: 'builtin' },
    { onNote: err, onOutput: err },
  );
  try {
    return await reportWith(opened.subject, { flags, seed, profile: profile as ProfileName, subjectName, out, err });
  } finally {
    opened.close();
  }
}

interface ReportRun {
  readonly flags: Record<string, string | true>;
  readonly seed: number;
  readonly profile: ProfileName;
  readonly subjectName: string;
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

async function reportWith(subject: Subject, { flags, seed, profile, subjectName, out, err }: ReportRun): Promise<number> {

  const reg = await loadRegistry({ root: REPO_ROOT });
  for (const e of reg.errors) err(e);
  const sel = selectEntries(reg, { ids: [], family: typeof flags.family === 'string' ? flags.family : undefined });
  for (const e of sel.errors) err(e);
  if (sel.errors.length > 0 || sel.entries.length === 0) return 1;

  const run = await recordRun(sel.entries, { subject, subjectName, seed, profile, mutants: flags.mutants === true, progress: err });
  const entries = run.entries;
  const failed = entries.filter((e) => outcomeOf(e.verdict, e.theorem.expect ?? 'holds') === 'fail').length;
  const code = failed === 0 && reg.errors.length === 0 ? 0 : 1;
  if (flags.html === true) return (await htmlSite(run.records, flags.out, out)) || code;
  const appendix = run.mutation ? mutationMarkdown(run.mutation) : undefined;
  const outFile = typeof flags.out === 'string' ? resolve(flags.out) : undefined;
  const linkRoot = outFile === undefined ? '' : relative(dirname(outFile), REPO_ROOT).split(sep).join('/');
  const md = markdownReport(entries, { seed, profile, subject: subjectName, linkRoot: linkRoot === '' ? '' : `${linkRoot}/`, ...(appendix ? { appendix } : {}) });
  if (outFile !== undefined) {
    writeFileSync(outFile, md);
    out(`report: wrote ${outFile} (${entries.length} theorems, seed ${seed}, profile ${profile})`);
  } else out(md);
  return code;
}

/** Write the HTML site; 0, or 1 when the records say a theorem did not meet its expectation. */
async function htmlSite(records: Records, outFlag: string | true | undefined, out: (s: string) => void): Promise<number> {
  const outDir = resolve(typeof outFlag === 'string' ? outFlag : 'docs/report');
  const rel = relative(outDir, REPO_ROOT).split(sep).join('/');
  const n = await writeSite(records, outDir, { repoRoot: REPO_ROOT, repoFromSite: rel === '' ? '' : `${rel}/` });
  out(`report: wrote ${n} files to ${outDir} (${records.theorems.length} theorems, seed ${records.run.seed}, profile ${records.run.profile})`);
  return records.theorems.some((t) => t.outcome === 'fail') ? 1 : 0;
}

export async function run(argv: string[]): Promise<number> {
  return runReport(argv);
}
