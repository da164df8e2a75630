/** QR factorizations: Householder (blocked), complete or economy, and column-pivoted. */
import { InvalidArgumentError } from '../errors.js';
import { epsOf } from '../matrix/dtype.js';
import type { Matrix } from '../matrix/matrix.js';
import { toMatrix, upperToMatrix, workCopy } from './lapack/dense.js';
import { geqp3 } from './lapack/geqp3.js';
import { geqrf, orgqr } from './lapack/geqrf.js';
import { withWorkspace } from './lapack/workspace.js';

/** Options of {@link qr}. */
export interface QrOptions {
  /**
   * 'reduced' (default, numpy's default): Q m x k, R k x n with k = min(m, n).
   * 'complete': Q m x m, R m x n.
   */
  mode?: 'reduced' | 'complete';
  /**
   * Column pivoting (rank-revealing): A[:, perm] = Q R with |R_00| >= |R_11| >= ...
   * Default false.
   */
  pivoting?: boolean;
  /**
   * With pivoting: the numerical rank counts |R_ii| > rcond * |R_00|.
   * Default max(m, n) * eps, as numpy.linalg.matrix_rank.
   */
  rcond?: number;
}

/** Result of {@link qr}. */
export interface Qr {
  /** Orthonormal columns (m x k, or m x m for 'complete'). */
  readonly Q: Matrix;
  /** Upper triangular (trapezoidal) factor. */
  readonly R: Matrix;
  /** With pivoting: column j of Q R is column perm[j] of A. Otherwise undefined. */
  readonly perm: Int32Array | undefined;
  /** With pivoting: numerical rank from R's diagonal. Otherwise undefined. */
  readonly rank: number | undefined;
}

/**
 * Householder QR, A = Q R (numpy.linalg.qr; LAPACK dgeqrf + dorgqr, blocked with compact
 * WY reflectors so most flops are gemm), or with `pivoting` the rank-revealing
 * A P = Q R (scipy.linalg.qr(pivoting=True); LAPACK dgeqp3's column-norm strategy,
 * unblocked). Works for any shape, including empty ones.
 * @throws NonFiniteInputError on NaN or Inf.
 * @example
 * const { Q, R } = qr(Matrix.random(5, 3, { seed: 1 }));   // Q 5x3, R 3x3
 */
export function qr(A: Matrix, options: QrOptions = {}): Qr {
  const mode = options.mode ?? 'reduced';
  if (mode !== 'reduced' && mode !== 'complete') throw new InvalidArgumentError(`qr: mode must be 'reduced' or 'complete', got '${String(mode)}'`);
  const m = A.rows;
  const n = A.cols;
  const k = Math.min(m, n);
  const qCols = mode === 'complete' ? m : k;
  const dtype = A.dtype;
  return withWorkspace((ws) => {
    const w = workCopy(A, 'qr', ws);
    const tau = ws.alloc(dtype, Math.max(k, 1));
    let perm: Int32Array | undefined;
    let rank: number | undefined;
    if (options.pivoting) {
      perm = new Int32Array(n);
      geqp3(m, n, w.a, 0, w.ld, perm, tau, ws.alloc(dtype, Math.max(n, 1)));
      const rcond = options.rcond ?? Math.max(m, n) * epsOf(dtype);
      const r00 = k > 0 ? Math.abs(w.a[0]!) : 0;
      rank = 0;
      while (rank < k && Math.abs(w.a[rank + rank * w.ld]!) > rcond * r00) rank++;
    } else {
      geqrf(m, n, w.a, 0, w.ld, tau, ws);
    }
    const R = upperToMatrix(w.a, 0, w.ld, mode === 'complete' ? m : k, n, dtype);
    const q = ws.alloc(dtype, Math.max(1, m) * qCols);
    orgqr(m, qCols, k, w.a, 0, w.ld, tau, q, 0, Math.max(1, m), ws);
    const Q = toMatrix(q, 0, Math.max(1, m), m, qCols, dtype);
    return { Q, R, perm, rank };
  });
}
