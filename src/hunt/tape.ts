/**
 * Choice sequences (Hypothesis's "choice sequence", Maclver and Donaldson, ECOOP 2020): a fast-check arbitrary
 * draws every random choice through `Random.nextInt(min, max)` (booleans, doubles and bigints are built from it), so
 * an instance is a pure function of the list of integers it drew. `TapeRandom` is an `fc.Random` that serves those
 * integers from a tape and records each one with its range:
 *
 *   position i < given.length   the given value, mapped into the range asked now (min + (v - min) mod size)
 *   otherwise                   a fresh draw at position i of the case's seed stream (streams.ts)
 *
 * Replaying a recorded tape through the same arbitrary gives the same instance bit for bit. Changing some values of
 * a tape and regenerating (mutate.ts) gives another instance OF THE SAME ARBITRARY: whatever the arbitrary builds
 * in (the theorem's hypotheses) holds for it by construction, exactly as for a fresh draw.
 * Clones (fast-check clones the Random inside chain, gen and clone arbitraries) share the tape and read on from
 * their own position, as a cloned PRNG would.
 */
import fc from 'fast-check';
import { drawAt, type StreamKey } from './streams.ts';

/** The choices of one generated instance: value, min and max per position (holes never read are 0 in [0, 0]). */
export interface Tape {
  readonly values: number[];
  readonly mins: number[];
  readonly maxs: number[];
}

interface TapeState {
  readonly key: StreamKey;
  readonly given: ArrayLike<number>;
  readonly tape: Tape;
  /** positions already read (by this reader or a clone) */
  readonly read: boolean[];
}

/** fast-check's Random needs a pure-rand source to clone; the tape never calls it. */
const UNUSED_SOURCE = {
  clone() {
    return UNUSED_SOURCE;
  },
  next(): number {
    throw new Error('TapeRandom: the underlying generator is never used');
  },
  getState(): readonly number[] {
    return [];
  },
};

const MIN_INT = -0x80000000;
const MAX_INT = 0x7fffffff;

export class TapeRandom extends fc.Random {
  private readonly st: TapeState;
  private pos: number;

  constructor(st: TapeState, pos = 0) {
    super(UNUSED_SOURCE);
    this.st = st;
    this.pos = pos;
  }

  override clone(): TapeRandom {
    return new TapeRandom(this.st, this.pos);
  }

  override nextInt(min?: number, max?: number): number {
    const lo = min ?? MIN_INT;
    const hi = max ?? MAX_INT;
    const i = this.pos++;
    const { tape, given, key, read } = this.st;
    let v: number;
    if (read[i] === true) {
      v = intoRange(tape.values[i], lo, hi); // a clone or the main stream read this position already
    } else {
      v = i < given.length ? intoRange(given[i], lo, hi) : drawAt(key, i, 0, lo, hi);
      while (tape.values.length < i) {
        tape.values.push(0);
        tape.mins.push(0);
        tape.maxs.push(0);
      }
      tape.values[i] = v;
      tape.mins[i] = lo;
      tape.maxs[i] = hi;
      read[i] = true;
    }
    return v;
  }

  override next(bits: number): number {
    return this.nextInt(0, 2 ** bits - 1);
  }

  override nextBoolean(): boolean {
    return this.nextInt(0, 1) === 1;
  }

  override nextDouble(): number {
    const a = this.nextInt(0, 2 ** 26 - 1);
    const b = this.nextInt(0, 2 ** 27 - 1);
    return (a * 2 ** 27 + b) * 2 ** -53;
  }

  override nextBigInt(min: bigint, max: bigint): bigint {
    // 32-bit words, most significant first, reduced modulo the range size (the bias is below 2^-32 per word)
    const size = max - min + 1n;
    let acc = 0n;
    for (let s = size; s > 0n; s >>= 32n) acc = (acc << 32n) | BigInt(this.nextInt(0, 0xffffffff));
    return min + (acc % size);
  }

  override getState(): readonly number[] {
    return [this.st.key.k0, this.st.key.k1, this.st.key.j, this.pos];
  }
}

/** v mapped into [lo, hi]: itself when inside, else lo + (v - lo) mod (hi - lo + 1). */
function intoRange(v: number, lo: number, hi: number): number {
  if (v >= lo && v <= hi) return v;
  const size = hi - lo + 1;
  const r = (v - lo) % size;
  return lo + (r < 0 ? r + size : r);
}

export interface Generated<T> {
  readonly value: T;
  readonly tape: Tape;
}

/**
 * One instance of `arb` from the stream `key` with the given prefix of choices, at fast-check bias `bias`; returns the
 * instance and the full tape it read. Throws what the arbitrary throws.
 */
export function generateFromTape<T>(arb: fc.Arbitrary<T>, key: StreamKey, bias: number, given: ArrayLike<number> = []): Generated<T> {
  const tape: Tape = { values: [], mins: [], maxs: [] };
  const value = arb.generate(new TapeRandom({ key, given, tape, read: [] }), bias).value;
  return { value, tape };
}
