/**
 * `lsgd-spec --help` and `lsgd-spec <command> --help`: usage, flags and worked examples of every command.
 * A command added to src/cli/main.ts adds its entry here (test/cli/main.test.ts runs every example's flags through
 * the command's own parser, so an example cannot drift from the flags it shows).
 */

export interface CommandHelp {
  readonly summary: string;
  readonly usage: string;
  readonly flags: readonly (readonly [string, string])[];
  /** [command line after `lsgd-spec`, what it does] */
  readonly examples: readonly (readonly [string, string])[];
}

const EXIT_CODES = 'exit codes: 0 all as expected, 1 a theorem failed (or a check did not meet its expectation), 2 usage or input error';

export const HELP: Readonly<Record<string, CommandHelp>> = {
  check: {
    summary: 'check every theorem property on an optimizer (the built-in ones by default): the main job',
    usage: 'lsgd-spec check [--id ID]... [--family F] [--profile ci|default|hunt] [--seed S] [--subject MODULE | --subject-cmd COMMAND] [--json | --jsonl] [--junit FILE]',
    flags: [
      ['--id ID', 'check this theorem (repeatable: --id A --id B); default every theorem'],
      ['--family F', 'only the theorems of family F (a folder of properties)'],
      ['--profile P', 'ci (fast), default, or hunt (long searches); default: default'],
      ['--seed S', '32-bit integer seed (default LSGD_SEED, else chosen and printed); the same seed gives the same verdicts'],
      ['--path P', 'replay one counterexample (with exactly one --id; printed in every failure)'],
      ['--subject MODULE', 'a plug-in module exporting `subject` (.js/.mjs on plain node; .ts needs tsx installed)'],
      ['--subject-cmd COMMAND', 'an optimizer in any language, one long-lived process speaking lsgd-spec/2 (ci/PROTOCOL.md)'],
      ['--backend B', 'cpu, webgpu or auto: the built-in localGD, localSGD and centralizedGD on this device (webgpu computes in f32)'],
      ['--corpus DIR', 'replay the hunt\'s corpus of counterexamples first (default .lsgd/corpus when it exists)'],
      ['--cmd-timeout-ms MS', 'per-call timeout of --subject-cmd'],
      ['--runs N', 'instances per theorem instead of the profile\'s'],
      ['--budget-ms MS', 'a wall-clock budget per theorem (none by default: verdicts do not depend on the machine\'s speed)'],
      ['--root DIR', 'check another registry (DIR/properties and DIR/proofs-notes)'],
      ['--json', 'print the verdicts as one JSON array'],
      ['--jsonl', 'print JSON lines: one record per case and per theorem (ci/README.md gives the shapes)'],
      ['--junit FILE', 'also write JUnit XML, one testcase per theorem (its folder must exist)'],
      ['--allow-unexercised', 'pass even when no selected theorem applies to the subject (default: that fails)'],
      ['--no-shrink', 'report the first failure (or the case at --path) as it is; replay lines of a cut-short shrink carry it'],
    ],
    examples: [
      ['check --profile ci', 'every theorem on the built-in optimizers, CI-sized'],
      ['check --id Z-R1-min-norm --id C-1-trace-shape --seed 7', 'two theorems, seed 7'],
      ['check --subject my-optimizers.ts --profile ci --junit lsgd-junit.xml', 'gate your TypeScript plug-in, JUnit for the CI'],
      ['check --subject-cmd "python3 my_optimizers.py" --profile ci --jsonl', 'gate a Python optimizer, JSON lines on stdout'],
      ['check --id Z-R1-min-norm --seed 7 --path 3:0 --profile ci', 'replay one counterexample (failures print this line)'],
    ],
  },
  solve: {
    summary: 'certified reference solutions of a dataset: min-norm, max-margin, pl-optimum',
    usage: 'lsgd-spec solve min-norm|max-margin|pl-optimum --data FILE [--digits D] [--lambda L] [--json]',
    flags: [
      ['--data FILE', 'dataset JSON (`lsgd-spec sample ... --json` writes one); required'],
      ['--digits D', 'decimal digits of the certified answer, 6 to 300 (default 50)'],
      ['--lambda L', 'pl-optimum only: ridge weight >= 0, a decimal number (like 0.5 or 1e-3)'],
      ['--json', 'print {"w": [...], "certificate": {...}} (errors as {"error": ...})'],
    ],
    examples: [
      ['solve min-norm --data data.json', 'minimum-norm interpolator of the pooled regression data'],
      ['solve max-margin --data cls.json --digits 30 --json', 'hard-margin SVM direction, 30 digits, as JSON'],
      ['solve pl-optimum --data cls.json --lambda 0.01', 'regularised logistic optimum F* and its minimiser'],
    ],
  },
  sample: {
    summary: 'print an instance of a generator (what the suite tests)',
    usage: 'lsgd-spec sample <arbitrary> [--seed S] [--index I] [--smoothness B] [--json]',
    flags: [
      ['--seed S', 'fast-check seed (default 0)'],
      ['--index I', 'the I-th instance drawn with that seed (default 0)'],
      ['--smoothness B', 'hyperparameters only: beta > 0 (default 1)'],
      ['--json', 'only the JSON on stdout (a dataset file for `solve --data`), the summary on stderr'],
    ],
    examples: [
      ['sample overparameterisedRegression --seed 3', 'one regression instance, readable'],
      ['sample separableClassification --json > cls.json', 'a dataset file for `lsgd-spec solve --data cls.json`'],
      ['sample hyperparameters --smoothness 2 --index 4', 'the fifth hyperparameter draw for beta = 2'],
    ],
  },
  report: {
    summary: 'evidence report: Markdown, or with --html the static evidence site with plots',
    usage: 'lsgd-spec report [--out FILE|DIR] [--profile ci|default|hunt] [--seed S] [--family F] [--mutants] [--subject MODULE | --subject-cmd COMMAND] [--html [--from RUN.jsonl]]',
    flags: [
      ['--out FILE', 'write the report there (its folder must exist); default stdout; with --html the site folder (default docs/report)'],
      ['--html', 'write the static evidence site (index, a page per theorem, plots from the run\'s own data)'],
      ['--from RUN.jsonl', 'with --html: build the site from saved run records instead of running'],
      ['--profile P', 'ci (default), default or hunt'],
      ['--seed S', 'the same seed gives the same bytes'],
      ['--family F', 'only the theorems of family F (a folder of properties)'],
      ['--mutants', 'append the mutation matrix (every planted bug and the properties that kill it)'],
      ['--subject MODULE, --subject-cmd COMMAND', 'report on your optimizer instead of the built-in ones'],
    ],
    examples: [
      ['report --seed 1 --out evidence.md', 'the whole registry, written to evidence.md'],
      ['report --family conformance --seed 3', 'one family, on stdout'],
      ['report --mutants --seed 1 --out evidence.md', 'with the mutation matrix appended'],
      ['report --html --mutants --seed 1 --out docs/report', 'the evidence site (what npm run report:html does)'],
    ],
  },
  mutants: {
    summary: 'mutation report: every planted bug must be killed by a property',
    usage: 'lsgd-spec mutants [--profile ci|default] [--seed S] [--mutant ID]... [--all] [--json] [--budget-ms MS] [--list]',
    flags: [
      ['--mutant ID', 'only this mutant (repeatable); an unknown id is a usage error'],
      ['--all', 'run every relevant property on each mutant, not only until the first kill'],
      ['--profile P', 'ci (default) or default'],
      ['--seed S', 'seed of every property run'],
      ['--budget-ms MS', 'time budget per property run'],
      ['--list', 'list the mutants and what they affect, run nothing'],
      ['--json', 'the report as JSON'],
    ],
    examples: [
      ['mutants --seed 7', 'every mutant must be killed (exit 1 names the survivors)'],
      ['mutants --mutant M02-uniform-weights --all --json', 'one mutant against every relevant property, as JSON'],
      ['mutants --list', 'what can be planted'],
    ],
  },
  hunt: {
    summary: 'falsification hunt on worker threads, part targeted at the closest cases, with a counterexample corpus',
    usage: 'lsgd-spec hunt [--id ID]... [--family F] [--subject MODULE | --subject-cmd COMMAND] [--time 10m | --cases N] [--workers N] [--shard i/n] [--corpus DIR] [--seed S] [--jsonl]; hunt merge DIR... [--corpus TARGET]; hunt replay FILE...',
    flags: [
      ['--id ID', 'hunt this theorem (repeatable); default every theorem'],
      ['--family F', 'only the theorems of family F'],
      ['--profile P', 'ci, default or hunt (default hunt)'],
      ['--seed S', 'case j of a theorem always draws from the stream (S, id, j)'],
      ['--time D', 'a time budget per theorem (10m, 90s); default 10m unless --cases'],
      ['--cases N', 'a fixed number of cases per theorem'],
      ['--workers N', 'worker threads (results do not depend on N; 0 runs in this thread)'],
      ['--shard i/n', 'this machine hunts cases i, i + n, ...'],
      ['--corpus DIR', 'where counterexamples and near misses are written (default .lsgd/corpus)'],
      ['--targeted F', 'fraction of cases spent mutating the closest near misses'],
      ['--run-timeout-ms MS', 'per-case timeout'],
      ['--root DIR', 'hunt another registry'],
      ['--subject MODULE, --subject-cmd COMMAND', 'hunt on your optimizer (as check)'],
      ['--cmd-timeout-ms MS', 'per-call timeout of --subject-cmd'],
      ['--mutant ID', 'hunt on the built-in optimizers with this planted bug'],
      ['--jsonl', 'progress and results as JSON lines'],
      ['--keep-going', 'go on after the first counterexample of a theorem'],
    ],
    examples: [
      ['hunt --id Z-V3-l-uniform-rate --cases 200 --workers 2 --seed 1', 'one claim, 200 cases on 2 workers'],
      ['hunt merge shard-0 shard-1 --corpus merged', 'merge corpora from several machines without duplicates'],
    ],
  },
  serve: {
    summary: 'serve the built-in optimizers (or a plug-in module) as a subject process in lsgd-spec/2 on stdin/stdout',
    usage: 'lsgd-spec serve [--subject MODULE]',
    flags: [
      ['--subject MODULE', 'serve this plug-in module instead of the built-in optimizers'],
    ],
    examples: [
      ['check --subject-cmd "npx lsgd-spec serve" --id C-1-trace-shape --profile ci', 'the reference optimizers through a process boundary (the protocol\'s cost)'],
      ['serve --subject my-optimizers.mjs', 'your JavaScript plug-in as a subject process'],
    ],
  },
};

/** True when argv (before any `--`) asks for help. */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end >= 0 ? argv.slice(0, end) : argv).some((a) => a === '--help' || a === '-h');
}

/** The full help of one command. */
export function helpText(cmd: string): string {
  const h = HELP[cmd];
  if (h === undefined) throw new Error(`helpText: no help for command '${cmd}'`);
  const w = Math.max(...h.flags.map(([f]) => f.length));
  return [
    `lsgd-spec ${cmd}: ${h.summary}`, '', `usage: ${h.usage}`, '', 'flags:',
    ...h.flags.map(([f, d]) => `  ${f.padEnd(w)}  ${d}`), `  ${'--help'.padEnd(w)}  this help`, '', 'examples:',
    ...h.examples.flatMap(([c, d]) => [`  lsgd-spec ${c}`, `      ${d}`]), '', EXIT_CODES,
  ].join('\n');
}

/** `lsgd-spec --help`. */
export function mainHelp(): string {
  const w = Math.max(...Object.keys(HELP).map((k) => k.length));
  return [
    'usage: lsgd-spec <command> [options]   (lsgd-spec <command> --help for its flags and examples)', '', 'commands:',
    ...Object.entries(HELP).map(([k, h]) => `  ${k.padEnd(w)}  ${h.summary}`), '', 'examples:',
    ...Object.values(HELP).map((h) => `  lsgd-spec ${h.examples[0][0]}`), '', EXIT_CODES,
  ].join('\n');
}
