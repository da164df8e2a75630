import { ShapeError } from '../errors.js';
import { kernels } from '../kernels/index.js';
import type { DType } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import { blasOperand } from './operand.js';

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use A^T instead of A. Default false. */
  transA?: boolean;
  /** Use B^T instead of B. Default false. */
  transB?: boolean;
  /** Multiply the product by alpha. Default 1. */
  alpha?: number;
}

/**
 * Matrix product `alpha * op(A) * op(B)` as a new column-major matrix, computed by the
 * active gemm kernel (WASM SIMD, multi-threaded for large products). Views are used
 * without copying, including transposed ones (`A.T`). The result is float32 only when
 * both inputs are float32; mixed inputs are promoted to float64, as numpy does.
 * @throws ShapeError when the inner dimensions differ.
 * @example
 * matmul(Matrix.from([[1, 2], [3, 4]]), Matrix.identity(2)).toArray(); // [[1, 2], [3, 4]]
 */
export function matmul(A: Matrix, B: Matrix, options: MatmulOptions = {}): Matrix {
  const a = options.transA ? A.transpose() : A;
  const b = options.transB ? B.transpose() : B;
  if (a.cols !== b.rows) {
    throw new ShapeError(`matmul: inner dimensions differ (${a.rows}x${a.cols} times ${b.rows}x${b.cols})`);
  }
  const dtype: DType = a.dtype === 'float32' && b.dtype === 'float32' ? 'float32' : 'float64';
  const C = Matrix.zeros(a.rows, b.cols, { dtype });
  gemmInto(a, b, C, options.alpha ?? 1, 0);
  return C;
}

/**
 * C := alpha * A * B + beta * C in place, for any views A (m x k), B (k x n) and a
 * column-major C (m x n) of the same dtype (A and B are converted if needed).
 * @throws ShapeError on mismatched shapes.
 */
export function gemmInto(A: Matrix, B: Matrix, C: Matrix, alpha = 1, beta = 0): void {
  if (A.cols !== B.rows || A.rows !== C.rows || B.cols !== C.cols) {
    throw new ShapeError(`gemm: shapes ${A.rows}x${A.cols} * ${B.rows}x${B.cols} -> ${C.rows}x${C.cols} do not fit`);
  }
  if (!C.isColumnMajor) throw new ShapeError('gemm: C must be a column-major view (rowStride 1)');
  const a = blasOperand(A, C.dtype);
  const b = blasOperand(B, C.dtype);
  kernels().gemm(a.trans, b.trans, C.rows, C.cols, A.cols, alpha, a.data, a.offset, a.ld, b.data, b.offset, b.ld, beta, C.data, C.offset, Math.max(1, C.colStride));
}
