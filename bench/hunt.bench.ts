/**
 * `lsgd-spec hunt`: throughput and the value of targeted search.
 *
 * 1. Throughput on one theorem (Z-R5-fixed-point, hunt profile, built-in subject): `check`'s runs/s (checkTheorem,
 *    one thread) against the hunt's cases/s in process (--workers 0) and on 1 and 2 worker threads. Each hunt runs the
 *    theorem twice in one pool and reports the second pass, so worker start-up (tsx and the property's imports, once
 *    per worker) is not counted. Targets: 2 workers >= 1.8x one worker; the hunt within 10% of `check`.
 * 2. Targeted versus random search on two rare planted bugs (src/hunt/planted: P90, weights smoothed by 2^-45, shows
 *    only with one dominant node; P91, weights scaled by 1 + 2^-44 L_k, shows only on long unequal rounds), each on
 *    Z-R5-fixed-point: over SEEDS seeds at a budget of BUDGET cases, in how many seeds does the hunt find the bug with
 *    targeted = 0.5 (the default) and with targeted = 0 (purely random)? Also the random-draw failure rate of each
 *    bug, measured on RATE_CASES random cases.
 * Environment: LSGD_HUNT_BENCH_SEEDS (20), LSGD_HUNT_BENCH_BUDGET (320), LSGD_HUNT_BENCH_RATE_CASES (2000),
 * LSGD_HUNT_BENCH_CASES (throughput cases, 480), LSGD_HUNT_BENCH_PART (1, 2 or both).
 * The machine's load average is printed: on a shared machine every rate here is a lower bound.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../src/subject/index.ts';
import { hunt, type HuntOptions } from '../src/hunt/engine.ts';
import { builtinSubject } from '../src/subject/index.ts';
import { checkTheorem } from '../src/spec/runner.ts';
import { spec as fixedPoint } from '../properties/implicit-bias/regression.drift-fixed-point.prop.ts';
import { fmt, median } from './harness.ts';

const env = (k: string, d: number) => Number(process.env[k] ?? d);
const entry = { id: fixedPoint.id, file: join(REPO_ROOT, 'properties/implicit-bias/regression.drift-fixed-point.prop.ts'), theorem: fixedPoint };
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

async function throughput(): Promise<void> {
  const cases = env('LSGD_HUNT_BENCH_CASES', 480);
  const seed = 20261208;
  console.log(`throughput: ${fixedPoint.id}, ${cases} cases, hunt profile; load average ${load()}`);
  const checkRate: number[] = [];
  const rates = new Map<number, number[]>();
  for (let rep = 0; rep < 3; rep++) {
    const v = await checkTheorem(fixedPoint, { subject: builtinSubject, seed: seed + rep, profile: 'hunt', numRuns: cases });
    checkRate.push(v.runs / (v.elapsedMs / 1000));
    for (const workers of [0, 1, 2]) {
      const o: HuntOptions = { entries: [entry, entry], subject: { module: 'builtin', base: REPO_ROOT }, seed: seed + rep, profile: 'hunt', cases, workers, keepGoing: true };
      const r = await hunt(o);
      rates.set(workers, [...(rates.get(workers) ?? []), r[1].casesPerSec]);
    }
  }
  const c = median(checkRate);
  const h = new Map([...rates].map(([w, xs]) => [w, median(xs)]));
  console.log(`  check (checkTheorem, 1 thread)   ${fmt(c)} runs/s`);
  for (const [w, r] of h) console.log(`  hunt --workers ${w}${w === 0 ? ' (in process)' : '             '} ${fmt(r)} cases/s  (${fmt(r / c)}x check)`);
  const speedup = h.get(2)! / h.get(1)!;
  console.log(`  2 workers / 1 worker: ${fmt(speedup)}x (target >= 1.8): ${speedup >= 1.8 ? 'met' : 'MISSED'}`);
  const overhead = 1 - h.get(1)! / c;
  console.log(`  hunt overhead vs check at one thread (1 worker): ${(overhead * 100).toFixed(1)}%; in process: ${((1 - h.get(0)! / c) * 100).toFixed(1)}% (target <= 10%): ${overhead <= 0.1 ? 'met' : 'MISSED'}`);
  console.log(`  load average after: ${load()}`);
}

async function comparison(): Promise<void> {
  const seeds = env('LSGD_HUNT_BENCH_SEEDS', 20);
  const budget = env('LSGD_HUNT_BENCH_BUDGET', 320);
  const rateCases = env('LSGD_HUNT_BENCH_RATE_CASES', 2000);
  console.log(`targeted vs random: ${fixedPoint.id}, ${seeds} seeds x ${budget} cases, 2 workers; load average ${load()}`);
  for (const bug of ['P90-dominant-node-smoothing', 'P91-long-round-step-weighted']) {
    const subject = { module: 'builtin', base: REPO_ROOT, mutantFile: join(REPO_ROOT, 'src/hunt/planted', `${bug}.ts`) };
    const [rate] = await hunt({ entries: [entry], subject, seed: 1, profile: 'ci', cases: rateCases, workers: 2, targeted: 0, keepGoing: true });
    console.log(`  ${bug}: fails on ${rate.findings}/${rate.cases} random draws (${((100 * rate.findings) / rate.cases).toFixed(2)}%)`);
    for (const targeted of [0.5, 0]) {
      const at: number[] = [];
      const t0 = performance.now();
      for (let seed = 1; seed <= seeds; seed++) {
        const [r] = await hunt({ entries: [entry], subject, seed, profile: 'ci', cases: budget, workers: 2, targeted });
        if (r.findings > 0) at.push(r.cases);
      }
      const mean = at.length === 0 ? '-' : fmt(at.reduce((a, b) => a + b, 0) / at.length, 0);
      console.log(`    ${targeted > 0 ? `targeted ${targeted}` : 'random      '}: found in ${at.length}/${seeds} seeds (mean cases to the finding's batch ${mean}) in ${fmt((performance.now() - t0) / 1000, 0)} s`);
    }
  }
}

export async function main(): Promise<void> {
  const part = process.env.LSGD_HUNT_BENCH_PART ?? 'both';
  if (part !== '2') await throughput();
  if (part !== '1') await comparison();
}
