/**
 * writeSite: the static evidence site from run records (src/report/records.ts). Layout of the output folder:
 *   index.html          every theorem by family          <id>.html     one page per theorem
 *   versions.html       the Zhu et al. v1/v2 story        mutants.html  the mutation matrix as a heat map
 *   run.jsonl           the records it was built from     assets/       style.css, KaTeX's CSS and woff2 fonts
 * Self-contained and offline: maths is rendered here by KaTeX, plots are inline SVG rendered by vega, no script.
 * The same records give the same bytes.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PlotEvidence } from '../../spec/plot.ts';
import { writeRecords, type Records } from '../records.ts';
import { noteHtml, STYLE } from './markup.ts';
import { indexPage, mutantsPage, theoremPage, type Figure } from './pages.ts';
import { mutationSpec, plotSpec, renderSvg } from './plots.ts';
import { versionsPage } from './versions.ts';

export interface SiteOptions {
  /** the repository root (proof notes are read from proofs-notes/) */
  readonly repoRoot: string;
  /** relative path from the output folder to the repository root, with a trailing '/' (e.g. '../../') */
  readonly repoFromSite: string;
}

/** A theorem's plot rendered, with its caption notes (summary, points a log axis could not show, errors). */
export async function figureOf(p: PlotEvidence): Promise<Figure> {
  const s = plotSpec(p);
  const notes: string[] = [];
  notes.push(`${p.cases.length} representative case${p.cases.length === 1 ? '' : 's'} of this run; solid: observed, dashed: reference.`);
  if (p.summary) notes.push(p.summary);
  if (s.dropped > 0) notes.push(`${s.dropped} point${s.dropped === 1 ? '' : 's'} <= 0 not shown on the log axis.`);
  if (p.error) notes.push(`plot error: ${p.error}`);
  return { title: p.title, svg: s.points > 0 ? await renderSvg(s.spec) : '<p class="muted">no data points were kept by this run</p>', notes };
}

/** The site's files: relative path -> content (text, or a source file to copy). */
export async function siteFiles(records: Records, opts: SiteOptions): Promise<Map<string, string | { copy: string }>> {
  const files = new Map<string, string | { copy: string }>();
  const { run, theorems, mutants } = records;
  const ids = new Set(theorems.map((t) => t.id));
  const links = { pages: ids, repoFromSite: opts.repoFromSite, repoRoot: opts.repoRoot };
  const figures = new Map<string, Figure>();
  for (const t of theorems) if (t.plot !== null) figures.set(t.id, await figureOf(t.plot));

  files.set('index.html', indexPage(run, theorems, mutants));
  for (const t of theorems) {
    const notePath = join(opts.repoRoot, 'proofs-notes', `${t.id}.md`);
    const note = existsSync(notePath) ? noteHtml(readFileSync(notePath, 'utf8'), links) : '';
    const fig = figures.get(t.id);
    files.set(`${t.id}.html`, theoremPage(run, t, { figures: fig ? [fig] : [], note, repoFromSite: opts.repoFromSite }));
  }
  files.set('versions.html', versionsPage(run, theorems, figures));
  const heat = mutants.length > 0
    ? { title: 'Mutation matrix: a row per planted bug, a cell per property run on it (stopping at the first kill)', svg: await renderSvg(mutationSpec(mutants).spec), notes: [] }
    : null;
  files.set('mutants.html', mutantsPage(run, mutants, heat));
  files.set('run.jsonl', writeRecords(records));
  files.set('assets/style.css', STYLE);
  const katexDist = join(dirname(createRequire(import.meta.url).resolve('katex/package.json')), 'dist');
  // KaTeX's stylesheet offers woff2, woff and ttf for each font; every browser the site targets reads woff2, so only
  // those are copied and the stylesheet lists only them
  const css = readFileSync(join(katexDist, 'katex.min.css'), 'utf8').replace(/,url\(fonts\/[^)]+\.woff\) format\("woff"\),url\(fonts\/[^)]+\.ttf\) format\("truetype"\)/g, '');
  files.set('assets/katex/katex.min.css', css);
  for (const f of readdirSync(join(katexDist, 'fonts')).filter((n) => n.endsWith('.woff2')).sort()) files.set(`assets/katex/fonts/${f}`, { copy: join(katexDist, 'fonts', f) });
  return files;
}

/** Write the site into `outDir` (replacing the files this generator owns; other files are left alone). */
export async function writeSite(records: Records, outDir: string, opts: SiteOptions): Promise<number> {
  const files = await siteFiles(records, opts);
  rmSync(join(outDir, 'assets'), { recursive: true, force: true });
  for (const old of existsSync(outDir) ? readdirSync(outDir).filter((n) => n.endsWith('.html')) : []) rmSync(join(outDir, old));
  for (const [rel, content] of files) {
    const p = join(outDir, rel);
    mkdirSync(dirname(p), { recursive: true });
    if (typeof content === 'string') writeFileSync(p, content);
    else copyFileSync(content.copy, p);
  }
  return files.size;
}
