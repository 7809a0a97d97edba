/**
 * Random draws given from outside: the gate's randomness (ci/PROTOCOL.md, "draws"). A stochastic optimizer draws its
 * minibatch rows, gradient noise and round participants from the counter-based stream of rng.ts, keyed by
 * (stream, t) and (round). `hyper.draws` replaces those draws by explicit ones, and `recordDraws` captures the draws a
 * run makes, so the gate can hand a plug-in in another language exactly the randomness the reference would use:
 *
 *   participants[r]      ascending node indices of round r (partial participation)
 *   minibatches[s][t]    the B row indices of stream s's t-th stochastic step (s = node, worker, or 0 for the pool)
 *   noise[s][t]          the d standard normals of stream s's t-th gradient noise
 */
import { show } from './check.ts';

export interface Draws {
  readonly participants?: readonly (readonly number[])[];
  readonly minibatches?: readonly (readonly (readonly number[])[])[];
  readonly noise?: readonly (readonly (readonly number[])[])[];
}

interface Recorder {
  participants: number[][];
  minibatches: number[][][];
  noise: number[][][];
}

let recorder: Recorder | null = null;

/** Run f and return the draws it made (f's own errors propagate). Not re-entrant. */
export function recordDraws(f: () => unknown): Draws {
  if (recorder !== null) throw new Error('recordDraws: already recording');
  const rec: Recorder = { participants: [], minibatches: [], noise: [] };
  recorder = rec;
  try {
    f();
  } finally {
    recorder = null;
  }
  const dense = <T>(a: T[]): T[] => Array.from({ length: a.length }, (_, i) => a[i] ?? ([] as unknown as T));
  const out: { participants?: number[][]; minibatches?: number[][][]; noise?: number[][][] } = {};
  if (rec.participants.length > 0) out.participants = dense(rec.participants);
  if (rec.minibatches.length > 0) out.minibatches = dense(rec.minibatches).map(dense);
  if (rec.noise.length > 0) out.noise = dense(rec.noise).map(dense);
  return out;
}

export function noteParticipants(r: number, participants: readonly number[]): void {
  if (recorder !== null) recorder.participants[r] = [...participants];
}

export function noteMinibatch(stream: number, t: number, idx: Int32Array, count: number): void {
  if (recorder === null) return;
  (recorder.minibatches[stream] ??= [])[t] = Array.from(idx.subarray(0, count));
}

export function noteNoise(stream: number, t: number, xi: Float64Array, count: number): void {
  if (recorder === null) return;
  (recorder.noise[stream] ??= [])[t] = Array.from(xi.subarray(0, count));
}

/** Validate the shape of hyper.draws (entries are checked where they are used). */
export function checkDraws(fn: string, draws: unknown): Draws | undefined {
  if (draws === undefined) return undefined;
  if (draws === null || typeof draws !== 'object' || Array.isArray(draws)) throw new Error(`${fn}: draws must be an object {participants?, minibatches?, noise?}, got ${show(draws)}`);
  for (const k of Object.keys(draws)) {
    if (k !== 'participants' && k !== 'minibatches' && k !== 'noise') throw new Error(`${fn}: draws.${k} is not a kind of draw (participants, minibatches, noise)`);
    if (!Array.isArray((draws as Record<string, unknown>)[k])) throw new Error(`${fn}: draws.${k} must be an array, got ${show((draws as Record<string, unknown>)[k])}`);
  }
  return draws as Draws;
}

/** Copy the given rows of stream s, step t into idx (B indices in [0, n)); throws one line when they are not that. */
export function givenMinibatch(draws: Draws, stream: number, t: number, n: number, idx: Int32Array, count: number): void {
  const rows = draws.minibatches?.[stream]?.[t];
  const where = `draws.minibatches[${stream}][${t}]`;
  if (!Array.isArray(rows)) throw new Error(`${where} is missing (a stochastic step needs its ${count} row indices)`);
  if (rows.length !== count) throw new Error(`${where} has ${rows.length} indices, expected B = ${count}`);
  for (let i = 0; i < count; i++) {
    const v = rows[i];
    if (!(Number.isInteger(v) && v >= 0 && v < n)) throw new Error(`${where}[${i}] = ${show(v)} is not a row index in [0, ${n})`);
    idx[i] = v;
  }
}

/** Copy the given normals of stream s, step t into xi; throws one line when they are not d finite numbers. */
export function givenNoise(draws: Draws, stream: number, t: number, xi: Float64Array, count: number): void {
  const v = draws.noise?.[stream]?.[t];
  const where = `draws.noise[${stream}][${t}]`;
  if (!Array.isArray(v)) throw new Error(`${where} is missing (a noisy step needs ${count} normals)`);
  if (v.length !== count) throw new Error(`${where} has ${v.length} entries, expected d = ${count}`);
  for (let i = 0; i < count; i++) {
    if (!Number.isFinite(v[i])) throw new Error(`${where}[${i}] = ${show(v[i])} is not a finite number`);
    xi[i] = v[i];
  }
}

/** Round r's given participants: m distinct eligible nodes in ascending order. */
export function givenParticipants(draws: Draws, r: number, eligible: readonly number[], m: number): readonly number[] {
  const p = draws.participants?.[r];
  const where = `draws.participants[${r}]`;
  if (!Array.isArray(p)) throw new Error(`${where} is missing (partial participation needs the nodes of every round)`);
  if (p.length !== m) throw new Error(`${where} has ${p.length} nodes, expected participants = ${m}`);
  for (let i = 0; i < p.length; i++) {
    if (!eligible.includes(p[i])) throw new Error(`${where}[${i}] = ${show(p[i])} is not a node with a positive weight`);
    if (i > 0 && !(p[i] > p[i - 1])) throw new Error(`${where} must be strictly ascending (distinct nodes), got ${show(p)}`);
  }
  return p;
}
