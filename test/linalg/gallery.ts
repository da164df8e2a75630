/** Test matrices with known structure, and LAPACK-style scaled residuals. */
import { qr } from '../../src/linalg/qr.js';
import { matmul } from '../../src/linalg/matmul.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { epsOf } from '../../src/matrix/dtype.js';

/** A random m x n matrix with orthonormal columns (m >= n). */
export function randomOrthonormal(m: number, n: number, seed: number): Matrix {
  return qr(Matrix.random(m, n, { seed, distribution: 'normal' })).Q;
}

/** U diag(s) V^T with random orthonormal U (m x k) and V (n x k), k = s.length. */
export function withSingularValues(m: number, n: number, s: number[], seed: number): Matrix {
  const k = s.length;
  const U = randomOrthonormal(m, k, seed);
  const V = randomOrthonormal(n, k, seed + 1000);
  const US = U.map((v, _i, j) => v * s[j]!);
  return matmul(US, V, { transB: true });
}

/** Geometric singular values from 1 down to 1/cond. */
export function geometric(k: number, cond: number): number[] {
  return Array.from({ length: k }, (_, i) => (k === 1 ? 1 : cond ** (-i / (k - 1))));
}

/** Rows scaled by 10^(lo .. hi) (graded). */
export function graded(A: Matrix, lo: number, hi: number): Matrix {
  const m = A.rows;
  return A.map((v, i) => v * 10 ** (m === 1 ? lo : lo + ((hi - lo) * i) / (m - 1)));
}

/** ||A - B||_F / (scale ||A||_F eps), 0 when both are zero. */
export function scaledDiff(A: Matrix, B: Matrix, scale: number): number {
  const nA = A.norm('fro');
  const d = A.sub(B).norm('fro');
  if (d === 0) return 0;
  return d / (Math.max(scale, 1) * Math.max(nA, Number.MIN_VALUE) * epsOf(A.dtype === 'float32' || B.dtype === 'float32' ? 'float32' : 'float64'));
}

/** ||Q^T Q - I||_F / (n eps) for the columns of Q. */
export function orthogonality(Q: Matrix): number {
  const n = Q.cols;
  if (n === 0) return 0;
  const G = matmul(Q, Q, { transA: true });
  return G.sub(Matrix.identity(n, n, { dtype: G.dtype })).norm('fro') / (Math.max(n, 1) * epsOf(Q.dtype));
}

/** Rows of A reordered: row i of the result is row perm[i] of A. */
export function permuteRows(A: Matrix, perm: ArrayLike<number>): Matrix {
  return A.map((_v, i, j) => A.get(perm[i]!, j));
}

/** Columns of A reordered: column j of the result is column perm[j] of A. */
export function permuteCols(A: Matrix, perm: ArrayLike<number>): Matrix {
  return A.map((_v, i, j) => A.get(i, perm[j]!));
}

/** A named test matrix. */
export interface Case {
  name: string;
  A: Matrix;
  /** Rows differ in scale by up to 1e300 (algorithms without row pivoting may skip these). */
  graded?: boolean;
}

/**
 * The matrix kinds every decomposition is tested on (LAPACK test-suite style): random
 * square/tall/wide, cond 1e8 and 1e14, rank-deficient, graded, repeated and clustered
 * singular values, zero, identity, 1xn, nx1, 0x0, 0xn.
 */
export function standardCases(): Case[] {
  const cases: Case[] = [];
  const rnd = (m: number, n: number, seed: number): Matrix => Matrix.random(m, n, { seed, distribution: 'normal' });
  for (const [m, n] of [[1, 1], [7, 7], [50, 50], [130, 130], [90, 31], [31, 90], [1, 17], [17, 1]] as const) cases.push({ name: `random ${m}x${n}`, A: rnd(m, n, m * 131 + n) });
  cases.push({ name: 'cond 1e8', A: withSingularValues(60, 60, geometric(60, 1e8), 5) });
  cases.push({ name: 'cond 1e14', A: withSingularValues(60, 60, geometric(60, 1e14), 6) });
  cases.push({ name: 'cond 1e14 tall', A: withSingularValues(80, 40, geometric(40, 1e14), 7) });
  cases.push({ name: 'rank 5 of 40x30', A: withSingularValues(40, 30, [5, 4, 3, 2, 1], 8) });
  cases.push({ name: 'graded rows 1e-150..1e150', A: graded(rnd(40, 40, 9), -150, 150), graded: true });
  cases.push({ name: 'repeated singular values', A: withSingularValues(45, 45, Array.from({ length: 45 }, (_, i) => (i < 20 ? 1 : i < 40 ? 1e-3 : 2)), 10) });
  cases.push({ name: 'clustered singular values', A: withSingularValues(45, 45, Array.from({ length: 45 }, (_, i) => 1 + i * 1e-10), 11) });
  cases.push({ name: 'zero 20x15', A: Matrix.zeros(20, 15) });
  cases.push({ name: 'identity 33', A: Matrix.identity(33) });
  cases.push({ name: '0x0', A: Matrix.zeros(0, 0) });
  cases.push({ name: '0x4', A: Matrix.zeros(0, 4) });
  cases.push({ name: '4x0', A: Matrix.zeros(4, 0) });
  return cases;
}

/** Symmetric positive definite A A^T + shift I of order n. */
export function spd(n: number, seed: number, shift = n): Matrix {
  const A = Matrix.random(n, n, { seed, distribution: 'normal' });
  return matmul(A, A, { transB: true }).add(Matrix.identity(n).scale(shift));
}
