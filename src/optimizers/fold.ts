/**
 * The fold driver: a run is init, then step until done, recording the rounds asked for (RecordSpec in types.ts).
 * Every reference optimizer's run(problem, hyper) is runFold(itself, problem, hyper).
 */
import type { FederatedDataset } from '../problems/types.ts';
import type { CommonHyper, FoldState, Optimizer, RecordSpec, Trace } from './types.ts';

/** Throws unless spec is a valid RecordSpec; returns a predicate `wanted(round, done)`. */
export function recordPredicate(fn: string, spec: RecordSpec | undefined): (round: number, done: boolean) => boolean {
  if (spec === undefined || spec === 'all') return () => true;
  if (spec === 'last') return (_r, done) => done;
  if (Array.isArray(spec)) {
    const list = spec as readonly number[];
    for (let i = 0; i < list.length; i++) {
      const r = list[i];
      if (!Number.isInteger(r) || r < 0) throw new Error(`${fn}: record[${i}] must be an integer >= 0, got ${r}`);
      if (i > 0 && r <= list[i - 1]) {
        throw new Error(`${fn}: record must be strictly increasing, got ${list[i - 1]} then ${r} at index ${i}`);
      }
    }
    const set = new Set(list);
    return (r) => set.has(r);
  }
  if (typeof spec === 'object' && spec !== null && 'every' in spec) {
    const k = (spec as { every: number }).every;
    if (!Number.isInteger(k) || k < 1) throw new Error(`${fn}: record.every must be an integer >= 1, got ${k}`);
    return (r, done) => done || r % k === 0;
  }
  throw new Error(`${fn}: record must be 'all', 'last', an array of rounds or { every: k }, got ${JSON.stringify(spec)}`);
}

/**
 * Drive opt from init to done and return the trace. Models in the trace are copies, so the trace owns them.
 * roundInfo values are collected into Trace.extra[key] arrays (index r - 1 for round r); summary is merged last.
 */
export function runFold<H extends CommonHyper, S extends FoldState>(opt: Optimizer<H, S>, problem: FederatedDataset, hyper: H): Trace {
  const wanted = recordPredicate(opt.name, hyper.record);
  const trace: Trace = { algorithm: opt.name, rounds: [], models: [], loss: [], communications: [], localSteps: [] };
  const perRound: Record<string, unknown[]> = {};
  const record = (s: S): void => {
    trace.rounds.push(s.round);
    trace.models.push(Float64Array.from(s.w));
    trace.loss.push(opt.objective(s));
    trace.communications.push(s.communications);
    trace.localSteps!.push(s.localSteps);
  };
  let s = opt.init(problem, hyper);
  if (wanted(s.round, s.done)) record(s);
  while (!s.done) {
    s = opt.step(s);
    if (opt.roundInfo) {
      const info = opt.roundInfo(s);
      for (const key in info) (perRound[key] ??= []).push(info[key]);
    }
    if (wanted(s.round, s.done)) record(s);
  }
  if (Array.isArray(hyper.record)) {
    const list = hyper.record as readonly number[];
    const last = list[list.length - 1];
    if (last !== undefined && last > s.round) {
      throw new Error(`${opt.name}: record asks for round ${last} but the run ended after round ${s.round}`);
    }
  }
  const extra: Record<string, unknown> = { ...perRound, ...(opt.summary ? opt.summary(s) : {}) };
  if (Object.keys(extra).length > 0) trace.extra = extra;
  return trace;
}
