/**
 * Async Local-SGD simulator: wall-clock cost of the simulator itself, and the behavioural comparison the
 * paper makes in virtual time (Liu et al. 2024, Figure 2): DN + DyLU vs synchronous DiLoCo vs vanilla async
 * Nesterov on the notebook's device speeds (sec/step 0.58, 0.75, 1.51, 3.33), a 4-class Gaussian mixture
 * (d = 32, 2 clusters per class, 4 IID shards), softmax regression, inner AdamW with the eq. 3 schedule.
 * Every method gets the same budget of local steps; the table reports the eval loss at the end, the virtual
 * time used, mean staleness, and the virtual time at which each first reached the final loss of DiLoCo.
 * Run: npm run bench -- async
 */
import { gaussianMixture, runAsync, runDiLoCo, softmaxRegression } from '../src/optimizers/async/index.ts';
import type { AsyncHyper, AsyncTrace } from '../src/optimizers/async/index.ts';
import { fmt, timeMedian } from './harness.ts';

const SEC_PER_STEP = [0.58, 0.75, 1.51, 3.33];

export function main(): void {
  const data = gaussianMixture({ seed: 1, features: 32, classes: 8, clustersPerClass: 4, n: 8192, shards: 4, evalSize: 1024 });
  const problem = { model: softmaxRegression(32, 8), shards: data.shards, evalSet: data.evalSet };
  const H = 50;
  const tMax = 4 * H * 60;
  const base: AsyncHyper = {
    k: 4, speeds: SEC_PER_STEP.map((s) => 1 / s), H,
    inner: { kind: 'adamw', lr: 1e-3, weightDecay: 1e-3, schedule: { etaMin: 1e-5, warmup: 50, T: tMax / 4 } },
    outer: { kind: 'nesterov', eps: 0.7, beta: 0.9 }, dylu: false, gracePeriod: 0.5, tMax, seed: 7, shardMode: 'eq2', batchSize: 32,
    record: { every: 4 },
  };
  const runs: [string, () => AsyncTrace][] = [
    ['DiLoCo (sync, Nesterov 0.7)', () => runDiLoCo(problem, { ...base, record: 'all' })],
    ['async Nesterov 0.07', () => runAsync(problem, { ...base, outer: { kind: 'nesterov', eps: 0.07, beta: 0.9 } })],
    ['async DN (N=4, c=0) + DyLU', () => runAsync(problem, { ...base, outer: { kind: 'delayedNesterov', eps: 0.7, beta: 0.9, N: 4, c: 0 }, dylu: true })],
    ['async DN (N=4, c=0.1) + DyLU', () => runAsync(problem, { ...base, outer: { kind: 'delayedNesterov', eps: 0.7, beta: 0.9, N: 4, c: 0.1 }, dylu: true })],
  ];
  const traces = runs.map(([name, fn]) => {
    let tr: AsyncTrace | undefined;
    const secs = timeMedian(() => (tr = fn()), 3, 1);
    return { name, tr: tr as AsyncTrace, secs };
  });
  const target = traces[0].tr.loss.at(-1) as number;
  console.log(`local-step budget ${tMax}; target = DiLoCo's final eval loss ${fmt(target, 4)}`);
  console.log('method                         | wall s | server updates | final loss | virtual time | mean staleness | time to target');
  for (const { name, tr, secs } of traces) {
    const hit = tr.loss.findIndex((l) => l <= target);
    const stale = tr.updates.reduce((a, u) => a + u.staleness, 0) / tr.updates.length;
    console.log(
      `${name.padEnd(30)} | ${fmt(secs).padStart(6)} | ${String(tr.updates.length).padStart(14)} | ${fmt(tr.loss.at(-1) as number, 4).padStart(10)} | ${fmt(tr.time.at(-1) as number, 1).padStart(12)} | ${fmt(stale, 2).padStart(14)} | ${hit < 0 ? 'not reached' : fmt(tr.time[hit], 1)}`,
    );
  }
}
