/**
 * The published package, as a user gets it: `npm run build`, `npm pack`, then a fresh project installs the tarball
 * OFFLINE (its lockfile is derived from this repository's, so every tarball comes from the npm cache that `npm ci`
 * filled) and there uses it on plain node: the CLI, a JavaScript import, a strict NodeNext typecheck with the
 * default skipLibCheck (false, so lsgd-spec's .d.ts are checked too), the user's own vitest + @fast-check/vitest
 * property reusing an arbitrary, a certified solver and a theorem, plug-ins in JavaScript and TypeScript, and
 * ci/gate.sh run from node_modules. One long setup (build, pack, install: minutes on a loaded 2-core machine).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/gate/mutants/index.ts';
import { loadRegistry } from '../../src/spec/registry.ts';

const SETUP_MS = 600_000;
// each step's own limit, and each test's: a loaded 2-core machine took up to 140 s for the build and 100 s for tsc
const STEP_MS = 300_000;
const tmp = mkdtempSync(join(tmpdir(), 'lsgd-pack-'));
const proj = join(tmp, 'user-project');
let tarball = '';
let packed: { files: { path: string }[] } = { files: [] };
const timings: Record<string, number> = {};

function sh(cmd: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: STEP_MS, env: { ...process.env, ...env, LSGD_SEED: '1', NO_COLOR: '1', FORCE_COLOR: '0' } });
}
const show = (r: SpawnSyncReturns<string>) => `exit ${r.status} ${r.signal ?? ''}\n${r.stdout}\n${r.stderr}`;
function timed(name: string, cmd: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  const t0 = performance.now();
  const r = sh(cmd, args, cwd);
  timings[name] = Math.round(performance.now() - t0);
  if (r.status !== 0) throw new Error(`${name} failed: ${cmd} ${args.join(' ')}: ${show(r)}`);
  return r;
}

/**
 * The user project's lockfile: this repository's tree (the same versions `npm ci` installed and cached) plus
 * lsgd-spec from the tarball. Packages nobody in the project requires are pruned by npm without being fetched.
 */
function userLock(pkg: { name: string; version: string; devDependencies: Record<string, string> }, tarballName: string): unknown {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  const spec = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const packages: Record<string, unknown> = { '': { name: pkg.name, version: pkg.version, devDependencies: pkg.devDependencies } };
  for (const [k, v] of Object.entries(lock.packages)) if (k !== '') packages[k] = v;
  packages['node_modules/lsgd-spec'] = {
    version: spec.version, resolved: `file:../${tarballName}`, dev: true, license: spec.license, dependencies: spec.dependencies,
    optionalDependencies: spec.optionalDependencies, bin: spec.bin, engines: spec.engines,
  };
  return { name: pkg.name, version: pkg.version, lockfileVersion: 3, requires: true, packages };
}

const USE_TS = `import fc from 'fast-check';
import { vec, type Vec } from 'lsgd-spec';
import { overparameterisedRegression } from 'lsgd-spec/arbitraries';
import { localGD } from 'lsgd-spec/optimizers';
import { minNormSolution } from 'lsgd-spec/precise';
import { checkTheorem, type Verdict } from 'lsgd-spec/spec';
import { builtinSubject } from 'lsgd-spec/subject';
import { loadTheorems } from 'lsgd-spec/theorems';
import { spec as traceShape } from 'lsgd-spec/theorems/conformance/any.trace-shape';

const [inst] = fc.sample(overparameterisedRegression({}), { seed: 1, numRuns: 1 });
const v: Verdict = await checkTheorem(traceShape, { subject: builtinSubject, seed: 1, profile: 'ci' });
const w: Vec = vec(3);
// the declarations are real types, not any: a wrong argument is an error
// @ts-expect-error vec takes a length, not an array
vec([1, 2]);
console.log(inst.meta.d, v.status, w.length, typeof localGD.run, typeof minNormSolution, (await loadTheorems()).entries.length);
`;

const PROP_TEST = `import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { overparameterisedRegression } from 'lsgd-spec/arbitraries';
import { EPS, gemv } from 'lsgd-spec/numeric';
import { localGD } from 'lsgd-spec/optimizers';
import { minNormSolution } from 'lsgd-spec/precise';
import { pooled } from 'lsgd-spec/problems';
import { checkTheorem } from 'lsgd-spec/spec';
import { spec as rowSpace } from 'lsgd-spec/theorems/implicit-bias/regression.row-space';

// my property on lsgd-spec's generator and certified solver: the min-norm solution interpolates the data.
// w is the certified solution rounded to f64 (relative error EPS/2 per entry) and X w is a length-d f64 dot
// product (error <= d EPS sum_j |X_ij w_j|), so |(Xw)_i - y_i| <= (d + 1) EPS sum_j |X_ij w_j|.
test.prop([overparameterisedRegression({})], { numRuns: 5, seed: 1 })('min-norm interpolates', (inst) => {
  const { X, y } = pooled(inst.dataset);
  const w = minNormSolution(X, y, { digits: 30 }).w;
  const r = gemv(X, w);
  for (let i = 0; i < X.rows; i++) {
    let scale = 0;
    for (let j = 0; j < X.cols; j++) scale += Math.abs(X.data[i * X.cols + j] * w[j]);
    expect(Math.abs(r[i] - y[i])).toBeLessThanOrEqual((X.cols + 1) * EPS * scale);
  }
});

// lsgd-spec's theorem on my optimizer (here Local-GD as shipped)
test('the row-space theorem holds for my Local-GD', async () => {
  const v = await checkTheorem(rowSpace, { subject: { localGD: localGD.run }, seed: 1, profile: 'ci', numRuns: 3 });
  expect(v.status).toBe('holds');
}, 120_000);
`;

beforeAll(() => {
  timed('build', process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], REPO_ROOT);
  const p = timed('pack', 'npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], REPO_ROOT);
  packed = (JSON.parse(p.stdout) as { filename: string; files: { path: string }[] }[])[0] as typeof packed & { filename: string };
  tarball = (packed as unknown as { filename: string }).filename;
  mkdirSync(proj);
  const pkg = {
    name: 'user-project', version: '1.0.0', private: true, type: 'module',
    devDependencies: { 'lsgd-spec': `file:../${tarball}`, vitest: '4.1.12', '@fast-check/vitest': '0.5.0', typescript: '5.9.3', '@types/node': '20.19.25' },
  };
  writeFileSync(join(proj, 'package.json'), JSON.stringify(pkg, null, 2));
  writeFileSync(join(proj, 'package-lock.json'), JSON.stringify(userLock(pkg, tarball), null, 2));
  timed('install', 'npm', ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], proj);
  writeFileSync(join(proj, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true }, include: ['use.ts'] }));
  writeFileSync(join(proj, 'use.ts'), USE_TS);
  writeFileSync(join(proj, 'prop.test.ts'), PROP_TEST);
  writeFileSync(join(proj, 'vitest.config.js'), `export default { test: { include: ['prop.test.ts'] } };\n`);
  // a plug-in in JavaScript (plain node) and the same in TypeScript (needs tsx, which this project lacks)
  const plugin = `import { builtinSubject } from 'lsgd-spec/subject';\nexport const subject = { scheduleLr: builtinSubject.scheduleLr };\n`;
  writeFileSync(join(proj, 'mine.mjs'), plugin);
  writeFileSync(join(proj, 'mine.ts'), plugin);
}, SETUP_MS);

afterAll(() => {
  // timings of the setup, for the record (not asserted: speed is measured by benchmarks)
  console.log(`[pack test] ${Object.entries(timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')}`);
  rmSync(tmp, { recursive: true, force: true });
});

const bin = () => join(proj, 'node_modules', '.bin', 'lsgd-spec');

describe('the npm package', () => {
  it('ships compiled JavaScript, declarations, properties and notes; no sources, tests or benches; tsx and typescript are dev-only', () => {
    const files = packed.files.map((f) => f.path);
    expect(files.filter((f) => /^(test|bench|src|properties|scripts)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files).toContain('dist/src/index.js');
    expect(files).toContain('dist/src/index.d.ts');
    expect(files).toContain('ci/gate.sh');
    expect(files).toContain('dist/src/subject/channel/moduleHost.worker.mjs');
    const reg = files.filter((f) => /^dist\/properties\/.*\.prop\.js$/.test(f)).length;
    const notes = files.filter((f) => /^dist\/proofs-notes\/.*\.md$/.test(f)).length;
    expect(reg).toBeGreaterThan(0);
    expect(notes).toBeGreaterThanOrEqual(reg);
    const pkg = JSON.parse(readFileSync(join(proj, 'node_modules', 'lsgd-spec', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
    expect(Object.keys(pkg.dependencies)).not.toContain('typescript');
    expect(existsSync(join(proj, 'node_modules', 'tsx'))).toBe(false);
  }, STEP_MS);

  it('the CLI runs on plain node: a check passes (exit 0), a usage error exits 2', () => {
    const r = sh(bin(), ['check', '--id', 'C-2-zero-weight', '--profile', 'ci'], proj);
    expect(r.status, show(r)).toBe(0);
    expect(r.stdout).toMatch(/^✓ C-2-zero-weight holds /m);
    const bad = sh(bin(), ['check', '--profile', 'fast'], proj);
    expect([bad.status, bad.stderr.trim()]).toEqual([2, "lsgd-spec: check: --profile must be one of ci, default, hunt, got 'fast'"]);
  }, STEP_MS);

  it('a plain JavaScript import loads the API and the whole theorem registry with its notes', async () => {
    const code = `import * as api from 'lsgd-spec'; import { loadTheorems } from 'lsgd-spec/theorems';
const r = await loadTheorems(); console.log(JSON.stringify({ n: Object.keys(api).length, ids: r.entries.map((e) => e.id), errors: r.errors }));`;
    const r = sh(process.execPath, ['--input-type=module', '-e', code], proj);
    expect(r.status, show(r)).toBe(0);
    const got = JSON.parse(r.stdout) as { n: number; ids: string[]; errors: string[] };
    const here = await loadRegistry({ root: REPO_ROOT });
    expect(got.errors).toEqual([]);
    expect(got.ids).toEqual(here.entries.map((e) => e.id));
    expect(got.n).toBeGreaterThan(100);
  }, STEP_MS);

  it('typechecks under a strict NodeNext tsconfig with the default skipLibCheck', () => {
    const r = sh(process.execPath, [join(proj, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], proj);
    expect(r.status, show(r)).toBe(0);
  }, STEP_MS);

  it("a user's vitest + @fast-check/vitest property reuses an arbitrary, a certified solver and a theorem", () => {
    const r = sh(process.execPath, [join(proj, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], proj);
    expect(r.status, show(r)).toBe(0);
    expect(r.stdout).toMatch(/Tests\s+2 passed/);
  }, STEP_MS);

  it('a JavaScript plug-in works on plain node; a TypeScript one without tsx fails in one line saying so (exit 2)', () => {
    const js = sh(bin(), ['check', '--subject', 'mine.mjs', '--id', 'A-7', '--profile', 'ci'], proj);
    expect(js.status, show(js)).toBe(0);
    const ts = sh(bin(), ['check', '--subject', 'mine.ts', '--profile', 'ci'], proj);
    expect(ts.status).toBe(2);
    expect(ts.stdout).toBe('');
    expect(ts.stderr.split('\n').filter((l) => l !== '')).toEqual([expect.stringMatching(/^lsgd-spec: check: .*mine\.ts.*needs the tsx package \(npm install --save-dev tsx\)/)]);
  }, STEP_MS);

  it('ci/gate.sh works from node_modules and installs nothing', () => {
    const before = readdirSync(join(proj, 'node_modules')).sort();
    const r = spawnSync('bash', [join(proj, 'node_modules', 'lsgd-spec', 'ci', 'gate.sh'), 'mine.mjs', '--profile', 'ci', '--seed', '1'], {
      cwd: proj, encoding: 'utf8', timeout: STEP_MS, env: { ...process.env, LSGD_SPEC_DIR: join(proj, 'node_modules', 'lsgd-spec'), LSGD_SKIP_MUTANTS: '1', npm_config_offline: 'true' },
    });
    expect(r.status, show(r)).toBe(0);
    expect(r.stderr).not.toMatch(/install/);
    expect(r.stdout).toMatch(/^check passed/m);
    expect(readdirSync(join(proj, 'node_modules')).sort()).toEqual(before);
  }, STEP_MS);

  it('the compiled CLI loads a TypeScript plug-in when tsx can be found (here: the repository\'s)', () => {
    const r = sh(process.execPath, [join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'), 'check', '--subject', 'ci/example-subject.ts', '--id', 'C-2-zero-weight', '--profile', 'ci'], REPO_ROOT);
    expect(r.status, show(r)).toBe(0);
    expect(r.stdout).toMatch(/^✓ C-2-zero-weight holds /m);
  }, STEP_MS);
});
