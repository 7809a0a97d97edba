/**
 * The WebGPU backend as a Subject: synchronous RunFns (problem, hyper) => Trace for localGD, localSGD and
 * centralizedGD, as theorem specs call them. WebGPU is asynchronous (mapAsync), so the device lives in a worker
 * thread (worker.ts) and a call posts the request, blocks on Atomics.wait, and takes the answer with
 * receiveMessageOnPort. Each call is a batch of one instance. A call that does not answer within `timeoutMs`, a
 * worker that failed to start, or a missing adapter throws a one-line Error from the capability call (the runner
 * turns it into a verdict; nothing crashes).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { Trace } from '../../optimizers/types.ts';
import type { FederatedDataset } from '../../problems/types.ts';
import type { BatchKind } from '../types.ts';

export interface SyncSubjectOptions {
  /** milliseconds one call may take before it is abandoned (default 300 000) */
  readonly timeoutMs?: number;
}

interface Channel {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly flag: Int32Array;
  readonly description: string;
}

type Reply = { ok: true; trace?: Trace; description?: string } | { ok: false; error: string };

function bootSource(tsxApi: string, workerUrl: string): string {
  // an eval worker (CommonJS): register tsx, then import the TypeScript worker; report a failed start on the port
  return `
const { workerData } = require('node:worker_threads');
const fail = (e) => {
  workerData.port.postMessage({ ok: false, error: 'webgpu worker did not start: ' + String(e && e.message || e).split('\\n')[0] });
  Atomics.store(workerData.flag, 0, 1);
  Atomics.notify(workerData.flag, 0);
};
import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(workerUrl)}); }).catch(fail);
`;
}

function await1(ch: { port: MessagePort; flag: Int32Array }, timeoutMs: number, what: string): Reply {
  const r = Atomics.wait(ch.flag, 0, 0, timeoutMs);
  if (r === 'timed-out') throw new Error(`webgpu subject: ${what} gave no answer within ${timeoutMs} ms`);
  const m = receiveMessageOnPort(ch.port);
  if (m === undefined) throw new Error(`webgpu subject: ${what}: the worker signalled but sent no message`);
  return m.message as Reply;
}

function start(timeoutMs: number): Channel {
  // Mesa's EGL reads EGL_PLATFORM from the process environment, which a worker's process.env does not write to
  if (process.env.EGL_PLATFORM === undefined) process.env.EGL_PLATFORM = 'surfaceless';
  const require = createRequire(import.meta.url);
  // the ESM build of tsx's API (the CommonJS entry resolves; its sibling index.mjs is the ESM one)
  const tsxApi = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const workerUrl = new URL('./worker.ts', import.meta.url).href;
  const sab = new SharedArrayBuffer(4);
  const flag = new Int32Array(sab);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(bootSource(tsxApi, workerUrl), { eval: true, workerData: { flag, port: port2 }, transferList: [port2] });
  worker.unref();
  const reply = await1({ port: port1, flag }, timeoutMs, 'starting the device');
  if (!reply.ok) {
    void worker.terminate();
    throw new Error(`webgpu subject: ${reply.error}`);
  }
  return { worker, port: port1, flag, description: reply.description ?? 'webgpu' };
}

/** The Subject; the worker and its device start on the first call and stay for the life of the process. */
export function webgpuSubject(opts: SyncSubjectOptions = {}): Readonly<Record<BatchKind, (problem: FederatedDataset, hyper: never) => Trace>> {
  const timeoutMs = opts.timeoutMs ?? 300_000;
  let ch: Channel | undefined;
  let broken: string | undefined;
  const call = (kind: BatchKind) => (problem: FederatedDataset, hyper: never): Trace => {
    if (broken !== undefined) throw new Error(broken);
    try {
      ch ??= start(timeoutMs);
    } catch (e) {
      broken = e instanceof Error ? e.message : String(e);
      throw e;
    }
    Atomics.store(ch.flag, 0, 0);
    ch.port.postMessage({ kind, problem, hyper });
    const reply = await1(ch, timeoutMs, `${kind}`);
    if (!reply.ok) throw new Error(reply.error);
    return reply.trace!;
  };
  return Object.freeze({ localGD: call('localGD'), localSGD: call('localSGD'), centralizedGD: call('centralizedGD') });
}
