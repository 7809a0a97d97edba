/**
 * Exact (rational, BigInt) references for the non-interpolating regression properties (docs/theory.md#02-certified-references "any Local-GD
 * fixed point for quadratics", docs/theory.md#12-regression counterexample table). Every double is a dyadic rational, so the data, eta and the
 * weights are exact rationals, and so are T, c, the fixed point (I - T)^{-1} c, the weighted least-squares point and
 * the Cimmino-weighted least-squares point. Results are rounded once to f64 (relative error <= eps). Sizes are tiny
 * (d <= 6, L <= 8 in the generators), so numerators stay at a few thousand bits. Not a property file.
 */
import { bigToNumber, bitLength, decompose } from '../../src/precise/dyadic.ts';
import { solveRational } from '../../src/precise/exact.ts';
import type { FederatedDataset } from '../../src/problems/types.ts';

/** A rational matrix num / den (one common denominator, den > 0), row-major. */
interface RMat {
  readonly rows: number;
  readonly cols: number;
  readonly num: bigint[];
  readonly den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function reduce(A: RMat): RMat {
  let g = A.den;
  for (const x of A.num) {
    if (g === 1n) break;
    if (x !== 0n) g = gcd(g, x);
  }
  return g === 1n ? A : { ...A, num: A.num.map((x) => x / g), den: A.den / g };
}

/** Exact rational of a double (m 2^e) as [num, den]. */
function ratOf(x: number): [bigint, bigint] {
  const { m, e } = decompose(x);
  return e >= 0 ? [BigInt(m) << BigInt(e), 1n] : [BigInt(m), 1n << BigInt(-e)];
}

function fromF64(rows: number, cols: number, data: ArrayLike<number>): RMat {
  let shift = 0;
  const parts = Array.from(data, (x) => decompose(x));
  for (const p of parts) if (p.m !== 0 && -p.e > shift) shift = -p.e;
  const num = parts.map((p) => (p.m === 0 ? 0n : BigInt(p.m) << BigInt(p.e + shift)));
  return reduce({ rows, cols, num, den: 1n << BigInt(shift) });
}

function identityR(d: number): RMat {
  const num = new Array<bigint>(d * d).fill(0n);
  for (let i = 0; i < d; i++) num[i * d + i] = 1n;
  return { rows: d, cols: d, num, den: 1n };
}

function mul(A: RMat, B: RMat): RMat {
  const num = new Array<bigint>(A.rows * B.cols).fill(0n);
  for (let i = 0; i < A.rows; i++) {
    for (let k = 0; k < A.cols; k++) {
      const a = A.num[i * A.cols + k];
      if (a === 0n) continue;
      for (let j = 0; j < B.cols; j++) num[i * B.cols + j] += a * B.num[k * B.cols + j];
    }
  }
  return reduce({ rows: A.rows, cols: B.cols, num, den: A.den * B.den });
}

function transposeR(A: RMat): RMat {
  const num = new Array<bigint>(A.rows * A.cols);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) num[j * A.rows + i] = A.num[i * A.cols + j];
  return { rows: A.cols, cols: A.rows, num, den: A.den };
}

/** a A + b B with rational scalars a = [an, ad], b = [bn, bd]. */
function combine(a: [bigint, bigint], A: RMat, b: [bigint, bigint], B: RMat): RMat {
  const den = a[1] * A.den * b[1] * B.den;
  const fa = a[0] * b[1] * B.den;
  const fb = b[0] * a[1] * A.den;
  return reduce({ rows: A.rows, cols: A.cols, num: A.num.map((x, i) => fa * x + fb * B.num[i]), den });
}

const ONE: [bigint, bigint] = [1n, 1n];
const ZERO_R = (rows: number, cols: number): RMat => ({ rows, cols, num: new Array<bigint>(rows * cols).fill(0n), den: 1n });

/** Solve A x = b exactly (A square and nonsingular); throws naming `who` otherwise. */
function solveR(A: RMat, b: RMat, who: string): RMat {
  const Ai = A.num.map((x) => x * b.den);
  const bi = b.num.map((x) => x * A.den);
  const s = solveRational(Ai, A.rows, A.cols, bi);
  if (s === null) throw new Error(`${who}: the ${A.rows} x ${A.cols} system is singular`);
  return reduce({ rows: A.cols, cols: 1, num: s.num, den: s.den });
}

/** num / den rounded to the nearest double (a sticky bit keeps the rounding correct). */
function toNumber(num: bigint, den: bigint): number {
  if (num === 0n) return 0;
  const neg = num < 0n;
  const a = neg ? -num : num;
  const s = Math.max(0, 66 - (bitLength(a) - bitLength(den)));
  const scaled = a << BigInt(s);
  let q = scaled / den;
  if (q * den !== scaled) q |= 1n;
  const v = bigToNumber(q, -s);
  return neg ? -v : v;
}

function toVec(x: RMat): Float64Array {
  return Float64Array.from(x.num, (v) => toNumber(v, x.den));
}

function weightsR(raw: readonly number[]): [bigint, bigint][] {
  const rs = raw.map(ratOf);
  let tn = 0n;
  let td = 1n;
  for (const [n, d] of rs) [tn, td] = [tn * d + n * td, td * d];
  return rs.map(([n, d]) => {
    const num = n * td;
    const den = d * tn;
    const g = gcd(num, den);
    return [num / g, den / g];
  });
}

interface NodeR {
  X: RMat;
  y: RMat;
  n: bigint;
}

function nodesR(ds: FederatedDataset): NodeR[] {
  return ds.nodes.map((nd) => ({ X: fromF64(nd.X.rows, nd.X.cols, nd.X.data), y: fromF64(nd.y.length, 1, nd.y), n: BigInt(nd.X.rows) }));
}

/** The exact round map (T, c) of Local-GD (mean convention; weights raw_k / sum raw). */
function exactRoundMap(ds: FederatedDataset, eta: number, L: readonly number[], raw: readonly number[]): { T: RMat; c: RMat } {
  const d = ds.d;
  const [en, ed] = ratOf(eta);
  const alpha = weightsR(raw);
  let T = ZERO_R(d, d);
  let c = ZERO_R(d, 1);
  nodesR(ds).forEach((nd, k) => {
    const Xt = transposeR(nd.X);
    const H = mul(Xt, nd.X);
    const B = combine(ONE, identityR(d), [-en, ed * nd.n], H);
    const g = mul(Xt, nd.y);
    let A = identityR(d);
    let ck = ZERO_R(d, 1);
    for (let l = 0; l < L[k]; l++) {
      A = mul(B, A);
      ck = combine(ONE, mul(B, ck), [en, ed * nd.n], g);
    }
    T = combine(ONE, T, alpha[k], A);
    c = combine(ONE, c, alpha[k], ck);
  });
  return { T, c };
}

/** The Local-GD fixed point (I - T)^{-1} c, exactly, rounded to f64 (needs I - T nonsingular: X of full column rank). */
export function exactFixedPoint(ds: FederatedDataset, eta: number, L: readonly number[], raw: readonly number[]): Float64Array {
  const { T, c } = exactRoundMap(ds, eta, L, raw);
  const IminusT = combine(ONE, identityR(ds.d), [-1n, 1n], T);
  return toVec(solveR(IminusT, c, 'exactFixedPoint'));
}

/** argmin_w sum_k (alpha_k / n_k) ||X_k w - y_k||^2 (the minimiser of F = sum alpha_k f_k), exactly, rounded to f64. */
export function exactWeightedLeastSquares(ds: FederatedDataset, raw: readonly number[]): Float64Array {
  const d = ds.d;
  const alpha = weightsR(raw);
  let A = ZERO_R(d, d);
  let b = ZERO_R(d, 1);
  nodesR(ds).forEach((nd, k) => {
    const Xt = transposeR(nd.X);
    const wk: [bigint, bigint] = [alpha[k][0], alpha[k][1] * nd.n];
    A = combine(ONE, A, wk, mul(Xt, nd.X));
    b = combine(ONE, b, wk, mul(Xt, nd.y));
  });
  return toVec(solveR(A, b, 'exactWeightedLeastSquares'));
}

/**
 * The Cimmino-weighted least-squares point argmin_w sum_k alpha_k (X_k w - y_k)^T (X_k X_k^T)^{-1} (X_k w - y_k)
 * (docs/theory.md#12-regression, L = infinity), exactly: (sum alpha_k P_k) w = sum alpha_k X_k^T (X_k X_k^T)^{-1} y_k with
 * P_k = X_k^T (X_k X_k^T)^{-1} X_k. Needs every X_k of full row rank and sum alpha_k P_k nonsingular.
 */
export function exactCimmino(ds: FederatedDataset, raw: readonly number[]): Float64Array {
  const d = ds.d;
  const alpha = weightsR(raw);
  let A = ZERO_R(d, d);
  let b = ZERO_R(d, 1);
  nodesR(ds).forEach((nd, k) => {
    const Xt = transposeR(nd.X);
    const Gk = mul(nd.X, Xt);
    const n = nd.X.rows;
    // Z = G_k^{-1} [X_k | y_k], column by column
    const cols: RMat[] = [];
    for (let j = 0; j <= d; j++) {
      const src = j < d ? nd.X : nd.y;
      const jj = j < d ? j : 0;
      const colNum = Array.from({ length: n }, (_, i) => src.num[i * src.cols + jj]);
      cols.push(solveR(Gk, { rows: n, cols: 1, num: colNum, den: src.den }, 'exactCimmino'));
    }
    for (let j = 0; j <= d; j++) {
      const v = mul(Xt, cols[j]); // X_k^T G_k^{-1} (column j)
      const target = j < d ? A : b;
      const col = j < d ? j : 0;
      const e = ZERO_R(target.rows, target.cols);
      const placed: RMat = { ...e, num: e.num.map((_, i) => (i % target.cols === col ? v.num[Math.floor(i / target.cols)] : 0n)), den: v.den };
      if (j < d) A = combine(ONE, A, alpha[k], placed);
      else b = combine(ONE, b, alpha[k], placed);
    }
  });
  return toVec(solveR(A, b, 'exactCimmino'));
}
