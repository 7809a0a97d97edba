/**
 * Counter-based random numbers: Philox4x32-10 (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as
 * 1, 2, 3", SC 2011), checked against Random123's known-answer vectors in test/optimizers/rng.test.ts.
 *
 * A random number is a pure function of a key (the seed) and a counter (what it is for), so any round, node or step
 * of a run can be recomputed on its own and the optimizer state needs to carry only the key. The counter layout
 * used by every optimizer of lsgd-spec is
 *
 *   (c0, c1, c2, c3) = (purpose, node or worker, step or round, lane)
 *
 * with the purposes below. Each Philox call gives 128 bits = two 53-bit uniforms, so lane l covers draws 2l, 2l+1.
 * Draw i of (purpose, node, step) is therefore the same whatever else the run does: the minibatch of node k at its
 * t-th local step does not depend on the number of rounds, on tau, or on which other nodes exist. That is what makes
 * 1-node Local-SGD, centralized SGD and LUPA-SGD with p = 1 agree bit for bit.
 *
 * Other helpers may use other key words (k1 = stream) to get independent streams: rngKey(seed, stream).
 */

export interface RngKey {
  /** low key word: the seed as an unsigned 32-bit integer */
  readonly k0: number;
  /** high key word: the stream (0 for the synchronous reference optimizers) */
  readonly k1: number;
}

/** Purposes (counter word c0) used by the synchronous optimizers. */
export const PURPOSE = Object.freeze({
  /** minibatch row indices: (node/worker, local step t, lane) */
  minibatch: 1,
  /** partial-participation subset: (0, round, lane) */
  participation: 2,
  /** additive Gaussian gradient noise: (worker, step t, lane) */
  gradNoise: 3,
});

/** Key from a 32-bit integer seed (signed or unsigned) and a stream number. */
export function rngKey(seed: number, stream = 0): RngKey {
  if (!Number.isInteger(seed) || seed < -0x80000000 || seed > 0xffffffff) {
    throw new Error(`rngKey: seed must be a 32-bit integer, got ${seed}`);
  }
  if (!Number.isInteger(stream) || stream < 0 || stream > 0xffffffff) {
    throw new Error(`rngKey: stream must be an integer in [0, 2^32), got ${stream}`);
  }
  return Object.freeze({ k0: seed >>> 0, k1: stream >>> 0 });
}

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two unsigned 32-bit integers (exact: each partial product is < 2^48). */
function mulhi(a: number, b: number): number {
  const lo = a * (b & 0xffff);
  const hi = a * (b >>> 16);
  return Math.floor((hi + Math.floor(lo / 65536)) / 65536) >>> 0;
}

/**
 * One Philox4x32-10 block: counter (c0..c3) and key (k0, k1), all unsigned 32-bit; the four output words go to out.
 */
export function philox4x32(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array): Uint32Array {
  let x0 = c0 >>> 0, x1 = c1 >>> 0, x2 = c2 >>> 0, x3 = c3 >>> 0;
  let a = k0 >>> 0, b = k1 >>> 0;
  for (let r = 0; r < 10; r++) {
    if (r > 0) {
      a = (a + W0) >>> 0;
      b = (b + W1) >>> 0;
    }
    const hi0 = mulhi(M0, x0);
    const lo0 = Math.imul(M0, x0) >>> 0;
    const hi1 = mulhi(M1, x2);
    const lo1 = Math.imul(M1, x2) >>> 0;
    x0 = (hi1 ^ x1 ^ a) >>> 0;
    x1 = lo1;
    x2 = (hi0 ^ x3 ^ b) >>> 0;
    x3 = lo0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
  return out;
}

const block = new Uint32Array(4);
const TWO_M53 = 2 ** -53;

function checkCounter(fn: string, v: number, name: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`${fn}: ${name} must be an integer in [0, 2^32), got ${v}`);
}

/**
 * The i-th uniform double in [0, 1) (53 random bits) of the stream (purpose, a, b) under key.
 * uniformAt(key, p, a, b, 2l) and (..., 2l+1) come from the same Philox block (lane l).
 */
export function uniformAt(key: RngKey, purpose: number, a: number, b: number, i: number): number {
  checkCounter('uniformAt', a, 'a');
  checkCounter('uniformAt', b, 'b');
  checkCounter('uniformAt', i, 'i');
  philox4x32(purpose, a, b, Math.floor(i / 2), key.k0, key.k1, block);
  const o = (i & 1) * 2;
  return ((block[o] >>> 5) * 67108864 + (block[o + 1] >>> 6)) * TWO_M53;
}

/**
 * Fill out[0..count) with uniforms in [0, 1): out[i] = uniformAt(key, purpose, a, b, i), computed two per block.
 * Allocation-free.
 */
export function uniforms(key: RngKey, purpose: number, a: number, b: number, out: Float64Array, count = out.length): Float64Array {
  checkCounter('uniforms', a, 'a');
  checkCounter('uniforms', b, 'b');
  if (!Number.isInteger(count) || count < 0 || count > out.length) {
    throw new Error(`uniforms: count must be an integer in [0, ${out.length}], got ${count}`);
  }
  for (let i = 0; i < count; i += 2) {
    philox4x32(purpose, a, b, i >>> 1, key.k0, key.k1, block);
    out[i] = ((block[0] >>> 5) * 67108864 + (block[1] >>> 6)) * TWO_M53;
    if (i + 1 < count) out[i + 1] = ((block[2] >>> 5) * 67108864 + (block[3] >>> 6)) * TWO_M53;
  }
  return out;
}

/**
 * Fill idx[0..count) with indices drawn uniformly from [0, n), with replacement: idx[i] = floor(u_i n) with
 * u_i = uniformAt(key, purpose, a, b, i). The bias of floor(u n) is below n / 2^53 per index. Allocation-free.
 */
export function indicesBelow(key: RngKey, purpose: number, a: number, b: number, n: number, idx: Int32Array, count = idx.length): Int32Array {
  if (!Number.isInteger(n) || n < 1 || n > 0x7fffffff) throw new Error(`indicesBelow: n must be an integer in [1, 2^31), got ${n}`);
  checkCounter('indicesBelow', a, 'a');
  checkCounter('indicesBelow', b, 'b');
  if (!Number.isInteger(count) || count < 0 || count > idx.length) {
    throw new Error(`indicesBelow: count must be an integer in [0, ${idx.length}], got ${count}`);
  }
  for (let i = 0; i < count; i += 2) {
    philox4x32(purpose, a, b, i >>> 1, key.k0, key.k1, block);
    idx[i] = Math.floor(((block[0] >>> 5) * 67108864 + (block[1] >>> 6)) * TWO_M53 * n);
    if (i + 1 < count) idx[i + 1] = Math.floor(((block[2] >>> 5) * 67108864 + (block[3] >>> 6)) * TWO_M53 * n);
  }
  return idx;
}

/**
 * Fill out[0..count) with standard normal draws (Box-Muller on the lane's two uniforms: lane l gives out[2l] and
 * out[2l+1]). 1 - u is used inside the log, so the argument is in (0, 1] and the result is finite. Allocation-free.
 */
export function normals(key: RngKey, purpose: number, a: number, b: number, out: Float64Array, count = out.length): Float64Array {
  checkCounter('normals', a, 'a');
  checkCounter('normals', b, 'b');
  if (!Number.isInteger(count) || count < 0 || count > out.length) {
    throw new Error(`normals: count must be an integer in [0, ${out.length}], got ${count}`);
  }
  for (let i = 0; i < count; i += 2) {
    philox4x32(purpose, a, b, i >>> 1, key.k0, key.k1, block);
    const u1 = ((block[0] >>> 5) * 67108864 + (block[1] >>> 6)) * TWO_M53;
    const u2 = ((block[2] >>> 5) * 67108864 + (block[3] >>> 6)) * TWO_M53;
    const r = Math.sqrt(-2 * Math.log(1 - u1));
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < count) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

/**
 * A uniformly random subset of `m` of the items 0..n-1 (partial Fisher-Yates driven by uniformAt(key, purpose, a, b,
 * i)), returned sorted ascending. Allocates (m-sized); not for inner loops.
 */
export function subsetOf(key: RngKey, purpose: number, a: number, b: number, n: number, m: number): number[] {
  if (!Number.isInteger(n) || n < 0) throw new Error(`subsetOf: n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(m) || m < 0 || m > n) throw new Error(`subsetOf: m must be an integer in [0, ${n}], got ${m}`);
  const items = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(uniformAt(key, purpose, a, b, i) * (n - i));
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
  return items.slice(0, m).sort((x, y) => x - y);
}
