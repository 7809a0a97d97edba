/**
 * Exit codes and help of every command through src/cli/main.ts: 0 all as expected, 1 a theorem failed, 2 a usage or
 * input error (one line on stderr, and with --json/--jsonl also a JSON error on stdout); `--help` of every command
 * has examples, and every example's flags are accepted by that command's own parser.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs, type FlagSpecs } from '../../src/cli/args.ts';
import { CHECK_FLAGS } from '../../src/cli/check.ts';
import { HELP } from '../../src/cli/help.ts';
import { main } from '../../src/cli/main.ts';
import { MUTANTS_FLAGS } from '../../src/cli/mutants.ts';
import { REPORT_FLAGS } from '../../src/cli/report.ts';
import { HUNT_FLAGS } from '../../src/cli/hunt.ts';
import { SAMPLE_FLAGS } from '../../src/cli/sample.ts';
import { SERVE_FLAGS } from '../../src/cli/serve.ts';
import { SOLVE_FLAGS } from '../../src/cli/solve.ts';
import { REPO_ROOT } from '../../src/gate/mutants/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'lsgd-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s), env: { LSGD_SEED: '1' } });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const FLAGS: Record<string, FlagSpecs> = { check: CHECK_FLAGS, solve: SOLVE_FLAGS, sample: SAMPLE_FLAGS, report: REPORT_FLAGS, mutants: MUTANTS_FLAGS, serve: SERVE_FLAGS, hunt: HUNT_FLAGS };

/** Words of a shell command line: single and double quotes, stops at a redirection. */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) {
    if (m[3] === '>' || m[3] === '|') break;
    out.push(m[1] ?? m[2] ?? m[3]);
  }
  return out;
}

describe('help', () => {
  it('lsgd-spec --help lists every command with an example (exit 0); no command at all is a usage error (exit 2)', async () => {
    const h = await cli('--help');
    expect(h.code).toBe(0);
    for (const c of Object.keys(FLAGS)) expect(h.out).toMatch(new RegExp(`^  ${c} +\\S`, 'm'));
    expect(h.out).toContain('exit codes: 0 all as expected, 1 a theorem failed');
    const none = await cli();
    expect([none.code, none.out]).toEqual([2, '']);
    expect(none.err).toMatch(/^usage: lsgd-spec <command>/);
  });

  it.each(Object.keys(FLAGS))('%s --help: usage, flags and examples (exit 0); `help %s` says the same', async (cmd) => {
    const r = await cli(cmd, '--help');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(new RegExp(`^usage: lsgd-spec ${cmd} `, 'm'));
    expect(r.out).toMatch(/\nexamples:\n {2}lsgd-spec /);
    expect((await cli('help', cmd)).out).toBe(r.out);
  });

  it('every example of every command parses with that command\'s flags, and every flag is documented', () => {
    for (const [cmd, h] of Object.entries(HELP)) {
      expect(Object.keys(FLAGS)).toContain(cmd);
      for (const [line] of h.examples) {
        const w = words(line);
        expect(Object.keys(FLAGS), line).toContain(w[0]);
        expect(() => parseArgs(w.slice(1), FLAGS[w[0]], w[0]), line).not.toThrow();
      }
      const documented = h.flags.map(([f]) => f).join(' ');
      for (const f of Object.keys(FLAGS[cmd])) expect(documented, `${cmd} --${f}`).toContain(`--${f}`);
    }
  });

  it('an unknown command is a usage error with a suggestion', async () => {
    expect(await cli('chek')).toEqual({ code: 2, out: '', err: "lsgd-spec: unknown command 'chek' (did you mean check?); commands: check, solve, sample, report, mutants, serve, hunt (lsgd-spec --help)" });
    expect((await cli('help', 'nope')).code).toBe(2);
  });
});

describe('exit code 2 for usage and input errors, in every command', () => {
  it.each([
    [['check', '--idd', 'X'], 'check: unknown flag --idd (did you mean --id?)'],
    [['check', '--id', 'C-1-trace-shap'], 'check: unknown id C-1-trace-shap (did you mean C-1-trace-shape?)'],
    [['check', '--runs', '1e3'], "check: --runs must be an integer written in decimal digits (like 42), got '1e3'"],
    [['check', '--seed', '0x10'], "check: --seed must be an integer written in decimal digits (like 42), got '0x10'"],
    [['check', '--subject', 'no/such.ts'], 'check: --subject no/such.ts: no such file'],
    [['solve', 'pl-optimum', '--data', 'x.json', '--lambda', '0x10'], "solve: --lambda must be a decimal number (like 0.5 or 1e-3), got '0x10'"],
    [['solve', 'min-norm', '--data', 'no/such.json'], 'solve: --data no/such.json: no such file'],
    [['sample', 'plProblem', '--index', ' 5'], "sample: --index must be an integer written in decimal digits (like 42), got ' 5'"],
    [['sample', 'hyperparameters', '--smoothness', '0x2'], "sample: --smoothness must be a decimal number (like 0.5 or 1e-3), got '0x2'"],
    [['report', '--profile', 'fast'], "report: --profile must be one of ci, default, hunt, got 'fast'"],
    [['report', '--subject', 'no/such.ts'], 'report: --subject no/such.ts: no such file'],
    [['mutants', '--mutant', 'nope'], 'mutants: unknown mutant id nope; lsgd-spec mutants --list names them'],
    [['mutants', '--budget-ms', '1e3'], "mutants: --budget-ms must be an integer written in decimal digits (like 42), got '1e3'"],
  ])('%j', async (argv, message) => {
    const r = await cli(...argv);
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err.startsWith(`lsgd-spec: ${message}`), r.err).toBe(true);
  });

  it('with --json the error is also a JSON object on stdout', async () => {
    const r = await cli('check', '--json', '--runs', '0x10');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toEqual({ error: "check: --runs must be an integer written in decimal digits (like 42), got '0x10'", exitCode: 2 });
  });

  it('report --out into a missing folder fails at once, before any theorem runs', async () => {
    const out = join(dir, 'missing', 'dir', 'file.md');
    const r = await cli('report', '--out', out);
    expect(r).toEqual({ code: 2, out: '', err: `lsgd-spec: report: --out ${out}: folder ${join(dir, 'missing', 'dir')} does not exist` });
  });
});

describe('exit codes 0 and 1 through the executable', () => {
  it('0 when every selected theorem holds; 2 for a usage error; the message on stderr only', () => {
    const run = (...a: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'lsgd-spec.js'), ...a], { cwd: dir, encoding: 'utf8', env: { ...process.env, LSGD_SEED: '2' } });
    const ok = run('check', '--id', 'C-2-zero-weight', '--profile', 'ci');
    expect(ok.status, ok.stderr).toBe(0);
    const bad = run('solve', 'min-norm', '--data', 'missing.json', '--json');
    expect([bad.status, bad.stderr]).toEqual([2, 'lsgd-spec: solve: --data missing.json: no such file\n']);
    expect(JSON.parse(bad.stdout)).toEqual({ error: 'solve: --data missing.json: no such file', exitCode: 2 });
  });
});

describe('ci/github-workflow.example.yml', () => {
  const yml = readFileSync(join(REPO_ROOT, 'ci', 'github-workflow.example.yml'), 'utf8');
  it('every lsgd-spec command in it parses with that command\'s flags', () => {
    const cmds = [...yml.matchAll(/npx lsgd-spec (\w+) ([^\n>]*)/g)];
    expect(cmds.length).toBeGreaterThanOrEqual(5);
    for (const [line, cmd, rest] of cmds) {
      expect(Object.keys(FLAGS), line).toContain(cmd);
      expect(() => parseArgs(words(rest), FLAGS[cmd], cmd), line).not.toThrow();
    }
  });
  it('has a Python job, uploads JUnit and the report, and runs the mutation check only on the schedule', () => {
    expect(yml).toMatch(/SUBJECT_CMD: python3 my_optimizers.py/);
    expect(yml.match(/uses: actions\/upload-artifact@v4/g)?.length).toBeGreaterThanOrEqual(2);
    expect(yml).toMatch(/lsgd-junit\.xml\n\s+lsgd-run\.jsonl\n\s+lsgd-report\.md/);
    expect(yml).toMatch(/ {2}mutants:\n {4}if: github.event_name == 'schedule'\n/);
    expect(yml.match(/lsgd-spec mutants/g)).toHaveLength(1);
  });
});
