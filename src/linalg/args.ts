/** Argument checks and right-hand-side handling shared by the decompositions. */
import { ShapeError } from '../errors.js';
import type { FloatArray } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';

/** A right-hand side: a matrix (one system per column) or a single vector. */
export type Rhs = Matrix | ArrayLike<number>;

/** @throws ShapeError unless A is square. */
export function requireSquare(A: Matrix, routine: string): void {
  if (A.rows !== A.cols) throw new ShapeError(`${routine}: the matrix must be square, got ${A.rows}x${A.cols}`);
}

/** The right-hand side as an n-row Matrix, and whether the caller passed a vector. */
export function rhsMatrix(b: Rhs, n: number, routine: string): { B: Matrix; vector: boolean } {
  if (b instanceof Matrix) {
    if (b.rows !== n) throw new ShapeError(`${routine}: the right-hand side has ${b.rows} rows, the matrix has ${n}`);
    return { B: b, vector: false };
  }
  if (b.length !== n) throw new ShapeError(`${routine}: the right-hand side has ${b.length} entries, the matrix has ${n} rows`);
  return { B: new Matrix(Float64Array.from(b), n, 1), vector: true };
}

/** Return X as the caller's kind: the Matrix, or its single column as a typed array. */
export function rhsResult(X: Matrix, vector: boolean): Matrix | FloatArray {
  return vector ? X.toFlat() : X;
}
