/**
 * What every command shares: where output goes, and how an error ends a command. An error is one line on stderr
 * (`lsgd-spec: <command>: <rule and values>`); with --json it is also a JSON object `{"error", "exitCode"}` on
 * stdout, with --jsonl an error record (src/gate/jsonl.ts), so a machine reading stdout always gets valid data.
 * Exit codes: 0 all as expected, 1 a theorem failed (or a solver certified that no answer exists), 2 usage or
 * input error (a UsageError).
 */
import { UsageError } from './args.ts';
import { jsonlError } from '../gate/jsonl.ts';

export interface CliIo {
  readonly out?: (s: string) => void;
  readonly err?: (s: string) => void;
  readonly env?: Record<string, string | undefined>;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export function outOf(io: CliIo): (s: string) => void {
  return io.out ?? ((s: string) => void process.stdout.write(s + '\n'));
}

export function errOf(io: CliIo): (s: string) => void {
  return io.err ?? ((s: string) => void process.stderr.write(s + '\n'));
}

/** The first line of an error's message (stack traces are never shown for user mistakes). */
export function messageOf(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

/** Which machine format the command line asked for (read from the raw argv, so it holds for parse errors too). */
export function machineFormat(argv: readonly string[]): 'json' | 'jsonl' | undefined {
  const end = argv.indexOf('--');
  const flags = end >= 0 ? argv.slice(0, end) : argv;
  if (flags.includes('--jsonl')) return 'jsonl';
  if (flags.includes('--json')) return 'json';
  return undefined;
}

/** Print an error the way every command does; returns its exit code. `extra` adds fields to the JSON object. */
export function reportError(e: unknown, argv: readonly string[], io: CliIo, code?: number, extra: Record<string, unknown> = {}): number {
  const exitCode = code ?? (e instanceof UsageError ? EXIT_USAGE : EXIT_FAILED);
  const msg = messageOf(e);
  errOf(io)(`lsgd-spec: ${msg}`);
  const fmt = machineFormat(argv);
  if (fmt === 'json') outOf(io)(JSON.stringify({ error: msg, ...extra, exitCode }));
  else if (fmt === 'jsonl') outOf(io)(JSON.stringify(jsonlError(msg, exitCode, extra)));
  return exitCode;
}

/** Run a command body; errors it throws become one line (and a JSON object with --json/--jsonl) and an exit code. */
export async function guarded(argv: readonly string[], io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    return reportError(e, argv, io);
  }
}
