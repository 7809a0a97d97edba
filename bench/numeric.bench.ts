/**
 * f64 gemv / gemvT throughput on a 200 x 2000 matrix (2 m n flops per product), median over many repetitions.
 * Target: gemv >= 1 GFLOP/s (single thread; CI has 2 cores). Where python3 with numpy is present, the same products
 * are timed with numpy pinned to one BLAS thread (our kernels are single-threaded) and the time ratio is printed.
 * Run: npm run bench -- numeric
 */
import { availableParallelism, loadavg } from 'node:os';
import { gemv, gemvT } from '../src/numeric/index.ts';
import type { Mat } from '../src/numeric/index.ts';
import { fmt, median, pythonSeconds } from './harness.ts';

const M = 200;
const N = 2000;
const BATCH = 20; // products per timed sample, so one sample (~1 ms or more) is well above timer resolution
const SAMPLES = 101;
const TARGET_GFLOPS = 1;

/** Deterministic data in [-1, 1) from a 32-bit xorshift (the values do not matter for timing, only finiteness). */
function fill(n: number, seed: number): Float64Array {
  let s = seed >>> 0 || 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Seconds per product: the median sample (the reported figure) and the fastest (shows contention from other load). */
function secondsPer(fn: () => void): { med: number; best: number } {
  for (let w = 0; w < 10 * BATCH; w++) fn();
  const ts: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    const t0 = process.hrtime.bigint();
    for (let b = 0; b < BATCH; b++) fn();
    ts.push(Number(process.hrtime.bigint() - t0) / 1e9 / BATCH);
  }
  return { med: median(ts), best: Math.min(...ts) };
}

function numpySeconds(expr: string): number | null {
  const code = [
    'import os',
    "for v in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'): os.environ[v] = '1'",
    'import time, numpy as np',
    'rng = np.random.default_rng(0)',
    `A = rng.uniform(-1, 1, (${M}, ${N})); x = rng.uniform(-1, 1, ${N}); y = rng.uniform(-1, 1, ${M})`,
    `for _ in range(10 * ${BATCH}): ${expr}`,
    'ts = []',
    `for _ in range(${SAMPLES}):`,
    '    t0 = time.perf_counter()',
    `    for _ in range(${BATCH}): ${expr}`,
    `    ts.append((time.perf_counter() - t0) / ${BATCH})`,
    'print(float(np.median(ts)))',
  ].join('\n');
  return pythonSeconds(code);
}

export async function main(): Promise<void> {
  const A: Mat = { rows: M, cols: N, data: fill(M * N, 1) };
  const x = fill(N, 2);
  const y = fill(M, 3);
  const outM = new Float64Array(M);
  const outN = new Float64Array(N);
  const flops = 2 * M * N;
  let sink = 0;
  const tGemv = secondsPer(() => {
    gemv(A, x, outM);
    sink += outM[0];
  });
  const tGemvT = secondsPer(() => {
    gemvT(A, y, outN);
    sink += outN[0];
  });
  if (!Number.isFinite(sink)) throw new Error('numeric bench: non-finite checksum');

  const rows: [string, { med: number; best: number }, string][] = [
    ['gemv  (A x)', tGemv, 'A @ x'],
    ['gemvT (A^T y)', tGemvT, 'A.T @ y'],
  ];
  console.log(`f64 ${M} x ${N}, ${flops} flops per product, ${SAMPLES} samples of ${BATCH} products, node ${process.version}`);
  for (const [name, t, expr] of rows) {
    const np = numpySeconds(expr);
    const vs = np === null ? 'numpy: not available' : `| numpy (1 thread) ${fmt(flops / np / 1e9)} GFLOP/s, time ours/numpy = ${fmt(t.med / np, 2)}`;
    console.log(`  ${name.padEnd(14)} median ${fmt(t.med * 1e6)} us = ${fmt(flops / t.med / 1e9)} GFLOP/s (best ${fmt(flops / t.best / 1e9)}) ${vs}`);
  }
  const g = flops / tGemv.med / 1e9;
  console.log(`  target gemv >= ${TARGET_GFLOPS} GFLOP/s (median): ${g >= TARGET_GFLOPS ? 'met' : 'MISSED'} (${fmt(g)}); load average ${loadavg()[0].toFixed(2)} on ${availableParallelism()} cores`);
}
