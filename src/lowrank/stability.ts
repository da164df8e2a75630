/**
 * How stable is the top-k singular subspace of a data matrix? Refit it on random subsets of
 * the rows (observations) and measure, with principal angles, how far each refit subspace
 * is from the one fitted on all the data. A subspace backed by a clear singular-value gap
 * after s_k barely moves (Wedin's sin-theta theorem bounds the angle by the perturbation
 * over the gap); one cut in the middle of a flat spectrum swings from resample to resample.
 * This is the resampling check of Ben-Hur, Elisseeff & Guyon 2002 ("A stability based
 * method for discovering structure in clustered data") applied to subspaces.
 */
import { check } from '../errors.js';
import { svd, svdvals } from '../linalg/svd.js';
import { Matrix } from '../matrix/matrix.js';
import { checkAborted, type LongTaskOptions } from '../progress.js';
import { rng, type RandomState } from '../random.js';
import { LowRank } from './low-rank.js';
import { principalAngles } from './principal-angles.js';

/** Options of {@link subspaceStability}. */
export interface StabilityOptions extends LongTaskOptions {
  /** Number of resamples, default 20. */
  readonly resamples?: number;
  /** Fraction of the rows (side 'right') or columns (side 'left') kept per resample, in (0, 1]; default 0.8. */
  readonly fraction?: number;
  /** Draw with replacement (bootstrap, `fraction` of the count) instead of a subsample without; default false. */
  readonly replace?: boolean;
  /**
   * 'right' (default): the span of the top-k right singular vectors (in R^n, the feature
   * space: PCA's components), refit on row subsets. 'left': the span of the top-k left
   * singular vectors (in R^m), refit on column subsets.
   */
  readonly side?: 'right' | 'left';
  /** Seed of the resampling, default 0. */
  readonly seed?: RandomState;
  /**
   * Top-k factorization used for the full data and every resample; default the dense
   * `svd(X).truncate(k)`. Hook for truncated solvers (randomized SVD, Lanczos) on large or
   * sparse data: any function returning at least the top-k factors works.
   */
  readonly factorize?: (X: Matrix, k: number) => LowRank;
}

/** One resample's distance to the full-data subspace. */
export interface StabilitySample {
  /** Principal angles (radians, ascending) between the resample's and the full subspace. */
  readonly angles: Float64Array;
  /** The largest angle (radians): sin of it is the projection 2-norm distance. */
  readonly maxAngle: number;
  /** Mean of the k angles (radians). */
  readonly meanAngle: number;
}

/** Result of {@link subspaceStability}. */
export interface StabilityReport {
  /** The rank examined. */
  readonly k: number;
  /** Which singular subspace. */
  readonly side: 'right' | 'left';
  /** The k-th and (k+1)-th singular values of the full data (s_{k+1} = 0 past the end). */
  readonly sk: number;
  /** s_{k+1} of the full data (0 past the end). */
  readonly sk1: number;
  /** Relative gap (s_k - s_{k+1}) / s_k of the full data: near 0 predicts instability. */
  readonly relativeGap: number;
  /** One entry per resample. */
  readonly samples: readonly StabilitySample[];
  /** Summary of the largest angles over the resamples, in radians. */
  readonly maxAngle: { readonly mean: number; readonly median: number; readonly max: number; readonly std: number };
  /** Mean over resamples of the mean angle, in radians. */
  readonly meanAngle: number;
}

/**
 * Stability report of the top-k singular subspace of A (see the file comment): `resamples`
 * times, keep a random `fraction` of the rows (side 'right') or columns (side 'left'),
 * refit the top-k subspace, and take its principal angles to the full-data subspace.
 * Reports per-resample largest and mean angles and their summary. With fraction 1 and no
 * replacement every angle is 0 (up to rounding).
 *
 * Cost: resamples + 1 top-k factorizations (dense SVDs by default) and as many principal
 * angle computations. Reports progress once per resample; checks `signal` between them.
 * @throws InvalidArgumentError on k outside [1, min(m, n)], a fraction outside (0, 1], a
 *   resample smaller than k, or resamples < 1.
 * @throws AbortedError when `signal` is aborted.
 */
export function subspaceStability(A: Matrix, k: number, options: StabilityOptions = {}): StabilityReport {
  const side = options.side ?? 'right';
  check(side === 'right' || side === 'left', () => `subspaceStability: side must be 'right' or 'left', got '${String(side)}'`);
  const X = side === 'right' ? A : A.T; // resample the rows of X, compare right subspaces
  const [m, n] = [X.rows, X.cols];
  check(Number.isInteger(k) && k >= 1 && k <= Math.min(m, n), () => `subspaceStability: k must be an integer in [1, ${Math.min(m, n)}], got ${k}`);
  const resamples = options.resamples ?? 20;
  check(Number.isInteger(resamples) && resamples >= 1, () => `subspaceStability: resamples must be an integer >= 1, got ${resamples}`);
  const fraction = options.fraction ?? 0.8;
  check(Number.isFinite(fraction) && fraction > 0 && fraction <= 1, () => `subspaceStability: fraction must be in (0, 1], got ${fraction}`);
  const size = Math.round(fraction * m);
  check(size >= k, () => `subspaceStability: a resample of ${size} ${side === 'right' ? 'rows' : 'columns'} (fraction ${fraction} of ${m}) cannot determine a ${k}-dimensional subspace`);
  const factorize = options.factorize ?? ((Y: Matrix, kk: number) => LowRank.fromSvd(svd(Y)).truncate(kk));
  const r = rng(options.seed ?? 0);

  // The default fits the full data once with every singular value, so s_{k+1} is at hand.
  const full = options.factorize === undefined ? LowRank.fromSvd(svd(X)) : factorize(X, k);
  check(full.rank >= k, () => `subspaceStability: the factorization returned ${full.rank} < k = ${k} factors`);
  const basis = (f: LowRank): Matrix => f.Vt.rowRange(0, k).T;
  const V = basis(full);
  const sk = full.s[k - 1]!;
  const sk1 = full.rank > k ? full.s[k]! : k >= Math.min(m, n) ? 0 : (svdvals(X)[k] ?? 0);

  const samples: StabilitySample[] = [];
  const rows = new Int32Array(size);
  const perm = Int32Array.from({ length: m }, (_, i) => i);
  for (let t = 0; t < resamples; t++) {
    checkAborted(options.signal, 'subspaceStability');
    if (options.replace) {
      for (let i = 0; i < size; i++) rows[i] = r.nextInt(m);
    } else {
      // Partial Fisher-Yates: the first `size` entries are a uniform subset.
      for (let i = 0; i < size; i++) {
        const j = i + r.nextInt(m - i);
        const tmp = perm[i]!;
        perm[i] = perm[j]!;
        perm[j] = tmp;
      }
      rows.set(perm.subarray(0, size));
    }
    const Xs = Matrix.zeros(size, n, { dtype: X.dtype });
    for (let j = 0; j < n; j++) for (let i = 0; i < size; i++) Xs.set(i, j, X.get(rows[i]!, j));
    const f = factorize(Xs, k);
    const angles = principalAngles(basis(f), V).angles;
    let maxAngle = 0;
    let sum = 0;
    for (const a of angles) {
      maxAngle = Math.max(maxAngle, a);
      sum += a;
    }
    samples.push({ angles, maxAngle, meanAngle: angles.length > 0 ? sum / angles.length : 0 });
    options.onProgress?.({ stage: 'resample', done: t + 1, total: resamples, metrics: { maxAngle } });
  }
  const maxes = samples.map((s) => s.maxAngle);
  const mean = maxes.reduce((a, b) => a + b, 0) / maxes.length;
  const sorted = [...maxes].sort((a, b) => a - b);
  const h = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[h]! : 0.5 * (sorted[h - 1]! + sorted[h]!);
  const std = Math.sqrt(maxes.reduce((a, b) => a + (b - mean) ** 2, 0) / maxes.length);
  return {
    k,
    side,
    sk,
    sk1,
    relativeGap: sk > 0 ? (sk - sk1) / sk : 0,
    samples,
    maxAngle: { mean, median, max: sorted[sorted.length - 1]!, std },
    meanAngle: samples.reduce((a, s) => a + s.meanAngle, 0) / samples.length,
  };
}
