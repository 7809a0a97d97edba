/**
 * `--backend cpu|webgpu|auto` for the command line: the subject to check and its precision.
 *   cpu     the built-in reference optimizers (f64)
 *   webgpu  localGD, localSGD and centralizedGD on the GPU (f32); an error when no adapter works
 *   auto    webgpu when an adapter works, otherwise one line saying why and the cpu
 * Never crashes on a missing or broken adapter: the probe (acquireGpu) reports a reason instead of throwing.
 */
import { builtinSubject } from '../subject/builtin.ts';
import type { Subject } from '../spec/types.ts';
import type { OpenedSubject } from '../subject/open.ts';
import type { BackendName, Precision } from './types.ts';
import type { GpuHandle, GpuUnavailable } from './webgpu/device.ts';

export const BACKEND_CHOICES = ['cpu', 'webgpu', 'auto'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export interface SelectedBackend {
  readonly backend: BackendName;
  readonly precision: Precision;
  readonly subject: Subject;
  /** one line for the user (which device; or why auto fell back to the cpu) */
  readonly note: string;
}

type Probe = () => Promise<GpuHandle | GpuUnavailable>;

async function defaultProbe(): Promise<GpuHandle | GpuUnavailable> {
  const { acquireGpu } = await import('./webgpu/device.ts');
  return acquireGpu();
}

/** The subject for a --backend choice. `probe` checks for an adapter (injected by tests). */
export async function selectBackend(choice: string, probe: Probe = defaultProbe): Promise<SelectedBackend> {
  if (!(BACKEND_CHOICES as readonly string[]).includes(choice)) {
    throw new Error(`--backend must be one of ${BACKEND_CHOICES.join(', ')}, got '${choice}'`);
  }
  const cpu: SelectedBackend = { backend: 'cpu', precision: 'f64', subject: builtinSubject, note: 'backend cpu (f64 reference optimizers)' };
  if (choice === 'cpu') return cpu;
  let h: GpuHandle | GpuUnavailable;
  try {
    h = await probe();
  } catch (e) {
    h = { ok: false, reason: (e instanceof Error ? e.message : String(e)).split('\n')[0] };
  }
  if (!h.ok) {
    if (choice === 'webgpu') throw new Error(`--backend webgpu: ${h.reason}`);
    return { ...cpu, note: `backend auto: ${h.reason}; running on the cpu (f64)` };
  }
  // the probe's device only proved the adapter works; the subject's own device lives in its worker thread
  const { releaseGpu } = await import('./webgpu/device.ts');
  const description = h.description;
  releaseGpu(h);
  const { webgpuSubject } = await import('./webgpu/syncSubject.ts');
  return { backend: 'webgpu', precision: 'f32', subject: webgpuSubject(), note: `backend webgpu (f32): ${description}; only localGD, localSGD and centralizedGD` };
}

/**
 * The selected backend as the command line's opened subject: its precision goes to every theorem (ctx.precision), and
 * its replay flag (--backend cpu|webgpu) to every replay line. The note is printed through `note` once.
 */
export function openedFromBackend(b: SelectedBackend, note: (s: string) => void): OpenedSubject {
  note(b.note);
  return {
    kind: 'builtin', subject: b.subject, precision: b.precision, sampler: 'gate', flags: ` --backend ${b.backend}`,
    stats: () => ({ calls: 0, retries: 0, starts: 0 }), close: () => {},
  };
}
