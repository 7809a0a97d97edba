/**
 * lsgd-spec command-line entry point. Only dispatch lives here: each command is a module
 * in src/cli/ exporting `run(argv) => Promise<number>` (the exit code). Errors are one line
 * on stderr and a non-zero exit code, never a stack trace for user mistakes.
 */
const COMMANDS: Record<string, { module: string; summary: string }> = {
  check: { module: './check.ts', summary: 'check every theorem property on the built-in optimizers (the main job)' },
  solve: { module: './solve.ts', summary: 'certified references: solve min-norm|max-margin|pl-optimum --data FILE [--digits 50] [--json]' },
  sample: { module: './sample.ts', summary: 'print an instance of a generator: sample <arbitrary> [--seed S] [--json]' },
  report: { module: './report.ts', summary: 'evidence report in Markdown: every theorem, its verdict and evidence [--out FILE] [--mutants] [--profile P] [--seed S]' },
  mutants: { module: './mutants.ts', summary: 'mutation report: every planted bug must be killed by a property [--mutant ID]... [--all] [--json]' },
  serve: { module: './serve.ts', summary: 'serve the built-in optimizers (or --subject MODULE) as a subject process in lsgd-spec/2 on stdin/stdout' },
  hunt: { module: './hunt.ts', summary: 'falsification hunt on worker threads with a corpus [--time 10m] [--workers N] [--shard i/n] [--corpus DIR] [--jsonl]; hunt merge DIR...; hunt replay FILE' },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(8)} ${v.summary}`);
  return ['usage: lsgd-spec <command> [options]', '', 'commands:', ...lines].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    console.log(usage());
    return cmd === undefined ? 2 : 0;
  }
  const entry = COMMANDS[cmd];
  if (!entry) {
    console.error(`lsgd-spec: unknown command '${cmd}' (expected one of: ${Object.keys(COMMANDS).join(', ')})`);
    return 2;
  }
  const mod = (await import(entry.module)) as { run(argv: string[]): Promise<number> };
  return mod.run(rest);
}

const isEntry = process.argv[1] !== undefined && /cli[\\/]main\.ts$/.test(process.argv[1]);
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`lsgd-spec: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
