/** Cholesky factorization of symmetric positive definite matrices, and solving with it. */
import { NotPositiveDefiniteError } from '../errors.js';
import type { FloatArray } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import { requireSquare, rhsMatrix, rhsResult } from './args.js';
import { toMatrix, workCopy } from './lapack/dense.js';
import { potrf, potrs } from './lapack/potrf.js';
import { withWorkspace } from './lapack/workspace.js';

/** A = L L^T with L lower triangular with a positive diagonal. Produced by {@link cholesky}. */
export class Cholesky {
  /** The lower triangular factor (zeros above the diagonal). */
  readonly L: Matrix;

  /** @internal Use {@link cholesky}. */
  constructor(L: Matrix) {
    this.L = L;
  }

  /**
   * Solve A X = B with two triangular solves (LAPACK dpotrs). `b` is a vector or an n x r
   * Matrix. @throws ShapeError on mismatched rows.
   */
  solve(b: Matrix): Matrix;
  solve(b: ArrayLike<number>): FloatArray;
  solve(b: Matrix | ArrayLike<number>): Matrix | FloatArray {
    const n = this.L.rows;
    const { B, vector } = rhsMatrix(b, n, 'cholesky.solve');
    const dtype = this.L.dtype === 'float32' && B.dtype === 'float32' ? 'float32' : 'float64';
    const X = withWorkspace((ws) => {
      const l = workCopy(this.L, 'cholesky.solve', ws, dtype);
      const x = workCopy(B, 'cholesky.solve', ws, dtype);
      potrs(n, B.cols, l.a, 0, l.ld, x.a, 0, x.ld);
      return toMatrix(x.a, 0, x.ld, n, B.cols, dtype);
    });
    return rhsResult(X, vector);
  }

  /** log det A = 2 sum log L_ii (never overflows). */
  logdet(): number {
    let s = 0;
    for (let i = 0; i < this.L.rows; i++) s += Math.log(this.L.get(i, i));
    return 2 * s;
  }

  /** det A = prod L_ii^2. */
  det(): number {
    return Math.exp(this.logdet());
  }
}

/** Options of {@link cholesky}. */
export interface CholeskyOptions {
  /** Read the upper triangle instead of the lower one (default false, as numpy). */
  upper?: boolean;
}

/**
 * Cholesky factorization A = L L^T of a symmetric positive definite matrix
 * (numpy.linalg.cholesky; LAPACK dpotrf, recursive with syrk/trsm/gemm: n^3/3 flops).
 * Only one triangle is read (the lower by default), as in numpy.
 * @throws NotPositiveDefiniteError naming the failing pivot when A is not positive definite;
 * ShapeError when A is not square; NonFiniteInputError on NaN or Inf.
 * @example
 * cholesky(Matrix.from([[4, 2], [2, 3]])).L.toArray(); // [[2, 0], [1, 1.414...]]
 */
export function cholesky(A: Matrix, options: CholeskyOptions = {}): Cholesky {
  requireSquare(A, 'cholesky');
  const n = A.rows;
  const src = options.upper ? A.transpose() : A;
  return withWorkspace((ws) => {
    const w = workCopy(src, 'cholesky', ws);
    const info = potrf(n, w.a, 0, w.ld);
    if (info > 0) {
      const p = info - 1;
      throw new NotPositiveDefiniteError(
        `cholesky: the matrix is not positive definite: pivot ${p} is ${w.a[p + p * w.ld]} (the leading ${info}x${info} minor is not positive definite)`,
        p,
      );
    }
    const L = toMatrix(w.a, 0, w.ld, n, n, A.dtype);
    for (let j = 1; j < n; j++) for (let i = 0; i < j; i++) L.data[i + j * n] = 0;
    return new Cholesky(L);
  });
}
