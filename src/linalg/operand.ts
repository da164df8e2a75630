import type { FloatArray } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';

/** A matrix as BLAS sees it: column-major storage, possibly read transposed. */
export interface BlasOperand {
  /** The storage array. */
  data: FloatArray;
  /** Index in `data` of the first element. */
  offset: number;
  /** Leading dimension: the stride between consecutive columns of the stored (column-major) matrix, >= max(1, stored rows). */
  ld: number;
  /** True when the storage holds the transpose (the Matrix is a row-major view). */
  trans: boolean;
}

/**
 * Express a Matrix view as a BLAS operand without copying when its strides allow:
 * column-major views (rowStride 1) as-is, row-major views (colStride 1, e.g. `A.T`) as a
 * transposed operand. Other strides (or a dtype other than `dtype`) are copied.
 */
export function blasOperand(A: Matrix, dtype = A.dtype): BlasOperand {
  if (A.dtype === dtype) {
    if (A.rowStride === 1 && A.colStride >= Math.max(1, A.rows)) return { data: A.data, offset: A.offset, ld: A.colStride, trans: false };
    if (A.colStride === 1 && A.rowStride >= Math.max(1, A.cols)) return { data: A.data, offset: A.offset, ld: A.rowStride, trans: true };
  }
  const c = A.copy({ dtype });
  return { data: c.data, offset: 0, ld: Math.max(1, c.rows), trans: false };
}
