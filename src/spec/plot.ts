/**
 * Plot evidence: what a property records from its own run so the HTML report can draw it (src/report/html). A spec
 * may declare `plot` (PlotSpec): axes, and `series(instance, observed, bound, kept)`, which turns one passing case's
 * values into lines. The runner calls it for a few representative cases (the first passing case of each new label,
 * up to `cases`), and observe/statistic may hand it values they computed anyway through `ctx.keep` (per-round errors,
 * a trace). A plot never changes a verdict: `series` runs after the comparison, and an error in it is recorded in the
 * evidence (`error`), not raised. The reporter only draws these numbers; it never re-runs an optimizer.
 */

/** An axis: its title and scale ('log' axes drop non-positive values, which the report counts). */
export interface PlotAxis {
  readonly title: string;
  readonly scale?: 'linear' | 'log';
}

/**
 * One line: the points (x[i], y[i]); 'reference' lines (a theory's shape, a bound, a rule) are drawn dashed;
 * optional lo/hi give an interval at each point (drawn as a bar). Typed arrays are accepted and kept as plain arrays.
 */
export interface PlotLine {
  readonly name: string;
  readonly role?: 'observed' | 'reference';
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly lo?: readonly number[];
  readonly hi?: readonly number[];
}

/** The lines of one case; `label` names the case (e.g. 'L = 4'); cases with a label already kept are skipped. */
export interface PlotCase {
  readonly label: string;
  readonly lines: readonly PlotLine[];
}

export interface PlotSpec<I, O> {
  readonly title: string;
  readonly x: PlotAxis;
  readonly y: PlotAxis;
  /** 'line' (default): lines through the points; 'point': points only; 'step': a step chart (schedules) */
  readonly mark?: 'line' | 'point' | 'step';
  /** how many cases to keep (default 4) */
  readonly cases?: number;
  /** the lines of one passing case, from its own values; `kept`: what observe/statistic passed to ctx.keep, in order */
  series(instance: I, observed: O, bound: O | undefined, kept: readonly unknown[]): PlotCase;
  /** one line summarising the kept cases (e.g. a fitted slope and its interval) */
  summarise?(cases: readonly PlotCase[]): string;
}

/** The plot of a verdict: the spec's axes and the kept cases, in the order the run met them. */
export interface PlotEvidence {
  readonly title: string;
  readonly x: PlotAxis;
  readonly y: PlotAxis;
  readonly mark: 'line' | 'point' | 'step';
  readonly cases: readonly PlotCase[];
  readonly summary?: string;
  /** first error raised by `series` or `summarise` (the verdict is unaffected) */
  readonly error?: string;
}

export const DEFAULT_PLOT_CASES = 4;

/** an array or typed array of numbers (copied to a plain array when kept) */
const finiteArray = (a: unknown): boolean => (Array.isArray(a) || (ArrayBuffer.isView(a) && !(a instanceof DataView))) && Array.from(a as ArrayLike<unknown>).every((v) => typeof v === 'number');

/** Why a series result is not a PlotCase (null if it is). */
export function plotCaseProblem(c: unknown): string | null {
  if (typeof c !== 'object' || c === null) return `must return { label, lines }, got ${String(c)}`;
  const o = c as Record<string, unknown>;
  if (typeof o.label !== 'string') return `label must be a string, got ${String(o.label)}`;
  if (!Array.isArray(o.lines) || o.lines.length === 0) return 'lines must be a non-empty array';
  for (const [i, l] of (o.lines as Record<string, unknown>[]).entries()) {
    if (typeof l.name !== 'string') return `lines[${i}].name must be a string`;
    if (!finiteArray(l.x) || !finiteArray(l.y) || (l.x as ArrayLike<number>).length !== (l.y as ArrayLike<number>).length) return `lines[${i}] needs x and y arrays of numbers of equal length`;
    for (const k of ['lo', 'hi'] as const) {
      if (l[k] !== undefined && (!finiteArray(l[k]) || (l[k] as ArrayLike<number>).length !== (l.x as ArrayLike<number>).length)) return `lines[${i}].${k} must be an array as long as x`;
    }
  }
  return null;
}

const plain = (a: ArrayLike<number>): number[] => Array.from(a);

/**
 * Collects a theorem's plot cases during a run. `keeper()` gives the ctx.keep of one evaluation (undefined once
 * enough cases are kept); `offer` is called on a passing case with what that evaluation kept.
 */
export class PlotCollector<I, O> {
  private readonly cases: PlotCase[] = [];
  private error: string | undefined;
  private readonly max: number;

  constructor(private readonly spec: PlotSpec<I, O> | undefined) {
    this.max = spec?.cases ?? DEFAULT_PLOT_CASES;
  }

  /** A fresh sink for one evaluation, or undefined when no more cases are wanted. */
  keeper(): { keep: (data: unknown) => void; kept: unknown[] } | undefined {
    if (this.spec === undefined || this.cases.length >= this.max || this.error !== undefined) return undefined;
    const kept: unknown[] = [];
    return { keep: (d) => kept.push(d), kept };
  }

  offer(instance: I, observed: O, bound: O | undefined, kept: readonly unknown[], counterexample = false): void {
    if (this.spec === undefined || (!counterexample && this.cases.length >= this.max) || this.error !== undefined) return;
    let c: unknown;
    try {
      c = this.spec.series(instance, observed, bound, kept);
    } catch (e) {
      this.error = `plot.series threw: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    const p = plotCaseProblem(c);
    if (p) {
      this.error = `plot.series: ${p}`;
      return;
    }
    const pc = c as PlotCase;
    const label = counterexample ? `counterexample: ${pc.label}` : pc.label;
    if (this.cases.some((k) => k.label === label)) return;
    this.cases.push({
      label,
      lines: pc.lines.map((l) => ({
        name: l.name, role: l.role ?? 'observed', x: plain(l.x), y: plain(l.y),
        ...(l.lo ? { lo: plain(l.lo) } : {}), ...(l.hi ? { hi: plain(l.hi) } : {}),
      })),
    });
  }

  /** The shrunk counterexample of a violation, kept beyond `cases` and labelled 'counterexample: ...' (kept is empty). */
  offerCounterexample(instance: I, observed: O, bound: O | undefined): void {
    this.offer(instance, observed, bound, [], true);
  }

  /** The evidence, or undefined when the spec has no plot. */
  evidence(): PlotEvidence | undefined {
    const s = this.spec;
    if (s === undefined) return undefined;
    let summary: string | undefined;
    let error = this.error;
    if (s.summarise && this.cases.length > 0 && error === undefined) {
      try {
        summary = s.summarise(this.cases);
      } catch (e) {
        error = `plot.summarise threw: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    return {
      title: s.title, x: s.x, y: s.y, mark: s.mark ?? 'line', cases: this.cases,
      ...(summary !== undefined ? { summary } : {}), ...(error !== undefined ? { error } : {}),
    };
  }
}

/** Indices 0, s, 2s, ... and the last, so that at most `max` points remain (plots of long runs stay small). */
export function thinIndices(n: number, max: number): number[] {
  if (!(Number.isInteger(max) && max >= 2)) throw new Error(`thinIndices: max must be an integer >= 2, got ${max}`);
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const s = Math.ceil((n - 1) / (max - 1));
  const out: number[] = [];
  for (let i = 0; i < n - 1; i += s) out.push(i);
  out.push(n - 1);
  return out;
}
