/**
 * Values across the plug-in boundary (ci/PROTOCOL.md): problems, hyperparameters and traces as JSON-shaped data, and
 * back. Both ends use these functions: the gate encodes requests and decodes traces; the TypeScript server
 * (./server.ts) decodes problems and encodes traces. Shapes are checked here with one-line errors naming the field;
 * values are the properties' business.
 */
import type { Vec } from '../../numeric/types.ts';
import type { FederatedDataset, NodeData, Task } from '../../problems/types.ts';
import type { Trace } from '../../optimizers/types.ts';
import type { AsyncProblem, AsyncTrace, Model, ModelDescriptor, Shard, UpdateRecord } from '../../optimizers/async/types.ts';
import { leastSquares } from '../../optimizers/async/models/leastSquares.ts';
import { softmaxRegression } from '../../optimizers/async/models/softmax.ts';

export const PROTOCOL = 'lsgd-spec/2';


/**
 * Replace typed arrays by plain arrays and drop undefined fields (JSON.stringify would write a Float64Array as an
 * object keyed by index); throws one line on a value JSON cannot carry (NaN, Infinity, a function).
 */
export function plain(v: unknown, where = 'value'): unknown {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const a = Array.from(v as unknown as ArrayLike<number>);
    const bad = a.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new Error(`${where}[${bad}] is ${a[bad]}, which JSON cannot carry`);
    return a;
  }
  if (Array.isArray(v)) return v.map((x, i) => plain(x, `${where}[${i}]`));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = plain(x, `${where}.${k}`);
    return out;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`${where} is ${v}, which JSON cannot carry`);
  if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw new Error(`${where} is a ${typeof v}, which JSON cannot carry`);
  return v;
}

const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

function numbers(v: unknown, what: string): number[] {
  if (!(Array.isArray(v) || v instanceof Float64Array)) throw new Error(`${what} must be an array of numbers, got ${kindOf(v)}`);
  const a = v as ArrayLike<unknown>;
  for (let i = 0; i < a.length; i++) {
    if (typeof a[i] !== 'number') throw new Error(`${what}[${i}] must be a number, got ${JSON.stringify(a[i]) ?? typeof a[i]}`);
  }
  return Array.from(a as ArrayLike<number>);
}

function object(v: unknown, what: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${what} must be an object, got ${kindOf(v)}`);
  return v as Record<string, unknown>;
}

function rowsToMat(v: unknown, cols: number, what: string): { rows: number; cols: number; data: Float64Array } {
  if (!Array.isArray(v)) throw new Error(`${what} must be an array of rows, got ${kindOf(v)}`);
  const data = new Float64Array(v.length * cols);
  v.forEach((row, i) => {
    const r = numbers(row, `${what}[${i}]`);
    if (r.length !== cols) throw new Error(`${what}[${i}] has ${r.length} entries, expected ${cols}`);
    data.set(r, i * cols);
  });
  return { rows: v.length, cols, data };
}

function matToRows(m: { rows: number; cols: number; data: ArrayLike<number> }): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from({ length: m.cols }, (_, j) => m.data[i * m.cols + j]));
  return out;
}

// ---------------------------------------------------------------------------------------------- federated problems

export function encodeFederated(p: FederatedDataset): Record<string, unknown> {
  return {
    task: p.task,
    d: p.d,
    nodes: p.nodes.map((nd) => ({ X: matToRows(nd.X), y: Array.from(nd.y), ...(nd.weight === undefined ? {} : { weight: nd.weight }) })),
  };
}

export function decodeFederated(v: unknown): FederatedDataset {
  const o = object(v, 'problem');
  if (o.task !== 'regression' && o.task !== 'classification') throw new Error(`problem.task must be 'regression' or 'classification', got ${JSON.stringify(o.task)}`);
  const d = o.d;
  if (!(typeof d === 'number' && Number.isInteger(d) && d >= 1)) throw new Error(`problem.d must be an integer >= 1, got ${JSON.stringify(d)}`);
  if (!Array.isArray(o.nodes)) throw new Error(`problem.nodes must be an array, got ${kindOf(o.nodes)}`);
  const nodes: NodeData[] = o.nodes.map((n, k) => {
    const no = object(n, `problem.nodes[${k}]`);
    const X = rowsToMat(no.X, d, `problem.nodes[${k}].X`);
    const y = Float64Array.from(numbers(no.y, `problem.nodes[${k}].y`));
    if (y.length !== X.rows) throw new Error(`problem.nodes[${k}]: X has ${X.rows} rows but y has ${y.length} entries`);
    if (no.weight !== undefined && typeof no.weight !== 'number') throw new Error(`problem.nodes[${k}].weight must be a number, got ${JSON.stringify(no.weight)}`);
    return { X, y, ...(no.weight === undefined ? {} : { weight: no.weight as number }) };
  });
  return { task: o.task as Task, d, nodes };
}

// -------------------------------------------------------------------------------------------------- async problems

/** The descriptor of a model built by this package (models carry it as `descriptor`), or a one-line error. */
export function describeModel(m: Model): ModelDescriptor {
  const d = m.descriptor;
  if (d === undefined) throw new Error(`model '${m.name}' cannot be sent to a subject: only the models of src/optimizers/async/models (leastSquares, softmax) have a descriptor`);
  return d;
}

export function modelFromDescriptor(v: unknown): Model {
  const o = object(v, 'problem.model');
  if (o.kind === 'leastSquares') return leastSquares(o.features as number);
  if (o.kind === 'softmax') return softmaxRegression(o.features as number, o.classes as number);
  throw new Error(`problem.model.kind must be 'leastSquares' or 'softmax', got ${JSON.stringify(o.kind)}`);
}

const encodeShard = (s: Shard) => ({ X: matToRows(s.X), y: Array.from(s.y) });

export function encodeAsync(p: AsyncProblem): Record<string, unknown> {
  return {
    model: describeModel(p.model),
    shards: p.shards.map(encodeShard),
    ...(p.evalSet === undefined ? {} : { evalSet: encodeShard(p.evalSet) }),
    ...(p.theta0 === undefined ? {} : { theta0: Array.from(p.theta0) }),
  };
}

export function decodeAsync(v: unknown): AsyncProblem {
  const o = object(v, 'problem');
  const model = modelFromDescriptor(o.model);
  const shard = (s: unknown, what: string): Shard => {
    const so = object(s, what);
    const X = rowsToMat(so.X, model.features, `${what}.X`);
    return { X, y: Float64Array.from(numbers(so.y, `${what}.y`)) };
  };
  if (!Array.isArray(o.shards)) throw new Error(`problem.shards must be an array, got ${kindOf(o.shards)}`);
  return {
    model,
    shards: o.shards.map((s, i) => shard(s, `problem.shards[${i}]`)),
    ...(o.evalSet === undefined ? {} : { evalSet: shard(o.evalSet, 'problem.evalSet') }),
    ...(o.theta0 === undefined ? {} : { theta0: Float64Array.from(numbers(o.theta0, 'problem.theta0')) }),
  };
}

// ---------------------------------------------------------------------------------------------------------- traces

/** A trace as JSON-shaped data (models as arrays). */
export function encodeTrace(t: Trace): Record<string, unknown> {
  return plain(t, 'trace') as Record<string, unknown>;
}

/** A JSON answer as a Trace (models as Float64Array); async traces keep their extra columns. */
export function traceFromJson(json: unknown, capability: string, async = false): Trace {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`the answer must be a JSON object (a trace), got ${Array.isArray(json) ? 'an array' : String(json)}`);
  const o = json as Record<string, unknown>;
  if (!Array.isArray(o.models)) throw new Error(`the trace has no "models" array`);
  const trace: Trace = {
    algorithm: typeof o.algorithm === 'string' ? o.algorithm : `${capability} (plug-in)`,
    rounds: numbers(o.rounds, 'rounds'),
    models: o.models.map((m, i) => Float64Array.from(numbers(m, `models[${i}]`))),
    loss: numbers(o.loss, 'loss'),
    communications: numbers(o.communications, 'communications'),
  };
  if (o.localSteps !== undefined) trace.localSteps = numbers(o.localSteps, 'localSteps');
  if (o.time !== undefined) trace.time = numbers(o.time, 'time');
  if (o.extra !== undefined) trace.extra = object(o.extra, '"extra"');
  if (!async) return trace;
  const updates = o.updates === undefined ? [] : (() => {
    if (!Array.isArray(o.updates)) throw new Error(`"updates" must be an array, got ${kindOf(o.updates)}`);
    return o.updates.map((u, i): UpdateRecord => {
      const uo = object(u, `updates[${i}]`);
      const f = (k: string) => {
        if (typeof uo[k] !== 'number') throw new Error(`updates[${i}].${k} must be a number, got ${JSON.stringify(uo[k])}`);
        return uo[k] as number;
      };
      return { time: f('time'), worker: f('worker'), staleness: f('staleness'), steps: f('steps'), shard: f('shard'), start: f('start') };
    });
  })();
  const last = trace.models.at(-1);
  const at: AsyncTrace = {
    ...trace,
    time: numbers(o.time, 'time'),
    totalLocalSteps: numbers(o.totalLocalSteps, 'totalLocalSteps'),
    updates,
    parked: o.parked === undefined ? [] : numbers(o.parked, 'parked'),
    theta: o.theta !== undefined ? Float64Array.from(numbers(o.theta, 'theta')) : (last ?? new Float64Array(0)) as Vec,
  };
  return at;
}
