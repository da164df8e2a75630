import { ShapeError } from '../errors.js';
import { Matrix } from '../matrix/matrix.js';

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use A^T instead of A. Default false. */
  transA?: boolean;
  /** Use B^T instead of B. Default false. */
  transB?: boolean;
}

/**
 * Matrix product `op(A) * op(B)` as a new column-major matrix (TEMPORARY naive version,
 * to be replaced by the WASM gemm dispatch).
 */
export function matmul(A: Matrix, B: Matrix, options: MatmulOptions = {}): Matrix {
  const a = options.transA ? A.transpose() : A;
  const b = options.transB ? B.transpose() : B;
  if (a.cols !== b.rows) throw new ShapeError(`matmul: inner dimensions differ (${a.rows}x${a.cols} times ${b.rows}x${b.cols})`);
  const dtype = a.dtype === 'float32' && b.dtype === 'float32' ? 'float32' : 'float64';
  const c = Matrix.zeros(a.rows, b.cols, { dtype });
  for (let j = 0; j < b.cols; j++) for (let p = 0; p < a.cols; p++) {
    const bv = b.get(p, j);
    for (let i = 0; i < a.rows; i++) c.data[i + j * a.rows] += a.get(i, p) * bv;
  }
  return c;
}
