/**
 * `lsgd-spec mutants [--profile ci|default] [--seed S] [--mutant ID]... [--all] [--json] [--budget-ms MS] [--list]`
 * Runs the mutation report (src/gate/mutationReport.ts): every planted mutant against the properties that use what it
 * changes. Text mode prints one line per mutant on stderr as it finishes (progress), then the report on stdout. Exit code 0 iff every mutant is
 * killed and there are no mutant errors; 1 otherwise; 2 for usage errors (from main).
 */
import { intFlag, parseArgs } from './args.ts';
import { loadMutants } from '../gate/mutants/index.ts';
import { mutationReport } from '../gate/mutationReport.ts';
import { mutantLine, mutationJson, mutationText } from '../gate/mutationText.ts';
import { parseSeed, resolveSeed } from '../spec/seed.ts';
import type { ProfileName } from '../spec/types.ts';

const CMD = 'mutants';
const USAGE = 'usage: lsgd-spec mutants [--profile ci|default] [--seed S] [--mutant ID]... [--all] [--json] [--budget-ms MS] [--list]';
const PROFILES: readonly ProfileName[] = ['ci', 'default'];

export interface MutantsEnv {
  readonly root?: string;
  readonly env?: Record<string, string | undefined>;
  readonly out?: (s: string) => void;
  readonly err?: (s: string) => void;
}

/** Every `--mutant X` / `--mutant=X` (parseArgs keeps only the last value of a repeated flag). */
function extractMutants(argv: readonly string[]): { ids: string[]; rest: string[] } {
  const ids: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--mutant') {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${CMD}: flag --mutant needs a value`);
      ids.push(v);
    } else if (a.startsWith('--mutant=')) ids.push(a.slice('--mutant='.length));
    else rest.push(a);
  }
  return { ids, rest };
}

export async function runMutants(argv: readonly string[], io: MutantsEnv = {}): Promise<number> {
  const out = io.out ?? ((s: string) => console.log(s));
  const err = io.err ?? ((s: string) => console.error(s));
  const { ids, rest } = extractMutants(argv);
  const { positional, flags } = parseArgs(rest, { values: ['profile', 'seed', 'budget-ms'], booleans: ['all', 'json', 'list', 'help'] }, CMD);
  if (flags.help === true) {
    out(USAGE);
    return 0;
  }
  if (positional.length > 0) throw new Error(`${CMD}: unexpected argument '${positional[0]}' (use --mutant ID)`);
  const profile = (flags.profile ?? 'ci') as string;
  if (!(PROFILES as readonly string[]).includes(profile)) throw new Error(`${CMD}: --profile must be one of ${PROFILES.join(', ')}, got '${profile}'`);
  const seed = typeof flags.seed === 'string' ? parseSeed(flags.seed, `${CMD}: --seed`) : resolveSeed(io.env ?? process.env).seed;
  const timeBudgetMs = flags['budget-ms'] === undefined ? undefined : intFlag(flags['budget-ms'], 'budget-ms', CMD, 1, 2 ** 31 - 1, 1);
  const json = flags.json === true;

  if (flags.list === true) {
    const { mutants, errors } = await loadMutants();
    for (const e of errors) err(e);
    if (json) out(JSON.stringify(mutants.map(({ id, bug, source, affects }) => ({ id, bug, source, affects })), null, 2));
    else for (const m of mutants) out(`${m.id.padEnd(34)} ${m.affects.join(', ').padEnd(40)} ${m.bug}`);
    return errors.length === 0 ? 0 : 1;
  }

  const rep = await mutationReport({
    profile: profile as ProfileName, seed, ids, all: flags.all === true, timeBudgetMs, ...(io.root ? { root: io.root } : {}),
    onMutant: json ? undefined : (r) => err(mutantLine(r)),
  });
  if (json) out(mutationJson(rep));
  else out(mutationText(rep));
  return rep.ok ? 0 : 1;
}

export async function run(argv: string[]): Promise<number> {
  return runMutants(argv);
}
