/**
 * The CPU backend: the reference f64 optimizers of src/optimizers, one instance after another. A batch on this
 * backend is, bit for bit, the reference runs of its instances; it is the baseline the WebGPU backend is compared
 * with and the fallback of `--backend auto`.
 */
import { centralizedGD } from '../../optimizers/centralizedGD.ts';
import { localGD } from '../../optimizers/localGD.ts';
import { localSGD } from '../../optimizers/localSGD.ts';
import type { RunFn, Trace } from '../../optimizers/types.ts';
import { planBatch } from '../plan.ts';
import { finalStats } from '../stats.ts';
import type { Backend, BatchJob, BatchKind, BatchResult } from '../types.ts';

const RUNS: Readonly<Record<BatchKind, RunFn<never>>> = Object.freeze({
  localGD: localGD.run as RunFn<never>,
  localSGD: localSGD.run as RunFn<never>,
  centralizedGD: centralizedGD.run as RunFn<never>,
});

export function cpuBackend(): Backend {
  return Object.freeze({
    name: 'cpu' as const,
    precision: 'f64' as const,
    description: 'cpu: the reference f64 optimizers (src/optimizers)',
    async runBatch(job: BatchJob): Promise<BatchResult> {
      const plan = planBatch(job);
      const traces: Trace[] = [];
      const stats = plan.instances.map((inst, b) => {
        const trace = RUNS[plan.kind](job.problems[b], job.hypers[b] as never);
        traces.push(trace);
        const w = Float64Array.from(trace.models[trace.models.length - 1] ?? inst.w0);
        const last = trace.rounds[trace.rounds.length - 1] === plan.R ? w : finalModel(plan.kind, job, b);
        return finalStats(inst.problem, plan.loss, inst.alpha, last, job.references?.[b]);
      });
      return { precision: 'f64', traces, stats };
    },
    subject: () => RUNS,
    dispose: () => undefined,
  });
}

/** The final model when `record` left it out of the trace. */
function finalModel(kind: BatchKind, job: BatchJob, b: number): Float64Array {
  const t = RUNS[kind](job.problems[b], { ...(job.hypers[b] as object), record: 'last' } as never);
  return Float64Array.from(t.models[t.models.length - 1]);
}
