import { describe, expect, it } from 'vitest';
import { ARBITRARY_NAMES, sampleInstance } from '../../src/arbitraries/index.ts';
import { run } from '../../src/cli/sample.ts';
import { parseDataset } from '../../src/problems/dataset.ts';

async function call(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out, err };
}

const DATASET_VALUED = ['overparameterisedRegression', 'underparameterisedRegression', 'separableClassification', 'nonSeparableClassification'];

describe('lsgd-spec sample', () => {
  it('prints one JSON line per arbitrary with --json: the dataset format for dataset-valued ones, the same for the same seed', async () => {
    for (const name of ARBITRARY_NAMES) {
      const a = await call([name, '--seed', '17', '--json']);
      const b = await call([name, '--json', '--seed=17']);
      expect(a.code).toBe(0);
      expect(a.out.length).toBe(1);
      expect(b.out).toEqual(a.out);
      expect(a.err.join('\n')).toContain(`${name} (seed 17, index 0)`);
      const json = JSON.parse(a.out[0]) as unknown;
      expect(json).toEqual(JSON.parse(JSON.stringify(sampleInstance(name, 17).json)));
      if (DATASET_VALUED.includes(name)) {
        const ds = parseDataset(json);
        expect(ds.nodes.length).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('with --json, what the dataset format cannot hold (w0, regimes) is on stderr', async () => {
    for (const name of ['overparameterisedRegression', 'underparameterisedRegression'] as const) {
      const r = await call([name, '--seed', '4', '--json']);
      const v = sampleInstance(name, 4).value as { w0: Float64Array; meta: { regimes: string[] } };
      const err = r.err.join('\n');
      expect(err).toContain(JSON.stringify(Array.from(v.w0)));
      expect(err).toMatch(/^w0\b.*: \[/m);
      expect(err).toContain(`regimes: ${v.meta.regimes.join(', ')}`);
    }
  });

  it('--index picks the I-th draw of the seed', async () => {
    const r = await call(['plProblem', '--seed', '3', '--index', '4', '--json']);
    expect(JSON.parse(r.out[0])).toEqual(JSON.parse(JSON.stringify(sampleInstance('plProblem', 3, 4).json)));
    const first = await call(['plProblem', '--seed', '3', '--json']);
    expect(first.out[0]).not.toBe(r.out[0]);
  });

  it('without --json prints the summary and then the same JSON, one node per line', async () => {
    const r = await call(['separableClassification', '--seed', '5']);
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toMatch(/^separableClassification \(seed 5, index 0\)\nclassification: K = \d+ nodes, N = \d+, d = \d+/);
    const jsonStart = text.indexOf('{');
    expect(JSON.parse(text.slice(jsonStart))).toEqual(JSON.parse(JSON.stringify(sampleInstance('separableClassification', 5).json)));
  });

  it('rejects an unknown arbitrary, a missing name and a bad seed with one line and exit code 2', async () => {
    const u = await call(['nope']);
    expect(u.code).toBe(2);
    expect(u.err).toEqual([`lsgd-spec: sample: unknown arbitrary 'nope' (known: ${ARBITRARY_NAMES.join(', ')})`]);
    const m = await call([]);
    expect(m.code).toBe(2);
    expect(m.err[0]).toMatch(/^lsgd-spec: sample: expected one arbitrary name, got 0/);
    const s = await call(['plProblem', '--seed', 'x']);
    expect(s.code).toBe(2);
    expect(s.err[0]).toBe("lsgd-spec: sample: --seed must be an integer written in decimal digits (like 42), got 'x'");
    const f = await call(['plProblem', '--smoothness', '2']);
    expect(f.err).toEqual(['lsgd-spec: sample: --smoothness applies only to hyperparameters, not plProblem']);
  });

  it('--smoothness sets beta for hyperparameters', async () => {
    const r = await call(['hyperparameters', '--smoothness', '8', '--json']);
    const h = JSON.parse(r.out[0]) as { eta: number; etaFraction: number; smoothness: number };
    expect(h.smoothness).toBe(8);
    expect(h.eta).toBe((h.etaFraction * 2) / 8);
  });
});
