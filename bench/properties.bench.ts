/**
 * CI-profile cost of each property family (target: each family must run under the CI profile in at most
 * 30 s on 2 cores). Runs every registered property once on the built-in subject with a fixed seed, and prints the
 * wall time per property and per family, with the verdict so a slow-but-failing run is not mistaken for a pass.
 */
import { loadRegistry } from '../src/spec/registry.ts';
import { checkTheorem } from '../src/spec/runner.ts';
import { builtinSubject } from '../src/subject/index.ts';
import { fmt } from './harness.ts';

const FAMILY_BUDGET_S = 30;

export async function main(): Promise<void> {
  const seed = Number(process.env.LSGD_SEED ?? 20261122);
  const reg = await loadRegistry();
  for (const e of reg.errors) console.log(`registry error: ${e}`);
  const byFamily = new Map<string, { id: string; s: number; status: string }[]>();
  for (const entry of reg.entries) {
    const t0 = process.hrtime.bigint();
    const v = await checkTheorem(entry.theorem, { subject: builtinSubject, seed, profile: 'ci' });
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    const list = byFamily.get(entry.family) ?? [];
    list.push({ id: entry.id, s, status: v.status });
    byFamily.set(entry.family, list);
  }
  for (const [family, list] of [...byFamily.entries()].sort()) {
    const total = list.reduce((a, b) => a + b.s, 0);
    console.log(`family ${family}: ${list.length} properties, ${fmt(total)} s on the CI profile (target <= ${FAMILY_BUDGET_S} s): ${total <= FAMILY_BUDGET_S ? 'met' : 'MISSED'}`);
    for (const p of list.sort((a, b) => b.s - a.s)) console.log(`  ${p.id.padEnd(36)} ${fmt(p.s).padStart(8)} s  ${p.status}`);
  }
}
