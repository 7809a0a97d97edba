/**
 * `lsgd-spec check [--id ID]... [--family F] [--profile ci|default|hunt] [--seed S] [--path P] [--json | --jsonl]
 *  [--junit FILE] [--subject builtin|MODULE | --subject-cmd COMMAND] [--cmd-timeout-ms MS] [--runs N] [--budget-ms MS]
 *  [--root DIR] [--allow-unexercised] [--no-shrink] [--backend cpu|webgpu|auto] [--corpus DIR]` (src/cli/help.ts has the full help with
 *  examples). --corpus DIR (default .lsgd/corpus when it exists) replays the hunt's corpus first. --backend webgpu checks the built-in localGD, localSGD and centralizedGD computed on the GPU in f32.
 * --subject runs a plug-in module in a worker thread, --subject-cmd a command in any language as one long-lived
 * process (lsgd-spec/2, ci/PROTOCOL.md; src/subject/open.ts).
 * Loads the property registry, runs each selected theorem on the subject, prints the reports; --junit writes JUnit
 * XML, --jsonl streams records (src/gate/jsonl.ts), and under GitHub Actions (GITHUB_ACTIONS=true) failures become
 * `::error` annotations and a job summary is appended to $GITHUB_STEP_SUMMARY (src/gate/ciOutputs.ts).
 * Exit code 0 iff every verdict meets its theorem's expectation (holds or is not applicable; for a recorded
 * refutation, expect: 'refuted', anything but a broken check), the registry had no errors, and at least one theorem
 * was exercised (unless --allow-unexercised); 1 otherwise; 2 for a usage or input error, found before any theorem runs.
 */
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { bool, didYouMean, inputDir, inputFile, intFlag, list, oneOf, outputFile, parseArgs, seedOf, str, UsageError, type FlagSpecs } from './args.ts';
import { helpText, wantsHelp } from './help.ts';
import { EXIT_FAILED, EXIT_OK, errOf, guarded, messageOf, outOf, type CliIo } from './io.ts';
import { githubAnnotations, jobSummary, junitXml, type CheckResult } from '../gate/ciOutputs.ts';
import { jsonlCase, jsonlLine, jsonlRun, jsonlSummary, jsonlTheorem } from '../gate/jsonl.ts';
import { openSubject, REPO_ROOT, type OpenedSubject, type SubjectSource } from '../subject/index.ts';
import { openedFromBackend, selectBackend } from '../backends/select.ts';
import { replayForCheck } from '../hunt/corpus.ts';
import { loadRegistry, selectEntries, type Registry, type RegistryEntry } from '../spec/registry.ts';
import { jsonReport, summaryLine, textReport } from '../spec/reporter.ts';
import { checkTheorem, replayCommand, type CaseEvent, type ReplayInfo } from '../spec/runner.ts';
import { PROFILE_NAMES, type ProfileName } from '../spec/types.ts';
import { outcomeOf, type Verdict } from '../spec/verdict.ts';

export interface CheckEnv extends CliIo {
  /** root holding properties/ and proofs-notes/, also the base of a relative --subject (default: the registry is
   *  this package's own, wherever the command is run from, and --subject is relative to the working directory) */
  readonly root?: string;
}

const CMD = 'check';

export const CHECK_FLAGS = {
  id: { type: 'string', multiple: true }, family: { type: 'string' }, profile: { type: 'string' }, seed: { type: 'string' },
  path: { type: 'string' }, subject: { type: 'string' }, 'subject-cmd': { type: 'string' }, 'cmd-timeout-ms': { type: 'string' },
  runs: { type: 'string' }, 'budget-ms': { type: 'string' }, root: { type: 'string' },
  json: { type: 'boolean' }, jsonl: { type: 'boolean' }, junit: { type: 'string' },
  'allow-unexercised': { type: 'boolean' }, 'no-shrink': { type: 'boolean' }, backend: { type: 'string' }, corpus: { type: 'string' },
} as const satisfies FlagSpecs;

export interface CheckOptionsParsed {
  readonly ids: string[];
  readonly family?: string;
  readonly profile: ProfileName;
  readonly seed: number;
  readonly path?: string;
  readonly numRuns?: number;
  readonly timeBudgetMs?: number;
  readonly subjectSpec: string;
  readonly subjectCmd?: string;
  readonly cmdTimeoutMs?: number;
  readonly root: string;
  readonly subjectBase: string;
  readonly format: 'text' | 'json' | 'jsonl';
  readonly junit?: string;
  readonly stepSummary?: string;
  readonly github: boolean;
  readonly allowUnexercised: boolean;
  /** false (--no-shrink): report the first failure (or the case at --path) as it is */
  readonly shrink: boolean;
  /** --backend cpu|webgpu|auto: the built-in optimizers on this device (src/backends/select.ts) */
  readonly backend?: string;
  /** --corpus DIR (undefined: .lsgd/corpus when it exists): the hunt's corpus, replayed first */
  readonly corpus?: string;
}

/** Parse and validate the whole command line (paths included) before any work starts. */
export function parseCheck(argv: readonly string[], io: CheckEnv): CheckOptionsParsed {
  const a = parseArgs(argv, CHECK_FLAGS, CMD);
  if (a.positional.length > 0) throw new UsageError(`${CMD}: unexpected argument '${a.positional[0]}' (use --id ID)`);
  const env = io.env ?? process.env;
  const rootFlag = str(a, 'root');
  // the registry is lsgd-spec's own (so `npx lsgd-spec check --subject my.ts` works from a user's repository);
  // --root DIR checks another registry (a fork's properties/ and proofs-notes/)
  let root = io.root ?? REPO_ROOT;
  if (rootFlag !== undefined) {
    root = inputDir(rootFlag, '--root', CMD);
    if (!existsSync(join(root, 'properties'))) throw new UsageError(`${CMD}: --root ${rootFlag}: no properties/ folder there`);
  }
  const subjectBase = rootFlag === undefined && io.root !== undefined ? io.root : process.cwd();
  const profile = oneOf(str(a, 'profile'), 'profile', CMD, PROFILE_NAMES, 'default');
  const seed = seedOf(str(a, 'seed'), env, CMD);
  const path = str(a, 'path');
  if (path !== undefined && !/^\d+(:\d+)*$/.test(path)) throw new UsageError(`${CMD}: --path must look like 3:1:0, got '${path}'`);
  const runs = str(a, 'runs');
  const budget = str(a, 'budget-ms');
  const cmdTimeout = str(a, 'cmd-timeout-ms');
  const subjectCmd = str(a, 'subject-cmd');
  const subject = str(a, 'subject');
  if (subjectCmd !== undefined && subject !== undefined) throw new UsageError(`${CMD}: give --subject MODULE.ts or --subject-cmd COMMAND, not both`);
  if (str(a, 'backend') !== undefined && (subject !== undefined || subjectCmd !== undefined)) throw new UsageError(`${CMD}: --backend picks the built-in optimizers' device; it cannot be combined with --subject or --subject-cmd`);
  if (subject !== undefined && subject !== 'builtin') inputFile(subject, '--subject', CMD, subjectBase);
  if (bool(a, 'json') && bool(a, 'jsonl')) throw new UsageError(`${CMD}: give --json or --jsonl, not both`);
  const junitFlag = str(a, 'junit');
  const github = env.GITHUB_ACTIONS === 'true';
  const summaryPath = github && env.GITHUB_STEP_SUMMARY ? outputFile(env.GITHUB_STEP_SUMMARY, 'GITHUB_STEP_SUMMARY', CMD) : undefined;
  const ids = list(a, 'id');
  if (path !== undefined && ids.length !== 1) throw new UsageError(`${CMD}: --path replays one counterexample; select exactly one theorem with --id (selected ${ids.length})`);
  return {
    ids, family: str(a, 'family'), profile, seed, path,
    numRuns: runs === undefined ? undefined : intFlag(runs, 'runs', CMD, 1, 10_000_000, 1),
    timeBudgetMs: budget === undefined ? undefined : intFlag(budget, 'budget-ms', CMD, 1, 2 ** 31 - 1, 1),
    subjectSpec: subject ?? 'builtin', subjectCmd,
    cmdTimeoutMs: cmdTimeout === undefined ? undefined : intFlag(cmdTimeout, 'cmd-timeout-ms', CMD, 1, 2 ** 31 - 1, 1),
    root, subjectBase,
    format: bool(a, 'jsonl') ? 'jsonl' : bool(a, 'json') ? 'json' : 'text',
    junit: junitFlag === undefined ? undefined : outputFile(junitFlag, '--junit', CMD),
    stepSummary: summaryPath, github,
    allowUnexercised: bool(a, 'allow-unexercised'), shrink: !bool(a, 'no-shrink'), backend: str(a, 'backend'), corpus: str(a, 'corpus'),
  };
}

export async function runCheck(argv: readonly string[], io: CheckEnv = {}): Promise<number> {
  return guarded(argv, io, () => checkBody(argv, io));
}

async function checkBody(argv: readonly string[], io: CheckEnv): Promise<number> {
  const out = outOf(io);
  const err = errOf(io);
  if (wantsHelp(argv)) {
    out(helpText(CMD));
    return EXIT_OK;
  }
  const o = parseCheck(argv, io);
  const reg = await loadRegistry({ root: o.root, includeUnderscore: o.family?.startsWith('_') ?? false });
  for (const e of reg.errors) err(e);
  if (reg.entries.length === 0) throw new Error(`${CMD}: no properties found under ${o.root}`);
  const sel = selectEntries(reg, { ids: o.ids, family: o.family });
  if (sel.errors.length > 0) {
    const known = reg.entries.map((e) => e.id);
    throw new UsageError(sel.errors.map((m) => {
      const id = /unknown id (\S+)/.exec(m)?.[1];
      const guess = id === undefined ? undefined : didYouMean(id, known);
      return guess ? `${m} (did you mean ${guess}?)` : m;
    }).join('; '));
  }

  const source: SubjectSource = o.subjectCmd !== undefined ? { kind: 'command', command: o.subjectCmd, cwd: o.subjectBase }
    : o.subjectSpec === 'builtin' ? { kind: 'builtin' } : { kind: 'module', path: o.subjectSpec, base: o.subjectBase };
  // names a theorem of this registry requires (underscore families too) are capabilities as well as the catalogue's
  const all = o.family?.startsWith('_') ? reg : await loadRegistry({ root: o.root, includeUnderscore: true });
  const extraNames = [...new Set(all.entries.flatMap((e) => e.theorem.requires))];
  let opened: OpenedSubject;
  try {
    opened = o.backend !== undefined ? openedFromBackend(await selectBackend(o.backend), err)
      : await openSubject(source, { ...(o.cmdTimeoutMs === undefined ? {} : { timeoutMs: o.cmdTimeoutMs }), onNote: err, onOutput: err, extraNames });
  } catch (e) {
    // a plug-in that cannot be loaded or a command that fails its handshake is an input error
    throw new UsageError(`${CMD}: ${messageOf(e)}`);
  }
  try {
    return await checkWith(opened, o, reg, sel.entries, io);
  } finally {
    opened.close();
  }
}

async function checkWith(opened: OpenedSubject, o: CheckOptionsParsed, reg: Registry, entries: readonly RegistryEntry[], io: CheckEnv): Promise<number> {
  const out = outOf(io);
  const err = errOf(io);
  const { profile, seed } = o;
  const machine = o.format !== 'text';
  const subject = opened.subject;
  const subjectName = o.subjectCmd !== undefined ? `command ${o.subjectCmd}` : o.subjectSpec === 'builtin' ? 'built-in reference optimizers' : `module ${o.subjectSpec}`;
  const command = (r: ReplayInfo) => replayCommand(r) + opened.flags;
  if (o.format === 'jsonl') out(jsonlLine(jsonlRun(seed, profile, subjectName, entries.map((e) => e.id))));
  // the hunt's corpus first (src/hunt/corpus.ts): every recorded counterexample of a selected theorem is replayed
  const corpusFailed = await replayForCheck(o.corpus, process.cwd(), new Map(entries.map((e) => [e.id, e.theorem])), subject, profile, machine ? err : out);
  const results: CheckResult[] = [];
  let findings = 0;
  for (const entry of entries) {
    const onCase = o.format === 'jsonl' ? (c: CaseEvent) => out(jsonlLine(jsonlCase(entry.id, c))) : undefined;
    const v = await checkTheorem(entry.theorem, {
      subject, seed, profile, numRuns: o.numRuns, path: o.path, timeBudgetMs: o.timeBudgetMs, shrink: o.shrink, sampler: opened.sampler, precision: opened.precision,
      replayCommand: command, ...(onCase ? { onCase } : {}),
    });
    const expect = entry.theorem.expect ?? 'holds';
    const outcome = outcomeOf(v, expect);
    results.push({ theorem: entry.theorem, family: entry.family, file: entry.file, absFile: join(o.root, entry.file), verdict: v, outcome });
    if (expect === 'refuted') findings++;
    if (o.format === 'jsonl') out(jsonlLine(jsonlTheorem(entry.theorem, entry.family, entry.file, v, outcome)));
    if (machine) continue;
    if (expect === 'refuted' && !(v.status === 'interrupted' && v.cause === 'not-applicable')) {
      // a recorded finding: the statement is a reading of a paper that we have refuted (see its proof note)
      // (outcome is 'pass' only with a violated verdict here: not-applicable was excluded above)
      const tag = outcome === 'pass' ? '(expected: a recorded refutation, reproduced)'
        : outcome === 'not-reproduced' ? `(expected a recorded refutation; not reproduced with seed ${seed} at profile ${profile}: not a failure)`
        : '(expected a recorded refutation; the check itself failed)';
      out(`${v.status === 'violated' || outcome === 'fail' ? textReport(v, { theorem: entry.theorem }) : summaryLine(v)}\n  finding ${tag}`);
    } else out(outcome === 'fail' ? textReport(v, { theorem: entry.theorem }) : summaryLine(v));
  }
  const verdicts = results.map((r) => r.verdict);
  const outcomes = results.map((r) => r.outcome);
  const failed = outcomes.filter((x) => x === 'fail').length;
  // a run in which every theorem was "not applicable" checked nothing: that is a failure unless asked for
  const exercised = verdicts.filter((v) => !(v.status === 'interrupted' && v.cause === 'not-applicable')).length;
  const unexercised = exercised === 0 && !o.allowUnexercised;
  if (unexercised) {
    const needs = [...new Set(entries.flatMap((e) => [...e.theorem.requires, ...(e.theorem.requiresAny ?? [])]))].sort();
    err(`check: no theorem was exercised: the subject offers ${Object.keys(subject).sort().join(', ') || 'nothing'}, the selected theorems need ${needs.join(', ') || 'nothing'} (--allow-unexercised accepts this)`);
  }
  const st = opened.stats();
  if (opened.kind === 'command') err(`subject: ${st.starts} process start${st.starts === 1 ? '' : 's'}, ${st.calls} requests, ${st.retries} retried after a crash or timeout`);
  const code = failed === 0 && corpusFailed === 0 && reg.errors.length === 0 && !unexercised ? EXIT_OK : EXIT_FAILED;
  const meta = { seed, profile, subject: subjectName };
  if (o.junit !== undefined) writeFileSync(o.junit, junitXml(results, meta));
  if (o.github) {
    // workflow commands: on stdout in text mode; on stderr with --json/--jsonl, which keep stdout valid data
    const fileOf = (r: CheckResult) => {
      const rel = relative(process.cwd(), r.absFile).split(sep).join('/');
      return rel.startsWith('..') ? r.absFile : rel;
    };
    for (const line of githubAnnotations(results, fileOf)) (machine ? err : out)(line);
    if (o.stepSummary !== undefined) appendFileSync(o.stepSummary, jobSummary(results, meta, reg.errors));
  }
  if (o.format === 'json') out(jsonReport(verdicts.map((v, i) => Object.assign({}, v, { expect: results[i].theorem.expect ?? 'holds', outcome: outcomes[i] }))));
  else if (o.format === 'jsonl') out(jsonlLine(jsonlSummary(verdicts, outcomes, reg.errors, code)));
  else {
    const count = (s: Verdict['status']) => verdicts.filter((v) => v.status === s).length;
    const notRepro = outcomes.filter((x) => x === 'not-reproduced').length;
    out(`\n${verdicts.length} theorems: ${count('holds')} hold, ${count('violated')} violated, ${count('vacuous')} vacuous, ${count('interrupted')} interrupted` +
      ` (${verdicts.filter((v) => v.status === 'interrupted' && v.cause === 'not-applicable').length} not applicable); seed ${seed}, profile ${profile}`);
    const reproduced = results.filter((r) => (r.theorem.expect ?? 'holds') === 'refuted' && r.verdict.status === 'violated').length;
    if (findings > 0) out(`${findings} of them are recorded refutations (expect: 'refuted'): ${reproduced} reproduced, ${notRepro} not reproduced this run${findings - reproduced - notRepro > 0 ? `, ${findings - reproduced - notRepro} not applicable or broken` : ''}`);
    const problems = [
      ...(failed > 0 ? [`${failed} theorem${failed === 1 ? '' : 's'} did not meet ${failed === 1 ? 'its' : 'their'} expectation`] : []),
      ...(reg.errors.length > 0 ? [`${reg.errors.length} registry error${reg.errors.length === 1 ? '' : 's'} (printed first)`] : []),
      ...(unexercised ? ['no theorem was exercised'] : []),
      ...(corpusFailed > 0 ? [`${corpusFailed} corpus case${corpusFailed === 1 ? '' : 's'} failed (printed first)`] : []),
    ];
    out(problems.length === 0 ? 'check passed: every theorem met its expectation' : `check FAILED: ${problems.join(', ')}`);
  }
  return code;
}

export async function run(argv: string[], io: CheckEnv = {}): Promise<number> {
  return runCheck(argv, io);
}
