/**
 * The hunt's screen on the GPU: many Z-N1-l1-plain cases run in f32 batches and are ranked by how close they come to
 * the bound (margin = f32 + f64 rounding, src/backends/webgpu/screen.ts). On the correct kernel no case is predicted
 * to violate; with the planted bug M02-uniform-weights (uniform weights, src/gate/mutants/M02-uniform-weights.ts) rewriting the batch,
 * the screen predicts violations and the regular CPU f64 property confirms the top ones on the mutant CPU subject.
 */
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import type { Backend } from '../../src/backends/types.ts';
import { confirm, jobThrough, screen, webgpuBackend } from '../../src/backends/webgpu/index.ts';
import { cpuBackend } from '../../src/backends/cpu/index.ts';
import { mutant as M02 } from '../../src/gate/mutants/M02-uniform-weights.ts';
import { builtinSubject } from '../../src/subject/builtin.ts';
import { plainCases } from '../../properties/implicit-bias/nonseparable.plain.support.ts';
import { screen as plainScreen, spec as plain } from '../../properties/implicit-bias/nonseparable.l1-plain.prop.ts';

const seed = Number(process.env.LSGD_SEED ?? 42);
const got = await webgpuBackend();
const gpu: Backend | undefined = 'runBatch' in got ? got : undefined;
afterAll(() => gpu?.dispose());

// two or three nodes, mostly of unequal sizes (where uniform weights differ from n_k/N); runs of at most 2500 rounds
// keep the test quick on a software adapter
const cases = fc.sample(plainCases({ minNodes: 2, maxNodes: 3, maxDim: 2 }), { seed, numRuns: 24 }).filter((c) => c.schedule.T <= 2500);

it('the screen predicts no violation on the correct kernel and ranks the planted bug first, which the CPU f64 property confirms', async () => {
  const backend = gpu ?? cpuBackend();
  if (gpu === undefined) expect(process.env.CI).not.toBe('true');
  const ok = await screen(backend, plainScreen, cases, { batch: 8 });
  expect(ok.rows).toHaveLength(cases.length);
  expect(ok.predicted).toBe(0);
  const bad = await screen(backend, plainScreen, cases, { batch: 8, rewrite: (j) => jobThrough(M02.apply, j) });
  expect(bad.predicted).toBeGreaterThan(0);
  const top = bad.rows.slice(0, 3).filter((r) => r.status === 'predicted');
  expect(top.length).toBeGreaterThan(0);
  const outcomes = await confirm(plain, cases, top, M02.apply(builtinSubject));
  expect(outcomes.map((o) => o.outcome.type)).toEqual(top.map(() => 'violation'));
  // and the same instances hold on the correct CPU subject: the screen's flag is the bug, not the instance
  const clean = await confirm(plain, cases, top, builtinSubject);
  expect(clean.map((o) => o.outcome.type)).toEqual(top.map(() => 'pass'));
}, 180_000);

it('a batch size that is not a positive integer is refused naming the value', async () => {
  await expect(screen(cpuBackend(), plainScreen, cases, { batch: 0 })).rejects.toThrow('screen(Z-N1-l1-plain): batch must be an integer >= 1, got 0');
});
