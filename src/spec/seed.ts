/**
 * Seed handling shared by the test setup, the CLI and the spec runner.
 * A seed is a 32-bit signed integer (fast-check's range). LSGD_SEED overrides;
 * otherwise a seed is derived from the clock and reported as `chosen`.
 */
export interface ResolvedSeed {
  readonly seed: number;
  readonly chosen: boolean;
}

export function parseSeed(raw: string, source = 'seed'): number {
  if (!/^-?\d+$/.test(raw.trim())) {
    throw new Error(`${source}: expected an integer seed, got '${raw}'`);
  }
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < -0x80000000 || n > 0x7fffffff) {
    throw new Error(`${source}: seed ${raw} is outside the 32-bit signed range [-2147483648, 2147483647]`);
  }
  return n;
}

export function resolveSeed(env: Record<string, string | undefined>): ResolvedSeed {
  const raw = env.LSGD_SEED;
  if (raw !== undefined && raw !== '') return { seed: parseSeed(raw, 'LSGD_SEED'), chosen: false };
  return { seed: (Date.now() ^ (process.pid << 8)) | 0, chosen: true };
}
