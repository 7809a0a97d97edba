/**
 * `npm run bench`: runs every bench/*.bench.ts in turn (each exports `main()`), or only the
 * ones named on the command line (`npm run bench -- precise numeric`). Benchmarks print
 * medians; they are scripts, never tests.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).sort();
for (const f of files) {
  const name = f.replace(/\.bench\.ts$/, '');
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n=== bench: ${name}`);
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { main(): Promise<void> | void };
  await mod.main();
}
