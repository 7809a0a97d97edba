/**
 * lsgd-spec command-line entry point. Only dispatch lives here: each command is a module in src/cli/ exporting
 * `run(argv, io) => Promise<number>` (the exit code; errors are one line on stderr, see src/cli/io.ts).
 * Exit codes everywhere: 0 all as expected, 1 a theorem failed, 2 usage or input error.
 */
import { didYouMean } from './args.ts';
import { helpText, HELP, mainHelp } from './help.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, messageOf, type CliIo } from './io.ts';

type Command = (argv: string[], io?: CliIo) => Promise<number>;

/** Literal specifiers, so the compiled package imports the compiled modules. */
const COMMANDS: Record<string, () => Promise<{ run: Command }>> = {
  check: () => import('./check.ts'),
  solve: () => import('./solve.ts'),
  sample: () => import('./sample.ts'),
  report: () => import('./report.ts'),
  mutants: () => import('./mutants.ts'),
  serve: () => import('./serve.ts'),
  hunt: () => import('./hunt.ts'),
};

export async function main(argv: string[], io: CliIo = {}): Promise<number> {
  const out = io.out ?? ((s: string) => void process.stdout.write(s + '\n'));
  const err = io.err ?? ((s: string) => void process.stderr.write(s + '\n'));
  const [cmd, ...rest] = argv;
  if (cmd === undefined) {
    err(mainHelp());
    return EXIT_USAGE;
  }
  if (cmd === '--help' || cmd === '-h') {
    out(mainHelp());
    return EXIT_OK;
  }
  if (cmd === 'help') {
    const topic = rest[0];
    if (topic === undefined) out(mainHelp());
    else if (HELP[topic] !== undefined) out(helpText(topic));
    else {
      err(`lsgd-spec: help: unknown command '${topic}' (commands: ${Object.keys(COMMANDS).join(', ')})`);
      return EXIT_USAGE;
    }
    return EXIT_OK;
  }
  const load = COMMANDS[cmd];
  if (load === undefined) {
    const guess = didYouMean(cmd, Object.keys(COMMANDS));
    err(`lsgd-spec: unknown command '${cmd}'${guess ? ` (did you mean ${guess}?)` : ''}; commands: ${Object.keys(COMMANDS).join(', ')} (lsgd-spec --help)`);
    return EXIT_USAGE;
  }
  const mod = await load();
  return mod.run(rest, io);
}

/** Run as a program: exit with the command's code; an unexpected error is one line and exit code 1. */
export async function cli(argv: string[]): Promise<void> {
  let code: number;
  try {
    code = await main(argv);
  } catch (e) {
    process.stderr.write(`lsgd-spec: ${messageOf(e)}\n`);
    code = EXIT_FAILED;
  }
  // let stdout drain before exiting (a pipe may still hold the report)
  process.exitCode = code;
  if (process.stdout.writableNeedDrain) process.stdout.once('drain', () => process.exit(code));
  else process.exit(code);
}

const isEntry = process.argv[1] !== undefined && /cli[\\/]main\.[jt]s$/.test(process.argv[1]);
if (isEntry) void cli(process.argv.slice(2));
