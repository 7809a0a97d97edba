/**
 * The evidence report (`lsgd-spec report`): every theorem with its statement, source, hypotheses, the verdict of
 * this run and its evidence (closest approach, frequency interval, or the shrunk counterexample with its replay
 * command), linked to its proof note. Deterministic: the same registry, subject, seed and profile give the same
 * bytes (no dates, no timings), so a report can be committed and diffed.
 */
import { pretty } from './pretty.ts';
import { closeness, frequencyCloseness, rejectedPhrase } from './reporter.ts';
import type { AnyTheorem } from './types.ts';
import { outcomeOf, type Verdict } from './verdict.ts';

export interface ReportEntry {
  readonly theorem: AnyTheorem;
  readonly family: string;
  readonly file: string;
  readonly verdict: Verdict;
}

export interface ReportMeta {
  readonly seed: number;
  readonly profile: string;
  readonly subject: string;
  /** path from the report file to the repository root, for links ('' when the report sits at the root) */
  readonly linkRoot?: string;
  /** extra sections appended verbatim (e.g. the mutation matrix) */
  readonly appendix?: string;
}

const g = (x: number) => (Number.isFinite(x) ? x.toPrecision(3) : String(x));
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const provenance = (t: AnyTheorem) => (Array.isArray(t.source.provenance) ? t.source.provenance.join('+') : String(t.source.provenance));

/** One line of evidence for the summary table. */
export function evidenceLine(v: Verdict): string {
  switch (v.status) {
    case 'holds': {
      const f = v.evidence.frequency;
      const rej = rejectedPhrase(v.evidence.rejectedDraws, '; ');
      if (f) return `${frequencyCloseness(f)} (claim ${f.claim})${rej}`;
      const w = v.evidence.worst;
      if (!w) return `${v.runs} runs${rej}`;
      return `${v.runs} runs; closest: ${closeness(w.used, w.difference, w.allowed)}${v.evidence.vacuousRuns > 0 ? `; ${v.evidence.vacuousRuns} vacuous` : ''}${rej}`;
    }
    case 'violated':
      return `${v.message} (after ${v.runs} runs, ${v.shrinks} shrinks)`;
    case 'vacuous':
      return `${v.reason}${rejectedPhrase(v.rejectedDraws, '; ')}`;
    case 'interrupted':
      return v.reason;
  }
}

function outcomeWord(e: ReportEntry): string {
  const expect = e.theorem.expect ?? 'holds';
  const o = outcomeOf(e.verdict, expect);
  if (expect === 'refuted') return o === 'pass' && e.verdict.status === 'violated' ? 'refuted (recorded finding)' : o === 'not-reproduced' ? 'finding not reproduced' : o === 'fail' ? '**FAILED**' : 'not applicable';
  if (e.verdict.status === 'interrupted' && e.verdict.cause === 'not-applicable') return 'not applicable';
  return o === 'pass' ? 'holds' : `**${e.verdict.status.toUpperCase()}**`;
}

export function markdownReport(entries: readonly ReportEntry[], meta: ReportMeta): string {
  const root = meta.linkRoot ?? '';
  const out: string[] = [];
  const failed = entries.filter((e) => outcomeOf(e.verdict, e.theorem.expect ?? 'holds') === 'fail').length;
  const findings = entries.filter((e) => (e.theorem.expect ?? 'holds') === 'refuted');
  out.push('# lsgd-spec evidence report', '');
  out.push(`Subject: ${meta.subject}. Profile: ${meta.profile}. Seed: ${meta.seed} (replay any line with \`--seed ${meta.seed}\`; the same seed gives this report byte for byte).`, '');
  out.push(`${entries.length} theorems: ${entries.length - failed - findings.length} theorems checked, ${findings.length} recorded refutations; ${failed === 0 ? 'every theorem met its expectation' : `**${failed} did not meet their expectation**`}.`, '');
  const families = [...new Set(entries.map((e) => e.family))];
  for (const fam of families) {
    out.push(`## ${fam}`, '', '| id | kind | provenance | outcome | evidence |', '|---|---|---|---|---|');
    for (const e of entries.filter((x) => x.family === fam)) {
      out.push(`| [${e.theorem.id}](#${e.theorem.id.toLowerCase()}) | ${e.theorem.kind} | ${provenance(e.theorem)} | ${outcomeWord(e)} | ${cell(evidenceLine(e.verdict))} |`);
    }
    out.push('');
  }
  out.push('## Theorems', '');
  for (const e of entries) {
    const t = e.theorem;
    const v = e.verdict;
    out.push(`### ${t.id}`, '');
    out.push(`**${t.title}**${(t.expect ?? 'holds') === 'refuted' ? ' — a recorded refutation: the claim as read, which the search refutes on a correct optimizer' : ''}`, '');
    out.push('$$', t.statement, '$$', '');
    out.push(`- Source: ${t.source.paper}; ${t.source.version}; ${t.source.locator} (${provenance(t)})`);
    out.push(`- Hypotheses: ${t.hypotheses.length === 0 ? 'none' : t.hypotheses.map((h) => h.name).join('; ')}`);
    out.push(`- Property: [${e.file}](${root}${e.file}); proof note: [proofs-notes/${t.id}.md](${root}proofs-notes/${t.id}.md)`);
    out.push(`- Outcome: ${outcomeWord(e)}: ${evidenceLine(v)}`);
    if (v.status === 'holds') {
      const w = v.evidence.worst;
      if (w) out.push(`- Closest approach: difference ${g(w.difference)} vs allowed ${g(w.allowed)}, on \`${cell(pretty(w.instance, 300))}\``);
      if (v.evidence.frequency) out.push(`- ${v.evidence.frequency.summary}`);
    } else if (v.status === 'violated') {
      out.push(`- Counterexample${v.shrinks > 0 ? ' (shrunk)' : ''}: \`${cell(pretty(v.counterexample, 600))}\``);
      if (v.observed !== undefined) out.push(`- Observed \`${cell(pretty(v.observed, 300))}\` against bound \`${cell(pretty(v.bound, 300))}\`${v.tolerance ? `; tolerance: ${v.tolerance.why}` : ''}`);
      out.push(`- Replay: \`${v.command}\``);
    } else if (v.status === 'interrupted' && v.command) out.push(`- Replay: \`${v.command}\``);
    out.push('');
  }
  if (meta.appendix) out.push(meta.appendix.trimEnd(), '');
  return out.join('\n');
}
