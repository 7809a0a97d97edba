/**
 * CI-native outputs of `lsgd-spec check`: --junit FILE, --jsonl records, and under GitHub Actions the `::error`
 * annotations and the job summary. A failing run uses the planted bug M02 (uniform averaging instead of n_k/N
 * weights), which C-1-trace-shape catches; C-2-zero-weight holds on it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/cli/check.ts';
import { JSONL_SCHEMA } from '../../src/gate/jsonl.ts';
import { REPO_ROOT } from '../../src/gate/mutants/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'lsgd-outputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const url = (p: string) => pathToFileURL(join(REPO_ROOT, p)).href;
const buggy = join(dir, 'buggy.ts');
writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n'); // the plug-in's project is an ES module package
writeFileSync(buggy, `import { mutant } from '${url('src/gate/mutants/M02-uniform-weights.ts')}';
import { builtinSubject } from '${url('src/subject/builtin.ts')}';
export const subject = mutant.apply(builtinSubject);
`);

async function check(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCheck(argv, { out: (s) => out.push(s), err: (s) => err.push(s), env: { LSGD_SEED: '3', ...env } });
  return { code, out, err };
}

const FAIL = ['--id', 'C-2-zero-weight', '--id', 'C-1-trace-shape', '--profile', 'ci', '--subject', buggy];

describe('check --junit', () => {
  it('one testcase per theorem; the failure carries the replay command; exit 1', async () => {
    const file = join(dir, 'junit.xml');
    const r = await check([...FAIL, '--junit', file]);
    expect(r.code, r.err.join('\n')).toBe(1);
    const xml = readFileSync(file, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="lsgd-spec" tests="2" failures="1" errors="0" skipped="0"/);
    expect(xml.match(/<testcase /g)).toHaveLength(2);
    expect(xml).toMatch(/<testcase classname="lsgd-spec.conformance" name="C-2-zero-weight: [^"]*" file="properties\/conformance\/any.zero-weight-refused.prop.ts" time="[\d.]+">\n {6}<system-out>holds: /);
    const failure = /<failure message="([^"]*)" type="violated">([^<]*)<\/failure>/.exec(xml);
    expect(failure).not.toBeNull();
    expect(failure![1]).toMatch(new RegExp(`replay: LSGD_SEED=3 npx lsgd-spec check --id C-1-trace-shape --seed 3 --path \\S+ --profile ci --subject ${buggy.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`));
    expect(failure![2]).toContain('C-1-trace-shape');
  });

  it('a --junit path in a missing folder is an input error before any theorem runs (exit 2)', async () => {
    const r = await check(['--id', 'C-2-zero-weight', '--profile', 'ci', '--junit', join(dir, 'no', 'j.xml')]);
    expect(r).toEqual({ code: 2, out: [], err: [`lsgd-spec: check: --junit ${join(dir, 'no', 'j.xml')}: folder ${join(dir, 'no')} does not exist`] });
  });
});

describe('check under GitHub Actions', () => {
  it('an ::error annotation at the property file and line of its id, and a Markdown job summary appended', async () => {
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, 'earlier step\n');
    const r = await check(FAIL, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(1);
    const ann = r.out.filter((l) => l.startsWith('::'));
    expect(ann).toHaveLength(1);
    const file = 'properties/conformance/any.trace-shape.prop.ts';
    const line = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n').findIndex((l) => l.includes("id: 'C-1-trace-shape'")) + 1;
    expect(line).toBeGreaterThan(1);
    expect(ann[0]).toMatch(new RegExp(`^::error file=${file.replace(/\./g, '\\.')},line=${line},title=lsgd-spec C-1-trace-shape violated::violated: .*; replay: LSGD_SEED=3 npx lsgd-spec check --id C-1-trace-shape`));
    expect(ann[0]).not.toMatch(/\n/);
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('earlier step\n## lsgd-spec check\n')).toBe(true);
    expect(md).toMatch(/\*\*FAILED\*\*: 2 theorems, 1 hold, 1 violated/);
    expect(md).toMatch(/^\| C-1-trace-shape \| violated \| .* \| `LSGD_SEED=3 npx lsgd-spec check --id C-1-trace-shape .*` \|$/m);
  });

  it('nothing GitHub-specific without GITHUB_ACTIONS; with --jsonl the annotations go to stderr and stdout stays JSON', async () => {
    const plain = await check(FAIL);
    expect(plain.out.some((l) => l.startsWith('::'))).toBe(false);
    const j = await check([...FAIL, '--jsonl'], { GITHUB_ACTIONS: 'true' });
    expect(j.err.filter((l) => l.startsWith('::error '))).toHaveLength(1);
    for (const l of j.out) expect(() => JSON.parse(l)).not.toThrow();
  });

  it('a GITHUB_STEP_SUMMARY in a missing folder is an input error before any theorem runs', async () => {
    const r = await check(FAIL, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: join(dir, 'none', 's.md') });
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`lsgd-spec: check: GITHUB_STEP_SUMMARY ${join(dir, 'none', 's.md')}: folder ${join(dir, 'none')} does not exist`]);
  });
});

describe('check --jsonl', () => {
  it('run, then per theorem its cases and one theorem record, then a summary; every record has the schema', async () => {
    const r = await check([...FAIL, '--jsonl']);
    expect(r.code).toBe(1);
    const recs = r.out.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const x of recs) expect(x.schema).toBe(JSONL_SCHEMA);
    expect(recs[0]).toMatchObject({ type: 'run', seed: 3, profile: 'ci', theorems: ['C-1-trace-shape', 'C-2-zero-weight'] });
    expect(recs.at(-1)).toMatchObject({ type: 'summary', theorems: 2, holds: 1, violated: 1, failed: 1, exitCode: 1 });
    const types = recs.map((x) => (x.type === 'case' ? `case:${String(x.id)}` : x.type === 'theorem' ? `theorem:${String(x.id)}` : String(x.type)));
    // cases of a theorem come before its theorem record, in order
    const t1 = types.indexOf('theorem:C-1-trace-shape');
    const t2 = types.indexOf('theorem:C-2-zero-weight');
    expect(types.slice(1, t1).every((t) => t === 'case:C-1-trace-shape')).toBe(true);
    expect(types.slice(t1 + 1, t2).every((t) => t === 'case:C-2-zero-weight')).toBe(true);
    expect(t2).toBe(recs.length - 2);
    const cases2 = recs.filter((x) => x.type === 'case' && x.id === 'C-1-trace-shape');
    expect(cases2.map((x) => x.index)).toEqual(cases2.map((_, i) => i));
    const firstFail = cases2.findIndex((x) => x.outcome === 'violation');
    expect(firstFail).toBeGreaterThanOrEqual(0);
    expect(cases2.slice(0, firstFail + 1).every((x) => x.phase === 'run')).toBe(true);
    expect(cases2.slice(firstFail + 1).every((x) => x.phase === 'shrink')).toBe(true);
    const th = recs[t1];
    expect(th).toMatchObject({ type: 'theorem', id: 'C-1-trace-shape', family: 'conformance', kind: expect.any(String), expect: 'holds', outcome: 'fail', file: 'properties/conformance/any.trace-shape.prop.ts' });
    expect(recs[t2]).toMatchObject({ type: 'theorem', id: 'C-2-zero-weight', outcome: 'pass', verdict: { status: 'holds' } });
    expect(th.statement).toEqual(expect.any(String));
    expect(th.source).toMatchObject({ paper: expect.any(String), locator: expect.any(String) });
    expect(th.verdict).toMatchObject({ status: 'violated', command: expect.stringContaining('--id C-1-trace-shape'), counterexample: expect.anything() });
    expect(th.evidence).toMatch(/after \d+ runs?, \d+ shrinks?/);
  });

  it('a usage error with --jsonl is one error record on stdout and one line on stderr (exit 2)', async () => {
    const r = await check(['--jsonl', '--lambda', '1']);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.out.map((l) => JSON.parse(l))).toEqual([{ schema: JSONL_SCHEMA, type: 'error', message: expect.stringMatching(/^check: unknown flag --lambda/), exitCode: 2 }]);
  });

  it('--json and --jsonl together are refused', async () => {
    const r = await check(['--json', '--jsonl']);
    expect(r.code).toBe(2);
    expect(r.err).toEqual(['lsgd-spec: check: give --json or --jsonl, not both']);
  });
});
