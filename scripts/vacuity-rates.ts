/**
 * Vacuity rates: for every registered comparison/monotone theorem with a nonVacuous guard, draw instances, run the
 * built-in subject, and measure the fraction of vacuous runs p. The verdict is vacuous when fewer than
 * ceil(minNonVacuousFraction * runs) runs exercise the claim; print that probability at the CI profile, so that a
 * property whose CI run would be vacuous on more than ~1e-3 of seeds is visible. Draws the arbitrary rejects inside
 * (filterCounted) are counted too: the share of draws that exercise the claim is (runs - vacuous) / (runs + rejected).
 * A diagnostic, not a test.
 *   npx tsx scripts/vacuity-rates.ts [--samples 200] [--id ID]...
 */
import fc from 'fast-check';
import { loadRegistry } from '../src/spec/registry.ts';
import { builtinSubject } from '../src/subject/index.ts';
import { countingRejections, totalRejections } from '../src/spec/rejections.ts';

const args = process.argv.slice(2);
const ids = args.flatMap((a, i) => (a === '--id' ? [args[i + 1]] : []));
const si = args.indexOf('--samples');
const samples = si >= 0 ? Number(args[si + 1]) : 200;
const reg = await loadRegistry({});
function binomTail(n: number, p: number, kMin: number): number {
  let s = 0;
  for (let k = kMin; k <= n; k++) {
    let c = 1;
    for (let j = 0; j < k; j++) c = (c * (n - j)) / (j + 1);
    s += c * p ** k * (1 - p) ** (n - k);
  }
  return s;
}
for (const e of reg.entries) {
  if (ids.length > 0 && !ids.includes(e.id)) continue;
  const t = e.theorem as unknown as { kind: string; nonVacuous?: (i: unknown, o: unknown) => true | string; observe: (i: unknown, s: unknown, c: unknown) => unknown; minNonVacuousFraction?: number; instances: fc.Arbitrary<unknown>; runsPerProfile: { ci: number } };
  if (t.kind === 'frequency' || !t.nonVacuous) continue;
  let vac = 0;
  let n = 0;
  const t0 = performance.now();
  const { result: drawn, rejections } = await countingRejections(() => fc.sample(t.instances, { seed: 20261122, numRuns: samples }));
  const rejected = totalRejections(rejections);
  for (const x of drawn) {
    let o: unknown;
    try { o = await t.observe(x, builtinSubject, { profile: 'ci' }); } catch { continue; }
    n++;
    if (t.nonVacuous(x, o) !== true) vac++;
  }
  const p = vac / n;
  const runs = t.runsPerProfile.ci;
  const need = Math.max(1, Math.ceil((t.minNonVacuousFraction ?? 0.5) * runs));
  const pVerdict = binomTail(runs, p, runs - need + 1);
  const exercised = (n - vac) / (n + rejected);
  console.log(`${e.id.padEnd(34)} vacuous ${vac}/${n} = ${p.toFixed(3)}; rejected inside the arbitrary ${rejected} of ${n + rejected} draws; ` +
    `share of draws that exercise the claim ${exercised.toFixed(3)}; ci runs ${runs}, need ${need}: P(vacuous verdict) ~ ${pVerdict.toExponential(1)}  (${((performance.now() - t0) / n).toFixed(0)} ms/instance)`);
}
