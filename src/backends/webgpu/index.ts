/**
 * The WebGPU backend: f32 batches of Local-GD, Local-SGD and centralized GD on one device (kernel.ts, batch.ts), as
 * a Backend (src/backends/types.ts), as a synchronous Subject for `check --backend webgpu` (syncSubject.ts), and as
 * the hunt's screen (screen.ts).
 */
import { planBatch } from '../plan.ts';
import type { Backend, BatchJob, BatchResult } from '../types.ts';
import { acquireGpu, releaseGpu } from './device.ts';
import type { GpuHandle, GpuUnavailable } from './device.ts';
import { runPlannedBatch } from './batch.ts';
import { webgpuSubject } from './syncSubject.ts';

export { acquireGpu, releaseGpu } from './device.ts';
export type { GpuHandle, GpuUnavailable } from './device.ts';
export { screen } from './screen.ts';
export { confirm, jobThrough } from './screen.ts';
export type { ScreenOptions, ScreenResult, ScreenRow, ScreenSpec } from './screen.ts';

/** A backend on the device of `handle` (which it keeps referenced, with its create() object, until dispose). */
export function webgpuBackendOn(handle: GpuHandle): Backend {
  let subject: ReturnType<Backend['subject']> | undefined;
  return Object.freeze({
    name: 'webgpu' as const,
    precision: 'f32' as const,
    description: handle.description,
    handle,
    async runBatch(job: BatchJob): Promise<BatchResult> {
      const plan = planBatch(job);
      return runPlannedBatch(handle, plan, job.references);
    },
    subject: () => (subject ??= webgpuSubject()),
    dispose: () => releaseGpu(handle),
  });
}

/** The WebGPU backend on the first adapter that works, or why there is none (never throws). */
export async function webgpuBackend(env?: Record<string, string | undefined>): Promise<Backend | GpuUnavailable> {
  const h = await acquireGpu(env);
  return h.ok ? webgpuBackendOn(h) : h;
}
