/**
 * `lsgd-spec serve [--subject MODULE]`: serve the built-in optimizers (or a TypeScript/JavaScript plug-in module) as
 * a subject process in lsgd-spec/2 on standard input/output (ci/PROTOCOL.md), until standard input ends.
 *   lsgd-spec check --subject-cmd "npx lsgd-spec serve"      the reference through a process boundary (protocol cost)
 */
import { pathToFileURL } from 'node:url';
import { inputFile, parseArgs, str, UsageError, type FlagSpecs } from './args.ts';
import { helpText, wantsHelp } from './help.ts';
import { EXIT_OK, guarded, outOf, type CliIo } from './io.ts';
import { builtinSubject, serveStdio, validateSubject } from '../subject/index.ts';
import type { Subject } from '../spec/types.ts';

const CMD = 'serve';

export const SERVE_FLAGS = { subject: { type: 'string' } } as const satisfies FlagSpecs;

export async function run(argv: string[], io: CliIo = {}): Promise<number> {
  return guarded(argv, io, async () => {
    if (wantsHelp(argv)) {
      outOf(io)(helpText(CMD));
      return EXIT_OK;
    }
    const a = parseArgs(argv, SERVE_FLAGS, CMD);
    if (a.positional.length > 0) throw new UsageError(`${CMD}: unexpected argument '${a.positional[0]}'`);
    const subjectFlag = str(a, 'subject');
    let subject: Subject = builtinSubject;
    let meta: Record<string, unknown> = {};
    if (subjectFlag !== undefined) {
      const file = inputFile(subjectFlag, '--subject', CMD);
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      subject = validateSubject(mod.subject ?? mod.builtinSubject ?? mod.default, `${CMD}: --subject ${subjectFlag}`);
      meta = { precision: mod.precision, sampler: mod.sampler, name: mod.name };
    }
    // the channel is stdout: anything else the optimizers print goes to stderr
    const write = process.stdout.write.bind(process.stdout);
    console.log = (...x: unknown[]) => console.error(...x);
    await serveStdio(subject, { ...(meta as object), name: (meta.name as string | undefined) ?? (subjectFlag === undefined ? 'lsgd-spec built-in optimizers' : subjectFlag) }, process.stdin, (l) => write(l));
    return EXIT_OK;
  });
}
