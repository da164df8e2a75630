/**
 * Householder bidiagonalization A = Q B P^T of an m x n matrix with m >= n (LAPACK dgebrd,
 * dlabrd, dgebd2) and the application of Q and P^T to other matrices (LAPACK dormbr).
 *
 * B is upper bidiagonal (diagonal d, superdiagonal e). Q = H_0 ... H_{n-1} and
 * P = G_0 ... G_{n-2} are kept as reflectors in A, as LAPACK does: H_i's vector below the
 * diagonal of column i (v[0] = 1 at row i), G_i's vector right of the superdiagonal of
 * row i (v[0] = 1 at column i + 1).
 *
 * Blocking (dlabrd): a panel of NB rows and columns is reduced with matrix-vector products
 * while the updates of the trailing matrix are accumulated as A := A - V Y^T - X U^T, two
 * gemm calls per panel. Half of the 4 m n^2 - 4/3 n^3 flops stay in gemv (each reflector
 * needs the current trailing matrix): that is inherent to one-stage bidiagonalization.
 */
import { check } from '../../errors.js';
import { kernels } from '../../kernels/index.js';
import { gemvParallel, gemvParts, gemvPartsWork } from '../../kernels/gemv-parallel.js';
import { larf, larfb, larfg, larft, explicitV } from './householder.js';
import type { Workspace } from '../../kernels/workspace.js';

/** Panel width of the blocked reduction and of the block reflectors applied afterwards. */
export const BRD_BLOCK = 32;
/** Below this many remaining columns the unblocked code finishes (gemm would be too thin). */
const BRD_CROSSOVER = 64;

/**
 * Unblocked bidiagonalization of the m x n A (m >= n) in place (LAPACK dgebd2): d, e,
 * tauq and taup get n, n - 1, n and n entries (taup[n-1] = 0). `work` needs max(m, n)
 * elements. Cost 4 m n^2 - 4/3 n^3 flops in gemv/ger.
 */
export function gebd2(
  m: number, n: number, A: Float64Array, offA: number, ldA: number,
  d: Float64Array, e: Float64Array, tauq: Float64Array, taup: Float64Array, work: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const aii = offA + i + i * ldA;
    // H_i annihilates A(i+1:m, i).
    const tq = larfg(m - i, A, aii, aii + Math.min(1, m - i - 1), 1);
    tauq[i] = tq;
    d[i] = A[aii]!;
    if (i < n - 1) {
      A[aii] = 1;
      larf('L', m - i, n - i - 1, A, aii, 1, tq, A, aii + ldA, ldA, work);
    }
    A[aii] = d[i]!;
    if (i < n - 1) {
      // G_i annihilates A(i, i+2:n).
      const aij = aii + ldA;
      const tp = larfg(n - i - 1, A, aij, aij + Math.min(1, n - i - 2) * ldA, ldA);
      taup[i] = tp;
      e[i] = A[aij]!;
      A[aij] = 1;
      larf('R', m - i - 1, n - i - 1, A, aij, ldA, tp, A, aij + 1, ldA, work);
      A[aij] = e[i]!;
    } else {
      taup[i] = 0;
    }
  }
}

/**
 * Reduce the first nb rows and columns of the m x n A (m >= n > nb) to bidiagonal form
 * and return the matrices X (m x nb, ldX) and Y (n x nb, ldY) such that the trailing
 * matrix is updated as A := A - V Y^T - X U^T, V and U holding the reflectors (LAPACK
 * dlabrd). Every panel step is a handful of gemv calls on the not-yet-updated trailing
 * matrix, corrected by the accumulated V, U, X, Y. The two products with the trailing
 * matrix, which stream it from memory and are half of the reduction's time, are shared out
 * among the threads (src/kernels/gemv-parallel.ts: bit-identical for any thread count).
 */
export function labrd(
  m: number, n: number, nb: number, A: Float64Array, offA: number, ldA: number,
  d: Float64Array, e: Float64Array, tauq: Float64Array, taup: Float64Array,
  X: Float64Array, ldX: number, Y: Float64Array, ldY: number, row: Float64Array, xrow: Float64Array,
  work: Float64Array,
): void {
  const k = kernels();
  const a = (r: number, c: number): number => offA + r + c * ldA;
  // Row i of A and of X are gathered into contiguous vectors `row` (n) and `xrow` (nb),
  // workspace arrays: the kernels' transposed gemv is several times slower with a strided x.
  for (let i = 0; i < nb; i++) {
    // Update column i: A(i:m, i) -= V Y(i, 0:i)^T + X(i:m, 0:i) U(0:i, i).
    k.gemv(false, m - i, i, -1, A, a(i, 0), ldA, Y, i, ldY, 1, A, a(i, i), 1);
    gemvParallel(false, m - i, i, -1, X, i, ldX, A, a(0, i), 1, A, a(i, i));
    const tq = larfg(m - i, A, a(i, i), a(Math.min(i + 1, m - 1), i), 1);
    tauq[i] = tq;
    d[i] = A[a(i, i)]!;
    if (i >= n - 1) continue;
    A[a(i, i)] = 1;
    // Y(i+1:n, i) = tauq (A^T v - Y V^T v - U^T X^T v), computed piecewise.
    const yi = i * ldY;
    gemvParts(true, m - i, n - i - 1, 1, A, a(i, i + 1), ldA, A, a(i, i), 0, Y, yi + i + 1, work);
    gemvParallel(true, m - i, i, 1, A, a(i, 0), ldA, A, a(i, i), 0, Y, yi);
    gemvParallel(false, n - i - 1, i, -1, Y, i + 1, ldY, Y, yi, 1, Y, yi + i + 1);
    gemvParallel(true, m - i, i, 1, X, i, ldX, A, a(i, i), 0, Y, yi);
    gemvParallel(true, i, n - i - 1, -1, A, a(0, i + 1), ldA, Y, yi, 1, Y, yi + i + 1);
    k.scal(n - i - 1, tq, Y, yi + i + 1, 1);
    // Update row i (in the contiguous copy):
    // A(i, i+1:n) -= Y(i+1:n, 0:i+1) A(i, 0:i+1)^T + U^T X(i, 0:i)^T.
    for (let j = 0; j < n; j++) row[j] = A[a(i, j)]!;
    for (let j = 0; j < i; j++) xrow[j] = X[i + j * ldX]!;
    gemvParallel(false, n - i - 1, i + 1, -1, Y, i + 1, ldY, row, 0, 1, row, i + 1);
    gemvParallel(true, i, n - i - 1, -1, A, a(0, i + 1), ldA, xrow, 0, 1, row, i + 1);
    const tp = larfg(n - i - 1, row, i + 1, Math.min(i + 2, n - 1), 1);
    taup[i] = tp;
    e[i] = row[i + 1]!;
    row[i + 1] = 1;
    for (let j = i + 1; j < n; j++) A[a(i, j)] = row[j]!;
    // X(i+1:m, i) = taup (A u - V Y^T u - X U u), computed piecewise (u = row[i+1:n]).
    const xi = i * ldX;
    gemvParts(false, m - i - 1, n - i - 1, 1, A, a(i + 1, i + 1), ldA, row, i + 1, 0, X, xi + i + 1, work);
    gemvParallel(true, n - i - 1, i + 1, 1, Y, i + 1, ldY, row, i + 1, 0, X, xi);
    gemvParallel(false, m - i - 1, i + 1, -1, A, a(i + 1, 0), ldA, X, xi, 1, X, xi + i + 1);
    gemvParallel(false, i, n - i - 1, 1, A, a(0, i + 1), ldA, row, i + 1, 0, X, xi);
    gemvParallel(false, m - i - 1, i, -1, X, i + 1, ldX, X, xi, 1, X, xi + i + 1);
    k.scal(m - i - 1, tp, X, xi + i + 1, 1);
  }
}

/**
 * Blocked bidiagonalization A = Q B P^T of the m x n A, m >= n, in place (LAPACK dgebrd).
 * On return d (n), e (n - 1) hold B, and A, tauq (n), taup (n) the reflectors of Q and P
 * (see the file comment). Cost 4 m n^2 - 4/3 n^3 flops, about half in gemm.
 */
export function gebrd(
  m: number, n: number, A: Float64Array, offA: number, ldA: number,
  d: Float64Array, e: Float64Array, tauq: Float64Array, taup: Float64Array, ws: Workspace,
): void {
  if (n === 0) return;
  check(m >= n, () => `gebrd: needs m >= n, got ${m} x ${n} (reduce the transpose instead)`);
  const nb = BRD_BLOCK;
  const k = kernels();
  let i = 0;
  if (n > BRD_CROSSOVER) {
    const X = ws.f64(m * nb);
    const Y = ws.f64(n * nb);
    const row = ws.f64(n);
    const xrow = ws.f64(nb);
    const work = ws.f64(gemvPartsWork(m));
    for (; i < n - BRD_CROSSOVER; i += nb) {
      const aii = offA + i + i * ldA;
      const mm = m - i;
      const nn = n - i;
      labrd(mm, nn, nb, A, aii, ldA, d.subarray(i), e.subarray(i), tauq.subarray(i), taup.subarray(i), X, m, Y, n, row, xrow, work);
      // Trailing update with the panel's reflectors: A22 -= V22 Y2^T + X2 U2.
      const a22 = aii + nb + nb * ldA;
      k.gemm(false, true, mm - nb, nn - nb, nb, -1, A, aii + nb, ldA, Y, nb, n, 1, A, a22, ldA);
      k.gemm(false, false, mm - nb, nn - nb, nb, -1, X, nb, m, A, aii + nb * ldA, ldA, 1, A, a22, ldA);
      // labrd left the unit entries of the reflectors in place of d and e.
      for (let j = i; j < i + nb; j++) {
        A[offA + j + j * ldA] = d[j]!;
        A[offA + j + (j + 1) * ldA] = e[j]!;
      }
    }
  }
  const work = ws.f64(Math.max(m, n));
  gebd2(m - i, n - i, A, offA + i + i * ldA, ldA, d.subarray(i), e.subarray(i), tauq.subarray(i), taup.subarray(i), work);
}

/**
 * C := Q C for the m x nc matrix C, Q = H_0 ... H_{k-1} from {@link gebrd} (or any
 * QR-style reflectors stored below the diagonal of A) (LAPACK dormbr VECT='Q', SIDE='L',
 * TRANS='N'). Blocks of NB reflectors are applied last to first, each as a block
 * reflector (larft + larfb: three gemm calls). Cost about 4 m nc k - 2 nc k^2 flops.
 */
export function applyQ(
  m: number, nc: number, k: number, A: Float64Array, offA: number, ldA: number, tauq: Float64Array,
  C: Float64Array, offC: number, ldC: number, ws: Workspace,
): void {
  if (m === 0 || nc === 0 || k === 0) return;
  const nb = BRD_BLOCK;
  const V = ws.f64(m * nb);
  const T = ws.f64(nb * nb);
  const work = ws.f64(2 * nb * nc);
  for (let j = Math.floor((k - 1) / nb) * nb; j >= 0; j -= nb) {
    const jb = Math.min(nb, k - j);
    const mq = m - j;
    explicitV(mq, jb, A, offA + j + j * ldA, ldA, V, 0, mq);
    larft(mq, jb, V, 0, mq, tauq.subarray(j, j + jb), T, 0, jb);
    larfb('L', false, mq, nc, jb, V, 0, mq, T, 0, jb, C, offC + j, ldC, work);
  }
}

/**
 * C := C P^T for the nr x n matrix C, P = G_0 ... G_{n-2} from {@link gebrd} (row
 * reflectors of the n-column A) (LAPACK dormbr VECT='P', SIDE='R', TRANS='T').
 * P^T = B_last^T ... B_0^T for the blocks B_b of NB reflectors, so blocks are applied last
 * to first, transposed. Cost about 2 nr n^2 flops, in gemm.
 */
export function applyPT(
  nr: number, n: number, A: Float64Array, offA: number, ldA: number, taup: Float64Array,
  C: Float64Array, offC: number, ldC: number, ws: Workspace,
): void {
  const k = n - 1;
  if (nr === 0 || k <= 0) return;
  const nb = BRD_BLOCK;
  const V = ws.f64(k * nb);
  const T = ws.f64(nb * nb);
  const work = ws.f64(2 * nb * nr);
  for (let j = Math.floor((k - 1) / nb) * nb; j >= 0; j -= nb) {
    const jb = Math.min(nb, k - j);
    const nq = k - j; // G_j .. act on columns j+1 .. n-1
    // Explicit column form of the row-stored vectors: V(r, t) = A(j+t, j+1+r), unit diagonal.
    for (let t = 0; t < jb; t++) {
      const v = t * nq;
      const row = offA + j + t;
      for (let r = 0; r < t; r++) V[v + r] = 0;
      V[v + t] = 1;
      for (let r = t + 1; r < nq; r++) V[v + r] = A[row + (j + 1 + r) * ldA]!;
    }
    larft(nq, jb, V, 0, nq, taup.subarray(j, j + jb), T, 0, jb);
    larfb('R', true, nr, nq, jb, V, 0, nq, T, 0, jb, C, offC + (j + 1) * ldC, ldC, work);
  }
}
