/**
 * src/cli/args.ts: node:util parseArgs underneath (repeatable flags, --x=v, strict), and strict input: decimal-only
 * numbers, paths checked before any work. Every rejection is a UsageError naming the command, flag, value and rule.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { didYouMean, inputFile, intFlag, list, numberFlag, outputFile, parseArgs, seedOf, str, UsageError } from '../../src/cli/args.ts';

const SPECS = { id: { type: 'string', multiple: true }, seed: { type: 'string' }, json: { type: 'boolean' }, 'budget-ms': { type: 'string' } } as const;
const dir = mkdtempSync(join(tmpdir(), 'lsgd-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const usage = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
};

describe('parseArgs', () => {
  it('collects repeated flags in order, accepts --x=v and positionals', () => {
    const a = parseArgs(['--id', 'A', 'pos', '--id=B', '--seed=7', '--json'], SPECS, 'check');
    expect(list(a, 'id')).toEqual(['A', 'B']);
    expect(str(a, 'seed')).toBe('7');
    expect(a.flags.json).toBe(true);
    expect(a.positional).toEqual(['pos']);
  });

  it('a value that starts with a dash is written --flag=value', () => {
    expect(str(parseArgs(['--seed=-5'], SPECS, 'check'), 'seed')).toBe('-5');
    expect(usage(() => parseArgs(['--seed', '-5'], SPECS, 'check'))).toBe("check: flag --seed needs a value (a value that starts with '-' is written --seed=VALUE)");
  });

  it.each([
    [['--idd', 'X'], 'check: unknown flag --idd (did you mean --id?); known flags: --help, --id, --seed, --json, --budget-ms'],
    [['--budget=3'], 'check: unknown flag --budget (did you mean --budget-ms?); known flags: --help, --id, --seed, --json, --budget-ms'],
    [['--frobnicate'], 'check: unknown flag --frobnicate; known flags: --help, --id, --seed, --json, --budget-ms'],
    [['-x'], 'check: unknown flag -x (flags are long: --help, --id, --seed, --json, --budget-ms)'],
    [['--seed'], 'check: flag --seed needs a value'],
    [['--seed', '1', '--seed', '2'], 'check: flag --seed given twice (it takes one value)'],
    [['--json=yes'], 'check: flag --json takes no value'],
    [['--seed='], 'check: flag --seed needs a non-empty value'],
  ])('%j is a usage error', (argv, message) => {
    expect(usage(() => parseArgs(argv, SPECS, 'check'))).toBe(message);
  });

  it('didYouMean suggests only close words', () => {
    expect(didYouMean('--porfile', ['--profile', '--path'])).toBe('--profile');
    expect(didYouMean('--zzz', ['--profile', '--path'])).toBeUndefined();
  });
});

describe('numbers are decimal only', () => {
  it.each([['0x10'], ['1e3'], [' 5'], ['5 '], ['+5'], ['5.0'], ['0o7'], ['1_000'], ['007'], ['']])('integer flag rejects %j', (v) => {
    expect(usage(() => intFlag(v, 'runs', 'check', 1, 100, 1))).toBe(`check: --runs must be an integer written in decimal digits (like 42), got '${v}'`);
  });
  it('integer flag: range and acceptance', () => {
    expect(intFlag('42', 'runs', 'check', 1, 100, 1)).toBe(42);
    expect(intFlag(undefined, 'runs', 'check', 1, 100, 9)).toBe(9);
    expect(usage(() => intFlag('101', 'runs', 'check', 1, 100, 1))).toBe('check: --runs must be in [1, 100], got 101');
    expect(usage(() => intFlag('99999999999999999999', 'runs', 'check', 1, 100, 1))).toBe('check: --runs must be in [1, 100], got 99999999999999999999');
  });
  it.each([['0x10'], [' 5'], ['Infinity'], ['NaN'], ['.5'], ['5.'], ['1e'], ['0b1']])('real flag rejects %j', (v) => {
    expect(usage(() => numberFlag(v, 'lambda', 'solve', 0, 'a finite number >= 0'))).toBe(`solve: --lambda must be a decimal number (like 0.5 or 1e-3), got '${v}'`);
  });
  it('real flag: decimals and exponents, range', () => {
    expect(numberFlag('0.5', 'lambda', 'solve', 0, 'x')).toBe(0.5);
    expect(numberFlag('1e-3', 'lambda', 'solve', 0, 'x')).toBe(0.001);
    expect(usage(() => numberFlag('-1', 'lambda', 'solve', 0, 'a finite number >= 0'))).toBe('solve: --lambda must be a finite number >= 0, got -1');
    expect(usage(() => numberFlag('1e999', 'lambda', 'solve', 0, 'a finite number >= 0'))).toBe('solve: --lambda must be a finite number >= 0, got 1e999');
  });
  it('seeds: decimal digits in the 32-bit signed range, from the flag or LSGD_SEED', () => {
    expect(seedOf('-5', {}, 'check')).toBe(-5);
    expect(seedOf(undefined, { LSGD_SEED: '12' }, 'check')).toBe(12);
    expect(usage(() => seedOf('0x10', {}, 'check'))).toBe("check: --seed must be an integer written in decimal digits (like 42), got '0x10'");
    expect(usage(() => seedOf(' 5', {}, 'check'))).toBe("check: --seed must be an integer written in decimal digits (like 42), got ' 5'");
    expect(usage(() => seedOf(undefined, { LSGD_SEED: '1e3' }, 'check'))).toBe("check: LSGD_SEED must be an integer written in decimal digits (like 42), got '1e3'");
    expect(usage(() => seedOf('2147483648', {}, 'check'))).toMatch(/^check: --seed: seed 2147483648 is outside the 32-bit signed range/);
  });
});

describe('paths', () => {
  it('an input file must exist and be a file', () => {
    const f = join(dir, 'a.json');
    writeFileSync(f, '{}');
    expect(inputFile(f, '--data', 'solve')).toBe(f);
    expect(usage(() => inputFile(join(dir, 'nope.json'), '--data', 'solve'))).toBe(`solve: --data ${join(dir, 'nope.json')}: no such file`);
    expect(usage(() => inputFile(dir, '--data', 'solve'))).toBe(`solve: --data ${dir}: not a regular file`);
  });
  it('an output file needs an existing folder and must not be a folder', () => {
    expect(outputFile(join(dir, 'out.md'), '--out', 'report')).toBe(join(dir, 'out.md'));
    expect(usage(() => outputFile(join(dir, 'missing', 'out.md'), '--out', 'report'))).toBe(`report: --out ${join(dir, 'missing', 'out.md')}: folder ${join(dir, 'missing')} does not exist`);
    expect(usage(() => outputFile(dir, '--out', 'report'))).toBe(`report: --out ${dir}: is a folder, not a file`);
  });
});
