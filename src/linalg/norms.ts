/**
 * Matrix norms and the condition number (numpy.linalg.norm for 2-D input, numpy.linalg.cond
 * with p=None). The entrywise and induced norms are computed directly by
 * {@link Matrix.norm}; the spectral and nuclear norms and the condition number need the
 * singular values (LAPACK dgesdd without vectors, see `svdvals`).
 */
import { ShapeError } from '../errors.js';
import type { Matrix } from '../matrix/matrix.js';
import { svdvals } from './svd.js';

/**
 * Matrix norms: those of {@link Matrix.norm} ('fro', 1, 'inf', 'max') plus the spectral
 * norm (2), the smallest singular value (-2) and the nuclear norm ('nuc'), as numpy's `ord`.
 */
export type NormKind = 'fro' | 1 | 'inf' | 'max' | 2 | -2 | 'nuc';

/**
 * A matrix norm (numpy.linalg.norm for 2-D input): ||A||_2 = s_max, -2 gives s_min, 'nuc'
 * the nuclear norm sum_i s_i (all from the singular values s, about 4 m n^2 flops for
 * m >= n); 'fro', 1, 'inf' and 'max' are computed directly, in O(m n) (see
 * {@link Matrix.norm}).
 * @param A - any m x n matrix.
 * @param kind - which norm (default 'fro').
 * @returns the norm, a number >= 0; 0 for an empty matrix, except with -2.
 * @throws ShapeError for kind -2 of an empty matrix (it has no singular value);
 *   NonFiniteInputError when a singular-value norm meets NaN or Inf.
 * @example
 * norm(Matrix.from([[3, 0], [0, -4]]), 2);     // 4
 * norm(Matrix.from([[3, 0], [0, -4]]), 'nuc'); // 7
 */
export function norm(A: Matrix, kind: NormKind = 'fro'): number {
  if (kind === 2 || kind === -2 || kind === 'nuc') {
    if (A.rows === 0 || A.cols === 0) {
      if (kind === -2) throw new ShapeError('norm: the smallest singular value of an empty matrix is undefined');
      return 0;
    }
    const s = svdvals(A);
    if (kind === 2) return s[0]!;
    if (kind === -2) return s[s.length - 1]!;
    let t = 0;
    for (const v of s) t += v;
    return t;
  }
  return A.norm(kind);
}

/**
 * 2-norm condition number cond(A) = s_max / s_min (numpy.linalg.cond with p=None), from
 * the singular values (about 4 m n^2 flops for m >= n). The relative error of a solve is
 * about cond(A) eps.
 * @param A - any m x n matrix (for m != n, the ratio of its extreme singular values).
 * @returns s_max / s_min: Infinity when A is singular (s_min = 0), NaN for an empty matrix.
 * @throws NonFiniteInputError when A holds NaN or Inf.
 * @example
 * cond(Matrix.from([[1, 0], [0, 1e-3]])); // 1000
 */
export function cond(A: Matrix): number {
  const s = svdvals(A);
  if (s.length === 0) return NaN;
  const lo = s[s.length - 1]!;
  return lo === 0 ? Infinity : s[0]! / lo;
}
