/**
 * `lsgd-spec check [--id ID]... [--family F] [--profile ci|default|hunt] [--seed S] [--path P] [--json]
 *  [--subject builtin|MODULE.ts | --subject-cmd COMMAND] [--cmd-timeout-ms MS] [--runs N] [--budget-ms MS] [--root DIR]
 *  [--allow-unexercised] [--no-shrink] [--corpus DIR]`
 * --corpus DIR (default .lsgd/corpus when it exists) replays the hunt's corpus entries of the selected theorems first.
 * --subject runs a plug-in module in a worker thread, --subject-cmd a command in any language as one long-lived
 * process (lsgd-spec/2, ci/PROTOCOL.md; src/subject/open.ts). Loads the property registry, runs each selected theorem
 * on the subject, prints the reports. Exit code 0 iff every verdict meets its theorem's expectation (holds or is not
 * applicable; for a recorded refutation, expect: 'refuted', anything but a broken check), the registry had no
 * errors, and at least one theorem was exercised (unless --allow-unexercised).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { intFlag, parseArgs } from './args.ts';
import { openSubject, REPO_ROOT, type OpenedSubject, type SubjectSource } from '../subject/index.ts';
import { replayForCheck } from '../hunt/corpus.ts';
import { loadRegistry, selectEntries } from '../spec/registry.ts';
import { jsonReport, summaryLine, textReport } from '../spec/reporter.ts';
import { checkTheorem, replayCommand, type ReplayInfo } from '../spec/runner.ts';
import { parseSeed, resolveSeed } from '../spec/seed.ts';
import { PROFILE_NAMES, type ProfileName } from '../spec/types.ts';
import { outcomeOf, type Outcome, type Verdict } from '../spec/verdict.ts';

export interface CheckEnv {
  /** root holding properties/ and proofs-notes/, also the base of a relative --subject (default: the registry is
   *  this package's own, wherever the command is run from, and --subject is relative to the working directory) */
  readonly root?: string;
  readonly env?: Record<string, string | undefined>;
  readonly out?: (s: string) => void;
  readonly err?: (s: string) => void;
}

const CMD = 'check';

/** Pull every `--id X` / `--id=X` out of argv (parseArgs keeps only the last value of a repeated flag). */
function extractIds(argv: readonly string[]): { ids: string[]; rest: string[] } {
  const ids: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--id') {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${CMD}: flag --id needs a value`);
      ids.push(v);
    } else if (a.startsWith('--id=')) ids.push(a.slice(5));
    else rest.push(a);
  }
  return { ids, rest };
}

/** Pull `--name V` / `--name=V` out of argv (at most once). */
function extractValue(argv: readonly string[], name: string): { rest: string[]; value: string | undefined } {
  const rest: string[] = [];
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    let v: string | undefined;
    if (a === name) {
      v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${CMD}: flag ${name} needs a value`);
    } else if (a.startsWith(`${name}=`)) v = a.slice(name.length + 1);
    else {
      rest.push(a);
      continue;
    }
    if (value !== undefined) throw new Error(`${CMD}: flag ${name} given twice`);
    value = v;
  }
  if (value !== undefined && !existsSync(join(value, 'properties'))) throw new Error(`${CMD}: ${name} ${value}: no properties/ folder there`);
  return { rest, value };
}

export async function runCheck(argv: readonly string[], io: CheckEnv = {}): Promise<number> {
  const out = io.out ?? ((s: string) => console.log(s));
  const err = io.err ?? ((s: string) => console.error(s));
  // the registry is lsgd-spec's own (so `npx lsgd-spec check --subject my.ts` works from a user's repository);
  // --root DIR checks another registry (a fork's properties/ and proofs-notes/)
  const { rest: rest0, value: rootFlag } = extractValue(argv, '--root');
  const root = rootFlag ?? io.root ?? REPO_ROOT;
  const subjectBase = rootFlag === undefined && io.root !== undefined ? io.root : process.cwd();
  const { ids, rest } = extractIds(rest0);
  const { positional, flags } = parseArgs(rest, { values: ['family', 'profile', 'seed', 'path', 'subject', 'subject-cmd', 'cmd-timeout-ms', 'runs', 'budget-ms', 'corpus'], booleans: ['json', 'allow-unexercised', 'no-shrink'] }, CMD);
  if (positional.length > 0) throw new Error(`${CMD}: unexpected argument '${positional[0]}' (use --id ID)`);
  const profile = (flags.profile ?? 'default') as string;
  if (!(PROFILE_NAMES as readonly string[]).includes(profile)) throw new Error(`${CMD}: --profile must be one of ${PROFILE_NAMES.join(', ')}, got '${profile}'`);
  const seed = typeof flags.seed === 'string' ? parseSeed(flags.seed, `${CMD}: --seed`) : resolveSeed(io.env ?? process.env).seed;
  const path = typeof flags.path === 'string' ? flags.path : undefined;
  if (path !== undefined && !/^\d+(:\d+)*$/.test(path)) throw new Error(`${CMD}: --path must look like 3:1:0, got '${path}'`);
  const numRuns = flags.runs === undefined ? undefined : intFlag(flags.runs, 'runs', CMD, 1, 10_000_000, 1);
  const timeBudgetMs = flags['budget-ms'] === undefined ? undefined : intFlag(flags['budget-ms'], 'budget-ms', CMD, 1, 2 ** 31 - 1, 1);
  const family = typeof flags.family === 'string' ? flags.family : undefined;
  const subjectSpec = typeof flags.subject === 'string' ? flags.subject : 'builtin';
  const subjectCmd = typeof flags['subject-cmd'] === 'string' ? flags['subject-cmd'] : undefined;
  if (subjectCmd !== undefined && typeof flags.subject === 'string') throw new Error(`${CMD}: give --subject MODULE.ts or --subject-cmd COMMAND, not both`);
  const cmdTimeoutMs = flags['cmd-timeout-ms'] === undefined ? undefined : intFlag(flags['cmd-timeout-ms'], 'cmd-timeout-ms', CMD, 1, 2 ** 31 - 1, 1);
  const json = flags.json === true;

  const reg = await loadRegistry({ root, includeUnderscore: family?.startsWith('_') ?? false });
  for (const e of reg.errors) err(e);
  if (reg.entries.length === 0) {
    err('no properties found');
    return 1;
  }
  const sel = selectEntries(reg, { ids, family });
  for (const e of sel.errors) err(e);
  if (sel.errors.length > 0) return 1;
  if (path !== undefined && sel.entries.length !== 1) throw new Error(`${CMD}: --path replays one counterexample; select exactly one theorem with --id (selected ${sel.entries.length})`);

  const source: SubjectSource = subjectCmd !== undefined ? { kind: 'command', command: subjectCmd, cwd: subjectBase }
    : subjectSpec === 'builtin' ? { kind: 'builtin' } : { kind: 'module', path: subjectSpec, base: subjectBase };
  // names a theorem of this registry requires (underscore families too) are capabilities as well as the catalogue's
  const all = family?.startsWith('_') ? reg : await loadRegistry({ root, includeUnderscore: true });
  const extraNames = [...new Set(all.entries.flatMap((e) => e.theorem.requires))];
  const opened = await openSubject(source, { ...(cmdTimeoutMs === undefined ? {} : { timeoutMs: cmdTimeoutMs }), onNote: err, onOutput: err, extraNames });
  try {
    return await checkWith(opened, { sel, reg, seed, profile: profile as ProfileName, numRuns, path, timeBudgetMs, json, allowUnexercised: flags['allow-unexercised'] === true, shrink: flags['no-shrink'] !== true, out, err, corpus: typeof flags.corpus === 'string' ? flags.corpus : undefined });
  } finally {
    opened.close();
  }
}

interface CheckRun {
  readonly sel: ReturnType<typeof selectEntries>;
  readonly reg: Awaited<ReturnType<typeof loadRegistry>>;
  readonly seed: number;
  readonly profile: ProfileName;
  readonly numRuns?: number;
  readonly path?: string;
  readonly timeBudgetMs?: number;
  readonly json: boolean;
  readonly allowUnexercised: boolean;
  /** false (--no-shrink): report the first failure (or the case at --path) as it is */
  readonly shrink: boolean;
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  /** --corpus DIR (undefined: .lsgd/corpus when it exists) */
  readonly corpus?: string;
}

async function checkWith(opened: OpenedSubject, run: CheckRun): Promise<number> {
  const { sel, reg, seed, profile, numRuns, path, timeBudgetMs, json, shrink, out, err } = run;
  const subject = opened.subject;
  const command = (r: ReplayInfo) => replayCommand(r) + opened.flags;
  // the hunt's corpus first (src/hunt/corpus.ts): every recorded counterexample of a selected theorem is replayed
  const corpusFailed = await replayForCheck(run.corpus, process.cwd(), new Map(sel.entries.map((e) => [e.id, e.theorem])), subject, profile, json ? err : out);
  const verdicts: Verdict[] = [];
  const outcomes: Outcome[] = [];
  let findings = 0;
  for (const entry of sel.entries) {
    const v = await checkTheorem(entry.theorem, { subject, seed, profile, numRuns, path, timeBudgetMs, shrink, sampler: opened.sampler, replayCommand: command });
    const expect = entry.theorem.expect ?? 'holds';
    const o = outcomeOf(v, expect);
    verdicts.push(v);
    outcomes.push(o);
    if (expect === 'refuted') findings++;
    if (json) continue;
    if (expect === 'refuted' && !(v.status === 'interrupted' && v.cause === 'not-applicable')) {
      // a recorded finding: the statement is a reading of a paper that we have refuted (see its proof note)
      // (o is 'pass' only with a violated verdict here: not-applicable was excluded above)
      const tag = o === 'pass' ? '(expected: a recorded refutation, reproduced)'
        : o === 'not-reproduced' ? `(expected a recorded refutation; not reproduced with seed ${seed} at profile ${profile}: not a failure)`
        : '(expected a recorded refutation; the check itself failed)';
      out(`${v.status === 'violated' || o === 'fail' ? textReport(v, { theorem: entry.theorem }) : summaryLine(v)}\n  finding ${tag}`);
    } else out(o === 'fail' ? textReport(v, { theorem: entry.theorem }) : summaryLine(v));
  }
  const failed = outcomes.filter((o) => o === 'fail').length;
  // a run in which every theorem was "not applicable" checked nothing: that is a failure unless asked for
  const exercised = verdicts.filter((v) => !(v.status === 'interrupted' && v.cause === 'not-applicable')).length;
  const unexercised = exercised === 0 && !run.allowUnexercised;
  if (unexercised) {
    const needs = [...new Set(sel.entries.flatMap((e) => [...e.theorem.requires, ...(e.theorem.requiresAny ?? [])]))].sort();
    err(`check: no theorem was exercised: the subject offers ${Object.keys(subject).sort().join(', ') || 'nothing'}, the selected theorems need ${needs.join(', ') || 'nothing'} (--allow-unexercised accepts this)`);
  }
  const st = opened.stats();
  if (opened.kind === 'command') err(`subject: ${st.starts} process start${st.starts === 1 ? '' : 's'}, ${st.calls} requests, ${st.retries} retried after a crash or timeout`);
  if (json) out(jsonReport(verdicts.map((v, i) => Object.assign({}, v, { expect: sel.entries[i].theorem.expect ?? 'holds', outcome: outcomes[i] }))));
  else {
    const count = (s: Verdict['status']) => verdicts.filter((v) => v.status === s).length;
    const notRepro = outcomes.filter((o) => o === 'not-reproduced').length;
    out(`\n${verdicts.length} theorems: ${count('holds')} hold, ${count('violated')} violated, ${count('vacuous')} vacuous, ${count('interrupted')} interrupted` +
      ` (${verdicts.filter((v) => v.status === 'interrupted' && v.cause === 'not-applicable').length} not applicable); seed ${seed}, profile ${profile}`);
    const reproduced = verdicts.filter((v, i) => (sel.entries[i].theorem.expect ?? 'holds') === 'refuted' && v.status === 'violated').length;
    if (findings > 0) out(`${findings} of them are recorded refutations (expect: 'refuted'): ${reproduced} reproduced, ${notRepro} not reproduced this run${findings - reproduced - notRepro > 0 ? `, ${findings - reproduced - notRepro} not applicable or broken` : ''}`);
    const problems = [
      ...(failed > 0 ? [`${failed} theorem${failed === 1 ? '' : 's'} did not meet ${failed === 1 ? 'its' : 'their'} expectation`] : []),
      ...(reg.errors.length > 0 ? [`${reg.errors.length} registry error${reg.errors.length === 1 ? '' : 's'} (printed first)`] : []),
      ...(corpusFailed > 0 ? [`${corpusFailed} corpus case${corpusFailed === 1 ? '' : 's'} failed (printed first)`] : []),
      ...(unexercised ? ['no theorem was exercised'] : []),
    ];
    out(problems.length === 0 ? 'check passed: every theorem met its expectation' : `check FAILED: ${problems.join(', ')}`);
  }
  return failed === 0 && corpusFailed === 0 && reg.errors.length === 0 && !unexercised ? 0 : 1;
}

export async function run(argv: string[]): Promise<number> {
  return runCheck(argv);
}
