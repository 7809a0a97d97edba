/**
 * `lsgd-spec mutants [--profile ci|default] [--seed S] [--mutant ID]... [--all] [--json] [--budget-ms MS] [--list]`
 * Runs the mutation report (src/gate/mutationReport.ts): every planted mutant against the properties that use what it
 * changes. Text mode prints one line per mutant on stderr as it finishes (progress), then the report on stdout. Exit code 0 iff every mutant is
 * killed and there are no mutant errors; 1 otherwise; 2 for usage errors (an unknown --mutant id included).
 */
import { bool, didYouMean, intFlag, list, oneOf, parseArgs, seedOf, str, UsageError, type FlagSpecs } from './args.ts';
import { helpText, wantsHelp } from './help.ts';
import { EXIT_FAILED, EXIT_OK, errOf, guarded, outOf, type CliIo } from './io.ts';
import { loadMutants } from '../gate/mutants/index.ts';
import { mutationReport } from '../gate/mutationReport.ts';
import { mutantLine, mutationJson, mutationText } from '../gate/mutationText.ts';
import type { ProfileName } from '../spec/types.ts';

const CMD = 'mutants';
const PROFILES: readonly ProfileName[] = ['ci', 'default'];

export const MUTANTS_FLAGS = {
  mutant: { type: 'string', multiple: true }, profile: { type: 'string' }, seed: { type: 'string' }, 'budget-ms': { type: 'string' },
  all: { type: 'boolean' }, json: { type: 'boolean' }, list: { type: 'boolean' },
} as const satisfies FlagSpecs;

export interface MutantsEnv extends CliIo {
  readonly root?: string;
}

export async function runMutants(argv: readonly string[], io: MutantsEnv = {}): Promise<number> {
  return guarded(argv, io, async () => {
    const out = outOf(io);
    const err = errOf(io);
    if (wantsHelp(argv)) {
      out(helpText(CMD));
      return EXIT_OK;
    }
    const a = parseArgs(argv, MUTANTS_FLAGS, CMD);
    if (a.positional.length > 0) throw new UsageError(`${CMD}: unexpected argument '${a.positional[0]}' (use --mutant ID)`);
    const profile = oneOf(str(a, 'profile'), 'profile', CMD, PROFILES, 'ci');
    const seed = seedOf(str(a, 'seed'), io.env ?? process.env, CMD);
    const budget = str(a, 'budget-ms');
    const timeBudgetMs = budget === undefined ? undefined : intFlag(budget, 'budget-ms', CMD, 1, 2 ** 31 - 1, 1);
    const json = bool(a, 'json');
    const ids = list(a, 'mutant');

    const { mutants, errors } = await loadMutants();
    if (bool(a, 'list')) {
      for (const e of errors) err(e);
      if (json) out(JSON.stringify(mutants.map(({ id, bug, source, affects }) => ({ id, bug, source, affects })), null, 2));
      else for (const m of mutants) out(`${m.id.padEnd(34)} ${m.affects.join(', ').padEnd(40)} ${m.bug}`);
      return errors.length === 0 ? EXIT_OK : EXIT_FAILED;
    }
    // an unknown id is a usage error, found before any mutant runs
    const known = mutants.map((m) => m.id);
    for (const id of ids) {
      if (!known.includes(id)) {
        const guess = didYouMean(id, known);
        throw new UsageError(`${CMD}: unknown mutant id ${id}${guess ? ` (did you mean ${guess}?)` : ''}; lsgd-spec mutants --list names them`);
      }
    }

    const rep = await mutationReport({
      profile, seed, ids, all: bool(a, 'all'), timeBudgetMs, ...(io.root ? { root: io.root } : {}),
      onMutant: json ? undefined : (r) => err(mutantLine(r)),
    });
    if (json) out(mutationJson(rep));
    else out(mutationText(rep));
    return rep.ok ? EXIT_OK : EXIT_FAILED;
  });
}

export async function run(argv: string[], io: MutantsEnv = {}): Promise<number> {
  return runMutants(argv, io);
}
