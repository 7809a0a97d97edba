/** The evidence report (src/spec/markdown.ts, `lsgd-spec report`). */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/gate/mutants/index.ts';
import { markdownReport, type ReportEntry } from '../../src/spec/markdown.ts';
import { checkTheorem } from '../../src/spec/runner.ts';
import type { AnyTheorem, Subject } from '../../src/spec/types.ts';
import { buggySubject, coinFrequency, correctSubject, maxBelowMean, sumReverse } from './fixtures/toy.ts';

const seed = 42;
async function entry(theorem: AnyTheorem, subject: Subject): Promise<ReportEntry> {
  return { theorem, family: 'toy', file: `properties/toy/${theorem.id}.prop.ts`, verdict: await checkTheorem(theorem, { subject, seed, profile: 'ci' }) };
}

describe('markdownReport', () => {
  it('a row per theorem with its outcome and evidence; a section with statement, source, note link and replay', async () => {
    const entries = [await entry(sumReverse, correctSubject), await entry(coinFrequency, correctSubject), await entry(maxBelowMean, correctSubject), await entry(sumReverse, buggySubject)];
    const md = markdownReport(entries, { seed, profile: 'ci', subject: 'toy', linkRoot: '../' });
    expect(md).toMatch(/^\| \[T-SUM1\]\(#t-sum1\) \| tight \| derived \| holds \| 50 runs; closest: exact agreement \(zero slack\) \|$/m);
    expect(md).toMatch(/^\| \[T-FREQ1\]\(#t-freq1\) \| frequency \| derived \| holds \| \d+\/400 = \d+\.\d%, upper 99(\.\d+)?% bound 0\.9\d* >= claimed 0\.9; power not stated \(claim at-least\) \|$/m);
    expect(md).toMatch(/^\| \[T-FALSE1\]\(#t-false1\) \| upper-bound \| derived \| refuted \(recorded finding\) \| observed exceeds the bound/m);
    expect(md).toMatch(/^\| \[T-SUM1\]\(#t-sum1\) \| tight \| derived \| \*\*VIOLATED\*\* \| /m);
    expect(md).toContain('**1 did not meet their expectation**');
    expect(md).toContain('- Property: [properties/toy/T-SUM1.prop.ts](../properties/toy/T-SUM1.prop.ts); proof note: [proofs-notes/T-SUM1.md](../proofs-notes/T-SUM1.md)');
    expect(md).toMatch(/^- Replay: `LSGD_SEED=42 npx lsgd-spec check --id T-SUM1 --seed 42 --path \S+ --profile ci`$/m);
    expect(md).toContain(`$$\n${sumReverse.statement}\n$$`);
  });
});

describe('lsgd-spec report', () => {
  const report = (...args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'lsgd-spec.js'), 'report', ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  it('is the same bytes for the same seed, and exits 0 when every theorem meets its expectation', () => {
    const a = report('--family', 'conformance', '--seed', '3');
    const b = report('--family', 'conformance', '--seed', '3');
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toMatch(/^# lsgd-spec evidence report\n\nSubject: the built-in reference optimizers\. Profile: ci\. Seed: 3 /);
    expect(a.stdout).toMatch(/^### C-1-trace-shape$/m);
  });
  it('bad flags are one-line errors', () => {
    const r = report('--profile', 'fast');
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("lsgd-spec: report: --profile must be one of ci, default, hunt, got 'fast'");
  });
});
