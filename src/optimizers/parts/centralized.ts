/**
 * Shared engine of the centralized baselines: one (minibatch) gradient step per round on the POOLED data (all nodes
 * stacked, src/problems/dataset.ts pooled), whose mean loss is F with alpha_k = n_k / N. A step is
 * clientSteps(..., L = 1, stream 0, t0 = t), the same code as a node's local step, so one-node Local-GD/SGD and
 * these baselines agree bit for bit. No node uploads anything: communications stay 0.
 */
import type { Mat, Vec } from '../../numeric/types.ts';
import { datasetLoss } from '../../problems/losses.ts';
import type { LossSpec } from '../../problems/losses.ts';
import { pooled } from '../../problems/dataset.ts';
import type { FederatedDataset } from '../../problems/types.ts';
import { runFold } from '../fold.ts';
import { rngKey } from '../rng.ts';
import type { RngKey } from '../rng.ts';
import type { CommonHyper, FoldState, Optimizer } from '../types.ts';
import { checkFiniteModel, checkSeed, checkStepSize, initialModel, intAtLeast, rethrowAt, show } from './check.ts';
import type { StepSize } from './check.ts';
import { clientBuffers, clientSteps } from './clientUpdate.ts';
import { checkDraws } from './draws.ts';
import type { ClientBuffers, ClientSpec } from './clientUpdate.ts';
import { validateProblem } from './problem.ts';

export interface CentralizedHyper extends CommonHyper {
  readonly loss: LossSpec;
  /** step size: a constant, or eta_t = a / (mu (t + b)) */
  readonly eta: StepSize;
  /** number of steps T (integer >= 0); each step is one round of the trace */
  readonly T: number;
}

export interface CentralizedContext {
  readonly fn: string;
  readonly problem: FederatedDataset;
  readonly X: Mat;
  readonly y: Vec;
  readonly T: number;
  readonly client: ClientSpec;
  readonly ws: { readonly buf: ClientBuffers };
}

export interface CentralizedState extends FoldState {
  readonly key: RngKey;
  readonly ctx: CentralizedContext;
}

export function centralizedOptimizer<H extends CentralizedHyper>(name: string, batchOf: (h: H) => number | null): Optimizer<H, CentralizedState> {
  const opt: Optimizer<H, CentralizedState> = {
    name,
    init(problem, h) {
      if (h === null || typeof h !== 'object') throw new Error(`${name}: hyperparameters must be an object, got ${show(h)}`);
      validateProblem(name, problem, h.loss);
      const eta = checkStepSize(name, h.eta);
      const T = intAtLeast(name, 'T', h.T, 0);
      const batch = batchOf(h);
      const { X, y } = pooled(problem);
      if (X.rows === 0) throw new Error(`${name}: every node (${problem.nodes.length}) has 0 rows; the pooled mean loss is undefined`);
      const key = rngKey(checkSeed(name, h.seed));
      const w0 = initialModel(name, problem.d, h.w0);
      const ctx: CentralizedContext = Object.freeze({
        fn: name, problem, X, y, T,
        client: Object.freeze({ loss: h.loss, eta, batch, noise: 0, key, draws: checkDraws(name, (h as { draws?: unknown }).draws) }),
        ws: Object.freeze({ buf: clientBuffers(problem.d, batch) }),
      });
      return Object.freeze({ round: 0, w: w0, communications: 0, localSteps: 0, done: T === 0, key, ctx });
    },
    step(s) {
      const { ctx } = s;
      if (s.done) throw new Error(`${name}.step: the run is finished (t = T = ${ctx.T})`);
      const w = new Float64Array(s.w.length);
      try {
        clientSteps(ctx.client, ctx.X, ctx.y, s.w, 1, 0, s.round, w, ctx.ws.buf);
      } catch (e) {
        rethrowAt(name, `step ${s.round}`, e);
      }
      const round = s.round + 1;
      checkFiniteModel(name, w, round, `eta = ${show(ctx.client.eta)}`);
      return Object.freeze({ round, w, communications: 0, localSteps: round, done: round >= ctx.T, key: s.key, ctx });
    },
    objective: (s) => datasetLoss(s.ctx.problem, s.ctx.client.loss, s.w),
    run: (problem, hyper) => runFold(opt, problem, hyper),
  };
  return Object.freeze(opt);
}
