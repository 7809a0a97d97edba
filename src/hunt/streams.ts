/**
 * Seed streams of a hunt. Case j of theorem `id` under seed S draws every random choice from a counter-based stream
 * (Philox4x32-10, src/optimizers/rng.ts) keyed by (S, hash(id)) with counter (HUNT, j, position, 0): a pure function
 * of (S, id, j, position). Nothing depends on the worker that runs the case, on timing or on other cases, so
 * `--workers 1` and `--workers 2` see the same instances, and shards see disjoint ones.
 */
import { philox4x32 } from '../optimizers/rng.ts';

/** Counter word c0 of the hunt's streams ('HUNT'); the optimizers use small purposes (1, 2, 3), so streams never meet. */
export const HUNT_PURPOSE = 0x48554e54;

/** Where a case's choices come from: Philox key (k0 = seed, k1 = theorem hash) and the case number j (counter c1). */
export interface StreamKey {
  readonly k0: number;
  readonly k1: number;
  readonly j: number;
}

/** FNV-1a over the UTF-16 code units of s: the theorem's stream word. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The stream of case j of theorem `id` under `seed` (a 32-bit signed integer). */
export function caseStream(seed: number, id: string, j: number): StreamKey {
  if (!(Number.isInteger(seed) && seed >= -0x80000000 && seed <= 0x7fffffff)) throw new Error(`caseStream: seed must be a 32-bit signed integer, got ${seed}`);
  if (!(Number.isInteger(j) && j >= 0 && j <= 0xffffffff)) throw new Error(`caseStream: case index must be an integer in [0, 2^32), got ${j}`);
  return { k0: seed >>> 0, k1: hashString(id), j };
}

const out = new Uint32Array(4);

/** Uniform integer in [min, max] at `position` of the stream (ranges up to 2^53; one Philox block per draw). */
export function drawAt(key: StreamKey, position: number, lane: number, min: number, max: number): number {
  philox4x32(HUNT_PURPOSE, key.j, position, lane, key.k0, key.k1, out);
  const size = max - min + 1;
  if (size <= 0x100000000) return Math.min(max, min + Math.floor((out[0] * size) / 0x100000000));
  const u = ((out[0] >>> 11) * 0x100000000 + out[1]) / 2 ** 53; // 53 random bits
  return Math.min(max, min + Math.floor(u * size));
}

/**
 * fast-check's bias for run j (runIdToFrequency: 2 + floor(log10(j + 1))): a fresh case j of a hunt has the same
 * distribution as run j of `fc.check`, small values and edges first, then wider.
 */
export function biasFor(j: number): number {
  return 2 + Math.floor(Math.log10(j + 1));
}

/** A small deterministic PRNG for the hunt's own decisions (which case mutates, which parent, which draws). */
export class StreamRng {
  private n = 0;
  constructor(private readonly key: StreamKey, private readonly lane: number) {}
  /** uniform integer in [0, n) */
  int(n: number): number {
    return drawAt(this.key, this.n++, this.lane, 0, n - 1);
  }
  /** uniform in [0, 1) */
  next(): number {
    return drawAt(this.key, this.n++, this.lane, 0, 0xffffffff) / 0x100000000;
  }
}
