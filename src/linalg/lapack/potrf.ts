/**
 * Cholesky factorization A = L L^T of a symmetric positive definite matrix, lower
 * triangle (LAPACK dpotrf / dpotrf2), and the solve with its factor (dpotrs).
 *
 * Recursive on halves (Gustavson, "Recursion leads to automatic variable blocking for
 * dense linear-algebra algorithms", IBM J. Res. Dev. 41, 1997; LAPACK dpotrf2): factor
 * A11, L21 = A21 L11^{-T} with trsm, A22 -= L21 L21^T with syrk, recurse.
 */
import { kernels } from '../../kernels/index.js';
import type { FloatArray } from '../../matrix/dtype.js';
import { trsm } from './blas.js';

const LEAF = 16;

/**
 * Factor the lower triangle of the n x n A in place (the strict upper triangle is not
 * referenced). @returns 0, or 1 + the index of the first pivot that is not positive
 * (the leading minor of that order is not positive definite).
 */
export function potrf(n: number, A: FloatArray, offA: number, ldA: number): number {
  if (n === 0) return 0;
  if (n <= LEAF) return potf2(n, A, offA, ldA);
  const n1 = n >> 1;
  const n2 = n - n1;
  const info = potrf(n1, A, offA, ldA);
  if (info !== 0) return info;
  const a21 = offA + n1;
  const a22 = offA + n1 + n1 * ldA;
  trsm('R', 'L', true, false, n2, n1, 1, A, offA, ldA, A, a21, ldA);
  kernels().syrk('L', false, n2, n1, -1, A, a21, ldA, 1, A, a22, ldA);
  const info2 = potrf(n2, A, a22, ldA);
  return info2 === 0 ? 0 : info2 + n1;
}

// Left-looking unblocked Cholesky (LAPACK dpotf2, lower).
function potf2(n: number, A: FloatArray, offA: number, ldA: number): number {
  for (let j = 0; j < n; j++) {
    const cj = offA + j * ldA;
    let d = A[cj + j]!;
    for (let k = 0; k < j; k++) {
      const l = A[offA + j + k * ldA]!;
      d -= l * l;
    }
    if (!(d > 0)) {
      A[cj + j] = d;
      return j + 1;
    }
    const ljj = Math.sqrt(d);
    A[cj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = A[cj + i]!;
      for (let k = 0; k < j; k++) s -= A[offA + i + k * ldA]! * A[offA + j + k * ldA]!;
      A[cj + i] = s / ljj;
    }
  }
  return 0;
}

/** Solve A X = B with the lower Cholesky factor L of A; B (n x nrhs) becomes X (LAPACK dpotrs). */
export function potrs(n: number, nrhs: number, L: FloatArray, offL: number, ldL: number, B: FloatArray, offB: number, ldB: number): void {
  if (n === 0 || nrhs === 0) return;
  trsm('L', 'L', false, false, n, nrhs, 1, L, offL, ldL, B, offB, ldB);
  trsm('L', 'L', true, false, n, nrhs, 1, L, offL, ldL, B, offB, ldB);
}
