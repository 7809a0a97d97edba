/**
 * `lsgd-spec solve`: the JSON contract other tools rely on ({"w": [...], "certificate": {...}}, "gamma" for
 * max-margin, "F" for pl-optimum), agreement with the library on the pooled data, and every error path
 * (usage and input errors exit 2, a solver's certified 'no solution' exits 1; errors are one line on stderr and,
 * with --json, also a JSON object on stdout).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { run } from '../../src/cli/solve.ts';
import { matFromRows } from '../../src/numeric/index.ts';
import { maxMarginSolution, minNormSolution, plOptimum } from '../../src/precise/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'lsgd-solve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, json: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof json === 'string' ? json : JSON.stringify(json));
  return p;
}

async function call(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out, err };
}

const reg = { task: 'regression', nodes: [{ X: [[1, 0.5, 0], [0, 1, 2]], y: [1, -0.5] }, { X: [[2, 0, 1]], y: [0.25] }] };
const cls = { task: 'classification', nodes: [{ X: [[1, 0.5], [2, -1]], y: [1, -1] }, { X: [[0.5, 2]], y: [1] }] };
const nonsep = { task: 'classification', nodes: [{ X: [[1, 0.5]], y: [1] }, { X: [[1, 0.5]], y: [-1] }] };
const pooledReg = { X: matFromRows([[1, 0.5, 0], [0, 1, 2], [2, 0, 1]]), y: Float64Array.from([1, -0.5, 0.25]) };
const pooledCls = { X: matFromRows([[1, 0.5], [2, -1], [0.5, 2]]), y: Float64Array.from([1, -1, 1]) };

describe('lsgd-spec solve: results', () => {
  it('min-norm --json: w and certificate of the pooled data, as minNormSolution computes them', async () => {
    const r = await call(['min-norm', '--data', file('reg.json', reg), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out[0]) as { w: string[]; certificate: Record<string, unknown> };
    const lib = minNormSolution(pooledReg.X, pooledReg.y);
    expect(j.w).toEqual(lib.wDecimal);
    expect(j.certificate).toEqual(JSON.parse(JSON.stringify(lib.certificate)));
  });

  it('max-margin --json adds gamma (and support, alpha); --digits is honoured', async () => {
    const r = await call(['max-margin', '--data', file('cls.json', cls), '--digits', '30', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out[0]) as { w: string[]; gamma: string; support: number[]; certificate: { digitsAchieved: number } };
    const lib = maxMarginSolution(pooledCls.X, pooledCls.y, { digits: 30 });
    expect(j.w).toEqual(lib.wDecimal);
    expect(j.gamma).toBe(lib.gammaDecimal);
    expect(j.support).toEqual(lib.support);
    expect(j.certificate.digitsAchieved).toBe(30);
  });

  it('pl-optimum: least squares for regression (with --lambda), logistic for classification', async () => {
    const a = await call(['pl-optimum', '--data', file('reg2.json', reg), '--lambda', '0.5', '--json']);
    expect(a.code).toBe(0);
    const ja = JSON.parse(a.out[0]) as { w: string[]; F: string };
    const la = plOptimum({ kind: 'least-squares', A: pooledReg.X, b: pooledReg.y, lambda: 0.5 });
    expect([ja.w, ja.F]).toEqual([la.xDecimal, la.FDecimal]);
    const b = await call(['pl-optimum', '--data', file('cls2.json', cls), '--lambda=0.25', '--json', '--digits', '20']);
    expect(b.code).toBe(0);
    const lb = plOptimum({ kind: 'logistic', X: pooledCls.X, y: pooledCls.y, lambda: 0.25 }, { digits: 20 });
    expect((JSON.parse(b.out[0]) as { F: string }).F).toBe(lb.FDecimal);
    // --lambda 0 on data that are not separable through the origin (z_1 + z_2 + z_3 = 0): plain logistic
    const plain = { task: 'classification', nodes: [{ X: [[1, 0], [0, 1]], y: [1, 1] }, { X: [[1, 1]], y: [-1] }] };
    const c = await call(['pl-optimum', '--data', file('cls0.json', JSON.stringify(plain)), '--lambda', '0', '--json']);
    expect(c.code).toBe(0);
    const lc = plOptimum({ kind: 'logistic', X: matFromRows([[1, 0], [0, 1], [1, 1]]), y: Float64Array.from([1, 1, -1]), lambda: 0 });
    expect((JSON.parse(c.out[0]) as { w: string[] }).w).toEqual(lc.xDecimal);
    // on separable data it is a one-line error, not an answer
    const sep = await call(['pl-optimum', '--data', file('cls1.json', cls), '--lambda', '0']);
    expect([sep.code, sep.err.length, sep.err[0]]).toEqual([1, 1, expect.stringMatching(/^lsgd-spec: plOptimum: logistic .*separable/)]);
  });

  it('pl-optimum and node weights: proportional to the row counts is the pooled mean loss; any other weighting is refused, not ignored', async () => {
    const ds = (w: [number, number]): string => JSON.stringify({ task: 'regression', nodes: [
      { X: [[1, 0, 0], [0, 1, 0]], y: [1, 2], weight: w[0] }, { X: [[1, 1, 1]], y: [0], weight: w[1] }] });
    const plain = await call(['pl-optimum', '--data', file('w0.json', JSON.stringify({ task: 'regression', nodes: [
      { X: [[1, 0, 0], [0, 1, 0]], y: [1, 2] }, { X: [[1, 1, 1]], y: [0] }] })), '--json']);
    const prop = await call(['pl-optimum', '--data', file('w1.json', ds([1, 0.5])), '--json']);
    expect([plain.code, prop.code]).toEqual([0, 0]);
    expect(prop.out).toEqual(plain.out);
    const off = await call(['pl-optimum', '--data', file('w2.json', ds([100, 1]))]);
    expect([off.code, off.err[0]]).toEqual([2, 'lsgd-spec: solve: pl-optimum solves the pooled mean loss (node weights n_k/N), but node 1 has weight 1 for 1 row(s) and node 0 weight 100 for 2 row(s): weights not proportional to the row counts are not supported']);
    // min-norm does not depend on the weights
    const mn = await call(['min-norm', '--data', file('w3.json', ds([100, 1])), '--json']);
    const mn0 = await call(['min-norm', '--data', file('w4.json', ds([1, 1])), '--json']);
    expect([mn.code, mn0.code, mn.out]).toEqual([0, 0, mn0.out]);
  });

  it('without --json prints a readable summary with the certificate', async () => {
    const r = await call(['max-margin', '--data', file('cls3.json', cls)]);
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toMatch(/^max-margin on .*cls3\.json: classification, 2 node\(s\), N = 3, d = 2, 50 digits\ngamma\* = 0\.6575959/);
    expect(text).toMatch(/certificate:\n {2}alphaMin: /);
  });
});

describe('lsgd-spec solve: errors', () => {
  it.each([
    [['nope', '--data', 'x.json'], /solve: unknown problem 'nope' \(expected one of: min-norm, max-margin, pl-optimum\)/],
    [['min-norm'], /solve: --data FILE is required/],
    [[], /solve: expected one problem, got 0/],
    [['min-norm', '--data', 'x.json', '--lambda', '1'], /solve: --lambda applies only to pl-optimum, not min-norm/],
    [['pl-optimum', '--data', 'x.json', '--lambda', 'abc'], /solve: --lambda must be a decimal number \(like 0.5 or 1e-3\), got 'abc'/],
    [['min-norm', '--data', 'x.json', '--digits', '5'], /solve: --digits must be in \[6, 300\], got 5/],
    [['min-norm', '--data', 'x.json', '--bogus'], /solve: unknown flag --bogus/],
  ])('usage error %#: one line on stderr, exit code 2', async (argv, msg) => {
    const r = await call(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.err.length).toBe(1);
    expect(r.err[0]).toMatch(msg);
    expect(r.out).toEqual([]);
  });

  it('input errors exit 2, a certified "no solution" exits 1, each with the library message', async () => {
    const missing = await call(['min-norm', '--data', join(dir, 'missing.json')]);
    expect([missing.code, missing.err]).toEqual([2, [`lsgd-spec: solve: --data ${join(dir, 'missing.json')}: no such file`]]);
    const bad = await call(['min-norm', '--data', file('bad.json', '{"task": "regression", "nodes": [')]);
    expect([bad.code, bad.err[0]]).toEqual([2, expect.stringMatching(/^lsgd-spec: loadDataset: .*invalid JSON/)]);
    const mmReg = await call(['max-margin', '--data', file('reg3.json', reg)]);
    expect([mmReg.code, mmReg.err[0]]).toEqual([2, "lsgd-spec: solve: max-margin needs a classification dataset (task is 'regression')"]);
    const noLam = await call(['pl-optimum', '--data', file('cls4.json', cls)]);
    expect([noLam.code, noLam.err[0]]).toEqual([2, 'lsgd-spec: solve: pl-optimum on a classification dataset (logistic loss) needs --lambda (>= 0; 0 only for non-separable data)']);
    const incons = await call(['min-norm', '--data', file('cls5.json', cls)]);
    expect([incons.code, incons.err[0]]).toEqual([1, expect.stringMatching(/^lsgd-spec: minNormSolution: inconsistent system Xw = y: rank\(X\) = 2 < rank\(\[X \| y\]\) = 3/)]);
  });

  it('not separable with --json: the line on stderr, a JSON error carrying the exact witness on stdout', async () => {
    const r = await call(['max-margin', '--data', file('nonsep.json', nonsep), '--json']);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([expect.stringMatching(/^lsgd-spec: maxMarginSolution: the data are not separable through the origin/)]);
    const j = JSON.parse(r.out[0]) as { error: string; exitCode: number; witness: { indices: number[]; numerators: string[]; denominator: string } };
    expect(j.error).toMatch(/^maxMarginSolution: the data are not separable through the origin/);
    expect(j.exitCode).toBe(1);
    expect(j.witness).toMatchObject({ indices: [0, 1], numerators: ['1', '1'], denominator: '2' });
  });

  it('through the real executable: a solver error gives a non-zero exit status and the message on stderr', () => {
    const q = spawnSync(process.execPath, ['bin/lsgd-spec.js', 'solve', 'max-margin', '--data', file('nonsep2.json', nonsep)], { encoding: 'utf8' });
    expect(q.status).toBe(1);
    expect(q.stdout).toBe('');
    expect(q.stderr).toMatch(/not separable through the origin/);
  });

  it('a duplicate key in the dataset: exit 2 (an input error) naming the key and its place (JSON.parse kept the last value)', async () => {
    const p = file('dup.json', '{"task": "regression", "nodes": [{"X": [[1, 2]], "y": [1], "X": [[3, 4]]}]}');
    const r = await call(['min-norm', '--data', p]);
    expect([r.code, r.err]).toEqual([2, [`lsgd-spec: loadDataset: ${p}: duplicate key "X" in nodes[0] at line 1, column 60; each key may appear once in an object`]]);
  });
});

describe('lsgd-spec solve: extreme values in the file', () => {
  it.each([
    // X = s [[1, 0, 1], [0, 1, -1]], y = s (1, 1): the answer (1, 1, 0) for every scale s
    ['1e308', 1e308],
    ['5e-324', 5e-324],
  ])('min-norm with entries %s: the certified answer (1, 1, 0)', async (name, s) => {
    const data = `{"task": "regression", "nodes": [{"X": [[${s}, 0, ${s}], [0, ${s}, -${s}]], "y": [${s}, ${s}]}]}`;
    const r = await call(['min-norm', '--data', file(`ext-${name}.json`, data), '--json']);
    expect(r.err).toEqual([]);
    expect((JSON.parse(r.out[0]) as { w: string[] }).w).toEqual(['1', '1', '0']);
  });

  it('max-margin on diag(1e200, 1e-200): both rows active, w = (1e-200, 1e200) to 20 digits', async () => {
    const data = '{"task": "classification", "nodes": [{"X": [[1e200, 0], [0, 1e-200]], "y": [1, 1]}]}';
    const r = await call(['max-margin', '--data', file('ext-mm.json', data), '--json', '--digits', '20']);
    expect(r.err).toEqual([]);
    const j = JSON.parse(r.out[0]) as { w: string[]; support: number[] };
    expect(j.support).toEqual([0, 1]);
    // 1 / double(1e200) and 1 / double(1e-200), correctly rounded to 20 digits
    expect(j.w.map((v) => Number(v))).toEqual([1 / 1e200, 1 / 1e-200]);
  });
});
