/** `lsgd-spec report --html`: from saved records into a folder, and its flag errors (one line each). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/gate/mutants/index.ts';

const report = (...args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'lsgd-spec.js'), 'report', ...args], { cwd: REPO_ROOT, encoding: 'utf8' });

describe('lsgd-spec report --html', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lsgd-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--from RUN.jsonl writes the site from the records, linking to the repository from the output folder', () => {
    const r = report('--html', '--from', 'docs/report/run.jsonl', '--out', dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^report: wrote \d+ files to .+ \(\d+ theorems, seed 1, profile ci\)\n$/);
    expect(readFileSync(join(dir, 'run.jsonl'), 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'docs/report/run.jsonl'), 'utf8'));
    const page = readFileSync(join(dir, 'Z-C2-angle.html'), 'utf8');
    // links climb from the output folder to the repository, wherever either lives
    const rel = relative(dir, REPO_ROOT).split(sep).join('/');
    expect(page).toContain(`href="${rel}/properties/implicit-bias/classification.direction.prop.ts"`);
  }, 120_000);

  it('flag errors are one line', () => {
    const a = report('--from', 'docs/report/run.jsonl');
    expect(a.status).toBe(2); // a usage error
    expect(a.stderr.trim()).toBe('lsgd-spec: report: --from RUN.jsonl needs --html');
    const b = report('--html', '--from', 'docs/report/run.jsonl', '--seed', '2');
    expect(b.stderr.trim()).toBe('lsgd-spec: report: --seed does not apply with --from (the records fix the run)');
    const c = report('--html', '--from', 'package.json');
    expect(c.stderr.trim()).toMatch(/^lsgd-spec: readRecords: package\.json line 1 is not JSON/);
  }, 120_000);
});
