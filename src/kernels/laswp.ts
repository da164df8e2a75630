/**
 * Row interchanges of LU with partial pivoting (LAPACK dlaswp, forward). Runs the WASM
 * kernel when A lives in WASM memory (workspace arrays) and the work is large enough to
 * pay for copying the pivots in; otherwise a TypeScript loop.
 */
import type { FloatArray } from '../matrix/dtype.js';
import { defineKernel, wasmFor } from './registry.js';

// Below this many potential swaps the TypeScript loop is as fast as a kernel call.
const WASM_MIN_SWAPS = 512;

const swapRows = defineKernel({
  name: 'laswp',
  // The pivots are copied in, so only A has to live in the kernels' memory.
  select: (n: number, A: FloatArray, _offA: number, _ldA: number, k0: number, k1: number) => (n * (k1 - k0) >= WASM_MIN_SWAPS ? wasmFor(A) : undefined),
  wasm: (w, n: number, A: FloatArray, offA: number, ldA: number, k0: number, k1: number, ipiv: Int32Array): void => {
    const len = k1 - k0;
    const piv = w.heap.malloc(4 * len);
    try {
      w.heap.i32(piv, len).set(ipiv.subarray(k0, k1));
      const s = A.BYTES_PER_ELEMENT;
      const e = w.rt.exports;
      (s === 4 ? e.slaswp : e.dlaswp)(n, A.byteOffset + offA * s, ldA, k0, k1, piv);
    } finally {
      w.heap.free(piv);
    }
  },
  js: (n: number, A: FloatArray, offA: number, ldA: number, k0: number, k1: number, ipiv: Int32Array): void => {
    for (let j = 0; j < n; j++) {
      const c = offA + j * ldA;
      for (let k = k0; k < k1; k++) {
        const p = ipiv[k]!;
        if (p === k) continue;
        const t = A[c + k]!;
        A[c + k] = A[c + p]!;
        A[c + p] = t;
      }
    }
  },
});

/**
 * Apply ipiv[k0..k1) to the n columns of A at (A, offA, ldA): row k swaps with row ipiv[k].
 * Cost n (k1 - k0) swaps at most.
 */
export function laswp(n: number, A: FloatArray, offA: number, ldA: number, k0: number, k1: number, ipiv: Int32Array): void {
  if (n <= 0 || k1 <= k0) return;
  swapRows(n, A, offA, ldA, k0, k1, ipiv);
}
