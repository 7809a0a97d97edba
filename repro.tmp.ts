import { minNormSolution, maxMarginSolution, plOptimum } from './src/precise/index.ts';
const M = (rows: number, cols: number, a: number[]) => ({ rows, cols, data: Float64Array.from(a) });
const cases: [string, () => unknown][] = [
  ['mn 1e308', () => minNormSolution(M(2, 3, [1e308, 0, 1e308, 0, 1e308, -1e308]), Float64Array.from([1e308, 1e308]), { digits: 20 }).wDecimal],
  ['mn diag 5e-324', () => minNormSolution(M(2, 2, [5e-324, 0, 0, 5e-324]), Float64Array.from([5e-324, 1e-323]), { digits: 20 }).wDecimal],
  ['mn mixed', () => minNormSolution(M(2, 2, [1e200, 1e-200, 1e200, -1e-200]), Float64Array.from([1, 2]), { digits: 20 }).wDecimal],
  ['mm 1e308', () => maxMarginSolution(M(2, 2, [1e308, 0, 0, 1e308]), Float64Array.from([1, -1]), { digits: 20 }).wDecimal],
  ['mm sub', () => maxMarginSolution(M(2, 2, [5e-324, 0, 0, 5e-324]), Float64Array.from([1, -1]), { digits: 20 }).wDecimal],
  ['mm mixed', () => maxMarginSolution(M(2, 2, [1e200, 1e-200, 1e200, -1e-200]), Float64Array.from([1, 1]), { digits: 20 }).wDecimal],
  ['pl 1e308', () => plOptimum({ kind: 'least-squares', A: M(3, 2, [1e308, 0, 0, 1e308, 1e308, 1e308]), b: Float64Array.from([1, 2, 3]) }, { digits: 20 }).xDecimal],
  ['pl sub', () => plOptimum({ kind: 'least-squares', A: M(3, 2, [5e-324, 0, 0, 5e-324, 5e-324, 5e-324]), b: Float64Array.from([1, 2, 3]) }, { digits: 20 }).xDecimal],
  ['pl mixed', () => plOptimum({ kind: 'least-squares', A: M(3, 2, [1e200, 1e-200, 1e200, -1e-200, 0, 1e-200]), b: Float64Array.from([1, 2, 3]) }, { digits: 20 }).xDecimal],
  ['lg 1e308', () => plOptimum({ kind: 'logistic', X: M(2, 2, [1e308, 0, 0, 1e308]), y: Float64Array.from([1, -1]), lambda: 1 }, { digits: 20 }).xDecimal],
];
for (const [n, f] of cases) { try { console.log(n, 'OK', JSON.stringify(f())); } catch (e) { console.log(n, 'ERR', (e as Error).message.slice(0, 250)); } }
