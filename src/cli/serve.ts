/**
 * `lsgd-spec serve [--subject MODULE]`: serve the built-in optimizers (or a TypeScript/JavaScript plug-in module) as
 * a subject process in lsgd-spec/2 on standard input/output (ci/PROTOCOL.md), until standard input ends.
 *   lsgd-spec check --subject-cmd "npx lsgd-spec serve"      the reference through a process boundary (protocol cost)
 */
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from './args.ts';
import { builtinSubject, serveStdio, validateSubject } from '../subject/index.ts';
import type { Subject } from '../spec/types.ts';

const CMD = 'serve';

export async function run(argv: string[]): Promise<number> {
  const { positional, flags } = parseArgs(argv, { values: ['subject'] }, CMD);
  if (positional.length > 0) throw new Error(`${CMD}: unexpected argument '${positional[0]}'`);
  let subject: Subject = builtinSubject;
  let meta: Record<string, unknown> = {};
  if (typeof flags.subject === 'string') {
    const file = isAbsolute(flags.subject) ? flags.subject : join(process.cwd(), flags.subject);
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    subject = validateSubject(mod.subject ?? mod.builtinSubject ?? mod.default, `${CMD}: --subject ${flags.subject}`);
    meta = { precision: mod.precision, sampler: mod.sampler, name: mod.name };
  }
  // the channel is stdout: anything else the optimizers print goes to stderr
  const write = process.stdout.write.bind(process.stdout);
  console.log = (...a: unknown[]) => console.error(...a);
  await serveStdio(subject, { ...(meta as object), name: (meta.name as string | undefined) ?? (flags.subject === undefined ? 'lsgd-spec built-in optimizers' : String(flags.subject)) }, process.stdin, (l) => write(l));
  return 0;
}
