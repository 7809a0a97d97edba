/**
 * Plots as SVG: a Vega-Lite spec built from a theorem's plot evidence (src/spec/plot.ts) or the mutation records,
 * compiled to Vega and rendered headlessly (vega.View with renderer 'none', toSVG), no browser. The numbers drawn are
 * the run's own; nothing is recomputed here beyond dropping points a log axis cannot show (counted in `dropped`).
 * Deterministic: vega's SVG ids are reset before each render, so the same evidence gives the same bytes.
 * Colours are mid-tone and the background transparent, so a plot reads on the light and the dark page theme.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { PlotEvidence } from '../../spec/plot.ts';
import type { MutantRecord } from '../records.ts';

type Row = Record<string, string | number | null>;
/** observed lines with at most this many points also get a dot per point (longer runs are drawn as lines only) */
const DOT_LIMIT = 40;
type VlSpec = vl.TopLevelSpec;

const INK = '#808080';
const CONFIG = {
  background: null,
  font: 'sans-serif',
  axis: { labelColor: INK, titleColor: INK, gridColor: INK, gridOpacity: 0.25, domainColor: INK, tickColor: INK, labelFontSize: 11, titleFontSize: 12 },
  legend: { labelColor: INK, titleColor: INK, labelLimit: 360, orient: 'bottom', columns: 2, symbolStrokeWidth: 2 },
  header: { labelColor: INK, titleColor: INK, labelFontSize: 11, labelLimit: 360 },
  view: { stroke: INK, strokeOpacity: 0.3 },
  range: { category: { scheme: 'tableau10' } },
} as const;

/** Vega-Lite compiled to Vega and rendered to an SVG string without a browser. */
export async function renderSvg(spec: VlSpec): Promise<string> {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  vega.resetSVGDefIds();
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

export interface PlotSpecOut {
  readonly spec: VlSpec;
  /** points left out because a log axis cannot show them (value <= 0 or not finite) */
  readonly dropped: number;
  /** data rows drawn */
  readonly points: number;
}

/** The Vega-Lite spec of a theorem's plot: one panel coloured by case, or one panel per case when a case has several observed lines. */
export function plotSpec(p: PlotEvidence): PlotSpecOut {
  const xlog = p.x.scale === 'log';
  const ylog = p.y.scale === 'log';
  const ok = (v: number | null | undefined, log: boolean) => typeof v === 'number' && Number.isFinite(v) && (!log || v > 0);
  const rows: Row[] = [];
  let dropped = 0;
  for (const c of p.cases) {
    for (const l of c.lines) {
      for (let i = 0; i < l.x.length; i++) {
        if (!ok(l.x[i], xlog) || !ok(l.y[i], ylog)) {
          dropped++;
          continue;
        }
        const lo = l.lo?.[i];
        const hi = l.hi?.[i];
        const band = ok(lo, ylog) && ok(hi, ylog);
        rows.push({
          case: c.label, line: l.name, key: `${c.label} / ${l.name}`, role: l.role ?? 'observed', i, x: l.x[i], y: l.y[i],
          lo: band ? lo! : null, hi: band ? hi! : null, dot: l.x.length <= DOT_LIMIT ? 1 : 0,
        });
      }
    }
  }
  const facet = p.cases.some((c) => c.lines.filter((l) => (l.role ?? 'observed') === 'observed').length > 1);
  const color = facet ? { field: 'line', type: 'nominal', title: null } : { field: 'case', type: 'nominal', title: null, sort: p.cases.map((c) => c.label) };
  const x = { field: 'x', type: 'quantitative', title: p.x.title, scale: xlog ? { type: 'log', nice: false } : { type: 'linear', zero: false } };
  const y = { field: 'y', type: 'quantitative', title: p.y.title, scale: ylog ? { type: 'log', nice: false } : { type: 'linear', zero: false } };
  const dash = { field: 'role', type: 'nominal', title: null, scale: { domain: ['observed', 'reference'], range: [[1, 0], [5, 3]] } };
  const observed = { filter: "datum.role === 'observed' && datum.dot === 1" };
  const layers: unknown[] = [];
  if (p.mark !== 'point') {
    layers.push({
      mark: { type: 'line', strokeWidth: 1.8, interpolate: p.mark === 'step' ? 'step-after' : 'linear' },
      encoding: { x, y, color, strokeDash: dash, detail: { field: 'key', type: 'nominal' }, order: { field: 'i', type: 'quantitative' } },
    });
  }
  layers.push({ transform: [observed], mark: { type: 'point', filled: true, size: p.mark === 'point' ? 40 : 18 }, encoding: { x, y, color } });
  layers.push({
    transform: [{ filter: 'datum.lo !== null && datum.hi !== null' }],
    mark: { type: 'rule', strokeWidth: 1.2, opacity: 0.7 },
    encoding: { x, y: { field: 'lo', type: 'quantitative', scale: y.scale }, y2: { field: 'hi' }, color },
  });
  const width = facet ? 300 : 560;
  const height = facet ? 220 : 300;
  const spec = facet
    ? { data: { values: rows }, facet: { field: 'case', type: 'nominal', title: null, sort: p.cases.map((c) => c.label) }, columns: 2, spec: { width, height, layer: layers }, config: CONFIG }
    : { data: { values: rows }, width, height, layer: layers, config: CONFIG };
  return { spec: spec as unknown as VlSpec, dropped, points: rows.length };
}

/** Cell values of the mutation heat map, in legend order. */
export const MUTATION_CELLS = ['killed', 'ran, not killed', 'failed on the reference too (not counted)', 'no verdict'] as const;

/** The mutation matrix as a heat map: a row per planted bug, a column per property run on it, a cell per attempt. */
export function mutationSpec(mutants: readonly MutantRecord[]): PlotSpecOut {
  const rows: Row[] = [];
  for (const m of mutants) {
    for (const a of m.attempts) {
      const cell = a.killed ? MUTATION_CELLS[0] : a.discarded ? MUTATION_CELLS[2] : a.status === 'holds' ? MUTATION_CELLS[1] : MUTATION_CELLS[3];
      rows.push({ mutant: `${m.id}`, property: a.property, result: cell });
    }
  }
  const properties = [...new Set(rows.map((r) => r.property as string))].sort();
  const spec = {
    data: { values: rows },
    width: { step: 14 },
    height: { step: 16 },
    mark: { type: 'rect', stroke: INK, strokeWidth: 0.5 },
    encoding: {
      x: { field: 'property', type: 'nominal', title: 'property', sort: properties, axis: { labelAngle: -60, labelLimit: 220 } },
      y: { field: 'mutant', type: 'nominal', title: 'planted bug', sort: mutants.map((m) => m.id), axis: { labelLimit: 260 } },
      color: { field: 'result', type: 'nominal', title: null, scale: { domain: [...MUTATION_CELLS], range: ['#1b9e77', '#c9ced6', '#e6a23c', '#7570b3'] } },
    },
    config: CONFIG,
  };
  return { spec: spec as unknown as VlSpec, dropped: 0, points: rows.length };
}
