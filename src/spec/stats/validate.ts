/** Input checks shared by the statistics functions; each throws one line naming the function, rule and value. */
export function checkConfidence(fn: string, confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) throw new Error(`${fn}: confidence must be in (0, 1), got ${confidence}`);
}

export function checkSamples(fn: string, name: string, xs: ArrayLike<number>, minN: number): void {
  if (xs.length < minN) throw new Error(`${fn}: ${name} needs at least ${minN} samples, got ${xs.length}`);
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i])) throw new Error(`${fn}: ${name}[${i}] is ${xs[i]}, expected a finite number`);
  }
}

export type Side = 'two-sided' | 'lower' | 'upper';

/**
 * Which bounds an interval has. 'upper' bounds the parameter from above (interval (-inf, hi] or [0, hi]),
 * 'lower' from below; a one-sided interval puts the whole miss probability 1 - confidence on its one side.
 */
export function checkSide(fn: string, side: string): asserts side is Side {
  if (side !== 'two-sided' && side !== 'lower' && side !== 'upper') {
    throw new Error(`${fn}: side must be 'two-sided', 'lower' or 'upper', got '${side}'`);
  }
}

/** The upper-tail probability used for the critical value: alpha/2 two-sided, alpha one-sided. */
export function tailMass(confidence: number, side: Side): number {
  const alpha = 1 - confidence;
  return side === 'two-sided' ? alpha / 2 : alpha;
}

export interface Interval {
  readonly lo: number;
  readonly hi: number;
  readonly confidence: number;
  readonly side: Side;
  /** one line: the method and its assumptions */
  readonly method: string;
}
