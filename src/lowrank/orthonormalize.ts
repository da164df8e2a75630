/**
 * Re-normalizing blocks of vectors inside the truncated SVD solvers:
 *
 * - {@link qrBasis}: an orthonormal basis of the block's range (Householder QR, LAPACK
 *   dgeqrf + dorgqr), what `numpy.linalg.qr(Y)[0]` returns;
 * - {@link luBasis}: the permuted unit lower factor P^T L of Y = P^T L U (LAPACK dgetrf;
 *   scipy.linalg.lu(Y, permute_l=True)[0]). Same range as Y, well conditioned, and about
 *   half the cost of QR: scikit-learn's normalizer between power iterations;
 * - {@link orthogonalize}: classical Gram-Schmidt against an orthonormal basis on gemv,
 *   with a second pass when the first cancelled much of the vector (the DGKS criterion;
 *   "twice is enough": Giraud, Langou & Rozložník 2005), for Lanczos bidiagonalization
 *   with full reorthogonalization.
 */
import { kernels } from '../kernels/index.js';
import { geqrf, orgqr } from '../linalg/lapack/geqrf.js';
import { getrf, pivotsToPermutation } from '../linalg/lapack/getrf.js';
import type { Workspace } from '../kernels/workspace.js';
import type { FloatArray } from '../matrix/dtype.js';
import type { Matrix } from '../matrix/matrix.js';

/**
 * Overwrite the column-major m x l block Y (m >= l) with the first l columns of Q in
 * Y = Q R. Cost 4 m l^2 - 4/3 l^3 flops, mostly gemm.
 */
export function qrBasis(Y: Matrix, ws: Workspace): void {
  const m = Y.rows;
  const l = Y.cols;
  if (l === 0 || m === 0) return;
  const tau = ws.like(Y.data, l);
  geqrf(m, l, Y.data, Y.offset, Y.colStride, tau, ws);
  orgqr(m, l, l, Y.data, Y.offset, Y.colStride, tau, Y.data, Y.offset, Y.colStride, ws);
}

/**
 * Overwrite the column-major m x l block Y (m >= l) with P^T L, where P Y = L U is LU with
 * partial pivoting and L is unit lower trapezoidal. The columns span the range of Y (L has
 * full column rank whatever Y's rank), and |L_ij| <= 1 keeps the block well scaled.
 * Cost m l^2 - l^3 / 3 flops.
 */
export function luBasis(Y: Matrix, scratch: FloatArray): void {
  const m = Y.rows;
  const l = Y.cols;
  if (l === 0 || m === 0) return;
  const a = Y.data;
  const off = Y.offset;
  const ld = Y.colStride;
  const ipiv = new Int32Array(l);
  getrf(m, l, a, off, ld, ipiv);
  // (P Y)[i] = Y[perm[i]], so row i of L belongs in row perm[i] of P^T L.
  const perm = pivotsToPermutation(m, ipiv, l);
  for (let j = 0; j < l; j++) {
    const c = off + j * ld;
    for (let i = 0; i < j; i++) scratch[perm[i]!] = 0;
    scratch[perm[j]!] = 1;
    for (let i = j + 1; i < m; i++) scratch[perm[i]!] = a[c + i]!;
    for (let i = 0; i < m; i++) a[c + i] = scratch[i]!;
  }
}

/**
 * One classical Gram-Schmidt pass x := (I - Q Q^T) x for the n x j orthonormal Q
 * (column-major at `off` with leading dimension `ld` in `q`), with two gemv calls; Q^T x is
 * added to `coef` (length >= j). `tmp` (length >= j) is scratch. Every array should live
 * in WASM memory so gemv runs there. 4 n j flops.
 */
export function gramSchmidtPass(
  n: number, j: number, q: FloatArray, off: number, ld: number,
  x: FloatArray, offX: number, coef: FloatArray, tmp: FloatArray,
): void {
  if (j === 0) return;
  const g = kernels();
  g.gemv(true, n, j, 1, q, off, ld, x, offX, 1, 0, tmp, 0, 1);
  g.gemv(false, n, j, -1, q, off, ld, tmp, 0, 1, 1, x, offX, 1);
  for (let i = 0; i < j; i++) coef[i] = coef[i]! + tmp[i]!;
}

/**
 * Orthogonalize x against the n x j orthonormal Q with classical Gram-Schmidt and the DGKS
 * correction (Daniel, Gragg, Kaufman & Stewart, Math. Comp. 30, 1976): a second pass runs
 * only when the first removed more than 1 - 1/sqrt(2) of x's norm, i.e. when cancellation
 * may have left x with components along Q that are large relative to what remains. Q^T x
 * (both passes) is added to `coef`. Returns ||x|| after orthogonalization. 4 n j flops
 * per pass.
 */
export function orthogonalize(
  n: number, j: number, q: FloatArray, off: number, ld: number,
  x: FloatArray, offX: number, coef: FloatArray, tmp: FloatArray,
): number {
  const g = kernels();
  const before = g.nrm2(n, x, offX, 1);
  if (j === 0) return before;
  gramSchmidtPass(n, j, q, off, ld, x, offX, coef, tmp);
  let after = g.nrm2(n, x, offX, 1);
  if (after < Math.SQRT1_2 * before) {
    gramSchmidtPass(n, j, q, off, ld, x, offX, coef, tmp);
    after = g.nrm2(n, x, offX, 1);
  }
  return after;
}
