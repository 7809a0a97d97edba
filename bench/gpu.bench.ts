/**
 * `npm run bench -- gpu`: Local-GD instances per second, cpu (the f64 reference, one instance after another in this
 * process) against webgpu (one f32 batch on the device), for (d, N, K, L, R) = (20, 12, 3, 10, 100) at B = 256 and
 * 4096 and (2000, 200, 4, 10, 10) at B = 16, squared loss. Before timing, a correctness check runs the small case on
 * both backends and compares every instance's final model within the derived f32 bound (src/backends/f32.ts); a
 * failed check exits 1. The webgpu time is end to end (packing, upload, dispatches, read-back), after a warm-up on 8
 * instances (which compiles the pipeline): the median of 3 runs, or one run when a run takes more than 10 s. The cpu
 * time of a large batch is measured on its first `cpuSample` instances (the per-instance cost does not depend on B).
 * On a software adapter (llvmpipe, SwiftShader: a few CPU cores, saturated long before B = 256) a batch larger than
 * 256 is timed on its first 256 instances and marked "sampled"; on a GPU the whole batch runs. Without an adapter the cpu figures are printed
 * with the reason; LSGD_REQUIRE_GPU=1 (the device script, scripts/gpu-device.sh) makes that an error.
 */
import { loadavg } from 'node:os';
import { cpuBackend } from '../src/backends/cpu/index.ts';
import { runBound } from '../src/backends/f32.ts';
import { planBatch } from '../src/backends/plan.ts';
import type { Backend, BatchJob } from '../src/backends/types.ts';
import { webgpuBackend } from '../src/backends/webgpu/index.ts';
import { normals, rngKey } from '../src/optimizers/rng.ts';
import type { FederatedDataset } from '../src/problems/types.ts';
import { fmt, median } from './harness.ts';

interface Case { d: number; N: number; K: number; L: number; R: number; B: number; cpuSample: number }

const CASES: Case[] = [
  { d: 20, N: 12, K: 3, L: 10, R: 100, B: 256, cpuSample: 256 },
  { d: 20, N: 12, K: 3, L: 10, R: 100, B: 4096, cpuSample: 512 },
  { d: 2000, N: 200, K: 4, L: 10, R: 10, B: 16, cpuSample: 4 },
];

/** B Gaussian problems (seeded by instance), equal node sizes N/K, Gaussian targets; eta = 0.5 / max_k ||X_k||_F^2 / n_k. */
function makeJob(c: Case): BatchJob {
  const n = c.N / c.K;
  const problems: FederatedDataset[] = [];
  const hypers = [];
  for (let b = 0; b < c.B; b++) {
    const key = rngKey(2024, b);
    const nodes = Array.from({ length: c.K }, (_, k) => ({
      X: { rows: n, cols: c.d, data: normals(key, 100, k, 0, new Float64Array(n * c.d)) },
      y: normals(key, 101, k, 0, new Float64Array(n)),
    }));
    let beta = 0;
    for (const nd of nodes) beta = Math.max(beta, nd.X.data.reduce((s, v) => s + v * v, 0) / n);
    problems.push({ task: 'regression', d: c.d, nodes });
    hypers.push({ loss: { name: 'squared' as const }, eta: 0.5 / beta, L: c.L, R: c.R, record: 'last' as const });
  }
  return { kind: 'localGD', problems, hypers };
}

const slice = (j: BatchJob, m: number): BatchJob => ({ ...j, problems: j.problems.slice(0, m), hypers: j.hypers.slice(0, m) });

async function seconds(f: () => Promise<unknown>, reps: number): Promise<number> {
  const ts: number[] = [];
  for (let i = 0; i < reps && !(i === 1 && ts[0] > 10); i++) {
    const t0 = process.hrtime.bigint();
    await f();
    ts.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return median(ts);
}

/** Every instance of a small batch: the GPU's final model within the derived bound of the CPU's. */
async function correctness(gpu: Backend): Promise<boolean> {
  const job = slice(makeJob(CASES[0]), 32);
  const plan = planBatch(job);
  const [g, c] = await Promise.all([gpu.runBatch(job), cpuBackend().runBatch(job)]);
  let worst = 0;
  let bad = 0;
  for (let b = 0; b < plan.B; b++) {
    const wg = g.traces[b].models[0];
    const wc = c.traces[b].models[0];
    const e = Math.hypot(...Array.from(wg, (v, i) => v - wc[i]));
    const bound = runBound(plan, b).model[0];
    worst = Math.max(worst, e / bound);
    if (!(e <= bound)) bad++;
  }
  console.log(`correctness: ${plan.B} instances (d 20, N 12, K 3, L 10, R 100): ${bad === 0 ? 'PASS' : `FAIL (${bad} outside the bound)`}, largest error / derived f32 bound = ${fmt(worst)}`);
  return bad === 0;
}

export async function main(): Promise<void> {
  console.log(`load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  const got = await webgpuBackend();
  const gpu = 'runBatch' in got ? got : undefined;
  console.log(gpu ? `device: ${gpu.description}` : `device: none (${'reason' in got ? got.reason : ''})`);
  if (!gpu && process.env.LSGD_REQUIRE_GPU === '1') {
    console.error('gpu bench: LSGD_REQUIRE_GPU=1 but no WebGPU adapter works');
    process.exit(1);
  }
  if (gpu && !(await correctness(gpu))) {
    gpu.dispose();
    process.exit(1);
  }
  console.log('case (d, N, K, L, R)       B     cpu inst/s   webgpu inst/s   webgpu / cpu');
  for (const c of CASES) {
    const job = makeJob(c);
    const sample = slice(job, c.cpuSample);
    const cpu = cpuBackend();
    await cpu.runBatch(slice(job, 1));
    const tc = await seconds(() => cpu.runBatch(sample), 1);
    const cpuRate = c.cpuSample / tc;
    let gpuRate = NaN;
    const software = gpu !== undefined && /llvmpipe|swiftshader|lavapipe/i.test(gpu.description);
    const gpuB = software ? Math.min(c.B, 256) : c.B;
    if (gpu) {
      await gpu.runBatch(slice(job, 8));
      gpuRate = gpuB / (await seconds(() => gpu.runBatch(slice(job, gpuB)), 3));
    }
    const name = `(${c.d}, ${c.N}, ${c.K}, ${c.L}, ${c.R})`.padEnd(24);
    const note = gpuB < c.B ? `   (webgpu: first ${gpuB} of ${c.B} on a software adapter)` : '';
    console.log(`${name} ${String(c.B).padStart(5)}   ${fmt(cpuRate, 1).padStart(10)}   ${(gpu ? fmt(gpuRate, 1) : '-').padStart(13)}   ${gpu ? fmt(gpuRate / cpuRate, 2) : '-'}${note}`);
  }
  gpu?.dispose();
}
