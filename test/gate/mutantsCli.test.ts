/**
 * `lsgd-spec mutants` (src/cli/mutants.ts): exit 0 iff every selected mutant is killed, one progress line per mutant
 * on stderr, the report on stdout (text or JSON), usage errors as one-line exceptions (main turns them into exit 2).
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

  it('an unknown mutant is an error (exit 1)', async () => {
    const r = await cli(['--mutant', 'M77-nope', '--seed', '1']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('error: mutants: unknown mutant id M77-nope (known: M01-');
  });

  it('--help prints the usage line', async () => {
    expect(await cli(['--help'])).toEqual({ code: 0, out: expect.stringMatching(/^usage: lsgd-spec mutants \[--profile ci\|default\]/), err: '' });
  });

  it('--list names every mutant with what it affects', async () => {
    const r = await cli(['--list']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').find((l) => l.startsWith('M04-partial-all-clients'))).toMatch(/localGD, localSGD\s+partial participation normalised/);
  });

  it.each([
    [['--profile', 'hunt'], "mutants: --profile must be one of ci, default, got 'hunt'"],
    [['--seed', 'x'], "mutants: --seed: expected an integer seed, got 'x'"],
    [['--mutant'], 'mutants: flag --mutant needs a value'],
    [['M01'], "mutants: unexpected argument 'M01' (use --mutant ID)"],
    [['--budget'], 'mutants: unknown flag --budget (known: --profile, --seed, --budget-ms, --all, --json, --list, --help)'],
  ])('usage error %j', async (argv, message) => {
    await expect(cli(argv)).rejects.toThrow(message);
  });
});
