/** Plot evidence (src/spec/plot.ts): what the runner keeps, and that a plot never changes a verdict. */
import { describe, expect, it } from 'vitest';
import { redefine } from '../../src/spec/defineTheorem.ts';
import type { RunContext, Subject } from '../../src/spec/types.ts';
import { PlotCollector, plotCaseProblem, thinIndices, type PlotSpec } from '../../src/spec/plot.ts';
import { checkTheorem } from '../../src/spec/runner.ts';
import { buggySubject, coinFrequency, correctSubject, maxBelowMean, sumReverse } from './fixtures/toy.ts';

const seed = 7;
type Xs = readonly number[];

/** one case per list length; x = index, y = the list; kept: what observe handed to ctx.keep */
const byLength: PlotSpec<Xs, number> = {
  title: 'entries', x: { title: 'i' }, y: { title: 'x_i' }, cases: 3,
  series: (xs, observed, bound, kept) => ({
    label: `n = ${xs.length}`,
    lines: [{ name: 'x', x: xs.map((_, i) => i), y: [...xs] }, { name: 'sum', role: 'reference', x: [0], y: [(bound as number) - observed + (kept[0] as number)] }],
  }),
};

describe('PlotCollector', () => {
  it('keeps the first case of each new label, up to `cases`, and copies typed arrays to plain arrays', () => {
    const c = new PlotCollector<Xs, number>(byLength);
    for (const xs of [[1], [2], [1, 2], [3, 4, 5], [9, 9, 9, 9]]) {
      const sink = c.keeper();
      if (sink) c.offer(xs, 0, 0, [0]);
    }
    const e = c.evidence()!;
    expect(e.cases.map((k) => k.label)).toEqual(['n = 1', 'n = 2', 'n = 3']);
    expect(e.cases[0].lines[0]).toEqual({ name: 'x', role: 'observed', x: [0], y: [1] });
    expect(c.keeper()).toBeUndefined();
    const typed = new PlotCollector<Xs, number>({ ...byLength, series: () => ({ label: 'a', lines: [{ name: 'l', x: Float64Array.of(1, 2), y: Float64Array.of(3, 4) } as never] }) });
    typed.offer([], 0, 0, []);
    expect(Array.isArray(typed.evidence()!.cases[0].lines[0].x)).toBe(true);
  });

  it('records an error of series instead of raising it, and stops collecting', () => {
    const c = new PlotCollector<Xs, number>({ ...byLength, series: () => { throw new Error('boom'); } });
    c.offer([1], 0, 0, []);
    expect(c.evidence()).toMatchObject({ cases: [], error: 'plot.series threw: boom' });
    expect(c.keeper()).toBeUndefined();
    const bad = new PlotCollector<Xs, number>({ ...byLength, series: () => ({ label: 'a', lines: [{ name: 'l', x: [1, 2], y: [1] }] }) });
    bad.offer([1], 0, 0, []);
    expect(bad.evidence()!.error).toBe('plot.series: lines[0] needs x and y arrays of numbers of equal length');
  });

  it('plotCaseProblem names the rule broken', () => {
    expect(plotCaseProblem(null)).toBe('must return { label, lines }, got null');
    expect(plotCaseProblem({ label: 'a', lines: [] })).toBe('lines must be a non-empty array');
    expect(plotCaseProblem({ label: 'a', lines: [{ name: 'l', x: [1], y: [2], lo: [1, 2] }] })).toBe('lines[0].lo must be an array as long as x');
    expect(plotCaseProblem({ label: 'a', lines: [{ name: 'l', x: [1], y: [2], lo: [1], hi: [3] }] })).toBeNull();
  });

  it('thinIndices keeps the first and the last point and at most max points', () => {
    expect(thinIndices(5, 10)).toEqual([0, 1, 2, 3, 4]);
    const t = thinIndices(1001, 150);
    expect(t[0]).toBe(0);
    expect(t.at(-1)).toBe(1000);
    expect(t.length).toBeLessThanOrEqual(150);
    expect(() => thinIndices(10, 1)).toThrow('thinIndices: max must be an integer >= 2, got 1');
  });
});

describe('the runner and plots', () => {
  const plotted = redefine(sumReverse, {
    observe: (xs: Xs, subject: Subject, ctx: RunContext) => {
      ctx.keep?.(xs.length);
      return (subject.sum as (a: Xs) => number)([...xs].reverse());
    },
    plot: byLength,
  });

  it('a holding theorem carries the cases kept from its own runs, with what observe kept', async () => {
    const v = await checkTheorem(plotted, { subject: correctSubject, seed, profile: 'ci' });
    expect(v.status).toBe('holds');
    expect(v.plot!.cases.length).toBe(3);
    for (const c of v.plot!.cases) {
      const xs = c.lines[0].y;
      // bound - observed = 0 on the correct subject, so the reference point is what observe kept: the length
      expect(c.label).toBe(`n = ${xs.length}`);
      expect(c.lines[1].y).toEqual([xs.length]);
    }
  });

  it('the plot does not change the verdict; a violation adds its shrunk counterexample as a case', async () => {
    const a = await checkTheorem(sumReverse, { subject: buggySubject, seed, profile: 'ci' });
    const b = await checkTheorem(plotted, { subject: buggySubject, seed, profile: 'ci' });
    expect(b.status).toBe('violated');
    const { plot, elapsedMs: _b, ...restB } = b;
    const { elapsedMs: _a, ...restA } = a;
    expect(restB).toEqual(restA);
    const last = plot!.cases.at(-1)!;
    expect(last.label).toMatch(/^counterexample: n = \d+$/);
    if (b.status === 'violated') expect(last.lines[0].y).toEqual(b.counterexample);
  });

  it('a theorem whose series throws still gets its verdict, with the error in the plot evidence', async () => {
    const broken = redefine(plotted, { plot: { ...byLength, series: () => { throw new Error('no'); } } });
    const v = await checkTheorem(broken, { subject: correctSubject, seed, profile: 'ci' });
    expect(v.status).toBe('holds');
    expect(v.plot).toMatchObject({ cases: [], error: 'plot.series threw: no' });
  });

  it('frequency claims keep cases too; theorems without plot carry none', async () => {
    const coin = redefine(coinFrequency, {
      plot: { title: 'coin', x: { title: 's' }, y: { title: 'heads' }, cases: 2, series: (s: number, ok: boolean) => ({ label: String(s), lines: [{ name: 'h', x: [0], y: [ok ? 1 : 0] }] }) },
    });
    const v = await checkTheorem(coin, { subject: correctSubject, seed, profile: 'ci' });
    expect(v.plot!.cases.length).toBe(2);
    expect((await checkTheorem(maxBelowMean, { subject: correctSubject, seed, profile: 'ci' })).plot).toBeUndefined();
  });

  it('defineTheorem validates plot with one-line errors', () => {
    expect(() => redefine(sumReverse, { plot: { title: 't', x: { title: 'x' }, y: { title: 'y', scale: 'ln' }, series: () => null } })).toThrow("plot.y.scale must be 'linear' or 'log', got 'ln'");
    expect(() => redefine(sumReverse, { plot: { title: 't', x: { title: 'x' }, y: { title: 'y' }, cases: 0, series: () => null } })).toThrow('plot.cases must be a positive integer, got 0');
    expect(() => redefine(sumReverse, { plot: { title: 't', x: { title: 'x' }, y: { title: 'y' } } })).toThrow('plot.series must be a function');
  });
});
