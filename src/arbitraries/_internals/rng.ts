/**
 * A tiny deterministic PRNG for the parts of a construction that are not worth shrinking one by one (a column
 * permutation, the parents of a shear, Dirichlet proportions, oracle noise). Seeded by an integer that comes from
 * the fast-check recipe, so the same recipe gives the same instance bit for bit; seed 0 is the "simplest" choice
 * wherever a caller gives it a meaning (identity permutation, ...).
 */

/** mulberry32: 32-bit state, returns uint32 values. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = (seed | 0) ^ 0x9e3779b9;
  }
  nextU32(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** uniform in [0, 1) with 32 random bits */
  next(): number {
    return this.nextU32() / 4294967296;
  }
  /** uniform integer in [0, n) (n <= 2^32; the tiny modulo bias is irrelevant here) */
  int(n: number): number {
    return this.nextU32() % n;
  }
  /** +1 or -1 */
  sign(): number {
    return (this.nextU32() & 1) === 0 ? 1 : -1;
  }
  /** standard normal by Box-Muller (one value per call; the second is dropped to keep the stream simple) */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /** Gamma(shape, 1) by Marsaglia-Tsang (shape < 1 through the boost Gamma(shape+1) * U^(1/shape)) */
  gamma(shape: number): number {
    if (shape < 1) {
      const g = this.gamma(shape + 1);
      return g * Math.pow(1 - this.next(), 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - this.next();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }
}

/** A permutation of 0..n-1: the identity for seed 0, Fisher-Yates otherwise. */
export function permutation(n: number, seed: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  if (seed === 0) return p;
  const r = new Rng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = r.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
