import type { DType } from './dtype.js';
import type { Matrix } from './matrix.js';

/**
 * A linear map given only by its action: what truncated solvers (randomized SVD, Lanczos)
 * need from a matrix. Dense matrices, sparse CSR/CSC matrices and implicit operators
 * (a column-centered sparse matrix, a product, a transpose) all provide it, so a solver
 * written against this interface never densifies its input (scipy's LinearOperator).
 *
 * Blocks are Matrix values: `apply(X)` takes X of shape cols x p and returns A X
 * (rows x p); `applyTranspose(Y)` takes rows x p and returns A^T Y (cols x p). p = 1 is a
 * matrix-vector product. Results are new column-major matrices of the operator's dtype.
 */
export interface LinearOperator {
  /** [rows, cols] of the operator. */
  readonly shape: readonly [number, number];
  /** Element type of the results. */
  readonly dtype: DType;
  /** A X for X of shape cols x p. */
  apply(X: Matrix): Matrix;
  /** A^T Y for Y of shape rows x p. */
  applyTranspose(Y: Matrix): Matrix;
}

/** True when `x` has the shape of a {@link LinearOperator} (duck-typed, as TypeScript is). */
export function isLinearOperator(x: unknown): x is LinearOperator {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Partial<LinearOperator>;
  return Array.isArray(o.shape) && typeof o.apply === 'function' && typeof o.applyTranspose === 'function';
}
