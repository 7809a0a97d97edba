#!/usr/bin/env node
// `npm run build`: compile src/ and properties/ to JavaScript + .d.ts under dist/ (tsconfig.build.json), copy the
// plain-JavaScript modules of src/ (*.mjs: the worker threads that host plug-ins) next to the compiled ones, and copy
// proofs-notes/ to dist/proofs-notes, so dist/ is a registry root like the repository's: the compiled CLI finds
// dist/properties/**/*.prop.js and their notes next to them. dist/ is removed first (no stale modules).
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) {
  console.error(`build: tsc -p tsconfig.build.json failed (exit ${r.status ?? r.signal})`);
  process.exit(1);
}
for (const f of readdirSync(join(root, 'src'), { recursive: true })) {
  if (String(f).endsWith('.mjs')) cpSync(join(root, 'src', String(f)), join(dist, 'src', String(f)));
}
cpSync(join(root, 'proofs-notes'), join(dist, 'proofs-notes'), { recursive: true });
