/**
 * Certified reference solvers: medians of wall time (npm run bench -- precise).
 *   minNormSolution, 50 digits, (N, d) = (50, 200), (100, 400), (200, 1000)   target (100, 400) < 0.3 s
 *   maxMarginSolution (certificate included), (N, d) = (50, 10), (200, 50)    target (200, 50) < 1 s
 * Data: random dyadic entries k / 256 with |k| <= 1024 from a seeded generator. Where python3 with mpmath is
 * present, the same (100, 400) min-norm instance is timed with mpmath at the same digits (its plain
 * elimination: X X^T, LU solve, X^T lambda) and the ratio is printed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, pythonSeconds, timeMedian } from './harness.ts';
import { maxMarginSolution, minNormSolution } from '../src/precise/index.ts';
import type { Mat, Vec } from '../src/numeric/index.ts';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const dyadic = (r: () => number) => Math.round((2 * r() - 1) * 1024) / 256;

function regression(n: number, d: number, seed: number): { X: Mat; y: Vec } {
  const r = rng(seed);
  return { X: { rows: n, cols: d, data: Float64Array.from({ length: n * d }, () => dyadic(r)) }, y: Float64Array.from({ length: n }, () => dyadic(r)) };
}

/** Separable through the origin by a planted direction, with |x^T w_t| >= 1/4 (no near-ties). */
function separable(n: number, d: number, seed: number): { X: Mat; y: Vec } {
  const r = rng(seed);
  const wt = Float64Array.from({ length: d }, () => dyadic(r));
  const data = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let m = 0;
    for (let j = 0; j < d; j++) {
      data[i * d + j] = dyadic(r);
      m += data[i * d + j] * wt[j];
    }
    if (Math.abs(m) < 0.25) continue;
    y[i] = Math.sign(m);
    i++;
  }
  return { X: { rows: n, cols: d, data }, y };
}

function mpmathMinNorm(X: Mat, y: Vec, digits: number): number | null {
  const dir = mkdtempSync(join(tmpdir(), 'lsgd-bench-'));
  try {
    const f = join(dir, 'inst.json');
    const rows = Array.from({ length: X.rows }, (_, i) => Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)));
    writeFileSync(f, JSON.stringify({ X: rows, y: Array.from(y) }));
    const code = [
      'import json, time, mpmath as mp',
      `mp.mp.dps = ${digits}`,
      `d = json.load(open(${JSON.stringify(f)}))`,
      'X = mp.matrix(d["X"]); y = mp.matrix(d["y"])',
      't0 = time.perf_counter()',
      'lam = mp.lu_solve(X * X.T, y); w = X.T * lam',
      'print(time.perf_counter() - t0)',
    ].join('\n');
    return pythonSeconds(code);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function main(): Promise<void> {
  console.log('minNormSolution, 50 digits (median of 5 after 1 warm-up; (200, 1000): median of 3)');
  const minNorm: Record<string, number> = {};
  for (const [n, d] of [[50, 200], [100, 400], [200, 1000]] as const) {
    const { X, y } = regression(n, d, 1000 + n);
    const r = minNormSolution(X, y);
    const t = timeMedian(() => minNormSolution(X, y), n === 200 ? 3 : 5, 1);
    minNorm[`${n}x${d}`] = t;
    console.log(`  (N, d) = (${n}, ${d}): ${fmt(t)} s   iterations ${r.certificate.iterations}, digits ${r.certificate.digitsAchieved}, kappa(X) ~ ${fmt(r.certificate.conditionEstimate)}, rank method ${r.certificate.rankMethod}`);
  }
  const t100 = minNorm['100x400'];
  console.log(`  target (100, 400) < 0.3 s: ${t100 < 0.3 ? 'met' : 'NOT met'} (${fmt(t100)} s)`);

  console.log('maxMarginSolution with its KKT certificate, 50 digits (median of 5 after 1 warm-up)');
  for (const [n, d] of [[50, 10], [200, 50]] as const) {
    const { X, y } = separable(n, d, 2000 + n);
    const r = maxMarginSolution(X, y);
    const t = timeMedian(() => maxMarginSolution(X, y), 5, 1);
    console.log(`  (N, d) = (${n}, ${d}): ${fmt(t)} s   support ${r.support.length}, gamma* = ${r.gammaDecimal.slice(0, 12)}..., correction rounds ${r.certificate.rounds}`);
    if (n === 200) console.log(`  target (200, 50) < 1 s: ${t < 1 ? 'met' : 'NOT met'} (${fmt(t)} s)`);
  }

  const { X, y } = regression(100, 400, 1100);
  const py = mpmathMinNorm(X, y, 50);
  if (py === null) console.log('mpmath: python3 with mpmath not available, comparison skipped');
  else console.log(`mpmath (same (100, 400) instance, mp.dps = 50, one run): ${fmt(py)} s; mpmath / lsgd-spec = ${fmt(py / t100, 1)}x`);
}
