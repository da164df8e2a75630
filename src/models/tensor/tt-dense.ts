/**
 * Dense helpers of the tensor-train code on C-order (row-major) float64 arrays, the layout
 * of TT cores (r_{k-1} x n_k x r_k, the last index fastest) and of the unfoldings TT-SVD
 * works on: a C-order matrix is a column-major one transposed, so every product here is one
 * gemm call with the operands' roles swapped, and the factorizations run on row-major
 * `Matrix` views without copying the data first.
 * @internal
 */
import { kernels } from '../../kernels/index.js';
import { qr } from '../../linalg/qr.js';
import { svd } from '../../linalg/svd.js';
import { Matrix } from '../../matrix/matrix.js';

/**
 * C := alpha op(A) op(B) + beta C for C-order matrices: op(A) m x k, op(B) k x n, C m x n
 * (leading dimension n). A is stored m x k (k x m when transposed), B k x n (n x k when
 * transposed), each compact in C order from its offset.
 *
 * In column-major terms C^T = op(B)^T op(A)^T, which is the gemm the kernels run.
 */
export function gemmC(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  A: Float64Array, offA: number, B: Float64Array, offB: number, beta: number, C: Float64Array, offC: number,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    for (let p = offC; p < offC + m * n; p++) C[p] = beta === 0 ? 0 : beta * C[p]!;
    return;
  }
  kernels().gemm(transB, transA, n, m, k, alpha, B, offB, transB ? k : n, A, offA, transA ? m : k, beta, C, offC, n);
}

/** A new C-order m x n array holding op(A) op(B) (see {@link gemmC}). */
export function mulC(transA: boolean, transB: boolean, m: number, n: number, k: number, A: Float64Array, B: Float64Array): Float64Array {
  const C = new Float64Array(m * n);
  gemmC(transA, transB, m, n, k, 1, A, 0, B, 0, 0, C, 0);
  return C;
}

/** A row-major view of the C-order m x n array `a` (from `off`) as a Matrix; no copy. */
export function viewC(a: Float64Array, m: number, n: number, off = 0): Matrix {
  return new Matrix(a, m, n, off, Math.max(1, n), 1);
}

/** The elements of a Matrix (any layout) as a new C-order array. */
export function toC(M: Matrix): Float64Array {
  const m = M.rows;
  const n = M.cols;
  const out = new Float64Array(m * n);
  const d = M.data;
  for (let i = 0; i < m; i++) {
    const src = M.offset + i * M.rowStride;
    for (let j = 0; j < n; j++) out[i * n + j] = d[src + j * M.colStride]!;
  }
  return out;
}

/** Thin QR of the C-order m x n A: Q m x k and R k x n (k = min(m, n)), both C-order. */
export function qrC(A: Float64Array, m: number, n: number): { Q: Float64Array; R: Float64Array; k: number } {
  const f = qr(viewC(A, m, n));
  return { Q: toC(f.Q), R: toC(f.R), k: Math.min(m, n) };
}

/** Thin SVD of the C-order m x n A: U m x k, s (k), Vt k x n, all C-order (k = min(m, n)). */
export function svdC(A: Float64Array, m: number, n: number): { U: Float64Array; s: Float64Array; Vt: Float64Array; k: number } {
  const f = svd(viewC(A, m, n));
  return { U: toC(f.U), s: Float64Array.from(f.s), Vt: toC(f.Vt), k: Math.min(m, n) };
}

/**
 * The number of leading singular values to keep so that the discarded ones have
 * sqrt(sum s_i^2) <= delta (the TT-SVD and TT-rounding rule), at least 1 and at most `cap`.
 * `energies` are the squared singular values (or Gram eigenvalues), descending; negative
 * ones (rounding noise of a Gram matrix) count as 0. Also returns the discarded energy.
 */
export function truncationRank(energies: ArrayLike<number>, delta2: number, cap: number): { rank: number; discarded: number } {
  const k = energies.length;
  let r = k;
  let tail = 0;
  // Walk up from the smallest while the tail stays within delta^2.
  while (r > 1) {
    const next = tail + Math.max(energies[r - 1]!, 0);
    if (next > delta2) break;
    tail = next;
    r--;
  }
  if (r > cap) {
    for (let i = cap; i < r; i++) tail += Math.max(energies[i]!, 0);
    r = Math.max(1, cap);
  }
  return { rank: Math.max(1, Math.min(r, k)), discarded: tail };
}

/** Frobenius norm of `a[off .. off + n)` without overflow (the kernels' scaled nrm2). */
export function norm2(a: Float64Array, off = 0, n = a.length - off): number {
  return n === 0 ? 0 : kernels().nrm2(n, a, off, 1);
}
