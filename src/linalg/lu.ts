/** LU factorization with partial pivoting and what it gives: solve, det, inverse. */
import { SingularMatrixError } from '../errors.js';
import type { FloatArray } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import { requireSquare, rhsMatrix, rhsResult, type Rhs } from './args.js';
import { toMatrix, workCopy } from './lapack/dense.js';
import { getrf, getrs, pivotsToPermutation } from './lapack/getrf.js';
import { smallLu } from './small.js';
import { withWorkspace } from '../kernels/workspace.js';

/**
 * Sign and natural log of |det A| (numpy.linalg.slogdet's `(sign, logabsdet)`): det A =
 * sign * exp(logAbs), without the overflow or underflow of the product itself. Returned by
 * {@link Lu.slogdet}, {@link slogdet} and `Cholesky.slogdet`.
 */
export interface Slogdet {
  /** 1 or -1, or 0 for a singular matrix. */
  sign: number;
  /** log |det A|: -Infinity for a singular matrix. */
  logAbs: number;
}

/**
 * The factors of P A = L U for an m x n A (k = min(m, n)): L is m x k unit lower
 * triangular, U is k x n upper triangular, and row i of P A is row `perm[i]` of A.
 * Produced by {@link lu}.
 */
export class Lu {
  /** 0-based index of the first exactly zero pivot U[i, i], or -1. */
  readonly zeroPivot: number;
  private readonly packed: FloatArray;
  private readonly ipiv: Int32Array;
  private readonly m: number;
  private readonly n: number;
  private cache: { perm?: Int32Array; L?: Matrix; U?: Matrix } = {};

  /** @internal Use {@link lu}. */
  constructor(packed: FloatArray, m: number, n: number, ipiv: Int32Array, info: number) {
    this.packed = packed;
    this.ipiv = ipiv;
    this.m = m;
    this.n = n;
    this.zeroPivot = info - 1;
  }

  /** Row permutation: `A[perm[i], :]` is row i of P A = L U. Built on first use. */
  get perm(): Int32Array {
    return (this.cache.perm ??= pivotsToPermutation(this.m, this.ipiv, Math.min(this.m, this.n)));
  }

  /** Unit lower triangular (trapezoidal when m > n) factor, m x k. Built on first use. */
  get L(): Matrix {
    if (!this.cache.L) {
      const { m, n, packed } = this;
      const k = Math.min(m, n);
      const L = Matrix.zeros(m, k, { dtype: this.dtype });
      for (let j = 0; j < k; j++) {
        L.data[j + j * m] = 1;
        L.data.set(packed.subarray(j + 1 + j * m, (j + 1) * m), j + 1 + j * m);
      }
      this.cache.L = L;
    }
    return this.cache.L;
  }

  /** Upper triangular (trapezoidal when m < n) factor, k x n. Built on first use. */
  get U(): Matrix {
    if (!this.cache.U) {
      const { m, n, packed } = this;
      const k = Math.min(m, n);
      const U = Matrix.zeros(k, n, { dtype: this.dtype });
      for (let j = 0; j < n; j++) U.data.set(packed.subarray(j * m, j * m + Math.min(j + 1, k)), j * k);
      this.cache.U = U;
    }
    return this.cache.U;
  }

  private get dtype(): 'float32' | 'float64' {
    return this.packed instanceof Float32Array ? 'float32' : 'float64';
  }

  /** True when some pivot is exactly zero (A is singular). */
  get singular(): boolean {
    return this.zeroPivot >= 0;
  }

  private requireSquare(routine: string): number {
    if (this.m !== this.n) throw new SingularMatrixError(`${routine}: needs a square matrix, this LU is of a ${this.m}x${this.n} one`);
    return this.m;
  }

  private requireSolvable(routine: string): number {
    const n = this.requireSquare(routine);
    if (this.singular) {
      throw new SingularMatrixError(`${routine}: the matrix is singular (pivot U[${this.zeroPivot}, ${this.zeroPivot}] is exactly zero)`);
    }
    return n;
  }

  /**
   * Solve A X = B (or A^T X = B with `transpose`) using the factors: the row interchanges,
   * then two triangular solves, L Y = P B and U X = Y (LAPACK dgetrs): 2 n^2 flops per
   * right-hand side.
   * @param b - a length-n vector, or an n x r Matrix (one system per column). float32
   *   arithmetic only when both b and the factors are float32.
   * @param options - `transpose`: solve A^T X = B instead (default false).
   * @returns x of length n (for a vector b) or the n x r Matrix X.
   * @throws SingularMatrixError when A is not square or has an exactly zero pivot;
   *   ShapeError when b does not have n rows; NonFiniteInputError on NaN or Inf in b.
   * @example
   * lu(Matrix.from([[0, 2], [3, 4]])).solve([2, 7]); // Float64Array [1, 1]
   */
  solve(b: Matrix, options?: { transpose?: boolean }): Matrix;
  solve(b: ArrayLike<number>, options?: { transpose?: boolean }): FloatArray;
  solve(b: Rhs, options: { transpose?: boolean } = {}): Matrix | FloatArray {
    const n = this.requireSolvable('solve');
    const { B, vector } = rhsMatrix(b, n, 'solve');
    const dtype = this.packed instanceof Float32Array && B.dtype === 'float32' ? 'float32' : 'float64';
    const X = withWorkspace((ws) => {
      const lu = ws.alloc(dtype, this.packed.length);
      lu.set(this.packed);
      const x = workCopy(B, 'solve', ws, dtype);
      getrs(options.transpose ?? false, n, B.cols, lu, 0, n, this.ipiv, x.a, 0, x.ld);
      return toMatrix(x.a, 0, x.ld, n, B.cols, dtype);
    });
    return rhsResult(X, vector);
  }

  /**
   * Determinant: det A = det(P) prod_i U_ii, as sign * exp(logAbs) of {@link Lu.slogdet}.
   * @returns det A: 0 when singular; it overflows to +-Infinity (or underflows to 0) where
   *   slogdet does not.
   * @throws SingularMatrixError when A is not square.
   * @example
   * lu(Matrix.from([[0, 2], [3, 4]])).det(); // -6
   */
  det(): number {
    const { sign, logAbs } = this.slogdet();
    return sign * Math.exp(logAbs);
  }

  /**
   * Sign and natural log of |det A|, which do not overflow where det would (numpy slogdet):
   * the sign of prod U_ii times the permutation's, and sum log |U_ii|.
   * @returns {@link Slogdet}: sign is 0 and logAbs -Infinity for a singular matrix.
   * @throws SingularMatrixError when A is not square.
   * @example
   * lu(Matrix.from([[0, 2], [3, 4]])).slogdet(); // { sign: -1, logAbs: Math.log(6) }
   */
  slogdet(): Slogdet {
    const n = this.requireSquare('det');
    let sign = 1;
    let logAbs = 0;
    for (let i = 0; i < n; i++) {
      const u = this.packed[i + i * n]!;
      if (this.ipiv[i] !== i) sign = -sign;
      if (u === 0) return { sign: 0, logAbs: -Infinity };
      if (u < 0) sign = -sign;
      logAbs += Math.log(Math.abs(u));
    }
    return { sign, logAbs };
  }

  /**
   * A^{-1}, by solving A X = I with the factors (2 n^3 flops; numpy.linalg.inv does the
   * same). Prefer {@link Lu.solve} for A^{-1} B: it is cheaper and more accurate.
   * @returns the n x n inverse, of the factors' dtype.
   * @throws SingularMatrixError when A is not square or has an exactly zero pivot.
   * @example
   * lu(Matrix.from([[0, 2], [3, 4]])).inverse().toArray(); // [[-0.667, 0.333], [0.5, 0]]
   */
  inverse(): Matrix {
    const n = this.requireSolvable('inverse');
    return this.solve(Matrix.identity(n, n, { dtype: this.dtype }));
  }
}

/**
 * LU factorization with partial pivoting, P A = L U, of any m x n matrix (scipy.linalg.lu;
 * LAPACK dgetrf). Recursive and gemm-rich: (2/3) n^3 flops for square A. Exactly zero
 * pivots do not throw here (see {@link Lu.singular}); solve and inverse do.
 * @param A - the m x n matrix (not modified); float32 input is factored in float32, except up
 *   to 96 x 96 (one WASM call in float64, factors rounded to float32).
 * @returns the {@link Lu} factorization: L m x k unit lower triangular, U k x n upper
 *   triangular (k = min(m, n)), perm of length m; solve, det, slogdet and inverse for
 *   square A.
 * @throws NonFiniteInputError on NaN or Inf.
 * @example
 * const f = lu(Matrix.from([[0, 2], [3, 4]]));
 * f.perm;               // Int32Array [1, 0]
 * f.solve([2, 7]);      // Float64Array [1, 1]
 */
export function lu(A: Matrix): Lu {
  const m = A.rows;
  const n = A.cols;
  // Small matrices: one WASM call (src/linalg/small.ts).
  const small = smallLu(A);
  if (small) return new Lu(small.packed, m, n, small.ipiv, small.info);
  const ipiv = new Int32Array(Math.min(m, n));
  return withWorkspace((ws) => {
    const w = workCopy(A, 'lu', ws);
    const info = getrf(m, n, w.a, 0, w.ld, ipiv);
    // Stored with ld = m (not max(1, m)): an m = 0 factor has no elements anyway.
    return new Lu(m === 0 ? w.a.slice(0, 0) : w.a.slice(0, m * n), m, n, ipiv, info);
  });
}

/**
 * Solve the square system A X = B (numpy.linalg.solve): LU with partial pivoting
 * (LAPACK dgesv = dgetrf + dgetrs, (2/3) n^3 + 2 n^2 r flops).
 * @param A - the n x n matrix.
 * @param b - a length-n vector, or an n x r Matrix (one system per column).
 * @returns x of length n (for a vector b) or the n x r Matrix X.
 * @throws SingularMatrixError when A is exactly singular; ShapeError when A is not square
 *   or b does not have n rows; NonFiniteInputError on NaN or Inf.
 * @example
 * solve(Matrix.from([[0, 2], [3, 4]]), [2, 7]); // Float64Array [1, 1]
 */
export function solve(A: Matrix, b: Matrix): Matrix;
export function solve(A: Matrix, b: ArrayLike<number>): FloatArray;
export function solve(A: Matrix, b: Matrix | ArrayLike<number>): Matrix | FloatArray {
  requireSquare(A, 'solve');
  const f = lu(A);
  return b instanceof Matrix ? f.solve(b) : f.solve(b);
}

/**
 * Determinant of a square matrix (numpy.linalg.det), via LU: det(P) prod_i U_ii.
 * @param A - the n x n matrix.
 * @returns det A (1 for 0 x 0, 0 when singular); see {@link slogdet} when it could
 *   overflow.
 * @throws ShapeError when A is not square; NonFiniteInputError on NaN or Inf.
 * @example
 * det(Matrix.from([[0, 2], [3, 4]])); // -6
 */
export function det(A: Matrix): number {
  requireSquare(A, 'det');
  return lu(A).det();
}

/**
 * Sign and log|det| of a square matrix (numpy.linalg.slogdet), via LU.
 * @param A - the n x n matrix.
 * @returns {@link Slogdet}: det A = sign * exp(logAbs); `{ sign: 0, logAbs: -Infinity }`
 *   when A is singular.
 * @throws ShapeError when A is not square; NonFiniteInputError on NaN or Inf.
 * @example
 * slogdet(Matrix.from([[0, 2], [3, 4]])); // { sign: -1, logAbs: 1.7918 }
 */
export function slogdet(A: Matrix): Slogdet {
  requireSquare(A, 'slogdet');
  return lu(A).slogdet();
}

/**
 * Inverse of a square matrix (numpy.linalg.inv), via LU: A^{-1} solves A X = I.
 * @param A - the n x n matrix.
 * @returns the n x n inverse, of A's dtype.
 * @throws SingularMatrixError when A is exactly singular; ShapeError when A is not square;
 *   NonFiniteInputError on NaN or Inf.
 * @example
 * inv(Matrix.from([[2, 0], [0, 4]])).toArray(); // [[0.5, 0], [0, 0.25]]
 */
export function inv(A: Matrix): Matrix {
  requireSquare(A, 'inv');
  return lu(A).inverse();
}
