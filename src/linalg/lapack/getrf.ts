/**
 * LU factorization with partial pivoting, P A = L U (LAPACK dgetrf / dgetrf2), and the
 * solve with its factors (dgetrs).
 *
 * The factorization recurses on column halves (Toledo, "Locality of reference in LU
 * decomposition with partial pivoting", SIAM J. Matrix Anal. Appl. 18, 1997; LAPACK
 * dgetrf2): factor the left half, apply its interchanges to the right half, solve for
 * U12 with trsm, update A22 with one gemm, recurse on A22. Nearly all flops land in gemm
 * and no block size needs tuning. Narrow panels are factored by the unblocked loop.
 */
import { kernels } from '../../kernels/index.js';
import type { FloatArray } from '../../matrix/dtype.js';
import { getf2Wasm } from '../../kernels/laswp.js';
import { laswp, swapRows, trsm } from './blas.js';

/** Panels this narrow are factored column by column. */
const LEAF = 8;
/**
 * Width of the panels of the outer blocked loop (LAPACK dgetrf's nb). Each panel is
 * factored recursively; its interchanges are applied to the rest of the matrix once, which
 * swaps each row element O(1) times instead of O(log n) times in a fully recursive LU.
 */
const NB = 64;

/**
 * Factor the m x n matrix A in place: L (unit lower, below the diagonal) and U (upper).
 * `ipiv[i]` (0-based) is the row interchanged with row i, for i < min(m, n).
 * @returns 0, or 1 + the index of the first exactly zero pivot (U is singular; the
 * factorization is still completed, as LAPACK does).
 */
export function getrf(m: number, n: number, A: FloatArray, offA: number, ldA: number, ipiv: Int32Array): number {
  const k = Math.min(m, n);
  if (k <= NB) return getrf2(m, n, A, offA, ldA, ipiv, 0);
  const g = kernels();
  let info = 0;
  for (let j = 0; j < k; j += NB) {
    const jb = Math.min(NB, k - j);
    const ajj = offA + j + j * ldA;
    const pinfo = getrf2(m - j, jb, A, ajj, ldA, ipiv, j);
    if (info === 0 && pinfo > 0) info = pinfo + j;
    // Panel pivots are relative to row j: make them absolute, then apply them to the
    // columns left and right of the panel.
    for (let i = j; i < j + jb; i++) ipiv[i] = ipiv[i]! + j;
    const rest = n - j - jb;
    if (rest > 0) {
      const a12 = offA + (j + jb) * ldA;
      laswp(rest, A, a12, ldA, j, j + jb, ipiv);
      trsm('L', 'L', false, true, jb, rest, 1, A, ajj, ldA, A, a12 + j, ldA);
      if (m - j - jb > 0) g.gemm(false, false, m - j - jb, rest, jb, -1, A, ajj + jb, ldA, A, a12 + j, ldA, 1, A, a12 + j + jb, ldA);
    }
  }
  applyLaterInterchanges(k, A, offA, ldA, ipiv);
  return info;
}

/**
 * The interchanges of panel p also apply to the L columns of earlier panels. Instead of
 * swapping rows of all left columns after every panel (as dgetrf does), apply them at the
 * end: each panel's columns get all later interchanges, in order, in one laswp call (column
 * by column, so a column stays in cache while its swaps are done).
 */
function applyLaterInterchanges(k: number, A: FloatArray, offA: number, ldA: number, ipiv: Int32Array): void {
  for (let q = 0; q + NB < k; q += NB) laswp(NB, A, offA + q * ldA, ldA, q + NB, k, ipiv);
}

// ipiv entries for this sub-block are stored at ipiv[p0 + i], relative to the sub-block.
function getrf2(m: number, n: number, A: FloatArray, offA: number, ldA: number, ipiv: Int32Array, p0: number): number {
  const k = Math.min(m, n);
  if (k === 0) return 0;
  if (n <= LEAF || m === 1) return getf2(m, n, A, offA, ldA, ipiv, p0);
  const n1 = k >> 1;
  const n2 = n - n1;
  let info = getrf2(m, n1, A, offA, ldA, ipiv, p0);
  const a12 = offA + n1 * ldA;
  laswpRel(n2, A, a12, ldA, 0, n1, ipiv, p0);
  trsm('L', 'L', false, true, n1, n2, 1, A, offA, ldA, A, a12, ldA);
  const a21 = offA + n1;
  const a22 = a12 + n1;
  kernels().gemm(false, false, m - n1, n2, n1, -1, A, a21, ldA, A, a12, ldA, 1, A, a22, ldA);
  const info2 = getrf2(m - n1, n2, A, a22, ldA, ipiv, p0 + n1);
  if (info === 0 && info2 > 0) info = info2 + n1;
  // Pivots of A22 were relative to its first row: make them relative to this block and
  // apply them to the left columns.
  for (let i = n1; i < k; i++) ipiv[p0 + i] = ipiv[p0 + i]! + n1;
  laswpRel(n1, A, offA, ldA, n1, k, ipiv, p0);
  return info;
}

function laswpRel(n: number, A: FloatArray, offA: number, ldA: number, k0: number, k1: number, ipiv: Int32Array, p0: number): void {
  if (p0 === 0) laswp(n, A, offA, ldA, k0, k1, ipiv);
  else laswp(n, A, offA, ldA, k0, k1, ipiv.subarray(p0));
}

// Unblocked right-looking elimination (LAPACK dgetf2) on a narrow panel.
function getf2(m: number, n: number, A: FloatArray, offA: number, ldA: number, ipiv: Int32Array, p0: number): number {
  const fast = getf2Wasm(m, n, A, offA, ldA, ipiv, p0);
  if (fast !== undefined) return fast;
  const k = Math.min(m, n);
  const sfmin = A instanceof Float32Array ? 2 ** -126 : 2 ** -1022;
  let info = 0;
  for (let j = 0; j < k; j++) {
    const cj = offA + j * ldA;
    let p = j;
    let best = Math.abs(A[cj + j]!);
    for (let i = j + 1; i < m; i++) {
      const v = Math.abs(A[cj + i]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    ipiv[p0 + j] = p;
    const piv = A[cj + p]!;
    if (piv !== 0) {
      swapRows(n, A, offA, ldA, j, p);
      if (Math.abs(piv) >= sfmin) {
        const r = 1 / piv;
        for (let i = j + 1; i < m; i++) A[cj + i] = A[cj + i]! * r;
      } else {
        for (let i = j + 1; i < m; i++) A[cj + i] = A[cj + i]! / piv;
      }
    } else if (info === 0) {
      info = j + 1;
    }
    for (let c = j + 1; c < n; c++) {
      const cc = offA + c * ldA;
      const t = A[cc + j]!;
      if (t !== 0) for (let i = j + 1; i < m; i++) A[cc + i] = A[cc + i]! - t * A[cj + i]!;
    }
  }
  return info;
}

/**
 * Solve A X = B (or A^T X = B) with the factors from {@link getrf} of the n x n A; B
 * (n x nrhs) is overwritten by X (LAPACK dgetrs).
 */
export function getrs(
  trans: boolean, n: number, nrhs: number, LU: FloatArray, offLU: number, ldLU: number, ipiv: Int32Array,
  B: FloatArray, offB: number, ldB: number,
): void {
  if (n === 0 || nrhs === 0) return;
  if (!trans) {
    laswp(nrhs, B, offB, ldB, 0, n, ipiv);
    trsm('L', 'L', false, true, n, nrhs, 1, LU, offLU, ldLU, B, offB, ldB);
    trsm('L', 'U', false, false, n, nrhs, 1, LU, offLU, ldLU, B, offB, ldB);
  } else {
    trsm('L', 'U', true, false, n, nrhs, 1, LU, offLU, ldLU, B, offB, ldB);
    trsm('L', 'L', true, true, n, nrhs, 1, LU, offLU, ldLU, B, offB, ldB);
    for (let i = n - 1; i >= 0; i--) swapRows(nrhs, B, offB, ldB, i, ipiv[i]!);
  }
}

/** The permutation `perm` with (P A)[i] = A[perm[i]], from interchanges ipiv[0..k) on m rows. */
export function pivotsToPermutation(m: number, ipiv: Int32Array, k: number): Int32Array {
  const perm = new Int32Array(m);
  for (let i = 0; i < m; i++) perm[i] = i;
  for (let i = 0; i < k; i++) {
    const p = ipiv[i]!;
    const t = perm[i]!;
    perm[i] = perm[p]!;
    perm[p] = t;
  }
  return perm;
}
