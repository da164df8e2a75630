/**
 * BLAS routines the factorizations need beyond the kernel contract, built on it:
 * triangular solves with many right-hand sides (recursive, so almost all the work is
 * gemm), rank-1 updates and row interchanges. Column-major `(array, offset, ld)` operands
 * as in {@link Kernels}.
 */
import { kernels } from '../../kernels/index.js';
import type { FloatArray } from '../../matrix/dtype.js';
import { withWorkspace } from '../../kernels/workspace.js';

/** Below this order trsm solves directly instead of splitting (the gemm would be tiny). */
const TRSM_LEAF = 16;
/**
 * Unit-triangular leaves up to this order are solved as inv(T) B with one gemm. With a
 * unit diagonal (and |entries| <= 1 for LU's L) the explicit inverse of so small a block
 * is as accurate as substitution, and gemm runs it at full speed.
 */
const TRSM_UNIT_LEAF = 32;

/**
 * A := alpha x y^T + A (BLAS ger): one axpy per column, which the WASM kernels run in place
 * on heap-resident arrays.
 */
export function ger(
  m: number, n: number, alpha: number, x: FloatArray, offX: number, incX: number,
  y: FloatArray, offY: number, incY: number, A: FloatArray, offA: number, ldA: number,
): void {
  if (m === 0 || alpha === 0) return;
  const k = kernels();
  for (let j = 0; j < n; j++) {
    const t = alpha * y[offY + j * incY]!;
    if (t !== 0) k.axpy(m, t, x, offX, incX, A, offA + j * ldA, 1);
  }
}

/**
 * Triangular solve with many right-hand sides (BLAS trsm):
 * side 'L': B := alpha op(A)^{-1} B (A m x m); side 'R': B := alpha B op(A)^{-1} (A n x n).
 * Recursive halving (as in Elmroth, Gustavson, Jonsson & Kågström, SIAM Review 2004) puts
 * all but O(leaf) of the flops in gemm.
 */
export function trsm(
  side: 'L' | 'R', uplo: 'L' | 'U', trans: boolean, unit: boolean, m: number, n: number, alpha: number,
  A: FloatArray, offA: number, ldA: number, B: FloatArray, offB: number, ldB: number,
): void {
  if (m === 0 || n === 0) return;
  if (alpha !== 1) {
    const k = kernels();
    for (let j = 0; j < n; j++) k.scal(m, alpha, B, offB + j * ldB, 1);
  }
  // op(A) is lower triangular when (uplo L, no transpose) or (uplo U, transposed).
  const lower = (uplo === 'L') !== trans;
  if (side === 'L') trsmLeft(lower, trans, unit, m, n, A, offA, ldA, B, offB, ldB);
  else trsmRight(lower, trans, unit, m, n, A, offA, ldA, B, offB, ldB);
}

// Storage offset of the block of op(A) starting at (i, j); gemm reads it with `trans`.
function opBlock(trans: boolean, offA: number, ldA: number, i: number, j: number): number {
  return trans ? offA + j + i * ldA : offA + i + j * ldA;
}

function trsmLeft(
  lower: boolean, trans: boolean, unit: boolean, m: number, n: number,
  A: FloatArray, offA: number, ldA: number, B: FloatArray, offB: number, ldB: number,
): void {
  if (unit && m <= TRSM_UNIT_LEAF && n >= TRSM_LEAF) {
    trsmLeftUnitByInverse(lower, trans, m, n, A, offA, ldA, B, offB, ldB);
    return;
  }
  if (m <= TRSM_LEAF) {
    trsmLeftLeaf(lower, trans, unit, m, n, A, offA, ldA, B, offB, ldB);
    return;
  }
  const m1 = m >> 1;
  const m2 = m - m1;
  const a22 = offA + m1 + m1 * ldA;
  const k = kernels();
  if (lower) {
    // [L11 0; L21 L22] [X1; X2] = [B1; B2]
    trsmLeft(lower, trans, unit, m1, n, A, offA, ldA, B, offB, ldB);
    k.gemm(trans, false, m2, n, m1, -1, A, opBlock(trans, offA, ldA, m1, 0), ldA, B, offB, ldB, 1, B, offB + m1, ldB);
    trsmLeft(lower, trans, unit, m2, n, A, a22, ldA, B, offB + m1, ldB);
  } else {
    // [U11 U12; 0 U22] [X1; X2] = [B1; B2]
    trsmLeft(lower, trans, unit, m2, n, A, a22, ldA, B, offB + m1, ldB);
    k.gemm(trans, false, m1, n, m2, -1, A, opBlock(trans, offA, ldA, 0, m1), ldA, B, offB + m1, ldB, 1, B, offB, ldB);
    trsmLeft(lower, trans, unit, m1, n, A, offA, ldA, B, offB, ldB);
  }
}

// The mirror of trsmLeft: X op(A) = B splits the columns of B (not its rows), so the
// order of the two halves and the side of the gemm update are swapped.
function trsmRight(
  lower: boolean, trans: boolean, unit: boolean, m: number, n: number,
  A: FloatArray, offA: number, ldA: number, B: FloatArray, offB: number, ldB: number,
): void {
  if (n <= TRSM_LEAF) {
    trsmRightLeaf(lower, trans, unit, m, n, A, offA, ldA, B, offB, ldB);
    return;
  }
  const n1 = n >> 1;
  const n2 = n - n1;
  const a22 = offA + n1 + n1 * ldA;
  const b2 = offB + n1 * ldB;
  const k = kernels();
  if (lower) {
    // [X1 X2] [L11 0; L21 L22] = [B1 B2]: X2 first, then B1 -= X2 L21.
    trsmRight(lower, trans, unit, m, n2, A, a22, ldA, B, b2, ldB);
    k.gemm(false, trans, m, n1, n2, -1, B, b2, ldB, A, opBlock(trans, offA, ldA, n1, 0), ldA, 1, B, offB, ldB);
    trsmRight(lower, trans, unit, m, n1, A, offA, ldA, B, offB, ldB);
  } else {
    // [X1 X2] [U11 U12; 0 U22] = [B1 B2]: X1 first, then B2 -= X1 U12.
    trsmRight(lower, trans, unit, m, n1, A, offA, ldA, B, offB, ldB);
    k.gemm(false, trans, m, n2, n1, -1, B, offB, ldB, A, opBlock(trans, offA, ldA, 0, n1), ldA, 1, B, b2, ldB);
    trsmRight(lower, trans, unit, m, n2, A, a22, ldA, B, b2, ldB);
  }
}

// B := inv(op(A)) B for a small unit triangular op(A): invert it (m^3/6 flops), one gemm.
function trsmLeftUnitByInverse(
  lower: boolean, trans: boolean, m: number, n: number,
  A: FloatArray, offA: number, ldA: number, B: FloatArray, offB: number, ldB: number,
): void {
  withWorkspace((ws) => {
    const X = ws.like(B, m * m);
    const si = trans ? ldA : 1;
    const sj = trans ? 1 : ldA;
    const a = (i: number, j: number): number => A[offA + i * si + j * sj]!;
    for (let j = 0; j < m; j++) {
      const xj = j * m;
      X[xj + j] = 1;
      if (lower) {
        for (let i = j + 1; i < m; i++) {
          let s = 0;
          for (let k = j; k < i; k++) s -= a(i, k) * X[xj + k]!;
          X[xj + i] = s;
        }
      } else {
        for (let i = j - 1; i >= 0; i--) {
          let s = 0;
          for (let k = i + 1; k <= j; k++) s -= a(i, k) * X[xj + k]!;
          X[xj + i] = s;
        }
      }
    }
    const T = ws.like(B, m * n);
    for (let j = 0; j < n; j++) T.set(B.subarray(offB + j * ldB, offB + j * ldB + m), j * m);
    kernels().gemm(false, false, m, n, m, 1, X, 0, m, T, 0, m, 0, B, offB, ldB);
  });
}

function trsmLeftLeaf(
  lower: boolean, trans: boolean, unit: boolean, m: number, n: number,
  A: FloatArray, offA: number, ldA: number, B: FloatArray, offB: number, ldB: number,
): void {
  const si = trans ? ldA : 1;
  const sj = trans ? 1 : ldA;
  for (let j = 0; j < n; j++) {
    const b = offB + j * ldB;
    if (lower) {
      for (let p = 0; p < m; p++) {
        let t = B[b + p]!;
        const row = offA + p * si;
        for (let q = 0; q < p; q++) t -= A[row + q * sj]! * B[b + q]!;
        B[b + p] = unit ? t : t / A[row + p * sj]!;
      }
    } else {
      for (let p = m - 1; p >= 0; p--) {
        let t = B[b + p]!;
        const row = offA + p * si;
        for (let q = p + 1; q < m; q++) t -= A[row + q * sj]! * B[b + q]!;
        B[b + p] = unit ? t : t / A[row + p * sj]!;
      }
    }
  }
}

function trsmRightLeaf(
  lower: boolean, trans: boolean, unit: boolean, m: number, n: number,
  A: FloatArray, offA: number, ldA: number, B: FloatArray, offB: number, ldB: number,
): void {
  const si = trans ? ldA : 1;
  const sj = trans ? 1 : ldA;
  // X op(A) = B column by column: column j of X depends on columns q of X where op(A)(q, j) != 0.
  if (lower) {
    for (let j = n - 1; j >= 0; j--) {
      const bj = offB + j * ldB;
      for (let q = j + 1; q < n; q++) {
        const a = A[offA + q * si + j * sj]!;
        if (a !== 0) for (let i = 0; i < m; i++) B[bj + i] = B[bj + i]! - a * B[offB + q * ldB + i]!;
      }
      if (!unit) {
        const d = 1 / A[offA + j * si + j * sj]!;
        for (let i = 0; i < m; i++) B[bj + i] = B[bj + i]! * d;
      }
    }
  } else {
    for (let j = 0; j < n; j++) {
      const bj = offB + j * ldB;
      for (let q = 0; q < j; q++) {
        const a = A[offA + q * si + j * sj]!;
        if (a !== 0) for (let i = 0; i < m; i++) B[bj + i] = B[bj + i]! - a * B[offB + q * ldB + i]!;
      }
      if (!unit) {
        const d = 1 / A[offA + j * si + j * sj]!;
        for (let i = 0; i < m; i++) B[bj + i] = B[bj + i]! * d;
      }
    }
  }
}

/** Swap rows `i` and `p` of the n columns of A. */
export function swapRows(n: number, A: FloatArray, offA: number, ldA: number, i: number, p: number): void {
  if (i === p) return;
  for (let j = 0; j < n; j++) {
    const c = offA + j * ldA;
    const t = A[c + i]!;
    A[c + i] = A[c + p]!;
    A[c + p] = t;
  }
}

/** Row interchanges of LU (LAPACK laswp), WASM for workspace arrays; see src/kernels/laswp.ts. */
export { laswp } from '../../kernels/laswp.js';
