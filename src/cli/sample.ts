/**
 * `lsgd-spec sample <arbitrary> [--seed S] [--index I] [--json] [--smoothness B]`
 * Prints one instance of a generator so that users can look at what the suite tests. The instance is the I-th value
 * (default 0) that fast-check draws with seed S (default 0): the same command prints the same instance.
 *   --json         stdout gets only the JSON (dataset format for dataset-valued arbitraries, so it can be fed to
 *                  `lsgd-spec solve --data`), the human summary goes to stderr
 *   (no --json)    the summary, then the JSON with one node (or one field) per line
 *   --smoothness   beta for `hyperparameters` (default 1)
 * Unknown names and bad flags: one line on stderr (and a JSON error object on stdout with --json), exit code 2.
 */
import { ARBITRARY_NAMES, isArbitraryName, sampleInstance } from '../arbitraries/catalog.ts';
import { bool, didYouMean, intFlag, numberFlag, parseArgs, seedOf, str, UsageError, type FlagSpecs } from './args.ts';
import { helpText, wantsHelp } from './help.ts';
import { EXIT_OK, errOf, guarded, outOf, type CliIo } from './io.ts';

export type SampleIo = CliIo;

const CMD = 'sample';

export const SAMPLE_FLAGS = { seed: { type: 'string' }, index: { type: 'string' }, smoothness: { type: 'string' }, json: { type: 'boolean' } } as const satisfies FlagSpecs;

export async function run(argv: string[], io: SampleIo = {}): Promise<number> {
  return guarded(argv, io, async () => {
    const out = outOf(io);
    const err = errOf(io);
    if (wantsHelp(argv)) {
      out(helpText(CMD));
      return EXIT_OK;
    }
    const a = parseArgs(argv, SAMPLE_FLAGS, CMD);
    if (a.positional.length !== 1) {
      throw new UsageError(`${CMD}: expected one arbitrary name, got ${a.positional.length} (usage: lsgd-spec sample <arbitrary> [--seed S] [--index I] [--json]; arbitraries: ${ARBITRARY_NAMES.join(', ')})`);
    }
    const name = a.positional[0];
    if (!isArbitraryName(name)) {
      const guess = didYouMean(name, ARBITRARY_NAMES);
      throw new UsageError(`${CMD}: unknown arbitrary '${name}'${guess ? ` (did you mean ${guess}?)` : ''} (known: ${ARBITRARY_NAMES.join(', ')})`);
    }
    // the default seed is 0 (not LSGD_SEED): `sample X` always shows the same instance
    const seed = seedOf(str(a, 'seed'), { LSGD_SEED: '0' }, CMD);
    const index = intFlag(str(a, 'index'), 'index', CMD, 0, 1_000_000, 0);
    const beta = numberFlag(str(a, 'smoothness'), 'smoothness', CMD, 0, 'a positive number');
    if (beta !== undefined) {
      if (!(beta > 0)) throw new UsageError(`${CMD}: --smoothness must be a positive number, got ${str(a, 'smoothness')}`);
      if (name !== 'hyperparameters') throw new UsageError(`${CMD}: --smoothness applies only to hyperparameters, not ${name}`);
    }
    const inst = sampleInstance(name, seed, index, beta === undefined ? {} : { smoothness: beta });
    if (bool(a, 'json')) {
      out(JSON.stringify(inst.json));
      err(inst.summary.join('\n'));
    } else {
      out(inst.summary.join('\n'));
      out(pretty(inst.json));
    }
    return EXIT_OK;
  });
}

/** JSON with each top-level field, and each node of a dataset, on its own line. */
function pretty(json: unknown): string {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return JSON.stringify(json);
  const entries = Object.entries(json as Record<string, unknown>).map(([k, v]) => {
    if (Array.isArray(v) && v.length > 0 && typeof v[0] === 'object' && v[0] !== null && !Array.isArray(v[0])) {
      return `  ${JSON.stringify(k)}: [\n${v.map((x) => `    ${JSON.stringify(x)}`).join(',\n')}\n  ]`;
    }
    return `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`;
  });
  return `{\n${entries.join(',\n')}\n}`;
}
