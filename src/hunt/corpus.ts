/**
 * The counterexample corpus (Hypothesis's example database, as files): one JSON file per case worth keeping, a
 * counterexample or one of a theorem's closest near misses, in a folder (default .lsgd/corpus). A file's name is
 * `<id>.<hash>.json`, the hash taken over what identifies the case (theorem id and version, subject, profile,
 * stream, bias and tape), so the same case found on two machines has the same name and merging corpora never
 * duplicates. The tape rebuilds the instance through the theorem's own arbitrary (tape.ts): `check` replays every
 * entry of the selected theorems before its own runs, so a bug found once fails every later run until it is fixed.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../subject/index.ts';
import { errorLine } from '../spec/evaluate.ts';
import type { AnyTheorem, ProfileName, Subject } from '../spec/types.ts';
import { runCase } from './caseRunner.ts';
import type { NearMiss } from './population.ts';
import type { CaseResult, CaseStatus } from './types.ts';

export const CORPUS_FORMAT = 'lsgd-spec-corpus/1';
export const DEFAULT_CORPUS_DIR = join('.lsgd', 'corpus');

export type EntryStatus = 'counterexample' | 'near-miss' | 'hypothesis' | 'spec-error' | 'run-timeout' | 'subject-failure';

export interface CorpusEntry {
  readonly format: typeof CORPUS_FORMAT;
  readonly theorem: { readonly id: string; readonly version: string; readonly file: string };
  readonly kind: string;
  readonly expect: 'holds' | 'refuted';
  readonly status: EntryStatus;
  /** closeness.ts ('Infinity' when the subject failed before any comparison) */
  readonly closeness: number | string | null;
  readonly difference?: number;
  readonly allowed?: number;
  readonly message?: string;
  readonly observed?: unknown;
  readonly bound?: unknown;
  /** fc.stringify of the instance, for reading; the tape is what rebuilds it */
  readonly instance: string;
  readonly hyperparameters: Record<string, unknown>;
  readonly seed: number;
  /** the case's path in the hunt: case number j, and the mutation lineage for targeted cases */
  readonly path: string;
  readonly stream: { readonly k0: number; readonly k1: number; readonly j: number };
  readonly bias: number;
  readonly tape: readonly number[];
  /** 'builtin', '--subject FILE', '--subject-cmd CMD', plus ' + mutant ID' for a planted bug */
  readonly subject: string;
  readonly profile: ProfileName;
  readonly lsgdSpecVersion: string;
  readonly replay: string;
}

/** Version of a theorem: the first 12 hex digits of the SHA-256 of its property file. */
export function theoremVersion(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12);
}

let pkgVersion: string | undefined;
export function lsgdSpecVersion(): string {
  pkgVersion ??= (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  return pkgVersion;
}

/** The identity hash of an entry (its file name is `<id>.<hash>.json`). */
export function entryHash(e: Pick<CorpusEntry, 'theorem' | 'subject' | 'profile' | 'stream' | 'bias' | 'tape' | 'status'>): string {
  const id = JSON.stringify([e.theorem.id, e.theorem.version, e.subject, e.profile, e.stream.k0, e.stream.k1, e.stream.j, e.bias, e.status === 'near-miss' ? 'near-miss' : 'finding', e.tape]);
  return createHash('sha256').update(id).digest('hex').slice(0, 16);
}

export function entryFileName(e: CorpusEntry): string {
  return `${e.theorem.id}.${entryHash(e)}.json`;
}

const STATUS_OF: Partial<Record<CaseStatus, EntryStatus>> = { violation: 'counterexample', hypothesis: 'hypothesis', 'spec-error': 'spec-error', 'run-timeout': 'run-timeout', 'subject-failure': 'subject-failure' };

export interface EntryContext {
  readonly theorem: AnyTheorem;
  /** path of the property file (absolute) and as recorded (relative to the registry root) */
  readonly file: string;
  readonly relFile: string;
  readonly seed: number;
  readonly subject: string;
  readonly profile: ProfileName;
  /** replay command for a file name (the CLI adds the subject flags) */
  readonly replay: (fileName: string) => string;
  readonly k0: number;
  readonly k1: number;
}

/** A corpus entry for a finding (CaseResult with a tape) or a near miss. */
export function makeEntry(ctx: EntryContext, r: CaseResult | NearMiss, finding: boolean): CorpusEntry {
  const res = r as Partial<CaseResult> & NearMiss;
  if (!res.tape) throw new Error(`makeEntry(${ctx.theorem.id}): case ${r.j} has no tape`);
  const status: EntryStatus = finding ? (STATUS_OF[(r as CaseResult).status] ?? 'counterexample') : 'near-miss';
  const c = r.closeness;
  const partial = {
    format: CORPUS_FORMAT, theorem: { id: ctx.theorem.id, version: theoremVersion(ctx.file), file: ctx.relFile }, kind: ctx.theorem.kind,
    expect: ctx.theorem.expect ?? 'holds', status, closeness: c === undefined ? null : Number.isFinite(c) ? c : String(c),
    ...(res.difference === undefined ? {} : { difference: res.difference }), ...(res.allowed === undefined ? {} : { allowed: res.allowed }),
    ...(res.message === undefined ? {} : { message: res.message }),
    ...(res.observed === undefined ? {} : { observed: res.observed }), ...(res.bound === undefined ? {} : { bound: res.bound }),
    instance: res.instance ?? '', hyperparameters: res.hyperparameters ?? {}, seed: ctx.seed,
    path: r.origin === 'random' ? `case ${r.j}` : `case ${r.j} = ${r.origin}`,
    stream: { k0: ctx.k0, k1: ctx.k1, j: r.j }, bias: r.bias, tape: res.tape.values, subject: ctx.subject, profile: ctx.profile,
    lsgdSpecVersion: lsgdSpecVersion(), replay: '',
  } satisfies CorpusEntry;
  return { ...partial, replay: ctx.replay(`${ctx.theorem.id}.${entryHash(partial)}.json`) };
}

/** Write entries into dir (created if missing); returns the names written (an existing name is left as it is). */
export function writeEntries(dir: string, entries: readonly CorpusEntry[]): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const e of entries) {
    const name = entryFileName(e);
    const path = join(dir, name);
    if (existsSync(path)) continue;
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(e, null, 1)}\n`);
    renameSync(tmp, path); // atomic: a reader never sees half a file
    written.push(name);
  }
  return written;
}

/** Why a parsed file is not a valid entry named `name` (null when it is). */
export function entryProblem(e: unknown, name: string): string | null {
  const x = e as CorpusEntry;
  if (typeof x !== 'object' || x === null || x.format !== CORPUS_FORMAT) return `not a ${CORPUS_FORMAT} entry`;
  if (typeof x.theorem?.id !== 'string' || !Array.isArray(x.tape) || !x.tape.every((v) => Number.isSafeInteger(v)) || typeof x.stream?.j !== 'number') return 'missing theorem id, stream or integer tape';
  const want = entryFileName(x);
  return name === want ? null : `file name does not match its content (expected ${want})`;
}

export interface ReadCorpus {
  readonly entries: { readonly name: string; readonly entry: CorpusEntry }[];
  readonly errors: string[];
}

export function readCorpus(dir: string): ReadCorpus {
  const entries: { name: string; entry: CorpusEntry }[] = [];
  const errors: string[] = [];
  if (!existsSync(dir)) return { entries, errors: [`corpus: ${dir}: no such folder`] };
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    let e: unknown;
    try {
      e = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    } catch (err) {
      errors.push(`corpus: ${join(dir, name)}: not JSON: ${errorLine(err)}`);
      continue;
    }
    const p = entryProblem(e, name);
    if (p) errors.push(`corpus: ${join(dir, name)}: ${p}`);
    else entries.push({ name, entry: e as CorpusEntry });
  }
  return { entries, errors };
}

/** Copy every valid entry of the sources into target; the same case from two sources lands once. */
export function mergeCorpora(target: string, sources: readonly string[]): { added: number; duplicates: number; errors: string[] } {
  mkdirSync(target, { recursive: true });
  let added = 0;
  let duplicates = 0;
  const errors: string[] = [];
  for (const src of sources) {
    const c = readCorpus(src);
    errors.push(...c.errors);
    for (const { name } of c.entries) {
      const to = join(target, name);
      if (existsSync(to)) duplicates++;
      else {
        copyFileSync(join(src, name), `${to}.${process.pid}.tmp`);
        renameSync(`${to}.${process.pid}.tmp`, to);
        added++;
      }
    }
  }
  return { added, duplicates, errors };
}

export interface Replayed {
  readonly name: string;
  readonly entry: CorpusEntry;
  readonly result: CaseResult;
  /** 'fail': a theorem expected to hold is refuted (or its check broke); 'pass' otherwise */
  readonly outcome: 'pass' | 'fail';
}

/** Rebuild an entry's instance from its tape with the theorem's current arbitrary and evaluate it on `subject`. */
export async function replayEntry(theorem: AnyTheorem, subject: Subject, name: string, entry: CorpusEntry, profile: ProfileName, runTimeoutMs?: number, sampler?: 'gate' | 'own'): Promise<Replayed> {
  const result = await runCase(theorem, subject, { j: entry.stream.j, k0: entry.stream.k0, k1: entry.stream.k1, bias: entry.bias, given: entry.tape, origin: entry.path }, { profile, runTimeoutMs, keepAbove: Infinity, sampler });
  const broken = result.status === 'hypothesis' || result.status === 'spec-error' || result.status === 'run-timeout' || result.status === 'subject-failure';
  const refuted = result.status === 'violation';
  const outcome = broken || (refuted && (theorem.expect ?? 'holds') === 'holds') ? 'fail' : 'pass';
  return { name, entry, result, outcome };
}

/** The theorems a corpus can be replayed against: id -> theorem. Frequency claims are not (one case decides nothing). */
export async function replayCorpus(dir: string, theorems: ReadonlyMap<string, AnyTheorem>, subject: Subject, profile: ProfileName): Promise<{ replayed: Replayed[]; errors: string[] }> {
  const c = readCorpus(dir);
  const replayed: Replayed[] = [];
  for (const { name, entry } of c.entries) {
    const th = theorems.get(entry.theorem.id);
    if (!th || th.kind === 'frequency') continue;
    replayed.push(await replayEntry(th, subject, name, entry, profile));
  }
  return { replayed, errors: c.errors };
}

/** One line for a replayed entry. */
export function replayLine(r: Replayed): string {
  const what = r.result.status === 'pass' ? `holds (closeness ${r.result.closeness?.toPrecision(3)})` : r.result.status === 'vacuous' ? 'vacuous' : `${r.result.status}: ${r.result.message}`;
  const recorded = r.entry.status === 'near-miss' ? 'near miss' : r.entry.status;
  return `${r.outcome === 'fail' ? 'FAIL' : 'ok  '} ${r.entry.theorem.id} ${r.name} (recorded ${recorded}): ${what}`;
}

/**
 * `check --corpus DIR`: replay the corpus entries of the selected theorems before the check. With no flag, the
 * default folder is used when it exists. Returns how many entries failed; prints one line per failure and a count.
 */
export async function replayForCheck(flag: string | undefined, cwd: string, theorems: ReadonlyMap<string, AnyTheorem>, subject: Subject, profile: ProfileName, print: (s: string) => void): Promise<number> {
  const dir = flag ?? join(cwd, DEFAULT_CORPUS_DIR);
  if (flag === undefined && !existsSync(dir)) return 0;
  if (!existsSync(dir)) throw new Error(`check: --corpus ${flag}: no such folder`);
  // entries of theorems this subject cannot run are not applicable, as in check itself (not failures)
  const applicable = new Map([...theorems].filter(([, t]) => t.requires.every((k) => typeof subject[k] === 'function')
    && (t.requiresAny === undefined || t.requiresAny.some((k) => typeof subject[k] === 'function'))));
  const { replayed, errors } = await replayCorpus(dir, applicable, subject, profile);
  for (const e of errors) print(e);
  const failed = replayed.filter((r) => r.outcome === 'fail');
  for (const r of failed) print(`${replayLine(r)}\n  replay: ${r.entry.replay}`);
  print(`corpus ${dir}: replayed ${replayed.length} case${replayed.length === 1 ? '' : 's'}, ${failed.length} failed`);
  return failed.length + errors.length;
}
