/**
 * The corpus: entries are content-addressed (merging never duplicates), tampered files are refused, and `check`
 * replays a recorded counterexample first, failing until the bug is fixed.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/cli/check.ts';
import { REPO_ROOT } from '../../src/subject/index.ts';
import { entryFileName, makeEntry, mergeCorpora, readCorpus, replayEntry, writeEntries, type CorpusEntry } from '../../src/hunt/corpus.ts';
import { hunt, type TheoremHunt } from '../../src/hunt/engine.ts';
import { caseStream } from '../../src/hunt/streams.ts';
import { builtinSubject } from '../../src/subject/index.ts';
import { resolveSeed } from '../../src/spec/seed.ts';
import { spec as fixedPoint } from '../../properties/implicit-bias/regression.drift-fixed-point.prop.ts';

const seed = resolveSeed(process.env).seed;
const relFile = 'properties/implicit-bias/regression.drift-fixed-point.prop.ts';
const file = join(REPO_ROOT, relFile);
const tmp = mkdtempSync(join(tmpdir(), 'lsgd-corpus-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let result: TheoremHunt;
let entries: CorpusEntry[];
beforeAll(async () => {
  // M10 (no restart) breaks the drift's fixed point on most instances: a counterexample within the first batches
  const M10 = join(REPO_ROOT, 'src/gate/mutants/M10-no-restart.ts');
  [result] = await hunt({ entries: [{ id: fixedPoint.id, file, theorem: fixedPoint }], subject: { module: 'builtin', base: REPO_ROOT, mutantFile: M10 }, seed, profile: 'ci', cases: 96, batch: 16, workers: 0 });
  const k = caseStream(seed, fixedPoint.id, 0);
  const ctx = { theorem: fixedPoint, file, relFile, seed, subject: '--mutant M10-no-restart', profile: 'ci' as const, replay: (n: string) => `npx lsgd-spec hunt replay ${n}`, k0: k.k0, k1: k.k1 };
  entries = [makeEntry(ctx, result.finding!, true), ...result.nearMisses.slice(0, 3).map((m) => makeEntry(ctx, m, false))];
}, 120_000);

describe('corpus', () => {
  it('an entry carries the theorem id and version, instance, hyperparameters, seed and path, verdict, closeness, version and replay command', () => {
    const e = entries[0];
    expect(result.finding?.status).toBe('violation');
    expect(e.status).toBe('counterexample');
    expect(e.theorem).toEqual({ id: 'Z-R5-fixed-point', version: expect.stringMatching(/^[0-9a-f]{12}$/), file: relFile });
    expect(e.instance.length).toBeGreaterThan(20);
    expect(Object.keys(e.hyperparameters)).toEqual(expect.arrayContaining(['L', 'weights', 'eta']));
    expect(e.seed).toBe(seed);
    expect(e.path).toMatch(/^case \d+/);
    expect(Number(e.closeness)).toBeGreaterThan(1);
    expect(e.lsgdSpecVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(e.replay).toBe(`npx lsgd-spec hunt replay ${entryFileName(e)}`);
    expect(entries.slice(1).every((n) => n.status === 'near-miss' && Number(n.closeness) <= 1)).toBe(true);
  });

  it('merging corpora from two machines keeps one copy of each case; a tampered file is refused', () => {
    const a = join(tmp, 'a');
    const b = join(tmp, 'b');
    const into = join(tmp, 'merged');
    expect(writeEntries(a, entries.slice(0, 3))).toHaveLength(3);
    expect(writeEntries(b, entries.slice(1))).toHaveLength(entries.length - 1);
    expect(writeEntries(b, entries.slice(1))).toHaveLength(0); // already there: same name, same case
    const r = mergeCorpora(into, [a, b]);
    expect(r).toEqual({ added: entries.length, duplicates: 2, errors: [] });
    expect(readdirSync(into).sort()).toEqual(entries.map(entryFileName).sort());
    const name = entryFileName(entries[1]);
    const bad = JSON.parse(readFileSync(join(b, name), 'utf8')) as { tape: number[] };
    bad.tape[0] += 1;
    writeFileSync(join(b, name), JSON.stringify(bad));
    expect(readCorpus(b).errors).toEqual([`corpus: ${join(b, name)}: file name does not match its content (expected ${fixedPoint.id}.${entryFileName({ ...entries[1], tape: bad.tape }).split('.')[1]}.json)`]);
  });

  it('replaying an entry rebuilds the same case: still a counterexample on the buggy subject, holds on the fixed one', async () => {
    const e = entries[0];
    const M10 = (await import('../../src/gate/mutants/M10-no-restart.ts')).mutant;
    const onBug = await replayEntry(fixedPoint, M10.apply(builtinSubject), 'x', e, 'ci');
    expect(onBug.result.status).toBe('violation');
    expect(onBug.result.closeness).toBe(result.finding!.closeness);
    expect(onBug.result.instance).toBe(e.instance);
    const onFixed = await replayEntry(fixedPoint, builtinSubject, 'x', e, 'ci');
    expect(onFixed.result.status).toBe('pass');
    expect(onFixed.outcome).toBe('pass');
  });

  it('check --corpus replays the corpus first and fails while a recorded counterexample still fails', { timeout: 240_000 }, async () => {
    const dir = join(tmp, 'check');
    writeEntries(dir, [entries[0]]);
    const io = { env: { LSGD_SEED: String(seed) } };
    const fixed: string[] = [];
    const ok = await runCheck(['--id', 'Z-R5-fixed-point', '--profile', 'ci', '--runs', '2', '--corpus', dir], { ...io, out: (s) => fixed.push(s), err: (s) => fixed.push(s) });
    expect(fixed.join('\n')).toMatch(/corpus .*: replayed 1 case, 0 failed/);
    expect(ok).toBe(0);
    const m10 = join(REPO_ROOT, 'test/hunt/fixtures/m10-subject.ts');
    const still: string[] = [];
    const bad = await runCheck(['--id', 'Z-R5-fixed-point', '--profile', 'ci', '--runs', '2', '--corpus', dir, '--subject', m10], { ...io, out: (s) => still.push(s), err: (s) => still.push(s) });
    expect(bad).toBe(1);
    expect(still.join('\n')).toMatch(/FAIL Z-R5-fixed-point .* \(recorded counterexample\): violation/);
    expect(still.join('\n')).toMatch(/replayed 1 case, 1 failed/);
    expect(still.join('\n')).toMatch(/check FAILED: .*1 corpus case failed/);
  });
});
