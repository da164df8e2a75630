/**
 * What the truncated SVD solvers share: their result type (a {@link LowRank} that also
 * carries diagnostics), the check of the requested rank, and the sign convention that makes
 * results reproducible across methods (scikit-learn's `svd_flip`).
 */
import { InvalidArgumentError } from '../errors.js';
import { Matrix } from '../matrix/matrix.js';
import { LowRank } from './low-rank.js';

/** Diagnostics of one truncated SVD. */
export interface TruncatedSvdInfo {
  /** Which algorithm ran. */
  readonly method: 'randomized' | 'lanczos';
  /** Products with A or A^T, counted in vectors (a block of p columns counts p). */
  readonly matvecs: number;
  /** True when the solver worked on A^T (inputs with more columns than rows). */
  readonly transposed: boolean;
  /** Randomized: power iterations run. */
  readonly powerIters?: number;
  /** Randomized: columns of the sketch (k + oversample, at most min(m, n)). */
  readonly sketchSize?: number;
  /** Randomized: normalizer used between power iterations. */
  readonly normalizer?: 'lu' | 'qr' | 'none';
  /** Lanczos: number of thick restarts. */
  readonly restarts?: number;
  /** Lanczos: size of the Krylov basis (ncv). */
  readonly ncv?: number;
  /**
   * Lanczos: residual norms ||A^T u_i - s_i v_i|| of the returned triplets (A v_i = s_i u_i
   * holds to rounding by construction), as estimated by the recurrence.
   */
  readonly residuals?: Float64Array;
  /** Lanczos: the tolerance met, relative to s_1. */
  readonly tol?: number;
}

/** A truncated SVD: the rank-k factors U diag(s) Vt plus how they were computed. */
export class TruncatedSvd extends LowRank {
  /** Diagnostics (method, products, iterations, residuals). */
  readonly info: TruncatedSvdInfo;

  /**
   * Wrap factors computed by a truncated solver (shared, not copied).
   * @param U - m x k left singular vectors.
   * @param s - k singular values, descending.
   * @param Vt - k x n right singular vectors, as rows.
   * @param info - how they were computed.
   * @throws ShapeError when the shapes do not fit together.
   */
  constructor(U: Matrix, s: ArrayLike<number>, Vt: Matrix, info: TruncatedSvdInfo) {
    super(U, s, Vt);
    this.info = info;
  }
}

/**
 * Check the number of requested triplets.
 * @throws InvalidArgumentError unless k is an integer with 1 <= k <= min(m, n).
 */
export function checkRank(k: number, m: number, n: number, routine: string): void {
  const kmax = Math.min(m, n);
  if (kmax === 0) throw new InvalidArgumentError(`${routine}: the matrix is ${m}x${n}; a truncated SVD needs at least one row and one column`);
  if (!(Number.isInteger(k) && k >= 1 && k <= kmax)) {
    throw new InvalidArgumentError(`${routine}: k must be an integer in [1, ${kmax}] (min(rows, cols) of a ${m}x${n} matrix), got ${k}`);
  }
}

/** Check an integer option: `value` must be an integer >= `min`. */
export function checkInteger(value: number, min: number, routine: string, name: string): void {
  if (!(Number.isInteger(value) && value >= min)) {
    throw new InvalidArgumentError(`${routine}: ${name} must be an integer >= ${min}, got ${value}`);
  }
}

/**
 * Make each singular pair's sign deterministic: the entry of largest magnitude of each
 * column of U (the first one on ties) becomes positive, and the matching row of Vt flips
 * with it (scikit-learn's `svd_flip` on U; randomized_svd applies it to the caller's U
 * whatever the orientation it worked in). U (m x k) and Vt (k x n) must be compact
 * column-major; both are changed in place. O(k (m + n)).
 */
export function flipSigns(U: Matrix, Vt: Matrix): void {
  const m = U.rows;
  const k = U.cols;
  const u = U.data;
  const v = Vt.data;
  const n = Vt.cols;
  for (let j = 0; j < k; j++) {
    let best = -1;
    let sign = 1;
    const c = U.offset + j * U.colStride;
    for (let i = 0; i < m; i++) {
      const a = u[c + i]!;
      if (Math.abs(a) > best) {
        best = Math.abs(a);
        sign = a < 0 ? -1 : 1;
      }
    }
    if (sign > 0) continue;
    for (let i = 0; i < m; i++) u[c + i] = -u[c + i]!;
    for (let t = 0; t < n; t++) {
      const idx = Vt.offset + j * Vt.rowStride + t * Vt.colStride;
      v[idx] = -v[idx]!;
    }
  }
}
