/**
 * HTML building blocks of the report site: escaping, LaTeX through KaTeX (rendered here, offline; the page only
 * needs KaTeX's CSS and fonts, copied into assets/), Markdown proof notes through marked (with $$...$$ blocks as
 * display maths and links rewritten so they resolve inside the site or the repository), and the page shell.
 */
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import katex from 'katex';
import { Marked } from 'marked';

export const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** LaTeX to KaTeX HTML; a formula KaTeX rejects is shown as code with the error (one line), never dropped. */
export function tex(latex: string, display: boolean): string {
  try {
    return katex.renderToString(latex, { displayMode: display, throwOnError: true, output: 'html', strict: 'ignore' });
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return `<code class="tex-error" title="${esc(why)}">${esc(latex)}</code>`;
  }
}

export interface NoteLinks {
  /** ids that have a page in the site: proofs-notes/<id>.md links become <id>.html */
  readonly pages: ReadonlySet<string>;
  /** path from a site page to the repository root ('../../' for docs/report/) */
  readonly repoFromSite: string;
  /** the repository root on disk, to tell links to existing files from text that only looks like a link */
  readonly repoRoot: string;
}

/**
 * A proof note (Markdown, in proofs-notes/) as HTML: $$...$$ become display maths; a link to another note with a
 * page goes to that page, a link to a repository file goes to it through `repoFromSite`, a relative link to
 * nothing that exists is kept as its text; the note's first heading is dropped (the page has its own).
 */
export function noteHtml(markdown: string, links: NoteLinks): string {
  const maths: string[] = [];
  const body = markdown.replace(/^# .*\n/, '').replace(/\$\$([\s\S]+?)\$\$/g, (_, m: string) => {
    maths.push(tex(m.trim(), true));
    return `\n\nLSGDMATH${maths.length - 1}X\n\n`;
  });
  const marked = new Marked({ gfm: true, async: false });
  marked.use({
    renderer: {
      link({ href, tokens }) {
        const text = this.parser.parseInline(tokens);
        const target = rewriteLink(href, links);
        return target === null ? text : `<a href="${esc(target)}">${text}</a>`;
      },
    },
  });
  const html = marked.parse(body) as string;
  return html.replace(/<p>LSGDMATH(\d+)X<\/p>/g, (_, i: string) => `<div class="math">${maths[Number(i)]}</div>`);
}

function rewriteLink(href: string, links: NoteLinks): string | null {
  if (/^[a-z]+:/i.test(href) || href.startsWith('#')) return href;
  const [path, hash] = href.split('#');
  const repoPath = posix.normalize(posix.join('proofs-notes', path));
  if (repoPath.startsWith('..') || !existsSync(join(links.repoRoot, repoPath))) return null;
  const m = /^proofs-notes\/([^/]+)\.md$/.exec(repoPath);
  if (m && links.pages.has(m[1])) return `${m[1]}.html${hash ? `#${hash}` : ''}`;
  return `${links.repoFromSite}${repoPath}`;
}

export interface Shell {
  readonly title: string;
  /** navigation line: [href, text] */
  readonly nav: readonly (readonly [string, string])[];
  readonly body: string;
}

/** A complete page: light and dark themes from the reader's setting, KaTeX's CSS, no script, no network. */
export function page(s: Shell): string {
  const nav = s.nav.map(([href, text]) => `<a href="${esc(href)}">${esc(text)}</a>`).join(' · ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${esc(s.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="assets/katex/katex.min.css">
<link rel="stylesheet" href="assets/style.css">
</head>
<body>
<nav>${nav}</nav>
<main>
${s.body}
</main>
</body>
</html>
`;
}

/** The site's stylesheet: system fonts, light by default, dark under prefers-color-scheme. */
export const STYLE = `:root { --bg: #ffffff; --fg: #1d1d1f; --muted: #5f6368; --line: #d0d4d9; --card: #f6f8fa; --link: #0b57d0;
  --pass: #1e7e34; --fail: #b3261e; --finding: #8a5a00; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #15171a; --fg: #e6e6e6; --muted: #a0a6ad; --line: #3a3f45; --card: #1e2227; --link: #8ab4f8;
    --pass: #6fcf7f; --fail: #f28b82; --finding: #fdd663; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
nav { padding: 10px 24px; border-bottom: 1px solid var(--line); background: var(--card); }
main { max-width: 1100px; margin: 0 auto; padding: 12px 24px 48px; }
a { color: var(--link); }
h1 { font-size: 1.6em; margin: 0.6em 0 0.3em; } h2 { font-size: 1.3em; margin-top: 1.6em; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1em; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; margin: 0.6em 0; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--card); }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.9em; }
pre { background: var(--card); border: 1px solid var(--line); padding: 8px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
.muted { color: var(--muted); }
.outcome-pass { color: var(--pass); font-weight: 600; } .outcome-fail { color: var(--fail); font-weight: 700; }
.outcome-finding { color: var(--finding); font-weight: 600; }
.math { overflow-x: auto; padding: 4px 0; }
.statement { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; overflow-x: auto; }
figure.plot { margin: 1em 0; padding: 8px; border: 1px solid var(--line); border-radius: 6px; overflow-x: auto; }
figure.plot figcaption { font-size: 0.9em; color: var(--muted); margin-bottom: 6px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; } dl.facts dt { color: var(--muted); }
.note { border-top: 1px solid var(--line); margin-top: 2em; }
.tex-error { color: var(--fail); }
`;
