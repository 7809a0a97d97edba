/**
 * The worker thread behind syncSubject.ts: it owns the device (and the create() object, through the handle, for the
 * worker's life), answers each request { kind, problem, hyper } with { ok, trace } or { ok: false, error }, and
 * raises the shared flag so the blocked caller wakes up.
 */
import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { planBatch } from '../plan.ts';
import type { BatchKind } from '../types.ts';
import { runPlannedBatch } from './batch.ts';
import { acquireGpu } from './device.ts';

const { port, flag } = workerData as { port: MessagePort; flag: Int32Array };

function answer(msg: unknown): void {
  port.postMessage(msg);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

const line = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

const handle = await acquireGpu();
if (!handle.ok) {
  answer({ ok: false, error: handle.reason });
  port.close();
} else {
  answer({ ok: true, description: handle.description });
  port.on('message', (req: { kind: BatchKind; problem: never; hyper: never }) => {
    void (async () => {
      try {
        const plan = planBatch({ kind: req.kind, problems: [req.problem], hypers: [req.hyper] });
        const r = await runPlannedBatch(handle, plan);
        answer({ ok: true, trace: r.traces[0] });
      } catch (e) {
        answer({ ok: false, error: line(e) });
      }
    })();
  });
}
