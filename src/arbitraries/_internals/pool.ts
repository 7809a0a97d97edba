/**
 * A pool of small integers drawn by fast-check and read cyclically. Entries of a generated instance that are not
 * structural come from pools: fast-check shrinks a pool by dropping entries and moving them toward 0, so a shrunk
 * instance has fewer distinct values and more zeros (simpler data), and every pool, even the empty one, still maps
 * to a valid instance.
 */
export class Pool {
  constructor(private readonly values: readonly number[]) {}
  /** the i-th value, cyclically; 0 for an empty pool */
  at(i: number): number {
    const n = this.values.length;
    return n === 0 ? 0 : this.values[i % n];
  }
  get length(): number {
    return this.values.length;
  }
}
