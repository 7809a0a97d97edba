/**
 * One batch on the GPU: pack the plan (src/backends/plan.ts) into the kernel's buffers (kernel.ts), dispatch one
 * workgroup per instance, read back the recorded models, objectives and final reductions, and turn them into traces.
 * Throws one-line errors: a batch too large for the adapter's buffers, a validation error from Dawn, a lost device,
 * a model that left the f32 range.
 */
/// <reference types="@webgpu/types" preserve="true" />
import { givenMinibatch } from '../../optimizers/parts/draws.ts';
import { indicesBelow, PURPOSE, rngKey } from '../../optimizers/rng.ts';
import type { Trace } from '../../optimizers/types.ts';
import type { RunPlan } from '../plan.ts';
import type { BatchResult, FinalStats } from '../types.ts';
import type { GpuHandle } from './device.ts';
import { KERNEL_WGSL, WORKGROUP_ROWS } from './kernel.ts';

const USAGE = { MAP_READ: 1, COPY_SRC: 4, COPY_DST: 8, UNIFORM: 64, STORAGE: 128 } as const;
const MAP_READ = 1;
const NONE = 0xffffffff;
const LOSS_CODE: Record<string, number> = { squared: 0, exponential: 1, logistic: 2 };

const pipelines = new WeakMap<GPUDevice, Map<number, GPUComputePipeline>>();

function pipeline(device: GPUDevice, wg: number): GPUComputePipeline {
  let m = pipelines.get(device);
  if (!m) pipelines.set(device, (m = new Map()));
  let p = m.get(wg);
  if (!p) {
    const module = device.createShaderModule({ code: KERNEL_WGSL });
    p = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'run', constants: { WG: wg } } });
    m.set(wg, p);
  }
  return p;
}

/** Threads per workgroup: a power of two covering d and the rows of a chunk, between 32 and the adapter's limit. */
export function workgroupSize(plan: RunPlan, limit: number): number {
  const rows = Math.min(WORKGROUP_ROWS, plan.batch ?? Math.max(...plan.rows));
  const want = Math.max(32, plan.d, rows);
  let wg = 32;
  while (wg < want && wg * 2 <= Math.min(limit, WORKGROUP_ROWS)) wg *= 2;
  return wg;
}

/** Workgroup barriers one dispatch may execute (see kernel.ts: llvmpipe lost the results of much longer ones). */
export const BARRIERS_PER_DISPATCH = 1024;

/**
 * Rounds per dispatch: [r0, r1) ranges covering 0..R (one empty range when R = 0), each within
 * BARRIERS_PER_DISPATCH by the kernel's count per round: per node 2 + L (2 per 256-row chunk + 2), 2 for the
 * aggregation, and about 2 log2(256) + 4 for a recorded round's objective.
 */
export function roundChunks(plan: RunPlan): [number, number][] {
  const rowsUsed = (k: number) => plan.batch ?? plan.rows[k];
  let perRound = 2 + 2 * Math.log2(WORKGROUP_ROWS) + 4;
  for (let k = 0; k < plan.K; k++) perRound += 2 + plan.L[k] * (2 * Math.ceil(rowsUsed(k) / WORKGROUP_ROWS) + 2);
  const step = Math.max(1, Math.floor(BARRIERS_PER_DISPATCH / perRound));
  const out: [number, number][] = [];
  for (let r = 0; r < plan.R; r += step) out.push([r, Math.min(plan.R, r + step)]);
  return out.length === 0 ? [[0, 0]] : out;
}

interface Packed {
  dat: Float32Array;
  ints: Uint32Array;
  params: ArrayBuffer;
  stFloats: number;
  outFloats: number;
  offStats: number;
  nRec: number;
  hasRef: boolean;
}

function pack(plan: RunPlan, references: readonly ArrayLike<number>[] | undefined, gridX: number): Packed {
  const { B, d, K, N, R, rows, L } = plan;
  const centralSchedule = plan.kind === 'centralizedGD' && plan.instances.some((x) => typeof x.eta !== 'number');
  const S = centralSchedule ? Math.max(1, R) : 1;
  const offY = B * N * d;
  const offAlpha = offY + B * N;
  const offEta = offAlpha + B * K;
  const offW0 = offEta + B * S;
  const offRef = offW0 + B * d;
  const offInv = offRef + (references ? B * d : 0);
  const dat = new Float32Array(offInv + 2 * K);
  plan.instances.forEach((inst, b) => {
    let i = 0;
    inst.problem.nodes.forEach((nd) => {
      dat.set(nd.X.data, b * N * d + i * d);
      dat.set(nd.y, offY + b * N + i);
      i += nd.X.rows;
    });
    dat.set(inst.alpha, offAlpha + b * K);
    for (let t = 0; t < S; t++) {
      const e = inst.eta;
      dat[offEta + b * S + t] = typeof e === 'number' ? e : e.a / (e.mu * (t + e.b));
    }
    dat.set(inst.w0, offW0 + b * d);
    if (references) dat.set(references[b], offRef + b * d);
  });
  for (let k = 0; k < K; k++) {
    dat[offInv + k] = rows[k] === 0 ? 0 : 1 / (plan.batch ?? rows[k]);
    dat[offInv + K + k] = rows[k] === 0 ? 0 : 1 / rows[k];
  }
  const Lmax = Math.max(...L);
  const tMax = plan.batch === null ? 0 : R * Lmax;
  const offStart = 0;
  const offL = K + 1;
  const offRec = offL + K;
  const offRounds = offRec + R + 1;
  const offIdx = offRounds + B;
  const idxCount = plan.batch === null ? 0 : B * K * tMax * plan.batch;
  const ints = new Uint32Array(offIdx + idxCount);
  let acc = 0;
  for (let k = 0; k <= K; k++) {
    ints[offStart + k] = acc;
    if (k < K) acc += rows[k];
  }
  for (let k = 0; k < K; k++) ints[offL + k] = L[k];
  ints.fill(NONE, offRec, offRec + R + 1);
  plan.recorded.forEach((r, slot) => { ints[offRec + r] = slot; });
  plan.rounds.forEach((rb, b) => { ints[offRounds + b] = rb; });
  if (plan.batch !== null) {
    const batch = plan.batch;
    const buf = new Int32Array(batch);
    plan.instances.forEach((inst, b) => {
      const key = rngKey(inst.seed);
      for (let k = 0; k < K; k++) {
        if (!(inst.alpha[k] > 0)) continue;
        for (let t = 0; t < R * L[k]; t++) {
          if (inst.draws?.minibatches !== undefined) givenMinibatch(inst.draws, k, t, rows[k], buf, batch);
          else indicesBelow(key, PURPOSE.minibatch, k, t, rows[k], buf, batch);
          ints.set(buf, offIdx + ((b * K + k) * tMax + t) * batch);
        }
      }
    });
  }
  const nRec = plan.recorded.length;
  const offStats = B * nRec * (d + 1);
  const params = new ArrayBuffer(112);
  const u = new Uint32Array(params);
  const f = new Float32Array(params);
  u.set([B, d, K, N, R, LOSS_CODE[plan.loss.name], plan.batch ?? 0, nRec, gridX, S, references ? 1 : 0, 0,
    offY, offAlpha, offEta, offW0, offRef, offStart, offL, offRec, offInv, offIdx, tMax, offStats]);
  f[11] = plan.loss.l2 ?? 0;
  u[26] = offRounds;
  return { dat, ints, params, stFloats: B * 4 * d, outFloats: offStats + B * 6, offStats, nRec, hasRef: references !== undefined };
}

/** Run a planned batch on the device. */
export async function runPlannedBatch(h: GpuHandle, plan: RunPlan, references?: readonly ArrayLike<number>[]): Promise<BatchResult> {
  if (h.lost !== undefined) throw new Error(`webgpu ${plan.kind}: ${h.lost}`);
  const { device } = h;
  const gridX = Math.min(plan.B, device.limits.maxComputeWorkgroupsPerDimension);
  const gridY = Math.ceil(plan.B / gridX);
  const p = pack(plan, references, gridX);
  const maxBinding = device.limits.maxStorageBufferBindingSize;
  const sizes = { data: p.dat.byteLength, indices: p.ints.byteLength, scratch: p.stFloats * 4, output: p.outFloats * 4 };
  for (const [what, bytes] of Object.entries(sizes)) {
    if (bytes > maxBinding) {
      throw new Error(`webgpu ${plan.kind}: the ${what} buffer of a batch of ${plan.B} needs ${bytes} bytes, above the adapter's ${maxBinding} per binding; split the batch`);
    }
  }
  const wg = workgroupSize(plan, device.limits.maxComputeInvocationsPerWorkgroup);
  const made: GPUBuffer[] = [];
  const buffer = (size: number, usage: number) => {
    const b = device.createBuffer({ size: Math.max(16, Math.ceil(size / 4) * 4), usage });
    made.push(b);
    return b;
  };
  try {
    device.pushErrorScope('validation');
    device.pushErrorScope('out-of-memory');
    const dat = buffer(p.dat.byteLength, USAGE.STORAGE | USAGE.COPY_DST);
    const ints = buffer(p.ints.byteLength, USAGE.STORAGE | USAGE.COPY_DST);
    const st = buffer(p.stFloats * 4, USAGE.STORAGE);
    const out = buffer(p.outFloats * 4, USAGE.STORAGE | USAGE.COPY_SRC);
    const read = buffer(p.outFloats * 4, USAGE.MAP_READ | USAGE.COPY_DST);
    device.queue.writeBuffer(dat, 0, p.dat.buffer, p.dat.byteOffset, p.dat.byteLength);
    if (p.ints.byteLength > 0) device.queue.writeBuffer(ints, 0, p.ints.buffer, p.ints.byteOffset, p.ints.byteLength);
    const pipe = pipeline(device, wg);
    const enc = device.createCommandEncoder();
    const chunks = roundChunks(plan);
    for (const [r0, r1] of chunks) {
      const params = p.params.slice(0);
      new Uint32Array(params).set([r0, r1], 24);
      const uni = buffer(params.byteLength, USAGE.UNIFORM | USAGE.COPY_DST);
      device.queue.writeBuffer(uni, 0, params);
      const bind = device.createBindGroup({
        layout: pipe.getBindGroupLayout(0),
        entries: [uni, dat, ints, st, out].map((buf, binding) => ({ binding, resource: { buffer: buf } })),
      });
      const pass = enc.beginComputePass();
      pass.setPipeline(pipe);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(gridX, gridY);
      pass.end();
    }
    enc.copyBufferToBuffer(out, 0, read, 0, p.outFloats * 4);
    device.queue.submit([enc.finish()]);
    const oom = await device.popErrorScope();
    const invalid = await device.popErrorScope();
    if (invalid) throw new Error(`webgpu ${plan.kind}: Dawn rejected the batch: ${invalid.message.split('\n')[0]}`);
    if (oom) throw new Error(`webgpu ${plan.kind}: out of device memory for a batch of ${plan.B}: ${oom.message.split('\n')[0]}`);
    await read.mapAsync(MAP_READ);
    const res = new Float32Array(read.getMappedRange().slice(0));
    read.unmap();
    if (h.lost !== undefined) throw new Error(`webgpu ${plan.kind}: ${h.lost}`);
    return unpack(plan, p, res);
  } finally {
    for (const b of made) b.destroy();
  }
}

function unpack(plan: RunPlan, p: Packed, res: Float32Array): BatchResult {
  const { d, recorded } = plan;
  const eligible = plan.instances.map((inst) => inst.alpha.reduce((n, a) => n + (a > 0 ? 1 : 0), 0));
  const maxL = plan.instances.map((inst) => Math.max(0, ...plan.L.filter((_, k) => inst.alpha[k] > 0)));
  const traces: Trace[] = [];
  const stats: FinalStats[] = [];
  plan.instances.forEach((_inst, b) => {
    const models: Float64Array[] = [];
    const loss: number[] = [];
    const own = (r: number) => Math.min(r, plan.rounds[b]);
    recorded.forEach((r, slot) => {
      const base = (b * p.nRec + slot) * (d + 1);
      const w = Float64Array.from(res.subarray(base, base + d));
      for (let j = 0; j < d; j++) {
        if (!Number.isFinite(w[j])) {
          throw new Error(`webgpu ${plan.kind}: instance ${b}: the model is not finite at round ${r} (w[${j}] = ${w[j]}; the run left the f32 range or diverged)`);
        }
      }
      models.push(w);
      loss.push(res[base + d]);
    });
    const central = plan.kind === 'centralizedGD';
    traces.push({
      algorithm: plan.kind,
      rounds: recorded.map(own),
      models,
      loss,
      communications: recorded.map((r) => (central ? 0 : own(r) * eligible[b])),
      localSteps: recorded.map((r) => (central ? own(r) : own(r) * maxL[b])),
    });
    const o = p.offStats + b * 6;
    if (res[o + 5] !== plan.R) throw new Error(`webgpu ${plan.kind}: instance ${b}: the device reports ${res[o + 5]} of ${plan.R} rounds dispatched; the dispatch was cut short, so the result is refused`);
    if (!Number.isFinite(res[o + 1])) throw new Error(`webgpu ${plan.kind}: instance ${b}: the final model is not finite (norm ${res[o + 1]}; the run left the f32 range or diverged)`);
    stats.push({ loss: res[o], norm: res[o + 1], minMargin: res[o + 2], directionError: p.hasRef ? res[o + 3] : NaN, distance: p.hasRef ? res[o + 4] : NaN });
  });
  return { precision: 'f32', traces, stats };
}
