/**
 * Symmetric matrix-vector product from the lower triangle (BLAS dsymv, uplo 'L', unit
 * strides). Runs the WASM kernel when A, x and y all live in WASM memory (workspace
 * arrays); otherwise a TypeScript loop with the same access pattern.
 */
import type { FloatArray } from '../matrix/dtype.js';
import { defineKernel } from './registry.js';
import { checkGemv } from './validate.js';

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
