/**
 * RZ factorization of an upper trapezoidal matrix, [R1 R2] = [T 0] Z (LAPACK dtzrzf, here
 * unblocked as its kernel dlatrz), and the product with Z or Z^T (dormrz).
 *
 * LAPACK's least-squares drivers use it to turn a QR factorization of a matrix with more
 * columns than its rank into a minimum-norm solution (dgelsy): when A = Q [R1 R2] with the
 * m x m R1 upper triangular, the minimum-norm x of [R1 R2] x = c is
 * x = Z^T [T^{-1} c; 0], since every x = Z^T [w1; w2] has ||x|| = ||w|| and the free w2 is
 * best left at zero.
 *
 * Z = H_0 H_1 ... H_{m-1}, where H_i = I - tau_i v_i v_i^T touches only coordinates i and
 * m..n-1, with v_i = (1 at i, z_i at m..n-1). z_i is stored in row i, columns m..n-1, of
 * the factored array (where R2 was); T overwrites R1.
 */
import { kernels } from '../../kernels/index.js';
import type { FloatArray } from '../../matrix/dtype.js';
import { ger } from './blas.js';
import { larfg } from './householder.js';

/**
 * Factor the m x n (m <= n) upper trapezoidal A = [R1 R2] in place as [T 0] Z (LAPACK
 * dtzrzf / dlatrz). Only the upper trapezoid is read. On return T (m x m upper triangular)
 * is in A's first m columns, z_i in row i of columns m..n-1, and tau[offTau + i] holds
 * tau_i. `work` needs m elements.
 *
 * Rows are processed from the last up: H_i annihilates row i's entries in columns m..n-1
 * against its diagonal entry (a reflector of order n - m + 1, larfg), then is applied from
 * the right to the rows above it (LAPACK dlarz: one gemv and one rank-1 update, 4 i (n - m)
 * flops). Total about 2 m^2 (n - m) flops.
 */
export function tzrzf(
  m: number, n: number, A: FloatArray, offA: number, ldA: number, tau: FloatArray, offTau: number, work: FloatArray,
): void {
  const l = n - m;
  const g = kernels();
  for (let i = m - 1; i >= 0; i--) {
    const aii = offA + i + i * ldA;
    const zi = offA + i + m * ldA; // z_i: row i, columns m..n-1, stride ldA
    const t = l > 0 ? larfg(l + 1, A, aii, zi, ldA) : 0;
    tau[offTau + i] = t;
    if (t === 0 || i === 0) continue;
    // Rows 0..i-1 times H_i: w = A[0:i, i] + A[0:i, m:n] z_i; A[0:i, i] -= tau w;
    // A[0:i, m:n] -= tau w z_i^T.
    const ci = offA + i * ldA;
    for (let r = 0; r < i; r++) work[r] = A[ci + r]!;
    g.gemv(false, i, l, 1, A, offA + m * ldA, ldA, A, zi, ldA, 1, work, 0, 1);
    g.axpy(i, -t, work, 0, 1, A, ci, 1);
    ger(i, l, -t, work, 0, 1, A, zi, ldA, A, offA + m * ldA, ldA);
  }
}

/**
 * C := Z C (`trans` false) or Z^T C (`trans` true) for the n x nrhs C, with Z from
 * {@link tzrzf} of an m x n matrix stored in A / tau (LAPACK dormrz, side 'L'). Each H_i
 * reads and writes only rows i and m..n-1 of C. `work` needs nrhs elements.
 */
export function ormrz(
  trans: boolean, m: number, n: number, nrhs: number, A: FloatArray, offA: number, ldA: number,
  tau: FloatArray, offTau: number, C: FloatArray, offC: number, ldC: number, work: FloatArray,
): void {
  const l = n - m;
  if (l === 0 || nrhs === 0) return;
  const g = kernels();
  // Z = H_0 ... H_{m-1}: Z^T C applies H_0 first, Z C applies H_{m-1} first.
  for (let s = 0; s < m; s++) {
    const i = trans ? s : m - 1 - s;
    const t = tau[offTau + i]!;
    if (t === 0) continue;
    const zi = offA + i + m * ldA;
    // work = C[i, :] + C[m:n, :]^T z_i; C[i, :] -= tau work; C[m:n, :] -= tau z_i work^T.
    for (let c = 0; c < nrhs; c++) work[c] = C[offC + i + c * ldC]!;
    g.gemv(true, l, nrhs, 1, C, offC + m, ldC, A, zi, ldA, 1, work, 0, 1);
    g.axpy(nrhs, -t, work, 0, 1, C, offC + i, ldC);
    ger(l, nrhs, -t, A, zi, ldA, work, 0, 1, C, offC + m, ldC);
  }
}
