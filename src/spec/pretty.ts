/** Printing helpers for reporters: faithful (round-trip) value text, truncation, JSON-safe conversion. */
import fc from 'fast-check';

/** fast-check's stringify (typed arrays, nested objects, -0, NaN) cut to `max` characters. */
export function pretty(value: unknown, max = 2000): string {
  let s: string;
  try {
    s = fc.stringify(value);
  } catch {
    s = String(value);
  }
  return truncate(s, max);
}

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length - max} more characters)`;
}

/**
 * A structure that JSON.stringify keeps faithfully: typed arrays become arrays, non-finite numbers and
 * bigints become strings ('NaN', 'Infinity', '-Infinity', '12n'), functions and symbols are dropped,
 * repeated references become '[circular]'.
 */
export function toJsonSafe(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  let out: unknown;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    out = Array.from(value as unknown as ArrayLike<number | bigint>, (x) => toJsonSafe(x, seen));
  } else if (Array.isArray(value)) out = value.map((x) => toJsonSafe(x, seen) ?? null);
  else if (value instanceof Map) out = Object.fromEntries([...value].map(([k, v]) => [String(k), toJsonSafe(v, seen)]));
  else if (value instanceof Set) out = [...value].map((x) => toJsonSafe(x, seen));
  else if (value instanceof Error) out = { name: value.name, message: value.message };
  else {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const j = toJsonSafe(v, seen);
      if (j !== undefined) o[k] = j;
    }
    out = o;
  }
  seen.delete(value);
  return out;
}
