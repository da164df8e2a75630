/**
 * Randomized truncated SVD (Halko, Martinsson & Tropp, "Finding structure with randomness:
 * probabilistic algorithms for constructing approximate matrix decompositions", SIAM Review
 * 53(2), 2011: Algorithm 4.4, randomized subspace iteration, then Algorithm 5.1, direct
 * SVD), as scikit-learn's `randomized_svd`:
 *
 * 1. draw a Gaussian test matrix Omega (n x l, l = k + oversample);
 * 2. power (subspace) iterations: Y = A Omega, Omega = A^T Y, q times, re-normalizing Y and
 *    Omega after every product (LU or QR) so that the sigma_i^(2q+1) scaling does not wash
 *    the small directions out in rounding;
 * 3. Q = orth(A Omega), an m x l orthonormal basis that captures the top of A's range;
 * 4. B = Q^T A (l x n), its small dense SVD B = Uhat S Vt, and U = Q Uhat.
 *
 * The error of the result is close to the Eckart-Young optimum
 * (||A - A_k|| = sigma_{k+1}): HMT's Corollary 10.10 bounds the expected spectral error of
 * the rank-l approximation by a factor that decays like (sigma_{k+1}/sigma_k)^(2q) times
 * constants. All heavy work is (2q + 2) block products of A with l columns (gemm for a
 * dense A, `apply` / `applyTranspose` for an operator, which is never densified) plus QR/LU
 * factorizations of m x l blocks.
 */
import { InvalidArgumentError } from '../errors.js';
import { runSteps, type FitSteps } from '../fit-async.js';
import { Workspace } from '../kernels/workspace.js';
import { gemmInto } from '../linalg/matmul.js';
import { svd } from '../linalg/svd.js';
import { Matrix } from '../matrix/matrix.js';
import { checkAborted, type LongTaskOptions } from '../progress.js';
import { rng, type RandomState } from '../random.js';
import { checkOption, oneOf, POWER_NORMALIZERS, type PowerNormalizer } from '../options.js';
import type { MatrixLike } from './operator.js';
import { luBasis, qrBasis } from './orthonormalize.js';
import { block, productsOf } from './products.js';
import { checkInteger, checkRank, flipSigns, TruncatedSvdResult } from './truncated-result.js';
import { isSparse } from '../sparse/index.js';

/**
 * A power of two c such that the products of c A with the Gaussian sketch neither overflow
 * nor lose precision to underflow, as dgesdd scales A into [smlnum, bignum] before it works
 * (LAPACK dlascl). Entries of the products are sums of up to max(m, n) terms |a_ij| ~ N(0, 1),
 * so c A's largest entry must stay far below the type's overflow threshold divided by that
 * count; 1 (no scaling, bit-identical results) whenever A is already in range. Operators
 * without entries are left as they are. The singular values are divided by c at the end.
 */
function sketchScale(A: MatrixLike, dtype: 'float64' | 'float32', maxDim: number): number {
  const anrm = A instanceof Matrix || isSparse(A) ? A.norm('max') : undefined;
  if (anrm === undefined || anrm === 0 || !Number.isFinite(anrm)) return 1;
  const half = dtype === 'float64' ? 2 ** 400 : 2 ** 40;
  if (anrm >= 1 / half && anrm * maxDim * 16 <= half) return 1;
  return 2 ** -Math.round(Math.log2(anrm));
}

/** Multiply every entry of a contiguous block by c (a power of two: exact). */
function scaleBlock(X: Matrix, c: number): void {
  if (c === 1) return;
  const d = X.data;
  for (let i = X.offset, end = X.offset + X.rows * X.cols; i < end; i++) d[i] = d[i]! * c;
}

/** How blocks are re-normalized between power iterations (declared once, in options.ts). */
export type { PowerNormalizer };

/** Options of {@link randomizedSvd}. */
export interface RandomizedSvdOptions extends LongTaskOptions {
  /** Extra sketch columns beyond k (scikit-learn's n_oversamples). Default 10. */
  oversample?: number;
  /**
   * Power iterations q. Default 'auto': 7 when k < 0.1 min(m, n), else 4 (scikit-learn's
   * rule). More iterations sharpen the result when the spectrum decays slowly.
   */
  powerIters?: number | 'auto';
  /**
   * Re-normalization after each product of a power iteration: 'lu' (permuted unit lower
   * factor, scikit-learn's choice for q > 2), 'qr' (orthonormal basis: the most accurate,
   * about twice LU's cost), 'none' (fastest; loses the small directions for large q, and
   * may overflow when sigma_1^(2q+1) does). Default 'auto': 'qr' when q <= 2, else 'lu'.
   * (scikit-learn's 'auto' uses 'none' for q <= 2; QR costs little there and is safer.)
   */
  normalizer?: PowerNormalizer;
  /**
   * Work on A^T: faster when A has more columns than rows. Default 'auto': when m < n,
   * as scikit-learn.
   */
  transpose?: boolean | 'auto';
  /** Seed (or generator) of the Gaussian test matrix; default 0. Same seed, same result. */
  seed?: RandomState;
  /**
   * Make signs deterministic: the largest-magnitude entry of each column of U is positive
   * (scikit-learn's `svd_flip`). Default true.
   */
  flipSigns?: boolean;
}

/**
 * Top-k singular triplets of A by randomized subspace iteration (Halko, Martinsson & Tropp
 * 2011, Algorithms 4.4 and 5.1; scikit-learn's `randomized_svd` with the same defaults).
 *
 * Accuracy: not controlled by a tolerance; with the default q the error
 * ||A - U diag(s) Vt|| is within a few percent of the optimum sigma_{k+1} for typical
 * spectra, and exact when rank(A) <= k + oversample. For guaranteed accuracy on the
 * triplets use {@link lanczosSvd}.
 *
 * Cost: (2q + 2) products of A (or A^T) with n x l blocks, l = k + oversample
 * (2 m n l flops each for a dense A), plus q + 1 QR or LU factorizations of m x l and
 * n x l blocks and a dense SVD of the l x n B. Memory: a copy of a dense A in WASM memory
 * (none for an operator) plus (m + n) l numbers.
 *
 * @param A - dense Matrix (float64 or float32) or any LinearOperator (sparse CSR, centered,
 * implicit); operators are only applied, never densified. Blocks have A's dtype.
 * @param k - number of triplets, 1 <= k <= min(m, n).
 * @returns U (m x k), s (descending), Vt (k x n) in A's dtype, and `info` (products,
 * iterations, normalizer).
 * @throws InvalidArgumentError for a bad k or option, NonFiniteInputError on NaN/Inf in A,
 * AbortedError when `signal` fires (checked between power iterations).
 * @example
 * const { U, s, Vt } = randomizedSvd(A, 10, { seed: 1 });
 */
export function randomizedSvd(A: MatrixLike, k: number, options: RandomizedSvdOptions = {}): TruncatedSvdResult {
  return runSteps(randomizedSvdSteps(A, k, options), options.signal, 'randomizedSvd');
}

/**
 * {@link randomizedSvd} as steps (see FitSteps in fit-async.ts): the same computation, bit
 * for bit, yielding after each power iteration and once after the range finder, so that
 * `runStepsAsync` (an estimator's `fitAsync`, through `yield*`) gives the event loop a turn
 * there and an abort stops it within about one power iteration. `randomizedSvd` is
 * `runSteps` over it. Validation, progress reports and the abort checks between power
 * iterations run inside the steps, as in `randomizedSvd`; nothing runs before the first
 * `next()`.
 *
 * The workspace (the packed copy of A, the sketch blocks) is released in a `finally`, so
 * also when the driver abandons the steps with `return()` (an abort at a yield).
 * @param A - as {@link randomizedSvd}.
 * @param k - as {@link randomizedSvd}.
 * @param options - as {@link randomizedSvd}; `signal` is checked between power iterations
 * (the driver checks its own signal at every yield as well).
 * @returns (from the generator) what {@link randomizedSvd} returns.
 * @throws what {@link randomizedSvd} throws, from `next()`.
 * @example
 * const f = await runStepsAsync(randomizedSvdSteps(A, 10, { signal }), signal, 'sketch');
 */
export function* randomizedSvdSteps(A: MatrixLike, k: number, options: RandomizedSvdOptions = {}): FitSteps<TruncatedSvdResult> {
  const routine = 'randomizedSvd';
  const shape = A instanceof Matrix ? A.shape : (A as { shape?: readonly [number, number] }).shape;
  if (!shape) throw new InvalidArgumentError(`${routine}: expected a Matrix or a LinearOperator (shape, dtype, apply, applyTranspose)`);
  const [m0, n0] = shape;
  checkRank(k, m0, n0, routine);
  const oversample = options.oversample ?? 10;
  checkInteger(oversample, 0, routine, 'oversample');
  const minDim = Math.min(m0, n0);
  const q = options.powerIters === undefined || options.powerIters === 'auto' ? (k < 0.1 * minDim ? 7 : 4) : options.powerIters;
  checkInteger(q, 0, routine, 'powerIters');
  const requested = options.normalizer ?? 'auto';
  checkOption(routine, 'normalizer', oneOf(POWER_NORMALIZERS), requested);
  const normalizer = requested === 'auto' ? (q <= 2 ? 'qr' : 'lu') : requested;
  const tr = options.transpose ?? 'auto';
  const transpose = tr === 'auto' ? m0 < n0 : tr;
  const m = transpose ? n0 : m0;
  const n = transpose ? m0 : n0;
  const l = Math.min(k + oversample, minDim);
  const { onProgress, signal } = options;
  checkAborted(signal, routine);

  // Not withWorkspace: a generator may be closed at a yield, and only a finally of its
  // own runs then.
  const ws = new Workspace();
  try {
    const P = productsOf(A, transpose, ws, routine, { blocks: l > 1 });
    const dtype = P.dtype;
    const c = sketchScale(A, dtype, Math.max(m, n) + l);
    const omega = block(ws, dtype, n, l);
    const r = rng(options.seed ?? 0);
    const od = omega.data;
    for (let i = 0; i < n * l; i++) od[i] = r.nextNormal();
    const Y = block(ws, dtype, m, l);
    const scratch = ws.like(od, Math.max(m, n));
    const normalize = (X: Matrix) => {
      if (normalizer === 'lu') luBasis(X, scratch);
      else if (normalizer === 'qr') qrBasis(X, ws);
    };
    // Every product's input is scaled by c, so each product is of c A; the normalizations
    // are invariant to the scale, and only the final B^T carries it (undone on s).
    for (let it = 0; it < q; it++) {
      scaleBlock(omega, c);
      P.apply(omega, Y);
      normalize(Y);
      scaleBlock(Y, c);
      P.applyTranspose(Y, omega);
      normalize(omega);
      onProgress?.({ stage: 'power iteration', done: it + 1, total: q });
      checkAborted(signal, routine);
      yield;
    }
    scaleBlock(omega, c);
    P.apply(omega, Y);
    qrBasis(Y, ws);
    yield;
    // B^T = A^T Q (n x l), so that B = Q^T A = Z S W^T from svd(B^T) = W S Z^T.
    // With the scaling, this is c B^T; its singular values are divided by c below.
    scaleBlock(Y, c);
    P.applyTranspose(Y, omega);
    scaleBlock(Y, 1 / c);
    const f = svd(omega);
    const Uw = Matrix.zeros(m, k, { dtype });
    gemmInto(Y, f.Vt.T.colRange(0, k), Uw);
    const W = f.U.colRange(0, k);
    const s = Float64Array.from(f.s.subarray(0, k));
    if (c !== 1) for (let i = 0; i < k; i++) s[i] = s[i]! / c;
    // Back to the caller's orientation: U is m0 x k, Vt k x n0.
    // (A^T = Uw S W^T gives A = W S Uw^T.)
    const U = transpose ? W.copy() : Uw;
    const Vt = transpose ? Uw.T.copy() : W.T.copy();
    if (options.flipSigns ?? true) flipSigns(U, Vt);
    return new TruncatedSvdResult(U, s, Vt, {
      method: 'randomized',
      matvecs: (2 * q + 2) * l,
      transposed: transpose,
      powerIters: q,
      sketchSize: l,
      normalizer,
    });
  } finally {
    ws.release();
  }
}
