/** Timing helpers for benches: warm-up, then the median of repeated runs. */
import { spawnSync } from 'node:child_process';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median wall time in seconds of fn over `reps` runs after `warmup` runs. */
export function timeMedian(fn: () => unknown, reps = 5, warmup = 1): number {
  for (let i = 0; i < warmup; i++) fn();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    ts.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return median(ts);
}

/** Run a python3 snippet that prints one number (seconds); null if python3/numpy/mpmath is absent. */
export function pythonSeconds(code: string): number | null {
  const r = spawnSync('python3', ['-c', code], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) return null;
  const v = Number(r.stdout.trim().split('\n').pop());
  return Number.isFinite(v) ? v : null;
}

export function fmt(x: number, digits = 3): string {
  return x >= 1e-2 && x < 1e5 ? x.toFixed(digits) : x.toExponential(digits);
}
