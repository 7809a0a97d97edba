/**
 * Dataset I/O and validation: the one JSON format of lsgd-spec (src/problems/README.md, "Dataset format").
 *
 *   {"task": "regression" | "classification", "nodes": [{"X": [[...], ...], "y": [...], "weight": 1.5}, ...]}
 *
 * Every rule is checked and broken input throws a one-line Error naming the function (and file), the position
 * (0-based node, row and column indices into the JSON arrays) and the offending value. The parsed dataset holds
 * Float64Array copies: it never aliases the input arrays, and the input is never mutated.
 */
import { readFileSync } from 'node:fs';
import { JsonDuplicateKey, JsonSyntax as ReaderSyntax, NumberArray, readJson } from './jsonReader.ts';
import { concat, matToRows, vstack } from '../numeric/types.ts';
import type { Mat, Vec } from '../numeric/types.ts';
import type { DatasetJson, FederatedDataset, NodeData, Task } from './types.ts';

const TASKS: readonly Task[] = ['regression', 'classification'];
const TOP_KEYS = ['task', 'nodes'];
const NODE_KEYS = ['X', 'y', 'weight'];

/**
 * Validate a JSON value (already parsed, or a JS object of the same shape) and convert it to a FederatedDataset.
 * `source` (e.g. a file name) is put into error messages: `parseDataset: data.json: node 2, row 3, ...`.
 */
export function parseDataset(json: unknown, source?: string): FederatedDataset {
  return validate(source === undefined ? 'parseDataset' : `parseDataset: ${oneLine(source)}`, json);
}

export interface LoadOptions {
  /** called now and then while the file is read: bytes read so far and the file size */
  readonly progress?: (bytes: number, total: number) => void;
}

/**
 * Read a dataset file (UTF-8 JSON, an optional BOM is skipped), parse and validate it. The file is read once as bytes
 * (src/problems/jsonReader.ts): rows of numbers go straight into Float64Arrays, and a key repeated in one object is an
 * error naming the key, the object and the line, where JSON.parse would silently keep the last value.
 */
export function loadDataset(path: string, opts: LoadOptions = {}): FederatedDataset {
  const where = `loadDataset: ${oneLine(path)}`;
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new Error(`${where}: cannot read the file (${oneLine(e instanceof Error ? e.message : String(e))})`);
  }
  const body = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
  let json: unknown;
  try {
    // Python's json.dump writes NaN, Infinity and -Infinity as bare tokens (not JSON). They are read as those numbers
    // so that the validator rejects them with their node, row and column, instead of a bare syntax position.
    json = readJson(body, { allowNonFinite: true, progress: opts.progress });
  } catch (e) {
    if (e instanceof JsonDuplicateKey) throw new Error(`${where}: ${e.message}`);
    if (!(e instanceof ReaderSyntax)) throw e;
    // syntax errors are rare: decode the text and let the RFC 8259 scanner name line, column and what was expected
    const text = body.toString('utf8');
    throw new Error(`${where}: invalid JSON ${describeJsonError(text, e)}`);
  }
  return validate(where, json);
}

/**
 * The JSON form of a dataset (fresh plain arrays; -0 and subnormals are kept as numbers, see the README for what
 * JSON.stringify does with them). Throws if the dataset breaks a rule of the format, including a dataset whose nodes
 * all have zero rows (the format could not record its d).
 */
export function datasetToJson(ds: FederatedDataset): DatasetJson {
  const fn = 'datasetToJson';
  if (ds.task !== 'regression' && ds.task !== 'classification') {
    throw new Error(`${fn}: task ${show(ds.task)} is unknown (expected "regression" or "classification")`);
  }
  if (!Number.isInteger(ds.d) || ds.d < 1) throw new Error(`${fn}: d must be a positive integer, got ${show(ds.d)}`);
  const nodes = ds.nodes.map((nd, k) => {
    checkNodeShape(fn, ds.d, nd, k);
    const out: DatasetJson['nodes'][number] = { X: matToRows(nd.X), y: Array.from(nd.y) };
    if (nd.weight !== undefined) out.weight = nd.weight;
    return out;
  });
  if (nodes.length > 0 && nodes.every((nd) => nd.X.length === 0)) {
    throw new Error(`${fn}: every node (${nodes.length}) has zero rows, so the format cannot record d = ${ds.d}`);
  }
  const json: DatasetJson = { task: ds.task, nodes };
  validate(fn, json); // the same rules as parsing: finite values, labels, weights, at least one node
  return json;
}

/** All nodes stacked vertically (copies); offsets[k] is the first pooled row of node k (offsets.length = #nodes). */
export function pooled(ds: FederatedDataset): { X: Mat; y: Vec; offsets: number[] } {
  const offsets: number[] = [];
  let n = 0;
  ds.nodes.forEach((nd, k) => {
    checkNodeShape('pooled', ds.d, nd, k);
    offsets.push(n);
    n += nd.X.rows;
  });
  return { X: vstack(ds.nodes.map((nd) => nd.X), ds.d), y: concat(ds.nodes.map((nd) => nd.y)), offsets };
}

/** n_k, the number of rows (samples) of each node. */
export function nodeSizes(ds: FederatedDataset): number[] {
  return ds.nodes.map((nd) => nd.X.rows);
}

// ---------------------------------------------------------------------------------------------------------------

function checkNodeShape(fn: string, d: number, nd: NodeData, k: number): void {
  const { X, y } = nd;
  if (X.cols !== d) throw new Error(`${fn}: node ${k}: X has ${plural(X.cols, 'column')} but the dataset has d = ${d}`);
  if (X.data.length !== X.rows * X.cols) {
    throw new Error(`${fn}: node ${k}: X.data has ${plural(X.data.length, 'entry')} but X is ${X.rows} x ${X.cols}`);
  }
  if (y.length !== X.rows) throw new Error(`${fn}: node ${k}: y has ${plural(y.length, 'entry')} but X has ${plural(X.rows, 'row')}`);
}

function validate(where: string, json: unknown): FederatedDataset {
  const fail = (msg: string): never => {
    throw new Error(`${where}: ${msg}`);
  };
  if (!isRecord(json)) return fail(`expected an object {"task", "nodes"}, got ${show(json)}`);
  checkKeys(json, TOP_KEYS, 'unknown top-level key', fail);
  const task = json.task;
  if (task === undefined) fail('missing key "task" (expected "regression" or "classification")');
  if (!TASKS.includes(task as Task)) fail(`task ${show(task)} is unknown (expected "regression" or "classification")`);
  const nodesIn = plainArray(json.nodes);
  if (nodesIn === undefined) fail('missing key "nodes" (an array of {"X", "y", "weight"?})');
  if (!Array.isArray(nodesIn)) return fail(`"nodes" must be an array of nodes, got ${show(nodesIn)}`);
  if (nodesIn.length === 0) fail('"nodes" is empty; a dataset needs at least one node');

  // Pass 1: structure, and the width of every row. d is the most common width (ties: the first seen), so that a
  // single bad row is the one named even when it comes first.
  const K = nodesIn.length;
  const Xs: Row[][] = [];
  const ys: Row[] = [];
  const widthCount = new Map<number, number>();
  let totalRows = 0;
  for (let k = 0; k < K; k++) {
    const node: unknown = nodesIn[k];
    if (!isRecord(node)) return fail(`node ${k}: expected an object {"X", "y", "weight"?}, got ${show(node)}`);
    checkKeys(node, NODE_KEYS, `node ${k}: unknown key`, fail);
    const X = plainArray(node.X);
    const y = node.y;
    if (X === undefined) fail(`node ${k}: missing key "X" (an array of rows)`);
    if (!Array.isArray(X)) return fail(`node ${k}: "X" must be an array of rows, got ${show(X)}`);
    if (y === undefined) fail(`node ${k}: missing key "y" (an array of numbers)`);
    if (!Array.isArray(y) && !(y instanceof NumberArray)) return fail(`node ${k}: "y" must be an array of numbers, got ${show(y)}`);
    for (let r = 0; r < X.length; r++) {
      const row: unknown = X[r];
      if (!Array.isArray(row) && !(row instanceof NumberArray)) fail(`node ${k}, row ${r}: expected an array of numbers, got ${show(row)}`);
      const w = (row as Row).length;
      widthCount.set(w, (widthCount.get(w) ?? 0) + 1);
    }
    if (y.length !== X.length) fail(`node ${k}: y has ${plural(y.length, 'entry')} but X has ${plural(X.length, 'row')}`);
    totalRows += X.length;
    Xs.push(X as Row[]);
    ys.push(y as Row);
  }
  if (totalRows === 0) fail(`every node (${K}) has zero rows, so the feature dimension d is unknown`);
  let d = -1;
  let dCount = 0;
  for (const [w, c] of widthCount) {
    if (c > dCount) [d, dCount] = [w, c];
  }
  const firstAt = (w: number): string => {
    for (let k = 0; k < K; k++) {
      const r = Xs[k].findIndex((row) => row.length === w);
      if (r >= 0) return `node ${k}, row ${r}`;
    }
    return 'nowhere';
  };
  if (d === 0) fail(`${firstAt(0)}: rows have 0 columns; a dataset needs at least one feature (d >= 1)`);

  // Pass 2: widths, values, labels, weights; copy into Float64Arrays.
  const nodes: NodeData[] = [];
  let weighted = 0;
  let totalWeight = 0;
  for (let k = 0; k < K; k++) {
    const X = Xs[k];
    const y = ys[k];
    const n = X.length;
    const w0 = n > 0 ? X[0].length : d;
    if (w0 !== d && X.every((row) => row.length === w0)) {
      fail(`node ${k}, row 0: node ${k} has ${plural(w0, 'column')} in every row but d = ${d} elsewhere ` +
        `(${dCount} of ${totalRows} rows, first at ${firstAt(d)}); every node needs the same number of columns`);
    }
    const data = new Float64Array(n * d);
    for (let r = 0; r < n; r++) {
      const row = X[r];
      if (row.length !== d) {
        fail(`node ${k}, row ${r}: row has ${plural(row.length, 'column')} but d = ${d} ` +
          `(${dCount} of ${totalRows} rows); rows must not be ragged`);
      }
      if (row instanceof NumberArray) {
        // read by src/problems/jsonReader.ts: numbers already; only finiteness is left to check
        const vals = row.values;
        for (let j = 0; j < d; j++) {
          if (!Number.isFinite(vals[j])) fail(`node ${k}, row ${r}, column ${j}: value ${show(vals[j])} is not a finite number`);
        }
        data.set(vals, r * d);
        continue;
      }
      for (let j = 0; j < d; j++) {
        const v = row[j];
        if (typeof v !== 'number') fail(`node ${k}, row ${r}, column ${j}: value ${show(v)} is not a number`);
        if (!Number.isFinite(v)) fail(`node ${k}, row ${r}, column ${j}: value ${show(v)} is not a finite number`);
        data[r * d + j] = v as number;
      }
    }
    const yv = new Float64Array(n);
    const yAt = y instanceof NumberArray ? (r: number) => y.values[r] : (r: number) => y[r];
    for (let r = 0; r < n; r++) {
      const v = yAt(r);
      if (typeof v !== 'number') fail(`node ${k}, row ${r}, y: value ${show(v)} is not a number`);
      if (!Number.isFinite(v)) fail(`node ${k}, row ${r}, y: value ${show(v)} is not a finite number`);
      if (task === 'classification' && v !== 1 && v !== -1) {
        fail(`node ${k}, row ${r}, y: label ${show(v)} is not -1 or +1 (task "classification")`);
      }
      yv[r] = v as number;
    }
    const weight = (nodesIn[k] as Record<string, unknown>).weight;
    const X2: Mat = { rows: n, cols: d, data };
    if (weight === undefined) {
      nodes.push({ X: X2, y: yv });
      continue;
    }
    if (typeof weight !== 'number') fail(`node ${k}, weight: value ${show(weight)} is not a number`);
    if (!Number.isFinite(weight)) fail(`node ${k}, weight: value ${show(weight)} is not a finite number`);
    if ((weight as number) < 0) fail(`node ${k}, weight: value ${show(weight)} is negative (weights must be >= 0)`);
    weighted++;
    totalWeight += weight as number;
    nodes.push({ X: X2, y: yv, weight: weight as number });
  }
  if (weighted === K && totalWeight === 0) fail(`every node (${K}) has weight 0; the total weight must be positive`);
  if (!Number.isFinite(totalWeight)) fail(`the weights sum to ${totalWeight}; the total weight must be finite`);
  return { task: task as Task, d, nodes };
}

/** A JSON array as read from a file (numbers only: NumberArray) or given as a JS array. */
type Row = unknown[] | NumberArray;

/** Where rows or nodes are expected, an array of numbers is handed to the plain-array checks (rare, small). */
function plainArray(v: unknown): unknown {
  return v instanceof NumberArray ? Array.from(v.values) : v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && !(v instanceof NumberArray);
}

/** Unknown keys are errors (a typo like "wieght" must not be ignored); a key whose value is undefined counts as absent. */
function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], what: string, fail: (m: string) => never): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key) && obj[key] !== undefined) {
      fail(`${what} ${JSON.stringify(key)} (allowed: ${allowed.join(', ')})`);
    }
  }
}

/** A value as it appears in an error message: numbers as JS prints them (NaN, Infinity, -0), others with their type. */
function show(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return `${clip(JSON.stringify(v))} (a string)`;
  if (v === null) return 'null';
  if (v === undefined) return 'undefined (missing)';
  if (typeof v === 'bigint') return `${v}n (a bigint)`;
  if (typeof v === 'boolean') return `${v} (a boolean)`;
  if (Array.isArray(v) || v instanceof NumberArray) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function clip(s: string, max = 40): string {
  return s.length <= max ? s : `${s.slice(0, max - 3)}...`;
}

function plural(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : noun === 'entry' ? 'entries' : `${noun}s`}`;
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}

// ---------------------------------------------------------------------------------------------------------------
// JSON syntax errors. V8's messages differ between versions, some carry no position and some quote the input across
// lines, so the position is found by a small RFC 8259 scanner that runs only after JSON.parse has failed.

class JsonSyntax extends Error {
  constructor(readonly pos: number, what: string) {
    super(what);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Locate the first syntax error of `text`: its position and what was expected there. */
export function locateJsonError(text: string, opts: { readonly allowNonFinite?: boolean } = {}): { pos: number; what: string } | null {
  let i = 0;
  const found = (): string => (i < text.length ? `found ${JSON.stringify(text[i])}` : 'found the end of the input');
  const fail = (expected: string): never => {
    throw new JsonSyntax(i, `expected ${expected}, ${found()}`);
  };
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const str = (): void => {
    i++;
    for (;;) {
      if (i >= text.length) fail('the closing \'"\' of a string');
      const c = text.charCodeAt(i);
      if (c === 34) return void i++;
      if (c < 0x20) fail('no raw control character inside a string');
      if (c !== 92) i++;
      else if (text[i + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
      else if (i + 1 < text.length && '"\\/bfnrt'.includes(text[i + 1])) i += 2;
      else fail('a valid escape sequence');
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') fail('a string key');
          str();
          ws();
          if (text[i] !== ':') fail("':'");
          i++;
        }
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) return void i++;
        else fail(`',' or '${close}'`);
      }
    }
    if (c === '"') return str();
    for (const lit of ['true', 'false', 'null']) if (text.startsWith(lit, i)) return void (i += lit.length);
    if (opts.allowNonFinite === true) for (const lit of ['-Infinity', 'Infinity', 'NaN']) if (text.startsWith(lit, i)) return void (i += lit.length);
    NUMBER.lastIndex = i;
    if (NUMBER.test(text)) return void (i = NUMBER.lastIndex);
    fail('a JSON value');
  };
  try {
    value();
    ws();
    if (i < text.length) fail('the end of the input after the JSON value');
    return null;
  } catch (e) {
    if (e instanceof JsonSyntax) return { pos: e.pos, what: e.message };
    throw e;
  }
}

function describeJsonError(text: string, e: unknown): string {
  // the first error that is not a bare non-finite token (those are read as numbers and named by the validator)
  const loc = locateJsonError(text, { allowNonFinite: true }) ?? locateJsonError(text);
  if (loc === null) return `(${oneLine(e instanceof Error ? e.message : String(e))})`;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < loc.pos; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return `at line ${line}, column ${loc.pos - lineStart + 1} (position ${loc.pos}): ${loc.what}`;
}
