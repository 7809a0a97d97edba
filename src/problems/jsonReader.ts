/**
 * A one-pass JSON reader for dataset files: bytes in, JS values out, with two differences from JSON.parse.
 *
 *  - An array whose elements are all numbers comes back as a `NumberArray` (its values in one Float64Array), so a
 *    200 MB matrix costs one typed array per row, never one JS value per entry, and the text is never decoded into a
 *    JS string. Numbers are read with Clinger's fast path (at most 15 significant digits and a power of ten up to
 *    10^22: an exact integer times or divided by an exact power of ten, one correctly rounded operation) and
 *    otherwise by `Number` on the token, so every value is the correctly rounded double, as JSON.parse gives.
 *  - A key repeated in one object is an error (`JsonDuplicateKey`, with the key, the path of the object, line and
 *    column), where JSON.parse silently keeps the last value.
 *
 * Bare NaN, Infinity and -Infinity tokens (Python's json.dump writes them) are read as those numbers when
 * `allowNonFinite` is set, so that the validator names them by node, row and column. Any other departure from RFC 8259
 * throws `JsonSyntax` with the byte offset; callers that need a line and column decode the text and locate the error
 * with the scanner of dataset.ts.
 */

/** The numbers of a JSON array whose elements are all numbers. */
export class NumberArray {
  constructor(readonly values: Float64Array) {}
  get length(): number {
    return this.values.length;
  }
}

export class JsonSyntax extends Error {
  constructor(readonly offset: number, what: string) {
    super(what);
  }
}

export class JsonDuplicateKey extends Error {
  constructor(readonly key: string, readonly path: string, readonly line: number, readonly column: number) {
    super(`duplicate key ${JSON.stringify(key)} in ${path} at line ${line}, column ${column}; each key may appear once in an object`);
  }
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const decoder = new TextDecoder('utf-8', { fatal: false });

/** Line and column (1-based; the column counts characters, not bytes) of a byte offset. */
export function lineColumn(buf: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < buf.length; i++) {
    const b = buf[i];
    if (b === 0x0a) {
      line++;
      column = 1;
    } else if ((b & 0xc0) !== 0x80) column++;
  }
  return { line, column };
}

export interface ReadJsonOptions {
  readonly allowNonFinite?: boolean;
  /** called with the byte offset now and then (every few megabytes) */
  readonly progress?: (offset: number, total: number) => void;
}

/** Parse the JSON text held in `buf` (UTF-8, BOM already skipped by the caller or absent). */
export function readJson(buf: Uint8Array, opts: ReadJsonOptions = {}): unknown {
  const n = buf.length;
  const allowNonFinite = opts.allowNonFinite === true;
  const progress = opts.progress;
  let nextReport = 1 << 22;
  let i = 0;
  let numScratch = new Float64Array(16);

  const fail = (what: string): never => {
    throw new JsonSyntax(i, what);
  };
  const ws = (): void => {
    while (i < n) {
      const c = buf[i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const str = (): string => {
    const start = i; // at the opening quote
    i++;
    let simple = true;
    for (;;) {
      if (i >= n) fail('unterminated string');
      const c = buf[i];
      if (c === 0x22) break;
      if (c < 0x20) fail('raw control character in a string');
      if (c === 0x5c) {
        simple = false;
        i += 2;
      } else {
        if (c >= 0x80) simple = false;
        i++;
      }
    }
    i++;
    if (simple) {
      let s = '';
      for (let k = start + 1; k < i - 1; k++) s += String.fromCharCode(buf[k]);
      return s;
    }
    try {
      return JSON.parse(decoder.decode(buf.subarray(start, i))) as string;
    } catch {
      i = start;
      return fail('invalid string');
    }
  };
  const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
  /** A number token (RFC 8259 grammar), or a bare non-finite token when allowed. */
  const num = (): number => {
    const start = i;
    let neg = false;
    if (buf[i] === 0x2d) {
      neg = true;
      i++;
    }
    if (allowNonFinite) {
      if (matchWord('Infinity')) return neg ? -Infinity : Infinity;
      if (!neg && matchWord('NaN')) return NaN;
    }
    if (i >= n || !isDigit(buf[i])) fail('invalid number');
    let mant = 0;
    let sig = 0; // significant digits taken into mant (leading zeros skipped)
    let dropped = false;
    let scale = 0; // value = mant * 10^(scale + exp)
    if (buf[i] === 0x30) i++;
    else {
      while (i < n && isDigit(buf[i])) {
        if (sig < 15) {
          mant = mant * 10 + (buf[i] - 0x30);
          sig++;
        } else {
          dropped = true;
          scale++;
        }
        i++;
      }
    }
    if (buf[i] === 0x2e) {
      i++;
      if (i >= n || !isDigit(buf[i])) fail('invalid number');
      while (i < n && isDigit(buf[i])) {
        const dgt = buf[i] - 0x30;
        if (sig < 15) {
          mant = mant * 10 + dgt;
          if (mant !== 0) sig++;
          scale--;
        } else if (dgt !== 0) dropped = true;
        i++;
      }
    }
    let exp = 0;
    if (buf[i] === 0x65 || buf[i] === 0x45) {
      i++;
      let eneg = false;
      if (buf[i] === 0x2b || buf[i] === 0x2d) {
        eneg = buf[i] === 0x2d;
        i++;
      }
      if (i >= n || !isDigit(buf[i])) fail('invalid number');
      while (i < n && isDigit(buf[i])) {
        if (exp < 1e6) exp = exp * 10 + (buf[i] - 0x30);
        i++;
      }
      if (eneg) exp = -exp;
    }
    const e10 = scale + exp;
    if (!dropped && e10 >= -22 && e10 <= 22) {
      // mant < 10^15 < 2^53 and 10^|e10| are exact doubles: one correctly rounded operation
      const v = e10 >= 0 ? mant * POW10[e10] : mant / POW10[-e10];
      return neg ? -v : v;
    }
    let s = '';
    for (let k = start; k < i; k++) s += String.fromCharCode(buf[k]);
    return Number(s);
  };
  const matchWord = (w: string): boolean => {
    for (let k = 0; k < w.length; k++) if (buf[i + k] !== w.charCodeAt(k)) return false;
    i += w.length;
    return true;
  };
  const value = (path: string): unknown => {
    ws();
    if (i >= n) fail('unexpected end of input');
    const c = buf[i];
    if (c === 0x7b) return object(path);
    if (c === 0x5b) return array(path);
    if (c === 0x22) return str();
    if (c === 0x74 && matchWord('true')) return true;
    if (c === 0x66 && matchWord('false')) return false;
    if (c === 0x6e && matchWord('null')) return null;
    if (c === 0x2d || isDigit(c) || (allowNonFinite && (c === 0x4e || c === 0x49))) return num();
    return fail('expected a JSON value');
  };
  const object = (path: string): Record<string, unknown> => {
    i++;
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    ws();
    if (buf[i] === 0x7d) {
      i++;
      return out;
    }
    for (;;) {
      ws();
      if (buf[i] !== 0x22) fail('expected a string key');
      const at = i;
      const key = str();
      if (seen.has(key)) {
        const lc = lineColumn(buf, at);
        throw new JsonDuplicateKey(key, path === '' ? 'the top-level object' : path, lc.line, lc.column);
      }
      seen.add(key);
      ws();
      if (buf[i] !== 0x3a) fail("expected ':'");
      i++;
      const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : JSON.stringify(key);
      // defineProperty: a "__proto__" key is an own property, as with JSON.parse
      Object.defineProperty(out, key, { value: value(path === '' ? name : `${path}.${name}`), enumerable: true, writable: true, configurable: true });
      ws();
      if (buf[i] === 0x2c) i++;
      else if (buf[i] === 0x7d) {
        i++;
        return out;
      } else fail("expected ',' or '}'");
    }
  };
  const array = (path: string): unknown[] | NumberArray => {
    i++;
    ws();
    if (buf[i] === 0x5d) {
      i++;
      return [];
    }
    let k = 0;
    let generic: unknown[] | null = null;
    for (;;) {
      ws();
      const c = buf[i];
      const isNum = c === 0x2d || isDigit(c) || (allowNonFinite && (c === 0x4e || c === 0x49));
      if (generic === null && isNum) {
        if (k === numScratch.length) {
          const bigger = new Float64Array(2 * k);
          bigger.set(numScratch);
          numScratch = bigger;
        }
        numScratch[k] = num();
      } else {
        if (generic === null) generic = Array.from(numScratch.subarray(0, k));
        generic.push(value(`${path}[${k}]`));
      }
      k++;
      ws();
      if (buf[i] === 0x2c) i++;
      else if (buf[i] === 0x5d) {
        i++;
        break;
      } else fail("expected ',' or ']'");
    }
    if (progress !== undefined && i >= nextReport) {
      progress(i, n);
      nextReport = i + (1 << 22);
    }
    return generic ?? new NumberArray(numScratch.slice(0, k));
  };

  const v = value('');
  ws();
  if (i < n) fail('expected the end of the input');
  return v;
}
