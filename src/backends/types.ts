/**
 * The one backend interface shared by the CPU (f64) and WebGPU (f32) paths.
 *
 * A backend runs a BATCH of same-shape federated runs at once (B instances with the same node row counts, dimension,
 * loss and structural hyperparameters L, minibatch size, record; R (or T) too, except with record 'last') and returns, per instance, the trace of the
 * recorded rounds and a few reductions of the final model (loss, norm, minimum margin, direction error to a given
 * reference), so a screen needs only a few numbers per instance. `subject` is the same computation as a Subject
 * (capability record, src/spec/types.ts) for `lsgd-spec check --backend`.
 *
 * Precision: 'f64' runs are the reference optimizers of src/optimizers bit for bit; 'f32' runs carry the rounding
 * error bounded in src/backends/f32.ts (docs/gpu-backend.md derives it).
 */
import type { Vec } from '../numeric/types.ts';
import type { CentralizedGDHyper } from '../optimizers/centralizedGD.ts';
import type { LocalGDHyper } from '../optimizers/localGD.ts';
import type { LocalSGDHyper } from '../optimizers/localSGD.ts';
import type { Trace } from '../optimizers/types.ts';
import type { FederatedDataset } from '../problems/types.ts';

export type Precision = 'f64' | 'f32';
export const PRECISIONS: readonly Precision[] = ['f64', 'f32'];

export type BackendName = 'cpu' | 'webgpu';

/** The batched algorithms, named as the Subject capabilities they implement. */
export type BatchKind = 'localGD' | 'localSGD' | 'centralizedGD';
export const BATCH_KINDS: readonly BatchKind[] = ['localGD', 'localSGD', 'centralizedGD'];

export type HyperOf<K extends BatchKind> = K extends 'localGD' ? LocalGDHyper : K extends 'localSGD' ? LocalSGDHyper : CentralizedGDHyper;

export interface BatchJob<K extends BatchKind = BatchKind> {
  readonly kind: K;
  /** B problems of one shape: same task, d, number of nodes and rows per node */
  readonly problems: readonly FederatedDataset[];
  /** one hyperparameter object per problem; loss, L, R (or T), B and record must agree, eta/alpha/w0/seed may differ */
  readonly hypers: readonly HyperOf<K>[];
  /** optional reference per problem for the direction error ||w/||w|| - ref/||ref|| || of the final model */
  readonly references?: readonly Vec[];
}

/** Reductions of one instance's final model, computed where the run ran. */
export interface FinalStats {
  /** global objective F = sum_k alpha_k f_k at the final model */
  readonly loss: number;
  /** ||w||_2 */
  readonly norm: number;
  /** min_i y_i x_i^T w over all rows (meaningful for classification) */
  readonly minMargin: number;
  /** ||w/||w|| - ref/||ref|| ||_2, NaN without a reference (or with a zero model or reference) */
  readonly directionError: number;
  /** ||w - ref||_2, NaN without a reference */
  readonly distance: number;
}

export interface BatchResult {
  readonly precision: Precision;
  /** one trace per instance (the rounds asked for by `record`) */
  readonly traces: readonly Trace[];
  readonly stats: readonly FinalStats[];
}

export interface Backend {
  readonly name: BackendName;
  readonly precision: Precision;
  /** one line: which device or adapter runs the batches */
  readonly description: string;
  runBatch<K extends BatchKind>(job: BatchJob<K>): Promise<BatchResult>;
  /** the capabilities localGD, localSGD, centralizedGD as synchronous RunFns (a Subject) */
  subject(): Readonly<Record<BatchKind, (problem: FederatedDataset, hyper: never) => Trace>>;
  /** release the device (no-op on the CPU) */
  dispose(): void;
}
