/**
 * Image compression by truncated SVD, the textbook illustration of the Eckart-Young theorem
 * (Eckart & Young 1936; e.g. Strang, "Linear Algebra and Learning from Data", 2019, I.9, or
 * Trefethen & Bau, "Numerical Linear Algebra", Lecture 5): each channel of a picture is an
 * m x n matrix A (m = height, n = width, samples scaled to [0, 1]); its best rank-k
 * approximation in the Frobenius norm is A_k = U_k diag(s_k) V_k^T, stored in k (m + n + 1)
 * numbers instead of m n, with error
 *
 *   ||A - A_k||_F^2 = s_{k+1}^2 + ... + s_r^2,   energy retained = (s_1^2 + ... + s_k^2) / ||A||_F^2.
 *
 * Color images are compressed channel by channel (R, G, B each get rank k). An alpha channel
 * is copied unchanged (`alpha: 'keep'`, default) or removed (`'drop'`); it is never
 * factored, and not counted in the report.
 */
import { InvalidArgumentError } from '../../errors.js';
import { svd } from '../../linalg/svd.js';
import { LowRank } from '../../lowrank/low-rank.js';
import { randomizedSvd } from '../../lowrank/randomized-svd.js';
import type { Matrix } from '../../matrix/matrix.js';
import { EXACT_OR_RANDOMIZED_METHODS, oneOf, opt, resolveOptions, seedRule, tableFor, type ExactOrRandomizedMethod } from '../../options.js';
import { checkAborted, type LongTaskOptions } from '../../progress.js';
import { blankLike, channelMatrix, checkRaster, copyChannel, hasAlpha, maxSample, setChannel, type CheckedRaster, type RasterImage } from './raster.js';

/** The ways each channel's rank-k factors can be computed: the list {@link EXACT_OR_RANDOMIZED_METHODS}, shared with compressWeight. */
export const COMPRESS_METHODS = EXACT_OR_RANDOMIZED_METHODS;
/** How each channel's rank-k factors are computed. */
export type CompressMethod = ExactOrRandomizedMethod;
/** What happens to an alpha channel: copied unchanged, or removed. */
export const ALPHA_MODES = ['keep', 'drop'] as const;

/**
 * Options of {@link compressImage} (unknown keys are an error); {@link compressionCurve}
 * takes the same without `rank`. `onProgress` is called after each channel
 * (`stage: 'channel'`), `signal` is checked before each.
 */
export interface CompressOptions extends LongTaskOptions {
  /**
   * Rank k kept per color channel: an integer >= 1. Values above min(width, height) are
   * clamped to it (the report's `rank` says what was used); that rank reproduces the
   * image up to rounding.
   */
  rank: number;
  /**
   * `'exact'`: the full SVD of each channel (LAPACK dgesdd's algorithm; about 4 m n^2 + 8 n^3
   * flops, n = min side) — the optimal A_k, and the whole spectrum in the report.
   * `'randomized'`: randomized subspace iteration for the top k triplets only (Halko,
   * Martinsson & Tropp 2011; about 2 m n (k + 10)(2q + 2) flops): much faster for a small k
   * on a large photo, within a fraction of a percent of the optimal error for natural
   * images; `spectrum` then holds only the k values found.
   * Default `'auto'`: randomized when the image has more than 512 x 512 pixels and
   * k <= min(m, n) / 4, exact otherwise.
   */
  method?: CompressMethod;
  /** `'keep'` (default): copy the alpha channel unchanged; `'drop'`: return an image without alpha. */
  alpha?: (typeof ALPHA_MODES)[number];
  /** Seed of the randomized method's test matrix, an integer; default 0. */
  seed?: number;
}

/**
 * The rules of the options of {@link compressImage} and {@link compressionCurve} besides the
 * rank (checked on its own: a list of ranks is compressionCurve's argument) and the progress
 * and signal of LongTaskOptions.
 */
const COMPRESS_OPTIONS = tableFor<Omit<CompressOptions, 'rank' | keyof LongTaskOptions>>()({
  method: opt(oneOf(COMPRESS_METHODS), 'auto'),
  alpha: opt(oneOf(ALPHA_MODES), 'keep'),
  seed: opt(seedRule, 0),
});

/** Per-channel figures and their overall value (pooled over the color channels). */
export interface ChannelFigures {
  /** Pooled over all compressed channels. */
  readonly overall: number;
  /** One value per compressed channel (gray; or R, G, B). */
  readonly channels: readonly number[];
}

/** What {@link compressImage} measured. */
export interface CompressionReport {
  /** Rank used per channel (the requested one, clamped to min(width, height)). */
  readonly rank: number;
  /** Method that ran. */
  readonly method: 'exact' | 'randomized';
  /** Image width in pixels. */
  readonly width: number;
  /** Image height in pixels. */
  readonly height: number;
  /** Number of channels factored (1 gray, 3 color). */
  readonly colorChannels: number;
  /** What happened to an alpha channel. */
  readonly alpha: 'none' | 'kept' | 'dropped';
  /**
   * Fraction of the squared Frobenius norm kept, (s_1^2 + ... + s_k^2) / ||A||_F^2 per
   * channel; overall: kept / total summed over channels. 1 for an all-black channel.
   */
  readonly energyRetained: ChannelFigures;
  /**
   * ||A - A_k||_F / ||A||_F of the unrounded approximation (= sqrt(1 - energyRetained)
   * for the exact method, by Eckart-Young); overall: pooled over channels. 0 for an
   * all-black channel.
   */
  readonly relativeError: ChannelFigures;
  /**
   * Peak signal-to-noise ratio of the written image against the input, in dB:
   * 10 log10(1 / MSE) with samples in [0, 1], after rounding and clamping (Infinity when
   * they are equal).
   */
  readonly psnr: ChannelFigures;
  /**
   * Numbers stored over samples, k (m + n + 1) / (m n): below 1 the factors are smaller
   * than the picture (the same for every channel). Note {@link LowRank.compressionRatio}
   * is the inverse view, m n / (k (m + n)).
   */
  readonly compressionRatio: number;
  /** Numbers in the factors of all color channels, channels k (m + n + 1). */
  readonly storedValues: number;
  /** Samples of the color channels, channels m n. */
  readonly samples: number;
  /**
   * Singular values of each channel (samples in [0, 1]): all min(m, n) of them for the
   * exact method, the k computed for the randomized one.
   */
  readonly spectrum: readonly Float64Array[];
}

/** Result of {@link compressImage}. */
export interface CompressedImage {
  /** The rank-k image: same size, depth and array type as the input (one channel less with `alpha: 'drop'`). */
  readonly image: CheckedRaster;
  /** What the compression kept and lost (ranks, energy, errors, sizes). */
  readonly report: CompressionReport;
  /** Each color channel's rank-k factors (samples in [0, 1]): `factors[c].reconstruct()` is channel c before rounding. */
  readonly factors: readonly LowRank[];
}

/** Pixel count above which `'auto'` may pick the randomized method (a 512 x 512 photo stays exact). */
const AUTO_EXACT_PIXELS = 512 * 512;

/**
 * Compress an image to rank k per color channel and measure what was lost.
 *
 * Each color channel (samples divided by 255 or 65535) is factored with {@link svd}
 * (`method: 'exact'`) or {@link randomizedSvd}, truncated to rank k, multiplied back
 * (one gemm) and rounded and clamped to the sample range. The input is not modified.
 *
 * Cost: per channel, the SVD (see `method`) plus 2 m n k flops for the reconstruction;
 * memory O(m n) per channel at a time.
 *
 * @param image - gray, gray + alpha, RGB or RGBA, 8 or 16 bits (a decoded PNG or a canvas `ImageData`).
 * @param options - `rank` (required), `method`, `alpha`, `seed`; `onProgress` is called after
 * each channel (`stage: 'channel'`), `signal` is checked before each.
 * @returns the compressed image, the {@link CompressionReport} and the factors.
 * @throws InvalidArgumentError for a bad image or option (e.g. an empty image, rank < 1),
 * AbortedError when `signal` fires.
 * @example
 * const { image, report } = compressImage(await readPng('photo.png'), { rank: 30 });
 * report.energyRetained.overall; report.compressionRatio; // 0.99.., 0.11..
 */
export function compressImage(image: RasterImage, options: CompressOptions): CompressedImage {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('compressImage: options { rank } are required');
  const { rank, ...rest } = options;
  const run = compressRanks(image, [rank], rest, true, 'compressImage');
  return { image: run.images[0]!, report: run.reports[0]!, factors: run.factors[0]! };
}

/**
 * The {@link CompressionReport} of several ranks from one factorization per channel: the
 * rank-energy-error-ratio curve of an image (what a scree plot or a "which k?" table shows).
 * Each channel is factored once at the largest rank (with `'auto'`, the method is chosen for
 * that rank) and truncated for the others, so the curve costs about one
 * {@link compressImage} at the largest rank plus a reconstruction per rank.
 *
 * @param ranks - ranks >= 1 (each clamped to min(width, height)), in any order; the reports
 * come in the same order.
 * @throws as {@link compressImage}; InvalidArgumentError for an empty `ranks`.
 * @example
 * compressionCurve(img, [5, 10, 20, 50]).map((r) => [r.rank, r.energyRetained.overall, r.compressionRatio]);
 */
export function compressionCurve(image: RasterImage, ranks: readonly number[], options: Omit<CompressOptions, 'rank'> = {}): CompressionReport[] {
  if (!Array.isArray(ranks) || ranks.length === 0) throw new InvalidArgumentError('compressionCurve: give at least one rank');
  return compressRanks(image, ranks, options, false, 'compressionCurve').reports;
}

interface RankRun {
  images: CheckedRaster[];
  reports: CompressionReport[];
  factors: LowRank[][];
}

/** Sums over one channel at one rank. */
interface ChannelSums {
  kept: number;
  total: number;
  residual: number;
  roundedSse: number;
}

/** Factor each color channel once at the largest rank; measure (and optionally build) every rank. */
function compressRanks(image: RasterImage, requestedRanks: readonly number[], options: Omit<CompressOptions, 'rank'>, build: boolean, routine: string): RankRun {
  const src = checkRaster(image, routine);
  const { width: n, height: m } = src;
  for (const r of requestedRanks) if (!(Number.isInteger(r) && r >= 1)) throw new InvalidArgumentError(`${routine}: rank must be an integer >= 1, got ${String(r)}`);
  // Progress and cancellation are LongTaskOptions; the rest goes through the table.
  const { signal, onProgress, ...rest } = options;
  const { alpha: alphaMode, method: methodOption, seed } = resolveOptions(routine, COMPRESS_OPTIONS, rest);
  if (m === 0 || n === 0) throw new InvalidArgumentError(`${routine}: the image is ${n}x${m} pixels; nothing to compress`);

  const ranks = requestedRanks.map((r) => Math.min(r, m, n));
  const kmax = Math.max(...ranks);
  const method = methodOption !== 'auto' ? methodOption : m * n > AUTO_EXACT_PIXELS && 4 * kmax <= Math.min(m, n) ? 'randomized' : 'exact';
  const alpha = hasAlpha(src.channels);
  const colorChannels = alpha ? src.channels - 1 : src.channels;
  const outChannels = (alpha && alphaMode === 'drop' ? colorChannels : src.channels) as 1 | 2 | 3 | 4;
  const images = build ? ranks.map(() => blankLike(src, outChannels)) : [];
  if (alpha && alphaMode === 'keep') for (const out of images) copyChannel(src, src.channels - 1, out, outChannels - 1);

  const sums: ChannelSums[][] = ranks.map(() => []);
  const factors: LowRank[][] = ranks.map(() => []);
  const spectrum: Float64Array[] = [];
  for (let c = 0; c < colorChannels; c++) {
    checkAborted(signal, routine);
    const A = channelMatrix(src, c);
    const { low, values } = factorChannel(A, kmax, method, seed, signal);
    spectrum.push(values);
    ranks.forEach((k, r) => {
      const lowK = k === kmax ? low : low.truncate(k);
      const Ak = lowK.reconstruct();
      if (build) setChannel(images[r]!, c, Ak);
      let kept = 0;
      for (let i = 0; i < k; i++) kept += lowK.s[i]! * lowK.s[i]!;
      sums[r]!.push({ kept, ...channelErrors(A, Ak, src.depth) });
      factors[r]!.push(lowK);
    });
    const last = sums[ranks.indexOf(kmax)]![c]!;
    onProgress?.({ stage: 'channel', done: c + 1, total: colorChannels, metrics: { energyRetained: ratio(last.kept, last.total, 1) } });
  }

  const samples = m * n;
  const reports = ranks.map((k, r): CompressionReport => {
    const per = sums[r]!;
    const sum = (f: (s: ChannelSums) => number): number => per.reduce((t, s) => t + f(s), 0);
    const total = sum((s) => s.total);
    return {
      rank: k,
      method,
      width: n,
      height: m,
      colorChannels,
      alpha: !alpha ? 'none' : alphaMode === 'keep' ? 'kept' : 'dropped',
      energyRetained: {
        overall: Math.min(1, ratio(sum((s) => s.kept), total, 1)),
        channels: per.map((s) => Math.min(1, ratio(s.kept, s.total, 1))),
      },
      relativeError: {
        overall: Math.sqrt(ratio(sum((s) => s.residual), total, 0)),
        channels: per.map((s) => Math.sqrt(ratio(s.residual, s.total, 0))),
      },
      psnr: {
        overall: psnrOf(sum((s) => s.roundedSse) / (samples * colorChannels)),
        channels: per.map((s) => psnrOf(s.roundedSse / samples)),
      },
      compressionRatio: (k * (m + n + 1)) / samples,
      storedValues: colorChannels * k * (m + n + 1),
      samples: colorChannels * samples,
      spectrum,
    };
  });
  return { images, reports, factors };
}

/** a / b, or `empty` when b is 0 (an all-zero channel). */
function ratio(a: number, b: number, empty: number): number {
  return b > 0 ? a / b : empty;
}

/** PSNR in dB for a mean squared error of samples in [0, 1]. */
function psnrOf(mse: number): number {
  return mse > 0 ? -10 * Math.log10(mse) : Infinity;
}

/** Rank-k factors of one channel, and the singular values to report. */
function factorChannel(A: Matrix, k: number, method: 'exact' | 'randomized', seed: number, signal: AbortSignal | undefined): { low: LowRank; values: Float64Array } {
  if (method === 'exact') {
    const f = svd(A);
    const t = f.truncate(k);
    return { low: new LowRank(t.U.copy(), t.s, t.Vt.copy()), values: Float64Array.from(f.s) };
  }
  const low = randomizedSvd(A, k, { seed, signal });
  return { low, values: Float64Array.from(low.s) };
}

/**
 * ||A||_F^2, ||A - A_k||_F^2 (unrounded), and the squared error in [0, 1] units of the
 * samples as written (A_k scaled to the sample range, rounded and clamped, as `setChannel`
 * does) against the input's (A is the input channel scaled, so A * max is exact).
 */
function channelErrors(A: Matrix, Ak: Matrix, depth: 8 | 16): { total: number; residual: number; roundedSse: number } {
  const m = A.rows;
  const n = A.cols;
  const max = maxSample(depth);
  let total = 0;
  let residual = 0;
  let roundedSse = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      const a = A.get(i, j);
      const ak = Ak.get(i, j);
      const d = a - ak;
      total += a * a;
      residual += d * d;
      const v = Math.round(ak * max);
      const e = Math.round(a * max) - (v < 0 ? 0 : v > max ? max : v);
      roundedSse += e * e;
    }
  }
  return { total, residual, roundedSse: roundedSse / (max * max) };
}
