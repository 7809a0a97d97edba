/**
 * `lsgd-spec sample <arbitrary> [--seed S] [--index I] [--json] [--smoothness B]`
 * Prints one instance of a generator so that users can look at what the suite tests. The instance is the I-th value
 * (default 0) that fast-check draws with seed S (default 0): the same command prints the same instance.
 *   --json         stdout gets only the JSON (dataset format for dataset-valued arbitraries, so it can be fed to
 *                  `lsgd-spec solve --data`), the human summary goes to stderr
 *   (no --json)    the summary, then the JSON with one node (or one field) per line
 *   --smoothness   beta for `hyperparameters` (default 1)
 * Unknown names and bad flags: one line on stderr, exit code 2.
 */
import { ARBITRARY_NAMES, isArbitraryName, sampleInstance } from '../arbitraries/catalog.ts';
import { intFlag, parseArgs } from './args.ts';
import { parseSeed } from '../spec/seed.ts';

export interface SampleIo {
  readonly out?: (s: string) => void;
  readonly err?: (s: string) => void;
}

const CMD = 'sample';

export async function run(argv: string[], io: SampleIo = {}): Promise<number> {
  const out = io.out ?? ((s: string) => process.stdout.write(s + '\n'));
  const err = io.err ?? ((s: string) => process.stderr.write(s + '\n'));
  let parsed;
  let seed: number;
  let index: number;
  let beta: number | undefined;
  try {
    parsed = parseArgs(argv, { values: ['seed', 'index', 'smoothness'], booleans: ['json'] }, CMD);
    if (parsed.positional.length !== 1) {
      throw new Error(`${CMD}: expected one arbitrary name, got ${parsed.positional.length} (usage: lsgd-spec sample <arbitrary> [--seed S] [--index I] [--json]; arbitraries: ${ARBITRARY_NAMES.join(', ')})`);
    }
    const name = parsed.positional[0];
    if (!isArbitraryName(name)) throw new Error(`${CMD}: unknown arbitrary '${name}' (known: ${ARBITRARY_NAMES.join(', ')})`);
    const s = parsed.flags.seed;
    if (s === true) throw new Error(`${CMD}: flag --seed needs a value`);
    seed = s === undefined ? 0 : parseSeed(s, `${CMD}: --seed`);
    index = intFlag(parsed.flags.index, 'index', CMD, 0, 1_000_000, 0);
    const b = parsed.flags.smoothness;
    if (b !== undefined) {
      beta = b === true ? NaN : Number(b);
      if (!(beta > 0) || !Number.isFinite(beta)) throw new Error(`${CMD}: --smoothness must be a positive number, got '${String(b)}'`);
      if (name !== 'hyperparameters') throw new Error(`${CMD}: --smoothness applies only to hyperparameters, not ${name}`);
    }
  } catch (e) {
    err(e instanceof Error ? e.message : String(e));
    return 2;
  }
  const inst = sampleInstance(parsed.positional[0], seed, index, beta === undefined ? {} : { smoothness: beta });
  if (parsed.flags.json === true) {
    out(JSON.stringify(inst.json));
    err(inst.summary.join('\n'));
  } else {
    out(inst.summary.join('\n'));
    out(pretty(inst.json));
  }
  return 0;
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
