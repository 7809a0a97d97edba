/**
 * Local-GD throughput (issue: "Performance, in npm run bench"): rounds per second and GFLOP/s for
 * (d, N, K, L) = (20, 12, 3, 10) and (2000, 200, 4, 10), exponential and squared loss. Targets on 2 cores: the small
 * case >= 50,000 rounds/s, the large one >= 1 GFLOP/s. FLOPs per local step on node k: 4 n_k d (two passes over the
 * node's n_k x d data, a multiply and an add per entry each), so 4 N d L per round.
 * Where python3 with numpy is present, the same Local-GD written plainly in numpy is timed and our speed is printed
 * as a ratio to it (> 1: we are faster). The load average is printed too: other processes on a 2-core machine
 * slow every figure down, and the ratio to numpy is the more stable number. Each case is also timed in CPU time of
 * this process (process.cpuUsage), which excludes the time other processes hold the cores: the figure an idle
 * machine would give, up to cache and frequency effects. Targets are judged on both.
 */
import { loadavg } from 'node:os';
import { fmt, median, pythonSeconds } from './harness.ts';
import { localGD } from '../src/optimizers/localGD.ts';
import { normals, rngKey } from '../src/optimizers/rng.ts';
import type { LossName } from '../src/problems/losses.ts';
import type { FederatedDataset } from '../src/problems/types.ts';

interface Case { d: number; N: number; K: number; L: number; loss: LossName; R: number }

const CASES: Case[] = [
  { d: 20, N: 12, K: 3, L: 10, loss: 'exponential', R: 20000 },
  { d: 20, N: 12, K: 3, L: 10, loss: 'squared', R: 20000 },
  { d: 2000, N: 200, K: 4, L: 10, loss: 'exponential', R: 40 },
  { d: 2000, N: 200, K: 4, L: 10, loss: 'squared', R: 40 },
];

/** Gaussian data (seeded), equal node sizes N/K, labels +-1 (exponential) or Gaussian targets (squared). */
function makeProblem(c: Case): FederatedDataset {
  const key = rngKey(2024);
  const n = c.N / c.K;
  const nodes = Array.from({ length: c.K }, (_, k) => {
    const X = normals(key, 100, k, 0, new Float64Array(n * c.d));
    const z = normals(key, 101, k, 0, new Float64Array(n));
    const y = c.loss === 'squared' ? z : z.map((v) => (v >= 0 ? 1 : -1));
    return { X: { rows: n, cols: c.d, data: X }, y };
  });
  return { task: c.loss === 'squared' ? 'regression' : 'classification', d: c.d, nodes };
}

/** A stable step: 0.5 / max_k ||X_k||_F^2 / n_k (an upper bound on every node's smoothness for both losses near 0). */
function etaFor(ds: FederatedDataset): number {
  let beta = 0;
  for (const nd of ds.nodes) beta = Math.max(beta, nd.X.data.reduce((s, v) => s + v * v, 0) / nd.X.rows);
  return 0.5 / beta;
}

function numpySeconds(c: Case, eta: number, R: number): number | null {
  const loss = c.loss === 'squared'
    ? 'c = (s - y) / n'
    : 'c = -y * np.exp(-y * s) / n';
  const code = `
import time
import numpy as np
rng = np.random.default_rng(0)
d, N, K, L, R, eta = ${c.d}, ${c.N}, ${c.K}, ${c.L}, ${R}, ${eta}
n = N // K
Xs = [rng.standard_normal((n, d)) for _ in range(K)]
ys = [rng.standard_normal(n) for _ in range(K)]
${c.loss === 'squared' ? '' : 'ys = [np.where(y >= 0, 1.0, -1.0) for y in ys]'}
alpha = [n / N] * K
def run():
    w = np.zeros(d)
    for r in range(R):
        acc = np.zeros(d)
        for k in range(K):
            X, y = Xs[k], ys[k]
            wk = w.copy()
            for l in range(L):
                s = X @ wk
                ${loss}
                wk -= eta * (X.T @ c)
            acc += alpha[k] * wk
        w = acc
    return w
run()
ts = []
for _ in range(3):
    t0 = time.perf_counter(); run(); ts.append(time.perf_counter() - t0)
print(sorted(ts)[1])
`;
  return pythonSeconds(code);
}

/** Median wall and CPU seconds of fn over `reps` runs after one warm-up. */
function timeBoth(fn: () => unknown, reps: number): { wall: number; cpu: number } {
  fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    fn();
    wall.push(Number(process.hrtime.bigint() - t0) / 1e9);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

export async function main(): Promise<void> {
  console.log(`load average (1 min) at start: ${loadavg()[0].toFixed(2)} on a machine where the targets assume 2 idle cores`);
  console.log('case (d, N, K, L, loss)        rounds/s (wall)  GFLOP/s  rounds/s (cpu)  GFLOP/s  numpy rounds/s  ratio  target (wall / cpu)');
  for (const c of CASES) {
    const ds = makeProblem(c);
    const eta = etaFor(ds);
    const hyper = { loss: { name: c.loss }, eta, L: c.L, R: c.R, record: 'last' as const };
    const t = timeBoth(() => localGD.run(ds, hyper), 7);
    const rps = c.R / t.wall;
    const rpsCpu = c.R / t.cpu;
    const flopsPerRound = 4 * c.N * c.d * c.L;
    const gflops = (rps * flopsPerRound) / 1e9;
    const gflopsCpu = (rpsCpu * flopsPerRound) / 1e9;
    const npR = Math.max(3, Math.round(c.R / 20));
    const np = numpySeconds(c, eta, npR);
    const npRps = np === null ? null : npR / np;
    const ok = (v: boolean): string => (v ? 'met' : 'NOT met');
    const target = c.d === 20
      ? `>= 50000 rounds/s: ${ok(rps >= 50000)} / ${ok(rpsCpu >= 50000)}`
      : `>= 1 GFLOP/s: ${ok(gflops >= 1)} / ${ok(gflopsCpu >= 1)}`;
    const name = `(${c.d}, ${c.N}, ${c.K}, ${c.L}, ${c.loss})`.padEnd(31);
    console.log(`${name} ${fmt(rps, 1).padStart(15)} ${fmt(gflops).padStart(8)} ${fmt(rpsCpu, 1).padStart(15)} ${fmt(gflopsCpu).padStart(8)} ${(npRps === null ? 'n/a' : fmt(npRps, 1)).padStart(15)} ${(npRps === null ? 'n/a' : fmt(rps / npRps, 2)).padStart(6)}  ${target}`);
  }
  console.log(`load average (1 min) at end: ${loadavg()[0].toFixed(2)}; medians of 7 timed runs after 1 warm-up; numpy: median of 3`);
}
