/**
 * The plug-in protocol's own cost: `check --profile ci` on the built-in optimizers in the gate's thread, against the
 * same optimizers served over lsgd-spec/2 by one node process (`lsgd-spec serve`), same registry, same seed; and the
 * same over a worker thread (`--subject` with a module that re-exports them). Target: the process path at most
 * 1.2x + 5 s of the in-process time, with one process start. Python subjects (ci/examples) are timed the same way
 * when they are present: `npm run bench -- protocol`.
 *
 * Environment: LSGD_BENCH_FAMILY restricts to one family (default: every theorem); LSGD_BENCH_SEED (default 1);
 * LSGD_BENCH_TORCH=1 also times the PyTorch subject (slow: autograd overhead per local step).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../src/subject/index.ts';

interface Timed {
  readonly seconds: number;
  readonly summary: string;
  readonly starts: string;
  readonly status: number | null;
}

function check(args: string[]): Timed {
  const family = process.env.LSGD_BENCH_FAMILY;
  const seed = process.env.LSGD_BENCH_SEED ?? '1';
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src', 'cli', 'main.ts'), 'check', '--profile', 'ci', '--seed', seed, ...(family ? ['--family', family] : []), ...args], { encoding: 'utf8', cwd: REPO_ROOT, maxBuffer: 64 * 2 ** 20 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const summary = r.stdout.split('\n').find((l) => /^\d+ theorems:/.test(l)) ?? '(no summary)';
  const starts = r.stderr.split('\n').find((l) => l.startsWith('subject:')) ?? '';
  return { seconds, summary, starts, status: r.status };
}

export function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'lsgd-bench-protocol-'));
  try {
    const module = join(dir, 'builtin-plugin.ts');
    writeFileSync(module, `export { builtinSubject as subject } from ${JSON.stringify(pathToFileURL(join(REPO_ROOT, 'src', 'subject', 'builtin.ts')).href)};\n`);
    const serve = `${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(join(REPO_ROOT, 'src', 'cli', 'main.ts'))} serve`;
    const rows: [string, Timed][] = [
      ['in-process (built-in)', check([])],
      ['worker thread (--subject)', check(['--subject', module])],
      ['one node process (--subject-cmd serve)', check(['--subject-cmd', serve])],
    ];
    const python = [['numpy subject', 'ci/examples/numpy_subject.py'], ...(process.env.LSGD_BENCH_TORCH === '1' ? [['PyTorch subject', 'ci/examples/torch_subject.py']] : [])] as const;
    for (const [name, cmd] of python) {
      if (existsSync(join(REPO_ROOT, cmd))) rows.push([name, check(['--subject-cmd', `/usr/bin/python3 ${cmd}`])]);
    }
    const base = rows[0][1].seconds;
    console.log('path                                      seconds   ratio  exit  summary / process starts');
    for (const [name, t] of rows) {
      console.log(`${name.padEnd(40)} ${t.seconds.toFixed(1).padStart(8)} ${(t.seconds / base).toFixed(2).padStart(7)} ${String(t.status).padStart(5)}  ${t.summary}${t.starts ? ` | ${t.starts}` : ''}`);
    }
    const proc = rows[2][1].seconds;
    console.log(`\nprotocol cost: ${proc.toFixed(1)} s over a process vs ${base.toFixed(1)} s in-process; target <= 1.2 x ${base.toFixed(1)} + 5 = ${(1.2 * base + 5).toFixed(1)} s: ${proc <= 1.2 * base + 5 ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
