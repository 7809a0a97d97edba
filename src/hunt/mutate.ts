/**
 * Mutations of a choice sequence (tape.ts), in the generator's own parameter space: a child is a parent's tape with
 * a few draws changed, regenerated through the same arbitrary, so it meets the theorem's hypotheses by construction.
 * Each draw was recorded with its range [min, max], and every mutated value stays inside it. The operators are
 * generic (they know nothing of any theorem), in the style of fuzzers' havoc stage and Hypothesis's mutator:
 *
 *   max, min    a draw set to an end of its range (boundary values: largest L, heaviest weight, ...)
 *   step        a draw moved by +-1..3 (hill climbing on a near miss: one more local step, one more sample)
 *   rand        a draw redrawn uniformly in its range
 *   skew        around a draw, every draw of the same range within WINDOW positions set to min, that one to max
 *               (one dominant entry of a vector: the imbalance that heterogeneous data are about)
 *   splice      a block copied from a second member of the population (crossover), where the draws' ranges agree
 *   reroll      the tape cut at a draw: everything after it is drawn fresh from the child's own stream
 */
import type { Population } from './population.ts';
import type { StreamRng } from './streams.ts';
import type { Tape } from './tape.ts';

export const WINDOW = 24;

export interface Mutation {
  readonly given: number[];
  /** e.g. 'max@17 step@40' */
  readonly ops: string;
}

const OPS: readonly (readonly [string, number])[] = [['skew', 25], ['max', 10], ['min', 10], ['step', 25], ['rand', 15], ['splice', 10], ['reroll', 5]];
const TOTAL = OPS.reduce((a, [, w]) => a + w, 0);

function chooseOp(rng: StreamRng): string {
  let r = rng.int(TOTAL);
  for (const [name, w] of OPS) {
    if (r < w) return name;
    r -= w;
  }
  return OPS[0][0];
}

/** Positions whose range holds more than one value (the only ones a mutation can change). */
function free(t: Tape): number[] {
  const out: number[] = [];
  for (let i = 0; i < t.values.length; i++) if (t.maxs[i] > t.mins[i]) out.push(i);
  return out;
}

/** A child of `parent`: 1 to 3 operators applied to a copy of its tape. */
export function mutate(parent: Tape, population: Population, rng: StreamRng): Mutation {
  const given = parent.values.slice();
  const positions = free(parent);
  if (positions.length === 0) return { given, ops: 'none (no free draw)' };
  const count = 1 + rng.int(3);
  const ops: string[] = [];
  for (let n = 0; n < count; n++) {
    const op = chooseOp(rng);
    const i = positions[rng.int(positions.length)];
    if (i >= given.length) continue; // cut off by an earlier reroll
    const lo = parent.mins[i];
    const hi = parent.maxs[i];
    switch (op) {
      case 'max':
        given[i] = hi;
        break;
      case 'min':
        given[i] = lo;
        break;
      case 'step': {
        const delta = (1 + rng.int(3)) * (rng.int(2) === 0 ? -1 : 1);
        given[i] = Math.min(hi, Math.max(lo, given[i] + delta));
        break;
      }
      case 'rand':
        given[i] = lo + Math.floor(rng.next() * (hi - lo + 1));
        break;
      case 'skew':
        for (let p = Math.max(0, i - WINDOW); p < Math.min(given.length, i + WINDOW); p++) {
          if (parent.mins[p] === lo && parent.maxs[p] === hi) given[p] = lo;
        }
        given[i] = hi;
        break;
      case 'splice': {
        const other = population.any(rng).tape;
        const len = 1 + rng.int(WINDOW);
        for (let p = i; p < Math.min(i + len, given.length, other.values.length); p++) {
          if (other.mins[p] === parent.mins[p] && other.maxs[p] === parent.maxs[p]) given[p] = other.values[p]; // same kind of draw
        }
        break;
      }
      case 'reroll':
        given.length = i;
        break;
    }
    ops.push(`${op}@${i}`);
  }
  return { given, ops: ops.join(' ') };
}
