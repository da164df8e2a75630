/**
 * One step of TT-SVD (Oseledets 2011, Algorithm 1): the truncated SVD of an unfolding
 * A = U S V^T (C-order m x N, held in a work array), keeping the left factor U_r as the next
 * core and replacing A, in place, by C = S_r V_r^T = U_r^T A, the matrix the next step
 * unfolds. Nothing of the size of A is allocated: C overwrites A's first r rows.
 *
 * The unfoldings of TT-SVD are very wide (m = r_{k-1} n_k rows against N = n_{k+1} ... n_d
 * columns), and what is needed is U_r and U_r^T A, never V. The cheapest exact route is the
 * m x m Gram matrix G = A A^T (one syrk pass over A, m^2 N flops) and its eigendecomposition
 * G = U diag(s^2) U^T; then C = U_r^T A is one more pass (2 r m N flops). numpy's
 * `np.linalg.svd(A, full_matrices=False)` (LAPACK dgesdd: an LQ factorization, Q formed
 * explicitly, V^T = V_L^T Q) costs about 6 m^2 N flops and writes an m x N V^T.
 *
 * Accuracy. Forming G squares the singular values: an eigenvalue of the computed G carries
 * an absolute error of about eps tr(G) (measured: 0.05 to 0.5 eps tr(G) each), so squared
 * singular values below nu = m eps ||A||_F^2 are noise. The truncation compares sums of
 * discarded s_i^2 with delta^2, so:
 *
 * - when delta^2 >= SAFE nu the noise is < 1/SAFE of the threshold and the Gram
 *   eigenvalues decide the rank (noise counted as energy, so the error bound errs on the
 *   safe side);
 * - otherwise (small eps) a second Gram resolves the small part: with the eigenvalues
 *   clearly above the noise (lambda_i >= RESOLVED nu, accurate) split off, A is rotated,
 *   F = U^T A in place, and the remaining rows B (whose norm is that of the small singular
 *   values) get their own Gram B B^T, whose eigenvalues are accurate relative to ||B||^2,
 *   i.e. to about eps ||A||^2 in s_i^2 -- the accuracy of an SVD of A. The coupling between
 *   the two blocks is the eigensolver's residual, O(eps tr(G)), and moves the small
 *   eigenvalues by O((eps tr G)^2 / lambda_p), far below that.
 *
 * Tall unfoldings (m > N, at the end of a train) go to the dense SVD (dgesdd's algorithm).
 * @internal
 */
import { kernels } from '../../kernels/index.js';
import { eigh } from '../../linalg/eigh.js';
import { PRECISION } from '../../linalg/lapack/machine.js';
import type { Workspace } from '../../linalg/lapack/workspace.js';
import { svd } from '../../linalg/svd.js';
import { Matrix } from '../../matrix/matrix.js';
import { truncationRank, viewC } from './tt-dense.js';

/** Gram eigenvalues decide the rank alone when delta^2 >= SAFE m eps tr(G). */
const SAFE = 16;
/** Eigenvalues >= RESOLVED m eps tr(G) are kept from the first Gram in the two-stage route. */
const RESOLVED = 1e3;
/** Bytes of the scratch block of the in-place rotations (a column chunk of C^T). */
const CHUNK_BYTES = 4 << 20;

/** What one step keeps. */
export interface UnfoldingStep {
  /** U_r, m x r in C order, orthonormal columns: the core (r_{k-1} n_k) x r_k. */
  U: Float64Array;
  /** The r kept singular values, descending. */
  s: Float64Array;
  /** The rank r kept (>= 1). */
  rank: number;
  /** Sum of the squared discarded singular values. */
  discarded: number;
  /** Which computation ran: 'gram', 'gram2' (two-stage) or 'svd'. */
  route: 'gram' | 'gram2' | 'svd';
}

/**
 * Truncate the C-order m x N unfolding A = W[0 : m N]: the smallest rank r whose discarded
 * singular values have sqrt(sum s_i^2) <= sqrt(delta2), capped at `cap`; W[0 : r N] becomes
 * C = U_r^T A. `W` should live in the kernels' memory (a Workspace array) so that the
 * kernels use it in place.
 */
export function truncateUnfolding(W: Float64Array, m: number, N: number, delta2: number, cap: number, ws: Workspace): UnfoldingStep {
  if (N < m) return tallStep(W, m, N, delta2, cap);
  const G = ws.alloc('float64', m * m, false) as Float64Array;
  // A is C-order m x N, i.e. the column-major N x m X = A^T (ld N), and G = X^T X.
  kernels().syrk('L', true, m, N, 1, W, 0, N, 0, G, 0, m);
  let tr = 0;
  for (let i = 0; i < m; i++) tr += G[i + i * m]!;
  const { lambda, V } = eighDescending(G, m);
  const nu = m * PRECISION * tr;
  // Eigenvalues clearly above the noise: exact enough to keep from this Gram.
  let p = 0;
  while (p < m && lambda[p]! >= RESOLVED * nu) p++;
  if (delta2 >= SAFE * nu || p === m || cap <= p) {
    const { rank, discarded } = truncationRank(lambda, delta2, cap);
    const Ur = V.subarray(0, m * rank); // columns of the descending eigenvectors
    rotateRows(W, N, 0, m, Ur, rank, ws);
    return { U: colMajorToC(Ur, m, rank), s: sqrtOf(lambda, rank), rank, discarded, route: 'gram' };
  }
  // Two-stage: rotate all of A, F = V^T A (in place), and resolve the trailing rows B.
  rotateRows(W, N, 0, m, V, m, ws);
  const mt = m - p;
  const G2 = ws.alloc('float64', mt * mt, false) as Float64Array;
  kernels().syrk('L', true, mt, N, 1, W, p * N, N, 0, G2, 0, mt);
  const tail = eighDescending(G2, mt);
  const energies = new Float64Array(m);
  energies.set(lambda.subarray(0, p));
  energies.set(tail.lambda, p);
  const { rank, discarded } = truncationRank(energies, delta2, cap);
  const q = rank - p; // rank >= p: each of the first p energies exceeds delta2
  const U = new Float64Array(m * rank);
  const Vd = V;
  for (let i = 0; i < m; i++) for (let a = 0; a < p; a++) U[i * rank + a] = Vd[i + a * m]!;
  if (q > 0) {
    const Wq = tail.V.subarray(0, mt * q);
    rotateRows(W, N, p, mt, Wq, q, ws);
    // The new directions in A's row space: V_perp Wq (m x q).
    const VW = new Float64Array(m * q);
    kernels().gemm(false, false, m, q, mt, 1, Vd, p * m, m, Wq, 0, mt, 0, VW, 0, m);
    for (let i = 0; i < m; i++) for (let a = 0; a < q; a++) U[i * rank + p + a] = VW[i + a * m]!;
  }
  return { U, s: sqrtOf(energies, rank), rank, discarded, route: 'gram2' };
}

/** m x m symmetric G (lower triangle, column-major): eigenvalues and vectors, descending, vectors column-major. */
function eighDescending(G: Float64Array, m: number): { lambda: Float64Array; V: Float64Array } {
  const e = eigh(new Matrix(G, m, m));
  const lambda = new Float64Array(m);
  const V = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    const src = m - 1 - a;
    lambda[a] = e.w[src]!;
    for (let i = 0; i < m; i++) V[i + a * m] = e.V.get(i, src);
  }
  return { lambda, V };
}

/**
 * Rows [row0, row0 + k) of W (C order, rows of length N) := M^T times rows
 * [row0, row0 + m) (M m x k column-major, k <= m), in place, a chunk of columns at a time:
 * each chunk's product goes to scratch and then over the rows it was computed from.
 */
function rotateRows(W: Float64Array, N: number, row0: number, m: number, M: Float64Array, k: number, ws: Workspace): void {
  const b = Math.max(64, Math.min(N, Math.floor(CHUNK_BYTES / 8 / Math.max(k, m))));
  const tmp = ws.alloc('float64', b * k, false) as Float64Array;
  const Mw = ws.alloc('float64', m * k, false) as Float64Array;
  Mw.set(M.subarray(0, m * k));
  const base = row0 * N;
  for (let j0 = 0; j0 < N; j0 += b) {
    const bj = Math.min(b, N - j0);
    // Columns j0.. of the rows, as the column-major bj x m block at base + j0 (ld N).
    kernels().gemm(false, false, bj, k, m, 1, W, base + j0, N, Mw, 0, m, 0, tmp, 0, bj);
    for (let a = 0; a < k; a++) W.set(tmp.subarray(a * bj, (a + 1) * bj), base + a * N + j0);
  }
}

/** The dense route for tall unfoldings (m > N): A = U S V^T, C = S_r V_r^T. */
function tallStep(W: Float64Array, m: number, N: number, delta2: number, cap: number): UnfoldingStep {
  const f = svd(viewC(W, m, N));
  const k = f.s.length;
  const energies = new Float64Array(k);
  for (let i = 0; i < k; i++) energies[i] = f.s[i]! * f.s[i]!;
  const { rank, discarded } = truncationRank(energies, delta2, cap);
  for (let a = 0; a < rank; a++) {
    const sa = f.s[a]!;
    for (let j = 0; j < N; j++) W[a * N + j] = sa * f.Vt.get(a, j);
  }
  const U = new Float64Array(m * rank);
  for (let i = 0; i < m; i++) for (let a = 0; a < rank; a++) U[i * rank + a] = f.U.get(i, a);
  return { U, s: Float64Array.from(f.s.subarray(0, rank)), rank, discarded, route: 'svd' };
}

function colMajorToC(M: Float64Array, m: number, k: number): Float64Array {
  const out = new Float64Array(m * k);
  for (let i = 0; i < m; i++) for (let a = 0; a < k; a++) out[i * k + a] = M[i + a * m]!;
  return out;
}

function sqrtOf(e: Float64Array, r: number): Float64Array {
  const s = new Float64Array(r);
  for (let i = 0; i < r; i++) s[i] = Math.sqrt(Math.max(e[i]!, 0));
  return s;
}
