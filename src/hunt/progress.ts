/**
 * What a hunt prints while it runs and when it ends: on a terminal a live line per theorem (rewritten in place),
 * with --jsonl one JSON object per line (the same fields, progress at most once a second per theorem), otherwise
 * one line per finished theorem; then a summary table. Only this file prints hunt results.
 */
import type { HuntEvent, TheoremHunt } from './engine.ts';

export type ProgressMode = 'tty' | 'jsonl' | 'plain';

function fmtCloseness(c: number | null | undefined): string {
  if (c === null || c === undefined) return '-';
  if (!Number.isFinite(c)) return String(c);
  return Math.abs(c) >= 1e4 || (c !== 0 && Math.abs(c) < 1e-3) ? c.toExponential(2) : c.toPrecision(3);
}

function fmtTime(s: number | null): string {
  if (s === null) return '-';
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(0)}s`;
}

function jsonSafe(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x)));
}

/** One-line outcome of a theorem's hunt. */
export function outcomeOf(r: TheoremHunt): 'finding' | 'expected finding' | 'clean' | 'not applicable' | 'error' | 'interrupted' {
  if (r.stop === 'not-applicable') return 'not applicable';
  if (r.stop === 'error') return 'error';
  const found = r.findings > 0 || r.frequency?.violated === true;
  const broken = r.finding !== undefined && r.finding.status !== 'violation';
  if (found) return r.expect === 'refuted' && !broken ? 'expected finding' : 'finding';
  return r.stop === 'interrupted' ? 'interrupted' : 'clean';
}

export class Progress {
  private lastPrint = new Map<string, number>();
  private live = false;

  constructor(private readonly mode: ProgressMode, private readonly write: (s: string) => void) {}

  event(e: HuntEvent): void {
    if (this.mode === 'jsonl') {
      if (e.type === 'progress') {
        const now = performance.now();
        if (now - (this.lastPrint.get(e.id) ?? -Infinity) < 1000) return;
        this.lastPrint.set(e.id, now);
      }
      const payload = e.type === 'done' ? { type: 'done', ...summaryRow(e.result) } : e;
      this.write(`${JSON.stringify(jsonSafe(payload))}\n`);
      return;
    }
    if (e.type === 'progress' && this.mode === 'tty') {
      const now = performance.now();
      if (now - (this.lastPrint.get(e.id) ?? -Infinity) < 200) return;
      this.lastPrint.set(e.id, now);
      this.write(`\r\x1b[K  ${e.id}  ${e.cases} cases  ${e.casesPerSec.toFixed(1)}/s  closest ${fmtCloseness(e.closest)}  time left ${fmtTime(e.timeLeftS)}  findings ${e.findings}`);
      this.live = true;
    } else if (e.type === 'done') {
      if (this.live) this.write('\r\x1b[K');
      this.live = false;
      this.write(`${doneLine(e.result)}\n`);
    }
  }

  summary(results: readonly TheoremHunt[], footer: readonly string[]): void {
    if (this.mode === 'jsonl') {
      this.write(`${JSON.stringify(jsonSafe({ type: 'summary', theorems: results.map(summaryRow), notes: footer }))}\n`);
      return;
    }
    if (this.live) this.write('\r\x1b[K');
    const rows = [['theorem', 'kind', 'cases', 'targeted', 'cases/s', 'closest', 'findings', 'stopped', 'outcome'],
      ...results.map((r) => [r.id, r.kind, String(r.cases), String(r.targetedCases), r.casesPerSec.toFixed(1), fmtCloseness(r.closest), String(r.findings + (r.frequency?.violated ? 1 : 0)), r.stop, outcomeOf(r)])];
    const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
    this.write(`\n${rows.map((row) => row.map((x, c) => x.padEnd(widths[c])).join('  ').trimEnd()).join('\n')}\n`);
    for (const f of footer) this.write(`${f}\n`);
  }
}

export function summaryRow(r: TheoremHunt): Record<string, unknown> {
  return {
    id: r.id, kind: r.kind, expect: r.expect, cases: r.cases, vacuous: r.vacuous, targeted: r.targetedCases, casesPerSec: r.casesPerSec,
    closest: r.closest ?? null, findings: r.findings, stop: r.stop, outcome: outcomeOf(r),
    ...(r.finding ? { finding: { case: r.finding.j, status: r.finding.status, origin: r.finding.origin, message: r.finding.message, closeness: r.finding.closeness ?? null } } : {}),
    ...(r.frequency ? { frequency: r.frequency } : {}), ...(r.reason ? { reason: r.reason } : {}),
  };
}

function doneLine(r: TheoremHunt): string {
  const o = outcomeOf(r);
  const head = `${o === 'finding' ? 'FOUND' : o === 'expected finding' ? 'found' : o === 'clean' ? 'clean' : o}  ${r.id}: ${r.cases} cases (${r.targetedCases} targeted, ${r.vacuous} vacuous) in ${(r.elapsedMs / 1000).toFixed(1)} s, ${r.casesPerSec.toFixed(1)}/s, closest ${fmtCloseness(r.closest)}`;
  const lines = [head];
  if (r.finding) lines.push(`  case ${r.finding.j} (${r.finding.origin}): ${r.finding.status}: ${r.finding.message ?? ''}`);
  if (r.frequency) lines.push(`  frequency: ${r.frequency.summary}`);
  if (r.reason) lines.push(`  ${r.reason}`);
  return lines.join('\n');
}
