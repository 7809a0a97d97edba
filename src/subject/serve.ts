/**
 * A TypeScript subject served over standard input/output in lsgd-spec/2 (ci/PROTOCOL.md): `lsgd-spec serve
 * [--subject MODULE]` answers one request line with one answer line until its input ends. It lets the gate check
 * the built-in optimizers (or a plug-in) through the same process boundary as a subject in another language, which
 * is how the protocol's own cost is measured (a protocol benchmark under bench/).
 */
import { createInterface } from 'node:readline';
import type { Subject } from '../spec/types.ts';
import { subjectServer, type Request, type ServeOptions } from './protocol/server.ts';

export async function serveStdio(subject: Subject, opts: ServeOptions = {}, input: NodeJS.ReadableStream = process.stdin, write: (line: string) => void = (l) => process.stdout.write(l)): Promise<void> {
  const handle = subjectServer(subject, opts);
  const rl = createInterface({ input, crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.trim() === '') continue;
    let req: Request;
    try {
      req = JSON.parse(line) as Request;
    } catch {
      write(`${JSON.stringify({ id: -1, error: { message: `not a JSON line: ${line.slice(0, 80)}` } })}\n`);
      continue;
    }
    write(`${JSON.stringify(handle(req))}\n`);
  }
}
