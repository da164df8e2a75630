/**
 * Moving matrices between {@link Matrix} views and the column-major work arrays the
 * factorizations run on, with the input checks every decomposition shares.
 */
import { kernels } from '../../kernels/index.js';
import { NonFiniteInputError } from '../../errors.js';
import type { DType, FloatArray } from '../../matrix/dtype.js';
import { Matrix } from '../../matrix/matrix.js';
import type { Workspace } from '../../kernels/workspace.js';

/** A column-major m x n matrix in a work array: element (i, j) is `a[i + j * ld]`. */
export interface Dense {
  a: FloatArray;
  m: number;
  n: number;
  ld: number;
}

/**
 * Copy `A` into a fresh work array of `dtype` (default: A's), column-major with
 * ld = max(1, m).
 * @throws NonFiniteInputError naming `routine` and the first (row, column) holding NaN or Inf.
 */
export function workCopy(A: Matrix, routine: string, ws: Workspace, dtype: DType = A.dtype): Dense {
  const m = A.rows;
  const n = A.cols;
  const ld = Math.max(1, m);
  // Every element is written below when m > 0; an m = 0 input keeps the zero fill.
  const a = ws.alloc(dtype, ld * n, m === 0);
  copyChecked(A, routine, a, ld);
  return { a, m, n, ld };
}

/**
 * Copy the view A into the column-major array `a` (leading dimension ld >= rows), converting
 * the element type if needed.
 * @throws NonFiniteInputError naming `routine` and the first NaN/Inf entry.
 */
export function copyChecked(A: Matrix, routine: string, a: FloatArray, ld: number): void {
  const m = A.rows;
  const n = A.cols;
  const src = A.data;
  if (A.rowStride === 1 && m > 0) {
    // Column-major input: bulk copies, then one SIMD pass that is finite exactly when every
    // entry is (sum of squares; an overflow to Inf sends us to the exact scan below, which
    // then finds nothing to complain about).
    // Contiguous columns (the usual case) go in one call: at n = 1024, a call per column
    // into shared memory took up to twice as long as the single copy.
    if (A.colStride === ld) a.set(src.subarray(A.offset, A.offset + ld * n));
    else for (let j = 0; j < n; j++) a.set(src.subarray(A.offset + j * A.colStride, A.offset + j * A.colStride + m), j * ld);
    if (Number.isFinite(kernels().dot(ld * n, a, 0, 1, a, 0, 1))) return;
  }
  for (let j = 0; j < n; j++) {
    const s = A.offset + j * A.colStride;
    const d = j * ld;
    for (let i = 0; i < m; i++) {
      const v = src[s + i * A.rowStride]!;
      if (!Number.isFinite(v)) {
        throw new NonFiniteInputError(`${routine}: the input holds ${v} at (${i}, ${j}); decompositions need finite numbers`);
      }
      a[d + i] = v;
    }
  }
}

/** A new Matrix (ordinary memory, dtype `dtype`) holding rows x cols of a work array. */
export function toMatrix(a: FloatArray, off: number, ld: number, rows: number, cols: number, dtype: DType): Matrix {
  const out = Matrix.zeros(rows, cols, { dtype });
  const d = out.data;
  if (ld === rows) {
    // Contiguous columns: one bulk copy (converting the element type if needed).
    d.set(a.subarray(off, off + rows * cols));
    return out;
  }
  for (let j = 0; j < cols; j++) d.set(a.subarray(off + j * ld, off + j * ld + rows), j * rows);
  return out;
}

/** Same as {@link toMatrix} keeping only the upper triangle (zeros below the diagonal). */
export function upperToMatrix(a: FloatArray, off: number, ld: number, rows: number, cols: number, dtype: DType): Matrix {
  const out = toMatrix(a, off, ld, rows, cols, dtype);
  for (let j = 0; j < cols; j++) for (let i = j + 1; i < rows; i++) out.data[i + j * Math.max(1, rows)] = 0;
  return out;
}

/** A vector (as a Float64Array or Float32Array of `dtype`) copied from a work array. */
export function toVector(a: ArrayLike<number>, off: number, n: number, dtype: DType): FloatArray {
  const out = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a[off + i]!;
  return out;
}
