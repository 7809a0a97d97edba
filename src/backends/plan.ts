/**
 * A batch job checked and flattened into the shape both backends' batch kernels and the f32 error model read.
 * Every instance is validated exactly as the reference optimizers validate it (federatedContext, the centralized
 * checks), so bad input gets the same one-line errors on every backend. Centralized GD is planned as one node
 * holding the pooled rows, one local step per round and R = T rounds: the same update as src/optimizers/parts/
 * centralized.ts (it calls clientSteps with L = 1 on the pooled data).
 */
import type { Vec } from '../numeric/types.ts';
import { recordPredicate } from '../optimizers/fold.ts';
import { checkSeed, checkStepSize, initialModel, intAtLeast, show } from '../optimizers/parts/check.ts';
import type { StepSize } from '../optimizers/parts/check.ts';
import type { Draws } from '../optimizers/parts/draws.ts';
import { federatedContext } from '../optimizers/parts/federated.ts';
import { validateProblem } from '../optimizers/parts/problem.ts';
import type { LossSpec } from '../problems/losses.ts';
import { pooled } from '../problems/dataset.ts';
import type { FederatedDataset } from '../problems/types.ts';
import type { CentralizedGDHyper } from '../optimizers/centralizedGD.ts';
import type { LocalSGDHyper } from '../optimizers/localSGD.ts';
import type { BatchJob, BatchKind } from './types.ts';

export interface PlannedInstance {
  /** the problem as the kernel sees it (centralized: one node with the pooled rows) */
  readonly problem: FederatedDataset;
  /** normalised aggregation weights (centralized: [1]) */
  readonly alpha: Float64Array;
  readonly w0: Vec;
  readonly eta: StepSize;
  readonly seed: number;
  /** the gate's explicit random draws (hyper.draws, src/optimizers/parts/draws.ts), used in place of the seeded rows */
  readonly draws?: Draws;
}

export interface RunPlan {
  readonly kind: BatchKind;
  readonly B: number;
  readonly d: number;
  readonly K: number;
  /** rows per node (of the planned problems) */
  readonly rows: readonly number[];
  readonly N: number;
  readonly loss: LossSpec;
  /** local steps per node */
  readonly L: readonly number[];
  readonly R: number;
  /** minibatch size, or null for full local gradients */
  readonly batch: number | null;
  /** rounds of each instance (all R unless record is 'last', which lets run lengths differ; R is their maximum) */
  readonly rounds: readonly number[];
  /** recorded rounds, increasing, within 0..R */
  readonly recorded: readonly number[];
  readonly instances: readonly PlannedInstance[];
}

const sameLoss = (a: LossSpec, b: LossSpec) => a.name === b.name && (a.l2 ?? 0) === (b.l2 ?? 0);

/** Validate a batch job and flatten it (throws a one-line error naming the instance, the field and the values). */
export function planBatch(job: BatchJob): RunPlan {
  const fn = `runBatch(${String(job?.kind)})`;
  if (job === null || typeof job !== 'object') throw new Error(`runBatch: the job must be an object, got ${show(job)}`);
  if (!['localGD', 'localSGD', 'centralizedGD'].includes(job.kind)) throw new Error(`runBatch: kind must be localGD, localSGD or centralizedGD, got ${show(job.kind)}`);
  const { problems, hypers } = job;
  if (!Array.isArray(problems) || problems.length === 0) throw new Error(`${fn}: problems must be a non-empty array, got ${show(problems)}`);
  if (!Array.isArray(hypers) || hypers.length !== problems.length) {
    throw new Error(`${fn}: hypers must have one entry per problem (${problems.length}), got ${Array.isArray(hypers) ? hypers.length : show(hypers)}`);
  }
  if (job.references !== undefined && job.references.length !== problems.length) {
    throw new Error(`${fn}: references must have one entry per problem (${problems.length}), got ${job.references.length}`);
  }
  const instances: PlannedInstance[] = [];
  let L: number[] = [];
  let R = 0;
  const rounds: number[] = [];
  const onlyLast = (hypers[0] as { record?: unknown })?.record === 'last';
  let batch: number | null = null;
  let loss: LossSpec | undefined;
  for (let b = 0; b < problems.length; b++) {
    const at = `${fn}: instance ${b}`;
    const problem = problems[b];
    const h = hypers[b] as Record<string, unknown>;
    if (h === null || typeof h !== 'object') throw new Error(`${at}: hyperparameters must be an object, got ${show(h)}`);
    let inst: PlannedInstance;
    let Lb: number[];
    let Rb: number;
    let batchB: number | null = null;
    if (job.kind === 'centralizedGD') {
      const hc = h as unknown as CentralizedGDHyper;
      validateProblem(at, problem, hc.loss);
      const P = pooled(problem);
      if (P.X.rows === 0) throw new Error(`${at}: every node (${problem.nodes.length}) has 0 rows; the pooled mean loss is undefined`);
      inst = {
        problem: { task: problem.task, d: problem.d, nodes: [{ X: P.X, y: P.y }] },
        alpha: Float64Array.of(1), w0: initialModel(at, problem.d, hc.w0), eta: checkStepSize(at, hc.eta), seed: checkSeed(at, hc.seed),
      };
      Lb = [1];
      Rb = intAtLeast(at, 'T', hc.T, 0);
    } else {
      if (h.participants !== undefined) throw new Error(`${at}: partial participation (participants = ${show(h.participants)}) is not batched; run it on the cpu backend`);
      if (job.kind === 'localSGD') batchB = intAtLeast(at, 'B', (h as unknown as LocalSGDHyper).B, 1);
      const { ctx, w0 } = federatedContext(at, problem, h as unknown as LocalSGDHyper, { batch: batchB, noise: 0 }, { kind: 'average' });
      inst = { problem, alpha: ctx.alpha, w0, eta: ctx.client.eta, seed: checkSeed(at, h.seed), ...(ctx.client.draws ? { draws: ctx.client.draws } : {}) };
      Lb = [...ctx.L];
      Rb = ctx.R;
    }
    if (job.kind !== 'centralizedGD' && inst.problem.nodes.some((nd, k) => nd.X.rows === 0 && inst.alpha[k] > 0)) {
      throw new Error(`${at}: a node with 0 rows has a positive weight`);
    }
    const lossB = (h as { loss: LossSpec }).loss;
    if (!['squared', 'exponential', 'logistic'].includes(lossB.name)) throw new Error(`${at}: loss '${lossB.name}' is not batched (squared, exponential, logistic are); run it on the cpu backend`);
    if (b === 0) {
      L = Lb;
      R = Rb;
      batch = batchB;
      loss = lossB;
    } else {
      const first = instances[0].problem;
      const p = inst.problem;
      if (p.d !== first.d || p.task !== first.task || p.nodes.length !== first.nodes.length || p.nodes.some((nd, k) => nd.X.rows !== first.nodes[k].X.rows)) {
        throw new Error(`${at}: shape (task ${p.task}, d = ${p.d}, rows ${p.nodes.map((nd) => nd.X.rows).join('/')}) differs from instance 0 (task ${first.task}, d = ${first.d}, rows ${first.nodes.map((nd) => nd.X.rows).join('/')}); a batch holds one shape`);
      }
      if (!sameLoss(lossB, loss!)) throw new Error(`${at}: loss ${JSON.stringify(lossB)} differs from instance 0's ${JSON.stringify(loss)}`);
      if ((Rb !== rounds[0] && !onlyLast) || Lb.some((v, k) => v !== L[k]) || batchB !== batch) {
        throw new Error(`${at}: L/R/T/B (${Lb.join(',')}/${Rb}/${batchB}) differ from instance 0's (${L.join(',')}/${rounds[0]}/${batch}); a batch shares them (R and T may differ only with record 'last')`);
      }
      R = Math.max(R, Rb);
    }
    if (job.references !== undefined && job.references[b].length !== p0d(inst)) {
      throw new Error(`${at}: reference has ${job.references[b].length} entries but d = ${p0d(inst)}`);
    }
    rounds.push(Rb);
    instances.push(inst);
  }
  const rec0 = (hypers[0] as { record?: unknown }).record;
  for (let b = 1; b < hypers.length; b++) {
    if (JSON.stringify((hypers[b] as { record?: unknown }).record) !== JSON.stringify(rec0)) throw new Error(`${fn}: instance ${b}: record differs from instance 0's; a batch shares it`);
  }
  const wanted = recordPredicate(job.kind, (hypers[0] as { record?: never }).record);
  const recorded: number[] = [];
  for (let r = 0; r <= R; r++) if (wanted(r, r === R)) recorded.push(r);
  if (Array.isArray(rec0) && rec0.length > 0 && rec0[rec0.length - 1] > R) {
    throw new Error(`${job.kind}: record asks for round ${rec0[rec0.length - 1]} but the run ended after round ${R}`);
  }
  const p0 = instances[0].problem;
  const rows = p0.nodes.map((nd) => nd.X.rows);
  return {
    kind: job.kind, B: problems.length, d: p0.d, K: rows.length, rows, N: rows.reduce((a, v) => a + v, 0),
    loss: loss!, L, R, rounds, batch, recorded, instances,
  };
}

function p0d(inst: PlannedInstance): number {
  return inst.problem.d;
}
