/**
 * ci/gate.sh argument handling (the full gate is run by hand and in CI: it runs the whole suite). Usage errors exit 2
 * with one line on stderr, before anything is installed or run.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/gate/mutants/index.ts';

const gate = (...args: string[]) => spawnSync('bash', [join(REPO_ROOT, 'ci', 'gate.sh'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, LSGD_SPEC_DIR: REPO_ROOT } });

describe('ci/gate.sh usage errors', () => {
  it.each([
    [[], 'usage: ci/gate.sh <subject module .ts> | --cmd COMMAND [--profile ci|default] [--seed S]'],
    [['--cmd'], 'usage: ci/gate.sh <subject module .ts> | --cmd COMMAND [--profile ci|default] [--seed S]'],
    [['--cmd', 'python3 x.py', '--profile', 'hunt'], "gate.sh: --profile must be ci or default, got 'hunt'"],
    [['no/such/module.ts'], "gate.sh: subject module 'no/such/module.ts' not found"],
    [['ci/example-subject.ts', '--profile', 'hunt'], "gate.sh: --profile must be ci or default, got 'hunt'"],
    [['ci/example-subject.ts', '--frobnicate'], "gate.sh: unknown argument '--frobnicate'"],
  ])('%j exits 2', (args, message) => {
    const r = gate(...args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(message);
  });
});
