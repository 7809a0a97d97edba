/**
 * `lsgd-spec hunt [--id ID]... [--family F] [--subject MODULE | --subject-cmd CMD [--cmd-timeout-ms MS]] [--mutant ID]
 *   [--time 10m | --cases N] [--workers N] [--shard i/n] [--corpus DIR] [--seed S] [--jsonl] [--targeted F]
 *   [--profile P] [--run-timeout-ms MS] [--keep-going] [--root DIR]`
 * `lsgd-spec hunt merge SOURCE... [--corpus DIR]`      merge corpora (from several machines) into DIR
 * `lsgd-spec hunt replay FILE... [--subject ... | --subject-cmd ...] [--mutant ID]`   replay corpus entries
 *
 * Falsification at scale (src/hunt/README.md): cases of every selected theorem run on worker threads, part of them
 * mutations of the closest near misses; findings and near misses go to the corpus, which `check` replays first.
 * Exit code 0 iff no theorem expected to hold was refuted or broke; 130 after Ctrl-C (the summary is printed and the
 * corpus kept).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { intFlag, parseArgs as parseFlags, type FlagSpecs } from './args.ts';
import { helpText, wantsHelp } from './help.ts';

/** A value flag's string (undefined when absent). */
const str = (v: string | true | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** The shared node:util parser (./args.ts), with hunt's flags named by kind; values are strings or true. */
function parseArgs(argv: readonly string[], spec: { values?: readonly string[]; booleans?: readonly string[] }, cmd: string): { positional: string[]; flags: Record<string, string | true> } {
  const specs: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const v of spec.values ?? []) specs[v] = { type: 'string' };
  for (const b of spec.booleans ?? []) specs[b] = { type: 'boolean' };
  const a = parseFlags(argv, specs as FlagSpecs, cmd);
  const flags: Record<string, string | true> = {};
  for (const [k, v] of Object.entries(a.flags)) if (typeof v === 'string' || v === true) flags[k] = v;
  return { positional: a.positional, flags };
}
import { findMutantFiles } from '../gate/mutants/index.ts';
import { REPO_ROOT } from '../subject/index.ts';
import { DEFAULT_CORPUS_DIR, entryProblem, makeEntry, mergeCorpora, replayEntry, replayLine, writeEntries, type CorpusEntry } from '../hunt/corpus.ts';
import { hunt, type HuntEntry, type Shard, type TheoremHunt } from '../hunt/engine.ts';
import { outcomeOf, Progress } from '../hunt/progress.ts';
import { caseStream } from '../hunt/streams.ts';
import type { SubjectSpec } from '../hunt/types.ts';
import { openSubjectSpec } from '../hunt/workerTask.ts';
import { loadRegistry, selectEntries } from '../spec/registry.ts';
import { parseSeed, resolveSeed } from '../spec/seed.ts';
import { PROFILE_NAMES, type ProfileName, type Subject } from '../spec/types.ts';

const CMD = 'hunt';
/** Folders searched for --mutant ID: the CI mutants and the hunt's rare planted bugs. */
const MUTANT_DIRS = ['src/gate/mutants', 'src/hunt/planted'];
const NEAR_MISSES_KEPT = 3;

export interface HuntEnv {
  readonly root?: string;
  readonly cwd?: string;
  readonly env?: Record<string, string | undefined>;
  readonly out?: (s: string) => void;
  readonly err?: (s: string) => void;
  readonly isTTY?: boolean;
  /** aborts the hunt (the CLI wires Ctrl-C to it) */
  readonly signal?: AbortSignal;
}

/** '10m', '90s', '1h', '500ms' or a number of seconds -> milliseconds. */
export function parseDuration(v: string, flag = '--time'): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw new Error(`${CMD}: ${flag} must be a duration like 10m, 90s, 1h or 500ms, got '${v}'`);
  const ms = Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  if (!(ms > 0)) throw new Error(`${CMD}: ${flag} must be positive, got '${v}'`);
  return ms;
}

/** 'i/n' -> { index: i, count: n } with 0 <= i < n. */
export function parseShard(v: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(v.trim());
  if (!m) throw new Error(`${CMD}: --shard must be i/n (e.g. 0/4), got '${v}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!(count >= 1 && index < count)) throw new Error(`${CMD}: --shard ${v}: need 0 <= i < n`);
  return { index, count };
}

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

/** A folder as the user should type it: relative to cwd when inside it, else absolute. */
function shown(cwd: string, dir: string): string {
  const rel = relative(cwd, dir);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? dir : rel;
}

function shellQuote(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

function mutantFile(id: string): string {
  for (const dir of MUTANT_DIRS) {
    const f = findMutantFiles(REPO_ROOT, dir).find((n) => n.replace(/\.ts$/, '') === id);
    if (f) return join(REPO_ROOT, dir, f);
  }
  throw new Error(`${CMD}: --mutant ${id}: no such mutant in ${MUTANT_DIRS.join(' or ')}`);
}

interface SubjectFlags {
  readonly spec: SubjectSpec;
  /** flags that rebuild it on a command line */
  readonly suffix: string;
  /** its description in corpus entries */
  readonly label: string;
}

function subjectFlags(flags: Record<string, string | true>, base: string): SubjectFlags {
  const module = typeof flags.subject === 'string' ? flags.subject : undefined;
  const command = typeof flags['subject-cmd'] === 'string' ? flags['subject-cmd'] : undefined;
  if (module !== undefined && command !== undefined) throw new Error(`${CMD}: give --subject MODULE.ts or --subject-cmd COMMAND, not both`);
  const cmdTimeoutMs = flags['cmd-timeout-ms'] === undefined ? undefined : intFlag(str(flags['cmd-timeout-ms']), 'cmd-timeout-ms', CMD, 1, 2 ** 31 - 1, 1);
  const mutant = typeof flags.mutant === 'string' ? flags.mutant : undefined;
  const spec: SubjectSpec = {
    base, ...(command !== undefined ? { command, ...(cmdTimeoutMs === undefined ? {} : { cmdTimeoutMs }) } : { module: module ?? 'builtin' }),
    ...(mutant === undefined ? {} : { mutantFile: mutantFile(mutant) }),
  };
  const parts = [
    ...(command !== undefined ? [`--subject-cmd ${shellQuote(command)}`, ...(cmdTimeoutMs === undefined ? [] : [`--cmd-timeout-ms ${cmdTimeoutMs}`])] : module !== undefined ? [`--subject ${shellQuote(module)}`] : []),
    ...(mutant === undefined ? [] : [`--mutant ${mutant}`]),
  ];
  return { spec, suffix: parts.map((p) => ` ${p}`).join(''), label: parts.length === 0 ? 'builtin' : parts.join(' ') };
}

const SUBJECT_FLAGS = ['subject', 'subject-cmd', 'cmd-timeout-ms', 'mutant'];
const HUNT_VALUES = ['family', 'profile', 'seed', 'time', 'cases', 'workers', 'shard', 'corpus', 'targeted', 'run-timeout-ms', 'root', ...SUBJECT_FLAGS];
const HUNT_BOOLEANS = ['jsonl', 'keep-going'];

/** Every flag of `lsgd-spec hunt` (the help test checks each is documented). */
export const HUNT_FLAGS: FlagSpecs = Object.freeze(Object.fromEntries([
  ['id', { type: 'string', multiple: true }], ...HUNT_VALUES.map((v) => [v, { type: 'string' }]), ...HUNT_BOOLEANS.map((b) => [b, { type: 'boolean' }]),
]));

export async function runHunt(argv: readonly string[], io: HuntEnv = {}): Promise<number> {
  const out = io.out ?? ((s: string) => process.stdout.write(s));
  const err = io.err ?? ((s: string) => console.error(s));
  const cwd = io.cwd ?? process.cwd();
  if (wantsHelp(argv)) {
    out(`${helpText(CMD)}\n`);
    return 0;
  }
  if (argv[0] === 'merge') return runMerge(argv.slice(1), cwd, out, err);
  if (argv[0] === 'replay') return runReplay(argv.slice(1), io, cwd, out, err);

  const { ids, rest } = extractIds(argv);
  const { positional, flags } = parseArgs(rest, { values: HUNT_VALUES, booleans: HUNT_BOOLEANS }, CMD);
  if (positional.length > 0) throw new Error(`${CMD}: unexpected argument '${positional[0]}' (subcommands: merge, replay; select theorems with --id ID)`);
  const root = typeof flags.root === 'string' ? resolve(cwd, flags.root) : io.root ?? REPO_ROOT;
  const profile = (flags.profile ?? 'hunt') as string;
  if (!(PROFILE_NAMES as readonly string[]).includes(profile)) throw new Error(`${CMD}: --profile must be one of ${PROFILE_NAMES.join(', ')}, got '${profile}'`);
  const seed = typeof flags.seed === 'string' ? parseSeed(flags.seed, `${CMD}: --seed`) : resolveSeed(io.env ?? process.env).seed;
  const cases = flags.cases === undefined ? undefined : intFlag(str(flags.cases), 'cases', CMD, 1, 2 ** 31 - 1, 1);
  const timeMs = typeof flags.time === 'string' ? parseDuration(flags.time) : cases === undefined ? 600_000 : undefined;
  const workers = flags.workers === undefined ? undefined : intFlag(str(flags.workers), 'workers', CMD, 0, 256, 1);
  const shard = typeof flags.shard === 'string' ? parseShard(flags.shard) : undefined;
  let targeted: number | undefined;
  if (typeof flags.targeted === 'string') {
    targeted = Number(flags.targeted);
    if (!/^\d*\.?\d+$/.test(flags.targeted) || !(targeted >= 0 && targeted <= 1)) throw new Error(`${CMD}: --targeted must be a fraction in [0, 1], got '${flags.targeted}'`);
  }
  const runTimeoutMs = flags['run-timeout-ms'] === undefined ? undefined : intFlag(str(flags['run-timeout-ms']), 'run-timeout-ms', CMD, 1, 2 ** 31 - 1, 1);
  const corpusDir = resolve(cwd, typeof flags.corpus === 'string' ? flags.corpus : DEFAULT_CORPUS_DIR);
  const family = typeof flags.family === 'string' ? flags.family : undefined;
  const subject = subjectFlags(flags, cwd);

  const reg = await loadRegistry({ root, includeUnderscore: family?.startsWith('_') ?? false });
  for (const e of reg.errors) err(e);
  const sel = selectEntries(reg, { ids, family });
  for (const e of sel.errors) err(e);
  if (sel.errors.length > 0 || sel.entries.length === 0) {
    if (sel.entries.length === 0 && sel.errors.length === 0) err(`${CMD}: no properties found under ${root}`);
    return 1;
  }
  const entries: HuntEntry[] = sel.entries.map((e) => ({ id: e.id, file: join(root, e.file), theorem: e.theorem }));
  const relFile = new Map(sel.entries.map((e) => [e.id, e.file]));

  const mode = flags.jsonl === true ? 'jsonl' : (io.isTTY ?? process.stdout.isTTY) ? 'tty' : 'plain';
  const progress = new Progress(mode, out);
  const written: string[] = [];
  const corpusRel = shown(cwd, corpusDir);
  const save = (r: TheoremHunt) => {
    const entry = entries.find((e) => e.id === r.id)!;
    const k = caseStream(seed, r.id, 0);
    const ctx = {
      theorem: entry.theorem, file: entry.file, relFile: relFile.get(r.id)!, seed, subject: subject.label, profile: profile as ProfileName,
      replay: (name: string) => `npx lsgd-spec hunt replay ${shellQuote(join(corpusRel, name))}${subject.suffix}`, k0: k.k0, k1: k.k1,
    };
    const keep = [...(r.finding?.tape ? [makeEntry(ctx, r.finding, true)] : []), ...r.nearMisses.slice(0, NEAR_MISSES_KEPT).map((m) => makeEntry(ctx, m, false))];
    if (keep.length > 0) written.push(...writeEntries(corpusDir, keep));
  };

  const controller = new AbortController();
  const onSigint = () => controller.abort();
  if (!io.signal) process.once('SIGINT', onSigint);
  io.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  let results: TheoremHunt[];
  try {
    results = await hunt({
      entries, subject: subject.spec, seed, profile: profile as ProfileName, workers, cases, timeMs, shard, targeted, runTimeoutMs,
      keepGoing: flags['keep-going'] === true, signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'done') save(e.result);
        progress.event(e);
      },
    });
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  const bad = results.filter((r) => ['finding', 'error'].includes(outcomeOf(r)));
  const interrupted = controller.signal.aborted;
  const shardText = shard ? `, shard ${shard.index}/${shard.count}` : '';
  const footer = [
    `${results.length} theorems, seed ${seed}${shardText}, profile ${profile}, subject ${subject.label}: ${bad.length} refuted or broken` +
      `${interrupted ? ' (interrupted by Ctrl-C: partial results)' : ''}`,
    `corpus ${corpusRel}: ${written.length} new entr${written.length === 1 ? 'y' : 'ies'}` +
      `${written.length > 0 ? `; replay one with 'npx lsgd-spec hunt replay ${join(corpusRel, written[0])}${subject.suffix}', all with 'npx lsgd-spec check --corpus ${corpusRel}'` : ''}`,
  ];
  progress.summary(results, footer);
  if (interrupted) return 130;
  return bad.length === 0 && reg.errors.length === 0 ? 0 : 1;
}

function runMerge(argv: readonly string[], cwd: string, out: (s: string) => void, err: (s: string) => void): number {
  const { positional, flags } = parseArgs(argv, { values: ['corpus'] }, `${CMD} merge`);
  if (positional.length === 0) throw new Error(`${CMD} merge: give the corpus folders to merge (hunt merge DIR... [--corpus TARGET])`);
  const target = resolve(cwd, typeof flags.corpus === 'string' ? flags.corpus : DEFAULT_CORPUS_DIR);
  const sources = positional.map((p) => resolve(cwd, p));
  for (const s of sources) if (!existsSync(s)) throw new Error(`${CMD} merge: ${s}: no such folder`);
  const r = mergeCorpora(target, sources.filter((s) => s !== target));
  for (const e of r.errors) err(e);
  out(`merged ${sources.length} corpus folder${sources.length === 1 ? '' : 's'} into ${shown(cwd, target)}: ${r.added} added, ${r.duplicates} already there, ${r.errors.length} invalid\n`);
  return r.errors.length === 0 ? 0 : 1;
}

async function runReplay(argv: readonly string[], io: HuntEnv, cwd: string, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { positional, flags } = parseArgs(argv, { values: ['root', 'profile', ...SUBJECT_FLAGS] }, `${CMD} replay`);
  if (positional.length === 0) throw new Error(`${CMD} replay: give corpus files (hunt replay FILE...)`);
  const root = typeof flags.root === 'string' ? resolve(cwd, flags.root) : io.root ?? REPO_ROOT;
  const reg = await loadRegistry({ root });
  const opened = await openSubjectSpec(subjectFlags(flags, cwd).spec);
  try {
    return await replayFiles(positional, flags.profile, reg, root, opened.subject, cwd, out, err);
  } finally {
    opened.close();
  }
}

async function replayFiles(
  positional: readonly string[], profileFlag: string | true | undefined, reg: Awaited<ReturnType<typeof loadRegistry>>, root: string, subject: Subject,
  cwd: string, out: (s: string) => void, err: (s: string) => void,
): Promise<number> {
  let failed = 0;
  for (const p of positional) {
    const file = isAbsolute(p) ? p : resolve(cwd, p);
    if (!existsSync(file)) throw new Error(`${CMD} replay: ${p}: no such file`);
    const entry = JSON.parse(readFileSync(file, 'utf8')) as CorpusEntry;
    const problem = entryProblem(entry, basename(file));
    if (problem) throw new Error(`${CMD} replay: ${p}: ${problem}`);
    const th = reg.entries.find((e) => e.id === entry.theorem.id);
    if (!th) throw new Error(`${CMD} replay: ${p}: theorem ${entry.theorem.id} is not in the registry at ${root}`);
    if (th.theorem.kind === 'frequency') {
      err(`${p}: ${entry.theorem.id} is a frequency claim; one case decides nothing (rerun the hunt: --seed ${entry.seed})`);
      continue;
    }
    const profile = (typeof profileFlag === 'string' ? profileFlag : entry.profile) as ProfileName;
    const r = await replayEntry(th.theorem, subject, basename(file), entry, profile);
    if (r.outcome === 'fail') failed++;
    out(`${replayLine(r)}\n  from ${shown(cwd, dirname(file))}; instance: ${r.result.instance ?? entry.instance}\n`);
    if (r.result.observed !== undefined) out(`  observed ${JSON.stringify(r.result.observed)}\n  bound    ${JSON.stringify(r.result.bound)}\n`);
  }
  return failed === 0 ? 0 : 1;
}

export async function run(argv: string[], io: { out?: (s: string) => void; err?: (s: string) => void; env?: Record<string, string | undefined> } = {}): Promise<number> {
  // the CLI's output functions print lines; hunt writes its own line ends
  const out = io.out;
  return runHunt(argv, { ...(out ? { out: (s: string) => out(s.replace(/\n$/, '')) } : {}), ...(io.err ? { err: io.err } : {}), ...(io.env ? { env: io.env } : {}) });
}
