/**
 * Row interchanges of LU with partial pivoting (LAPACK dlaswp, forward). Runs the WASM
 * kernel when A lives in WASM memory (workspace arrays) and the work is large enough to
 * pay for copying the pivots in; otherwise a TypeScript loop.
 */
import type { FloatArray } from '../matrix/dtype.js';
import { activeWasm } from './index.js';

// Below this many potential swaps the TypeScript loop is as fast as a kernel call.
const WASM_MIN_SWAPS = 512;

/**
 * Apply ipiv[k0..k1) to the n columns of A at (A, offA, ldA): row k swaps with row ipiv[k].
 * Cost n (k1 - k0) swaps at most.
 */
export function laswp(n: number, A: FloatArray, offA: number, ldA: number, k0: number, k1: number, ipiv: Int32Array): void {
  if (n <= 0 || k1 <= k0) return;
  const w = activeWasm();
  if (w && n * (k1 - k0) >= WASM_MIN_SWAPS && w.heap.owns(A)) {
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
    return;
  }
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
}

/**
 * Unblocked LU with partial pivoting of the m x n panel at (A, offA, ldA) in WASM (LAPACK
 * dgetf2), pivots written to ipiv[p0..p0 + min(m, n)) relative to the panel. Returns the
 * 1-based index of the first zero pivot (0 if none), or undefined when A does not live in
 * WASM memory (the caller then runs its TypeScript version).
 */
export function getf2Wasm(m: number, n: number, A: FloatArray, offA: number, ldA: number, ipiv: Int32Array, p0: number): number | undefined {
  const w = activeWasm();
  if (!w || !w.heap.owns(A)) return undefined;
  const k = Math.min(m, n);
  const piv = w.heap.malloc(4 * Math.max(k, 1));
  try {
    const f32 = A.BYTES_PER_ELEMENT === 4;
    const e = w.rt.exports;
    const info = (f32 ? e.sgetf2 : e.dgetf2)(m, n, A.byteOffset + offA * A.BYTES_PER_ELEMENT, ldA, piv, f32 ? 2 ** -126 : 2 ** -1022);
    ipiv.set(w.heap.i32(piv, k), p0);
    return info;
  } finally {
    w.heap.free(piv);
  }
}
