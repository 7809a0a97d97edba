/**
 * Small same-shape batches for the backend tests: entries on the dyadic grid k/8 in [-2, 2] (exact in f32 and f64),
 * labels +-1 for classification, drawn from the counter-based generator so a batch is a pure function of its seed.
 */
import { uniformAt, rngKey } from '../../src/optimizers/rng.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';

export function batchOf(seed: number, B: number, task: 'regression' | 'classification', d: number, rows: readonly number[]): FederatedDataset[] {
  const key = rngKey(seed, 7);
  let c = 0;
  const draw = () => Math.round((uniformAt(key, 9, 0, 0, c++) - 0.5) * 32) / 8;
  return Array.from({ length: B }, () => ({
    task, d,
    nodes: rows.map((n) => ({
      X: { rows: n, cols: d, data: Float64Array.from({ length: n * d }, draw) },
      y: Float64Array.from({ length: n }, () => (task === 'classification' ? (draw() >= 0 ? 1 : -1) : draw())),
    })),
  }));
}

/** eta = 1 / (the largest row's squared norm times the loss curvature), rounded down to a power of two. */
export function safeEta(problems: readonly FederatedDataset[], curvature: number): number {
  let m = 0;
  for (const p of problems) for (const nd of p.nodes) for (let i = 0; i < nd.X.rows; i++) {
    let q = 0;
    for (let j = 0; j < nd.X.cols; j++) q += nd.X.data[i * nd.X.cols + j] ** 2;
    m = Math.max(m, q);
  }
  return 2 ** Math.floor(Math.log2(1 / (curvature * m)));
}
