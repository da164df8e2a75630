/**
 * Small matrices in one WASM call (issue 20, item 5). Below a few dozen rows the blocked
 * drivers of qr.ts, svd.ts and eigh.ts spend most of a call outside arithmetic: a kernel call per
 * column (each validating its arguments and checking that its arrays live in WASM memory),
 * workspace allocations per step, block-reflector setup (larft) for panels as wide as the
 * matrix, and TypeScript loops (bdsqr's rotations, the divide-and-conquer leaves). Here the
 * input is copied once into one block of WASM memory, the whole factorization runs as one
 * call of an unblocked LAPACK-style kernel (assembly/small.ts: dgeqr2 + dorg2r; dgebd2 +
 * dorgbr + dbdsqr), and the results are copied out once, as LAPACK itself runs the
 * unblocked code below its crossover sizes (ILAENV's NX); eigh likewise (dsytd2 + dorm2r +
 * dsteqr, LAPACK dsyev's steps) and LU (dgetrf with rank-4 blocks). The functions here return
 * undefined when the path does not apply (no WASM backend, too large, or a shape it does
 * not cover) and the caller runs its general path.
 */
import { ConvergenceError, OutOfMemoryError } from '../errors.js';
import { activeWasm } from '../kernels/index.js';
import { geqrSmall, gesvdSmall, gesvdSmallWork, getrfSmall, syevSmall, syevSmallWork } from '../kernels/small-decomp.js';
import type { DType, FloatArray } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import { copyChecked, toMatrix, upperToMatrix } from './lapack/dense.js';

/**
 * Largest max(m, n) factored by one call of the unblocked QR kernel. Measured on this
 * 2-core VM, one thread, square n: 0.26 of the blocked driver's time at n = 8 .. 32,
 * 0.33 at 64 and 0.63 at 128 (129 us vs 387 us at n = 64; the n x n matrix, 128 kB at
 * n = 128, stays in L2 while dgeqr2's level-2 sweeps run over it).
 */
export const QR_SMALL_MAX = 128;

/**
 * Largest max(m, n) whose thin SVD runs as one call (dgebd2 + dorgbr + dbdsqr). Measured on
 * this 2-core VM, one thread, square n, against the blocked driver (gebrd + bdsdc): 0.2x
 * its time at n = 8, 0.43x at 64, 0.74x at 128 (3.96 vs 5.37 ms). Beyond, the divide and
 * conquer's gemm updates overtake bdsqr's 6 n^2 flops of rotations per sweep.
 */
export const SVD_SMALL_MAX = 128;

/**
 * Largest order whose eigh runs as one call (dsytd2 + dorm2r + dsteqr). dsteqr's rotations
 * cost about 6 n^3 flops against the divide and conquer's few n^3 in gemm, so the crossover
 * is lower than for the SVD. Measured on this 2-core VM, one thread, against the general
 * path (dsytd2 + dstedc + dorm2r): 10 vs 13 us at n = 8, 62 vs 109 at 32, 333 vs 377 at 64,
 * but 1064 vs 897 at 96.
 */
export const EIGH_SMALL_MAX = 64;

/**
 * Largest max(m, n) whose LU runs as one call of the small blocked kernel (rank-4 updates)
 * instead of the recursive panel, whose nested trsm and gemm calls cost more than the
 * arithmetic there. Kernels alone, one thread: 0.22 vs 1.0 us at n = 8, 5.0 vs 5.9 at 32,
 * 19 vs 22 at 64, 62 vs 67 at 96, 126 vs 117 at 128. Again after both kernels changed
 * (two-column rank-4 update; rank-4 panels in the blocked path), loaded machine, three
 * runs: 49-72 vs 56-75 at 96, 76-110 vs 78-117 at 112, 114-165 vs 105-153 at 128.
 */
export const LU_SMALL_MAX = 96;

/** The pieces of a QR factorization, as qr.ts builds its result from them. */
export interface SmallQr {
  Q: Matrix;
  R: Matrix;
}

/**
 * Run `fn` on one block of `n` doubles of WASM memory (contents unspecified), released
 * afterwards; undefined when there is no WASM backend or its memory is full.
 */
function withBlock<T>(n: number, fn: (blk: Float64Array) => T | undefined): T | undefined {
  const w = activeWasm();
  if (!w) return undefined;
  let blk: Float64Array;
  try {
    blk = w.alloc('float64', n, false) as Float64Array;
  } catch (e) {
    if (e instanceof OutOfMemoryError) return undefined;
    throw e;
  }
  try {
    return fn(blk);
  } finally {
    w.release(blk);
  }
}

/** An array of `dtype` holding a copy of `x`. */
function inDtype(x: Float64Array, dtype: DType): FloatArray {
  return dtype === 'float32' ? Float32Array.from(x) : x.slice();
}

/**
 * A = Q R for a nonempty A with max(m, n) <= QR_SMALL_MAX in one WASM call, Q m x qCols
 * (k = min(m, n) <= qCols <= m), R rRows x n (k or m rows). Computed in float64 and returned
 * in A's dtype. undefined when the path does not apply.
 * @throws NonFiniteInputError (from the copy) when A holds NaN or Inf.
 */
export function smallQr(A: Matrix, qCols: number, rRows: number): SmallQr | undefined {
  const m = A.rows;
  const n = A.cols;
  if (m === 0 || n === 0 || m > QR_SMALL_MAX || n > QR_SMALL_MAX) return undefined;
  const k = Math.min(m, n);
  const dtype = A.dtype;
  const mn = m * n;
  return withBlock(mn + 2 * k + m * qCols, (blk) => {
    const a = blk.subarray(0, mn);
    const tau = blk.subarray(mn, mn + k);
    const diag = blk.subarray(mn + k, mn + 2 * k);
    const q = blk.subarray(mn + 2 * k);
    copyChecked(A, 'qr', a, m);
    if (!geqrSmall(m, n, a, m, tau, q, m, qCols, diag)) return undefined;
    return {
      Q: toMatrix(q, 0, m, m, qCols, dtype),
      R: upperToMatrix(a, 0, m, rRows, n, dtype),
    };
  });
}

/** The factors of a thin SVD, as svd.ts builds its result from them. */
export interface SmallSvd {
  U: Matrix;
  s: Float64Array | Float32Array;
  Vt: Matrix;
}

/** The cols x rows transpose of the rows x cols block of `a` (ld `ld`), as a new Matrix. */
function transposed(a: Float64Array, ld: number, rows: number, cols: number, dtype: DType): Matrix {
  const out = Matrix.zeros(cols, rows, { dtype });
  const o = out.data;
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) o[j + i * cols] = a[i + j * ld]!;
  return out;
}

/**
 * Thin SVD A = U diag(s) Vt of a nonempty A with max(m, n) <= SVD_SMALL_MAX in one WASM
 * call (a wide A through its transpose). `full` is accepted for square A only (full and
 * thin agree there). Computed in float64, returned in A's dtype. undefined when the path
 * does not apply.
 * @throws NonFiniteInputError (from the copy) when A holds NaN or Inf; ConvergenceError if
 *   the bidiagonal QR iteration hits its cap (never seen).
 */
export function smallSvd(A: Matrix, full: boolean): SmallSvd | undefined {
  const m = A.rows;
  const n = A.cols;
  if (m === 0 || n === 0 || (full && m !== n) || m > SVD_SMALL_MAX || n > SVD_SMALL_MAX) return undefined;
  // Work on the tall one of A and A^T: A^T = U' S V'^T gives A = V' S U'^T.
  const trans = m < n;
  const mm = trans ? n : m;
  const nn = trans ? m : n;
  const dtype = A.dtype;
  const mn = mm * nn;
  return withBlock(2 * mn + nn + nn * nn + gesvdSmallWork(mm, nn), (blk) => {
    const a = blk.subarray(0, mn);
    const u = blk.subarray(mn, 2 * mn);
    const s = blk.subarray(2 * mn, 2 * mn + nn);
    const v = blk.subarray(2 * mn + nn, 2 * mn + nn + nn * nn);
    const work = blk.subarray(2 * mn + nn + nn * nn);
    copyChecked(trans ? A.T : A, 'svd', a, mm);
    const info = gesvdSmall(mm, nn, a, mm, s, u, mm, v, nn, work);
    if (info === undefined) return undefined;
    if (info > 0) throw new ConvergenceError(`svd: the bidiagonal QR iteration left ${info} off-diagonal entries unconverged (${m}x${n})`);
    const sv = inDtype(s, dtype) as Float64Array | Float32Array;
    if (!trans) return { U: toMatrix(u, 0, mm, mm, nn, dtype), s: sv, Vt: transposed(v, nn, nn, nn, dtype) };
    return { U: toMatrix(v, 0, nn, nn, nn, dtype), s: sv, Vt: transposed(u, mm, mm, nn, dtype) };
  });
}

/**
 * Eigenvalues (ascending) and eigenvectors of the symmetric n x n A, 1 <= n <=
 * EIGH_SMALL_MAX, in one WASM call (LAPACK dsyev's steps), reading A's lower triangle, or
 * its upper one when `upper`. Computed in float64, returned in A's dtype. undefined when the
 * path does not apply, or when the read triangle holds NaN or Inf (the caller's general
 * path then reports the entry).
 * @throws ConvergenceError if the QL/QR iteration hits its cap (never seen).
 */
export function smallEigh(A: Matrix, upper: boolean): { w: Float64Array | Float32Array; V: Matrix } | undefined {
  const n = A.rows;
  if (n === 0 || n > EIGH_SMALL_MAX || A.cols !== n) return undefined;
  const dtype = A.dtype;
  const nn = n * n;
  return withBlock(2 * nn + n + syevSmallWork(n), (blk) => {
    const a = blk.subarray(0, nn);
    const z = blk.subarray(nn, 2 * nn);
    const w = blk.subarray(2 * nn, 2 * nn + n);
    const work = blk.subarray(2 * nn + n);
    // One bulk copy when A is stored by columns; a row-major A (such as B.T) copied as is
    // is A^T, whose lower triangle is A's upper one.
    let up = upper;
    const src = A.data;
    if (A.rowStride === 1 && A.colStride === n) a.set(src.subarray(A.offset, A.offset + nn));
    else if (A.colStride === 1 && A.rowStride === n) {
      a.set(src.subarray(A.offset, A.offset + nn));
      up = !upper;
    } else {
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) a[i + j * n] = src[A.offset + i * A.rowStride + j * A.colStride]!;
    }
    const info = syevSmall(n, a, n, up, w, z, n, work);
    if (info === undefined || info < 0) return undefined;
    if (info > 0) throw new ConvergenceError(`eigh: the QL/QR iteration left ${info} off-diagonal entries unconverged (n = ${n})`);
    return { w: inDtype(w, dtype) as Float64Array | Float32Array, V: toMatrix(z, 0, n, n, n, dtype) };
  });
}

/**
 * P A = L U of a nonempty A with max(m, n) <= LU_SMALL_MAX in one WASM call,
 * computed in float64: the packed factors (m x n, ld m) in A's dtype, the 0-based
 * interchanges, and 0 or 1 + the first zero pivot. undefined when the path does not apply.
 * @throws NonFiniteInputError (from the copy) when A holds NaN or Inf.
 */
export function smallLu(A: Matrix): { packed: FloatArray; ipiv: Int32Array; info: number } | undefined {
  const m = A.rows;
  const n = A.cols;
  if (m === 0 || n === 0 || m > LU_SMALL_MAX || n > LU_SMALL_MAX) return undefined;
  const k = Math.min(m, n);
  const mn = m * n;
  return withBlock(mn + ((k + 1) >> 1), (blk) => {
    const a = blk.subarray(0, mn);
    const piv = new Int32Array(blk.buffer, blk.byteOffset + 8 * mn, k);
    copyChecked(A, 'lu', a, m);
    const info = getrfSmall(m, n, a, m, piv);
    if (info === undefined) return undefined;
    return { packed: inDtype(a, A.dtype), ipiv: piv.slice(), info };
  });
}
