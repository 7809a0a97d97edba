/**
 * `lsgd-spec solve min-norm|max-margin|pl-optimum --data FILE [--digits 50] [--lambda L] [--json]`
 * Certified references (src/precise) on the pooled data of a dataset file (all nodes stacked).
 *   min-norm     the minimum-norm solution of X w = y
 *   max-margin   the hard-margin SVM through the origin (classification datasets)
 *   pl-optimum   regression: F(x) = 1/(2N) ||X x - y||^2 + lambda/2 ||x||^2 (--lambda >= 0, default 0);
 *                classification: mean logistic loss + lambda/2 ||x||^2 (--lambda required; 0 only for data that
 *                are not separable through the origin, certified by local strong convexity)
 * Node weights: min-norm and max-margin do not depend on them; pl-optimum refuses weights that are not proportional
 * to the nodes' row counts (it solves the pooled mean loss, weights n_k/N).
 * --json prints {"w": ["<decimal string>", ...], "certificate": {...}} (max-margin adds "gamma",
 * "support" and "alpha"; pl-optimum adds "F"). Errors: one line on stderr (with --json, also a JSON
 * object {"error": ..., "witness"?: ..., "exitCode"} on stdout); exit code 2 for usage and input errors (flags, a
 * missing or invalid dataset, a problem the dataset does not fit), 1 when the solver certifies that no solution
 * exists (inconsistent system, data not separable) or cannot certify one.
 */
import { bool, inputFile, intFlag, numberFlag, parseArgs, str, UsageError, type FlagSpecs } from './args.ts';
import { helpText, wantsHelp } from './help.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, outOf, reportError, type CliIo } from './io.ts';
import { loadDataset, pooled } from '../problems/dataset.ts';
import { MAX_DIGITS, MIN_DIGITS } from '../precise/decimal.ts';
import { minNormSolution } from '../precise/minNorm.ts';
import { maxMarginSolution } from '../precise/maxMargin.ts';
import { plOptimum } from '../precise/plOptimum.ts';
import { NotSeparableError } from '../precise/errors.ts';
import { progressLine, type ProgressLine } from './progress.ts';

export type SolveIo = CliIo;

const CMD = 'solve';
const PROBLEMS = ['min-norm', 'max-margin', 'pl-optimum'] as const;
type Problem = (typeof PROBLEMS)[number];
const USAGE = 'usage: lsgd-spec solve min-norm|max-margin|pl-optimum --data FILE [--digits 50] [--lambda L] [--json]';

interface Parsed {
  readonly problem: Problem;
  readonly data: string;
  readonly digits: number;
  readonly lambda: number | undefined;
  readonly json: boolean;
}

export const SOLVE_FLAGS = { data: { type: 'string' }, digits: { type: 'string' }, lambda: { type: 'string' }, json: { type: 'boolean' } } as const satisfies FlagSpecs;

function parse(argv: string[]): Parsed {
  const a = parseArgs(argv, SOLVE_FLAGS, CMD);
  if (a.positional.length !== 1) throw new UsageError(`${CMD}: expected one problem, got ${a.positional.length} (${USAGE})`);
  const problem = a.positional[0];
  if (!(PROBLEMS as readonly string[]).includes(problem)) {
    throw new UsageError(`${CMD}: unknown problem '${problem}' (expected one of: ${PROBLEMS.join(', ')})`);
  }
  const dataFlag = str(a, 'data');
  if (dataFlag === undefined) throw new UsageError(`${CMD}: --data FILE is required (${USAGE})`);
  const digits = intFlag(str(a, 'digits'), 'digits', CMD, MIN_DIGITS, MAX_DIGITS, 50);
  const lambdaFlag = str(a, 'lambda');
  if (lambdaFlag !== undefined && problem !== 'pl-optimum') throw new UsageError(`${CMD}: --lambda applies only to pl-optimum, not ${problem}`);
  const lambda = numberFlag(lambdaFlag, 'lambda', CMD, 0, 'a finite number >= 0');
  inputFile(dataFlag, '--data', CMD);
  return { problem: problem as Problem, data: dataFlag, digits, lambda, json: bool(a, 'json') };
}

function solveOne(p: Parsed, bar: ProgressLine): { json: Record<string, unknown>; summary: string[] } {
  let ds: ReturnType<typeof loadDataset>;
  try {
    ds = loadDataset(p.data, { progress: (b, t) => bar.update('reading the dataset', b, t) });
  } catch (e) {
    // an unreadable or invalid dataset is an input error (exit code 2), not a solver result
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const { X, y } = pooled(ds);
  const head = `${p.problem} on ${p.data}: ${ds.task}, ${ds.nodes.length} node(s), N = ${X.rows}, d = ${ds.d}, ${p.digits} digits`;
  if (p.problem === 'min-norm') {
    const r = minNormSolution(X, y, { digits: p.digits, progress: (stage, done, total) => bar.update(stage, done, total) });
    bar.end();
    return { json: { w: r.wDecimal, certificate: r.certificate }, summary: [head, ...vecLines('w', r.wDecimal), ...certLines(r.certificate)] };
  }
  if (p.problem === 'max-margin') {
    if (ds.task !== 'classification') throw new UsageError(`${CMD}: max-margin needs a classification dataset (task is '${ds.task}')`);
    const r = maxMarginSolution(X, y, { digits: p.digits });
    const alpha = r.alphaDecimal;
    return {
      json: { w: r.wDecimal, gamma: r.gammaDecimal, support: r.support, alpha, certificate: r.certificate },
      summary: [head, `gamma* = ${r.gammaDecimal}`, `support (${r.support.length}): ${r.support.join(', ')}`, ...vecLines('w', r.wDecimal), ...certLines(r.certificate)],
    };
  }
  checkPooledWeights(ds);
  if (ds.task === 'classification' && p.lambda === undefined) {
    throw new UsageError(`${CMD}: pl-optimum on a classification dataset (logistic loss) needs --lambda (>= 0; 0 only for non-separable data)`);
  }
  const r = ds.task === 'regression'
    ? plOptimum({ kind: 'least-squares', A: X, b: y, lambda: p.lambda ?? 0 }, { digits: p.digits })
    : plOptimum({ kind: 'logistic', X, y, lambda: p.lambda as number }, { digits: p.digits });
  return {
    json: { w: r.xDecimal, F: r.FDecimal, certificate: r.certificate },
    summary: [head, `${ds.task === 'regression' ? 'least squares' : 'logistic'}, lambda = ${p.lambda ?? 0}`, `F* = ${r.FDecimal}`, ...vecLines('x', r.xDecimal), ...certLines(r.certificate)],
  };
}

/**
 * pl-optimum solves the pooled mean loss, i.e. node weights n_k/N (README, Conventions). Weights given in the file
 * define another objective unless they are proportional to the row counts, so those are refused rather than ignored.
 * (min-norm and max-margin do not depend on the weights: their solutions are defined by the pooled constraints.)
 */
function checkPooledWeights(ds: ReturnType<typeof loadDataset>): void {
  const rated = ds.nodes.map((nd, k) => ({ k, n: nd.X.rows, w: nd.weight ?? nd.X.rows })).filter((r) => r.n > 0 || r.w > 0);
  const ref = rated[0];
  // exact test of w_k / n_k = w_0 / n_0 on doubles: the products of two doubles are compared with their rounding,
  // so proportional weights written as integers or dyadic fractions are always accepted
  const off = rated.find((r) => r.w * ref.n !== ref.w * r.n);
  if (off !== undefined) {
    throw new UsageError(`${CMD}: pl-optimum solves the pooled mean loss (node weights n_k/N), but node ${off.k} has weight ${off.w} for ${off.n} row(s) and node ${ref.k} weight ${ref.w} for ${ref.n} row(s): weights not proportional to the row counts are not supported`);
  }
}

function vecLines(name: string, v: readonly string[]): string[] {
  const shown = v.slice(0, 10).map((s, i) => `  ${name}[${i}] = ${s}`);
  return v.length > 10 ? [...shown, `  ... (${v.length - 10} more; --json prints all)`] : shown;
}

function certLines(c: object): string[] {
  return ['certificate:', ...Object.entries(c).map(([k, v]) => `  ${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`)];
}

export async function run(argv: string[], io: SolveIo = {}): Promise<number> {
  const out = outOf(io);
  let p: Parsed;
  try {
    if (wantsHelp(argv)) {
      out(helpText(CMD));
      return EXIT_OK;
    }
    p = parse(argv);
  } catch (e) {
    return reportError(e, argv, io, EXIT_USAGE);
  }
  // progress only when this process writes to a terminal itself (not when a caller captures the output)
  const bar = io.err === undefined ? progressLine(CMD) : progressLine(CMD, null);
  try {
    const r = solveOne(p, bar);
    bar.end();
    out(p.json ? JSON.stringify(r.json) : r.summary.join('\n'));
    return EXIT_OK;
  } catch (e) {
    bar.end();
    // input errors exit 2; a solver's answer that no solution exists (or that it cannot certify one) exits 1
    return reportError(e, argv, io, e instanceof UsageError ? EXIT_USAGE : EXIT_FAILED, e instanceof NotSeparableError ? { witness: e.witness } : {});
  }
}
