/**
 * LU factorization with partial pivoting, P A = L U (LAPACK dgetrf / dgetrf2), and the
 * solve with its factors (dgetrs).
 *
 * Right-looking and blocked (dgetrf): panels of NB columns are factored by recursion on
 * column halves (Toledo, "Locality of reference in LU decomposition with partial pivoting",
 * SIAM J. Matrix Anal. Appl. 18, 1997; LAPACK dgetrf2), then the rest of the matrix gets
 * the panel's interchanges, one triangular solve for U12 and one gemm for A22. Nearly all
 * flops land in gemm. For a matrix in WASM memory the panel recursion and the triangular
 * solve run inside WASM (assembly/getrf.ts, one call each per panel); otherwise, and on
 * the TypeScript backend, the same steps run here.
 */
import { kernels } from '../../kernels/index.js';
import { WasmLu } from '../../kernels/getrf.js';
import type { FloatArray } from '../../matrix/dtype.js';
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
 * The steps of the blocked loop on one matrix A, with pivots kept by the implementation:
 * the WASM session (kernels/getrf.ts) for arrays in kernel memory, else TypeScript.
 */
interface LuSteps {
  /** Factor the m x n panel at `off` whose first row is `row`; pivots become absolute. */
  panel(m: number, n: number, off: number, ld: number, row: number): number;
  /** Apply pivots k0..k1-1 to the n columns at `off`. */
  laswp(n: number, off: number, ld: number, k0: number, k1: number): void;
  /** B := L^{-1} B, L m x m unit lower at offL, B m x n at offB. */
  trsm(m: number, n: number, offL: number, ldL: number, offB: number, ldB: number): void;
}

/**
 * Factor the m x n matrix A in place: L (unit lower, below the diagonal) and U (upper).
 * `ipiv[i]` (0-based) is the row interchanged with row i, for i < min(m, n).
 * @returns 0, or 1 + the index of the first exactly zero pivot (U is singular; the
 * factorization is still completed, as LAPACK does).
 */
export function getrf(m: number, n: number, A: FloatArray, offA: number, ldA: number, ipiv: Int32Array): number {
  const k = Math.min(m, n);
  const w = WasmLu.open(A, k);
  if (!w) return blocked(m, n, A, offA, ldA, tsSteps(A, ipiv));
  try {
    const info = blocked(m, n, A, offA, ldA, w);
    w.pivots(ipiv);
    return info;
  } finally {
    w.close();
  }
}

function tsSteps(A: FloatArray, ipiv: Int32Array): LuSteps {
  return {
    panel(m, n, off, ld, row) {
      const info = getrf2(m, n, A, off, ld, ipiv, row);
      for (let i = row; i < row + Math.min(m, n); i++) ipiv[i] = ipiv[i]! + row;
      return info;
    },
    laswp: (n, off, ld, k0, k1) => laswp(n, A, off, ld, k0, k1, ipiv),
    trsm: (m, n, offL, ldL, offB, ldB) => trsm('L', 'L', false, true, m, n, 1, A, offL, ldL, A, offB, ldB),
  };
}

// Right-looking blocked LU (LAPACK dgetrf) over panels of NB columns.
function blocked(m: number, n: number, A: FloatArray, offA: number, ldA: number, s: LuSteps): number {
  const k = Math.min(m, n);
  if (k <= NB) return s.panel(m, n, offA, ldA, 0);
  const g = kernels();
  let info = 0;
  for (let j = 0; j < k; j += NB) {
    const jb = Math.min(NB, k - j);
    const ajj = offA + j + j * ldA;
    const pinfo = s.panel(m - j, jb, ajj, ldA, j);
    if (info === 0 && pinfo > 0) info = pinfo + j;
    const rest = n - j - jb;
    if (rest > 0) {
      const a12 = offA + (j + jb) * ldA;
      s.laswp(rest, a12, ldA, j, j + jb);
      s.trsm(jb, rest, ajj, ldA, a12 + j, ldA);
      if (m - j - jb > 0) g.gemm(false, false, m - j - jb, rest, jb, -1, A, ajj + jb, ldA, A, a12 + j, ldA, 1, A, a12 + j + jb, ldA);
    }
  }
  // The interchanges of panel p also apply to the L columns of earlier panels. Instead of
  // swapping rows of all left columns after every panel (as dgetrf does), apply them at the
  // end: each panel's columns get all later interchanges, in order, in one laswp call
  // (column by column, so a column stays in cache while its swaps are done).
  for (let q = 0; q + NB < k; q += NB) s.laswp(NB, offA + q * ldA, ldA, q + NB, k);
  return info;
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
