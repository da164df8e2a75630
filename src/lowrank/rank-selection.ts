/**
 * Choosing the rank k of a truncated SVD from the singular values alone. Every rule returns
 * its k together with the evidence it used, so a caller (or the `lowrank rank` command) can
 * show why that k was chosen:
 *
 * - energy: the smallest k whose cumulative energy sum_{i<=k} s_i^2 / sum_i s_i^2 reaches a
 *   target (the scree / explained-variance rule; sigma = (6, 3, 2, 1) keeps 90% at k = 2);
 * - elbow: the knee of the cumulative-energy curve (Kneedle, Satopaa et al. 2011);
 * - AIC: argmin_r ||A - A_r||_F^2 / sigma^2 + 2 r (m + n - r) (Akaike 1974 with the
 *   parameter count of a rank-r m x n matrix);
 * - gap: the largest drop s_k - s_{k+1} (or ratio s_k / s_{k+1});
 * - Gavish-Donoho: the optimal hard threshold for singular values (Gavish & Donoho 2014,
 *   "The Optimal Hard Threshold for Singular Values is 4/sqrt(3)", IEEE Trans. Inf. Theory
 *   60(8)), with known or estimated noise level.
 *
 * The Eckart-Young theorem ties these to the approximation error: the best rank-k
 * approximation A_k has ||A - A_k||_F = sqrt(sum_{i>k} s_i^2) ({@link eckartYoungError})
 * and ||A - A_k||_F^2 is the discarded energy ({@link discardedEnergy}).
 *
 * Inputs are singular values in descending order (as returned by `svd` / `svdvals`); the
 * rules that model noise (AIC, Gavish-Donoho without a known sigma) need all min(m, n) of
 * them. All functions are O(r) or O(r log r) in the number r of values.
 */
import { check, InvalidArgumentError } from '../errors.js';

/** Validated copy of singular values as a Float64Array (finite, >= 0, non-increasing). */
function checkValues(s: ArrayLike<number>, what: string): Float64Array {
  const v = Float64Array.from(s);
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (!Number.isFinite(x) || x < 0) throw new InvalidArgumentError(`${what}: singular values must be finite and >= 0, got s[${i}] = ${x}`);
    if (i > 0 && x > v[i - 1]! * (1 + 1e-12) + Number.MIN_VALUE) {
      throw new InvalidArgumentError(`${what}: singular values must be in descending order, got s[${i - 1}] = ${v[i - 1]} < s[${i}] = ${x}`);
    }
  }
  return v;
}

/** sum of v[i]^2 for i in [from, v.length), accumulated smallest first (less rounding). */
function sumSquares(v: Float64Array, from = 0): number {
  let t = 0;
  for (let i = v.length - 1; i >= from; i--) t += v[i]! * v[i]!;
  return t;
}

/**
 * Energy of each component, s_i^2 (the squared singular values: the "bars" of a scree plot
 * and, divided by m - 1, the variance each principal component carries). O(r).
 */
export function energy(s: ArrayLike<number>): Float64Array {
  const v = checkValues(s, 'energy');
  return v.map((x) => x * x);
}

/**
 * Share of the total energy of each component, s_i^2 / sum_j s_j^2 (PCA's explained
 * variance ratio). All zeros when every s_i is 0. O(r).
 */
export function energyRatio(s: ArrayLike<number>): Float64Array {
  const v = checkValues(s, 'energyRatio');
  const total = sumSquares(v);
  return v.map((x) => (total > 0 ? (x * x) / total : 0));
}

/**
 * Cumulative energy retained: entry k - 1 is sum_{i<=k} s_i^2 / sum_i s_i^2, the fraction of
 * ||A||_F^2 kept by the best rank-k approximation (the last entry is 1). For the zero matrix
 * every entry is 1 (nothing can be lost). O(r).
 * @example cumulativeEnergy([6, 3, 2, 1]) // [0.72, 0.9, 0.98, 1]
 */
export function cumulativeEnergy(s: ArrayLike<number>): Float64Array {
  const v = checkValues(s, 'cumulativeEnergy');
  const total = sumSquares(v);
  const out = new Float64Array(v.length);
  // 1 - (tail / total) is exact at the end and accurate when the tail is small; tails are
  // summed smallest first, once, from the end.
  let tail = 0;
  for (let k = v.length - 1; k >= 0; k--) {
    out[k] = total > 0 ? 1 - tail / total : 1;
    tail += v[k]! * v[k]!;
  }
  return out;
}

function checkK(k: number, what: string): void {
  check(Number.isInteger(k) && k >= 0, () => `${what}: k must be an integer >= 0, got ${k}`);
}

/**
 * Energy discarded by the best rank-k approximation: sum_{i>k} s_i^2 = ||A - A_k||_F^2
 * (Eckart & Young 1936). k beyond the number of values discards nothing. O(r).
 */
export function discardedEnergy(s: ArrayLike<number>, k: number): number {
  const v = checkValues(s, 'discardedEnergy');
  checkK(k, 'discardedEnergy');
  return sumSquares(v, k);
}

/**
 * Frobenius error of the best rank-k approximation, ||A - A_k||_F = sqrt(sum_{i>k} s_i^2)
 * (Eckart-Young; the minimum over all matrices of rank <= k). The spectral-norm error is
 * s_{k+1}. Computed with scaling so tiny or huge values neither underflow nor overflow. O(r).
 */
export function eckartYoungError(s: ArrayLike<number>, k: number): number {
  const v = checkValues(s, 'eckartYoungError');
  checkK(k, 'eckartYoungError');
  if (k >= v.length) return 0;
  const scale = v[k]!; // the largest discarded value
  if (scale === 0) return 0;
  let t = 0;
  for (let i = v.length - 1; i >= k; i--) t += (v[i]! / scale) ** 2;
  return scale * Math.sqrt(t);
}

// ------------------------------------------------------------------ rules

/** Evidence of {@link energyRank}. */
export interface EnergyRankResult {
  /** Smallest k with cumulative energy >= target. */
  readonly k: number;
  /** The target fraction. */
  readonly target: number;
  /** Fraction of the energy the rank-k approximation keeps. */
  readonly retained: number;
  /** 1 - retained: relative squared Frobenius error ||A - A_k||_F^2 / ||A||_F^2. */
  readonly discarded: number;
}

/**
 * Smallest k whose best rank-k approximation keeps at least `target` of the energy
 * (sum_{i<=k} s_i^2 / sum_i s_i^2 >= target): the "keep 90-99% of the energy" rule. A
 * relative tolerance of 4 eps absorbs rounding, so target 1 returns the numerical rank.
 * The zero matrix (or no values) gives k = 0. O(r).
 * @param target - fraction in (0, 1], e.g. 0.9.
 * @example energyRank([6, 3, 2, 1], 0.9).k // 2 (45 of 50 units of energy)
 */
export function energyRank(s: ArrayLike<number>, target: number): EnergyRankResult {
  check(Number.isFinite(target) && target > 0 && target <= 1, () => `energyRank: target must be a fraction in (0, 1], got ${target}`);
  const v = checkValues(s, 'energyRank');
  const cum = cumulativeEnergy(v);
  const total = sumSquares(v);
  if (total === 0) return { k: 0, target, retained: 1, discarded: 0 };
  const tol = 4 * Number.EPSILON;
  let k = v.length;
  for (let i = 0; i < v.length; i++) {
    if (cum[i]! >= target * (1 - tol)) {
      k = i + 1;
      break;
    }
  }
  const retained = k === 0 ? 0 : cum[k - 1]!;
  return { k, target, retained, discarded: sumSquares(v, k) / total };
}

/** Evidence of {@link elbowRank}. */
export interface ElbowRankResult {
  /** The knee: the k farthest above the chord of the cumulative-energy curve. */
  readonly k: number;
  /** Height of the knee above the chord, C_k - k/r (0 when the curve is the chord itself). */
  readonly distance: number;
  /** The curve examined: C_0 = 0, C_1, ..., C_r = 1 (length r + 1). */
  readonly curve: Float64Array;
}

/**
 * Elbow (knee) of the scree plot, located on the cumulative-energy curve C_k (k = 0..r) as
 * the point farthest above the chord from (0, 0) to (r, 1): k = argmax_k C_k - k / r. This
 * is Kneedle (Satopaa, Albrecht, Irwin & Raghavan 2011, "Finding a 'Kneedle' in a
 * Haystack") for a concave increasing curve with both axes normalized to [0, 1], and the
 * same point as the maximum perpendicular distance to the chord. The curve flattens there:
 * components past the knee add less energy than an even share. Ties go to the smaller k;
 * the zero matrix gives 0. O(r).
 */
export function elbowRank(s: ArrayLike<number>): ElbowRankResult {
  const v = checkValues(s, 'elbowRank');
  const r = v.length;
  const curve = new Float64Array(r + 1);
  const total = sumSquares(v);
  if (r === 0 || total === 0) return { k: 0, distance: 0, curve: curve.fill(1, 1) }; // nothing to lose: C_k = 1 for k >= 1
  curve.set(cumulativeEnergy(v), 1);
  let k = 0;
  let best = 0;
  for (let i = 1; i <= r; i++) {
    const d = curve[i]! - i / r;
    if (d > best * (1 + 1e-12) + 1e-15) {
      best = d;
      k = i;
    }
  }
  // A curve on (or below) its chord, i.e. equal singular values, has no knee: keep them all.
  if (k === 0) k = r;
  return { k, distance: best, curve };
}

/**
 * What the rules that model noise ({@link aicRank}, {@link gavishDonohoRank},
 * {@link suggestRank}) need besides the singular values: the shape of the matrix, and the
 * noise level when it is known.
 */
export interface NoiseModelOptions {
  /** Rows m of the matrix the values come from. */
  readonly m: number;
  /** Columns n of the matrix. */
  readonly n: number;
  /**
   * Known noise standard deviation sigma of each entry (A = X + sigma Z, Z iid N(0, 1)):
   * > 0 for {@link aicRank}, >= 0 for {@link gavishDonohoRank}. Default: estimated as
   * Gavish & Donoho do, median(s) / sqrt(max(m, n) mu_beta) ({@link estimateNoiseSigma}),
   * which needs all min(m, n) singular values.
   */
  readonly noiseSigma?: number;
}

/** Options of {@link aicRank}. */
export interface AicRankOptions extends NoiseModelOptions {}

/** Evidence of {@link aicRank}. */
export interface AicRankResult {
  /** argmin over r = 0..min(m, n) of the AIC cost. */
  readonly k: number;
  /** The noise variance sigma^2 used. */
  readonly noiseVariance: number;
  /** True when sigma was estimated from the singular values. */
  readonly noiseEstimated: boolean;
  /** AIC cost of every rank r = 0..r_max: sum_{i>r} s_i^2 / sigma^2 + 2 r (m + n - r). */
  readonly scores: Float64Array;
}

/**
 * Rank by the Akaike information criterion for a rank-r matrix observed in Gaussian noise:
 *
 *   AIC(r) = ||A - A_r||_F^2 / sigma^2 + 2 k_r,   k_r = r (m + n - r),
 *
 * where ||A - A_r||_F^2 = sum_{i>r} s_i^2 (Eckart-Young) and k_r is the number of free
 * parameters of a rank-r m x n matrix (r (m + n) factor entries less the r^2 of the
 * GL(r) ambiguity). k = argmin_r AIC(r), r = 0..min(m, n), ties to the smaller r. Adding
 * the r-th component pays when s_r^2 > 2 sigma^2 (m + n - 2r + 1), i.e. roughly above the
 * noise bulk edge (sqrt(m) + sqrt(n)) sigma.
 *
 * The noise variance sigma^2 is `noiseSigma`^2 when given; otherwise it is estimated from
 * the median singular value, sigma = median(s) / sqrt(max(m, n) mu_beta), mu_beta the median
 * of the Marchenko-Pastur law with ratio beta = min(m, n) / max(m, n) (Gavish & Donoho
 * 2014, eq. (5)); that estimate needs all min(m, n) singular values. O(r).
 */
export function aicRank(s: ArrayLike<number>, options: AicRankOptions): AicRankResult {
  const { v, m, n } = checkInputs(s, options, 'aicRank');
  let sigma = options.noiseSigma;
  const estimated = sigma === undefined;
  if (sigma === undefined) sigma = estimateNoiseSigma(v, m, n);
  else check(Number.isFinite(sigma) && sigma > 0, () => `aicRank: noiseSigma must be a number > 0, got ${options.noiseSigma}`);
  const rmax = Math.min(m, n, v.length);
  const scores = new Float64Array(rmax + 1);
  const variance = sigma * sigma;
  let k = 0;
  for (let r = 0; r <= rmax; r++) {
    const fit = variance > 0 ? sumSquares(v, r) / variance : r < v.length && v[r]! > 0 ? Infinity : 0;
    scores[r] = fit + 2 * r * (m + n - r);
    if (scores[r]! < scores[k]!) k = r;
  }
  return { k, noiseVariance: variance, noiseEstimated: estimated, scores };
}

/** Options of {@link largestGapRank}. */
export interface GapRankOptions {
  /**
   * 'absolute' (default): the largest difference s_k - s_{k+1}, with s_{r+1} = 0 after the
   * last value. 'relative': the largest ratio s_k / s_{k+1} (scale-free), stopping at the
   * first numerically zero value (<= r eps s_1), where the ratio is infinite.
   */
  readonly kind?: 'absolute' | 'relative';
}

/** Evidence of {@link largestGapRank}. */
export interface GapRankResult {
  /** The k after which the spectrum drops the most. */
  readonly k: number;
  /** The winning gap (difference or ratio). */
  readonly gap: number;
  /** Which gap was measured. */
  readonly kind: 'absolute' | 'relative';
  /** gaps[k - 1] is the gap between s_k and s_{k+1}. */
  readonly gaps: Float64Array;
}

/**
 * Rank at the largest singular-value gap: a sharp drop after s_k is the sign of a
 * well-defined k-dimensional structure (and, by Wedin's sin-theta theorem, of a stable
 * subspace). Ties go to the smaller k; the zero matrix gives 0. O(r).
 */
export function largestGapRank(s: ArrayLike<number>, options: GapRankOptions = {}): GapRankResult {
  const kind = options.kind ?? 'absolute';
  check(kind === 'absolute' || kind === 'relative', () => `largestGapRank: kind must be 'absolute' or 'relative', got '${String(kind)}'`);
  const v = checkValues(s, 'largestGapRank');
  const r = v.length;
  if (r === 0 || v[0] === 0) return { k: 0, gap: 0, kind, gaps: new Float64Array(r) };
  let gaps: Float64Array;
  if (kind === 'absolute') {
    gaps = new Float64Array(r);
    for (let i = 0; i < r; i++) gaps[i] = v[i]! - (i + 1 < r ? v[i + 1]! : 0);
  } else {
    const floor = r * Number.EPSILON * v[0]!;
    const out: number[] = [];
    for (let i = 0; i + 1 < r; i++) {
      const next = v[i + 1]!;
      if (next <= floor) {
        out.push(Infinity);
        break;
      }
      out.push(v[i]! / next);
    }
    if (out.length === 0) out.push(Infinity); // a single nonzero value
    gaps = Float64Array.from(out);
  }
  let k = 1;
  for (let i = 1; i < gaps.length; i++) if (gaps[i]! > gaps[k - 1]!) k = i + 1;
  return { k, gap: gaps[k - 1]!, kind, gaps };
}

/** Options of {@link gavishDonohoRank}. */
export interface GavishDonohoOptions extends NoiseModelOptions {}

/** Evidence of {@link gavishDonohoRank}. */
export interface GavishDonohoResult {
  /** Number of singular values above the threshold. */
  readonly k: number;
  /** The hard threshold tau. */
  readonly threshold: number;
  /** Aspect ratio beta = min(m, n) / max(m, n). */
  readonly beta: number;
  /** lambda*(beta) with known noise, omega(beta) with unknown noise. */
  readonly coefficient: number;
  /** The noise level: the given sigma, or the estimate median(s) / sqrt(max(m, n) mu_beta). */
  readonly noiseSigma: number;
  /** True when sigma was given. */
  readonly noiseKnown: boolean;
}

/**
 * Gavish-Donoho optimal hard threshold: keep the singular values above tau, the threshold
 * that minimizes the asymptotic mean squared error of hard-thresholding the SVD of
 * A = X + sigma Z (Z iid N(0, 1), X low rank). With beta = min(m, n) / max(m, n):
 *
 * - known sigma: tau = lambda*(beta) sqrt(max(m, n)) sigma, where
 *   lambda*(beta) = sqrt(2 (beta + 1) + 8 beta / (beta + 1 + sqrt(beta^2 + 14 beta + 1)))
 *   (4 / sqrt(3) = 2.309 for square matrices);
 * - unknown sigma: tau = omega(beta) median(s), omega(beta) = lambda*(beta) / sqrt(mu_beta),
 *   mu_beta the median of the Marchenko-Pastur distribution, computed here by quadrature and
 *   bisection rather than with the paper's cubic fit (omega(1) = 2.858).
 *
 * Reference: M. Gavish & D. L. Donoho, IEEE Trans. Inf. Theory 60(8), 2014, eqs. (4), (5)
 * and Table IV. The unknown-noise rule needs all min(m, n) singular values. O(r log r).
 */
export function gavishDonohoRank(s: ArrayLike<number>, options: GavishDonohoOptions): GavishDonohoResult {
  const { v, m, n } = checkInputs(s, options, 'gavishDonohoRank');
  const beta = Math.min(m, n) / Math.max(m, n);
  const known = options.noiseSigma !== undefined;
  let threshold: number;
  let coefficient: number;
  let sigma: number;
  if (options.noiseSigma !== undefined) {
    sigma = options.noiseSigma;
    check(Number.isFinite(sigma) && sigma >= 0, () => `gavishDonohoRank: noiseSigma must be a number >= 0, got ${sigma}`);
    coefficient = optimalThresholdLambda(beta);
    threshold = coefficient * Math.sqrt(Math.max(m, n)) * sigma;
  } else {
    coefficient = optimalThresholdOmega(beta);
    const med = median(fullSpectrum(v, m, n, 'gavishDonohoRank'));
    threshold = coefficient * med;
    sigma = noiseFromMedian(med, m, n);
  }
  let k = 0;
  while (k < v.length && v[k]! > threshold) k++;
  return { k, threshold, beta, coefficient, noiseSigma: sigma, noiseKnown: known };
}

/**
 * lambda*(beta) = sqrt(2 (beta + 1) + 8 beta / (beta + 1 + sqrt(beta^2 + 14 beta + 1))): the
 * optimal hard threshold in units of sqrt(n) sigma for known noise (Gavish & Donoho 2014,
 * eq. (11)). lambda*(1) = 4 / sqrt(3).
 * @param beta - aspect ratio in (0, 1].
 */
export function optimalThresholdLambda(beta: number): number {
  check(beta > 0 && beta <= 1, () => `optimalThresholdLambda: beta must be in (0, 1], got ${beta}`);
  return Math.sqrt(2 * (beta + 1) + (8 * beta) / (beta + 1 + Math.sqrt(beta * beta + 14 * beta + 1)));
}

/**
 * omega(beta) = lambda*(beta) / sqrt(mu_beta): the optimal hard threshold in units of the
 * median singular value when the noise level is unknown (Gavish & Donoho 2014, eq. (5)).
 * omega(1) = 2.858.
 */
export function optimalThresholdOmega(beta: number): number {
  return optimalThresholdLambda(beta) / Math.sqrt(marchenkoPasturMedian(beta));
}

const mpMedianCache = new Map<number, number>();

/**
 * Median of the Marchenko-Pastur distribution with ratio beta in (0, 1] (the limiting law
 * of the eigenvalues of Z Z^T / n for Z m x n iid N(0, 1), m / n -> beta), with density
 * sqrt((b - t)(t - a)) / (2 pi beta t) on [a, b] = [(1 - sqrt beta)^2, (1 + sqrt beta)^2].
 * The CDF is integrated with t = (1 + beta) + 2 sqrt(beta) cos(theta), which removes the
 * square-root endpoint singularities (composite Simpson, 512 panels), and the median is
 * found by bisection to full precision. mu_1 = 0.6528. Results are cached per beta.
 */
export function marchenkoPasturMedian(beta: number): number {
  check(beta > 0 && beta <= 1, () => `marchenkoPasturMedian: beta must be in (0, 1], got ${beta}`);
  const hit = mpMedianCache.get(beta);
  if (hit !== undefined) return hit;
  const c = 1 + beta;
  const h = 2 * Math.sqrt(beta);
  const a = (1 - Math.sqrt(beta)) ** 2;
  const b = (1 + Math.sqrt(beta)) ** 2;
  // Density in theta: h^2 sin^2(theta) / (2 pi beta t(theta)), theta from pi (t = a) to 0 (t = b).
  const f = (th: number): number => {
    // beta = 1: a = 0 and the density simplifies to (1 - cos theta) / pi (no 0 / 0 at t = 0).
    if (beta === 1) return (1 - Math.cos(th)) / Math.PI;
    const t = c + h * Math.cos(th);
    const sn = Math.sin(th);
    return (h * h * sn * sn) / (2 * Math.PI * beta * t);
  };
  // P(T <= x) = integral over theta in [acos((x - c) / h), pi].
  const cdf = (x: number): number => {
    const lo = Math.acos(Math.min(1, Math.max(-1, (x - c) / h)));
    const panels = 512;
    const w = (Math.PI - lo) / panels;
    let acc = f(lo) + f(Math.PI);
    for (let i = 1; i < panels; i++) acc += (i % 2 === 1 ? 4 : 2) * f(lo + i * w);
    return (acc * w) / 3;
  };
  let lo = a;
  let hi = b;
  for (let it = 0; it < 100 && hi - lo > 4 * Number.EPSILON * hi; it++) {
    const mid = 0.5 * (lo + hi);
    if (cdf(mid) < 0.5) lo = mid;
    else hi = mid;
  }
  const mu = 0.5 * (lo + hi);
  mpMedianCache.set(beta, mu);
  return mu;
}

/**
 * Noise level estimate sigma = median(s) / sqrt(max(m, n) mu_beta) for A = X + sigma Z
 * (Gavish & Donoho 2014, eq. (5)): robust because the median singular value is set by
 * the noise bulk as long as the rank of X is well below min(m, n).
 * @param s - all min(m, n) singular values.
 */
export function estimateNoiseSigma(s: ArrayLike<number>, m: number, n: number): number {
  checkShape({ m, n }, 'estimateNoiseSigma');
  const v = fullSpectrum(checkValues(s, 'estimateNoiseSigma'), m, n, 'estimateNoiseSigma');
  return noiseFromMedian(median(v), m, n);
}

function checkShape(o: { m: number; n: number }, what: string): { m: number; n: number } {
  const { m, n } = o;
  check(Number.isInteger(m) && Number.isInteger(n) && m >= 1 && n >= 1, () => `${what}: m and n (the matrix shape) must be integers >= 1, got ${m} x ${n}`);
  return { m, n };
}

/** The shape, then the singular values, checked as every rule that models noise needs them. */
function checkInputs(s: ArrayLike<number>, options: NoiseModelOptions, what: string): { v: Float64Array; m: number; n: number } {
  const { m, n } = checkShape(options, what);
  return { v: checkValues(s, what), m, n };
}

/** sigma = median(s) / sqrt(max(m, n) mu_beta) (Gavish & Donoho 2014, eq. (5)), from the median. */
function noiseFromMedian(med: number, m: number, n: number): number {
  const beta = Math.min(m, n) / Math.max(m, n);
  return med / Math.sqrt(Math.max(m, n) * marchenkoPasturMedian(beta));
}

function fullSpectrum(v: Float64Array, m: number, n: number, what: string): Float64Array {
  const r = Math.min(m, n);
  if (v.length !== r) {
    throw new InvalidArgumentError(`${what}: estimating the noise needs all min(m, n) = ${r} singular values, got ${v.length} (pass noiseSigma, or use svdvals for the full spectrum)`);
  }
  return v;
}

function median(v: Float64Array): number {
  const w = Float64Array.from(v).sort();
  const h = w.length >> 1;
  return w.length % 2 === 1 ? w[h]! : 0.5 * (w[h - 1]! + w[h]!);
}

// ------------------------------------------------------------------ all rules

/** Options of {@link suggestRank}. */
export interface SuggestRankOptions extends NoiseModelOptions {
  /** Energy target of the energy rule, default 0.9. */
  readonly energy?: number;
  /** Kind of gap of the gap rule, default 'absolute'. */
  readonly gap?: 'absolute' | 'relative';
}

/** Every rule's k and evidence. */
export interface RankSuggestions {
  /** {@link energyRank}: fewest components keeping the `energy` fraction (default 0.9) of the squared singular values. */
  readonly energy: EnergyRankResult;
  /** {@link elbowRank}: where the spectrum bends. */
  readonly elbow: ElbowRankResult;
  /** {@link aicRank}: the AIC-optimal rank. */
  readonly aic: AicRankResult;
  /** {@link largestGapRank}: before the largest (`gap`: absolute or relative) gap between consecutive values. */
  readonly gap: GapRankResult;
  /** {@link gavishDonohoRank}: values above the Gavish-Donoho optimal hard threshold. */
  readonly gavishDonoho: GavishDonohoResult;
}

/**
 * Apply every rank rule to the singular values of an m x n matrix ({@link energyRank},
 * {@link elbowRank}, {@link aicRank}, {@link largestGapRank}, {@link gavishDonohoRank}).
 * The rules answer different questions (how much energy to keep, where the spectrum bends,
 * where signal stops beating noise); when they agree, the choice is easy. O(r log r).
 * @param s - all min(m, n) singular values, descending (e.g. from `svdvals`).
 * @example
 * const r = suggestRank(svdvals(A), { m: A.rows, n: A.cols });
 * console.log(r.energy.k, r.gavishDonoho.k);
 */
export function suggestRank(s: ArrayLike<number>, options: SuggestRankOptions): RankSuggestions {
  const { v, m, n } = checkInputs(s, options, 'suggestRank');
  return {
    energy: energyRank(v, options.energy ?? 0.9),
    elbow: elbowRank(v),
    aic: aicRank(v, { m, n, noiseSigma: options.noiseSigma }),
    gap: largestGapRank(v, { kind: options.gap }),
    gavishDonoho: gavishDonohoRank(v, { m, n, noiseSigma: options.noiseSigma }),
  };
}
