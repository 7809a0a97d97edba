/**
 * Typed errors of the certified solvers.
 *
 * NotSeparableError: {w : y_i x_i^T w >= 1 for all i} is empty. The witness proves it exactly:
 * nonnegative rational weights u_i (summing to 1) on the listed examples with
 * sum_i u_i y_i x_i = 0 EXACTLY (checked in integer arithmetic on the dyadic data). Then for
 * every w, sum_i u_i (y_i x_i^T w) = 0, so some listed example has y_i x_i^T w <= 0 < 1: no
 * linear separator through the origin exists, not even one with positive margins (Gordan).
 */
export interface SeparabilityWitness {
  /** rows of the data (0-based) carrying positive weight */
  readonly indices: number[];
  /** exact weights u_i = numerators[k] / denominator (decimal integer strings) */
  readonly numerators: string[];
  readonly denominator: string;
  /** the same weights as decimal strings (rounded to the requested digits) */
  readonly weights: string[];
}

export class NotSeparableError extends Error {
  readonly witness: SeparabilityWitness;
  constructor(who: string, witness: SeparabilityWitness) {
    const shown = witness.indices.slice(0, 8).join(', ') + (witness.indices.length > 8 ? ', ...' : '');
    super(
      `${who}: the data are not separable through the origin: a convex combination of the signed examples ` +
        `y_i x_i at rows [${shown}] (${witness.indices.length} rows) is exactly 0, so every w has y_i x_i^T w <= 0 ` +
        `on one of them (weights in .witness)`,
    );
    this.name = 'NotSeparableError';
    this.witness = witness;
  }
}
