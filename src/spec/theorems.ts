/**
 * lsgd-spec's own theorem registry, wherever the package is installed: `loadTheorems()` loads every property of
 * this package (properties/ and proofs-notes/ next to src/, in the repository or in the compiled package's dist/),
 * so a user can run any of them with `checkTheorem` on their own optimizer. One theorem alone is also importable:
 * `import theorem from 'lsgd-spec/theorems/<family>/<file>'` (package.json `exports`).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRegistry, selectEntries, type Registry, type RegistryEntry } from './registry.ts';

/** The folder that holds this package's properties/ and proofs-notes/ (src/spec/../..). */
export const THEOREMS_ROOT: string = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every theorem of this package (errors as one-line strings, as loadRegistry reports them). */
export async function loadTheorems(): Promise<Registry> {
  return loadRegistry({ root: THEOREMS_ROOT });
}

/** One theorem of this package by id; throws a one-line error naming the id when there is none. */
export async function theoremById(id: string): Promise<RegistryEntry> {
  const reg = await loadTheorems();
  const sel = selectEntries(reg, { ids: [id] });
  if (sel.errors.length > 0 || sel.entries.length !== 1) throw new Error(`theoremById: no theorem with id '${id}' in ${THEOREMS_ROOT}`);
  return sel.entries[0];
}
