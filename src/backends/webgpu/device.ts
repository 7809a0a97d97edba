/**
 * WebGPU device management (npm `webgpu`, Dawn's node binding; an optional dependency).
 *
 * acquireGpu() tries, in order: Dawn's default backend (Vulkan on Linux: NVIDIA's driver on the lent GPU machines),
 * then Mesa's OpenGL ES driver as a software adapter (llvmpipe, EGL_PLATFORM=surfaceless, WebGPU compatibility
 * mode). LSGD_WEBGPU_BACKEND=vulkan|opengles|... picks one Dawn backend only. It never throws: a missing package,
 * a missing driver or a device that fails to start come back as { ok: false, reason } with one line saying why.
 *
 * The object returned by the package's create() owns the native instance: the handle keeps it referenced for as
 * long as the device lives (dropping it lets the garbage collector tear the instance down under a live device).
 */

/// <reference types="@webgpu/types" preserve="true" />

export interface GpuHandle {
  readonly ok: true;
  /** the object create() returned; held so the native instance outlives the device */
  readonly gpu: GPU;
  readonly adapter: GPUAdapter;
  readonly device: GPUDevice;
  /** one line: Dawn backend and adapter */
  readonly description: string;
  /** set when the device is lost (the reason); a lost handle refuses new work */
  lost: string | undefined;
}

export interface GpuUnavailable {
  readonly ok: false;
  readonly reason: string;
}

interface Attempt {
  readonly backend: string | undefined;
  readonly compat: boolean;
}

const ATTEMPTS: readonly Attempt[] = [
  { backend: undefined, compat: false },
  { backend: 'opengles', compat: true },
];

const live = new Set<GpuHandle>();

const line = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

function describe(adapter: GPUAdapter, backend: string | undefined): string {
  const info = adapter.info as GPUAdapterInfo | undefined;
  const parts = [info?.vendor, info?.architecture, info?.device, info?.description].filter((s) => typeof s === 'string' && s !== '');
  return `webgpu (dawn ${backend ?? 'default backend'}${(adapter as { featureLevel?: string }).featureLevel === 'compatibility' ? ', compatibility mode' : ''}): ${parts.join(' ') || 'adapter without a name'}`;
}

/** The limits the kernel needs beyond WebGPU's defaults, as far as the adapter allows. */
function wantedLimits(adapter: GPUAdapter): Record<string, number> {
  const l = adapter.limits;
  return {
    maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
    maxBufferSize: l.maxBufferSize,
    maxComputeInvocationsPerWorkgroup: Math.min(256, l.maxComputeInvocationsPerWorkgroup),
    maxComputeWorkgroupSizeX: Math.min(256, l.maxComputeWorkgroupSizeX),
    maxStorageBuffersPerShaderStage: Math.min(8, l.maxStorageBuffersPerShaderStage),
  };
}

/** A device on the first adapter that works (see the header), or why there is none. */
export async function acquireGpu(env: Record<string, string | undefined> = process.env): Promise<GpuHandle | GpuUnavailable> {
  let mod: { create(options: string[]): GPU };
  try {
    mod = (await import('webgpu')) as unknown as { create(options: string[]): GPU };
  } catch (e) {
    return { ok: false, reason: `the optional package 'webgpu' could not be loaded (${line(e)})` };
  }
  const only = env.LSGD_WEBGPU_BACKEND;
  const attempts = only ? [{ backend: only, compat: only === 'opengles' || only === 'opengl' }] : ATTEMPTS;
  const tried: string[] = [];
  for (const a of attempts) {
    const name = a.backend ?? 'default';
    try {
      if (a.backend === 'opengles' && process.env.EGL_PLATFORM === undefined) process.env.EGL_PLATFORM = 'surfaceless';
      const gpu = mod.create(a.backend ? [`backend=${a.backend}`] : []);
      const adapter = await gpu.requestAdapter(a.compat ? ({ featureLevel: 'compatibility' } as GPURequestAdapterOptions) : undefined);
      if (adapter === null) {
        tried.push(`${name}: no adapter`);
        continue;
      }
      const device = await adapter.requestDevice({ requiredLimits: wantedLimits(adapter) });
      const handle: GpuHandle = { ok: true, gpu, adapter, device, description: describe(adapter, a.backend), lost: undefined };
      device.lost.then((info) => { handle.lost = `device lost (${info.reason}): ${info.message}`; live.delete(handle); }, () => undefined);
      live.add(handle);
      return handle;
    } catch (e) {
      tried.push(`${name}: ${line(e)}`);
    }
  }
  return { ok: false, reason: `no WebGPU adapter (${tried.join('; ')})` };
}

/** Destroy the device and drop the handle (and with it the create() object). */
export function releaseGpu(h: GpuHandle): void {
  if (!live.has(h)) return;
  live.delete(h);
  try {
    h.device.destroy();
  } catch {
    // a device that is already gone has nothing left to release
  }
}
