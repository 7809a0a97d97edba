/** Run records (src/report/records.ts) and the site's building blocks (src/report/html): data in, same bytes out. */
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/gate/mutants/index.ts';
import { noteHtml, tex } from '../../src/report/html/markup.ts';
import { mutationSpec, plotSpec, renderSvg } from '../../src/report/html/plots.ts';
import { siteFiles } from '../../src/report/html/site.ts';
import { readRecords, RECORD_SCHEMA, theoremRecord, writeRecords, type Records } from '../../src/report/records.ts';
import type { PlotEvidence } from '../../src/spec/plot.ts';
import { checkTheorem } from '../../src/spec/runner.ts';
import { buggySubject, correctSubject, maxBelowMean, sumReverse } from '../spec/fixtures/toy.ts';

const run = { schema: RECORD_SCHEMA, type: 'run', seed: 3, profile: 'ci', subject: 'toy' } as const;

async function toyRecords(): Promise<Records> {
  const a = await checkTheorem(sumReverse, { subject: correctSubject, seed: 3, profile: 'ci' });
  const b = await checkTheorem(maxBelowMean, { subject: correctSubject, seed: 3, profile: 'ci' });
  const c = await checkTheorem(sumReverse, { subject: buggySubject, seed: 3, profile: 'ci' });
  return {
    run,
    theorems: [theoremRecord(sumReverse, 'toy', 'properties/toy/a.prop.ts', a), theoremRecord(maxBelowMean, 'toy', 'properties/toy/b.prop.ts', b), { ...theoremRecord(sumReverse, 'toy2', 'properties/toy/c.prop.ts', c), id: 'T-SUM2' }],
    mutants: [{ schema: RECORD_SCHEMA, type: 'mutant', id: 'M1', bug: 'drops x_0', status: 'killed', attempts: [{ property: 'T-SUM1', status: 'violated', killed: true, discarded: false }] }],
  };
}

describe('run records', () => {
  it('round-trip through JSONL; a violation keeps its counterexample and replay command', async () => {
    const r = await toyRecords();
    const text = writeRecords(r);
    expect(text.split('\n').length).toBe(1 + 3 + 1 + 1);
    expect(readRecords(text)).toEqual(JSON.parse(JSON.stringify(r)));
    const bad = r.theorems[2];
    expect(bad).toMatchObject({ status: 'violated', outcome: 'fail', expect: 'holds' });
    expect(bad.replay).toMatch(/^LSGD_SEED=3 npx lsgd-spec check --id T-SUM1 --seed 3 --path \S+ --profile ci$/);
    expect(bad.counterexample).not.toBeNull();
    expect(r.theorems[1]).toMatchObject({ expect: 'refuted', status: 'violated', outcome: 'pass' });
    expect(r.theorems[0].worstRatio).not.toBeNull();
  });

  it('skip records of other types; refuse another schema, bad JSON and missing run lines with one-line errors', async () => {
    const text = writeRecords(await toyRecords());
    const extra = `${text}{"schema":"${RECORD_SCHEMA}","type":"case","id":"T-SUM1","index":0}\n`;
    expect(readRecords(extra).theorems.length).toBe(3);
    expect(() => readRecords(text.replace(`"schema":"${RECORD_SCHEMA}"`, '"schema":"lsgd-spec.run/0"'), 'x.jsonl')).toThrow(`readRecords: x.jsonl line 1 has schema "lsgd-spec.run/0", expected '${RECORD_SCHEMA}'`);
    expect(() => readRecords('{oops', 'x.jsonl')).toThrow(/^readRecords: x\.jsonl line 1 is not JSON/);
    expect(() => readRecords(text.split('\n').slice(1).join('\n'), 'x.jsonl')).toThrow("readRecords: x.jsonl has no 'run' record");
    expect(() => readRecords(text.replace('"title":', '"titel":'), 'x.jsonl')).toThrow("readRecords: x.jsonl line 2: theorem field 'title' must be a string, got undefined");
  });

  it('the site is the same bytes for the same records, and pages show verdicts, replay lines and rendered maths', async () => {
    const r = await toyRecords();
    const opts = { repoRoot: REPO_ROOT, repoFromSite: '../../' };
    const a = await siteFiles(r, opts);
    const b = await siteFiles(r, opts);
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [k, v] of a) expect(b.get(k), k).toEqual(v);
    const index = a.get('index.html') as string;
    expect(index).toContain('<td class="outcome-fail">FAILED (violated)</td>');
    expect(index).toContain('<td class="outcome-finding">refuted (recorded finding)</td>');
    const page = a.get('T-SUM2.html') as string;
    expect(page).toContain('<h2 id="counterexample">Counterexample</h2>');
    expect(page).toContain(`<pre><code>${r.theorems[2].replay}</code></pre>`);
    expect(page).toContain('class="katex"');
    expect(a.get('mutants.html')).toContain('role-mark');
  });
});

describe('plots', () => {
  const evidence: PlotEvidence = {
    title: 't', x: { title: 'k', scale: 'log' }, y: { title: 'e', scale: 'log' }, mark: 'line',
    cases: [{ label: 'a', lines: [{ name: 'e', role: 'observed', x: [0, 1, 2, 4], y: [1, 0.5, 0, 0.25] }, { name: 'ref', role: 'reference', x: [1, 4], y: [1, 0.1] }] }],
  };

  it('log axes drop and count the points they cannot show; the rest are drawn', () => {
    const s = plotSpec(evidence);
    expect(s.dropped).toBe(2); // x = 0 and y = 0
    expect(s.points).toBe(4);
  });

  it('render to the same SVG bytes every time, with data marks', async () => {
    const a = await renderSvg(plotSpec(evidence).spec);
    const b = await renderSvg(mutationSpec([{ schema: RECORD_SCHEMA, type: 'mutant', id: 'M1', bug: 'b', status: 'killed', attempts: [{ property: 'P', status: 'violated', killed: true, discarded: false }] }]).spec);
    expect(await renderSvg(plotSpec(evidence).spec)).toBe(a);
    expect(a).toMatch(/^<svg/);
    expect(a).toContain('mark-line role-mark');
    expect(b).toContain('mark-rect role-mark');
  });
});

describe('markup', () => {
  it('KaTeX renders a statement; LaTeX it rejects is shown as code, not dropped', () => {
    expect(tex(String.raw`\sum_i x_i`, true)).toContain('katex-display');
    expect(tex(String.raw`\frac{1}{`, false)).toMatch(/^<code class="tex-error" title="[^"]+">\\frac\{1\}\{<\/code>$/);
  });

  it('proof notes: $$ maths rendered, links to notes with pages go to the page, repository links through the root, links to nothing are text', () => {
    const links = { pages: new Set(['Z-C2-angle']), repoFromSite: '../../', repoRoot: REPO_ROOT };
    const html = noteHtml('# Title\n\nSee [angle](Z-C2-angle.md), [the file](../properties/implicit-bias/classification.direction.prop.ts), [a note](regression-local-gd.md) and [x](no-such-note.md).\n\n$$a^2$$\n', links);
    expect(html).not.toContain('Title');
    expect(html).toContain('<a href="Z-C2-angle.html">angle</a>');
    expect(html).toContain('<a href="../../properties/implicit-bias/classification.direction.prop.ts">the file</a>');
    expect(html).toContain('<a href="../../proofs-notes/regression-local-gd.md">a note</a>');
    expect(html).toContain(' and x.');
    expect(html).toContain('<div class="math"><span class="katex-display">');
  });
});
