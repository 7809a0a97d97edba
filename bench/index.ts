/**
 * `npm run bench`: runs every bench/*.bench.ts in turn (each exports `main()`), or only the
 * ones named on the command line (`npm run bench -- precise numeric`). Benchmarks print
 * medians; they are scripts, never tests.
 *
 * Each bench runs in a fresh Node process: one bench's heap and JIT state (the async simulator allocates a lot)
 * otherwise slowed the next one's kernels by 20-35% (gemv 0.99 vs 1.22 GFLOP/s, Local-GD d = 2000 0.92 vs 1.67).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const child = process.env.LSGD_BENCH_CHILD;
if (child !== undefined) {
  const mod = (await import(pathToFileURL(join(here, `${child}.bench.ts`)).href)) as { main(): Promise<void> | void };
  await mod.main();
} else {
  const only = process.argv.slice(2);
  const names = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).sort().map((f) => f.replace(/\.bench\.ts$/, ''));
  const unknown = only.filter((n) => !names.includes(n));
  if (unknown.length > 0) {
    console.error(`bench: unknown bench ${unknown.map((n) => `'${n}'`).join(', ')} (expected one of: ${names.join(', ')})`);
    process.exit(2);
  }
  const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
  let failed = 0;
  for (const name of names) {
    if (only.length > 0 && !only.includes(name)) continue;
    console.log(`\n=== bench: ${name}`);
    const r = spawnSync(process.execPath, [tsxCli, fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, LSGD_BENCH_CHILD: name } });
    if (r.status !== 0) {
      failed++;
      console.error(`bench: ${name} exited with ${r.status ?? r.signal}`);
    }
  }
  process.exit(failed === 0 ? 0 : 1);
}
