/**
 * Synchronous request/answer channels to a subject that lives outside the gate's thread. Theorem specs call
 * capabilities synchronously (`run(problem, hyper) => Trace`), so a call blocks the gate's thread in Atomics.wait
 * while a worker thread does the I/O, then takes the answer with receiveMessageOnPort:
 *
 *   processChannel  a command started once, in its own process group, speaking lsgd-spec/2 on stdin/stdout
 *                   (./processBridge.worker.mjs owns the process and the per-call timeout);
 *   moduleChannel   a TypeScript/JavaScript plug-in module loaded in a worker thread (./moduleHost.worker.mjs);
 *                   the gate times the call and terminates the thread when it hangs.
 *
 * A channel restarts its process or thread on the next request after a crash or a timeout. `starts` counts them.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Request, Response } from '../protocol/server.ts';

export interface ChannelFailure {
  readonly kind: 'timeout' | 'crash' | 'protocol';
  readonly message: string;
  /** the last lines the subject wrote to stderr, and stray non-protocol lines on stdout */
  readonly stderr: readonly string[];
  readonly stray: readonly string[];
}

export type Reply = { readonly ok: Response; readonly notes: readonly string[] } | { readonly fail: ChannelFailure };

export interface Channel {
  request(msg: Request, timeoutMs: number): Reply;
  /** processes or threads started so far */
  starts(): number;
  close(): void;
}

/** Escape control bytes and cut long text: what a subject writes is shown, never replayed to a terminal. */
export function sanitize(text: string, max = 300): string {
  const s = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).replace(/\n/g, ' | ');
  return s.length > max ? `${s.slice(0, max)}...` : s;
}

const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const live = new Set<number>();
let exitHook = false;

/** Kill every subject process group this gate started, when the gate exits for whatever reason. */
function watchGroup(pid: number): void {
  live.add(pid);
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const p of live) {
      try {
        process.kill(-p, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });
}

export interface ProcessChannelOptions {
  readonly cwd?: string;
  /** longest answer line accepted, in bytes (default 256 MiB) */
  readonly maxLineBytes?: number;
  readonly env?: Record<string, string | undefined>;
}

export function processChannel(command: string, opts: ProcessChannelOptions = {}): Channel {
  const flag = new Int32Array(new SharedArrayBuffer(12));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./processBridge.worker.mjs', import.meta.url), {
    workerData: { port: port2, flag, command, cwd: opts.cwd ?? process.cwd(), maxLineBytes: opts.maxLineBytes ?? 256 * 2 ** 20, env: opts.env },
    transferList: [port2],
  });
  worker.unref();
  let closed = false;
  const wait = (ms: number): unknown => {
    const r = Atomics.wait(flag, 0, 0, ms);
    const m = receiveMessageOnPort(port1);
    const pid = Atomics.load(flag, 1);
    if (pid > 0) watchGroup(pid);
    if (m === undefined) return r === 'timed-out' ? undefined : null;
    return m.message;
  };
  return {
    request(msg, timeoutMs) {
      if (closed) throw new Error('the subject channel is closed');
      const line = JSON.stringify(msg);
      Atomics.store(flag, 0, 0);
      port1.postMessage({ type: 'request', id: msg.id, line, timeoutMs });
      // the bridge answers a timeout itself; the margin covers a bridge thread that could not run at all
      const m = wait(timeoutMs + 30_000) as Record<string, unknown> | undefined | null;
      if (m === undefined || m === null) return { fail: { kind: 'crash', message: 'the bridge thread gave no answer', stderr: [], stray: [] } };
      if (typeof m.transport === 'string') {
        return { fail: { kind: m.transport as ChannelFailure['kind'], message: String(m.message), stderr: (m.stderr as string[]) ?? [], stray: (m.stray as string[]) ?? [] } };
      }
      return { ok: m.message as Response, notes: [] };
    },
    starts: () => Atomics.load(flag, 2),
    close() {
      if (closed) return;
      closed = true;
      Atomics.store(flag, 0, 0);
      port1.postMessage({ type: 'close' });
      wait(5_000);
      port1.close();
    },
  };
}

export interface ModuleChannelOptions {
  /** what the user named, for messages ("--subject my.ts") */
  readonly origin: string;
  /** forwarded plug-in output (stdout and stderr of its thread), already sanitised */
  readonly onOutput?: (line: string) => void;
}

export function moduleChannel(moduleUrl: string, opts: ModuleChannelOptions): Channel {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  let worker: Worker | null = null;
  let port: MessagePort | null = null;
  let starts = 0;
  let closed = false;
  const out = opts.onOutput ?? ((l: string) => process.stderr.write(`${l}\n`));
  const start = () => {
    const { port1, port2 } = new MessageChannel();
    const w = new Worker(new URL('./moduleHost.worker.mjs', import.meta.url), {
      workerData: { port: port2, flag, moduleUrl, serverUrl: new URL(`../protocol/server${ext}`, import.meta.url).href, origin: opts.origin },
      transferList: [port2],
      stdout: true,
      stderr: true,
    });
    const forward = (tag: string) => (chunk: Buffer | string) => {
      for (const l of String(chunk).split('\n')) if (l.trim() !== '') out(`[plug-in ${tag}] ${sanitize(l)}`);
    };
    w.stdout.on('data', forward('stdout'));
    w.stderr.on('data', forward('stderr'));
    w.on('error', () => {}); // reported through the missing answer
    w.unref();
    worker = w;
    port = port1;
    starts++;
  };
  const stop = () => {
    if (worker !== null) void worker.terminate();
    port?.close();
    worker = null;
    port = null;
  };
  return {
    request(msg, timeoutMs) {
      if (closed) throw new Error('the subject channel is closed');
      if (worker === null) start();
      Atomics.store(flag, 0, 0);
      port!.postMessage({ msg });
      const r = Atomics.wait(flag, 0, 0, timeoutMs);
      const m = receiveMessageOnPort(port!)?.message as Record<string, unknown> | undefined;
      if (m === undefined) {
        stop();
        const message = r === 'timed-out' ? `no answer within ${timeoutMs} ms (thread terminated)` : 'the plug-in thread ended without answering';
        return { fail: { kind: r === 'timed-out' ? 'timeout' : 'crash', message, stderr: [], stray: [] } };
      }
      if (m.loadError === true) stop();
      const notes = Array.isArray(m.background) ? (m.background as string[]).map((b) => `uncaught error in the plug-in's background code: ${sanitize(b)}`) : [];
      return { ok: m.message as Response, notes };
    },
    starts: () => starts,
    close() {
      closed = true;
      port?.postMessage({ type: 'close' });
      stop();
    },
  };
}
