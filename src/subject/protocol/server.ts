/**
 * The subject's end of lsgd-spec/2 for a TypeScript subject (ci/PROTOCOL.md): answers hello, run, call, open, step
 * and close requests by calling the subject's functions. It serves TypeScript plug-ins inside the gate's worker
 * thread (../channel/moduleHost.worker.mjs) and any subject over standard input/output (`lsgd-spec serve`), which is
 * how the protocol's own cost is measured against in-process calls.
 */
import type { Subject } from '../../spec/types.ts';
import type { OuterOptimizer, OuterState } from '../../optimizers/async/outer/types.ts';
import { capabilityInfo } from '../catalogue.ts';
import { decodeAsync, decodeFederated, encodeTrace, plain, PROTOCOL } from './codec.ts';
import type { Trace } from '../../optimizers/types.ts';

export interface ServeOptions {
  readonly precision?: 'f64' | 'f32';
  readonly sampler?: 'gate' | 'own';
  readonly name?: string;
}

export interface Request {
  readonly id: number;
  readonly method: string;
  readonly params?: Record<string, unknown>;
}

export type Response = { readonly id: number; readonly result: unknown } | { readonly id: number; readonly error: { readonly message: string } };

const oneLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0];

/** A request handler over `subject`; it never throws (every failure is an error answer). */
export function subjectServer(subject: Subject, opts: ServeOptions = {}): (req: Request) => Response {
  const handles = new Map<string, { opt: OuterOptimizer<OuterState>; state: OuterState }>();
  let nextHandle = 1;
  const fn = (name: unknown): ((...a: unknown[]) => unknown) => {
    if (typeof name !== 'string') throw new Error(`params.capability must be a string, got ${JSON.stringify(name)}`);
    const f = subject[name];
    if (typeof f !== 'function') throw new Error(`this subject does not offer '${name}'`);
    return f as (...a: unknown[]) => unknown;
  };
  const handlers: Record<string, (p: Record<string, unknown>) => unknown> = {
    hello: () => ({
      protocol: PROTOCOL,
      capabilities: Object.keys(subject).filter((k) => !k.startsWith('_') && typeof subject[k] === 'function'),
      precision: opts.precision ?? 'f64',
      sampler: opts.sampler ?? 'gate',
      ...(opts.name === undefined ? {} : { name: opts.name }),
    }),
    run: (p) => {
      const f = fn(p.capability);
      const info = capabilityInfo(p.capability as string);
      if (info?.shape !== 'run') throw new Error(`'${String(p.capability)}' is not a run capability`);
      const problem = info.problem === 'async' ? decodeAsync(p.problem) : decodeFederated(p.problem);
      const hyper = p.hyper as Record<string, unknown>;
      return encodeTrace(f(problem, withVectors(hyper)) as Trace);
    },
    call: (p) => {
      const f = fn(p.capability);
      const info = capabilityInfo(p.capability as string);
      if (info === undefined && Array.isArray(p.args)) return plain(f(...p.args), 'result'); // a registry's own capability
      if (info?.shape !== 'function') throw new Error(`'${String(p.capability)}' is not a function capability`);
      const args = (p.args ?? {}) as Record<string, unknown>;
      return plain(f(...(info.args ?? []).map((a) => args[a])), 'result');
    },
    open: (p) => {
      const f = fn(p.capability);
      if (capabilityInfo(p.capability as string)?.shape !== 'factory') throw new Error(`'${String(p.capability)}' is not an outer optimiser`);
      const opt = f(p.hyper) as OuterOptimizer<OuterState>;
      const state = opt.init(Float64Array.from(p.theta0 as number[]));
      const handle = `h${nextHandle++}`;
      handles.set(handle, { opt, state });
      return { handle, theta: plain(state.theta, 'theta'), t: state.t };
    },
    step: (p) => {
      const h = handles.get(p.handle as string);
      if (h === undefined) throw new Error(`no open handle ${JSON.stringify(p.handle)}`);
      h.state = h.opt.step(h.state, Float64Array.from(p.g as number[]));
      return { theta: plain(h.state.theta, 'theta'), t: h.state.t };
    },
    close: (p) => {
      handles.delete(p.handle as string);
      return null;
    },
  };
  return (req) => {
    const id = typeof req?.id === 'number' ? req.id : -1;
    const h = handlers[req?.method];
    if (h === undefined) return { id, error: { message: `unknown method ${JSON.stringify(req?.method)} (expected hello, run, call, open, step or close)` } };
    try {
      return { id, result: h(req.params ?? {}) };
    } catch (e) {
      return { id, error: { message: oneLine(e) } };
    }
  };
}

/** w0 and theta0 arrive as arrays; the reference optimizers take them as they are (Float64Array or number[]). */
function withVectors(hyper: Record<string, unknown>): Record<string, unknown> {
  if (hyper === null || typeof hyper !== 'object') return hyper;
  return hyper.w0 !== undefined && Array.isArray(hyper.w0) ? { ...hyper, w0: Float64Array.from(hyper.w0 as number[]) } : hyper;
}
