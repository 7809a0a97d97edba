import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every citation in the code, the properties, the proof notes and the docs must resolve inside the repository: a
// repository path must exist, a `file.md#anchor` must name a heading of that file, and nothing may cite a file
// outside the checkout (absolute paths, a sibling folder), an unresolvable brief (a bare theory.md or mutants.md) or a
// tracker issue number. The scan reads the files as text; a failure names the file, the line and the citation.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** folders and files whose citations must resolve */
const CITING = ['src', 'properties', 'proofs-notes', 'docs', 'ci', 'README.md'];
/** folders and files that must not cite outside the repository (the tests, benchmarks and scripts too) */
const NO_OUTSIDE = [...CITING, 'test', 'bench', 'scripts', 'package.json'];
const TEXT = /\.(ts|md|py|sh|yml|yaml|json|js)$/;
/** top-level entries a repository-relative path can start with */
const TOP = ['src', 'properties', 'proofs-notes', 'docs', 'ci', 'test', 'bench', 'scripts', 'bin'];

function filesUnder(rel: string): string[] {
  const abs = join(ROOT, rel);
  if (!existsSync(abs)) return [];
  if (statSync(abs).isFile()) return TEXT.test(rel) || rel === 'README.md' ? [rel] : [];
  const out: string[] = [];
  for (const e of readdirSync(abs, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const r = join(rel, e.name);
    if (e.isDirectory()) out.push(...filesUnder(r));
    else if (TEXT.test(e.name)) out.push(r);
  }
  return out;
}

/** GitHub's heading anchor: lower case, punctuation dropped (hyphens and underscores kept), spaces to hyphens. */
export function headingSlug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
}

const anchorCache = new Map<string, Set<string>>();
function anchorsOf(mdRel: string): Set<string> {
  let set = anchorCache.get(mdRel);
  if (set) return set;
  set = new Set();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of readFileSync(join(ROOT, mdRel), 'utf8').split('\n')) {
    if (/^```/.test(line)) fenced = !fenced;
    const m = !fenced && line.match(/^#{1,6} (.*)$/);
    if (!m) continue;
    const base = headingSlug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    set.add(n === 0 ? base : `${base}-${n}`);
  }
  anchorCache.set(mdRel, set);
  return set;
}

interface Finding { file: string; line: number; text: string; why: string }

function scanLines(files: string[], visit: (file: string, line: string, lineNo: number, out: Finding[]) => void): Finding[] {
  const out: Finding[] = [];
  for (const f of files) {
    readFileSync(join(ROOT, f), 'utf8').split('\n').forEach((line, i) => visit(f, line, i + 1, out));
  }
  return out;
}
const fmt = (fs: Finding[]) => fs.map((x) => `${x.file}:${x.line}: ${x.text} (${x.why})`);

/** repository paths named in a line: a top-level folder, then path characters, ending in a name with an extension or a slash */
const PATH_RE = new RegExp(`(?<![\\w./-])(?:\\./)?((?:${TOP.join('|')})/[\\w./-]*[\\w/])`, 'g');
/** `something.md#anchor` */
const ANCHOR_RE = /(?<![\w/.-])((?:[\w-]+\/)*[\w.-]+\.md)#([\w-]+)/g;
/** a path containing a placeholder is a pattern, not a citation (proofs-notes/<id>.md, properties/**.prop.ts) */
const isPattern = (p: string, after: string) => /^[\w.-]*[*<>{}$]/.test(after) || /\*/.test(p);

describe('citations resolve inside the repository', () => {
  const citing = CITING.flatMap(filesUnder);
  const outside = NO_OUTSIDE.flatMap(filesUnder).filter((f) => f !== 'test/docs/citations.test.ts');

  it('scans a non-trivial set of files', () => {
    expect(citing.length).toBeGreaterThan(200);
    expect(citing).toContain('docs/theory.md');
    expect(citing).toContain('docs/planted-bugs.md');
  });

  it('every repository path mentioned exists', () => {
    const bad = scanLines(citing, (file, line, n, out) => {
      for (const m of line.matchAll(PATH_RE)) {
        const p = m[1].replace(/[.]+$/, '');
        const after = line.slice((m.index ?? 0) + m[0].length);
        if (isPattern(p, after)) continue;
        if (!existsSync(join(ROOT, p))) out.push({ file, line: n, text: p, why: 'no such file or folder in the repository' });
      }
    });
    expect(fmt(bad)).toEqual([]);
  });

  it('every markdown link target and every file.md#anchor resolves to a file and a heading', () => {
    const bad = scanLines(citing, (file, line, n, out) => {
      for (const m of line.matchAll(ANCHOR_RE)) {
        const [, mdPath, anchor] = m;
        const candidates = [mdPath, relative(ROOT, join(ROOT, dirname(file), mdPath))];
        const target = candidates.find((c) => existsSync(join(ROOT, c)));
        if (!target) out.push({ file, line: n, text: `${mdPath}#${anchor}`, why: 'no such markdown file' });
        else if (!anchorsOf(target).has(anchor)) out.push({ file, line: n, text: `${mdPath}#${anchor}`, why: `no heading with anchor '${anchor}' in ${target}` });
      }
      if (!file.endsWith('.md')) return;
      for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
        const link = m[1];
        if (/^[a-z]+:/.test(link)) continue; // a URL
        const [path, anchor] = link.split('#');
        const target = path === '' ? file : relative(ROOT, join(ROOT, dirname(file), path));
        if (!existsSync(join(ROOT, target))) out.push({ file, line: n, text: link, why: 'link to a missing file' });
        else if (anchor && target.endsWith('.md') && !anchorsOf(target).has(anchor)) out.push({ file, line: n, text: link, why: `no heading '${anchor}' in ${target}` });
      }
    });
    expect(fmt(bad)).toEqual([]);
  });

  it('every mutant of src/gate/mutants has its section in docs/planted-bugs.md', () => {
    const ids = readdirSync(join(ROOT, 'src/gate/mutants')).filter((f) => /^[MP]\d\d-.*\.ts$/.test(f)).map((f) => f.slice(0, -3).toLowerCase());
    expect(ids.length).toBeGreaterThan(10);
    const anchors = anchorsOf('docs/planted-bugs.md');
    expect(ids.filter((id) => !anchors.has(id))).toEqual([]);
  });

  it('nothing cites a file outside the repository, the unresolvable briefs or an issue number', () => {
    const RULES: [RegExp, string][] = [
      [/(?<![\w.:~-])\/(?:work|tmp|home|root|Users|mnt|var|opt)\//, 'absolute path outside the checkout'],
      [/\.\.\/shared\b|(?<![\w-])shared\/(?:theory|mutants|STYLE)/, 'a folder outside the checkout'],
      [/(?<![\w/-])theory\.md/, 'theory.md without docs/: cite docs/theory.md'],
      [/(?<![\w/-])mutants\.md/, 'mutants.md: cite docs/planted-bugs.md'],
      [/\b[Ii]ssues? #?\d/, 'an issue number: state the claim or cite a file instead'],
      [/\b(?:bug|row) #\d|planted bug #|\(#\d+\)/, 'a numbered planted bug: cite docs/planted-bugs.md#<mutant id>'],
    ];
    const bad = scanLines(outside, (file, line, n, out) => {
      for (const [re, why] of RULES) {
        const m = line.match(re);
        if (m) out.push({ file, line: n, text: m[0], why });
      }
    });
    expect(fmt(bad)).toEqual([]);
  });

  it('the slug rule is GitHub\'s', () => {
    expect(headingSlug('1.4 Non-commuting limits')).toBe('14-non-commuting-limits');
    expect(headingSlug('M02-uniform-weights')).toBe('m02-uniform-weights');
    expect(headingSlug('2 LUPA-SGD and ADA-LUPA-SGD (Haddadpour et al.)')).toBe('2-lupa-sgd-and-ada-lupa-sgd-haddadpour-et-al');
  });
});
