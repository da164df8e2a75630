/**
 * What a weight matrix's spectrum says about compressing it: its stable rank, and the ranks
 * that keep a share of its energy or reach a relative error (the figures of
 * `lowrank weights inspect`).
 *
 * By Eckart-Young, the best rank-r approximation W_r of W has
 * ||W - W_r||_F^2 = sum_{i>r} s_i^2, so both rules read the singular values only:
 *
 * - energy e: the smallest r with sum_{i<=r} s_i^2 >= e ||W||_F^2 ({@link energyRank}, the
 *   rule of `lowrank rank`; numpy: `np.argmax(np.cumsum(s**2) / np.sum(s**2) >= e) + 1`);
 * - relative error eps: the smallest r with sqrt(sum_{i>r} s_i^2) <= eps ||W||_F, the tail
 *   summed from the smallest value up (so a tiny eps is not lost to cancellation).
 *
 * The stable rank ||W||_F^2 / ||W||_2^2 = sum s_i^2 / s_1^2 (Rudelson & Vershynin 2007) is at
 * most the rank and counts the directions that carry energy comparable to the largest.
 */
import { InvalidArgumentError, NonFiniteInputError, ShapeError } from '../../errors.js';
import { kernels } from '../../kernels/index.js';
import { sterf } from '../../linalg/lapack/sterf.js';
import { sytrd } from '../../linalg/lapack/sytrd.js';
import { withWorkspace } from '../../kernels/workspace.js';
import { svdvals } from '../../linalg/svd.js';
import type { Matrix } from '../../matrix/matrix.js';
import { energyRank } from '../../lowrank/rank-selection.js';
import { oneOf, opt, resolveOptions, tableFor } from '../../options.js';

/** How {@link weightSpectrum} computes the singular values. */
export const SPECTRUM_METHODS = ['auto', 'svd', 'gram'] as const;

/** Options of {@link weightSpectrum}. */
export interface WeightSpectrumOptions {
  /**
   * `'svd'`: the singular values by bidiagonalization (`svdvals`, LAPACK dgesdd's path;
   * accurate to eps s_i relative to the bidiagonal). `'gram'`: the square roots of the
   * eigenvalues of the smaller Gram matrix W^T W or W W^T in float64 (one product and a
   * symmetric eigensolver: about 3x faster for large matrices; each s_i^2 is accurate to
   * about eps s_1^2, which leaves every energy and error figure exact to ~1e-13 but not
   * singular values below ~1e-8 s_1). Default `'auto'`: svd when min(m, n) <= 1024, else gram.
   * The Gram route reads W where it is (any dtype, no float64 copy of it), accumulates the
   * float64 Gram matrix from 256-row slabs (syrk), and tridiagonalizes it in place: its
   * memory is W plus k^2 doubles (k = min(m, n)), where `'svd'` needs a float64 copy of W
   * and its bidiagonalization's workspace.
   */
  method?: (typeof SPECTRUM_METHODS)[number];
}

const SPECTRUM_OPTIONS = tableFor<WeightSpectrumOptions>()({
  method: opt(oneOf(SPECTRUM_METHODS), 'auto'),
});

/** Above this min(m, n), `'auto'` takes the Gram matrix's eigenvalues (see the method option). */
const AUTO_SVD_MAX = 1024;

/**
 * Smallest r with sqrt(sum_{i>r} s_i^2) <= eps sqrt(sum_i s_i^2): the rank whose best
 * approximation has relative Frobenius error at most eps (0 for the zero matrix).
 * @param s - singular values, descending.
 * @param eps - relative error in [0, 1).
 */
export function rankForError(s: ArrayLike<number>, eps: number): number {
  if (!(Number.isFinite(eps) && eps >= 0 && eps < 1)) throw new InvalidArgumentError(`rankForError: eps must be a number in [0, 1), got ${eps}`);
  const n = s.length;
  // tail[r] = sum_{i>=r} s_i^2 (0-based), accumulated smallest first.
  const tail = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) tail[i] = tail[i + 1]! + s[i]! * s[i]!;
  const total = tail[0]!;
  if (total === 0) return 0;
  const limit = eps * eps * total;
  for (let r = 0; r <= n; r++) if (tail[r]! <= limit) return r;
  return n;
}

/**
 * Smallest r with sum_{i<=r} s_i^2 >= e sum_i s_i^2 ({@link energyRank}'s rule; 0 for the zero matrix).
 * @param e - energy fraction in (0, 1].
 */
export function rankForEnergy(s: ArrayLike<number>, e: number): number {
  return energyRank(s, e).k;
}

/** The spectrum of one weight matrix and the compression figures read from it. */
export class WeightSpectrum {
  /** [rows, cols] of W: (out, in) for a Linear layer's weight. */
  readonly shape: readonly [number, number];
  /** All min(m, n) singular values, descending, in float64. */
  readonly singularValues: Float64Array;
  /** How they were computed. */
  readonly method: 'svd' | 'gram';
  /** ||W||_F. */
  readonly frobeniusNorm: number;
  /** ||W||_2 = s_1. */
  readonly spectralNorm: number;
  /** ||W||_F^2 / ||W||_2^2 (0 for the zero matrix). */
  readonly stableRank: number;

  /** @internal Use {@link weightSpectrum}. */
  constructor(shape: readonly [number, number], singularValues: Float64Array, method: 'svd' | 'gram') {
    this.shape = shape;
    this.singularValues = singularValues;
    this.method = method;
    let total = 0;
    for (let i = singularValues.length - 1; i >= 0; i--) total += singularValues[i]! ** 2;
    this.frobeniusNorm = Math.sqrt(total);
    this.spectralNorm = singularValues[0] ?? 0;
    this.stableRank = this.spectralNorm > 0 ? total / this.spectralNorm ** 2 : 0;
  }

  /** Smallest rank keeping fraction `e` of the energy ({@link rankForEnergy}). */
  rankForEnergy(e: number): number {
    return rankForEnergy(this.singularValues, e);
  }

  /** Smallest rank with relative Frobenius error <= eps ({@link rankForError}). */
  rankForError(eps: number): number {
    return rankForError(this.singularValues, eps);
  }

  /** Fraction of the energy the best rank-r approximation keeps (1 for the zero matrix). */
  energyKept(r: number): number {
    if (!(Number.isInteger(r) && r >= 0)) throw new InvalidArgumentError(`energyKept: r must be an integer >= 0, got ${r}`);
    const s = this.singularValues;
    let kept = 0;
    for (let i = Math.min(r, s.length) - 1; i >= 0; i--) kept += s[i]! * s[i]!;
    return this.frobeniusNorm > 0 ? kept / this.frobeniusNorm ** 2 : 1;
  }

  /** ||W - W_r||_F / ||W||_F of the best rank-r approximation (0 for the zero matrix). */
  relativeError(r: number): number {
    if (!(Number.isInteger(r) && r >= 0)) throw new InvalidArgumentError(`relativeError: r must be an integer >= 0, got ${r}`);
    const s = this.singularValues;
    let tail = 0;
    for (let i = s.length - 1; i >= r; i--) tail += s[i]! * s[i]!;
    return this.frobeniusNorm > 0 ? Math.sqrt(tail) / this.frobeniusNorm : 0;
  }

  /** The singular values divided by s_1 (what a normalized-spectrum plot draws). */
  normalized(): Float64Array {
    const s1 = this.spectralNorm;
    return this.singularValues.map((v) => (s1 > 0 ? v / s1 : 0));
  }
}

/**
 * The singular values of a weight matrix and what they say about compressing it (stable
 * rank, ranks for an energy share or a relative error, the error at any rank).
 *
 * Cost: `'svd'` about 4 m n^2 - 4/3 n^3 flops (m >= n); `'gram'` m n^2 (a product) plus
 * 4/3 n^3 (tridiagonalization), n = min(m, n).
 * @param W - the weight (any dtype; computed in float64).
 * @throws NonFiniteInputError on NaN/Inf in W; InvalidArgumentError for a bad option.
 * @example
 * const sp = weightSpectrum(W);
 * sp.stableRank; sp.rankForEnergy(0.9); sp.rankForError(0.05);
 */
export function weightSpectrum(W: Matrix, options: WeightSpectrumOptions = {}): WeightSpectrum {
  const { method } = resolveOptions('weightSpectrum', SPECTRUM_OPTIONS, options);
  const [m, n] = W.shape;
  const k = Math.min(m, n);
  if (k === 0) throw new ShapeError(`weightSpectrum: the matrix is ${m}x${n}; it has no spectrum`);
  const chosen = method === 'auto' ? (k <= AUTO_SVD_MAX ? 'svd' : 'gram') : method;
  const s = chosen === 'svd' ? Float64Array.from(svdvals(W.dtype === 'float64' ? W : W.astype('float64'))) : gramSingularValues(W);
  return new WeightSpectrum([m, n], s, chosen);
}

/** Rows of W (or columns, for a wide W) converted to float64 per syrk update. */
const GRAM_SLAB = 256;

/**
 * All min(m, n) singular values of W as the square roots of the eigenvalues of its smaller
 * Gram matrix G (k x k, float64), descending. G = sum over slabs S (b x k, float64, of W's
 * rows, or of W^T's when W is wide) of S^T S by syrk, lower triangle only; then LAPACK's
 * eigenvalue-only path on G's own storage: dsytrd (Householder tridiagonalization, in place)
 * and dsterf (root-free QL/QR). W is scaled into a safe range first, as dsyev scales its matrix.
 * @throws NonFiniteInputError naming the first NaN/Inf of W.
 */
function gramSingularValues(W: Matrix): Float64Array {
  const [m, n] = W.shape;
  const wide = m < n;
  const k = wide ? m : n;
  const long = wide ? n : m;
  const { data, offset, rowStride, colStride } = W;
  // Element (i, j) of the tall view T (long x k): W, or W^T when wide.
  const [ts, js] = wide ? [colStride, rowStride] : [rowStride, colStride];
  // dsyev's scaling, applied to W as it is copied (G's entries are squares of W's): bring
  // the largest |w| near 1 when W^T W could over- or underflow.
  let amax = 0;
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < long; i++) {
      const v = Math.abs(data[offset + i * ts + j * js]!);
      if (!(v <= amax)) {
        if (!Number.isFinite(v)) throwNonFinite(W);
        amax = v;
      }
    }
  }
  const f = amax > 0 && (amax > 2 ** 250 || amax < 2 ** -250) ? 1 / amax : 1;
  return withWorkspace((ws) => {
    const G = ws.f64(k * k);
    const b = Math.min(GRAM_SLAB, long);
    const S = ws.alloc('float64', b * k, false) as Float64Array;
    const K = kernels();
    for (let i0 = 0; i0 < long; i0 += b) {
      const rows = Math.min(b, long - i0);
      // S (rows x k, column-major, ld b) := f T[i0 : i0 + rows, :] in float64.
      for (let i = 0; i < rows; i++) {
        const base = offset + (i0 + i) * ts;
        for (let j = 0; j < k; j++) S[i + j * b] = f * data[base + j * js]!;
      }
      K.syrk('L', true, k, rows, 1, S, 0, b, 1, G, 0, k);
    }
    const d = new Float64Array(k);
    const e = new Float64Array(Math.max(k - 1, 0));
    const tau = new Float64Array(Math.max(k - 1, 0));
    sytrd(k, G, 0, k, d, e, tau, ws);
    sterf(k, d, e);
    // Ascending eigenvalues of G to descending singular values (rounding can leave tiny negatives).
    const s = new Float64Array(k);
    for (let i = 0; i < k; i++) s[i] = Math.sqrt(Math.max(0, d[k - 1 - i]!)) / f;
    return s;
  });
}

function throwNonFinite(W: Matrix): never {
  for (let j = 0; j < W.cols; j++) {
    for (let i = 0; i < W.rows; i++) {
      const v = W.get(i, j);
      if (!Number.isFinite(v)) throw new NonFiniteInputError(`weightSpectrum: the matrix holds ${v} at (${i}, ${j}); decompositions need finite numbers`);
    }
  }
  throw new NonFiniteInputError('weightSpectrum: the matrix is not finite');
}
