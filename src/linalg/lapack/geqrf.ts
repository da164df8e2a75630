/**
 * Householder QR, A = Q R (LAPACK dgeqrf / dgeqr2), with Q kept as reflectors below the
 * diagonal plus `tau`; generating Q explicitly (dorgqr) and applying it (dormqr).
 *
 * Blocked: each panel of NB columns is factored with level-2 reflectors, its reflectors
 * are gathered into compact WY form I - V T V^T (larft) and applied to the trailing
 * columns with three gemm calls (larfb), so 1 - O(NB/n) of the flops run in gemm.
 */
import type { FloatArray } from '../../matrix/dtype.js';
import { explicitV, larf, larfb, larfg, larft } from './householder.js';
import type { Workspace } from '../../kernels/workspace.js';
import { geqr2Kernel } from '../../kernels/householder.js';

/** Panel width: wide enough for efficient gemm, narrow enough that the level-2 panel is cheap. */
export const QR_BLOCK = 32;

/**
 * Unblocked QR of the m x n A (LAPACK dgeqr2): tau[offTau + i] for i < min(m, n).
 * `work` needs n elements.
 */
export function geqr2(m: number, n: number, A: FloatArray, offA: number, ldA: number, tau: FloatArray, offTau: number, work: FloatArray): void {
  // One WASM call on the WASM backends (src/kernels/householder.ts: the same operations).
  if (!geqr2Kernel(m, n, A, offA, ldA, tau, offTau, work)) geqr2Loop(m, n, A, offA, ldA, tau, offTau, work);
}

/**
 * {@link geqr2} as a TypeScript loop of level-1/2 kernel calls (the JS backend, float32, and
 * arrays outside WASM memory).
 * @internal Exported for the test that the WASM kernel matches it bit for bit.
 */
export function geqr2Loop(m: number, n: number, A: FloatArray, offA: number, ldA: number, tau: FloatArray, offTau: number, work: FloatArray): void {
  const k = Math.min(m, n);
  for (let i = 0; i < k; i++) {
    const aii = offA + i + i * ldA;
    const t = larfg(m - i, A, aii, aii + 1, 1);
    tau[offTau + i] = t;
    if (i < n - 1 && t !== 0) {
      const d = A[aii]!;
      A[aii] = 1;
      larf('L', m - i, n - i - 1, A, aii, 1, t, A, aii + ldA, ldA, work);
      A[aii] = d;
    }
  }
}

/** Blocked QR of the m x n A in place (LAPACK dgeqrf); tau gets min(m, n) scalars. */
export function geqrf(m: number, n: number, A: FloatArray, offA: number, ldA: number, tau: FloatArray, ws: Workspace): void {
  const k = Math.min(m, n);
  if (k === 0) return;
  const nb = QR_BLOCK;
  const V = ws.like(A, m * nb);
  const T = ws.like(A, nb * nb);
  const work = ws.like(A, Math.max(2 * nb * n, n));
  for (let j = 0; j < k; j += nb) {
    const jb = Math.min(nb, k - j);
    const ajj = offA + j + j * ldA;
    geqr2(m - j, jb, A, ajj, ldA, tau, j, work);
    const rest = n - j - jb;
    if (rest > 0) {
      explicitV(m - j, jb, A, ajj, ldA, V, 0, m - j);
      larft(m - j, jb, V, 0, m - j, tau.subarray(j, j + jb), T, 0, jb);
      larfb('L', true, m - j, rest, jb, V, 0, m - j, T, 0, jb, A, ajj + jb * ldA, ldA, work);
    }
  }
}

/**
 * Overwrite the m x n Q (n <= m columns wanted) with the first n columns of
 * Q = H_0 H_1 ... H_{k-1}, the reflectors stored in A/tau by {@link geqrf} (LAPACK dorgqr).
 * Q and A may be the same array (then A's reflectors are consumed); blocks are applied last
 * to first to an identity, touching only the rows and columns they can change.
 */
export function orgqr(
  m: number, n: number, k: number, A: FloatArray, offA: number, ldA: number, tau: FloatArray,
  Q: FloatArray, offQ: number, ldQ: number, ws: Workspace,
): void {
  if (n === 0) return;
  const nb = QR_BLOCK;
  const V = ws.like(A, m * nb);
  const T = ws.like(A, nb * nb);
  const work = ws.like(A, 2 * nb * n);
  const nblocks = Math.ceil(k / nb);
  // Q = H_0 ... H_{k-1} I, applied block by block from the last. Columns >= k start as
  // identity columns; each block's columns are reset to identity columns just before the
  // block is applied (when Q aliases A, after its V has been copied out).
  for (let j = k; j < n; j++) {
    const c = offQ + j * ldQ;
    Q.fill(0, c, c + m);
    if (j < m) Q[c + j] = 1;
  }
  for (let b = nblocks - 1; b >= 0; b--) {
    const j = b * nb;
    const jb = Math.min(nb, k - j);
    explicitV(m - j, jb, A, offA + j + j * ldA, ldA, V, 0, m - j);
    larft(m - j, jb, V, 0, m - j, tau.subarray(j, j + jb), T, 0, jb);
    // Rows < j of columns >= j stay zero until earlier blocks fill them.
    for (let c = j; c < j + jb; c++) {
      const col = offQ + c * ldQ;
      Q.fill(0, col, col + m);
      Q[col + c] = 1;
    }
    larfb('L', false, m - j, n - j, jb, V, 0, m - j, T, 0, jb, Q, offQ + j + j * ldQ, ldQ, work);
  }
}

/**
 * C := Q C or Q^T C (side 'L', C m x n), or C Q / C Q^T (side 'R', C m x n), with Q the
 * product of the k reflectors from {@link geqrf} stored in A (LAPACK dormqr).
 */
export function ormqr(
  side: 'L' | 'R', trans: boolean, m: number, n: number, k: number, A: FloatArray, offA: number, ldA: number,
  tau: FloatArray, C: FloatArray, offC: number, ldC: number, ws: Workspace,
): void {
  if (m === 0 || n === 0 || k === 0) return;
  const nb = QR_BLOCK;
  const nq = side === 'L' ? m : n;
  const V = ws.like(A, nq * nb);
  const T = ws.like(A, nb * nb);
  const work = ws.like(A, 2 * nb * Math.max(m, n));
  const nblocks = Math.ceil(k / nb);
  // Q = H_0 ... H_{k-1}. Q^T C and C Q apply block 0 first; Q C and C Q^T apply it last.
  const forward = side === 'L' ? trans : !trans;
  for (let s = 0; s < nblocks; s++) {
    const b = forward ? s : nblocks - 1 - s;
    const j = b * nb;
    const jb = Math.min(nb, k - j);
    explicitV(nq - j, jb, A, offA + j + j * ldA, ldA, V, 0, nq - j);
    larft(nq - j, jb, V, 0, nq - j, tau.subarray(j, j + jb), T, 0, jb);
    if (side === 'L') larfb('L', trans, m - j, n, jb, V, 0, m - j, T, 0, jb, C, offC + j, ldC, work);
    else larfb('R', trans, m, n - j, jb, V, 0, n - j, T, 0, jb, C, offC + j * ldC, ldC, work);
  }
}
