/**
 * The committed evidence site (docs/report, `npm run report:html`: seed 1, profile ci, with the mutation matrix) is
 * up to date, in two parts so the test stays cheap (the full run takes ~40 s alone, minutes on a loaded machine):
 * 1. every file of the site is regenerated from the committed records (docs/report/run.jsonl) and compared byte for
 *    byte, and the folder holds no other file: the generator is deterministic and the pages match the records;
 * 2. the theorems that carry plots, and the conformance family, are re-run at seed 1 on the ci profile and their
 *    records compared byte for byte with the committed lines: the plotted data is this code's own run.
 * A change to any other property leaves its committed record stale until `npm run report:html` is rerun.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/gate/mutants/index.ts';
import { siteFiles } from '../../src/report/html/site.ts';
import { readRecords, theoremRecord } from '../../src/report/records.ts';
import { builtinSubject } from '../../src/subject/index.ts';
import { loadRegistry } from '../../src/spec/registry.ts';
import { checkTheorem } from '../../src/spec/runner.ts';

const SITE = join(REPO_ROOT, 'docs', 'report');
const REGENERATE = 'npm run report:html';

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? listFiles(p) : [relative(SITE, p).split(sep).join('/')];
  });
}

describe('docs/report is up to date', () => {
  const text = readFileSync(join(SITE, 'run.jsonl'), 'utf8');
  const records = readRecords(text, 'docs/report/run.jsonl');

  it('was generated at seed 1 on the ci profile for the built-in optimizers, with every theorem of the registry', async () => {
    expect(records.run).toMatchObject({ seed: 1, profile: 'ci', subject: 'the built-in reference optimizers' });
    const reg = await loadRegistry({ root: REPO_ROOT });
    expect(records.theorems.map((t) => t.id), `theorems added or removed: rerun ${REGENERATE}`).toEqual(reg.entries.map((e) => e.id));
    expect(records.mutants.length).toBeGreaterThan(0);
  });

  it('every file regenerates byte for byte from the committed records, and there is no other file', async () => {
    const files = await siteFiles(records, { repoRoot: REPO_ROOT, repoFromSite: '../../' });
    expect(listFiles(SITE).sort(), `files differ: rerun ${REGENERATE}`).toEqual([...files.keys()].sort());
    for (const [rel, content] of files) {
      const expected = typeof content === 'string' ? Buffer.from(content) : readFileSync(content.copy);
      expect(readFileSync(join(SITE, rel)).equals(expected), `docs/report/${rel} is stale: rerun ${REGENERATE}`).toBe(true);
    }
  }, 120_000);

  it('the theorems with plots and the conformance family give the committed records when re-run', async () => {
    const reg = await loadRegistry({ root: REPO_ROOT });
    const committed = new Map(records.theorems.map((t) => [t.id, JSON.stringify(t)]));
    const rerun = reg.entries.filter((e) => e.family === 'conformance' || records.theorems.find((t) => t.id === e.id)?.plot !== null);
    expect(rerun.length).toBeGreaterThanOrEqual(8);
    for (const e of rerun) {
      const v = await checkTheorem(e.theorem, { subject: builtinSubject, seed: 1, profile: 'ci' });
      expect(JSON.stringify(theoremRecord(e.theorem, e.family, e.file, v)), `${e.id}: stale record: rerun ${REGENERATE}`).toBe(committed.get(e.id));
    }
  }, 240_000);
});
