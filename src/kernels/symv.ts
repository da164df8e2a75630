/**
 * Symmetric matrix-vector product from the lower triangle (BLAS dsymv, uplo 'L', unit
 * strides). Runs the WASM kernel when A, x and y all live in WASM memory (workspace
 * arrays); otherwise a TypeScript loop with the same access pattern.
 */
import type { FloatArray } from '../matrix/dtype.js';
import { canBlock, levelTwoDone, levelTwoPool } from './pool.js';
import { defineKernel, wasmFor } from './registry.js';
import { checkGemv, checkVectorArg } from './validate.js';

const symv = defineKernel({
  name: 'symv_lower',
  wasm: (w, n: number, alpha: number, A: FloatArray, offA: number, ldA: number, x: FloatArray, offX: number, beta: number, y: FloatArray, offY: number): void => {
    const s = A.BYTES_PER_ELEMENT;
    const e = w.rt.exports;
    (s === 4 ? e.ssymv_lower : e.dsymv_lower)(n, alpha, A.byteOffset + offA * s, ldA, x.byteOffset + offX * s, beta, y.byteOffset + offY * s);
  },
  js: symvLowerJs,
});

/**
 * y := alpha A x + beta y, A symmetric n x n at (A, offA, ldA) of which only the lower
 * triangle is read; x and y contiguous at offX and offY. beta == 0 overwrites y.
 * Cost 2 n^2 flops, reading n^2 / 2 matrix entries (half of a gemv on the full matrix).
 */
export function symvLower(
  n: number, alpha: number, A: FloatArray, offA: number, ldA: number,
  x: FloatArray, offX: number, beta: number, y: FloatArray, offY: number,
): void {
  checkGemv(false, n, n, A, offA, ldA, x, offX, 1, y, offY, 1);
  symv(n, alpha, A, offA, ldA, x, offX, beta, y, offY);
}

/**
 * Parts the split product {@link symvLowerParts} cuts the triangle into: fixed (not the
 * thread count), so one thread and several compute the same sums. Eight parts of equal
 * size let two threads balance their work even when one is descheduled for a while.
 */
export const SYMV_PARTS = 8;

/**
 * Smallest order whose parts are shared out among the threads (smaller ones run the same
 * parts on the calling thread, so the sums are the same). Measured on the 2-core VM
 * (2026-12-06, warm, both threads awake, best of 10 x 50 calls), two threads over one: n =
 * 200 0.58, 256 0.80, 320 0.88, 384 0.97, 448 1.13, 512 1.12, 768 1.24, 1024 1.40 (a
 * 0.03 ms product cannot pay for the hand-off); the cut-over was 160 until then.
 */
export const SYMV_PARALLEL_MIN = 400;

const symvParts = defineKernel<[n: number, alpha: number, A: Float64Array, offA: number, ldA: number, x: Float64Array, offX: number, beta: number, y: Float64Array, offY: number, work: Float64Array], void>({
  name: 'symv_lower_parts',
  select: (_n, _alpha, A, _offA, _ldA, x, _offX, _beta, y, _offY, work) => wasmFor(A, x, y, work),
  wasm: (w, n, alpha, A, offA, ldA, x, offX, beta, y, offY, work) => {
    const pool = levelTwoPool(w, n >= SYMV_PARALLEL_MIN);
    w.rt.exports.symv_parts(pool ? pool.ctl : 0, n, SYMV_PARTS, alpha, A.byteOffset + offA * 8, ldA, x.byteOffset + offX * 8, beta, y.byteOffset + offY * 8, work.byteOffset, canBlock() ? 1 : 0);
    levelTwoDone(pool, (n * n) / 2);
  },
  js: (n, alpha, A, offA, ldA, x, offX, beta, y, offY) => symvLowerJs(n, alpha, A, offA, ldA, x, offX, beta, y, offY),
});

/**
 * {@link symvLower} for float64 split into {@link SYMV_PARTS} column ranges of the lower
 * triangle of about equal size, each accumulated into its own n-vector of `work` (at least
 * SYMV_PARTS * n doubles, from index 0) and added in a fixed order: on the WASM backends
 * with every array in WASM memory the parts are shared out among the threads set by
 * `setThreads`, and the result is the same bit for bit for any thread count (it differs
 * from {@link symvLower}'s in the last bits: another summation order). Each matrix entry
 * is still read once. Elsewhere it is {@link symvLower}'s TypeScript loop.
 */
export function symvLowerParts(
  n: number, alpha: number, A: Float64Array, offA: number, ldA: number,
  x: Float64Array, offX: number, beta: number, y: Float64Array, offY: number, work: Float64Array,
): void {
  checkGemv(false, n, n, A, offA, ldA, x, offX, 1, y, offY, 1);
  checkVectorArg('symvLowerParts: work', work, 0, 1, SYMV_PARTS * n);
  symvParts(n, alpha, A, offA, ldA, x, offX, beta, y, offY, work);
}

/** The TypeScript version of {@link symvLower} (also the reference in tests). */
export function symvLowerJs(
  n: number, alpha: number, A: FloatArray, offA: number, ldA: number,
  x: FloatArray, offX: number, beta: number, y: FloatArray, offY: number,
): void {
  if (beta === 0) y.fill(0, offY, offY + n);
  else if (beta !== 1) for (let i = 0; i < n; i++) y[offY + i] = beta * y[offY + i]!;
  if (alpha === 0) return;
  for (let j = 0; j < n; j++) {
    const cj = offA + j * ldA;
    const t = alpha * x[offX + j]!;
    y[offY + j] = y[offY + j]! + t * A[cj + j]!;
    let acc = 0;
    for (let i = j + 1; i < n; i++) {
      const aij = A[cj + i]!;
      y[offY + i] = y[offY + i]! + t * aij;
      acc += aij * x[offX + i]!;
    }
    y[offY + j] = y[offY + j]! + alpha * acc;
  }
}
