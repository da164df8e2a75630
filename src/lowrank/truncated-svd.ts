/**
 * `truncatedSvd(A, k)`: the top-k singular triplets by whichever of the two truncated
 * solvers suits the input (the role of scipy's `svds` and scikit-learn's `TruncatedSVD`).
 */
import { InvalidArgumentError } from '../errors.js';
import { runSteps, type FitSteps } from '../fit-async.js';
import { Matrix } from '../matrix/matrix.js';
import { TRUNCATED_SVD_METHODS } from '../options.js';
import type { RandomState } from '../random.js';
import type { LongTaskOptions } from '../progress.js';
import { lanczosSvdSteps, type lanczosSvd } from './lanczos-svd.js';
import type { MatrixLike } from './operator.js';
import { randomizedSvdSteps, type PowerNormalizer, type randomizedSvd } from './randomized-svd.js';
import type { TruncatedSvdResult } from './truncated-result.js';

/** Which truncated solver runs (one of {@link TRUNCATED_SVD_METHODS}). */
export type TruncatedSvdMethod = (typeof TRUNCATED_SVD_METHODS)[number];

/** Options of {@link truncatedSvd}: the method plus the options of both solvers. */
export interface TruncatedSvdOptions extends LongTaskOptions {
  /** Solver; default 'auto' (see {@link chooseTruncatedSvdMethod}). */
  method?: TruncatedSvdMethod;
  /** Seed of the random start (test matrix or start vector); default 0. */
  seed?: RandomState;
  /** Lanczos: residual tolerance relative to s_1 (default 1e-10; 1e-5 for float32). Passing it makes 'auto' choose Lanczos. */
  tol?: number;
  /** Lanczos: Krylov basis size (default min(min(m, n), max(2k + 1, k + 20))). */
  ncv?: number;
  /** Lanczos: cap on restarts (default 500). */
  maxRestarts?: number;
  /** Randomized: extra sketch columns (default 10). */
  oversample?: number;
  /** Randomized: power iterations (default 'auto': 7 if k < 0.1 min(m, n), else 4). */
  powerIters?: number | 'auto';
  /** Randomized: normalizer between power iterations (default 'auto'). */
  normalizer?: PowerNormalizer;
  /** Make the largest-magnitude entry of each column of U positive; default true. */
  flipSigns?: boolean;
}

/**
 * The solver 'auto' picks:
 *
 * - **Lanczos** when A is a LinearOperator (sparse, centered, implicit): each product is
 *   cheap (O(nnz)), so the one-vector-at-a-time Krylov method, which converges to a
 *   tolerance, wins; this is scipy's `svds` default (ARPACK/PROPACK are Lanczos methods).
 *   Also whenever `tol` is given, since only Lanczos guarantees a tolerance.
 * - **randomized** for a dense Matrix: its (2q + 2) block products are gemm calls running
 *   near peak speed, while Lanczos would stream A from memory once per matrix-vector
 *   product; this is scikit-learn's choice for dense `TruncatedSVD` / `PCA`.
 */
export function chooseTruncatedSvdMethod(A: MatrixLike, options: Pick<TruncatedSvdOptions, 'tol'> = {}): 'randomized' | 'lanczos' {
  if (!(A instanceof Matrix)) return 'lanczos';
  return options.tol !== undefined ? 'lanczos' : 'randomized';
}

/**
 * Top-k singular triplets A ≈ U diag(s) Vt without a full SVD, by randomized subspace
 * iteration ({@link randomizedSvd}, Halko, Martinsson & Tropp 2011) or thick-restarted
 * Lanczos bidiagonalization ({@link lanczosSvd}, Baglama & Reichel 2005); `method: 'auto'`
 * chooses as {@link chooseTruncatedSvdMethod} documents. Sparse and implicit operators are
 * never densified.
 *
 * @param A - dense Matrix or any LinearOperator (e.g. a CsrMatrix).
 * @param k - number of triplets, 1 <= k <= min(m, n).
 * @returns U (m x k), s (descending, length k), Vt (k x n) in A's dtype, with `info`.
 * @throws InvalidArgumentError for a bad k, method or option; NonFiniteInputError on
 * NaN/Inf; ConvergenceError (Lanczos) past its restart cap; AbortedError on abort.
 * @example
 * const { U, s, Vt } = truncatedSvd(A, 20);                      // randomized for dense A
 * const top = truncatedSvd(csr, 10, { method: 'lanczos', tol: 1e-8 });
 */
export function truncatedSvd(A: MatrixLike, k: number, options: TruncatedSvdOptions = {}): TruncatedSvdResult {
  return runSteps(truncatedSvdSteps(A, k, options), options.signal, 'truncatedSvd');
}

/**
 * {@link truncatedSvd} as steps (see FitSteps in fit-async.ts): chooses the solver as
 * `truncatedSvd` does and delegates to `randomizedSvdSteps` (a yield after each power
 * iteration) or `lanczosSvdSteps` (a yield after each Lanczos step and restart), so that
 * an estimator's `fitAsync` can `yield*` it and be aborted mid-solve. `truncatedSvd` is
 * `runSteps` over it: the same result bit for bit. Nothing runs before the first `next()`;
 * the solver's workspace is released in a `finally`, also when the steps are abandoned.
 * @param A - as {@link truncatedSvd}.
 * @param k - as {@link truncatedSvd}.
 * @param options - as {@link truncatedSvd}.
 * @returns (from the generator) what {@link truncatedSvd} returns.
 * @throws what {@link truncatedSvd} throws, from `next()`.
 */
export function* truncatedSvdSteps(A: MatrixLike, k: number, options: TruncatedSvdOptions = {}): FitSteps<TruncatedSvdResult> {
  const method = options.method ?? 'auto';
  if (!TRUNCATED_SVD_METHODS.includes(method)) {
    throw new InvalidArgumentError(`truncatedSvd: method must be 'auto', 'randomized' or 'lanczos', got '${String(method)}'`);
  }
  const chosen = method === 'auto' ? chooseTruncatedSvdMethod(A, options) : method;
  const { onProgress, signal, seed, flipSigns } = options;
  if (chosen === 'lanczos') {
    return yield* lanczosSvdSteps(A, k, { onProgress, signal, seed, flipSigns, tol: options.tol, ncv: options.ncv, maxRestarts: options.maxRestarts });
  }
  return yield* randomizedSvdSteps(A, k, {
    onProgress, signal, seed, flipSigns,
    oversample: options.oversample, powerIters: options.powerIters, normalizer: options.normalizer,
  });
}
