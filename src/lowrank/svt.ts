/**
 * Singular value thresholding: the proximal operator of the nuclear norm (Cai, Candes &
 * Shen 2010, "A singular value thresholding algorithm for matrix completion", SIAM J.
 * Optim. 20(4), Theorem 2.1):
 *
 *   D_tau(A) = argmin_X 1/2 ||X - A||_F^2 + tau ||X||_*  =  U diag(max(s - tau, 0)) Vt,
 *
 * the step every nuclear-norm method (SoftImpute, SVT, proximal gradient for
 * matrix completion and robust PCA) repeats.
 */
import { check } from '../errors.js';
import { svd } from '../linalg/svd.js';
import type { Matrix } from '../matrix/matrix.js';
import { LowRank } from './low-rank.js';

/**
 * Soft-thresholded values max(s_i - tau, 0) (the prox of tau ||.||_1 on non-negative
 * values). O(r).
 * @throws InvalidArgumentError unless tau is a finite number >= 0.
 */
export function softThreshold(s: ArrayLike<number>, tau: number): Float64Array {
  check(Number.isFinite(tau) && tau >= 0, () => `softThreshold: tau must be a finite number >= 0, got ${tau}`);
  const out = new Float64Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = Math.max(s[i]! - tau, 0);
  return out;
}

/**
 * D_tau(A) = U diag(s - tau) Vt over the singular values above tau: the minimizer of
 * 1/2 ||X - A||_F^2 + tau ||X||_* (see the file comment). The result keeps only the r
 * components with s_i > tau, so it is rank r and its factors are views into the SVD's.
 *
 * `A` may be a dense matrix (a full thin SVD is computed: about 4 m n^2 + 8 n^3 flops for
 * m >= n) or an SVD / LowRank already at hand (e.g. from a truncated SVD holding every
 * value above tau), which is thresholded in O(k).
 * @param tau - threshold >= 0; 0 returns the thin SVD (minus exact zeros).
 * @throws InvalidArgumentError unless tau is a finite number >= 0.
 * @throws NonFiniteInputError when A holds NaN or Inf.
 */
export function singularValueThreshold(A: Matrix | { readonly U: Matrix; readonly s: ArrayLike<number>; readonly Vt: Matrix }, tau: number): LowRank {
  check(Number.isFinite(tau) && tau >= 0, () => `singularValueThreshold: tau must be a finite number >= 0, got ${tau}`);
  const f = 'rows' in A ? svd(A) : A;
  const shrunk = softThreshold(f.s, tau);
  let r = 0;
  while (r < shrunk.length && shrunk[r]! > 0) r++;
  return new LowRank(f.U.colRange(0, r), shrunk.subarray(0, r), f.Vt.rowRange(0, r));
}
