/**
 * Functions of the singular values: least squares with rank-deficient A, pseudo-inverse
 * and numerical rank (numpy.linalg lstsq, pinv, matrix_rank). The condition number and
 * matrix norms are in `norms.ts`.
 */
import { InvalidArgumentError } from '../errors.js';
import { epsOf, type FloatArray } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import { rhsMatrix, rhsResult, type Rhs } from './args.js';
import { matmul } from './matmul.js';
import { svd, svdvals, type Svd } from './svd.js';

/**
 * @deprecated `norm`, `cond` and `NormKind` moved to `./norms.js`; import them from there
 * (or from the package root). Kept so existing imports of this module still compile.
 */
export { cond, norm, type NormKind } from './norms.js';

/** Options of {@link lstsq}. */
export interface LstsqOptions {
  /**
   * Singular values at or below `rcond * s_max` count as zero. Default
   * `eps * max(m, n)`, numpy's `rcond=None`.
   */
  rcond?: number;
}

/** Result of {@link lstsq}; the solution's kind follows the right-hand side's. */
export interface Lstsq<X> {
  /** The minimum-norm least-squares solution, n x r (or length n for a vector b). */
  readonly x: X;
  /**
   * Squared 2-norms of the residual columns ||b_j - A x_j||^2 when A has full column rank
   * and m > n, else empty (numpy's convention).
   */
  readonly residuals: Float64Array;
  /** Effective rank of A. */
  readonly rank: number;
  /** Singular values of A, descending. */
  readonly s: FloatArray;
}

function cutoff(s: ArrayLike<number>, rcond: number): number {
  return s.length > 0 ? rcond * s[0]! : 0;
}

// V diag(1/s_i for s_i > tol) U^T B for the k leading triplets of f.
function pseudoSolve(f: Svd, B: Matrix, tol: number): { X: Matrix; rank: number } {
  let rank = 0;
  while (rank < f.s.length && f.s[rank]! > tol) rank++;
  const t = f.truncate(rank);
  const C = matmul(t.U, B, { transA: true });
  const scaled = C.map((v, i) => v / t.s[i]!);
  return { X: matmul(t.Vt, scaled, { transA: true }), rank };
}

/**
 * Minimum-norm least-squares solution of A x = b for any m x n A, rank-deficient or not
 * (numpy.linalg.lstsq; by the SVD, as LAPACK dgelsd): x = V S^+ U^T b where singular values
 * at or below rcond * s_max are treated as zero. For full-rank A, `qr(A).solve(b)` gives
 * the same x for less work (LAPACK dgels).
 * @param A - any m x n matrix.
 * @param b - a length-m vector, or an m x r Matrix (one problem per column).
 * @param options - {@link LstsqOptions}: `rcond`.
 * @returns {@link Lstsq}: x (length n, or n x r), residuals, rank and the singular values.
 * @throws ShapeError when b's rows differ from A's; NonFiniteInputError on NaN or Inf;
 *   InvalidArgumentError on a negative rcond.
 * @example
 * lstsq(Matrix.from([[1, 0], [1, 1], [1, 2]]), [1, 2, 2]).x; // [1.1667, 0.5]
 */
export function lstsq(A: Matrix, b: Matrix, options?: LstsqOptions): Lstsq<Matrix>;
export function lstsq(A: Matrix, b: ArrayLike<number>, options?: LstsqOptions): Lstsq<FloatArray>;
export function lstsq(A: Matrix, b: Rhs, options: LstsqOptions = {}): Lstsq<Matrix | FloatArray> {
  const m = A.rows;
  const n = A.cols;
  const { B, vector } = rhsMatrix(b, m, 'lstsq');
  const rcond = options.rcond ?? epsOf(A.dtype) * Math.max(m, n);
  if (!(rcond >= 0)) throw new InvalidArgumentError(`lstsq: rcond must be >= 0, got ${rcond}`);
  const f = svd(A);
  const { X, rank } = pseudoSolve(f, B.dtype === A.dtype ? B : B.astype(A.dtype), cutoff(f.s, rcond));
  let residuals = new Float64Array(0);
  if (rank === n && m > n) {
    const R = matmul(A, X).sub(B);
    residuals = new Float64Array(B.cols);
    for (let j = 0; j < B.cols; j++) {
      const nj = R.col(j).norm('fro');
      residuals[j] = nj * nj;
    }
  }
  return { x: rhsResult(X, vector), residuals, rank, s: f.s };
}

/**
 * Moore-Penrose pseudo-inverse A^+ = V S^+ U^T (numpy.linalg.pinv): singular values at or
 * below rtol * s_max count as zero (default rtol = max(m, n) eps, numpy's default).
 * @param A - any m x n matrix.
 * @param options - `rtol`, the relative cut-off.
 * @returns the n x m pseudo-inverse, of A's dtype.
 * @throws NonFiniteInputError on NaN or Inf.
 * @example
 * pinv(Matrix.from([[1, 0], [0, 0]])).toArray(); // [[1, 0], [0, 0]]
 */
export function pinv(A: Matrix, options: { rtol?: number } = {}): Matrix {
  const rtol = options.rtol ?? epsOf(A.dtype) * Math.max(A.rows, A.cols);
  const f = svd(A);
  const { X } = pseudoSolve(f, Matrix.identity(A.rows, A.rows, { dtype: A.dtype }), cutoff(f.s, rtol));
  return X;
}

/**
 * Numerical rank: the number of singular values above `tol` (default
 * s_max * max(m, n) * eps, numpy.linalg.matrix_rank's). `qr(A, { pivoting: true }).rank`
 * estimates the same from a cheaper rank-revealing QR.
 * @param A - any m x n matrix.
 * @param options - `tol`, the absolute cut-off.
 * @returns the rank, an integer in [0, min(m, n)].
 * @throws NonFiniteInputError on NaN or Inf.
 * @example
 * matrixRank(Matrix.from([[1, 2], [2, 4]])); // 1
 */
export function matrixRank(A: Matrix, options: { tol?: number } = {}): number {
  const s = svdvals(A);
  const tol = options.tol ?? (s.length > 0 ? s[0]! * Math.max(A.rows, A.cols) * epsOf(A.dtype) : 0);
  let r = 0;
  for (const v of s) if (v > tol) r++;
  return r;
}
