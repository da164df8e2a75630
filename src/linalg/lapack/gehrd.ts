/**
 * Orthogonal reduction of a general matrix to upper Hessenberg form, A = Q H Q^T
 * (LAPACK dgehrd with the panel factorization of dlahr2, and dorghr for Q).
 *
 * The blocked algorithm (Quintana-Ortí & van de Geijn, "Improving the performance of
 * reduction to Hessenberg form", ACM TOMS 32, 2006) reduces NB columns at a time: the
 * panel needs one matrix-vector product with the trailing matrix per column (gemv, about
 * 20% of the 10/3 n^3 flops), while the right update A := A - Y V^T and the left update
 * with the block reflector run as gemm.
 */
import { kernels } from '../../kernels/index.js';
import type { FloatArray } from '../../matrix/dtype.js';
import { explicitV, larf, larfb, larfg, larft } from './householder.js';
import type { Workspace } from '../../kernels/workspace.js';

/** Panel width of the blocked reduction (LAPACK's default for dgehrd). */
const NB = 32;
/** Below this active order the unblocked code finishes (dgehrd's crossover NX). */
const NX = 128;

// w := L^T w, L unit lower triangular j x j at (A, off, ld).
function trmvLowerUnitT(j: number, A: FloatArray, off: number, ld: number, w: FloatArray): void {
  for (let p = 0; p < j; p++) {
    let s = w[p]!;
    const col = off + p * ld;
    for (let r = p + 1; r < j; r++) s += A[col + r]! * w[r]!;
    w[p] = s;
  }
}

// w := L w, L unit lower triangular j x j at (A, off, ld).
function trmvLowerUnitN(j: number, A: FloatArray, off: number, ld: number, w: FloatArray): void {
  for (let p = j - 1; p >= 0; p--) {
    const t = w[p]!;
    if (t === 0) continue;
    const col = off + p * ld;
    for (let r = p + 1; r < j; r++) w[r] = w[r]! + t * A[col + r]!;
  }
}

// w := U^T w, U upper triangular j x j at (T, off, ld).
function trmvUpperT(j: number, T: FloatArray, off: number, ld: number, w: FloatArray, offW: number): void {
  for (let p = j - 1; p >= 0; p--) {
    const col = off + p * ld;
    let s = 0;
    for (let r = 0; r <= p; r++) s += T[col + r]! * w[offW + r]!;
    w[offW + p] = s;
  }
}

// w := U w, U upper triangular j x j at (T, off, ld).
function trmvUpperN(j: number, T: FloatArray, off: number, ld: number, w: FloatArray, offW: number): void {
  for (let p = 0; p < j; p++) {
    const t = w[offW + p]!;
    const col = off + p * ld;
    for (let r = 0; r < p; r++) w[offW + r] = w[offW + r]! + t * T[col + r]!;
    w[offW + p] = t * T[col + p]!;
  }
}

/**
 * Panel of the blocked reduction (LAPACK dlahr2): reduce columns i..i+nb-1 so that the
 * entries below the first subdiagonal vanish, returning the reflectors (stored below the
 * subdiagonal, explicit copy in V, (ihi-i) x nb), their triangular factor T (upper
 * nb x nb) and Y = A V T restricted to rows 0..ihi.
 */
function lahr2(
  ihi: number, i0: number, nb: number, A: FloatArray, off: number, ld: number, tau: Float64Array,
  T: FloatArray, ldt: number, Y: FloatArray, ldy: number, V: FloatArray, w: FloatArray, tmp: FloatArray,
): void {
  const k = kernels();
  const nr = ihi - i0; // reflectors live in rows i0+1..ihi
  const vOff = off + (i0 + 1) + i0 * ld; // V(0, 0) in A
  let ei = 0;
  for (let j = 0; j < nb; j++) {
    const c = i0 + j;
    const colc = off + c * ld;
    if (j > 0) {
      // Apply the previous right update to column c: A(:, c) -= Y A(i0+j, i0:c)^T.
      k.gemv(false, nr, j, -1, Y, i0 + 1, ldy, A, off + (i0 + j) + i0 * ld, ld, 1, A, colc + i0 + 1, 1);
      // Apply (I - V T^T V^T) from the left to column c: w = V^T b, w = T^T w, b -= V w.
      for (let p = 0; p < j; p++) w[p] = A[colc + i0 + 1 + p]!;
      trmvLowerUnitT(j, A, vOff, ld, w);
      k.gemv(true, nr - j, j, 1, A, vOff + j, ld, A, colc + i0 + 1 + j, 1, 1, w, 0, 1);
      trmvUpperT(j, T, 0, ldt, w, 0);
      k.gemv(false, nr - j, j, -1, A, vOff + j, ld, w, 0, 1, 1, A, colc + i0 + 1 + j, 1);
      trmvLowerUnitN(j, A, vOff, ld, w);
      for (let p = 0; p < j; p++) A[colc + i0 + 1 + p] = A[colc + i0 + 1 + p]! - w[p]!;
      A[off + (i0 + j) + (c - 1) * ld] = ei;
    }
    // Reflector annihilating A(i0+j+2 : ihi, c).
    const ia = colc + i0 + 1 + j;
    const t = larfg(nr - j, A, ia, colc + Math.min(i0 + 2 + j, ihi), 1);
    tau[c] = t;
    ei = A[ia]!;
    A[ia] = 1;
    // Y(i0+1:ihi, j) = tau (A(i0+1:ihi, c+1:ihi) v - Y(:, 0:j) V'^T v).
    const yj = i0 + 1 + j * ldy;
    k.gemv(false, nr, nr - j, 1, A, off + (i0 + 1) + (c + 1) * ld, ld, A, ia, 1, 0, Y, yj, 1);
    k.gemv(true, nr - j, j, 1, A, vOff + j, ld, A, ia, 1, 0, T, j * ldt, 1);
    k.gemv(false, nr, j, -1, Y, i0 + 1, ldy, T, j * ldt, 1, 1, Y, yj, 1);
    k.scal(nr, t, Y, yj, 1);
    // T(0:j, j) = -tau T(0:j, 0:j) T(0:j, j).
    for (let p = 0; p < j; p++) T[j * ldt + p] = -t * T[j * ldt + p]!;
    trmvUpperN(j, T, 0, ldt, T, j * ldt);
    T[j + j * ldt] = t;
  }
  A[off + (i0 + nb) + (i0 + nb - 1) * ld] = ei;
  explicitV(nr, nb, A, vOff, ld, V, 0, nr);
  // Rows 0..i0 of Y = A(0:i0, i0+1:ihi) V T (two gemms).
  const top = i0 + 1;
  k.gemm(false, false, top, nb, nr, 1, A, off + (i0 + 1) * ld, ld, V, 0, nr, 0, tmp, 0, top);
  k.gemm(false, false, top, nb, nb, 1, tmp, 0, top, T, 0, ldt, 0, Y, 0, ldy);
}

/**
 * Reduce the n x n matrix A to upper Hessenberg form H = Q^T A Q in place (LAPACK
 * dgehrd). Only rows and columns ilo..ihi (0-based, inclusive, from {@link gebal}; use
 * 0, n-1 otherwise) are reduced: A must already be upper triangular outside that block.
 * On return H is on and above the first subdiagonal; below it, column j holds the
 * reflector v_j (v_j[j+1] = 1 implicit) with scalar `tau[j]` (0 outside ilo..ihi-1).
 *
 * Cost: 10/3 (ihi-ilo)^3 flops, mostly gemm. Workspace from `ws`.
 * @param tau - output, at least n - 1 elements.
 */
export function gehrd(n: number, ilo: number, ihi: number, A: FloatArray, off: number, ld: number, tau: Float64Array, ws: Workspace): void {
  for (let j = 0; j < n - 1; j++) tau[j] = 0;
  const nh = ihi - ilo + 1;
  if (nh <= 1) return;
  const k = kernels();
  const work = ws.like(A, n);
  let i = ilo;
  if (nh > NX && NB < nh) {
    const ldy = ihi + 1;
    const Y = ws.like(A, ldy * NB);
    const T = ws.like(A, NB * NB);
    const w = ws.like(A, NB);
    const V = ws.like(A, (ihi - ilo) * NB);
    const tmp = ws.like(A, (ihi + 1) * NB);
    const lwork = ws.like(A, 2 * NB * n);
    for (; i <= ihi - 1 - NX; i += NB) {
      const ib = Math.min(NB, ihi - i);
      const nr = ihi - i;
      lahr2(ihi, i, ib, A, off, ld, tau, T, NB, Y, ldy, V, w, tmp);
      // Right update of columns i+ib..ihi: A(0:ihi, :) -= Y V(ib-1:, :)^T.
      k.gemm(false, true, ihi + 1, nr - ib + 1, ib, -1, Y, 0, ldy, V, ib - 1, nr, 1, A, off + (i + ib) * ld, ld);
      // Rows 0..i of the panel columns i+1..i+ib-1 (the rows below were updated in the panel).
      k.gemm(false, true, i + 1, ib - 1, ib, -1, Y, 0, ldy, V, 0, nr, 1, A, off + (i + 1) * ld, ld);
      // Left update of rows i+1..ihi, columns i+ib..n-1 with H^T = I - V T^T V^T.
      larfb('L', true, nr, n - i - ib, ib, V, 0, nr, T, 0, NB, A, off + (i + 1) + (i + ib) * ld, ld, lwork);
    }
  }
  // Unblocked finish (LAPACK dgehd2): one reflector at a time, applied with gemv + ger.
  for (; i < ihi; i++) {
    const ia = off + (i + 1) + i * ld;
    const t = larfg(ihi - i, A, ia, off + Math.min(i + 2, ihi) + i * ld, 1);
    tau[i] = t;
    const aii = A[ia]!;
    A[ia] = 1;
    larf('R', ihi + 1, ihi - i, A, ia, 1, t, A, off + (i + 1) * ld, ld, work);
    larf('L', ihi - i, n - i - 1, A, ia, 1, t, A, off + (i + 1) + (i + 1) * ld, ld, work);
    A[ia] = aii;
  }
}

/**
 * Form the orthogonal Q of {@link gehrd} explicitly in Q (n x n, ldQ) from the reflectors
 * stored in A (LAPACK dorghr). Q is the identity outside rows/columns ilo+1..ihi; inside,
 * the block reflectors are applied to the identity from the last block to the first with
 * larfb, so the 4/3 nh^3 flops run in gemm.
 */
export function orghr(
  n: number, ilo: number, ihi: number, A: FloatArray, off: number, ld: number, tau: Float64Array,
  Q: FloatArray, offQ: number, ldQ: number, ws: Workspace,
): void {
  for (let j = 0; j < n; j++) {
    const c = offQ + j * ldQ;
    for (let r = 0; r < n; r++) Q[c + r] = 0;
    Q[c + j] = 1;
  }
  const nh = ihi - ilo; // number of reflectors and order of the nontrivial block
  if (nh <= 0) return;
  const nb = Math.min(NB, nh);
  const V = ws.like(A, nh * nb);
  const T = ws.like(A, nb * nb);
  const work = ws.like(A, 2 * nb * nh);
  const qOff = offQ + (ilo + 1) * (1 + ldQ); // Q(ilo+1, ilo+1)
  const aOff = off + (ilo + 1) + ilo * ld; // reflector p has its unit at (p, p) from here
  for (let p0 = Math.floor((nh - 1) / nb) * nb; p0 >= 0; p0 -= nb) {
    const kb = Math.min(nb, nh - p0);
    const m = nh - p0;
    explicitV(m, kb, A, aOff + p0 * (1 + ld), ld, V, 0, m);
    larft(m, kb, V, 0, m, tau.subarray(ilo + p0, ilo + p0 + kb), T, 0, nb);
    larfb('L', false, m, m, kb, V, 0, m, T, 0, nb, Q, qOff + p0 * (1 + ldQ), ldQ, work);
  }
}
