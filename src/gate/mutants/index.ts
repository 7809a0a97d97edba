/**
 * Mutant discovery: every `src/gate/mutants/<id>.ts` (`.js` in the compiled package) exports `export const mutant: Mutant` (types.ts). Files are
 * found on disk, not listed by hand, so a property author adds a mutant by adding a file. Skipped: types.ts,
 * index.ts, helpers whose name starts with '_' (e.g. _federatedComposite.ts), declaration files and tests.
 *
 * Each export is validated (id pattern, non-empty bug and source, a non-empty list of capability names, an apply
 * function), the file name must start with the id, and ids must be unique. Problems are one-line errors; the valid
 * mutants are still returned, sorted by id.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Mutant } from './types.ts';
import { REPO_ROOT } from '../../subject/root.ts';

export type { Mutant } from './types.ts';
export { override } from './types.ts';

/** 'M02-uniform-weights' (a reported bug class of docs/planted-bugs.md#reported-bug-classes) or 'P01-modified-normaliser' (planted beyond the table). */
export const MUTANT_ID_PATTERN = /^[MP]\d{2}-[a-z0-9]+(-[a-z0-9]+)*$/;

export { REPO_ROOT };

export const MUTANTS_DIR = 'src/gate/mutants';

const SKIP = new Set(['types.ts', 'index.ts', 'types.js', 'index.js']);

export interface LoadedMutants {
  readonly mutants: Mutant[];
  readonly errors: string[];
}

/** Mutant files of dir (relative to root), sorted by name. */
export function findMutantFiles(root: string, dir: string = MUTANTS_DIR): string[] {
  const base = join(root, dir);
  if (!existsSync(base)) return [];
  return readdirSync(base, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.[jt]s$/.test(e.name) && !e.name.endsWith('.d.ts') && !/\.test\.[jt]s$/.test(e.name))
    .map((e) => e.name)
    .filter((n) => !SKIP.has(n) && !n.startsWith('_'))
    .sort();
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '' && !v.includes('\n');

/** Why `m` is not a well-formed Mutant exported by `file` (null when it is). */
export function mutantProblem(m: unknown, file: string): string | null {
  if (!isObj(m)) return `exports no object 'mutant' (expected 'export const mutant: Mutant = { id, bug, source, affects, apply }')`;
  if (typeof m.id !== 'string' || !MUTANT_ID_PATTERN.test(m.id)) {
    return `mutant.id must match ${MUTANT_ID_PATTERN} (e.g. 'M02-uniform-weights'), got ${JSON.stringify(m.id)}`;
  }
  if (!file.replace(/\.[jt]s$/, '').startsWith(m.id)) return `file name must start with the id ${m.id}`;
  if (!nonEmpty(m.bug)) return `${m.id}: bug must be a one-line non-empty string`;
  if (!nonEmpty(m.source)) return `${m.id}: source must be a one-line non-empty string (the reported bug class, or why it was planted)`;
  if (!Array.isArray(m.affects) || m.affects.length === 0 || !m.affects.every(nonEmpty)) {
    return `${m.id}: affects must be a non-empty array of capability names, got ${JSON.stringify(m.affects)}`;
  }
  if (new Set(m.affects).size !== m.affects.length) return `${m.id}: affects lists a capability twice: ${JSON.stringify(m.affects)}`;
  if (typeof m.apply !== 'function') return `${m.id}: apply must be a function (subject) => subject`;
  return null;
}

/**
 * Discover, load and validate the mutants under root/dir (default: this checkout, src/gate/mutants), sorted by id.
 * Never throws for a bad file: each problem is one line in `errors`.
 */
export async function loadMutants(root: string = REPO_ROOT, dir: string = MUTANTS_DIR): Promise<LoadedMutants> {
  const mutants: Mutant[] = [];
  const errors: string[] = [];
  const byId = new Map<string, string>();
  for (const file of findMutantFiles(root, dir)) {
    const where = `mutants: ${dir}/${file}`;
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(join(root, dir, file)).href)) as Record<string, unknown>;
    } catch (e) {
      errors.push(`${where} failed to load: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
      continue;
    }
    const problem = mutantProblem(mod.mutant, file);
    if (problem) {
      errors.push(`${where}: ${problem}`);
      continue;
    }
    const m = mod.mutant as Mutant;
    const prev = byId.get(m.id);
    if (prev !== undefined) {
      errors.push(`${where}: duplicate mutant id ${m.id} (also in ${dir}/${prev})`);
      continue;
    }
    byId.set(m.id, file);
    mutants.push(m);
  }
  mutants.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { mutants, errors };
}
