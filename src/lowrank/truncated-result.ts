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

/**
 * The result of `truncatedSvd`, `randomizedSvd` and `lanczosSvd`: the rank-k
 * factors U diag(s) Vt plus how they were computed. (Not to be confused with the
 * `TruncatedSVD` estimator, which fits such a result to data and transforms new rows.)
 */
export class TruncatedSvdResult extends LowRank {
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
 * scikit-learn's `svd_flip(U, Vt, u_based_decision=False)`: in each row of Vt the entry of
 * largest magnitude (the first on ties) becomes positive, and the matching column of U (if
 * given) flips with it. Vt (k x n) and U (m x k) are changed in place; any strides (so
 * transposed views work). O(k (m + n)).
 */
export function flipByRows(Vt: Matrix, U?: Matrix): void {
  for (let r = 0; r < Vt.rows; r++) {
    let best = -1;
    let sign = 1;
    for (let j = 0; j < Vt.cols; j++) {
      const v = Vt.get(r, j);
      if (Math.abs(v) > best) {
        best = Math.abs(v);
        sign = v < 0 ? -1 : 1;
      }
    }
    if (sign > 0) continue;
    for (let j = 0; j < Vt.cols; j++) Vt.set(r, j, -Vt.get(r, j));
    if (U !== undefined) for (let i = 0; i < U.rows; i++) U.set(i, r, -U.get(i, r));
  }
}

/**
 * Make each singular pair's sign deterministic: the entry of largest magnitude of each
 * column of U (the first one on ties) becomes positive, and the matching row of Vt flips
 * with it (scikit-learn's `svd_flip` on U; randomized_svd applies it to the caller's U
 * whatever the orientation it worked in): {@link flipByRows} on the transposes. O(k (m + n)).
 */
export function flipSigns(U: Matrix, Vt: Matrix): void {
  flipByRows(U.T, Vt.T);
}
