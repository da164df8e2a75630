/** Cholesky factorization of symmetric positive definite matrices, and solving with it. */
import { NotPositiveDefiniteError } from '../errors.js';
import type { FloatArray } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import { bool, opt, resolveOptions, type Field } from '../options.js';
import { requireSquare, rhsMatrix, rhsResult, type Rhs } from './args.js';
import { toMatrix, workCopy } from './lapack/dense.js';
import { potrf, potrs } from './lapack/potrf.js';
import { withWorkspace } from '../kernels/workspace.js';
import type { Slogdet } from './lu.js';

/** A = L L^T with L lower triangular with a positive diagonal. Produced by {@link cholesky}. */
export class Cholesky {
  /** The lower triangular factor (zeros above the diagonal). */
  readonly L: Matrix;

  /** @internal Use {@link cholesky}. */
  constructor(L: Matrix) {
    this.L = L;
  }

  /**
   * Solve A X = B with two triangular solves, L Y = B then L^T X = Y (LAPACK dpotrs):
   * 2 n^2 flops per right-hand side.
   * @param b - a length-n vector, or an n x r Matrix (one system per column). float32
   *   arithmetic only when both b and the factor are float32.
   * @returns x of length n (for a vector b) or the n x r Matrix X.
   * @throws ShapeError when b does not have n rows; NonFiniteInputError on NaN or Inf in b.
   * @example
   * cholesky(Matrix.from([[4, 2], [2, 3]])).solve([6, 5]); // Float64Array [1, 1]
   */
  solve(b: Matrix): Matrix;
  solve(b: ArrayLike<number>): FloatArray;
  solve(b: Rhs): Matrix | FloatArray {
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

  /**
   * Natural log of det A = 2 sum_i log L_ii, which does not overflow where det would.
   * Equal to `slogdet().logAbs` (A is positive definite, so its determinant is positive).
   * @returns log det A (0 for the 0 x 0 matrix).
   * @example
   * cholesky(Matrix.diag([2, 3, 4])).logdet(); // Math.log(24)
   */
  logdet(): number {
    let s = 0;
    for (let i = 0; i < this.L.rows; i++) s += Math.log(this.L.get(i, i));
    return 2 * s;
  }

  /**
   * Sign and natural log of |det A| (numpy slogdet), the {@link Slogdet} that
   * `Lu.slogdet()` returns too, so code can take either factorization. The sign is always
   * 1: a positive definite matrix has a positive determinant. logAbs is
   * {@link Cholesky.logdet}.
   * @returns `{ sign: 1, logAbs }`.
   * @example
   * cholesky(Matrix.diag([2, 3, 4])).slogdet(); // { sign: 1, logAbs: Math.log(24) }
   */
  slogdet(): Slogdet {
    return { sign: 1, logAbs: this.logdet() };
  }

  /**
   * det A = prod L_ii^2, as exp of {@link Cholesky.logdet} (overflows to Infinity, or
   * underflows to 0, where the log does not).
   * @returns det A (1 for the 0 x 0 matrix).
   * @example
   * cholesky(Matrix.diag([2, 3, 4])).det(); // 24
   */
  det(): number {
    return Math.exp(this.logdet());
  }
}

/** Options of {@link cholesky}. */
export interface CholeskyOptions {
  /**
   * Read the upper triangle instead of the lower one (default false, as numpy). The factor
   * is the lower L (A = L L^T) either way; U = L^T. (numpy 2's `upper=True` also returns U.)
   * `eigh`'s `upper` option means the same: which triangle is read.
   */
  upper?: boolean;
}

const CHOLESKY_OPTIONS = {
  upper: opt(bool, false),
} satisfies { [K in keyof Required<CholeskyOptions>]: Field<NonNullable<CholeskyOptions[K]>> };

/**
 * Cholesky factorization A = L L^T of a symmetric positive definite matrix
 * (numpy.linalg.cholesky; LAPACK dpotrf, recursive with syrk/trsm/gemm: n^3/3 flops).
 * Only one triangle is read (the lower by default, the upper with `upper: true`), as in
 * numpy.
 * @param A - the n x n symmetric positive definite matrix.
 * @param options - {@link CholeskyOptions}: `upper` (default false).
 * @returns the {@link Cholesky} factorization: L n x n lower triangular with a positive
 *   diagonal, of A's dtype; solve, logdet, slogdet and det with it.
 * @throws NotPositiveDefiniteError naming the failing pivot when A is not positive definite;
 * ShapeError when A is not square; NonFiniteInputError on NaN or Inf; InvalidArgumentError
 * on a bad or unknown option.
 * @example
 * cholesky(Matrix.from([[4, 2], [2, 3]])).L.toArray(); // [[2, 0], [1, 1.414...]]
 */
export function cholesky(A: Matrix, options?: CholeskyOptions): Cholesky {
  requireSquare(A, 'cholesky');
  const o = resolveOptions('cholesky', CHOLESKY_OPTIONS, options);
  const n = A.rows;
  const src = o.upper ? A.transpose() : A;
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
