/**
 * `lsgd-spec report [--out FILE] [--profile ci|default|hunt] [--seed S] [--family F] [--mutants]
 *  [--subject MODULE.ts | --subject-cmd COMMAND]`
 * Runs every theorem (as `check` does) and writes the evidence report in Markdown (src/spec/markdown.ts): the
 * statement, source, hypotheses, outcome and evidence of each, linked to its proof note; --mutants appends the
 * mutation matrix. Deterministic for a seed. Exit code as `check`: 0 iff every theorem met its expectation.
 */
import { writeFileSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import { bool, inputFile, oneOf, outputFile, parseArgs, seedOf, str, UsageError, type FlagSpecs } from './args.ts';
import { helpText, wantsHelp } from './help.ts';
import { EXIT_FAILED, EXIT_OK, errOf, guarded, messageOf, outOf, type CliIo } from './io.ts';
import { openSubject, REPO_ROOT, type OpenedSubject } from '../subject/index.ts';
import { mutationReport } from '../gate/mutationReport.ts';
import { mutationMarkdown } from '../gate/mutationText.ts';
import { markdownReport, type ReportEntry } from '../spec/markdown.ts';
import { loadRegistry, selectEntries } from '../spec/registry.ts';
import { checkTheorem } from '../spec/runner.ts';
import { PROFILE_NAMES, type ProfileName } from '../spec/types.ts';
import { outcomeOf } from '../spec/verdict.ts';

const CMD = 'report';

export const REPORT_FLAGS = {
  out: { type: 'string' }, profile: { type: 'string' }, seed: { type: 'string' }, family: { type: 'string' },
  subject: { type: 'string' }, 'subject-cmd': { type: 'string' }, mutants: { type: 'boolean' },
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
    const profile = oneOf(str(a, 'profile'), 'profile', CMD, PROFILE_NAMES, 'ci');
    const seed = seedOf(str(a, 'seed'), io.env ?? process.env, CMD);
    const subjectFlag = str(a, 'subject');
    const subjectCmd = str(a, 'subject-cmd');
    if (subjectFlag !== undefined && subjectCmd !== undefined) throw new UsageError(`${CMD}: give --subject MODULE.ts or --subject-cmd COMMAND, not both`);
    // every path is checked before any theorem runs
    const outFlag = str(a, 'out');
    const outFile = outFlag === undefined ? undefined : outputFile(outFlag, '--out', CMD);
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
      return await reportWith(opened, { family: str(a, 'family'), mutants: bool(a, 'mutants'), outFile, seed, profile, subjectName }, io);
    } finally {
      opened.close();
    }
  });
}

interface ReportRun {
  readonly family?: string;
  readonly mutants: boolean;
  readonly outFile?: string;
  readonly seed: number;
  readonly profile: ProfileName;
  readonly subjectName: string;
}

async function reportWith(opened: OpenedSubject, { family, mutants, outFile, seed, profile, subjectName }: ReportRun, io: ReportIo): Promise<number> {
  const out = outOf(io);
  const err = errOf(io);
  const subject = opened.subject;
  const reg = await loadRegistry({ root: REPO_ROOT });
  for (const e of reg.errors) err(e);
  const sel = selectEntries(reg, { ids: [], family });
  if (sel.errors.length > 0) throw new UsageError(sel.errors.join('; ').replace(/^check: /, `${CMD}: `));
  if (sel.entries.length === 0) throw new Error(`${CMD}: no properties found under ${REPO_ROOT}`);

  const entries: ReportEntry[] = [];
  for (const e of sel.entries) {
    const verdict = await checkTheorem(e.theorem, { subject, seed, profile });
    entries.push({ theorem: e.theorem, family: e.family, file: e.file, verdict });
    err(`report: ${e.id} ${verdict.status}`);
  }
  const appendix = mutants ? mutationMarkdown(await mutationReport({ seed, profile })) : undefined;
  const linkRoot = outFile === undefined ? '' : relative(dirname(outFile), REPO_ROOT).split(sep).join('/');
  const md = markdownReport(entries, { seed, profile, subject: subjectName, linkRoot: linkRoot === '' ? '' : `${linkRoot}/`, ...(appendix ? { appendix } : {}) });
  if (outFile !== undefined) {
    writeFileSync(outFile, md);
    out(`report: wrote ${outFile} (${entries.length} theorems, seed ${seed}, profile ${profile})`);
  } else out(md);
  const failed = entries.filter((e) => outcomeOf(e.verdict, e.theorem.expect ?? 'holds') === 'fail').length;
  return failed === 0 && reg.errors.length === 0 ? EXIT_OK : EXIT_FAILED;
}

export async function run(argv: string[], io: ReportIo = {}): Promise<number> {
  return runReport(argv, io);
}
