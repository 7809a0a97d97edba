/**
 * Shared by the Python-side tests: a protocol session with a Python subject (all requests written to stdin at once,
 * the answers read back by id), the reference stream's draws for a request (what a gate that owns the randomness
 * sends), small datasets on a dyadic grid, and the rounding tolerance between two f64 implementations of one
 * recurrence.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/subject/index.ts';
import { datasetToJson } from '../../src/problems/dataset.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';
import { roundParticipants } from '../../src/optimizers/parts/aggregate.ts';
import { indicesBelow, normals, PURPOSE, rngKey, uniformAt } from '../../src/optimizers/rng.ts';

/** Debian's interpreter, which has python3-numpy and python3-torch (installed by .ci/run). */
export const PYTHON = '/usr/bin/python3';
export const NUMPY_SUBJECT = join(REPO_ROOT, 'ci', 'examples', 'numpy_subject.py');
export const TORCH_SUBJECT = join(REPO_ROOT, 'ci', 'examples', 'torch_subject.py');
export const EPS = Number.EPSILON;
/**
 * Hooks and tests that start a Python subject: a session's own limit (150 s) plus margin. A loaded 2-core machine
 * takes seconds to import PyTorch, far beyond vitest's default 60 s budget once several workers compete.
 */
export const SESSION_TIMEOUT_MS = 200_000;

export interface Answer {
  readonly id: number | null;
  readonly result?: unknown;
  readonly error?: { readonly message: string };
}

export interface Session {
  readonly answers: Map<number | null, Answer>;
  /** every stdout line, in order (each must be one JSON answer) */
  readonly lines: string[];
  readonly stderr: string;
  readonly status: number | null;
}

/**
 * Start `script` once with `args`, write the requests (objects or raw lines) and close stdin; the process must exit
 * at EOF. The timeout is per session and generous: PyTorch takes seconds to import on a loaded 2-core machine.
 */
export function session(script: string, args: readonly string[], requests: readonly (object | string)[], timeoutMs = 150_000): Session {
  const input = requests.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';
  const out = spawnSync(PYTHON, [script, ...args], { input, encoding: 'utf8', timeout: timeoutMs, cwd: REPO_ROOT, maxBuffer: 64 << 20 });
  if (out.error) throw new Error(`session: ${script} ${args.join(' ')}: ${out.error.message}`);
  const lines = out.stdout.split('\n').filter((l) => l !== '');
  const answers = new Map<number | null, Answer>();
  for (const l of lines) {
    const a = JSON.parse(l) as Answer;
    answers.set(a.id, a);
  }
  return { answers, lines, stderr: out.stderr, status: out.status };
}

export function resultOf(s: Session, id: number): unknown {
  const a = s.answers.get(id);
  if (a === undefined) throw new Error(`no answer to request ${id}; stderr: ${s.stderr.slice(-2000)}`);
  if (a.error) throw new Error(`request ${id} failed: ${a.error.message}`);
  return a.result;
}

export function errorOf(s: Session, id: number): string {
  const a = s.answers.get(id);
  if (a?.error === undefined) throw new Error(`request ${id} did not fail: ${JSON.stringify(a)}`);
  return a.error.message;
}

export const problemJson = (ds: FederatedDataset): object => ({ ...datasetToJson(ds), d: ds.d });

/** A dataset with entries on the grid k/8 in [-1, 1] (exact in f64 and in JSON), node sizes as given. */
export function gridDataset(seed: number, d: number, sizes: readonly number[], task: 'regression' | 'classification' = 'regression'): FederatedDataset {
  const key = rngKey(seed, 7);
  let i = 0;
  const next = (): number => Math.round(uniformAt(key, 1, 0, 0, i++) * 16 - 8) / 8;
  return {
    task, d,
    nodes: sizes.map((n) => {
      const data = Float64Array.from({ length: n * d }, next);
      const y = Float64Array.from({ length: n }, () => (task === 'classification' ? (next() >= 0 ? 1 : -1) : next()));
      return { X: { rows: n, cols: d, data }, y };
    }),
  };
}

/**
 * The draws of the reference stream (src/optimizers/rng.ts) for `steps[s]` local steps of B rows on streams with
 * `rows[s]` rows each, participant subsets for R rounds, and d-dimensional noise: the randomness the reference
 * optimizers use with the same seed, in the form ci/PROTOCOL.md carries it.
 */
export function referenceDraws(o: {
  seed: number; rows?: readonly number[]; steps?: number; B?: number; R?: number; eligible?: readonly number[]; m?: number; noiseD?: number;
}): Record<string, unknown> {
  const key = rngKey(o.seed);
  const draws: Record<string, unknown> = {};
  if (o.rows !== undefined && o.B !== undefined && o.steps !== undefined) {
    draws.minibatches = o.rows.map((n, s) => Array.from({ length: o.steps! }, (_, t) => Array.from(indicesBelow(key, PURPOSE.minibatch, s, t, n, new Int32Array(o.B!)))));
  }
  if (o.m !== undefined && o.R !== undefined && o.eligible !== undefined) {
    draws.participants = Array.from({ length: o.R }, (_, r) => [...roundParticipants(key, r, o.eligible!, o.m)]);
  }
  if (o.noiseD !== undefined && o.rows !== undefined && o.steps !== undefined) {
    draws.noise = o.rows.map((_, s) => Array.from({ length: o.steps! }, (_, t) => Array.from(normals(key, PURPOSE.gradNoise, s, t, new Float64Array(o.noiseD!)))));
  }
  return draws;
}

/** max_i |a_i - b_i| over two equally long vectors (Infinity if the lengths differ). */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** max |x| over every model of a trace, at least 1 */
export function scaleOf(models: readonly ArrayLike<number>[]): number {
  let s = 1;
  for (const m of models) for (let i = 0; i < m.length; i++) s = Math.max(s, Math.abs(m[i]));
  return s;
}

/**
 * Rounding tolerance between two f64 implementations of the same recurrence: each of `steps` updates forms
 * sums of at most `terms` products (a minibatch or node gradient of n rows of d-term dot products, an aggregation of
 * K models), so the two evaluation orders differ by at most terms * EPS * S per update, S the largest magnitude on the
 * path (the data lie in [-1, 1] and the step sizes keep |eta g| <= S). With step sizes eta <= 1/L the gradient step
 * of a convex L-smooth loss is nonexpansive, and averaging is too, so per-update differences add up over the run
 * instead of growing: |a - b| <= steps * terms * EPS * S. The factor 4 covers the update's own roundings (the
 * product with eta, the subtraction, the weight beta_k).
 */
export function recurrenceTolerance(steps: number, terms: number, S: number): number {
  return 4 * Math.max(steps, 1) * terms * EPS * S;
}

/** The largest eigenvalue bound of the pooled mean Hessian of the squared loss: max_k ||X_k||_F^2 / n_k (>= lambda_max). */
export function smoothness(ds: FederatedDataset): number {
  let L = 0;
  for (const nd of ds.nodes) {
    if (nd.X.rows === 0) continue;
    let f = 0;
    for (const v of nd.X.data) f += v * v;
    L = Math.max(L, f / nd.X.rows);
  }
  return L;
}
