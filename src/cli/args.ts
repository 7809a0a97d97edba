/**
 * Command-line parsing shared by every command, on `node:util` parseArgs (strict): `--name value`, `--name=value`,
 * booleans `--flag`, repeatable flags (`--id A --id B`), positionals. Unknown flags are usage errors with a
 * did-you-mean suggestion; a non-repeatable flag given twice is an error (never "the last one wins").
 *
 * Every user mistake is a UsageError (exit code 2, see src/cli/main.ts): numbers must be written in decimal
 * (no hex, no exponent for integers, no surrounding blanks), paths are checked before any work starts.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs as nodeParseArgs } from 'node:util';
import { parseSeed, resolveSeed } from '../spec/seed.ts';

/** A usage or input error: one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** may be given more than once (values collected in order) */
  readonly multiple?: boolean;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

export interface ParsedArgs {
  readonly positional: string[];
  /** string flags: the value (an array for `multiple`); booleans: true; absent flags are undefined */
  readonly flags: Record<string, string | string[] | true | undefined>;
}

/** Levenshtein distance (small strings: flag and command names). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** The closest candidate within a third of the word's length (at least 2 edits), or undefined. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestD || (d === bestD && best !== undefined && c < best)) {
      best = c;
      bestD = d;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return bestD <= limit || (best !== undefined && (best.startsWith(word) || word.startsWith(best))) ? best : undefined;
}

function flagOf(token: string): string {
  const eq = token.indexOf('=');
  return eq >= 0 ? token.slice(0, eq) : token;
}

/**
 * Parse argv against specs (every command also accepts --help, reported as flags.help).
 * Throws UsageError naming the command, the flag and the rule.
 */
export function parseArgs(argv: readonly string[], specs: FlagSpecs, cmd: string): ParsedArgs {
  const all: FlagSpecs = { help: { type: 'boolean' }, ...specs };
  const names = Object.keys(all).map((n) => `--${n}`);
  // node's parser accepts short groups like -abc; every lsgd-spec flag is long, so a single dash is an error here
  for (const a of argv) {
    if (a === '--') break;
    if (/^-[^-]/.test(a) && !/^-\d/.test(a)) {
      if (a === '-h') continue;
      throw new UsageError(`${cmd}: unknown flag ${a} (flags are long: ${names.join(', ')})`);
    }
  }
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const [n, s] of Object.entries(all)) options[n] = { type: s.type, ...(s.multiple ? { multiple: true } : {}) };
  options.help = { type: 'boolean', short: 'h' };
  let parsed: ReturnType<typeof nodeParseArgs>;
  try {
    parsed = nodeParseArgs({ args: [...argv], options, strict: true, allowPositionals: true, tokens: true });
  } catch (e) {
    throw new UsageError(rephrase(e, cmd, names));
  }
  const seen = new Set<string>();
  for (const t of parsed.tokens ?? []) {
    if (t.kind !== 'option') continue;
    if (!all[t.name]?.multiple && t.name !== 'help') {
      if (seen.has(t.name)) throw new UsageError(`${cmd}: flag --${t.name} given twice (it takes one value)`);
      seen.add(t.name);
    }
    if (all[t.name]?.type === 'string' && t.value === '') throw new UsageError(`${cmd}: flag --${t.name} needs a non-empty value`);
  }
  return { positional: parsed.positionals, flags: parsed.values as ParsedArgs['flags'] };
}

/** node's parseArgs messages, as one line that names the command and the rule. */
function rephrase(e: unknown, cmd: string, names: readonly string[]): string {
  const code = (e as { code?: string }).code;
  const msg = e instanceof Error ? e.message : String(e);
  const opt = /'(-[^' ]+)/.exec(msg)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && opt !== undefined) {
    const flag = flagOf(opt);
    const guess = didYouMean(flag, names);
    return `${cmd}: unknown flag ${flag}${guess ? ` (did you mean ${guess}?)` : ''}; known flags: ${names.join(', ')}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && opt !== undefined) {
    if (/argument missing/.test(msg)) return `${cmd}: flag ${flagOf(opt)} needs a value`;
    if (/ambiguous/.test(msg)) return `${cmd}: flag ${flagOf(opt)} needs a value (a value that starts with '-' is written ${flagOf(opt)}=VALUE)`;
    if (/does not take an argument/.test(msg)) return `${cmd}: flag ${flagOf(opt)} takes no value`;
  }
  return `${cmd}: ${msg.split('\n')[0]}`;
}

/** The single value of a string flag (undefined when absent). */
export function str(a: ParsedArgs, name: string): string | undefined {
  const v = a.flags[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new Error(`args: flag --${name} is not a single-valued string flag`);
  return v;
}

/** Every value of a repeatable flag ([] when absent). */
export function list(a: ParsedArgs, name: string): string[] {
  const v = a.flags[name];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new Error(`args: flag --${name} is not a repeatable flag`);
  return v;
}

export function bool(a: ParsedArgs, name: string): boolean {
  return a.flags[name] === true;
}

const INTEGER = /^-?(0|[1-9]\d*)$/;
const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/;

/** An integer flag written in decimal digits (no sign for min >= 0, no exponent, hex or blanks) within [min, max]. */
export function intFlag(v: string | undefined, name: string, cmd: string, min: number, max: number, dflt: number): number {
  if (v === undefined) return dflt;
  if (!INTEGER.test(v)) throw new UsageError(`${cmd}: --${name} must be an integer written in decimal digits (like 42), got '${v}'`);
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${cmd}: --${name} must be in [${min}, ${max}], got ${v}`);
  return n;
}

/** A real-number flag written in decimal (like 0.5 or 1e-3; no hex, Infinity or blanks), finite and >= min. */
export function numberFlag(v: string | undefined, name: string, cmd: string, min: number, rule: string): number | undefined {
  if (v === undefined) return undefined;
  if (!DECIMAL.test(v)) throw new UsageError(`${cmd}: --${name} must be a decimal number (like 0.5 or 1e-3), got '${v}'`);
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`${cmd}: --${name} must be ${rule}, got ${v}`);
  return n;
}

/** A file to read: it must exist and be a regular file. Returns the absolute path. */
export function inputFile(path: string, flag: string, cmd: string, base: string = process.cwd()): string {
  const abs = resolve(base, path);
  if (!existsSync(abs)) throw new UsageError(`${cmd}: ${flag} ${path}: no such file`);
  if (!statSync(abs).isFile()) throw new UsageError(`${cmd}: ${flag} ${path}: not a regular file`);
  return abs;
}

/** A folder to read: it must exist and be a directory. Returns the absolute path. */
export function inputDir(path: string, flag: string, cmd: string, base: string = process.cwd()): string {
  const abs = resolve(base, path);
  if (!existsSync(abs)) throw new UsageError(`${cmd}: ${flag} ${path}: no such folder`);
  if (!statSync(abs).isDirectory()) throw new UsageError(`${cmd}: ${flag} ${path}: not a folder`);
  return abs;
}

/** A file to write: its folder must exist and the path must not be a folder. Returns the absolute path. */
export function outputFile(path: string, flag: string, cmd: string, base: string = process.cwd()): string {
  const abs = resolve(base, path);
  const dir = dirname(abs);
  if (!existsSync(dir)) throw new UsageError(`${cmd}: ${flag} ${path}: folder ${dir} does not exist`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`${cmd}: ${flag} ${path}: ${dir} is not a folder`);
  if (existsSync(abs) && statSync(abs).isDirectory()) throw new UsageError(`${cmd}: ${flag} ${path}: is a folder, not a file`);
  return abs;
}

/** One of a fixed set of words. */
export function oneOf<T extends string>(v: string | undefined, name: string, cmd: string, allowed: readonly T[], dflt: T): T {
  if (v === undefined) return dflt;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  const guess = didYouMean(v, allowed);
  throw new UsageError(`${cmd}: --${name} must be one of ${allowed.join(', ')}, got '${v}'${guess ? ` (did you mean ${guess}?)` : ''}`);
}

/** The run's seed: --seed (decimal digits, 32-bit signed), else LSGD_SEED, else one chosen from the clock. */
export function seedOf(flag: string | undefined, env: Record<string, string | undefined>, cmd: string): number {
  if (flag !== undefined) {
    if (!INTEGER.test(flag)) throw new UsageError(`${cmd}: --seed must be an integer written in decimal digits (like 42), got '${flag}'`);
    try {
      return parseSeed(flag, `${cmd}: --seed`);
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e));
    }
  }
  const raw = env.LSGD_SEED;
  if (raw !== undefined && raw !== '' && !INTEGER.test(raw)) throw new UsageError(`${cmd}: LSGD_SEED must be an integer written in decimal digits (like 42), got '${raw}'`);
  try {
    return resolveSeed(env).seed;
  } catch (e) {
    throw new UsageError(`${cmd}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
