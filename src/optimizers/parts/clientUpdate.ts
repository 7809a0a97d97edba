/**
 * Client update: L local steps on one node, started from the global model (docs/theory.md#01-local-gd-round, the inner loop):
 *
 *   w_{k,0} = w,   w_{k,l+1} = w_{k,l} - eta_t g_{k,l},   l = 0..L-1,   t = t0 + l,
 *
 * where g_{k,l} is the node's mean gradient (full batch), or the mean over B rows drawn uniformly with replacement
 * (minibatch; or the rows given in hyper.draws, ./draws.ts), plus optional additive Gaussian noise sigma * xi (used by
 * LUPA-SGD's exact identities, docs/theory.md#26-how-tau-enters). Random draws are keyed by (purpose, stream, t): stream is the node (Local-SGD) or worker (LUPA-SGD) index
 * and t the node-local iteration, so they never depend on R, tau or the other nodes (see rng.ts).
 * Allocation-free: all scratch comes from ClientBuffers.
 */
import type { Mat, Vec } from '../../numeric/types.ts';
import { nodeGrad, nodeGradRows } from '../../problems/losses.ts';
import type { LossSpec } from '../../problems/losses.ts';
import { indicesBelow, normals, PURPOSE } from '../rng.ts';
import type { RngKey } from '../rng.ts';
import { stepAt } from './check.ts';
import { givenMinibatch, givenNoise, noteMinibatch, noteNoise } from './draws.ts';
import type { Draws } from './draws.ts';
import type { StepSize } from './check.ts';

export interface ClientSpec {
  readonly loss: LossSpec;
  readonly eta: StepSize;
  /** minibatch size B, or null for the full local gradient (Local-GD) */
  readonly batch: number | null;
  /** standard deviation of additive isotropic Gaussian gradient noise (0: none) */
  readonly noise: number;
  readonly key: RngKey;
  /** explicit draws replacing the stream's (hyper.draws, ./draws.ts) */
  readonly draws?: Draws;
}

export interface ClientBuffers {
  readonly grad: Vec;
  readonly idx: Int32Array;
  readonly xi: Vec;
}

export function clientBuffers(d: number, batch: number | null): ClientBuffers {
  return { grad: new Float64Array(d), idx: new Int32Array(batch ?? 0), xi: new Float64Array(d) };
}

/** Run L local steps from w on (X, y); the result goes to out (out may not alias w). Returns out. */
export function clientSteps(
  spec: ClientSpec, X: Mat, y: Vec, w: Vec, L: number, stream: number, t0: number, out: Vec, buf: ClientBuffers,
): Vec {
  const { loss, eta, batch, noise, key, draws } = spec;
  const { grad, idx, xi } = buf;
  const d = w.length;
  const constant = typeof eta === 'number' ? eta : NaN;
  out.set(w);
  for (let l = 0; l < L; l++) {
    const t = t0 + l;
    if (batch === null) {
      nodeGrad(loss, X, y, out, grad);
    } else {
      if (draws?.minibatches !== undefined) givenMinibatch(draws, stream, t, X.rows, idx, batch);
      else indicesBelow(key, PURPOSE.minibatch, stream, t, X.rows, idx, batch);
      noteMinibatch(stream, t, idx, batch);
      nodeGradRows(loss, X, y, out, idx, batch, grad);
    }
    if (noise !== 0) {
      if (draws?.noise !== undefined) givenNoise(draws, stream, t, xi, d);
      else normals(key, PURPOSE.gradNoise, stream, t, xi, d);
      noteNoise(stream, t, xi, d);
      for (let j = 0; j < d; j++) grad[j] += noise * xi[j];
    }
    const e = typeof eta === 'number' ? constant : stepAt(eta, t);
    for (let j = 0; j < d; j++) out[j] -= e * grad[j];
  }
  return out;
}
