// gemm with a prepacked op(A): products that repeat with the same A and few columns (the
// power iterations of randomized SVD, subspace iteration) pack A once instead of at every
// product. For l ~ 60 columns each packed element of A serves only l / NR micro-kernel
// calls, so packing costs 15-25% of a product; it also reads A in short runs (one MC-row
// segment of each column, or kc values of MR columns) that the hardware prefetchers follow
// poorly, while the packed copy is read in contiguous 256 KiB blocks.
//
// Layout (the one gemm.ts builds per block): for each KC-deep block pc of the k dimension,
// ceil(m / MR) panels of MR rows x kc, each stored step after step (MR values per step),
// rows past m zero. Block pc starts at element ldp * pc, ldp = m rounded up to MR.
import { KC, MC, MR, gemmLoops, packA, scaleMatrix } from './gemm';

/** m rounded up to the register tile: the packed leading dimension. */
@inline function paddedRows<T>(m: i32): i32 {
  const mr = MR<T>();
  return ((m + mr - 1) / mr) * mr;
}

/** Elements of a packed op(A) of m x k. */
export function packedElements<T>(m: i32, k: i32): i32 {
  return paddedRows<T>(m) * k;
}

/**
 * Packs columns c0 .. c0 + w of the column-major matrix A (rows x cols), held in `chunk`
 * (leading dimension ldChunk), into the packed forms of A (at `p`, op(A) = A: rows x cols)
 * and of A^T (at `pt`, op(A) = A^T: cols x rows); a zero pointer skips that form. Chunks
 * let the caller stream A from JS memory through a small heap buffer: c0 must be a
 * multiple of KC and w equal KC except for the last chunk.
 */
export function packColumnChunk<T>(rows: i32, cols: i32, c0: i32, w: i32, chunk: usize, ldChunk: i32, p: usize, pt: usize): void {
  const s = <usize>sizeof<T>();
  const kcMax = KC<T>();
  // A: the chunk is the k-block starting at pc = c0 (w <= KC deep), packed MC rows at a time
  // so the panels being written (MC x w) stay in L2.
  if (p != 0) {
    const block = p + <usize>paddedRows<T>(rows) * <usize>c0 * s;
    const mcMax = MC<T>();
    for (let ic = 0; ic < rows; ic += mcMax) {
      packA<T>(false, min(mcMax, rows - ic), w, chunk + <usize>ic * s, ldChunk, <T>1, block + <usize>ic * <usize>w * s);
    }
  }
  // A^T: rows c0 .. c0 + w of op(A) in every k-block (k runs over the rows of A).
  if (pt != 0) {
    const ldp = <usize>paddedRows<T>(cols);
    for (let pc = 0; pc < rows; pc += kcMax) {
      const kc = min(kcMax, rows - pc);
      packA<T>(true, w, kc, chunk + <usize>pc * s, ldChunk, <T>1, pt + (ldp * <usize>pc + <usize>c0 * <usize>kc) * s);
    }
  }
}

/**
 * C[0:m, 0:n] := alpha * op(A)[i0:i0+m, :] * op(B) + beta * C, where op(A) (mAll x k) was
 * packed by packColumnChunk at `ap` and i0 is a multiple of MR (a thread's share of rows).
 * Same blocking, packing of B and micro-kernel as gemm, so the result is bit for bit gemm's.
 */
export function gemmPrepacked<T>(
  mAll: i32, i0: i32, m: i32, n: i32, k: i32, alpha: T, ap: usize,
  transB: bool, b: usize, ldb: i32, beta: T, c: usize, ldc: i32, work: usize,
): void {
  if (m <= 0 || n <= 0) return;
  scaleMatrix<T>(m, n, beta, c, ldc);
  if (k <= 0 || alpha == <T>0) return;
  gemmLoops<T>(false, 0, 0, ap, paddedRows<T>(mAll), i0, transB, m, n, k, alpha, b, ldb, c, ldc, work);
}
