/**
 * The pages of the report site from the run records: the index of every theorem by family, one page per theorem,
 * and the mutation matrix. Plots arrive as SVG strings (plots.ts); pages only lay them out.
 */
import type { MutantRecord, RunRecord, TheoremRecord } from '../records.ts';
import { esc, page, tex } from './markup.ts';

export const NAV: readonly (readonly [string, string])[] = [['index.html', 'All theorems'], ['versions.html', 'Zhu et al. v1 / v2'], ['mutants.html', 'Mutation matrix']];

/** A rendered plot: its caption parts and the SVG. */
export interface Figure {
  readonly title: string;
  readonly svg: string;
  readonly notes: readonly string[];
}

export function figureHtml(f: Figure): string {
  const notes = f.notes.map((n) => `<br><span>${esc(n)}</span>`).join('');
  return `<figure class="plot"><figcaption><strong>${esc(f.title)}</strong>${notes}</figcaption>\n${f.svg}\n</figure>`;
}

/** Outcome in words, with its CSS class. */
export function outcomeOf(t: TheoremRecord): { readonly word: string; readonly cls: string } {
  if (t.expect === 'refuted') {
    if (t.outcome === 'pass' && t.status === 'violated') return { word: 'refuted (recorded finding)', cls: 'outcome-finding' };
    if (t.outcome === 'not-reproduced') return { word: 'finding not reproduced', cls: 'outcome-finding' };
    if (t.outcome === 'fail') return { word: `FAILED (${t.status})`, cls: 'outcome-fail' };
    return { word: 'not applicable', cls: 'muted' };
  }
  if (t.status === 'interrupted' && t.cause === 'not-applicable') return { word: 'not applicable', cls: 'muted' };
  return t.outcome === 'pass' ? { word: 'holds', cls: 'outcome-pass' } : { word: `FAILED (${t.status})`, cls: 'outcome-fail' };
}

const ratio = (t: TheoremRecord): string => {
  if (t.frequency) return `${t.frequency.successes}/${t.frequency.n} (claim ${t.frequency.claim} ${t.frequency.claimed})`;
  if (t.closest === null) return '—';
  return t.worstRatio === null || t.closest.startsWith('exact') || t.closest.startsWith('inside') ? t.closest : `${t.worstRatio.toPrecision(3)} (${t.closest})`;
};
const versionOf = (t: TheoremRecord) => `${t.source.paper}; ${t.source.version}`;

export function indexPage(run: RunRecord, theorems: readonly TheoremRecord[], mutants: readonly MutantRecord[]): string {
  const failed = theorems.filter((t) => t.outcome === 'fail').length;
  const findings = theorems.filter((t) => t.expect === 'refuted').length;
  const plotted = theorems.filter((t) => t.plot !== null).length;
  const out: string[] = [];
  out.push('<h1>lsgd-spec evidence report</h1>');
  out.push(`<p>Subject: ${esc(run.subject)}. Profile: <code>${esc(run.profile)}</code>. Seed: <code>${run.seed}</code> (the same seed gives this site byte for byte; replay any line with <code>--seed ${run.seed}</code>).</p>`);
  out.push(`<p>${theorems.length} theorems: ${theorems.length - findings} theorems checked, ${findings} recorded refutations; ${failed === 0 ? '<span class="outcome-pass">every theorem met its expectation</span>' : `<span class="outcome-fail">${failed} did not meet their expectation</span>`}. ${plotted} carry plots of their own runs.`
    + `${mutants.length > 0 ? ` ${mutants.filter((m) => m.status === 'killed').length} of ${mutants.length} planted bugs killed (<a href="mutants.html">mutation matrix</a>).` : ''}`
    + ' The story of the two versions of Zhu et al. is on <a href="versions.html">its own page</a>.</p>');
  out.push('<p class="muted">Closest approach: difference / allowed slack of the instance nearest to violating the claim (at most 1 holds; an exact match with zero slack counts as 1), in words as in the Markdown report; frequency claims give successes / samples.</p>');
  for (const fam of [...new Set(theorems.map((t) => t.family))]) {
    out.push(`<h2 id="family-${esc(fam)}">${esc(fam)}</h2>`);
    out.push('<table><thead><tr><th>id</th><th>claim</th><th>source and version</th><th>kind</th><th>verdict</th><th>cases</th><th>closest approach</th><th>counterexample</th></tr></thead><tbody>');
    for (const t of theorems.filter((x) => x.family === fam)) {
      const o = outcomeOf(t);
      const cex = t.counterexample !== null ? `<a href="${esc(t.id)}.html#counterexample">shrunk instance and replay</a>` : '—';
      out.push(`<tr><td><a href="${esc(t.id)}.html">${esc(t.id)}</a>${t.plot ? ' <span class="muted" title="has a plot">▪</span>' : ''}</td><td>${esc(t.title)}</td><td>${esc(versionOf(t))}</td><td>${esc(t.kind)}</td><td class="${o.cls}">${esc(o.word)}</td><td>${t.runs}</td><td>${esc(ratio(t))}</td><td>${cex}</td></tr>`);
    }
    out.push('</tbody></table>');
  }
  return page({ title: 'lsgd-spec evidence report', nav: NAV, body: out.join('\n') });
}

export interface TheoremPageParts {
  readonly figures: readonly Figure[];
  /** the proof note as HTML ('' when the note is missing) */
  readonly note: string;
  /** links from this page to the repository files */
  readonly repoFromSite: string;
}

export function theoremPage(run: RunRecord, t: TheoremRecord, parts: TheoremPageParts): string {
  const o = outcomeOf(t);
  const out: string[] = [];
  out.push(`<h1>${esc(t.id)}</h1>`, `<p><strong>${esc(t.title)}</strong>${t.expect === 'refuted' ? ' — a recorded refutation: the claim as read, which the search refutes on a correct optimizer' : ''}</p>`);
  out.push(`<div class="statement">${tex(t.statement, true)}</div>`);
  out.push('<dl class="facts">');
  const fact = (k: string, v: string) => out.push(`<dt>${esc(k)}</dt><dd>${v}</dd>`);
  fact('Source', esc(t.source.paper));
  fact('Version', esc(t.source.version));
  fact('Locator', esc(t.source.locator));
  fact('Provenance', esc(t.source.provenance.join(' + ')));
  fact('Kind', esc(t.kind));
  fact('Property', `<a href="${esc(parts.repoFromSite + t.file)}">${esc(t.file)}</a>`);
  fact('Proof note', `<a href="${esc(`${parts.repoFromSite}proofs-notes/${t.id}.md`)}">proofs-notes/${esc(t.id)}.md</a>`);
  fact('Verdict', `<span class="${o.cls}">${esc(o.word)}</span> (seed ${run.seed}, profile ${esc(run.profile)}, ${t.runs} cases)`);
  fact('Evidence', esc(t.evidence));
  out.push('</dl>');
  out.push('<h2>Hypotheses</h2>', t.hypotheses.length === 0 ? '<p>none</p>' : `<ul>${t.hypotheses.map((h) => `<li>${esc(h)}</li>`).join('')}</ul>`);
  out.push('<h2>Evidence</h2>');
  if (t.closestInstance !== null) out.push(`<p>Closest approach: ${esc(t.closest ?? '')}${t.worstRatio === null ? '' : ` (difference / allowed = ${t.worstRatio.toPrecision(3)})`}, on</p><pre>${esc(t.closestInstance)}</pre>`);
  if (t.frequency) out.push(`<p>${t.frequency.successes} of ${t.frequency.n} samples; interval [${t.frequency.lo.toPrecision(4)}, ${t.frequency.hi.toPrecision(4)}] against the claimed ${t.frequency.claim} ${t.frequency.claimed}.</p>`);
  for (const f of parts.figures) out.push(figureHtml(f));
  if (t.counterexample !== null || t.replay !== null) {
    out.push('<h2 id="counterexample">Counterexample</h2>');
    if (t.counterexample !== null) out.push(`<pre>${esc(t.counterexample)}</pre>`);
    if (t.observed !== null) out.push(`<p>Observed <code>${esc(t.observed)}</code> against bound <code>${esc(t.bound ?? '')}</code>.</p>`);
    if (t.replay !== null) out.push(`<p>Replay:</p><pre><code>${esc(t.replay)}</code></pre>`);
  }
  if (parts.note !== '') out.push(`<section class="note"><h2>Proof note</h2>\n${parts.note}\n</section>`);
  return page({ title: `${t.id} — lsgd-spec evidence`, nav: NAV, body: out.join('\n') });
}

export function mutantsPage(run: RunRecord, mutants: readonly MutantRecord[], heat: Figure | null): string {
  const out: string[] = ['<h1>Mutation matrix</h1>'];
  if (mutants.length === 0 || heat === null) {
    out.push('<p>This run did not include the mutation report (run <code>lsgd-spec report --html --mutants</code>).</p>');
    return page({ title: 'Mutation matrix — lsgd-spec evidence', nav: NAV, body: out.join('\n') });
  }
  const killed = mutants.filter((m) => m.status === 'killed').length;
  out.push(`<p>Every planted bug (src/gate/mutants) runs against the properties that use what it changes, conformance first, stopping at the first kill (seed ${run.seed}, profile ${esc(run.profile)}). ${killed} of ${mutants.length} killed.</p>`);
  out.push(figureHtml(heat));
  out.push('<table><thead><tr><th>bug</th><th>what it plants</th><th>status</th><th>killed by</th></tr></thead><tbody>');
  for (const m of mutants) {
    const by = m.attempts.filter((a) => a.killed).map((a) => `<a href="${esc(a.property)}.html">${esc(a.property)}</a>`).join(', ') || '—';
    out.push(`<tr><td>${esc(m.id)}</td><td>${esc(m.bug)}</td><td class="${m.status === 'killed' ? 'outcome-pass' : 'outcome-fail'}">${esc(m.status)}</td><td>${by}</td></tr>`);
  }
  out.push('</tbody></table>');
  return page({ title: 'Mutation matrix — lsgd-spec evidence', nav: NAV, body: out.join('\n') });
}
