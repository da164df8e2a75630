// BLAS level 2/3 helpers on pointers: gemv and syrk.
import { gemm, gemmWorkspaceBytes } from './gemm';
import { gramTN } from './gram';
import { axpy, dot } from './level1';

/**
 * y := alpha * op(A) * x + beta * y with A m x n column-major. Not transposed: a sequence of
 * axpy over columns (unit stride in A); transposed: one dot per column. beta == 0 writes
 * zeros without reading y.
 */
export function gemv<T>(
  trans: bool, m: i32, n: i32, alpha: T, a: usize, lda: i32,
  x: usize, incx: i32, beta: T, y: usize, incy: i32,
): void {
  const s = <usize>sizeof<T>();
  const leny = trans ? n : m;
  const lenx = trans ? m : n;
  if (leny <= 0) return;
  // BLAS: negative increments start at the far end.
  const x0 = incx >= 0 ? x : x + <usize>(<isize>(lenx - 1) * <isize>(-incx)) * s;
  const y0 = incy >= 0 ? y : y + <usize>(<isize>(leny - 1) * <isize>(-incy)) * s;
  const dy = <isize>incy * <isize>s;
  const dx = <isize>incx * <isize>s;
  if (beta == <T>0) {
    for (let i = 0; i < leny; i++) store<T>(<usize>(<isize>y0 + <isize>i * dy), <T>0);
  } else if (beta != <T>1) {
    for (let i = 0; i < leny; i++) {
      const p = <usize>(<isize>y0 + <isize>i * dy);
      store<T>(p, beta * load<T>(p));
    }
  }
  if (lenx <= 0 || alpha == <T>0) return;
  if (!trans) {
    // y = y + (alpha * x_j) * A[:, j]; axpy takes care of the y increment's sign itself,
    // so pass the original pointer y.
    for (let j = 0; j < n; j++) {
      const xj = alpha * load<T>(<usize>(<isize>x0 + <isize>j * dx));
      axpy<T>(m, xj, a + <usize>j * <usize>lda * s, 1, y, incy);
    }
  } else {
    for (let j = 0; j < n; j++) {
      const p = <usize>(<isize>y0 + <isize>j * dy);
      store<T>(p, load<T>(p) + alpha * <T>dot<T>(m, a + <usize>j * <usize>lda * s, 1, x, incx));
    }
  }
}

const SYRK_NB: i32 = 64;

/**
 * Largest n for which the transposed syrk (A^T A, A k x n) runs the unpacked Gram kernel:
 * measured 1.3-2x faster than the gemm route up to n = 256 and even at n = 500; slower
 * beyond, where a chunk of the columns no longer fits L2 with a useful depth.
 */
const GRAM_MAX_N: i32 = 512;

/** Workspace bytes for syrk: one gemm workspace plus an NB x NB diagonal block. */
export function syrkWorkspaceBytes<T>(): i32 {
  return gemmWorkspaceBytes<T>() + SYRK_NB * SYRK_NB * <i32>sizeof<T>();
}

/**
 * Symmetric rank-k update of one triangle: C := alpha * op(A) * op(A)^T + beta * C, with
 * op(A) = A (n x k) when !trans and A^T (A is k x n) when trans. Only the `lower` (or upper)
 * triangle of C is read or written. Blocked by NB columns: off-diagonal blocks are plain
 * gemm calls, diagonal blocks go through a scratch block whose triangle is then merged.
 * A^T A with n <= GRAM_MAX_N goes to the unpacked Gram kernel instead (assembly/gram.ts).
 */
export function syrk<T>(
  lower: bool, trans: bool, n: i32, k: i32, alpha: T, a: usize, lda: i32,
  beta: T, c: usize, ldc: i32, work: usize,
): void {
  if (n <= 0) return;
  if (trans && n <= GRAM_MAX_N) {
    gramTN<T>(lower, n, k, alpha, a, lda, beta, c, ldc);
    return;
  }
  const s = <usize>sizeof<T>();
  const tmp = work + <usize>gemmWorkspaceBytes<T>();
  const gw = work;
  // Row block [i0, i0+len) of op(A): pointer and the transpose flags for gemm.
  for (let j0 = 0; j0 < n; j0 += SYRK_NB) {
    const jb = min(SYRK_NB, n - j0);
    const aj = trans ? a + <usize>j0 * <usize>lda * s : a + <usize>j0 * s;
    // Diagonal block into tmp (jb x jb, ld = jb), then merge the triangle.
    gemm<T>(trans, !trans, jb, jb, k, alpha, aj, lda, aj, lda, <T>0, tmp, jb, gw);
    for (let j = 0; j < jb; j++) {
      const i1 = lower ? jb : j + 1;
      for (let i = lower ? j : 0; i < i1; i++) {
        const p = c + (<usize>(j0 + i) + <usize>(j0 + j) * <usize>ldc) * s;
        const old = beta == <T>0 ? <T>0 : beta * load<T>(p);
        store<T>(p, old + load<T>(tmp + <usize>(i + j * jb) * s));
      }
    }
    // Off-diagonal panel.
    if (lower && j0 + jb < n) {
      const i0 = j0 + jb;
      const ai = trans ? a + <usize>i0 * <usize>lda * s : a + <usize>i0 * s;
      gemm<T>(trans, !trans, n - i0, jb, k, alpha, ai, lda, aj, lda, beta, c + (<usize>i0 + <usize>j0 * <usize>ldc) * s, ldc, gw);
    } else if (!lower && j0 > 0) {
      // Upper: rows [0, j0) of columns [j0, j0+jb).
      gemm<T>(trans, !trans, j0, jb, k, alpha, a, lda, aj, lda, beta, c + <usize>j0 * <usize>ldc * s, ldc, gw);
    }
  }
}

