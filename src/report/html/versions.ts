/**
 * The Zhu, Vardhan, Mazumdar (arXiv 2412.07971) v1/v2 page: what each version claims, which limits do not commute,
 * and what the properties and hunts found. The prose frames the story (it summarises the proof notes named in it);
 * every verdict, number and plot on the page comes from the run records.
 */
import type { RunRecord, TheoremRecord } from '../records.ts';
import { esc, page } from './markup.ts';
import { figureHtml, NAV, outcomeOf, type Figure } from './pages.ts';

interface Part {
  readonly heading: string;
  readonly prose: string;
  readonly ids: readonly string[];
}

const PARTS: readonly Part[] = [
  {
    heading: 'v1: the same feasible set (L → ∞ first)',
    prose: 'The first version says Local-GD on separable data reaches "the same feasible set" as the centralized model. '
      + 'Read with the number of local steps L taken to infinity first, each round solves every node\'s problem exactly: '
      + 'the nodes project onto their own max-margin sets and the server averages the projections (M-avg, a POCS iteration). '
      + 'Its limit is feasible for every node, and generally not the centralized max-margin direction.',
    ids: ['Z-C8-large-l', 'Z-M1-feasible', 'Z-M1-not-max-margin'],
  },
  {
    heading: 'v2: exactly the max-margin direction (k → ∞ at fixed L)',
    prose: 'The second version (21 Mar 2026, the ICLR 2026 submission) says Local-GD with any L converges in direction to the '
      + 'centralized max-margin model, under a step condition η = O(1/L); the reviews report the decomposition '
      + 'w^k = ŵ log(·) + ρ^k with ρ^k bounded. At fixed L the iterate grows along ŵ at the logarithmic rate, its direction '
      + 'error falls, and its normalised margin rises toward γ*.',
    ids: ['Z-V1-fixed-l', 'Z-C2-angle', 'Z-C2-margin'],
  },
  {
    heading: 'The two limits do not commute',
    prose: 'Both versions can be right about different orders of limits. L → ∞ first ends at the POCS point p∞; '
      + 'k → ∞ at fixed L drifts toward ŵ. At a finite budget the drift shows in the direction of the late increment '
      + 'w^{k₂} − w^{k₁}, where the bounded residual cancels: on label-skewed data it is closer to ŵ than p∞ is.',
    ids: ['Z-V2-non-commuting'],
  },
  {
    heading: 'What the hunt found: no L-uniform constant',
    prose: 'Read as one constant C for every L, the v2 rate ang(w^k, ŵ) ≤ C / log(Lk) under η = 1/(βL) is false: with the '
      + 'largest step the condition allows, each round is about one gradient step of size 1/β whatever L is, so the error '
      + 'at round k hardly depends on L while C / log(Lk) shrinks with L. The search refutes this reading on a correct '
      + 'optimizer; it is kept as a recorded finding. The reading is ours; the theorem text was not available.',
    ids: ['Z-V3-l-uniform-rate'],
  },
];

export function versionsPage(run: RunRecord, theorems: readonly TheoremRecord[], figures: ReadonlyMap<string, Figure>): string {
  const byId = new Map(theorems.map((t) => [t.id, t]));
  const out: string[] = ['<h1>Zhu et al.: version 1 and version 2</h1>'];
  out.push('<p>Zhu, Vardhan, Mazumdar, <em>arXiv 2412.07971</em>, changed its main classification claim between versions. '
    + `This page puts the two claims side by side with the properties that encode each regime and what this run (seed ${run.seed}, profile ${esc(run.profile)}) found.</p>`);
  for (const part of PARTS) {
    out.push(`<h2>${esc(part.heading)}</h2>`, `<p>${esc(part.prose)}</p>`);
    const present = part.ids.map((id) => byId.get(id)).filter((t): t is TheoremRecord => t !== undefined);
    if (present.length === 0) {
      out.push('<p class="muted">None of these properties was in this run.</p>');
      continue;
    }
    out.push('<table><thead><tr><th>property</th><th>claim</th><th>verdict</th><th>evidence</th></tr></thead><tbody>');
    for (const t of present) {
      const o = outcomeOf(t);
      out.push(`<tr><td><a href="${esc(t.id)}.html">${esc(t.id)}</a></td><td>${esc(t.title)}</td><td class="${o.cls}">${esc(o.word)}</td><td>${esc(t.evidence)}</td></tr>`);
    }
    out.push('</tbody></table>');
    for (const t of present) {
      const f = figures.get(t.id);
      if (f) out.push(figureHtml({ ...f, title: `${t.id}: ${f.title}` }));
      if (t.replay !== null && t.expect === 'refuted') out.push(`<p>${esc(t.id)} counterexample replay: <code>${esc(t.replay)}</code> (<a href="${esc(t.id)}.html#counterexample">shrunk instance</a>)</p>`);
    }
  }
  return page({ title: 'Zhu et al. v1 / v2 — lsgd-spec evidence', nav: NAV, body: out.join('\n') });
}
