/**
 * The subprocess plug-in protocol: an optimizer written in any language is gated by running it as a command.
 *
 * Protocol `lsgd-spec/1`. For every call the command is started (through the shell, in the working directory), reads
 * ONE JSON request on standard input, writes ONE JSON answer on standard output and exits 0:
 *
 *   request  {"protocol": "lsgd-spec/1", "capability": "capabilities"}
 *   answer   {"capabilities": ["localGD", "centralizedGD", ...]}          (asked once, when the subject is built)
 *
 *   request  {"protocol": "lsgd-spec/1", "capability": "localGD",
 *             "problem": {"task": ..., "d": 3, "nodes": [{"X": [[...]], "y": [...], "weight"?: w}]},
 *             "hyper": {"loss": {"name": "squared"}, "eta": 0.1, "L": 4, "R": 10, "w0": [0, 0, 0], ...}}
 *   answer   a Trace: {"rounds": [...], "models": [[...], ...], "loss": [...], "communications": [...],
 *             "localSteps"?: [...], "extra"?: {...}, "algorithm"?: "..."}
 *
 * Vectors travel as JSON arrays of numbers: every double round-trips exactly through JSON (JavaScript prints the
 * shortest decimal that reads back to the same double; Python's json and repr do the same), so a plug-in sees the
 * same inputs bit for bit and its models come back bit for bit. The capabilities are the run-shaped ones of
 * ci/README.md, `(problem, hyper) => Trace`: SUBPROCESS_CAPABILITIES. (The asynchronous simulator's parts are
 * functions returning functions and are not offered over a process boundary.)
 *
 * Failures never crash the gate: a non-zero exit, a signal, a timeout, output that is not JSON or not a trace become
 * an Error thrown from the capability call, with one line naming the command and the cause; the runner turns it into
 * a `violated` verdict ("subject threw ...") with the replay command, like any other failure of the subject.
 */
import { spawnSync } from 'node:child_process';
import { datasetToJson } from '../problems/dataset.ts';
import type { FederatedDataset } from '../problems/types.ts';
import type { Trace } from '../optimizers/types.ts';
import type { Subject } from '../spec/types.ts';

export const PROTOCOL = 'lsgd-spec/1';

/** The capabilities a subprocess may offer: each is (problem, hyper) => Trace. */
export const SUBPROCESS_CAPABILITIES = [
  'centralizedGD', 'centralizedSGD', 'localGD', 'localSGD', 'modifiedLocalGD', 'lupaSGD', 'adaLupaSGD',
] as const;

export interface SubprocessOptions {
  /** milliseconds one call may run before it is killed (default 60 000) */
  readonly timeoutMs?: number;
  /** working directory of the command (default process.cwd()) */
  readonly cwd?: string;
  /** largest answer accepted, in bytes (default 256 MiB) */
  readonly maxBytes?: number;
}

const short = (s: string, n = 160) => {
  const line = s.trim().split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > n ? `${line.slice(0, n)}...` : line;
};

/** Replace typed arrays by plain arrays (JSON.stringify would write Float64Array as an object keyed by index). */
function plain(v: unknown): unknown {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = plain(x);
    return out;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`a non-finite number (${v}) cannot be sent as JSON`);
  if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw new Error(`a ${typeof v} cannot be sent as JSON`);
  return v;
}

/** One call: start the command, send the request, parse the JSON answer. Throws a one-line Error on any failure. */
export function callCommand(command: string, request: Record<string, unknown>, opts: SubprocessOptions = {}): unknown {
  const timeout = opts.timeoutMs ?? 60_000;
  const who = `subject command '${command}' (${String(request.capability)})`;
  let input: string;
  try {
    input = JSON.stringify(plain({ protocol: PROTOCOL, ...request }));
  } catch (e) {
    throw new Error(`${who}: the request cannot be encoded: ${e instanceof Error ? e.message : String(e)}`);
  }
  const r = spawnSync(command, {
    shell: true, input, encoding: 'utf8', timeout, killSignal: 'SIGKILL', cwd: opts.cwd, maxBuffer: opts.maxBytes ?? 256 * 2 ** 20,
  });
  // EPIPE: the command exited without reading all of its input (e.g. `exit 7`); judge it by its exit status below
  if (r.error && !((r.error as NodeJS.ErrnoException).code === 'EPIPE' && (r.status !== null || r.signal !== null))) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ETIMEDOUT') throw new Error(`${who}: no answer within ${timeout} ms (killed)`);
    if (code === 'ENOBUFS') throw new Error(`${who}: the answer exceeds ${opts.maxBytes ?? 256 * 2 ** 20} bytes`);
    throw new Error(`${who}: could not be run: ${short(r.error.message)}`);
  }
  if (r.signal) throw new Error(`${who}: killed by ${r.signal}${r.stderr ? `: ${short(r.stderr)}` : ''}`);
  if (r.status !== 0) throw new Error(`${who}: exited with code ${r.status}${r.stderr.trim() ? `: ${short(r.stderr)}` : ''}`);
  try {
    return JSON.parse(r.stdout);
  } catch {
    const nonFinite = /(^|[^\w"])(-?Infinity|NaN)([^\w"]|$)/.test(r.stdout) ? ' (NaN and Infinity are not JSON: did the run diverge?)' : '';
    throw new Error(`${who}: the answer is not JSON${nonFinite}: ${r.stdout.trim() === '' ? 'nothing was written to standard output' : `'${short(r.stdout, 80)}'`}`);
  }
}

function numberArray(v: unknown, what: string): number[] {
  if (!Array.isArray(v)) throw new Error(`${what} must be an array of numbers, got ${v === null ? 'null' : typeof v}`);
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== 'number') throw new Error(`${what}[${i}] must be a number, got ${JSON.stringify(v[i]) ?? typeof v[i]}`);
  }
  return v as number[];
}

/** A JSON answer as a Trace (models as Float64Array). Shapes are checked here; values are the properties' business. */
export function traceFromJson(json: unknown, capability: string): Trace {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`the answer must be a JSON object (a trace), got ${Array.isArray(json) ? 'an array' : String(json)}`);
  const o = json as Record<string, unknown>;
  if (!Array.isArray(o.models)) throw new Error(`the trace has no "models" array`);
  const trace: Trace = {
    algorithm: typeof o.algorithm === 'string' ? o.algorithm : `${capability} (subprocess)`,
    rounds: numberArray(o.rounds, 'rounds'),
    models: o.models.map((m, i) => Float64Array.from(numberArray(m, `models[${i}]`))),
    loss: numberArray(o.loss, 'loss'),
    communications: numberArray(o.communications, 'communications'),
  };
  if (o.localSteps !== undefined) trace.localSteps = numberArray(o.localSteps, 'localSteps');
  if (o.time !== undefined) trace.time = numberArray(o.time, 'time');
  if (o.extra !== undefined) {
    if (o.extra === null || typeof o.extra !== 'object' || Array.isArray(o.extra)) throw new Error('"extra" must be an object');
    trace.extra = o.extra as Record<string, unknown>;
  }
  return trace;
}

/**
 * A Subject whose capabilities run `command`. The command is asked once for its capabilities; each one it names
 * becomes a function (problem, hyper) => Trace. Throws (one line) if the handshake fails or names an unknown
 * capability, since then no property could run.
 */
export function subprocessSubject(command: string, opts: SubprocessOptions = {}): Subject {
  if (typeof command !== 'string' || command.trim() === '') throw new Error(`subprocessSubject: the command must be a non-empty string, got ${JSON.stringify(command)}`);
  const hello = callCommand(command, { capability: 'capabilities' }, opts) as { capabilities?: unknown };
  const caps = hello !== null && typeof hello === 'object' ? hello.capabilities : undefined;
  if (!Array.isArray(caps) || caps.length === 0 || !caps.every((c) => typeof c === 'string')) {
    throw new Error(`subject command '${command}': the capabilities answer must be {"capabilities": ["localGD", ...]} (non-empty), got ${short(JSON.stringify(hello) ?? String(hello), 120)}`);
  }
  const known = SUBPROCESS_CAPABILITIES as readonly string[];
  const unknown = caps.filter((c) => !known.includes(c));
  if (unknown.length > 0) throw new Error(`subject command '${command}': unknown capabilit${unknown.length === 1 ? 'y' : 'ies'} ${unknown.map((c) => `'${c}'`).join(', ')} (offered over a process: ${known.join(', ')})`);
  const subject: Record<string, unknown> = {};
  for (const cap of caps as string[]) {
    subject[cap] = (problem: FederatedDataset, hyper: Record<string, unknown>): Trace => {
      const json = callCommand(command, { capability: cap, problem: { ...datasetToJson(problem), d: problem.d }, hyper }, opts);
      try {
        return traceFromJson(json, cap);
      } catch (e) {
        throw new Error(`subject command '${command}' (${cap}): ${e instanceof Error ? e.message : String(e)}`);
      }
    };
  }
  return Object.freeze(subject);
}
