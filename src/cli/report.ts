/**
 * `lsgd-spec report [--out FILE|DIR] [--profile ci|default|hunt] [--seed S] [--family F] [--mutants]
 *  [--subject MODULE.ts | --subject-cmd COMMAND] [--html [--from RUN.jsonl]]`
 * Runs every theorem (as `check` does) and writes the evidence report: Markdown (src/spec/markdown.ts) by default, or
 * with --html the static evidence site (src/report/html, default folder docs/report) built from the run's records;
 * --from RUN.jsonl builds the site from saved records instead of running. --mutants adds the mutation matrix.
 * Deterministic for a seed. Exit codes: 0 every theorem met its expectation, 1 one did not, 2 a usage or input error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { bool, inputFile, oneOf, outputFile, parseArgs, seedOf, str, UsageError, type FlagSpecs } from './args.ts';
import { helpText, wantsHelp } from './help.ts';
import { EXIT_FAILED, EXIT_OK, errOf, guarded, messageOf, outOf, type CliIo } from './io.ts';
import { openSubject, REPO_ROOT, type OpenedSubject } from '../subject/index.ts';
import { mutationMarkdown } from '../gate/mutationText.ts';
import { writeSite } from '../report/html/site.ts';
import { readRecords, type Records } from '../report/records.ts';
import { recordRun } from '../report/run.ts';
import { markdownReport } from '../spec/markdown.ts';
import { loadRegistry, selectEntries } from '../spec/registry.ts';
import { PROFILE_NAMES, type ProfileName } from '../spec/types.ts';
import { outcomeOf } from '../spec/verdict.ts';

const CMD = 'report';

export const REPORT_FLAGS = {
  out: { type: 'string' }, profile: { type: 'string' }, seed: { type: 'string' }, family: { type: 'string' },
  subject: { type: 'string' }, 'subject-cmd': { type: 'string' }, mutants: { type: 'boolean' },
  html: { type: 'boolean' }, from: { type: 'string' },
} as const satisfies FlagSpecs;

export type ReportIo = CliIo;

export async function runReport(argv: readonly string[], io: ReportIo = {}): Promise<number> {
  return guarded(argv, io, async () => {
    const out = outOf(io);
    const err = errOf(io);
    if (wantsHelp(argv)) {
      out(helpText(CMD));
      return EXIT_OK;
    }
    const a = parseArgs(argv, REPORT_FLAGS, CMD);
    if (a.positional.length > 0) throw new UsageError(`${CMD}: unexpected argument '${a.positional[0]}'`);
    const html = bool(a, 'html');
    const from = str(a, 'from');
    const outFlag = str(a, 'out');
    if (from !== undefined) {
      if (!html) throw new UsageError(`${CMD}: --from RUN.jsonl needs --html`);
      for (const f of ['profile', 'seed', 'family', 'subject', 'subject-cmd', 'mutants']) {
        if (a.flags[f] !== undefined) throw new UsageError(`${CMD}: --${f} does not apply with --from (the records fix the run)`);
      }
      const file = inputFile(from, '--from', CMD);
      return htmlSite(readRecords(readFileSync(file, 'utf8'), from), outFlag, out);
    }
    const profile = oneOf(str(a, 'profile'), 'profile', CMD, PROFILE_NAMES, 'ci');
    const seed = seedOf(str(a, 'seed'), io.env ?? process.env, CMD);
    const subjectFlag = str(a, 'subject');
    const subjectCmd = str(a, 'subject-cmd');
    if (subjectFlag !== undefined && subjectCmd !== undefined) throw new UsageError(`${CMD}: give --subject MODULE.ts or --subject-cmd COMMAND, not both`);
    // every path is checked before any theorem runs (the site folder is created when written)
    const outFile = outFlag === undefined || html ? undefined : outputFile(outFlag, '--out', CMD);
    if (subjectFlag !== undefined && subjectFlag !== 'builtin') inputFile(subjectFlag, '--subject', CMD);
    const subjectName = subjectCmd !== undefined ? `command \`${subjectCmd}\`` : subjectFlag !== undefined ? `module ${subjectFlag}` : 'the built-in reference optimizers';
    let opened: OpenedSubject;
    try {
      opened = await openSubject(
        subjectCmd !== undefined ? { kind: 'command', command: subjectCmd, cwd: process.cwd() }
          : subjectFlag !== undefined && subjectFlag !== 'builtin' ? { kind: 'module', path: subjectFlag, base: process.cwd() } : { kind: 'builtin' },
        { onNote: err, onOutput: err },
      );
    } catch (e) {
      throw new UsageError(`${CMD}: ${messageOf(e)}`);
    }
    try {
      return await reportWith(opened, { family: str(a, 'family'), mutants: bool(a, 'mutants'), html, outFlag, outFile, seed, profile, subjectName }, io);
    } finally {
      opened.close();
    }
  });
}

interface ReportRun {
  readonly family?: string;
  readonly mutants: boolean;
  readonly html: boolean;
  readonly outFlag?: string;
  readonly outFile?: string;
  readonly seed: number;
  readonly profile: ProfileName;
  readonly subjectName: string;
}

async function reportWith(opened: OpenedSubject, r: ReportRun, io: ReportIo): Promise<number> {
  const out = outOf(io);
  const err = errOf(io);
  const { seed, profile, subjectName } = r;
  const reg = await loadRegistry({ root: REPO_ROOT });
  for (const e of reg.errors) err(e);
  const sel = selectEntries(reg, { ids: [], family: r.family });
  for (const e of sel.errors) err(e);
  if (sel.errors.length > 0) throw new UsageError(`${CMD}: ${sel.errors[0]}`);
  if (sel.entries.length === 0) throw new UsageError(`${CMD}: no theorem selected`);

  const run = await recordRun(sel.entries, { subject: opened.subject, subjectName, seed, profile, mutants: r.mutants, progress: err });
  const entries = run.entries;
  const failed = entries.filter((e) => outcomeOf(e.verdict, e.theorem.expect ?? 'holds') === 'fail').length;
  const code = failed === 0 && reg.errors.length === 0 ? EXIT_OK : EXIT_FAILED;
  if (r.html) return (await htmlSite(run.records, r.outFlag, out)) || code;
  const appendix = run.mutation ? mutationMarkdown(run.mutation) : undefined;
  const outFile = r.outFile;
  const linkRoot = outFile === undefined ? '' : relative(dirname(outFile), REPO_ROOT).split(sep).join('/');
  const md = markdownReport(entries, { seed, profile, subject: subjectName, linkRoot: linkRoot === '' ? '' : `${linkRoot}/`, ...(appendix ? { appendix } : {}) });
  if (outFile !== undefined) {
    writeFileSync(outFile, md);
    out(`report: wrote ${outFile} (${entries.length} theorems, seed ${seed}, profile ${profile})`);
  } else out(md);
  return code;
}

/** Write the HTML site; 0, or 1 when the records say a theorem did not meet its expectation. */
async function htmlSite(records: Records, outFlag: string | undefined, out: (s: string) => void): Promise<number> {
  const outDir = resolve(outFlag ?? 'docs/report');
  const rel = relative(outDir, REPO_ROOT).split(sep).join('/');
  const n = await writeSite(records, outDir, { repoRoot: REPO_ROOT, repoFromSite: rel === '' ? '' : `${rel}/` });
  out(`report: wrote ${n} files to ${outDir} (${records.theorems.length} theorems, seed ${records.run.seed}, profile ${records.run.profile})`);
  return records.theorems.some((t) => t.outcome === 'fail') ? EXIT_FAILED : EXIT_OK;
}

export async function run(argv: string[], io: ReportIo = {}): Promise<number> {
  return runReport(argv, io);
}
