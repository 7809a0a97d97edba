/**
 * Reporters of the mutation report (the only code here that builds text): one line per mutant while it runs, a
 * text summary with the matrix of killers and times, and JSON.
 */
import type { Attempt, MutantResult, MutationReport } from './mutationReport.ts';

const secs = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

function attemptWord(a: Attempt): string {
  return a.status === 'interrupted' ? `interrupted: ${a.cause}` : a.status;
}

/** `✓ M03-accumulator-not-reset killed by C-3-stationary (violated after 1 run, 0.01 s); 1 of 9 relevant properties run, 0.02 s` */
export function mutantLine(r: MutantResult): string {
  const tried = `${r.attempts.length} of ${r.relevant.length} relevant ${r.relevant.length === 1 ? 'property' : 'properties'} run, ${secs(r.elapsedMs)}`;
  if (r.status === 'error') return `! ${r.id} ERROR: ${r.error}`;
  if (r.status === 'killed') {
    const ks = r.killers.map((k) => `${k.property} (${attemptWord(k)} after ${plural(k.runs, 'run')}, ${secs(k.elapsedMs)})`).join(', ');
    return `✓ ${r.id} killed by ${ks}; ${tried}`;
  }
  if (r.relevant.length === 0) return `✗ ${r.id} SURVIVED: no property requires any of ${r.affects.join(', ')}`;
  return `✗ ${r.id} SURVIVED: ${tried}, none failed`;
}

/** Full text: one block per mutant (bug, killer message, replay), the teeth table, errors and warnings. */
export function mutationText(rep: MutationReport): string {
  const lines: string[] = [];
  for (const r of rep.mutants) {
    lines.push(mutantLine(r));
    lines.push(`    bug: ${r.bug} (${r.source}); affects ${r.affects.join(', ')}`);
    for (const k of r.killers) {
      if (k.message) lines.push(`    ${k.property}: ${k.message}`);
    }
    if (r.killers[0]?.command) lines.push(`    replay: ${r.killers[0].command}`);
    if (r.status === 'survived') {
      const seen = r.attempts.map((a) => `${a.property} ${attemptWord(a)}${a.discarded ? ` [not counted: ${a.discarded}]` : ''}`).join(', ');
      if (seen) lines.push(`    ran: ${seen}`);
      lines.push('    a surviving mutant is a gap in the suite: add or strengthen a property that this bug violates');
    }
  }
  const killers = rep.properties.filter((p) => p.kills.length > 0);
  lines.push('', `properties with teeth in this run (${killers.length} of ${rep.properties.length}):`);
  for (const p of killers) lines.push(`  ${p.id.padEnd(24)} killed ${p.kills.join(', ')}`);
  const idle = rep.properties.filter((p) => p.kills.length === 0);
  if (idle.length > 0 && rep.all) {
    lines.push(`no teeth against these mutants (killed none): ${idle.map((p) => `${p.id}${p.ranOn.length === 0 ? ' (no mutant touches what it requires)' : ''}`).join(', ')}`);
  } else if (idle.length > 0) lines.push(`${idle.length} other properties were not needed (first kill per mutant; --all runs the full matrix)`);
  for (const e of rep.errors) lines.push(`error: ${e}`);
  for (const w of rep.warnings) lines.push(`warning: ${w}`);
  const errs = rep.mutants.filter((r) => r.status === 'error').length;
  lines.push('', `${plural(rep.mutants.length, 'mutant')}: ${rep.killed} killed, ${rep.survived} survived${errs ? `, ${errs} errors` : ''}`
    + `; seed ${rep.seed}, profile ${rep.profile}, ${rep.all ? 'full matrix' : 'first kill per mutant'}, ${secs(rep.elapsedMs)}`
    + `${rep.errors.length ? `; ${plural(rep.errors.length, 'error')}` : ''}`);
  return lines.join('\n');
}

export function mutationJson(rep: MutationReport): string {
  return JSON.stringify(rep, null, 2);
}

/** The mutation matrix as a Markdown section (for the evidence report): no timings, so it is deterministic. */
export function mutationMarkdown(rep: MutationReport): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = ['## Teeth: planted bugs and the properties that kill them', '',
    `Every planted bug (src/gate/mutants, docs/planted-bugs.md) must be killed by some property; ${rep.all ? 'full matrix' : 'first kill per mutant'}, seed ${rep.seed}, profile ${rep.profile}.`, '',
    '| mutant | bug | outcome | killed by |', '|---|---|---|---|'];
  for (const r of rep.mutants) {
    lines.push(`| ${r.id} | ${cell(r.bug)} | ${r.status === 'killed' ? 'killed' : `**${r.status.toUpperCase()}**`} | ${r.killers.map((k) => k.property).join(', ') || '—'} |`);
  }
  lines.push('', `${rep.killed} of ${rep.mutants.length} killed, ${rep.survived} survived.`);
  return lines.join('\n');
}
