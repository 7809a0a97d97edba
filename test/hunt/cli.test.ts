/** `lsgd-spec hunt` on the command line: flags, JSON lines, the summary, Ctrl-C, merge. */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDuration, parseShard, runHunt } from '../../src/cli/hunt.ts';
import { resolveSeed } from '../../src/spec/seed.ts';

const seed = resolveSeed(process.env).seed;
const tmp = mkdtempSync(join(tmpdir(), 'lsgd-hunt-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s), cwd: tmp, isTTY: false, env: { LSGD_SEED: String(seed) } } };
}

describe('hunt CLI', () => {
  it('durations and shards: accepted forms and one-line errors', () => {
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('2')).toBe(2000);
    expect(() => parseDuration('ten')).toThrow("hunt: --time must be a duration like 10m, 90s, 1h or 500ms, got 'ten'");
    expect(parseShard('3/8')).toEqual({ index: 3, count: 8 });
    expect(() => parseShard('8/8')).toThrow('hunt: --shard 8/8: need 0 <= i < n');
    expect(() => parseShard('1-2')).toThrow("hunt: --shard must be i/n (e.g. 0/4), got '1-2'");
  });

  it('--jsonl prints start, progress, done and summary objects; a planted bug is found and saved to the corpus', { timeout: 240_000 }, async () => {
    const c = capture();
    const corpus = join(tmp, 'c1');
    const code = await runHunt(['--id', 'Z-R5-fixed-point', '--mutant', 'M10-no-restart', '--cases', '64', '--workers', '1', '--corpus', corpus, '--profile', 'ci', '--jsonl'], c.io);
    expect(code).toBe(1); // a theorem expected to hold was refuted (by the planted bug)
    const lines = c.out.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ type: 'start', id: 'Z-R5-fixed-point' });
    expect(lines.some((l) => l.type === 'progress' && typeof l.casesPerSec === 'number' && 'closest' in l && 'timeLeftS' in l)).toBe(true);
    const done = lines.find((l) => l.type === 'done')!;
    expect(done).toMatchObject({ id: 'Z-R5-fixed-point', outcome: 'finding', stop: 'finding', finding: { status: 'violation' } });
    expect(lines.at(-1)).toMatchObject({ type: 'summary' });
    const files = readdirSync(corpus);
    expect(files.some((f) => f.startsWith('Z-R5-fixed-point.'))).toBe(true);
    // merging the corpus into another folder twice adds nothing the second time
    const m = capture();
    expect(await runHunt(['merge', corpus, '--corpus', join(tmp, 'merged')], m.io)).toBe(0);
    expect(m.out.join('')).toMatch(new RegExp(`: ${files.length} added, 0 already there, 0 invalid`));
    const m2 = capture();
    await runHunt(['merge', corpus, '--corpus', join(tmp, 'merged')], m2.io);
    expect(m2.out.join('')).toMatch(new RegExp(`: 0 added, ${files.length} already there, 0 invalid`));
  });

  it('an abort (Ctrl-C) stops cleanly: exit 130, the summary, and the corpus of the theorems hunted so far', { timeout: 240_000 }, async () => {
    const c = capture();
    const corpus = join(tmp, 'c2');
    const ac = new AbortController();
    let done = 0;
    const io = { ...c.io, out: (s: string) => {
      c.out.push(s);
      if (s.startsWith('clean') || s.startsWith('FOUND')) done++;
      if (done === 1) ac.abort(); // Ctrl-C as the first theorem ends
    }, signal: ac.signal };
    const code = await runHunt(['--id', 'Z-R5-l1', '--id', 'Z-R5-fixed-point', '--id', 'Z-R1-row-space', '--time', '6s', '--workers', '0', '--corpus', corpus, '--profile', 'ci'], io);
    expect(code).toBe(130);
    const text = c.out.join('');
    expect(text).toMatch(/interrupted by Ctrl-C: partial results/);
    expect(text).toMatch(/^theorem\s+kind\s+cases/m);
    expect(text).toMatch(/Z-R1-row-space\s+\S+\s+0\s+.*interrupted/);
    expect(existsSync(corpus)).toBe(true);
  });

  it('an abort in the middle of a theorem on worker threads also ends with the summary and exit 130', { timeout: 240_000 }, async () => {
    const c = capture();
    const ac = new AbortController();
    const io = { ...c.io, out: (s: string) => {
      c.out.push(s);
      if (s.includes('"type":"progress"')) ac.abort();
    }, signal: ac.signal };
    const code = await runHunt(['--id', 'Z-R5-fixed-point', '--time', '1h', '--workers', '1', '--corpus', join(tmp, 'c3'), '--profile', 'ci', '--jsonl'], io);
    expect(code).toBe(130);
    const last = JSON.parse(c.out.join('').trim().split('\n').at(-1)!) as { type: string; theorems: { id: string; stop: string; cases: number }[] };
    expect(last.type).toBe('summary');
    expect(last.theorems[0]).toMatchObject({ id: 'Z-R5-fixed-point', stop: 'interrupted' });
    expect(last.theorems[0].cases).toBeGreaterThan(0);
  });
});
