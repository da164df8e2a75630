/**
 * One step of TT-SVD (Oseledets 2011, Algorithm 1): the truncated SVD of an unfolding
 * A = U S V^T (C-order m x N), keeping the left factor U_r as the next core and writing
 * C = S_r V_r^T = U_r^T A, the matrix the next step unfolds, over A's first r rows (in place
 * in the work array) or, on the first step, into the work array while A (the tensor) is
 * only read. Nothing else of the size of A is allocated: A is read a chunk of columns at a
 * time.
 *
 * The unfoldings of TT-SVD are very wide (m = r_{k-1} n_k rows against N = n_{k+1} ... n_d
 * columns), and what is needed is U_r and U_r^T A, never V. The cheapest exact route is the
 * m x m Gram matrix G = A A^T (one syrk pass over A, m^2 N flops) and its eigendecomposition
 * G = U diag(s^2) U^T; then C = U_r^T A is one more pass (2 r m N flops). numpy's
 * `np.linalg.svd(A, full_matrices=False)` (LAPACK dgesdd: an LQ factorization, Q formed
 * explicitly, V^T = V_L^T Q) costs about 6 m^2 N flops and writes an m x N V^T.
 *
 * Accuracy. Forming G squares the singular values: an eigenvalue of the computed G carries
 * an absolute error of about eps ||A||_F^2 (measured: 0.05 to 0.5 eps ||A||_F^2 each), so
 * squared singular values below nu = m eps ||A||_F^2 are noise, and an eigenvector whose
 * eigenvalue is only moderately above it leaks about nu / s_i of A's norm into the
 * discarded directions. The truncation compares sums of discarded s_i^2 with delta^2, so:
 *
 * - when delta^2 >= SAFE nu (eps above about 1e-6 for the first unfoldings) the Gram
 *   eigenvalues decide the rank, with a margin of MARGIN nu (several times the measured
 *   noise), so that the noise cannot push the discarded energy over delta^2; the discarded
 *   energy is then measured directly (the energy of A along the dropped eigenvectors, or
 *   ||A - U_r C||_F^2), chunk by chunk while C is formed, and the kept singular values are
 *   the row norms of C (Rayleigh quotients of the exact G: errors second order in the
 *   eigenvectors' errors);
 * - otherwise the QR route: R of A^T by a sequential TSQR (Householder QR of [R; next block],
 *   block after block, reading A only), then the SVD of the m x m R^T, whose singular values
 *   are A's to about eps ||A|| as from an SVD of A itself (about 2 m^2 N flops of level-2/3
 *   Householder work: several times the Gram route, still less than dgesdd's 6 m^2 N).
 *
 * Tall unfoldings (m > N, at the end of a train) go to the dense SVD (dgesdd's algorithm).
 * @internal
 */
import { activeWasm, kernels } from '../../kernels/index.js';
import { eigh } from '../../linalg/eigh.js';
import { PRECISION } from '../../linalg/lapack/machine.js';
import { geqrf } from '../../linalg/lapack/geqrf.js';
import { withWorkspace, type Workspace } from '../../kernels/workspace.js';
import { svd } from '../../linalg/svd.js';
import { Matrix } from '../../matrix/matrix.js';
import { truncationRank, viewC } from './tt-dense.js';

/**
 * The Gram route is taken when delta^2 >= SAFE nu; its rank keeps a margin of MARGIN nu. The
 * measured noise of the discarded eigenvalues' sum is about 0.07 nu (0.45 eps ||A||^2 for
 * m = 8, 5 eps ||A||^2 for m = 64, 34 eps ||A||^2 for m = 512), so the margin covers it
 * about 7 times, and costs at most 1/8 of delta^2.
 */
const SAFE = 4;
const MARGIN = 0.5;
/** Bytes of the scratch blocks of the column-chunked passes. */
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
  /** ||A||_F^2 (from the Gram matrix's trace or R; only measured when `threshold` was relative). */
  norm2: number;
  /** Which computation ran: 'gram', 'qr' (TSQR, for small eps) or 'svd' (tall unfoldings). */
  route: 'gram' | 'qr' | 'svd';
}

/**
 * The truncation threshold: delta^2 with an estimate of ||A||_F^2 (later steps), or
 * delta^2 / ||A||_F^2 (the first step, which measures the norm itself).
 */
export type Threshold = { delta2: number; norm2: number } | { relative: number };

/**
 * Thrown by the first step when ||A||^2 is not finite or is outside [2^-900, 2^900] (0
 * included): the caller then checks the entries and scales a copy (the Gram matrix would
 * overflow or lose the small entries). @internal
 */
export class NeedsScaling extends Error {}

/**
 * Truncate the C-order m x N unfolding A = src[off : off + m N]: the smallest rank r whose
 * discarded singular values have sqrt(sum s_i^2) <= delta, capped at `cap`; C = U_r^T A is
 * written to dst(r)[0 : r N] (which may be `src` itself, with off 0: then in place). Arrays
 * in the kernels' memory (Workspace arrays) are used by the kernels without copies; others
 * are read a column chunk at a time.
 */
export function truncateUnfolding(
  src: Float64Array, off: number, m: number, N: number, threshold: Threshold, cap: number,
  dst: (rank: number) => Float64Array, ws: Workspace,
): UnfoldingStep {
  if (N < m) return tallStep(src, off, m, N, threshold, cap, dst);
  // delta^2 / ||A||^2 against the Gram eigenvalues' relative noise level m eps.
  const ratio = 'relative' in threshold ? threshold.relative : threshold.norm2 === 0 ? Infinity : threshold.delta2 / threshold.norm2;
  if (ratio >= SAFE * m * PRECISION) {
    const G = gram(src, off, m, N, ws);
    let norm2 = 0;
    for (let i = 0; i < m; i++) norm2 += G[i + i * m]!;
    const delta2 = errorBudget(norm2, threshold);
    const nu = m * PRECISION * norm2;
    const { lambda, V } = eighDescending(G, m);
    const { rank, discarded } = truncationRank(lambda, delta2 - MARGIN * nu, cap);
    const Ur = V.subarray(0, m * rank); // columns of the descending eigenvectors
    // The discarded energy measured directly, ||A - U_r C||_F^2, when the eigenvalues'
    // noise could be a visible part of it (it is then exact to rounding).
    // With few directions dropped, the residual is the energy of A along them, V_perp^T A
    // (one product with all of V); else A - U_r C per chunk.
    const measure = discarded < 1e6 * nu;
    const out = dst(rank);
    const residual = !measure ? project(src, off, out, N, m, V, rank, rank, ws, 'none')
      : m <= 2 * rank ? project(src, off, out, N, m, V, m, rank, ws, 'tail')
      : project(src, off, out, N, m, V, rank, rank, ws, 'difference');
    return { U: colMajorToC(Ur, m, rank), s: rowNorms(out, N, rank), rank, discarded: measure ? residual : discarded, norm2, route: 'gram' };
  }
  // QR route: R of A^T by TSQR (backward stable), then the SVD of R^T gives A's singular
  // values to eps ||A|| and its left singular vectors.
  const R = tsqrR(src, off, m, N, ws);
  const f = svd(new Matrix(R, m, m).T);
  const { rank, discarded, norm2 } = truncateSpectrum(f.s, threshold, cap);
  const Ur = new Float64Array(m * rank); // column-major
  for (let a = 0; a < rank; a++) for (let i = 0; i < m; i++) Ur[i + a * m] = f.U.get(i, a);
  project(src, off, dst(rank), N, m, Ur, rank, rank, ws, 'none');
  return { U: colMajorToC(Ur, m, rank), s: Float64Array.from(f.s.subarray(0, rank)), rank, discarded, norm2, route: 'qr' };
}

/**
 * On the first step, a norm the Gram matrix cannot take (NaN, overflow, underflow -- a zero
 * too, which may be underflow) is the caller's to handle.
 */
function checkNorm(norm2: number, threshold: Threshold): void {
  if ('relative' in threshold && !(norm2 >= 2 ** -900 && norm2 <= 2 ** 900)) throw new NeedsScaling();
}

/** delta^2, the squared error a step may discard, for an unfolding of squared norm `norm2` (checked by {@link checkNorm}). */
function errorBudget(norm2: number, threshold: Threshold): number {
  checkNorm(norm2, threshold);
  return 'relative' in threshold ? threshold.relative * norm2 : threshold.delta2;
}

/** From singular values `s` of the unfolding: ||A||_F^2 (their sum of squares) and the rank the threshold and cap allow. */
function truncateSpectrum(s: ArrayLike<number>, threshold: Threshold, cap: number): { rank: number; discarded: number; norm2: number } {
  const energies = new Float64Array(s.length);
  let norm2 = 0;
  for (let i = 0; i < s.length; i++) {
    energies[i] = s[i]! * s[i]!;
    norm2 += energies[i]!;
  }
  return { ...truncationRank(energies, errorBudget(norm2, threshold), cap), norm2 };
}

/**
 * G = A A^T (m x m, lower triangle, column-major) for A = src[off ..] (C-order m x N, i.e.
 * the column-major N x m X = A^T with ld N, so G = X^T X: one syrk). An array outside the
 * kernels' memory is taken a column chunk at a time, so the kernels copy one chunk, never A.
 */
function gram(src: Float64Array, off: number, m: number, N: number, ws: Workspace): Float64Array {
  const G = ws.alloc('float64', m * m) as Float64Array;
  const K = kernels();
  const b = resident(src) ? N : Math.max(64, Math.floor(CHUNK_BYTES / 8 / m));
  for (let j0 = 0; j0 < N; j0 += b) K.syrk('L', true, m, Math.min(b, N - j0), 1, src, off + j0, N, j0 === 0 ? 0 : 1, G, 0, m);
  return G;
}

/** Whether the kernels use `a` in place (it lives in their memory); always true on the TypeScript backend. */
function resident(a: Float64Array): boolean {
  const w = activeWasm();
  return w === undefined || w.heap.owns(a);
}

/**
 * The m x m upper-triangular R of A^T = Q R (A = src[off ..], C-order m x N, i.e. the
 * column-major N x m X = A^T), column-major: TSQR (Demmel, Grigori, Hoemmen & Langou 2012)
 * in its sequential form -- Householder QR (geqrf) of [R; next block of rows of X], block
 * after block -- so X is only read, and the scratch is one (m + b) x m block.
 */
function tsqrR(src: Float64Array, off: number, m: number, N: number, ws: Workspace): Float64Array {
  const b = Math.min(N, Math.max(8 * m, 2048));
  const ld = m + b;
  const Q = ws.alloc('float64', ld * m) as Float64Array;
  const tau = ws.alloc('float64', m) as Float64Array;
  for (let j0 = 0; j0 < N; j0 += b) {
    const bj = Math.min(b, N - j0);
    // Rows 0..m-1: the R so far (zero at first); rows m..: X[j0 .. j0 + bj) (column i of X is row i of A).
    for (let i = 0; i < m; i++) Q.set(src.subarray(off + i * N + j0, off + i * N + j0 + bj), i * ld + m);
    withWorkspace((w2) => geqrf(m + bj, m, Q, 0, ld, tau, w2));
    for (let c = 0; c < m; c++) Q.fill(0, c * ld + c + 1, c * ld + m);
  }
  const R = new Float64Array(m * m);
  for (let c = 0; c < m; c++) for (let i = 0; i <= c; i++) R[i + c * m] = Q[i + c * ld]!;
  return R;
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
 * C = V_k^T A (k x N, C order) into dst[0 : k N], for A = src[off ..] (C-order m x N) and
 * the first k of the `cols` columns of V (m x cols, column-major), a chunk of columns of A
 * at a time: each chunk's product goes to scratch, then into dst. dst may be src (off 0):
 * each chunk then overwrites only the rows of the columns it was just computed from.
 *
 * Returns the energy left out, ||A - V_k V_k^T A||_F^2, computed from each chunk (exact to
 * rounding), or 0 with `residual` 'none': with 'tail' (V square and orthogonal) as the
 * energy of the products with V's other columns, ||V_perp^T A||^2; with 'difference' as
 * ||A - V_k C||^2 from a copy of the chunk.
 */
function project(
  src: Float64Array, off: number, dst: Float64Array, N: number, m: number, V: Float64Array, cols: number, k: number,
  ws: Workspace, residual: 'none' | 'tail' | 'difference',
): number {
  const b = Math.max(64, Math.min(N, Math.floor(CHUNK_BYTES / 8 / Math.max(cols, m))));
  const tmp = ws.alloc('float64', b * cols, false) as Float64Array;
  const Vw = ws.alloc('float64', m * cols, false) as Float64Array;
  Vw.set(V.subarray(0, m * cols));
  // A's chunk is used in place when the kernels can, else copied here (and kept for the difference).
  const copy = residual === 'difference' || !resident(src);
  const X = copy ? (ws.alloc('float64', b * m, false) as Float64Array) : undefined;
  const K = kernels();
  let energy = 0;
  for (let j0 = 0; j0 < N; j0 += b) {
    const bj = Math.min(b, N - j0);
    // Columns j0.. of A, as the column-major bj x m block at off + j0 (ld N), or its copy.
    if (X) {
      for (let i = 0; i < m; i++) X.set(src.subarray(off + i * N + j0, off + i * N + j0 + bj), i * bj);
      K.gemm(false, false, bj, cols, m, 1, X, 0, bj, Vw, 0, m, 0, tmp, 0, bj);
    } else {
      K.gemm(false, false, bj, cols, m, 1, src, off + j0, N, Vw, 0, m, 0, tmp, 0, bj);
    }
    // Values are scaled (||A||^2 <= 2^900): plain sums of squares cannot overflow.
    if (residual === 'tail') energy += K.dot(bj * (cols - k), tmp, bj * k, 1, tmp, bj * k, 1);
    if (residual === 'difference') {
      // The chunk minus its projection: X - tmp V_k^T (bj x m).
      K.gemm(false, true, bj, m, k, -1, tmp, 0, bj, Vw, 0, m, 1, X!, 0, bj);
      energy += K.dot(bj * m, X!, 0, 1, X!, 0, 1);
    }
    for (let a = 0; a < k; a++) dst.set(tmp.subarray(a * bj, (a + 1) * bj), a * N + j0);
  }
  return energy;
}

/** The 2-norms of rows 0 .. r-1 of W (rows of length N): the singular values kept, as ||U_r^T A|| row by row. */
function rowNorms(W: Float64Array, N: number, r: number): Float64Array {
  const s = new Float64Array(r);
  // Values are scaled (||A||^2 <= 2^900): plain sums of squares cannot overflow.
  for (let a = 0; a < r; a++) s[a] = N === 0 ? 0 : Math.sqrt(kernels().dot(N, W, a * N, 1, W, a * N, 1));
  return s;
}

/** The dense route for tall unfoldings (m > N): A = U S V^T, C = S_r V_r^T. */
function tallStep(src: Float64Array, off: number, m: number, N: number, threshold: Threshold, cap: number, dst: (rank: number) => Float64Array): UnfoldingStep {
  const f = svd(viewC(src, m, N, off));
  const { rank, discarded, norm2 } = truncateSpectrum(f.s, threshold, cap);
  const out = dst(rank);
  for (let a = 0; a < rank; a++) {
    const sa = f.s[a]!;
    for (let j = 0; j < N; j++) out[a * N + j] = sa * f.Vt.get(a, j);
  }
  const U = new Float64Array(m * rank);
  for (let i = 0; i < m; i++) for (let a = 0; a < rank; a++) U[i * rank + a] = f.U.get(i, a);
  return { U, s: Float64Array.from(f.s.subarray(0, rank)), rank, discarded, norm2, route: 'svd' };
}

function colMajorToC(M: Float64Array, m: number, k: number): Float64Array {
  const out = new Float64Array(m * k);
  for (let i = 0; i < m; i++) for (let a = 0; a < k; a++) out[i * k + a] = M[i + a * m]!;
  return out;
}
