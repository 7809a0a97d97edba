#!/usr/bin/env node
// lsgd-spec command line. In the installed package it runs the compiled CLI (dist/) on plain node; in a checkout of
// the repository (src/ present) it runs the TypeScript sources through tsx, a development dependency, so edits take
// effect without a build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src', 'cli', 'main.ts');
const built = join(root, 'dist', 'src', 'cli', 'main.js');

if (existsSync(source)) {
  let tsxCli;
  try {
    tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
  } catch {
    process.stderr.write(`lsgd-spec: this is a source checkout (${source}) and tsx is not installed: run 'npm ci' in ${root}, or use the built package\n`);
    process.exit(2);
  }
  const r = spawnSync(process.execPath, [tsxCli, source, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
} else if (existsSync(built)) {
  const { cli } = await import(pathToFileURL(built).href);
  await cli(process.argv.slice(2));
} else {
  process.stderr.write(`lsgd-spec: neither ${source} nor ${built} exists: run 'npm run build' in ${root}\n`);
  process.exit(2);
}
