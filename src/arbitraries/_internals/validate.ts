/**
 * Validation of `<Name>Constraints` objects. Every arbitrary validates its constraints when it is built, so an
 * impossible combination throws at once with a one-line message naming the arbitrary, the rule and the values,
 * e.g. `overparameterisedRegression: constraints.minNodes (5) > constraints.maxNodes (3)`.
 */

/** Throw on keys that are not constraints of this arbitrary (a typo is never ignored silently). */
export function checkKeys(fn: string, constraints: object, known: readonly string[]): void {
  for (const k of Object.keys(constraints)) {
    if ((constraints as Record<string, unknown>)[k] !== undefined && !known.includes(k)) {
      throw new Error(`${fn}: unknown constraint '${k}' (known: ${known.join(', ')})`);
    }
  }
}

/** An integer in [lo, hi]; `undefined` gives the default. */
export function intIn(fn: string, name: string, v: number | undefined, lo: number, hi: number, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new Error(`${fn}: constraints.${name} must be an integer in [${lo}, ${hi}], got ${String(v)}`);
  }
  return v;
}

/** A finite number in [lo, hi]; `undefined` gives the default. */
export function numIn(fn: string, name: string, v: number | undefined, lo: number, hi: number, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) {
    throw new Error(`${fn}: constraints.${name} must be a finite number in [${lo}, ${hi}], got ${String(v)}`);
  }
  return v;
}

/** One of a fixed set of strings; `undefined` gives the default. */
export function oneOf<T extends string>(fn: string, name: string, v: T | undefined, allowed: readonly T[], dflt: T): T {
  if (v === undefined) return dflt;
  if (!allowed.includes(v)) {
    throw new Error(`${fn}: constraints.${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v;
}

export function bool(fn: string, name: string, v: boolean | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new Error(`${fn}: constraints.${name} must be a boolean, got ${JSON.stringify(v)}`);
  return v;
}

/** lo <= hi for a pair of constraints. */
export function ordered(fn: string, loName: string, lo: number, hiName: string, hi: number): void {
  if (lo > hi) throw new Error(`${fn}: constraints.${loName} (${lo}) > constraints.${hiName} (${hi})`);
}
