/**
 * CI-native outputs of a check run: a JUnit XML file (one testcase per theorem; a failure carries the text report
 * and the replay command), GitHub Actions workflow commands (`::error file=...,line=...::` per failing theorem) and
 * a job summary in Markdown (appended to $GITHUB_STEP_SUMMARY). Pure functions of the results; the command writes.
 */
import { readFileSync } from 'node:fs';
import { evidenceLine } from '../spec/markdown.ts';
import { textReport } from '../spec/reporter.ts';
import type { AnyTheorem } from '../spec/types.ts';
import type { Outcome, Verdict } from '../spec/verdict.ts';

export interface CheckResult {
  readonly theorem: AnyTheorem;
  readonly family: string;
  /** property file relative to the registry root */
  readonly file: string;
  /** absolute path of the property file (for the line of its id) */
  readonly absFile: string;
  readonly verdict: Verdict;
  readonly outcome: Outcome;
}

export interface RunMeta {
  readonly seed: number;
  readonly profile: string;
  readonly subject: string;
}

const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
    // XML 1.0 forbids most control characters even when escaped
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

const isNotApplicable = (v: Verdict) => v.status === 'interrupted' && v.cause === 'not-applicable';
const replayOf = (v: Verdict) => (v.status === 'violated' ? v.command : v.status === 'interrupted' ? v.command : undefined);

/** One line saying why a failed theorem failed, with its replay command when it has one. */
export function failureLine(r: CheckResult): string {
  const v = r.verdict;
  const expect = r.theorem.expect ?? 'holds';
  const why = expect === 'refuted' ? `recorded refutation: the check itself failed (${v.status}: ${evidenceLine(v)})` : `${v.status}: ${evidenceLine(v)}`;
  const replay = replayOf(v);
  return replay ? `${why}; replay: ${replay}` : why;
}

export function junitXml(results: readonly CheckResult[], meta: RunMeta): string {
  const failures = results.filter((r) => r.outcome === 'fail').length;
  const skipped = results.filter((r) => r.outcome !== 'fail' && isNotApplicable(r.verdict)).length;
  const time = (ms: number) => (ms / 1000).toFixed(3);
  const total = results.reduce((s, r) => s + r.verdict.elapsedMs, 0);
  const name = `lsgd-spec check (subject ${meta.subject}, seed ${meta.seed}, profile ${meta.profile})`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="lsgd-spec" tests="${results.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time(total)}">`,
    `  <testsuite name="${xmlEscape(name)}" tests="${results.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time(total)}">`,
    '    <properties>',
    `      <property name="seed" value="${meta.seed}"/>`,
    `      <property name="profile" value="${xmlEscape(meta.profile)}"/>`,
    `      <property name="subject" value="${xmlEscape(meta.subject)}"/>`,
    '    </properties>',
  ];
  for (const r of results) {
    const v = r.verdict;
    const head = `    <testcase classname="lsgd-spec.${xmlEscape(r.family || 'properties')}" name="${xmlEscape(`${r.theorem.id}: ${r.theorem.title}`)}" file="${xmlEscape(r.file)}" time="${time(v.elapsedMs)}"`;
    if (r.outcome === 'fail') {
      lines.push(`${head}>`, `      <failure message="${xmlEscape(failureLine(r))}" type="${v.status}">${xmlEscape(textReport(v, { theorem: r.theorem }))}</failure>`, '    </testcase>');
    } else if (isNotApplicable(v)) {
      lines.push(`${head}>`, `      <skipped message="${xmlEscape(evidenceLine(v))}"/>`, '    </testcase>');
    } else {
      lines.push(`${head}>`, `      <system-out>${xmlEscape(`${v.status}${r.outcome === 'not-reproduced' ? ' (recorded refutation not reproduced: not a failure)' : ''}: ${evidenceLine(v)}`)}</system-out>`, '    </testcase>');
    }
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

/** GitHub workflow-command escaping: data escapes %, CR, LF; property values also ':' and ','. */
const ghData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const ghProp = (s: string) => ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** 1-based line of the theorem's `id:` in its file (1 when it cannot be read or found). */
export function idLine(absFile: string, id: string): number {
  let text: string;
  try {
    text = readFileSync(absFile, 'utf8');
  } catch {
    return 1;
  }
  const lines = text.split('\n');
  const quoted = [`'${id}'`, `"${id}"`, `\`${id}\``];
  const i = lines.findIndex((l) => /\bid\s*:/.test(l) && quoted.some((q) => l.includes(q)));
  return i >= 0 ? i + 1 : 1;
}

/** One `::error` line per failed theorem; `fileOf` maps a result to the path GitHub should show. */
export function githubAnnotations(results: readonly CheckResult[], fileOf: (r: CheckResult) => string): string[] {
  return results.filter((r) => r.outcome === 'fail').map((r) => {
    const props = `file=${ghProp(fileOf(r))},line=${idLine(r.absFile, r.theorem.id)},title=${ghProp(`lsgd-spec ${r.theorem.id} ${r.verdict.status}`)}`;
    return `::error ${props}::${ghData(failureLine(r))}`;
  });
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The job summary: counts, the failures with their replay commands, then every theorem. */
export function jobSummary(results: readonly CheckResult[], meta: RunMeta, registryErrors: readonly string[]): string {
  const failed = results.filter((r) => r.outcome === 'fail');
  const count = (s: Verdict['status']) => results.filter((r) => r.verdict.status === s).length;
  const out = [
    '## lsgd-spec check', '',
    `Subject: ${meta.subject}. Seed ${meta.seed}, profile ${meta.profile}.`, '',
    `${failed.length === 0 && registryErrors.length === 0 ? '**Passed**' : '**FAILED**'}: ${results.length} theorems, ${count('holds')} hold, ${count('violated')} violated, ` +
      `${count('vacuous')} vacuous, ${count('interrupted')} interrupted (${results.filter((r) => isNotApplicable(r.verdict)).length} not applicable); ` +
      `${failed.length} did not meet their expectation.`, '',
  ];
  if (registryErrors.length > 0) out.push('Registry errors:', '', ...registryErrors.map((e) => `- ${cell(e)}`), '');
  if (failed.length > 0) {
    out.push('| failed theorem | status | why | replay |', '|---|---|---|---|');
    for (const r of failed) {
      const replay = replayOf(r.verdict);
      out.push(`| ${r.theorem.id} | ${r.verdict.status} | ${cell(evidenceLine(r.verdict))} | ${replay ? `\`${cell(replay)}\`` : ''} |`);
    }
    out.push('');
  }
  out.push('<details><summary>every theorem</summary>', '', '| id | outcome | evidence |', '|---|---|---|');
  for (const r of results) out.push(`| ${r.theorem.id} | ${isNotApplicable(r.verdict) ? 'not applicable' : r.outcome === 'pass' ? r.verdict.status : r.outcome} | ${cell(evidenceLine(r.verdict))} |`);
  out.push('', '</details>', '');
  return out.join('\n');
}
