/**
 * The gate's end of lsgd-spec/2 (ci/PROTOCOL.md): a Subject whose capabilities are requests over a Channel. Each
 * capability keeps the signature of the reference (src/subject/catalogue.ts), so theorem specs call a process or a
 * plug-in thread exactly as they call the built-in optimizers:
 *
 *   run       (problem, hyper) => Trace     one `run` request (the gate's random draws added to hyper)
 *   function  (...args) => value             one `call` request, arguments by name
 *   factory   (hyper) => { init, step }      `open` at init, `step` per push; a state may be stepped once (the
 *                                            subject holds the state: stepping an older state would fork it)
 *
 * An error answer is thrown as an Error with the subject's message (an answer: the subject refused the input). A
 * crash, a timeout or a broken answer is retried once on a fresh process, then thrown as a SubjectFailure, which the
 * runner reports without shrinking.
 */
import type { Subject } from '../../spec/types.ts';
import { SubjectFailure } from '../../spec/subjectFailure.ts';
import type { OuterOptimizer, OuterState } from '../../optimizers/async/outer/types.ts';
import type { FederatedDataset } from '../../problems/types.ts';
import type { AsyncProblem } from '../../optimizers/async/types.ts';
import { capabilityInfo, unknownCapabilities } from '../catalogue.ts';
import type { Channel, ChannelFailure } from '../channel/channels.ts';
import { sanitize } from '../channel/channels.ts';
import { encodeAsync, encodeFederated, plain, PROTOCOL, traceFromJson } from './codec.ts';
import { withDraws } from '../draws.ts';

export interface Hello {
  readonly capabilities: readonly string[];
  readonly precision: 'f64' | 'f32';
  readonly sampler: 'gate' | 'own';
  readonly name?: string;
}

export interface ClientOptions {
  /** who the subject is, for messages: "subject command 'python3 my.py'" */
  readonly who: string;
  /** per-call timeout in ms */
  readonly timeoutMs: number;
  /** warnings (uncaught background errors of a plug-in) */
  readonly onNote?: (line: string) => void;
  /** capability names beyond the catalogue that the registry's theorems require (called as positional functions) */
  readonly extraNames?: readonly string[];
}

export interface ProtocolSubject {
  readonly subject: Subject;
  readonly hello: Hello;
  /** requests sent, and failures retried */
  readonly stats: () => { calls: number; retries: number; starts: number };
  close(): void;
}

/** The least time the handshake gets: it includes starting the subject (e.g. Python importing torch). */
export const HELLO_TIMEOUT_MS = 60_000;

/** Most handles a subject keeps open; the oldest is closed beyond this. */
export const MAX_OPEN_HANDLES = 64;

const describeFailure = (f: ChannelFailure): string => {
  const parts = [f.message];
  if (f.stderr.length > 0) parts.push(`stderr: ${sanitize(f.stderr.join(' | '), 240)}`);
  if (f.stray.length > 0) parts.push(`non-protocol output on stdout: ${sanitize(f.stray.join(' | '), 160)}`);
  return parts.join('; ');
};

/** Handshake and build the facade. Throws one line when the subject cannot be used at all. */
export function protocolSubject(channel: Channel, opts: ClientOptions): ProtocolSubject {
  let nextId = 0;
  let calls = 0;
  let retries = 0;
  const send = (method: string, params: Record<string, unknown>, what: string, timeoutMs = opts.timeoutMs): unknown => {
    const msg = { id: nextId++, method, params };
    let reply = channel.request(msg, timeoutMs);
    calls++;
    if ('fail' in reply) {
      retries++;
      reply = channel.request({ ...msg, id: nextId++ }, timeoutMs);
      calls++;
      if ('fail' in reply) throw new SubjectFailure(`${opts.who} (${what}): ${describeFailure(reply.fail)} (twice: the call was retried once on a fresh start)`, reply.fail.kind);
    }
    for (const n of reply.notes) opts.onNote?.(`${opts.who}: ${n}`);
    const r = reply.ok as Record<string, unknown>;
    if (r === null || typeof r !== 'object') throw new SubjectFailure(`${opts.who} (${what}): the answer is not a JSON object`, 'protocol');
    if ('error' in r) {
      const e = r.error as { message?: unknown } | null;
      const m = e !== null && typeof e === 'object' && typeof e.message === 'string' ? e.message : JSON.stringify(r.error);
      throw new Error(`${opts.who} (${what}): ${sanitize(m)}`);
    }
    if (!('result' in r)) throw new SubjectFailure(`${opts.who} (${what}): the answer has neither "result" nor "error"`, 'protocol');
    return r.result;
  };

  let hello: Hello;
  try {
    // the handshake includes the subject's start (an interpreter, its imports): it gets at least HELLO_TIMEOUT_MS
    hello = readHello(send('hello', { protocol: PROTOCOL }, 'hello', Math.max(opts.timeoutMs, HELLO_TIMEOUT_MS)), opts.who, opts.extraNames ?? []);
  } catch (e) {
    channel.close();
    throw e;
  }

  const open: string[] = []; // handles, oldest first
  const closeHandle = (h: string) => {
    const i = open.indexOf(h);
    if (i >= 0) open.splice(i, 1);
    send('close', { handle: h }, 'close');
  };

  const subject: Record<string, unknown> = {};
  for (const name of hello.capabilities) {
    const info = capabilityInfo(name);
    if (info === undefined) {
      // a registry's own capability (--root): a function of positional arguments
      subject[name] = (...args: unknown[]) => send('call', { capability: name, args: plain(args, 'args') }, name);
    } else if (info.shape === 'run') {
      subject[name] = (problem: unknown, hyper: Record<string, unknown>) => {
        const encoded = info.problem === 'async' ? encodeAsync(problem as AsyncProblem) : encodeFederated(problem as FederatedDataset);
        const h0 = hello.sampler === 'gate' && info.problem === 'federated' ? withDraws(name, problem as FederatedDataset, hyper) : hyper;
        const h = info.localHooks === undefined ? h0 : Object.fromEntries(Object.entries(h0).filter(([k]) => !info.localHooks!.includes(k)));
        const json = send('run', { capability: name, problem: encoded, hyper: plain(h, 'hyper') }, name);
        try {
          return traceFromJson(json, name, info.problem === 'async');
        } catch (e) {
          throw new Error(`${opts.who} (${name}): ${e instanceof Error ? e.message : String(e)}`);
        }
      };
    } else if (info.shape === 'function') {
      subject[name] = (...args: unknown[]) => {
        const named: Record<string, unknown> = {};
        (info.args ?? []).forEach((a, i) => {
          if (args[i] !== undefined) named[a] = plain(args[i], a);
        });
        return send('call', { capability: name, args: named }, name);
      };
    } else {
      subject[name] = (hyper: Record<string, unknown>): OuterOptimizer<OuterState> => {
        const latest = new WeakMap<object, { handle: string }>();
        const current = new Map<string, object>();
        const wrap = (handle: string, r: unknown): OuterState => {
          const o = r as { theta?: unknown; t?: unknown };
          if (!Array.isArray(o?.theta) || typeof o.t !== 'number') throw new Error(`${opts.who} (${name}): an outer step must answer {"theta": [...], "t": n}, got ${sanitize(JSON.stringify(r) ?? String(r), 120)}`);
          const s = Object.freeze({ theta: Float64Array.from(o.theta as number[]), t: o.t });
          latest.set(s, { handle });
          current.set(handle, s);
          return s;
        };
        return {
          name: `${name} (plug-in)`,
          init(theta0) {
            const r = send('open', { capability: name, hyper: plain(hyper, 'hyper'), theta0: plain(theta0, 'theta0') }, `${name}.init`) as { handle?: unknown };
            if (typeof r?.handle !== 'string') throw new Error(`${opts.who} (${name}): open must answer {"handle": "...", ...}`);
            open.push(r.handle);
            if (open.length > MAX_OPEN_HANDLES) closeHandle(open[0]);
            return wrap(r.handle, r);
          },
          step(state, g) {
            const h = latest.get(state);
            if (h === undefined || current.get(h.handle) !== state) {
              throw new Error(`${name} (plug-in): only the latest state of an outer optimiser can be stepped (the subject holds it)`);
            }
            if (!open.includes(h.handle)) throw new Error(`${name} (plug-in): handle ${h.handle} was closed (more than ${MAX_OPEN_HANDLES} open at once)`);
            return wrap(h.handle, send('step', { handle: h.handle, g: plain(g, 'g') }, `${name}.step`));
          },
        };
      };
    }
  }
  return {
    subject: Object.freeze(subject),
    hello,
    stats: () => ({ calls, retries, starts: channel.starts() }),
    close: () => channel.close(),
  };
}

function readHello(r: unknown, who: string, extra: readonly string[]): Hello {
  const o = r as Record<string, unknown>;
  if (o === null || typeof o !== 'object') throw new Error(`${who}: the hello answer must be an object, got ${sanitize(JSON.stringify(r) ?? String(r), 120)}`);
  if (o.protocol !== PROTOCOL) throw new Error(`${who}: speaks protocol ${JSON.stringify(o.protocol)}, the gate speaks '${PROTOCOL}' (ci/PROTOCOL.md)`);
  const caps = o.capabilities;
  if (!Array.isArray(caps) || !caps.every((c) => typeof c === 'string')) throw new Error(`${who}: hello must list "capabilities" as an array of names, got ${sanitize(JSON.stringify(caps) ?? String(caps), 120)}`);
  // a TypeScript plug-in's thread also reports every key it exports, so that a misspelt one is refused too
  const names = Array.isArray(o.keys) ? (o.keys as string[]) : (caps as string[]);
  const unknown = unknownCapabilities(names, extra);
  if (unknown.length > 0) throw new Error(`${who}: ${unknown.join('; ')} (capabilities: ci/README.md)`);
  if (caps.length === 0) throw new Error(`${who}: the subject offers no capability (e.g. export { localGD: myLocalGD })`);
  const precision = o.precision ?? 'f64';
  if (precision !== 'f64' && precision !== 'f32') throw new Error(`${who}: precision must be 'f64' or 'f32', got ${JSON.stringify(precision)}`);
  const sampler = o.sampler ?? 'gate';
  if (sampler !== 'gate' && sampler !== 'own') throw new Error(`${who}: sampler must be 'gate' or 'own', got ${JSON.stringify(sampler)}`);
  return { capabilities: caps as string[], precision, sampler, ...(typeof o.name === 'string' ? { name: o.name } : {}) };
}
