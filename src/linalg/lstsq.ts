/**
 * Functions of the singular values: least squares with rank-deficient A, pseudo-inverse,
 * numerical rank, condition number and matrix norms (numpy.linalg lstsq, pinv,
 * matrix_rank, cond, norm).
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { epsOf, type FloatArray } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import { rhsMatrix, rhsResult, type Rhs } from './args.js';
import { matmul } from './matmul.js';
import { svd, svdvals, type Svd } from './svd.js';

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
 * at or below rcond * s_max are treated as zero.
 * @throws ShapeError when b's rows differ from A's; NonFiniteInputError on NaN or Inf.
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
 */
export function pinv(A: Matrix, options: { rtol?: number } = {}): Matrix {
  const rtol = options.rtol ?? epsOf(A.dtype) * Math.max(A.rows, A.cols);
  const f = svd(A);
  const { X } = pseudoSolve(f, Matrix.identity(A.rows, A.rows, { dtype: A.dtype }), cutoff(f.s, rtol));
  return X;
}

/**
 * Numerical rank: the number of singular values above `tol` (default
 * s_max * max(m, n) * eps, numpy.linalg.matrix_rank's).
 */
export function matrixRank(A: Matrix, options: { tol?: number } = {}): number {
  const s = svdvals(A);
  const tol = options.tol ?? (s.length > 0 ? s[0]! * Math.max(A.rows, A.cols) * epsOf(A.dtype) : 0);
  let r = 0;
  for (const v of s) if (v > tol) r++;
  return r;
}

/**
 * 2-norm condition number s_max / s_min (numpy.linalg.cond with p=None); Infinity when A
 * is singular, NaN for an empty matrix.
 */
export function cond(A: Matrix): number {
  const s = svdvals(A);
  if (s.length === 0) return NaN;
  const lo = s[s.length - 1]!;
  return lo === 0 ? Infinity : s[0]! / lo;
}

/** Matrix norms: those of {@link Matrix.norm} plus the spectral (2), smallest singular value (-2) and nuclear norm. */
export type NormKind = 'fro' | 1 | 'inf' | 'max' | 2 | -2 | 'nuc';

/**
 * A matrix norm (numpy.linalg.norm for 2-D input): 2 is the largest singular value, -2
 * the smallest, 'nuc' their sum; the others are entrywise or induced norms computed
 * directly (see {@link Matrix.norm}).
 */
export function norm(A: Matrix, kind: NormKind = 'fro'): number {
  if (kind === 2 || kind === -2 || kind === 'nuc') {
    if (A.rows === 0 || A.cols === 0) {
      if (kind === -2) throw new ShapeError('norm: the smallest singular value of an empty matrix is undefined');
      return 0;
    }
    const s = svdvals(A);
    if (kind === 2) return s[0]!;
    if (kind === -2) return s[s.length - 1]!;
    let t = 0;
    for (const v of s) t += v;
    return t;
  }
  return A.norm(kind);
}
