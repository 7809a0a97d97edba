/**
 * Counter-based random numbers for the async simulator: every draw is a pure function of
 * (seed, stream, counter, index), so any job, minibatch or data point can be replayed without
 * replaying what came before it. This is the property the simulator needs: the shard drawn
 * for job j, and the minibatch of step t on shard s, must not depend on the event order.
 *
 * The mixer is murmur3's 32-bit finaliser applied to an absorbing hash of the key words; two
 * independent 32-bit outputs give a 53-bit uniform in [0, 1). It is not cryptographic; it is
 * deterministic across platforms because it only uses Math.imul, shifts and xors on int32.
 */

/** Named streams, so draws for different purposes never share a key. */
export const STREAM = {
  shard: 1,
  batch: 2,
  dataCenter: 3,
  dataPoint: 4,
  dataSplit: 5,
} as const;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function absorb(h: number, word: number): number {
  // word may be any safe integer; fold its high part in too so counters above 2^32 stay distinct
  const lo = word | 0;
  const hi = Math.floor(word / 4294967296) | 0;
  h = fmix32((h ^ Math.imul(lo, 0xcc9e2d51)) + 0x9e3779b9);
  return fmix32((h ^ Math.imul(hi, 0x1b873593)) + 0x7f4a7c15);
}

/** Uniform in [0, 1) with 53 random bits, a pure function of its four integer keys. */
export function uniform(seed: number, stream: number, counter: number, index = 0): number {
  let h = absorb(0x2545f491, seed);
  h = absorb(h, stream);
  h = absorb(h, counter);
  h = absorb(h, index);
  const a = fmix32(h ^ 0x68e31da4) >>> 5; // 27 bits
  const b = fmix32(h ^ 0xb5297a4d) >>> 6; // 26 bits
  return (a * 67108864 + b) / 9007199254740992;
}

/** Integer uniform in {0, ..., n-1}. */
export function uniformInt(n: number, seed: number, stream: number, counter: number, index = 0): number {
  return Math.min(n - 1, Math.floor(uniform(seed, stream, counter, index) * n));
}

/** Standard normal by Box-Muller from two keyed uniforms (index 2i and 2i+1). */
export function normal(seed: number, stream: number, counter: number, index = 0): number {
  const u1 = uniform(seed, stream, counter, 2 * index);
  const u2 = uniform(seed, stream, counter, 2 * index + 1);
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}
