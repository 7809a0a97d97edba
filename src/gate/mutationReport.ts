/**
 * The mutation report: the gate's evidence that the suite has teeth. For every planted mutant (src/gate/mutants,
 * discovered on disk) the properties whose `requires` meet the mutant's `affects` run on the mutated subject
 * (conformance checks first; a property with empty `requires` checks whatever the subject offers, so it runs for
 * every mutant), with shrink: false, stopping at the first kill unless `all`. A mutant is KILLED when some property
 * is violated on it (or a run exceeds the per-run timeout: a hang is detected too); it SURVIVES otherwise, which is a
 * gap in the suite. A kill counts only if the same property, seed and profile hold on the reference subject (checked
 * once per killing property, cached), so a property broken on the reference cannot pass for teeth.
 * Nothing here prints: reporters are in mutationText.ts.
 */
import { builtinSubject } from '../subject/index.ts';
import { loadRegistry, type RegistryEntry } from '../spec/registry.ts';
import { checkTheorem, DEFAULT_TIME_BUDGET_MS } from '../spec/runner.ts';
import { errorLine } from '../spec/evaluate.ts';
import type { ProfileName, Subject } from '../spec/types.ts';
import { isFailure, type InterruptCause, type Verdict } from '../spec/verdict.ts';
import { loadMutants, REPO_ROOT } from './mutants/index.ts';
import type { Mutant } from './mutants/types.ts';

export interface MutationOptions {
  /** fast-check profile of every check (default 'ci') */
  readonly profile?: ProfileName;
  readonly seed: number;
  /** only these mutant ids (each must exist) */
  readonly ids?: readonly string[];
  /** these mutants instead of the ones discovered under src/gate/mutants */
  readonly mutants?: readonly Mutant[];
  /** these properties instead of the registry under root (properties/ with proofs-notes/) */
  readonly entries?: readonly RegistryEntry[];
  /** repository root for the registry (default: this checkout) */
  readonly root?: string;
  /** wall time per (mutant, property) check; default the profile's budget (60 s for ci) */
  readonly timeBudgetMs?: number;
  /** per instance; an asynchronous subject is cut off after it, a synchronous one judged when it returns (default 20 s) */
  readonly runTimeoutMs?: number;
  /** run every relevant property on every mutant (the full matrix) instead of stopping at the first kill */
  readonly all?: boolean;
  /** check each killing property on the reference first (default true) */
  readonly baseline?: boolean;
  /** the reference subject the mutants transform (default builtinSubject) */
  readonly subject?: Subject;
  /** called after each mutant, for progress output */
  readonly onMutant?: (r: MutantResult) => void;
}

/** One property run on one mutant. */
export interface Attempt {
  readonly property: string;
  readonly status: Verdict['status'];
  readonly cause?: InterruptCause;
  readonly killed: boolean;
  readonly runs: number;
  readonly elapsedMs: number;
  /** violation message or interruption reason (one line) */
  readonly message?: string;
  /** command that replays this mutant's run (mutantReplay) */
  readonly command?: string;
  /** why a failure was not counted as a kill (the property fails on the reference too) */
  readonly discarded?: string;
}

export interface MutantResult {
  readonly id: string;
  readonly bug: string;
  readonly source: string;
  readonly affects: readonly string[];
  readonly status: 'killed' | 'survived' | 'error';
  /** the attempts that killed it */
  readonly killers: readonly Attempt[];
  /** every property run on it, in order */
  readonly attempts: readonly Attempt[];
  /** ids of the relevant properties (requires meets affects, or empty requires) */
  readonly relevant: readonly string[];
  readonly elapsedMs: number;
  /** why apply failed (status 'error') */
  readonly error?: string;
}

export interface PropertyTeeth {
  readonly id: string;
  readonly family: string;
  readonly requires: readonly string[];
  /** mutants it ran on / killed */
  readonly ranOn: readonly string[];
  readonly kills: readonly string[];
  /** status on the reference, when a kill made the gate check it */
  readonly reference?: Verdict['status'];
}

export interface MutationReport {
  readonly seed: number;
  readonly profile: ProfileName;
  readonly all: boolean;
  readonly mutants: readonly MutantResult[];
  readonly properties: readonly PropertyTeeth[];
  /** mutant loader, apply and `affects` consistency errors (one line each): they fail the gate */
  readonly errors: readonly string[];
  /** registry problems and properties that fail on the reference (reported; `lsgd-spec check` fails on them) */
  readonly warnings: readonly string[];
  readonly killed: number;
  readonly survived: number;
  readonly elapsedMs: number;
  /** every mutant killed and no errors */
  readonly ok: boolean;
}

/** A property with empty `requires` applies to any subject; otherwise it must use a capability the mutant changes. Recorded refutations never apply. */
export function isRelevant(entry: Pick<RegistryEntry, 'theorem'>, mutant: Pick<Mutant, 'affects'>): boolean {
  // a recorded refutation (expect: 'refuted') fails on a correct subject by design: it cannot kill a mutant
  if (entry.theorem.expect === 'refuted') return false;
  const req = entry.theorem.requires;
  return req.length === 0 || req.some((r) => mutant.affects.includes(r));
}

/** Conformance first, then by family and id. */
export function orderEntries(entries: readonly RegistryEntry[]): RegistryEntry[] {
  const rank = (e: RegistryEntry) => (e.family === 'conformance' ? 0 : 1);
  return [...entries].sort((a, b) => rank(a) - rank(b) || (a.family < b.family ? -1 : a.family > b.family ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A violation, or a run cut off by the per-run timeout, kills; nothing else does. */
export function isKill(v: Verdict): boolean {
  return v.status === 'violated' || (v.status === 'interrupted' && v.cause === 'run-timeout');
}

/** Consistency of `affects` with what apply changes (relevance is computed from it). */
export function affectsProblems(m: Mutant, base: Subject, mutated: Subject): string[] {
  const out: string[] = [];
  const keys = new Set([...Object.keys(base), ...Object.keys(mutated)]);
  for (const k of keys) {
    if (base[k] !== mutated[k] && !m.affects.includes(k)) out.push(`mutants: ${m.id} changes capability '${k}' but affects does not list it`);
  }
  for (const k of m.affects) {
    if (base[k] !== undefined && base[k] === mutated[k]) out.push(`mutants: ${m.id} lists '${k}' in affects but apply leaves it unchanged`);
  }
  return out;
}

function attemptOf(v: Verdict, killed: boolean, discarded?: string): Attempt {
  const message = v.status === 'violated' ? v.message : v.status === 'holds' ? undefined : v.reason;
  const command = v.status === 'violated' ? v.command : undefined;
  return {
    property: v.id, status: v.status, ...(v.status === 'interrupted' ? { cause: v.cause } : {}), killed,
    runs: v.runs, elapsedMs: v.elapsedMs, ...(message ? { message } : {}), ...(command ? { command } : {}), ...(discarded ? { discarded } : {}),
  };
}

/** `npx lsgd-spec mutants --mutant <id> --seed <seed> --profile <profile>` */
export function mutantReplay(id: string, seed: number, profile: ProfileName): string {
  return `npx lsgd-spec mutants --mutant ${id} --seed ${seed} --profile ${profile}`;
}

const by = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export async function mutationReport(opts: MutationOptions): Promise<MutationReport> {
  const t0 = performance.now();
  const profile = opts.profile ?? 'ci';
  const all = opts.all ?? false;
  const base = opts.subject ?? builtinSubject;
  const errors: string[] = [];
  const warnings: string[] = [];

  let mutants: Mutant[];
  if (opts.mutants) mutants = [...opts.mutants].sort(by);
  else {
    const loaded = await loadMutants();
    mutants = loaded.mutants;
    errors.push(...loaded.errors);
  }
  if (opts.ids && opts.ids.length > 0) {
    const known = new Set(mutants.map((m) => m.id));
    for (const id of opts.ids) if (!known.has(id)) errors.push(`mutants: unknown mutant id ${id} (known: ${[...known].join(', ') || 'none'})`);
    mutants = mutants.filter((m) => opts.ids!.includes(m.id));
  }

  let entries: RegistryEntry[];
  if (opts.entries) entries = orderEntries(opts.entries);
  else {
    const reg = await loadRegistry({ root: opts.root ?? REPO_ROOT });
    entries = orderEntries(reg.entries);
    warnings.push(...reg.errors);
  }

  const checkOpts = {
    seed: opts.seed, profile, shrink: false as const,
    timeBudgetMs: opts.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS[profile],
    runTimeoutMs: opts.runTimeoutMs ?? 20_000,
  };
  const baseline = new Map<string, Promise<Verdict>>();
  const referenceVerdict = (e: RegistryEntry): Promise<Verdict> => {
    let p = baseline.get(e.id);
    if (!p) baseline.set(e.id, (p = checkTheorem(e.theorem, { ...checkOpts, subject: base })));
    return p;
  };
  const ranOn = new Map<string, string[]>(entries.map((e) => [e.id, []]));
  const kills = new Map<string, string[]>(entries.map((e) => [e.id, []]));

  const results: MutantResult[] = [];
  for (const m of mutants) {
    const tm = performance.now();
    const relevant = entries.filter((e) => isRelevant(e, m));
    const head = { id: m.id, bug: m.bug, source: m.source, affects: m.affects, relevant: relevant.map((e) => e.id) };
    let subject: Subject;
    try {
      subject = m.apply(base);
      if (typeof subject !== 'object' || subject === null) throw new Error(`apply returned ${String(subject)}, not a subject`);
    } catch (e) {
      const r: MutantResult = { ...head, status: 'error', killers: [], attempts: [], elapsedMs: performance.now() - tm, error: `apply threw: ${errorLine(e)}` };
      errors.push(`mutants: ${m.id}: ${r.error}`);
      results.push(r);
      opts.onMutant?.(r);
      continue;
    }
    errors.push(...affectsProblems(m, base, subject));
    const attempts: Attempt[] = [];
    for (const e of relevant) {
      let v: Verdict;
      try {
        v = await checkTheorem(e.theorem, { ...checkOpts, subject, replayCommand: (r) => mutantReplay(m.id, r.seed, r.profile) });
      } catch (err) {
        // the property's fault (checkTheorem throws only on programming errors): note it and go on
        const message = `checkTheorem threw: ${errorLine(err)}`;
        warnings.push(`mutants: ${m.id}: property ${e.id} could not run: ${errorLine(err)}`);
        attempts.push({ property: e.id, status: 'interrupted', cause: 'spec-error', killed: false, runs: 0, elapsedMs: 0, message });
        continue;
      }
      ranOn.get(e.id)!.push(m.id);
      let killed = isKill(v);
      let discarded: string | undefined;
      if (killed && opts.baseline !== false) {
        const ref = await referenceVerdict(e);
        if (isFailure(ref)) {
          killed = false;
          discarded = `${e.id} fails on the reference too (${ref.status}${ref.status === 'interrupted' ? `: ${ref.cause}` : ''})`;
        }
      }
      attempts.push(attemptOf(v, killed, discarded));
      if (killed) kills.get(e.id)!.push(m.id);
      if (killed && !all) break;
    }
    const killers = attempts.filter((a) => a.killed);
    const r: MutantResult = { ...head, status: killers.length > 0 ? 'killed' : 'survived', killers, attempts, elapsedMs: performance.now() - tm };
    results.push(r);
    opts.onMutant?.(r);
  }

  for (const [id, p] of baseline) {
    const v = await p;
    if (isFailure(v)) warnings.push(`mutants: property ${id} does not hold on the reference subject (${v.status}: ${v.status === 'violated' ? v.message : v.status === 'holds' ? '' : v.reason}); its failures on mutants are not counted`);
  }
  const properties: PropertyTeeth[] = [];
  for (const e of entries) {
    const ref = baseline.get(e.id);
    properties.push({
      id: e.id, family: e.family, requires: e.theorem.requires, ranOn: ranOn.get(e.id)!, kills: kills.get(e.id)!,
      ...(ref ? { reference: (await ref).status } : {}),
    });
  }
  const killed = results.filter((r) => r.status === 'killed').length;
  const survived = results.filter((r) => r.status === 'survived').length;
  return {
    seed: opts.seed, profile, all, mutants: results, properties, errors, warnings, killed, survived,
    elapsedMs: performance.now() - t0,
    ok: errors.length === 0 && results.length > 0 && killed === results.length,
  };
}
