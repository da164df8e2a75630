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
