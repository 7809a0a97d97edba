/** The root of this lsgd-spec installation (src/subject/../..): where properties/, proofs-notes/ and ci/ live. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
