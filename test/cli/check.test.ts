/**
 * `lsgd-spec check` as a user runs it: from their own repository (not lsgd-spec's), with a relative --subject.
 * The registry is lsgd-spec's own wherever the command runs; --root selects another one.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/subject/index.ts';

const userRepo = mkdtempSync(join(tmpdir(), 'lsgd-user-'));
afterAll(() => rmSync(userRepo, { recursive: true, force: true }));
const subjectUrl = pathToFileURL(join(REPO_ROOT, 'src', 'subject', 'builtin.ts')).href;
writeFileSync(join(userRepo, 'mine.ts'), `import { builtinSubject } from '${subjectUrl}';\nexport const subject = { localGD: builtinSubject.localGD };\n`);
const lsgd = (...args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'lsgd-spec.js'), ...args], { cwd: userRepo, encoding: 'utf8', env: { ...process.env, LSGD_SEED: '7' } });

describe('lsgd-spec check from a user repository', () => {
  it('finds lsgd-spec\'s properties and the subject relative to the working directory', () => {
    const r = lsgd('check', '--id', 'C-1-trace-shape', '--subject', 'mine.ts', '--profile', 'ci');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^✓ C-1-trace-shape holds /m);
    expect(r.stdout).toMatch(/seed 7, profile ci$/m);
  });
  it('--root must name a folder with properties/; a bad one is a one-line error', () => {
    const r = lsgd('check', '--root', userRepo, '--subject', 'mine.ts');
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`lsgd-spec: check: --root ${userRepo}: no properties/ folder there`);
  });
});
