/**
 * `lsgd-spec solve min-norm` at scale, end to end (npm run bench -- solve-scale): the CLI runs in a child process on a
 * dataset file written to os.tmpdir(); wall time and the child's peak RSS are reported.
 *   5,000 x 50, consistent and inconsistent        target: at most 5 s each
 *   44,000 x 500 (about 200 MB of JSON), both       target: at most 120 s and 2 GB peak RSS each
 * Consistent data: X on the grid k/64 (|k| <= 64), w* on the grid k/8, y = X w* (exact in f64), so the certified answer
 * is w* itself and the bench checks it digit for digit. Inconsistent data: X and y with 4 random decimals each, the
 * shape of a measured dataset; the answer is the certified verdict "inconsistent" (exit 1). Data come from a seeded
 * generator, so every run times the same files. A 1 x 1 dataset is timed first: its time is the start-up of Node, tsx
 * and the CLI, which dominates the small cases (the load average is printed too: on a shared machine it inflates both).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt } from './harness.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

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

/** Writes the dataset row by row (never the whole text in memory); returns the planted w* for consistent data. */
function writeDataset(path: string, n: number, d: number, consistent: boolean, seed: number): number[] | null {
  const r = rng(seed);
  const ws = consistent ? Array.from({ length: d }, () => Math.round((2 * r() - 1) * 64) / 8) : null;
  const fd = openSync(path, 'w');
  writeSync(fd, '{"task": "regression", "nodes": [{"X": [\n');
  const ys: number[] = [];
  const row = new Array<number>(d);
  for (let i = 0; i < n; i++) {
    let y = 0;
    for (let j = 0; j < d; j++) {
      row[j] = consistent ? Math.round((2 * r() - 1) * 64) / 64 : Math.round((2 * r() - 1) * 1e4) / 1e4;
      if (ws) y += row[j] * ws[j];
    }
    ys.push(ws ? y : Math.round((2 * r() - 1) * 1e4) / 1e4);
    writeSync(fd, `${i > 0 ? ',\n' : ''}[${row.join(',')}]`);
  }
  writeSync(fd, `], "y": [${ys.join(',')}]}]}\n`);
  closeSync(fd);
  return ws;
}

function runSolve(file: string, rssFile: string): { seconds: number; rss: number; status: number | null; stdout: string; stderr: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', './bench/maxrss.ts', 'src/cli/main.ts', 'solve', 'min-norm', '--data', file, '--json'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, LSGD_MAXRSS_FILE: rssFile },
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, rss: Number(readFileSync(rssFile, 'utf8')), status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'lsgd-solve-scale-'));
  const cases = [
    { n: 5000, d: 50, consistent: true, maxS: 5, maxGB: 2 },
    { n: 5000, d: 50, consistent: false, maxS: 5, maxGB: 2 },
    { n: 44000, d: 500, consistent: false, maxS: 120, maxGB: 2 },
    { n: 44000, d: 500, consistent: true, maxS: 120, maxGB: 2 },
  ];
  let failed = 0;
  try {
    const tiny = join(dir, 'tiny.json');
    writeFileSync(tiny, '{"task": "regression", "nodes": [{"X": [[2]], "y": [1]}]}');
    const base = runSolve(tiny, join(dir, 'maxrss'));
    console.log(`load average ${loadavg().map((v) => v.toFixed(1)).join(', ')}; start-up (solve min-norm on a 1 x 1 dataset): ${fmt(base.seconds, 2)} s, peak RSS ${fmt(base.rss / 2 ** 30, 2)} GB`);
    for (const c of cases) {
      const file = join(dir, `reg-${c.n}x${c.d}-${c.consistent ? 'consistent' : 'inconsistent'}.json`);
      const ws = writeDataset(file, c.n, c.d, c.consistent, c.n + c.d);
      const mb = statSync(file).size / 2 ** 20;
      const r = runSolve(file, join(dir, 'maxrss'));
      rmSync(file);
      let ok: boolean;
      if (ws) {
        const w = r.status === 0 ? (JSON.parse(r.stdout) as { w: string[] }).w : [];
        ok = w.length === c.d && w.every((s, j) => Number(s) === ws[j] && s === String(ws[j]));
      } else ok = r.status === 1 && /inconsistent system Xw = y: rank\(X\) = \d+ < rank\(\[X \| y\]\) = \d+/.test(r.stderr);
      const gb = r.rss / 2 ** 30;
      const within = ok && r.seconds <= c.maxS && gb <= c.maxGB;
      if (!within) failed++;
      console.log(
        `solve min-norm ${c.n} x ${c.d} ${c.consistent ? 'consistent  ' : 'inconsistent'} (${fmt(mb, 1)} MB JSON): ${fmt(r.seconds, 2)} s ` +
          `(${fmt(r.seconds - base.seconds, 2)} s beyond start-up), ` +
          `peak RSS ${fmt(gb, 2)} GB (targets ${c.maxS} s, ${c.maxGB} GB) ${ok ? (within ? 'ok' : 'OVER TARGET') : `WRONG ANSWER (exit ${r.status}: ${r.stderr.trim().slice(0, 200)})`}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (failed > 0) process.exitCode = 1;
}
