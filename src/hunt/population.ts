/**
 * The near-miss population of a theorem's hunt: the P cases that came closest to refuting it (closeness.ts), each
 * with the tape that rebuilds it. Targeted cases are mutations of its members. Ties keep the earlier case, and two
 * cases with the same instance count once (a mutation of a draw the instance does not use changes the tape, not the
 * instance; clones would crowd out diversity), so the population is a function of the cases seen, not of their
 * order of arrival.
 */
import type { Tape } from './tape.ts';
import type { StreamRng } from './streams.ts';

export interface NearMiss {
  readonly j: number;
  readonly origin: string;
  readonly bias: number;
  readonly closeness: number;
  readonly difference?: number;
  readonly allowed?: number;
  readonly tape: Tape;
  readonly instance?: string;
  readonly hyperparameters?: Record<string, unknown>;
}

/** What makes two members the same: the instance (fc.stringify) when known, else the tape. */
function memberKey(m: NearMiss): string {
  return m.instance ?? `tape:${m.tape.values.join(',')}`;
}

export class Population {
  private members: NearMiss[] = [];
  private readonly keys = new Set<string>();

  constructor(readonly size: number) {
    if (!(Number.isInteger(size) && size >= 1)) throw new Error(`Population: size must be a positive integer, got ${size}`);
  }

  get length(): number {
    return this.members.length;
  }

  /** Closeness a case must exceed to enter (-Infinity while the population is not full). */
  get bar(): number {
    return this.members.length < this.size ? -Infinity : this.members[this.members.length - 1].closeness;
  }

  best(): NearMiss | undefined {
    return this.members[0];
  }

  all(): readonly NearMiss[] {
    return this.members;
  }

  /** Offer a case; kept when it beats the bar (NaN closeness is never kept). */
  offer(m: NearMiss): void {
    if (!(m.closeness > this.bar)) return;
    const key = memberKey(m);
    if (this.keys.has(key)) return;
    let i = this.members.length;
    while (i > 0 && (this.members[i - 1].closeness < m.closeness || (this.members[i - 1].closeness === m.closeness && this.members[i - 1].j > m.j))) i--;
    this.members.splice(i, 0, m);
    this.keys.add(key);
    if (this.members.length > this.size) this.keys.delete(memberKey(this.members.pop()!));
  }

  /** A parent for mutation, biased toward the closest: rank floor(n u^2). */
  pick(rng: StreamRng): NearMiss {
    const u = rng.next();
    return this.members[Math.floor(this.members.length * u * u)];
  }

  /** Any member, uniformly (the second parent of a splice). */
  any(rng: StreamRng): NearMiss {
    return this.members[rng.int(this.members.length)];
  }
}
