/**
 * Building {@link LinearOperator}s: from a dense Matrix, as a transpose, and column-centered
 * (A - 1 mu^T) without forming the centered matrix, which is what PCA of a sparse matrix
 * needs (scikit-learn densifies there; we do not).
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { gemmInto } from '../linalg/matmul.js';
import type { DType } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import { isLinearOperator, type LinearOperator } from '../matrix/operator.js';

/** What truncated solvers accept: a dense matrix or any linear operator (e.g. a CSR matrix). */
export type MatrixLike = Matrix | LinearOperator;

function checkRows(name: string, X: Matrix, n: number): void {
  if (X.rows !== n) throw new ShapeError(`${name}: operand has ${X.rows} rows, the operator needs ${n}`);
}

/** A dense Matrix seen as an operator; products are gemm calls (no copy of A). */
export class DenseOperator implements LinearOperator {
  readonly shape: readonly [number, number];
  readonly dtype: DType;
  /** The wrapped matrix. */
  readonly matrix: Matrix;

  /**
   * Wrap `A` (shared, not copied). O(1).
   * @param A - any dense Matrix (views and transposes included).
   */
  constructor(A: Matrix) {
    this.matrix = A;
    this.shape = [A.rows, A.cols];
    this.dtype = A.dtype;
  }

  apply(X: Matrix): Matrix {
    checkRows('apply', X, this.shape[1]);
    const Y = Matrix.zeros(this.shape[0], X.cols, { dtype: this.dtype });
    gemmInto(this.matrix, X, Y);
    return Y;
  }

  applyTranspose(Y: Matrix): Matrix {
    checkRows('applyTranspose', Y, this.shape[0]);
    const Z = Matrix.zeros(this.shape[1], Y.cols, { dtype: this.dtype });
    gemmInto(this.matrix.T, Y, Z);
    return Z;
  }
}

/**
 * `A` as a {@link LinearOperator}: a Matrix is wrapped in a {@link DenseOperator}; an
 * operator is returned as is.
 * @throws InvalidArgumentError for anything else.
 */
export function asLinearOperator(A: MatrixLike): LinearOperator {
  if (A instanceof Matrix) return new DenseOperator(A);
  if (isLinearOperator(A)) return A;
  throw new InvalidArgumentError('expected a Matrix or a LinearOperator (shape, dtype, apply, applyTranspose)');
}

/** A^T as an operator (swaps apply and applyTranspose; no data moves). */
export function transposeOperator(A: MatrixLike): LinearOperator {
  const op = asLinearOperator(A);
  return {
    shape: [op.shape[1], op.shape[0]],
    dtype: op.dtype,
    apply: (X) => op.applyTranspose(X),
    applyTranspose: (Y) => op.apply(Y),
  };
}

/**
 * A - 1 mu^T as an operator, where mu holds one value per column (by default the column
 * means of A, computed as A^T 1 / rows). Products cost one product with A plus a rank-one
 * correction, so a sparse A stays sparse.
 */
export function centeredOperator(A: MatrixLike, mu?: ArrayLike<number>): LinearOperator {
  const op = asLinearOperator(A);
  const [m, n] = op.shape;
  let means: Float64Array;
  if (mu === undefined) {
    const ones = Matrix.full(m, 1, 1, { dtype: op.dtype });
    const s = m > 0 ? op.applyTranspose(ones) : Matrix.zeros(n, 1);
    means = new Float64Array(n);
    for (let j = 0; j < n; j++) means[j] = m > 0 ? s.get(j, 0) / m : 0;
  } else {
    if (mu.length !== n) throw new ShapeError(`centeredOperator: ${mu.length} means for ${n} columns`);
    means = Float64Array.from(mu);
  }
  const dtype = op.dtype;
  return {
    shape: [m, n],
    dtype,
    apply(X: Matrix): Matrix {
      checkRows('apply', X, n);
      const Y = op.apply(X);
      // Y -= 1 (mu^T X)
      for (let c = 0; c < X.cols; c++) {
        let t = 0;
        for (let j = 0; j < n; j++) t += means[j]! * X.get(j, c);
        if (t !== 0) for (let i = 0; i < m; i++) Y.set(i, c, Y.get(i, c) - t);
      }
      return Y;
    },
    applyTranspose(Y: Matrix): Matrix {
      checkRows('applyTranspose', Y, m);
      const Z = op.applyTranspose(Y);
      // Z -= mu (1^T Y)
      for (let c = 0; c < Y.cols; c++) {
        let t = 0;
        for (let i = 0; i < m; i++) t += Y.get(i, c);
        if (t !== 0) for (let j = 0; j < n; j++) Z.set(j, c, Z.get(j, c) - means[j]! * t);
      }
      return Z;
    },
  };
}
