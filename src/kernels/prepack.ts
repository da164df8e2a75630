/**
 * A matrix packed once for many products with blocks of columns (the randomized SVD's
 * power iterations): A and A^T are stored in gemm's packed panel layout
 * (`WasmKernels.packColumns`), so no product repacks A (for ~60 columns packing costs
 * a fifth of each product) and every product reads A in long contiguous runs. Only the WASM
 * build packs; elsewhere {@link prepack} declines and the caller multiplies with plain gemm.
 */
import type { DType, FloatArray } from '../matrix/dtype.js';
import { defineKernel, wasmFor } from './registry.js';

/** Prepacking stores A twice (A and A^T); matrices up to this many bytes qualify. */
const PREPACKED_MAX_BYTES = 0.5 * 2 ** 30;

/** An m x n matrix A packed by {@link prepack}. */
export interface PackedMatrix {
  /**
   * C := op(A) op(B), op(A) = A (m x n) or, when `transposed`, A^T (n x m); op(B) has `cols`
   * columns at (B, offB, ldB), transposed when `transB` (as in gemm). C is overwritten.
   */
  multiply(
    transposed: boolean, transB: boolean, cols: number, B: FloatArray, offB: number, ldB: number,
    C: FloatArray, offC: number, ldC: number,
  ): void;
}

/** Copies columns c0 .. c1 of A into `chunk` (leading dimension `ld`), e.g. checking values on the way. */
export type ChunkFill = (c0: number, c1: number, chunk: FloatArray, ld: number) => void;

/**
 * Pack an m x n matrix of `dtype`, or undefined when that cannot be done here (no WASM
 * backend, an empty or too large matrix, a full heap); the caller then multiplies by gemm.
 * @param alloc - arrays of the given length for the packed copies, kept while the packed
 *   matrix is used (e.g. a workspace's); an array outside the kernels' memory declines.
 * @param fill - puts the columns of A into the chunks the packing streams A through.
 */
export const prepack = defineKernel<[dtype: DType, m: number, n: number, alloc: (length: number) => FloatArray, fill: ChunkFill], PackedMatrix | undefined>({
  name: 'gemm_prepacked',
  select: (dtype, m, n) => (m > 0 && n > 0 && 2 * m * n * (dtype === 'float32' ? 4 : 8) <= PREPACKED_MAX_BYTES ? wasmFor() : undefined),
  wasm: (w, dtype, m, n, alloc, fill) => {
    const heapArray = (length: number) => {
      const a = alloc(length);
      return w.heap.owns(a) ? a : undefined;
    };
    const kc = w.packChunkColumns(dtype);
    const P = heapArray(w.packedElements(dtype, m, n));
    const PT = P && heapArray(w.packedElements(dtype, n, m));
    const chunk = PT && heapArray(m * Math.min(kc, n));
    if (!P || !PT || !chunk) return undefined;
    // A streams through one KC-column chunk of the heap.
    for (let c0 = 0; c0 < n; c0 += kc) {
      const width = Math.min(kc, n - c0);
      fill(c0, c0 + width, chunk, m);
      w.packColumns(m, n, c0, width, chunk, m, P, PT);
    }
    return {
      multiply: (transposed, transB, cols, B, offB, ldB, C, offC, ldC) => {
        // op(A) = A (m x n) is packed in P, A^T (n x m) in PT.
        if (transposed) w.gemmPrepacked(PT, n, m, transB, cols, 1, B, offB, ldB, 0, C, offC, ldC);
        else w.gemmPrepacked(P, m, n, transB, cols, 1, B, offB, ldB, 0, C, offC, ldC);
      },
    };
  },
  js: () => undefined,
});

