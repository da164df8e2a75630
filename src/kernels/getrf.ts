/**
 * The WASM half of LU with partial pivoting (assembly/getrf.ts) for a matrix that lives in
 * kernel memory. A session holds the pivots and the solver's scratch in WASM memory for
 * one factorization, so the blocked loop of src/linalg/lapack/getrf.ts passes only offsets:
 * no pivot copies or allocations per step.
 */
import type { FloatArray } from '../matrix/dtype.js';
import { defineKernel } from './registry.js';
import type { WasmKernels } from './wasm-kernels.js';

/** LU kernels on one heap-resident matrix A; pivots are kept in WASM memory until {@link close}. */
export class WasmLu {
  private readonly f32: boolean;
  private readonly size: number;
  private readonly base: number;
  private readonly piv: number;
  private readonly scratch: number;

  private constructor(private readonly w: WasmKernels, A: FloatArray, private readonly k: number) {
    this.f32 = A.BYTES_PER_ELEMENT === 4;
    this.size = A.BYTES_PER_ELEMENT;
    this.base = A.byteOffset;
    this.piv = w.heap.malloc(4 * Math.max(k, 1));
    try {
      this.scratch = w.heap.malloc(Number(w.rt.exports.LU_SCRATCH_BYTES.value));
    } catch (e) {
      w.heap.free(this.piv);
      throw e;
    }
  }

  /**
   * A session for factoring A with k = min(m, n) pivots, or undefined when A is not in the
   * active WASM kernels' memory (then the TypeScript routines run).
   */
  static open(A: FloatArray, k: number): WasmLu | undefined {
    return WasmLu.session(A, k);
  }

  // The registry's rule decides: a session when A lives in the WASM kernels' memory, none
  // otherwise (src/linalg/lapack/getrf.ts then runs its TypeScript routines).
  private static readonly session = defineKernel<[A: FloatArray, k: number], WasmLu | undefined>({
    name: 'getrf',
    wasm: (w, A, k) => new WasmLu(w, A, k),
    js: () => undefined,
  });

  private ptr(off: number): number {
    return this.base + off * this.size;
  }

  /**
   * Factor the m x n panel at offset `off` (LAPACK dgetrf2) whose first row is row `row` of
   * the matrix; its pivots become pivots row..row + min(m, n) - 1, as absolute row indices.
   * Returns 0 or 1 + the panel-relative index of the first zero pivot.
   */
  panel(m: number, n: number, off: number, ld: number, row: number): number {
    const e = this.w.rt.exports;
    const sfmin = this.f32 ? 2 ** -126 : 2 ** -1022;
    return (this.f32 ? e.sgetrf_panel : e.dgetrf_panel)(m, n, this.ptr(off), ld, this.piv + 4 * row, row, sfmin, this.scratch, this.w.gemmWork);
  }

  /** Apply pivots k0..k1-1 to the n columns at `off` (LAPACK dlaswp). */
  laswp(n: number, off: number, ld: number, k0: number, k1: number): void {
    if (n <= 0 || k1 <= k0) return;
    const e = this.w.rt.exports;
    (this.f32 ? e.slaswp : e.dlaswp)(n, this.ptr(off), ld, k0, k1, this.piv + 4 * k0);
  }

  /** B := L^{-1} B for the m x m unit lower L at offL and the m x n B at offB, both in A. */
  trsm(m: number, n: number, offL: number, ldL: number, offB: number, ldB: number): void {
    const e = this.w.rt.exports;
    (this.f32 ? e.strsm_llnu : e.dtrsm_llnu)(m, n, this.ptr(offL), ldL, this.ptr(offB), ldB, this.scratch, this.w.gemmWork);
  }

  /** Copy the k pivots out (0-based: row i was interchanged with row ipiv[i]). */
  pivots(ipiv: Int32Array): void {
    ipiv.set(this.w.heap.i32(this.piv, this.k));
  }

  /** Release the session's WASM memory. */
  close(): void {
    this.w.heap.free(this.scratch);
    this.w.heap.free(this.piv);
  }
}
