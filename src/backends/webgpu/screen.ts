/**
 * The hunt's screen: run many instances of a theorem on a (GPU) backend, rank them by how close the observed value
 * comes to the bound, and hand the top ones to the regular CPU f64 property (confirm). A verdict never rests on the
 * screen: it only chooses which instances the CPU checks.
 *
 * Margin. The CPU property is violated when observed_f64 > bound + allowed (its f64 tolerance). With E32 a bound on
 * |observed_f32 - observed_exact| (the f32 error model, src/backends/f32.ts, carried through the observable) and E64
 * the same for f64, observed_f64 <= observed_f32 + E32 + E64, so an instance can be violated on the CPU only if
 * observed_f32 + margin > bound + allowed with margin = E32 + E64; and it is certainly violated if
 * observed_f32 - margin > bound + allowed. With z = (observed_f32 - bound - allowed) / margin, an instance is
 *   excluded   z <= -1   (the CPU property cannot be violated there),
 *   undecided  -1 < z <= 1,
 *   predicted  z > 1     (the CPU property must be violated there; confirm still runs it, so a verdict never rests
 *                         on the f32 run, nor on the error model alone).
 * Rows are ranked by z, largest first. Where the f32 margin exceeds the theorem's own bound (a claim finer than f32
 * can resolve), nothing is excluded, but the ranking still puts violations far beyond the margin first.
 *
 * Call (what `hunt --screen webgpu --batch 4096` does): draw instances from the theorem's arbitrary, then
 *   const r = await screen(backend, theorem's ScreenSpec, instances, { batch: 4096 });
 *   const confirmed = await confirm(theorem, instances, r.rows.slice(0, top), subject);
 * instances are grouped by spec.shapeKey (a batch holds one shape) and cut into batches of `batch`.
 */
import type { Trace } from '../../optimizers/types.ts';
import { evaluate } from '../../spec/evaluate.ts';
import type { Outcome } from '../../spec/evaluate.ts';
import type { AnyTheorem, Subject } from '../../spec/types.ts';
import type { Backend, BatchJob, FinalStats } from '../types.ts';

/** What a theorem tells the screen: how to batch its instances and read its observable, bound and margins. */
export interface ScreenSpec<I> {
  /** the theorem's id */
  readonly id: string;
  /** instances with the same key can share a batch (same shape; same R unless record is 'last') */
  shapeKey(instance: I): string;
  /** the batch job for instances of one key */
  job(instances: readonly I[]): BatchJob;
  /** the observable from one instance's trace and reductions */
  observe(instance: I, trace: Trace, stats: FinalStats): number;
  bound(instance: I): number;
  /** the CPU property's allowed slack at this instance (its f64 tolerance) */
  allowed(instance: I): number;
  /** E32 + E64 (see the header) */
  margin(instance: I): number;
}

export interface ScreenOptions {
  /** instances per batch (e.g. 4096 on a GPU; at most 256 on a software adapter keeps a batch quick) */
  readonly batch: number;
  /** rewrite each job before it runs (e.g. jobThrough a planted bug); default: as is */
  readonly rewrite?: (job: BatchJob) => BatchJob;
}

export interface ScreenRow {
  readonly index: number;
  readonly observed: number;
  readonly bound: number;
  readonly allowed: number;
  readonly margin: number;
  /** (observed - bound - allowed) / margin */
  readonly z: number;
  readonly status: 'excluded' | 'undecided' | 'predicted';
}

export interface ScreenResult {
  /** every instance, closest first */
  readonly rows: readonly ScreenRow[];
  readonly excluded: number;
  readonly predicted: number;
  readonly batches: number;
  readonly precision: string;
}

/** Screen `instances` on `backend` (see the header). Throws a one-line error for a bad batch size. */
export async function screen<I>(backend: Backend, spec: ScreenSpec<I>, instances: readonly I[], opts: ScreenOptions): Promise<ScreenResult> {
  if (!Number.isInteger(opts.batch) || opts.batch < 1) throw new Error(`screen(${spec.id}): batch must be an integer >= 1, got ${opts.batch}`);
  const groups = new Map<string, number[]>();
  instances.forEach((inst, i) => {
    const key = spec.shapeKey(inst);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  });
  const rows: ScreenRow[] = [];
  let batches = 0;
  for (const idx of groups.values()) {
    for (let s = 0; s < idx.length; s += opts.batch) {
      const part = idx.slice(s, s + opts.batch);
      const chunk = part.map((i) => instances[i]);
      const job = (opts.rewrite ?? ((j) => j))(spec.job(chunk));
      const res = await backend.runBatch(job);
      batches++;
      part.forEach((index, b) => {
        const inst = instances[index];
        const observed = spec.observe(inst, res.traces[b], res.stats[b]);
        const bound = spec.bound(inst);
        const allowed = spec.allowed(inst);
        const margin = spec.margin(inst);
        if (!(margin > 0) || !Number.isFinite(margin)) throw new Error(`screen(${spec.id}): instance ${index}: the margin must be positive and finite, got ${margin}`);
        const z = Number.isNaN(observed) ? Infinity : (observed - bound - allowed) / margin;
        rows.push({ index, observed, bound, allowed, margin, z, status: z <= -1 ? 'excluded' : z > 1 ? 'predicted' : 'undecided' });
      });
    }
  }
  rows.sort((a, b) => b.z - a.z || a.index - b.index);
  const count = (s: ScreenRow['status']) => rows.filter((r) => r.status === s).length;
  return { rows, excluded: count('excluded'), predicted: count('predicted'), batches, precision: backend.precision };
}

/** The regular f64 property on the screened instances (evaluate: hypotheses, observe, bound, tolerance, compare). */
export async function confirm<I>(
  theorem: AnyTheorem<I>, instances: readonly I[], rows: readonly ScreenRow[], subject: Subject, runTimeoutMs?: number,
): Promise<{ index: number; outcome: Outcome }[]> {
  const out: { index: number; outcome: Outcome }[] = [];
  for (const r of rows) out.push({ index: r.index, outcome: await evaluate(theorem, instances[r.index], subject, { profile: 'hunt', precision: 'f64' }, runTimeoutMs) });
  return out;
}

/**
 * A batch job as a Subject-level planted bug would run it: the mutant (src/gate/mutants) wraps a capture subject, so
 * the hyperparameters it rewrites (e.g. M02's weights) are the ones the batch runs with. Only for mutants that change
 * the hyperparameters; one that changes the trace after the run is not expressible as a batch.
 */
export function jobThrough(apply: (s: Subject) => Subject, job: BatchJob): BatchJob {
  const capture = { [job.kind]: (_p: unknown, h: unknown) => h } as Subject;
  const run = apply(capture)[job.kind] as (p: unknown, h: unknown) => unknown;
  return { ...job, hypers: job.problems.map((p, b) => run(p, job.hypers[b])) as never };
}
