/**
 * Property discovery: every `properties/<family>/**.prop.ts` exports one theorem (default export or
 * `spec`), built by defineTheorem. The compiled package holds `.prop.js` files instead (dist/properties), found
 * the same way. Ids must be unique and have a note at proofs-notes/<id>.md. Folders
 * whose name starts with '_' (an examples or drafts folder) are skipped unless their family is asked for.
 * Problems are collected as one-line errors; the valid entries are still returned.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isTheorem } from './defineTheorem.ts';
import { errorLine } from './evaluate.ts';
import type { AnyTheorem } from './types.ts';

export interface RegistryEntry {
  readonly id: string;
  /** path relative to the root, '/'-separated */
  readonly file: string;
  /** first folder under properties/ */
  readonly family: string;
  readonly theorem: AnyTheorem;
}

export interface Registry {
  readonly entries: readonly RegistryEntry[];
  readonly errors: readonly string[];
}

export interface RegistryOptions {
  /** repository root (default process.cwd()) */
  readonly root?: string;
  readonly propertiesDir?: string;
  readonly notesDir?: string;
  /** also load '_'-prefixed families (default false) */
  readonly includeUnderscore?: boolean;
}

/** A property module: TypeScript in the repository, JavaScript in the compiled package. */
const isPropertyFile = (name: string) => name.endsWith('.prop.ts') || name.endsWith('.prop.js');

/** Property files under dir, sorted, relative to root. */
export function findPropertyFiles(root: string, dir: string, includeUnderscore: boolean): string[] {
  const base = join(root, dir);
  if (!existsSync(base)) return [];
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    for (const ent of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (ent.isDirectory()) {
        if (ent.name === 'node_modules' || ent.name.startsWith('.')) continue;
        if (!includeUnderscore && depth === 0 && ent.name.startsWith('_')) continue;
        walk(join(d, ent.name), depth + 1);
      } else if (ent.isFile() && isPropertyFile(ent.name)) out.push(relative(root, join(d, ent.name)).split(sep).join('/'));
    }
  };
  walk(base, 0);
  return out;
}

export async function loadRegistry(opts: RegistryOptions = {}): Promise<Registry> {
  const root = opts.root ?? process.cwd();
  const propertiesDir = opts.propertiesDir ?? 'properties';
  const notesDir = opts.notesDir ?? 'proofs-notes';
  const entries: RegistryEntry[] = [];
  const errors: string[] = [];
  const byId = new Map<string, string>();
  for (const file of findPropertyFiles(root, propertiesDir, opts.includeUnderscore ?? false)) {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(join(root, file)).href)) as Record<string, unknown>;
    } catch (e) {
      errors.push(`registry: ${file} failed to load: ${errorLine(e)}`);
      continue;
    }
    const candidates = [mod.default, mod.spec].filter((x) => x !== undefined);
    const theorem = candidates[0];
    if (theorem === undefined) {
      errors.push(`registry: ${file} exports no theorem (expected 'export default defineTheorem({...})' or 'export const spec = ...')`);
      continue;
    }
    if (candidates.length === 2 && candidates[0] !== candidates[1]) {
      errors.push(`registry: ${file} exports two different theorems (default and spec); one file holds one theorem`);
      continue;
    }
    if (!isTheorem(theorem)) {
      errors.push(`registry: ${file}: the exported spec was not built by defineTheorem`);
      continue;
    }
    const prev = byId.get(theorem.id);
    if (prev !== undefined) {
      errors.push(`registry: duplicate id ${theorem.id} in ${prev} and ${file}`);
      continue;
    }
    byId.set(theorem.id, file);
    const note = `${notesDir}/${theorem.id}.md`;
    if (!existsSync(join(root, note))) errors.push(`registry: ${theorem.id} (${file}) has no proof note: ${note} is missing`);
    const family = file.slice(propertiesDir.length + 1).split('/')[0];
    entries.push({ id: theorem.id, file, family: isPropertyFile(family) ? '' : family, theorem });
  }
  return { entries, errors };
}

export interface Selection {
  readonly ids?: readonly string[];
  readonly family?: string;
}

/** Entries matching the ids (each must exist) and the family; unknown ids are errors. */
export function selectEntries(reg: Registry, sel: Selection): { entries: RegistryEntry[]; errors: string[] } {
  const errors: string[] = [];
  let entries = [...reg.entries];
  if (sel.family !== undefined) {
    entries = entries.filter((e) => e.family === sel.family);
    if (entries.length === 0) errors.push(`check: no properties in family '${sel.family}' (families: ${[...new Set(reg.entries.map((e) => e.family))].join(', ') || 'none'})`);
  }
  if (sel.ids && sel.ids.length > 0) {
    const known = new Set(entries.map((e) => e.id));
    for (const id of sel.ids) if (!known.has(id)) errors.push(`check: unknown id ${id}${sel.family ? ` in family '${sel.family}'` : ''}`);
    const want = new Set(sel.ids);
    entries = entries.filter((e) => want.has(e.id));
  }
  return { entries, errors };
}
