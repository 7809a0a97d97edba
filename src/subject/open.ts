/**
 * Opening the subject under test: the built-in optimizers (in the gate's thread), a plug-in module (in a worker
 * thread, so it cannot hang, end or silence the gate), or a command in any language (one long-lived process per
 * gate, lsgd-spec/2 over stdin/stdout, ci/PROTOCOL.md). Every form gives the same Subject shape, plus what the
 * handshake declared (precision, sampler) and how to repeat the choice on a replay command line.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Subject } from '../spec/types.ts';
import { builtinSubject } from './builtin.ts';
import { moduleChannel, processChannel } from './channel/channels.ts';
import { protocolSubject } from './protocol/client.ts';

export type SubjectSource =
  | { readonly kind: 'builtin' }
  | { readonly kind: 'module'; readonly path: string; readonly base: string }
  | { readonly kind: 'command'; readonly command: string; readonly cwd: string };

export interface OpenOptions {
  /** per-call timeout in ms (default 60 000) */
  readonly timeoutMs?: number;
  /** warnings about the subject (one line each) */
  readonly onNote?: (line: string) => void;
  /** a plug-in module's own output (sanitised), default: stderr */
  readonly onOutput?: (line: string) => void;
  /** capability names beyond the catalogue that the registry requires (a registry checked with --root) */
  readonly extraNames?: readonly string[];
}

export interface OpenedSubject {
  readonly kind: SubjectSource['kind'];
  readonly subject: Subject;
  readonly precision: 'f64' | 'f32';
  readonly sampler: 'gate' | 'own';
  /** the flags that select this subject again, for replay lines ('' for the built-in one) */
  readonly flags: string;
  /** requests sent, retries after a crash or timeout, processes or threads started */
  stats(): { calls: number; retries: number; starts: number };
  close(): void;
}

export const DEFAULT_CALL_TIMEOUT_MS = 60_000;

/** A word for a POSIX shell: as is when it is safe, otherwise in single quotes. */
export function shellQuote(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

export async function openSubject(src: SubjectSource, opts: OpenOptions = {}): Promise<OpenedSubject> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  if (!(Number.isInteger(timeoutMs) && timeoutMs >= 1)) throw new Error(`openSubject: the per-call timeout must be a positive integer of ms, got ${timeoutMs}`);
  const timeoutFlag = opts.timeoutMs === undefined ? '' : ` --cmd-timeout-ms ${timeoutMs}`;
  if (src.kind === 'builtin') {
    return { kind: 'builtin', subject: builtinSubject, precision: 'f64', sampler: 'gate', flags: '', stats: () => ({ calls: 0, retries: 0, starts: 0 }), close: () => {} };
  }
  if (src.kind === 'module') {
    const file = isAbsolute(src.path) ? src.path : join(src.base, src.path);
    const origin = `--subject ${src.path}`;
    if (!existsSync(file)) throw new Error(`${origin}: no such file (${file})`);
    const ch = moduleChannel(pathToFileURL(file).href, { origin, onOutput: opts.onOutput });
    const p = protocolSubject(ch, { who: `plug-in ${src.path}`, timeoutMs, onNote: opts.onNote, extraNames: opts.extraNames });
    return { kind: 'module', subject: p.subject, precision: p.hello.precision, sampler: p.hello.sampler, flags: ` --subject ${shellQuote(src.path)}${timeoutFlag}`, stats: p.stats, close: p.close };
  }
  if (typeof src.command !== 'string' || src.command.trim() === '') throw new Error(`--subject-cmd: the command must be a non-empty string, got ${JSON.stringify(src.command)}`);
  const ch = processChannel(src.command, { cwd: src.cwd });
  const p = protocolSubject(ch, { who: `subject command '${src.command}'`, timeoutMs, onNote: opts.onNote, extraNames: opts.extraNames });
  return { kind: 'command', subject: p.subject, precision: p.hello.precision, sampler: p.hello.sampler, flags: ` --subject-cmd ${shellQuote(src.command)}${timeoutFlag}`, stats: p.stats, close: p.close };
}
