/**
 * `lsgd-spec report [--out FILE] [--profile ci|default|hunt] [--seed S] [--family F] [--mutants]
 *  [--subject MODULE.ts | --subject-cmd COMMAND]`
 * Runs every theorem (as `check` does) and writes the evidence report in Markdown (src/spec/markdown.ts): the
 * statement, source, hypotheses, outcome and evidence of each, linked to its proof note; --mutants appends the
 * mutation matrix. Deterministic for a seed. Exit code as `check`: 0 iff every theorem met its expectation.
 */
import { writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { parseArgs } from './args.ts';
import { openSubject, REPO_ROOT } from '../subject/index.ts';
import { mutationReport } from '../gate/mutationReport.ts';
import { mutationMarkdown } from '../gate/mutationText.ts';
import { markdownReport, type ReportEntry } from '../spec/markdown.ts';
import { loadRegistry, selectEntries } from '../spec/registry.ts';
import { checkTheorem } from '../spec/runner.ts';
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
  const { positional, flags } = parseArgs(argv, { values: ['out', 'profile', 'seed', 'family', 'subject', 'subject-cmd'], booleans: ['mutants'] }, CMD);
  if (positional.length > 0) throw new Error(`${CMD}: unexpected argument '${positional[0]}'`);
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

  const entries: ReportEntry[] = [];
  for (const e of sel.entries) {
    const verdict = await checkTheorem(e.theorem, { subject, seed, profile });
    entries.push({ theorem: e.theorem, family: e.family, file: e.file, verdict });
    err(`report: ${e.id} ${verdict.status}`);
  }
  const appendix = flags.mutants === true ? mutationMarkdown(await mutationReport({ seed, profile })) : undefined;
  const outFile = typeof flags.out === 'string' ? resolve(flags.out) : undefined;
  const linkRoot = outFile === undefined ? '' : relative(dirname(outFile), REPO_ROOT).split(sep).join('/');
  const md = markdownReport(entries, { seed, profile, subject: subjectName, linkRoot: linkRoot === '' ? '' : `${linkRoot}/`, ...(appendix ? { appendix } : {}) });
  if (outFile !== undefined) {
    writeFileSync(outFile, md);
    out(`report: wrote ${outFile} (${entries.length} theorems, seed ${seed}, profile ${profile})`);
  } else out(md);
  const failed = entries.filter((e) => outcomeOf(e.verdict, e.theorem.expect ?? 'holds') === 'fail').length;
  return failed === 0 && reg.errors.length === 0 ? 0 : 1;
}

export async function run(argv: string[]): Promise<number> {
  return runReport(argv);
}
