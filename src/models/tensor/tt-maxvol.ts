/**
 * maxvol (Goreinov, Oseledets, Savostyanov, Tyrtyshnikov & Zamarashkin 2010, "How to find a
 * good submatrix"): r rows of a tall n x r matrix A of rank r whose r x r submatrix has
 * locally maximal volume |det|. Then every row of A is a combination of the chosen rows with
 * coefficients of modulus <= tol: B = A A[rows]^{-1} has |B_ij| <= tol and B[rows] = I.
 * The cross approximations use it to pick interpolation points (Savostyanov 2014).
 *
 * Start from the pivots of Gaussian elimination with partial pivoting, then swap in the row
 * holding the largest |B_ij| for row j while it exceeds tol; each swap multiplies the volume
 * by |B_ij| > tol and updates B by a rank-one correction (O(n r) per swap).
 * @internal
 */
import { lu } from '../../linalg/lu.js';
import { viewC } from './tt-dense.js';

/** Row indices and the coefficients B = A A[rows]^{-1} (n x r, C order). */
export interface Maxvol {
  rows: Int32Array;
  B: Float64Array;
}

/**
 * maxvol of the C-order n x r A (n >= r >= 1, rank r).
 * @param tol - stop when every |B_ij| <= tol (> 1; default 1.05).
 * @param maxSwaps - at most this many swaps (default 100 r).
 */
export function maxvol(A: Float64Array, n: number, r: number, tol = 1.05, maxSwaps = 100 * r): Maxvol {
  const rows = pivotRows(A, n, r);
  // B^T = A[rows]^{-T} A^T: one LU of the r x r transpose, n right-hand sides.
  const sel = new Float64Array(r * r);
  for (let a = 0; a < r; a++) sel.set(A.subarray(rows[a]! * r, rows[a]! * r + r), a * r);
  const X = lu(viewC(sel, r, r).T).solve(viewC(A, n, r).T); // r x n
  const B = new Float64Array(n * r);
  for (let i = 0; i < n; i++) for (let j = 0; j < r; j++) B[i * r + j] = X.get(j, i);
  if (n === r) return { rows, B };
  const col = new Float64Array(n);
  const row = new Float64Array(r);
  for (let swap = 0; swap < maxSwaps; swap++) {
    let bi = 0;
    let bj = 0;
    let big = 0;
    for (let p = 0; p < n * r; p++) {
      const v = Math.abs(B[p]!);
      if (v > big) {
        big = v;
        bi = Math.floor(p / r);
        bj = p % r;
      }
    }
    if (big <= tol) break;
    // Row bi replaces rows[bj]: B -= B[:, bj] (B[bi, :] - e_bj) / B[bi, bj].
    const piv = B[bi * r + bj]!;
    for (let i = 0; i < n; i++) col[i] = B[i * r + bj]!;
    for (let j = 0; j < r; j++) row[j] = (B[bi * r + j]! - (j === bj ? 1 : 0)) / piv;
    for (let i = 0; i < n; i++) {
      const c = col[i]!;
      if (c === 0) continue;
      const o = i * r;
      for (let j = 0; j < r; j++) B[o + j] = B[o + j]! - c * row[j]!;
    }
    rows[bj] = bi;
  }
  return { rows, B };
}

/** Rows chosen by Gaussian elimination with partial pivoting on a copy of A (n x r). */
function pivotRows(A: Float64Array, n: number, r: number): Int32Array {
  const a = A.slice(0, n * r);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let j = 0; j < r; j++) {
    let p = j;
    let big = -1;
    for (let i = j; i < n; i++) {
      const v = Math.abs(a[perm[i]! * r + j]!);
      if (v > big) {
        big = v;
        p = i;
      }
    }
    const t = perm[j]!;
    perm[j] = perm[p]!;
    perm[p] = t;
    const pr = perm[j]! * r;
    const pv = a[pr + j]!;
    if (pv === 0) continue; // rank-deficient column: any row will do
    for (let i = j + 1; i < n; i++) {
      const ir = perm[i]! * r;
      const f = a[ir + j]! / pv;
      if (f === 0) continue;
      for (let c = j; c < r; c++) a[ir + c] = a[ir + c]! - f * a[pr + c]!;
    }
  }
  return perm.slice(0, r);
}
