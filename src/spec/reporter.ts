/**
 * Reporters: the only code that turns verdicts into text. Text follows fast-check's shape (headline, replay
 * line, counterexample, observed vs bound, hints); JSON is a machine-readable array; summaries are one line.
 */
import { pretty, toJsonSafe } from './pretty.ts';
import type { AnyTheorem } from './types.ts';
import type { FrequencyEvidence, Holds, Verdict } from './verdict.ts';

const MARK: Record<Verdict['status'], string> = { holds: '✓', violated: '✗', vacuous: '∅', interrupted: '!' };

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
const secs = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const g = (x: number) => (Number.isFinite(x) ? x.toPrecision(3) : String(x));

/** ', 37 draws rejected in the arbitrary' when some were, else ''. */
export function rejectedPhrase(n: number | undefined, sep: string): string {
  return n ? `${sep}${n} draw${n === 1 ? '' : 's'} rejected in the arbitrary` : '';
}

function reasonsOf(r: Readonly<Record<string, number>> | undefined): string {
  return r ? Object.entries(r).map(([k, n]) => `${n} x ${k}`).join('; ') : '';
}

/** One line per theorem, e.g. `✓ Z-R1 holds (100 runs, closest 14% of tolerance, 0.31 s)`. */
export function summaryLine(v: Verdict): string {
  const head = `${MARK[v.status]} ${v.id} ${v.status}`;
  switch (v.status) {
    case 'holds': {
      const w = v.evidence.worst;
      const f = v.evidence.frequency;
      const close = w ? `, closest ${closeness(w.used, w.difference, w.allowed)}` : f ? `, ${frequencyCloseness(f)}` : '';
      const vac = (v.evidence.vacuousRuns > 0 ? `, ${v.evidence.vacuousRuns} vacuous` : '') + rejectedPhrase(v.evidence.rejectedDraws, ', ');
      return `${head} (${plural(v.runs, 'run')}${close}${vac}, ${secs(v.elapsedMs)})`;
    }
    case 'violated':
      return `${head}: ${v.message} (after ${plural(v.runs, 'run')}, ${plural(v.shrinks, 'shrink')}, ${secs(v.elapsedMs)})`;
    case 'vacuous':
      return `${head}: ${v.reason}${rejectedPhrase(v.rejectedDraws, '; ')} (${secs(v.elapsedMs)})`;
    case 'interrupted':
      return `${head}: ${v.reason} (${secs(v.elapsedMs)})`;
  }
}

/** How close the worst run came to the bound, in words (shared by the text and Markdown reports). */
export function closeness(used: number, difference?: number, allowed?: number): string {
  if (allowed === 0 && difference === 0) return 'exact agreement (zero slack)';
  if (difference === 0) return 'exact agreement';
  if (used === -Infinity) return 'inside the bound (zero slack)';
  if (!Number.isFinite(used)) return String(used);
  // an upper bound met with room to spare: the difference is negative, and a percentage of a rounding-sized
  // tolerance (e.g. -1e11 %) says nothing; the slack itself does
  if (used < 0 && difference !== undefined) return `inside the bound by ${g(-difference)} (tolerance ${g(allowed ?? 0)})`;
  return `${(used * 100).toPrecision(3)}% of tolerance`;
}

/** The confidence named in a frequency summary ('99.9%' from '... 99.9% upper Clopper-Pearson ...'), or '' when none. */
function confidenceOf(summary: string): string {
  const m = /(\d+(?:\.\d+)?)% (?:upper|lower|two-sided) /.exec(summary);
  return m ? `${m[1]}% ` : '';
}

/**
 * A frequency claim's evidence in words, showing the bound that decides it as runFrequency does (shared by the text
 * and Markdown reports): "at least p0" is refuted only when the one-sided UPPER Clopper-Pearson bound falls below p0,
 * "at most p0" only when the LOWER bound rises above it, "equal" when the two-sided interval excludes it; e.g.
 * `148/150 = 98.7%, upper 99.9% bound 0.9995 >= claimed 0.95`. Exact enumeration compares the frequency itself.
 */
export function frequencyCloseness(f: FrequencyEvidence): string {
  const est = f.successes / f.n;
  const head = `${f.successes}/${f.n} = ${(est * 100).toFixed(1)}%`;
  const b = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x));
  const conf = confidenceOf(f.summary);
  if (f.summary.includes('whole population')) {
    const ok = f.claim === 'at-least' ? est >= f.claimed : f.claim === 'at-most' ? est <= f.claimed : est === f.claimed;
    const op = f.claim === 'at-least' ? (ok ? '>=' : '<') : f.claim === 'at-most' ? (ok ? '<=' : '>') : ok ? '=' : '!=';
    return `${head} (exact) ${op} claimed ${f.claimed}`;
  }
  const power = f.power === undefined ? '; power not stated' : `; power ${f.power.toFixed(3)} vs ${f.alternative}`;
  if (f.claim === 'at-least') return `${head}, upper ${conf}bound ${b(f.hi)} ${f.hi < f.claimed ? '<' : '>='} claimed ${f.claimed}${power}`;
  if (f.claim === 'at-most') return `${head}, lower ${conf}bound ${b(f.lo)} ${f.lo > f.claimed ? '>' : '<='} claimed ${f.claimed}${power}`;
  const inside = f.lo <= f.claimed && f.claimed <= f.hi;
  return `${head}, two-sided ${conf}interval [${b(f.lo)}, ${b(f.hi)}] ${inside ? 'contains' : 'excludes'} claimed ${f.claimed}${power}`;
}

export interface TextOptions {
  /** characters of counterexample text before truncation (default 2000) */
  readonly maxValueChars?: number;
  /** the theorem, for its source and hints */
  readonly theorem?: AnyTheorem;
}

/** Multi-line report for one verdict. */
export function textReport(v: Verdict, opts: TextOptions = {}): string {
  const max = opts.maxValueChars ?? 2000;
  const lines = [`${MARK[v.status]} ${v.id} — ${v.title} [${v.kind}] ${v.status}`];
  const th = opts.theorem;
  if (th) {
    const prov = Array.isArray(th.source.provenance) ? th.source.provenance.join('+') : th.source.provenance;
    lines.push(`  source: ${th.source.paper}, ${th.source.version}, ${th.source.locator} (${prov})`);
  }
  switch (v.status) {
    case 'holds': {
      lines.push(`  ${v.runs} runs, seed ${v.seed}, profile ${v.profile}, ${secs(v.elapsedMs)}`);
      const w = v.evidence.worst;
      if (w) {
        const at = w.index === undefined ? '' : ` at index ${w.index}`;
        lines.push(`  closest approach: difference ${g(w.difference)}${at} vs allowed ${g(w.allowed)} (${closeness(w.used, w.difference, w.allowed)})`);
        lines.push(`    on instance: ${pretty(w.instance, Math.min(max, 400))}`);
      }
      if (v.evidence.frequency) lines.push(`  ${v.evidence.frequency.summary}`);
      if (v.evidence.vacuousRuns > 0) lines.push(`  vacuous runs (not compared): ${v.evidence.vacuousRuns} of ${v.runs}`);
      if (v.evidence.rejectedDraws) lines.push(`  draws rejected inside the arbitrary (never run): ${v.evidence.rejectedDraws} (${reasonsOf(v.evidence.rejectionReasons)})`);
      break;
    }
    case 'violated': {
      lines.push(`  ${v.message}`);
      lines.push(`  replay: ${v.command}`);
      lines.push(`    seed ${v.seed}${v.path ? `, path ${v.path}` : ''}, failed after ${plural(v.runs, 'run')} and ${plural(v.shrinks, 'shrink')} (${secs(v.elapsedMs)})`);
      lines.push(`  counterexample${v.shrinks > 0 ? ' (shrunk)' : ''}: ${pretty(v.counterexample, max)}`);
      if (v.observed !== undefined) lines.push(`  observed: ${pretty(v.observed, max)}`);
      if (v.bound !== undefined) lines.push(`  bound:    ${pretty(v.bound, max)}`);
      if (v.difference !== undefined && v.tolerance) {
        const t = v.tolerance;
        const parts = [t.abs !== undefined ? `abs ${g(t.abs)}` : '', t.rel !== undefined ? `rel ${g(t.rel)}` : ''].filter(Boolean).join(' + ');
        const at = v.index === undefined ? '' : ` at index ${v.index}`;
        lines.push(`  difference ${g(v.difference)}${at} > allowed ${g(t.allowed)}${parts ? ` (${parts})` : ''}`);
        lines.push(`  tolerance why: ${t.why}`);
      }
      if (v.hypothesisReport.length > 0) {
        lines.push(`  hypotheses on the counterexample: ${v.hypothesisReport.map((h) => `${h.holds ? '✓' : '✗'} ${h.name}${h.reason ? ` (${h.reason})` : ''}`).join('; ')}`);
      }
      const hints = [...(th?.hints ?? []), ...defaultHints(v)];
      for (const h of hints) lines.push(`  hint: ${h}`);
      break;
    }
    case 'vacuous':
      lines.push(`  ${v.reason}`);
      lines.push(`  hint: a property that is never exercised cannot fail; widen the generator or fix the subject so the claim's regime is reached`);
      break;
    case 'interrupted':
      lines.push(`  ${v.reason}`);
      if (v.command) lines.push(`  replay: ${v.command}`);
      if (v.counterexample !== undefined) lines.push(`  instance: ${pretty(v.counterexample, max)}`);
      if (v.cause === 'hypothesis') lines.push('  hint: the generator produced an instance outside the theorem\'s hypotheses: fix the arbitrary, not the property');
      if (v.cause === 'time-budget' || v.cause === 'run-timeout') lines.push('  hint: raise the time budget, use a smaller profile, or shrink the instance sizes');
      break;
  }
  return lines.join('\n');
}

function defaultHints(v: Verdict & { status: 'violated' }): string[] {
  const h: string[] = [];
  if (/^subject (threw|returned an invalid value)|^shape mismatch/.test(v.message)) h.push('the subject failed on a valid instance: the counterexample reproduces it');
  if (v.kind === 'frequency') h.push('the decision is at the declared confidence; rerun with another seed to see a fresh sample');
  else h.push('rerun the replay line to reproduce the same counterexample');
  return h;
}

/** Machine-readable array of verdicts (typed arrays as arrays, non-finite numbers as strings). */
export function jsonReport(verdicts: readonly Verdict[]): string {
  return JSON.stringify(toJsonSafe(verdicts), null, 2);
}

/** For test files: pass on `holds`, otherwise throw an Error whose message is the full text report. */
export function assertHolds(v: Verdict, opts: TextOptions = {}): asserts v is Holds {
  if (v.status !== 'holds') throw new Error(textReport(v, opts));
}
