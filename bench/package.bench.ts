/**
 * Cold start of the package: a fresh node process that imports the public API (and then loads the whole theorem
 * registry), from the compiled package (dist/, plain node) and from the TypeScript sources through tsx with an
 * empty transform cache (what a first run from sources costs). Needs `npm run build` for the dist figures.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fmt, median } from './harness.ts';
import { REPO_ROOT } from '../src/gate/mutants/index.ts';

const REPS = 5;

function coldSeconds(args: string[], freshTmp: boolean): number {
  const ts: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const tmp = freshTmp ? mkdtempSync(join(tmpdir(), 'lsgd-cold-')) : undefined;
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, ...(tmp ? { TMPDIR: tmp } : {}) } });
    ts.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    if (r.status !== 0) throw new Error(`package bench: ${args.join(' ')} failed: ${r.stderr.split('\n')[0]}`);
  }
  return median(ts);
}

export function main(): void {
  const src = pathToFileURL(join(REPO_ROOT, 'src', 'index.ts')).href;
  const dist = pathToFileURL(join(REPO_ROOT, 'dist', 'src', 'index.js')).href;
  const code = (url: string, registry: boolean) => registry
    ? `const m = await import('${url}'); const r = await m.loadTheorems(); if (r.errors.length) throw new Error(r.errors[0]);`
    : `await import('${url}');`;
  console.log(`cold import, median of ${REPS} fresh processes (s):`);
  for (const registry of [false, true]) {
    const what = registry ? 'API + theorem registry' : 'API (lsgd-spec)';
    const viaTsx = coldSeconds(['--import', 'tsx', '--input-type=module', '-e', code(src, registry)], true);
    const line = [`  ${what.padEnd(24)} sources via tsx (empty cache) ${fmt(viaTsx)}`];
    if (existsSync(join(REPO_ROOT, 'dist', 'src', 'index.js'))) line.push(`compiled dist/ on plain node ${fmt(coldSeconds(['--input-type=module', '-e', code(dist, registry)], false))}`);
    else line.push('compiled dist/: not built (npm run build)');
    console.log(line.join('   '));
  }
}
