/**
 * `lsgd-spec mutants` (src/cli/mutants.ts): exit 0 iff every selected mutant is killed, one progress line per mutant
 * on stderr, the report on stdout (text or JSON), usage errors one line on stderr with exit code 2 before anything runs.
 */
import { describe, expect, it } from 'vitest';
import { runMutants } from '../../src/cli/mutants.ts';

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runMutants(argv, { out: (s) => out.push(s), err: (s) => err.push(s), env: {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('lsgd-spec mutants', () => {
  it('one mutant: killed, exit 0, killer and replay named', async () => {
    const r = await cli(['--mutant', 'M11-zero-weight-nan', '--seed', '7']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^✓ M11-zero-weight-nan killed by C-2-zero-weight \(violated after \d+ runs?, [\d.]+ s\)/);
    expect(r.out).toContain('replay: npx lsgd-spec mutants --mutant M11-zero-weight-nan --seed 7 --profile ci');
    expect(r.out).toContain('1 mutant: 1 killed, 0 survived; seed 7, profile ci, first kill per mutant');
  });

  it('--json with two mutants and --all gives the matrix as data', async () => {
    const r = await cli(['--mutant=M08-sync-counter-per-block', '--mutant', 'M06-lupa-nominal-step-normaliser', '--seed', '7', '--all', '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const rep = JSON.parse(r.out) as { all: boolean; mutants: { id: string; killers: { property: string }[]; attempts: unknown[]; relevant: string[] }[] };
    expect(rep.all).toBe(true);
    expect(rep.mutants.map((m) => m.id)).toEqual(['M06-lupa-nominal-step-normaliser', 'M08-sync-counter-per-block']);
    for (const m of rep.mutants) expect(m.attempts).toHaveLength(m.relevant.length); // --all: every relevant property ran
    expect(rep.mutants[1].killers.map((k) => k.property)).toContain('C-1-trace-shape');
  });

  it('an unknown mutant is a usage error on stderr (exit 2), found before anything runs, with a suggestion', async () => {
    const r = await cli(['--mutant', 'M02-uniform-weight', '--seed', '1']);
    expect(r).toEqual({ code: 2, out: '', err: 'lsgd-spec: mutants: unknown mutant id M02-uniform-weight (did you mean M02-uniform-weights?); lsgd-spec mutants --list names them' });
    const nope = await cli(['--mutant', 'nope', '--json']);
    expect(nope.code).toBe(2);
    expect(nope.err).toBe('lsgd-spec: mutants: unknown mutant id nope; lsgd-spec mutants --list names them');
    expect(JSON.parse(nope.out)).toEqual({ error: 'mutants: unknown mutant id nope; lsgd-spec mutants --list names them', exitCode: 2 });
  });

  it('--help prints the usage line and examples', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^usage: lsgd-spec mutants \[--profile ci\|default\]/m);
    expect(r.out).toContain('\nexamples:\n  lsgd-spec mutants --seed 7\n');
  });

  it('--list names every mutant with what it affects', async () => {
    const r = await cli(['--list']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').find((l) => l.startsWith('M04-partial-all-clients'))).toMatch(/localGD, localSGD\s+partial participation normalised/);
  });

  it.each([
    [['--profile', 'hunt'], "mutants: --profile must be one of ci, default, got 'hunt'"],
    [['--seed', 'x'], "mutants: --seed must be an integer written in decimal digits (like 42), got 'x'"],
    [['--mutant'], 'mutants: flag --mutant needs a value'],
    [['M01'], "mutants: unexpected argument 'M01' (use --mutant ID)"],
    [['--budget'], 'mutants: unknown flag --budget (did you mean --budget-ms?); known flags: --help, --mutant, --profile, --seed, --budget-ms, --all, --json, --list'],
  ])('usage error %j: one line on stderr, exit 2', async (argv, message) => {
    expect(await cli(argv)).toEqual({ code: 2, out: '', err: `lsgd-spec: ${message}` });
  });
});
