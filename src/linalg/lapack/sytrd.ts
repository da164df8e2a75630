/**
 * Householder reduction of a symmetric matrix to tridiagonal form, Q^T A Q = T (LAPACK
 * dsytrd with dlatrd, uplo = 'L'), and multiplication by Q (LAPACK dormtr, side 'L',
 * no transpose) with compact-WY block reflectors.
 *
 * Q = H_0 H_1 ... H_{n-2}, H_i = I - tau_i v_i v_i^T, v_i zero above row i+1, one at row
 * i+1, and its tail stored in A[i+2.., i].
 *
 * Blocking (Dongarra, Hammarling & Sorensen 1989): within a panel of nb columns the
 * reflectors are generated one by one, each needing the matrix-vector product of the
 * (not yet updated) trailing matrix with v, corrected for the panel's earlier reflectors
 * (gemv); the trailing matrix is then updated at once by A := A - V W^T - W V^T (gemm).
 * Only the lower triangle is read and updated: the symmetric product is a symv that reads
 * each entry once and uses it twice (half the memory traffic of a gemv on the full
 * matrix: this memory-bound phase is half the flops and was over half the run time), and
 * the rank-2k update is a blocked syr2k made of gemms.
 *
 * Small matrices skip the blocking: with the WASM kernels active, n <= SYTD2_MAX is reduced
 * by the unblocked dsytd2 and Q applied (n <= ORM2TR_MAX) reflector by reflector, each in
 * one call (src/kernels/tridiag.ts).
 */
import { kernels } from '../../kernels/index.js';
import { gemvParallel } from '../../kernels/gemv-parallel.js';
import { SYMV_PARTS, symvLowerParts } from '../../kernels/symv.js';
import { latrdLower } from '../../kernels/latrd.js';
import { orm2trLower, sytd2Lower } from '../../kernels/tridiag.js';
import { explicitV, larfb, larfg, larft } from './householder.js';
import type { Workspace } from '../../kernels/workspace.js';

/** Panel width of the blocked reduction and of the block reflectors. */
export const SYTRD_NB = 32;

/** Column block of the lower-triangle rank-2k trailing update. */
const SYR2K_NB = 128;

/**
 * Up to this order the reduction runs as one WASM call of the unblocked dsytd2 (when the
 * WASM kernels are active): the blocked driver's per-column kernel calls cost more than the
 * arithmetic there. Measured 5x faster at n = 64, 1.5x at n = 256.
 */
export const SYTD2_MAX = 256;

/**
 * Up to this order Q is applied by one WASM call, reflector by reflector (dorm2r's order):
 * 2x faster than the block reflectors at n = 64, even at n = 128, slower beyond.
 */
export const ORM2TR_MAX = 128;

/**
 * Reduce the symmetric n x n matrix A (column-major at offA, leading dimension ldA, in
 * `ws` memory for speed) to tridiagonal form (LAPACK dsytrd, uplo 'L'). Only the lower
 * triangle is read. On return d[0..n) is the diagonal of T, e[0..n-1) its
 * off-diagonal, tau[0..n-1) the reflector scalars and the reflectors' tails lie below the
 * subdiagonal of A; the rest of A is overwritten.
 *
 * Cost: 4/3 n^3 flops, half in symv and half in gemm, both shared out among the threads
 * set by `setThreads`. Scratch: 4 n nb + 8 n + 2 nb doubles from `ws`.
 */
export function sytrd(n: number, A: Float64Array, offA: number, ldA: number, d: Float64Array, e: Float64Array, tau: Float64Array, ws: Workspace): void {
  if (n === 0) return;
  if (n <= SYTD2_MAX) {
    // The kernel writes d, e, tau into WASM memory; it declines when A is not there.
    const out = ws.f64(4 * n);
    if (sytd2Lower(n, A, offA, ldA, out.subarray(0, n), out.subarray(n, 2 * n), out.subarray(2 * n, 3 * n), out.subarray(3 * n))) {
      d.set(out.subarray(0, n));
      e.set(out.subarray(n, 2 * n - 1));
      tau.set(out.subarray(2 * n, 3 * n - 1));
      return;
    }
  }
  const k = kernels();
  const nb = Math.min(SYTRD_NB, n);
  // P interleaves the panel's reflectors and their W vectors: column 2c = v_c, 2c + 1 =
  // w_c. Then V W^T + W V^T = P Ps^T with Ps = P with each column pair swapped, so every
  // correction below is one gemv and the trailing update one gemm with k = 2 nb.
  const ldP = n;
  const P = ws.f64(ldP * 2 * nb);
  const Ps = ws.f64(ldP * 2 * nb);
  const t1 = ws.f64(2 * nb);
  const t2 = ws.f64(2 * nb);
  // The symmetric product is split into fixed column parts, shared out among the threads
  // (the same sums for any thread count): each part accumulates into its own n-vector.
  const symvWork = ws.f64(SYMV_PARTS * n);
  // The panel's e and tau entries (panel-relative; in WASM memory for the kernel).
  const ePanel = ws.f64(nb);
  const tauPanel = ws.f64(nb);
  const at = (i: number, j: number): number => offA + i + j * ldA;
  for (let j0 = 0; j0 < n; j0 += nb) {
    const kb = Math.min(nb, n - j0);
    // The panel in one WASM call where its products would run on this thread anyway (the
    // same operations in the same order: the same bits); else the TypeScript loop.
    if (!latrdLower(n, j0, kb, A, offA, ldA, ePanel, tauPanel, P, ldP, t1, t2, symvWork)) {
      latrdLoop(n, j0, kb, A, offA, ldA, ePanel, tauPanel, P, ldP, t1, t2, symvWork);
    }
    const kr = Math.min(kb, n - 1 - j0);
    e.set(ePanel.subarray(0, kr), j0);
    tau.set(tauPanel.subarray(0, kr), j0);
    // Trailing update of the lower triangle: A22 -= V W^T + W V^T = P Ps^T (dsyr2k), as
    // one gemm per block column of width SYR2K_NB from its diagonal down; the diagonal
    // blocks' upper parts are computed too (harmless, never read), which costs a fraction
    // SYR2K_NB / mt of extra flops instead of the full second triangle.
    const r0 = j0 + kb;
    const mt = n - r0;
    if (mt > 0) {
      for (let q = 0; q < kb; q++) {
        Ps.set(P.subarray(r0 + (2 * q + 1) * ldP, n + (2 * q + 1) * ldP), r0 + 2 * q * ldP);
        Ps.set(P.subarray(r0 + 2 * q * ldP, n + 2 * q * ldP), r0 + (2 * q + 1) * ldP);
      }
      for (let c0 = 0; c0 < mt; c0 += SYR2K_NB) {
        const cb = Math.min(SYR2K_NB, mt - c0);
        k.gemm(false, true, mt - c0, cb, 2 * kb, -1, P, r0 + c0, ldP, Ps, r0 + c0, ldP, 1, A, at(r0 + c0, r0 + c0), ldA);
      }
    }
    for (let c = 0; c < kb; c++) {
      const i = j0 + c;
      if (i < n - 1) A[at(i + 1, i)] = e[i]!;
      d[i] = A[at(i, i)]!;
    }
  }
}

/**
 * The panel of columns j0 .. j0 + kb of {@link sytrd} (LAPACK dlatrd, uplo 'L'), column by
 * column: each column brought up to date with the panel's earlier reflectors, its
 * reflector generated, and w = tau (A22 - V W^T - W V^T) v formed from the trailing matrix
 * as it was before the panel. P (n x 2 kb, ldP) receives v_c and w_c in columns 2c and
 * 2c + 1; e[c] and tau[c] the off-diagonal entry and reflector scalar of column j0 + c (not
 * written for column n - 1). t1, t2: 2 kb doubles; symvWork: SYMV_PARTS * n doubles. The
 * WASM kernel latrdLower (src/kernels/latrd.ts) does the same in one call, bit for bit.
 */
export function latrdLoop(
  n: number, j0: number, kb: number, A: Float64Array, offA: number, ldA: number, e: Float64Array, tau: Float64Array,
  P: Float64Array, ldP: number, t1: Float64Array, t2: Float64Array, symvWork: Float64Array,
): void {
  const k = kernels();
  const at = (i: number, j: number): number => offA + i + j * ldA;
  for (let c = 0; c < kb; c++) {
    const i = j0 + c;
    const len = n - i;
    // Bring column i (rows i..n) up to date with the panel's earlier reflectors:
    // A(i:, i) -= V(i:, 0:c) W(i, 0:c)^T + W(i:, 0:c) V(i, 0:c)^T = P(i:, 0:2c) (row i of Ps)^T.
    if (c > 0) {
      for (let q = 0; q < c; q++) {
        t1[2 * q] = P[i + (2 * q + 1) * ldP]!;
        t1[2 * q + 1] = P[i + 2 * q * ldP]!;
      }
      gemvParallel(false, len, 2 * c, -1, P, i, ldP, t1, 0, 1, A, at(i, i));
    }
    if (i === n - 1) break;
    // Reflector annihilating A(i+2:, i).
    const m = len - 1;
    const t = larfg(m, A, at(i + 1, i), at(Math.min(i + 2, n - 1), i), 1);
    e[c] = A[at(i + 1, i)]!;
    tau[c] = t;
    A[at(i + 1, i)] = 1;
    const v = i + 1 + 2 * c * ldP;
    const wc = v + ldP;
    P.set(A.subarray(at(i + 1, i), at(n, i)), v);
    // w = tau (A22 - V W^T - W V^T) v, with A22 the trailing matrix as it was before the
    // panel; the symmetric product reads its lower triangle only.
    symvLowerParts(m, 1, A, at(i + 1, i + 1), ldA, P, v, 0, P, wc, symvWork);
    if (c > 0) {
      gemvParallel(true, m, 2 * c, 1, P, i + 1, ldP, P, v, 0, t1, 0);
      for (let q = 0; q < c; q++) {
        t2[2 * q] = t1[2 * q + 1]!;
        t2[2 * q + 1] = t1[2 * q]!;
      }
      gemvParallel(false, m, 2 * c, -1, P, i + 1, ldP, t2, 0, 1, P, wc);
    }
    k.scal(m, t, P, wc, 1);
    // w -= (tau/2) (w^T v) v makes the two-sided update A - v w^T - w v^T exact.
    const alpha = -0.5 * t * k.dot(m, P, wc, 1, P, v, 1);
    k.axpy(m, alpha, P, v, 1, P, wc, 1);
  }
}

/**
 * C := Q C for the Q of {@link sytrd} (LAPACK dormtr, side 'L', uplo 'L', no transpose),
 * C n x ncols. Reflectors are applied in blocks of nb, last block first, each as
 * I - V T V^T (larft/larfb: three gemms). Row 0 of C is unchanged (Q fixes e_0).
 *
 * Cost: 2 n^2 ncols flops, in gemm. Scratch: nb (n + nb + 2 ncols) doubles from `ws`.
 */
export function ormtr(
  n: number, ncols: number, A: Float64Array, offA: number, ldA: number, tau: Float64Array,
  C: Float64Array, offC: number, ldC: number, ws: Workspace,
): void {
  if (n <= 1 || ncols === 0) return;
  if (n <= ORM2TR_MAX) {
    const t = ws.f64(n - 1);
    t.set(tau.subarray(0, n - 1));
    if (orm2trLower(n, ncols, A, offA, ldA, t, C, offC, ldC)) return;
  }
  const nb = SYTRD_NB;
  const nq = n - 1;
  const V = ws.f64(nq * nb);
  const T = ws.f64(nb * nb);
  const work = ws.f64(2 * nb * ncols);
  const first = Math.floor((nq - 1) / nb) * nb;
  for (let b0 = first; b0 >= 0; b0 -= nb) {
    const kb = Math.min(nb, nq - b0);
    const m = nq - b0;
    explicitV(m, kb, A, offA + b0 + 1 + b0 * ldA, ldA, V, 0, m);
    larft(m, kb, V, 0, m, tau.subarray(b0, b0 + kb), T, 0, kb);
    larfb('L', false, m, ncols, kb, V, 0, m, T, 0, kb, C, offC + b0 + 1, ldC, work);
  }
}
