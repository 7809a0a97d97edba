/**
 * TypeScript plug-ins run in a worker thread (src/subject/channel/moduleHost.worker.mjs): a plug-in that loops
 * forever, calls process.exit, prints to stdout or does not compile is reported in one line; it cannot stop the gate,
 * end it, or corrupt its output.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSubject, REPO_ROOT } from '../../src/subject/index.ts';
import { SubjectFailure } from '../../src/spec/subjectFailure.ts';
import { runCheck } from '../../src/cli/check.ts';

const FIX = join(REPO_ROOT, 'test', 'subject', 'fixtures');

describe('plug-in modules in a worker thread', () => {
  it('an infinite loop is cut off by the per-call timeout (the thread is terminated), not a stall of the gate', async () => {
    const s = await openSubject({ kind: 'module', path: 'hang-plugin.ts', base: FIX }, { timeoutMs: 1_500 });
    let err: unknown;
    try {
      (s.subject.dyluSteps as (v: number[], H: number) => number[])([1], 1);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SubjectFailure);
    expect((err as Error).message).toMatch(/plug-in hang-plugin\.ts \(dyluSteps\): no answer within 1500 ms \(thread terminated\)/);
    expect(s.stats()).toMatchObject({ retries: 1, starts: 2 });
    s.close();
  }, 120_000);

  it('process.exit inside a capability is that call\'s error; its console.log goes to the output hook, not stdout', async () => {
    const lines: string[] = [];
    const s = await openSubject({ kind: 'module', path: 'exit-plugin.ts', base: FIX }, { onOutput: (l) => lines.push(l) });
    expect(() => (s.subject.dyluSteps as (v: number[], H: number) => number[])([1, 2], 3)).toThrow(/plug-in exit-plugin\.ts \(dyluSteps\): the plug-in called process\.exit\(0\)/);
    s.close();
    await new Promise((r) => setTimeout(r, 200)); // the thread's stdout reaches the gate on its event loop
    expect(lines).toContain('[plug-in stdout] plug-in says hello on stdout');
  }, 120_000);

  it('check --json stays valid JSON whatever the plug-in prints', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCheck(['--id', 'A-5D-dylu-steps', '--profile', 'ci', '--runs', '3', '--json', '--subject', join(FIX, 'exit-plugin.ts')], { out: (s) => out.push(s), err: (s) => err.push(s) });
    expect(code).toBe(1);
    const verdicts = JSON.parse(out.join('\n')) as { id: string; status: string; message?: string }[];
    expect(verdicts.map((v) => [v.id, v.status])).toEqual([['A-5D-dylu-steps', 'violated']]);
    expect(verdicts[0].message).toMatch(/process\.exit\(0\)/);
  }, 120_000);

  it('a misspelt export is refused with a suggestion, never "not applicable"', async () => {
    await expect(openSubject({ kind: 'module', path: 'misspelt-plugin.ts', base: FIX })).rejects.toThrow(/plug-in misspelt-plugin\.ts: 'localGd' is not a capability \(did you mean 'localGD'\?\)/);
  }, 120_000);

  it('a syntax error keeps its file, line, column and text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lsgd-plugin-'));
    try {
      writeFileSync(join(dir, 'broken.ts'), 'export const subject = {\n  dyluSteps: (v: number[]) => v.map((x) => x +),\n};\n');
      await expect(openSubject({ kind: 'module', path: 'broken.ts', base: dir })).rejects.toThrow(/--subject broken\.ts failed to load: .*broken\.ts:2:\d+: .*\(in: dyluSteps: \(v: number\[\]\) => v\.map\(\(x\) => x \+\),\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
