/**
 * The WebGPU backend as a Subject (a worker thread holds the device; calls block until it answers), `--backend`
 * selection and its fallback, and a theorem checked at f32 on the GPU: it holds on the correct kernel and is
 * violated when the planted bug M02-uniform-weights (uniform weights, src/gate/mutants/M02-uniform-weights.ts) wraps the GPU subject.
 */
import { expect, it } from 'vitest';
import { runBound } from '../../src/backends/f32.ts';
import { planBatch } from '../../src/backends/plan.ts';
import { selectBackend } from '../../src/backends/select.ts';
import { mutant as M02 } from '../../src/gate/mutants/M02-uniform-weights.ts';
import { localGD } from '../../src/optimizers/localGD.ts';
import { checkTheorem } from '../../src/spec/runner.ts';
import { runCheck } from '../../src/cli/check.ts';
import { spec as plain } from '../../properties/implicit-bias/nonseparable.l1-plain.prop.ts';
import { spec as limitCentralized } from '../../properties/implicit-bias/regression.limit-centralized.prop.ts';
import { batchOf, safeEta } from './instances.ts';

const seed = Number(process.env.LSGD_SEED ?? 42);
const auto = await selectBackend('auto');

it('--backend auto finds the adapter on CI (.ci/run installs Mesa llvmpipe); elsewhere it says why in one line', () => {
  if (process.env.CI === 'true') expect(auto.backend).toBe('webgpu');
  expect(auto.note).not.toContain('\n');
  expect(auto.precision).toBe(auto.backend === 'webgpu' ? 'f32' : 'f64');
});

it('auto falls back to the cpu with one line when there is no adapter or the probe throws; webgpu then refuses; bad choices are named', async () => {
  const none = async () => ({ ok: false as const, reason: 'no WebGPU adapter (default: no adapter)' });
  const broken = async () => { throw new Error('dawn exploded\nstack'); };
  const a = await selectBackend('auto', none);
  expect(a).toMatchObject({ backend: 'cpu', precision: 'f64', note: 'backend auto: no WebGPU adapter (default: no adapter); running on the cpu (f64)' });
  expect((await selectBackend('auto', broken)).note).toBe('backend auto: dawn exploded; running on the cpu (f64)');
  await expect(selectBackend('webgpu', none)).rejects.toThrow('--backend webgpu: no WebGPU adapter (default: no adapter)');
  await expect(selectBackend('cuda')).rejects.toThrow("--backend must be one of cpu, webgpu, auto, got 'cuda'");
  expect((await selectBackend('cpu')).backend).toBe('cpu');
});

it('the GPU subject returns the reference trace shape within the derived f32 bound, and bad input as a one-line error', () => {
  if (auto.backend !== 'webgpu') return expect(process.env.CI).not.toBe('true');
  const [problem] = batchOf(21, 1, 'regression', 4, [2, 3]);
  const hyper = { loss: { name: 'squared' as const }, eta: safeEta([problem], 1), L: 2, R: 6 };
  const run = auto.subject.localGD as typeof localGD.run;
  const tg = run(problem, hyper);
  const tc = localGD.run(problem, hyper);
  expect(tg.rounds).toEqual(tc.rounds);
  const bound = runBound(planBatch({ kind: 'localGD', problems: [problem], hypers: [hyper] }), 0);
  tg.models.forEach((w, s) => expect(Math.hypot(...Array.from(w, (v, i) => v - tc.models[s][i]))).toBeLessThanOrEqual(bound.model[s]));
  expect(() => run(problem, { ...hyper, R: -1 })).toThrow(/^runBatch\(localGD\): instance 0: R must be an integer >= 0, got -1$/);
});

it('Z-N1-l1-plain at f32 on the GPU: holds on the kernel, violated by the planted bug M02-uniform-weights wrapped around it', async () => {
  if (auto.backend !== 'webgpu') return expect(process.env.CI).not.toBe('true');
  const ok = await checkTheorem(plain, { subject: auto.subject, seed, profile: 'ci', precision: 'f32', numRuns: 4 });
  expect(ok.status).toBe('holds');
  const bad = await checkTheorem(plain, { subject: M02.apply(auto.subject), seed, profile: 'ci', precision: 'f32', numRuns: 24, shrink: false });
  expect(bad.status).toBe('violated');
}, 180_000);

it('check --backend auto prints the device line, checks at f32, says "not applicable at f32" with the reason, and replays with --backend', async () => {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
  const code = await runCheck(['--backend', 'auto', '--id', 'Z-N1-l1-plain', '--id', 'Z-R1-min-norm', '--profile', 'ci', '--runs', '2', '--seed', String(seed)], io);
  expect(code).toBe(0);
  expect(err.some((l) => /^backend (webgpu \(f32\)|auto: .*; running on the cpu \(f64\))/.test(l))).toBe(true);
  const text = out.join('\n');
  expect(text).toMatch(/Z-N1-l1-plain holds/);
  if (auto.backend === 'webgpu') expect(text).toMatch(/Z-R1-min-norm .*not applicable at f32: its tolerance is derived for f64 arithmetic only/);
  const usage: string[] = [];
  expect(await runCheck(['--backend', 'webgpu', '--subject', 'x.ts'], { out: () => {}, err: (s: string) => usage.push(s) })).toBe(2);
  expect(usage.join('\n')).toMatch(/--backend .* cannot be combined with --subject or --subject-cmd/);
}, 180_000);

it('Z-R1-centralized at f32 on the GPU: holds, and a GPU Local-GD that ignores w0 (starts at 0) is violated', async () => {
  if (auto.backend !== 'webgpu') return expect(process.env.CI).not.toBe('true');
  const ok = await checkTheorem(limitCentralized, { subject: auto.subject, seed, profile: 'ci', precision: 'f32', numRuns: 6 });
  expect(ok.status).toBe('holds');
  const run = auto.subject.localGD as typeof localGD.run;
  const fromZero = { ...auto.subject, localGD: (p: Parameters<typeof run>[0], h: Parameters<typeof run>[1]) => run(p, { ...h, w0: undefined }) };
  const bad = await checkTheorem(limitCentralized, { subject: fromZero, seed, profile: 'ci', precision: 'f32', numRuns: 20, shrink: false });
  expect(bad.status).toBe('violated');
}, 180_000);
