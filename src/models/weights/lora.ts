/**
 * LoRA factors of one weight update: given a base weight W (out x in) and a fine-tuned W',
 * the rank-r factors B (out x r) and A (r x in) with
 *
 *   scale * B A = (W' - W)_r,   scale = alpha / r   (alpha / sqrt(r) with rsLoRA),
 *
 * the truncated SVD of the update, which by Eckart & Young (1936) is the best rank-r
 * approximation of W' - W in the Frobenius norm: a LoRA adapter (Hu et al., "LoRA: Low-Rank
 * Adaptation of Large Language Models", ICLR 2022) that reproduces a full fine-tune as
 * closely as rank r can. The singular values are split evenly, B = U_r S_r^(1/2) / sqrt(scale)
 * and A = S_r^(1/2) V_r^T / sqrt(scale), so the two factors have equal norms.
 *
 * A layer whose smaller side is below r keeps min(out, in) directions and is padded with
 * zero rows of A and zero columns of B: PEFT builds every LoRA layer of an adapter with the
 * same r (its `nn.Linear(in, r)`), so the factors must have that shape to load.
 *
 * Also here: the update scale * B A of given factors, merging it into a weight, and the
 * spectrum of an update (how much of an adapter's rank it uses), computed from the factors
 * without forming B A: with B = Q_B R_B and A^T = Q_A R_A, B A = Q_B (R_B R_A^T) Q_A^T, so its
 * singular values are those of the small R_B R_A^T.
 */
import { InvalidArgumentError, ShapeError } from '../../errors.js';
import { gemmInto } from '../../linalg/matmul.js';
import { qr } from '../../linalg/qr.js';
import { svdvals } from '../../linalg/svd.js';
import { epsOf } from '../../matrix/dtype.js';
import { Matrix } from '../../matrix/matrix.js';
import { bool, int, maybe, num, oneOf, opt, required, resolveOptions, satisfies, seedRule, tableFor } from '../../options.js';
import type { LongTaskOptions } from '../../progress.js';
import { sumSquares } from './adaptive-svd.js';
import { COMPRESS_WEIGHT_METHODS, compressWeight, relativeErrorOf, type CompressWeightMethod } from './compress.js';
import { rankForEnergy } from './spectrum.js';

/**
 * The options every LoRA extraction takes, declared once: {@link extractLoraFactors} (one
 * weight) and extractLora (every changed weight of a model) extend this interface and spread
 * its rules and defaults into their option tables, as the randomized-solver estimators share
 * RandomizedSolverOptions.
 */
export interface LoraFactorOptions {
  /** The adapter's rank r, an integer >= 1 (required). Layers smaller than r are padded with zeros. */
  rank: number;
  /** lora_alpha, a number > 0; the update is (alpha / r) B A. Default r (scale 1). */
  alpha?: number;
  /** rsLoRA scaling alpha / sqrt(r) instead of alpha / r (Kalajdzievski 2023). Default false. */
  useRslora?: boolean;
  /**
   * How the update's SVD is computed (as {@link compressWeight}): `'exact'`, `'randomized'`,
   * or `'auto'` (default: exact when min(out, in) <= 512 or r is a large part of it).
   */
  method?: CompressWeightMethod;
  /** Seed of the randomized SVD, an integer (default 0). */
  seed?: number;
  /**
   * Applied to A and B before the errors are measured, e.g. rounding to the dtype they will
   * be stored in (F16, BF16), so the errors reported are those of the factors as stored.
   */
  roundFactors?: (M: Matrix) => Matrix;
}

/** The rules and defaults of {@link LoraFactorOptions}, spread into the tables of the routines that take them. */
export const LORA_FACTOR_OPTIONS = tableFor<LoraFactorOptions>()({
  rank: required(int(1)),
  alpha: opt(num(0, Infinity, 'low'), (o) => o.rank as number),
  useRslora: opt(bool, false),
  method: opt(oneOf(COMPRESS_WEIGHT_METHODS), 'auto'),
  seed: opt(seedRule, 0),
  roundFactors: maybe(satisfies('a function', (v): v is (M: Matrix) => Matrix => typeof v === 'function')),
});

/** Options of {@link extractLoraFactors}: {@link LoraFactorOptions}, progress and cancellation. */
export interface ExtractLoraFactorsOptions extends LongTaskOptions, LoraFactorOptions {}

/** What {@link extractLoraFactors} returns: the factors and how well they reproduce the update. */
export interface LoraFactors {
  /** r x in: S_r^(1/2) V_r^T / sqrt(scale), zero rows past min(out, in). The dtype of the update. */
  readonly A: Matrix;
  /** out x r: U_r S_r^(1/2) / sqrt(scale), zero columns past min(out, in). */
  readonly B: Matrix;
  /** The adapter's r (A's rows, B's columns). */
  readonly rank: number;
  /** Directions kept: min(r, out, in). */
  readonly keptRank: number;
  /** lora_alpha. */
  readonly alpha: number;
  /** alpha / r, or alpha / sqrt(r) with rsLoRA: the update is scale * B A. */
  readonly scale: number;
  /** [out, in]. */
  readonly shape: readonly [number, number];
  /** ||W' - W||_F. */
  readonly deltaNorm: number;
  /** ||W'||_F. */
  readonly tunedNorm: number;
  /** ||(W' - W) - scale B A||_F / ||W' - W||_F: how much of the update rank r misses. */
  readonly relativeError: number;
  /** ||W' - (W + scale B A)||_F / ||W'||_F: the merged weight against the tuned one. */
  readonly tunedRelativeError: number;
  /** sum_{i<=r} s_i^2 / ||W' - W||_F^2 (a lower bound when the SVD was randomized). */
  readonly energyKept: number;
  /** Singular values of the update computed (all of them for an exact SVD). */
  readonly singularValues: Float64Array;
  /** How the SVD was computed. */
  readonly method: 'exact' | 'randomized';
}

/**
 * W' - W as a new column-major matrix: float32 when both are float32, else float64.
 * @throws ShapeError when the shapes differ.
 */
export function weightDelta(base: Matrix, tuned: Matrix): Matrix {
  if (base.rows !== tuned.rows || base.cols !== tuned.cols) {
    throw new ShapeError(`weightDelta: base is ${base.rows}x${base.cols}, tuned is ${tuned.rows}x${tuned.cols}`);
  }
  const dtype = base.dtype === 'float32' && tuned.dtype === 'float32' ? 'float32' : 'float64';
  const m = base.rows;
  const D = Matrix.zeros(m, base.cols, { dtype });
  const d = D.data;
  const { data: b, offset: bo, rowStride: brs, colStride: bcs } = base;
  const { data: t, offset: to, rowStride: trs, colStride: tcs } = tuned;
  for (let j = 0; j < base.cols; j++) {
    const bj = bo + j * bcs;
    const tj = to + j * tcs;
    const dj = j * m;
    for (let i = 0; i < m; i++) d[dj + i] = t[tj + i * trs]! - b[bj + i * brs]!;
  }
  return D;
}

/** Whether two matrices of the same shape hold the same values (NaN never equals). */
export function sameValues(a: Matrix, b: Matrix): boolean {
  if (a.rows !== b.rows || a.cols !== b.cols) return false;
  for (let j = 0; j < a.cols; j++) {
    for (let i = 0; i < a.rows; i++) if (a.data[a.offset + i * a.rowStride + j * a.colStride] !== b.data[b.offset + i * b.rowStride + j * b.colStride]) return false;
  }
  return true;
}

/** The LoRA scale: alpha / r, or alpha / sqrt(r) with rsLoRA (PEFT's `scaling`). */
export function loraScale(rank: number, alpha: number, useRslora = false): number {
  return useRslora ? alpha / Math.sqrt(rank) : alpha / rank;
}

/**
 * The rank-r LoRA factors of the update tuned - base: B (out x r) and A (r x in) with
 * scale * B A the truncated SVD of the update (see the file comment).
 *
 * Cost: one subtraction and a truncated SVD of the update (exact, or randomized for large
 * layers, as {@link compressWeight}), plus the error check, 2 r out in flops.
 * @param base - the base weight, out x in.
 * @param tuned - the fine-tuned weight, the same shape.
 * @throws ShapeError when the shapes differ or the weight is empty; InvalidArgumentError for
 *   a bad option, or when the weights are equal (there is no update to factor);
 *   NonFiniteInputError on NaN/Inf.
 * @example
 * const f = extractLoraFactors(W, Wtuned, { rank: 16, alpha: 32 });
 * f.relativeError;                   // what rank 16 misses of the update
 * loraUpdate(f.A, f.B, f.scale);     // ~ Wtuned - W
 */
export function extractLoraFactors(base: Matrix, tuned: Matrix, options: ExtractLoraFactorsOptions): LoraFactors {
  const routine = 'extractLoraFactors';
  if (!(base instanceof Matrix) || !(tuned instanceof Matrix)) throw new InvalidArgumentError(`${routine}: base and tuned must be Matrix objects`);
  const { onProgress, signal, ...rest } = (options ?? {}) as ExtractLoraFactorsOptions;
  const o = resolveOptions(routine, LORA_FACTOR_OPTIONS, rest);
  if (base.rows !== tuned.rows || base.cols !== tuned.cols) throw new ShapeError(`${routine}: base is ${base.rows}x${base.cols}, tuned is ${tuned.rows}x${tuned.cols}`);
  const [out, inn] = base.shape;
  if (out === 0 || inn === 0) throw new ShapeError(`${routine}: the weights are ${out}x${inn}; there is nothing to factor`);
  const D = weightDelta(base, tuned);
  const deltaNorm2 = sumSquares(D);
  if (deltaNorm2 === 0) throw new InvalidArgumentError(`${routine}: base and tuned are equal; there is no update to factor`);
  const r = o.rank;
  const scale = loraScale(r, o.alpha, o.useRslora);
  const c = compressWeight(D, { rank: Math.min(r, out, inn), method: o.method, seed: o.seed, onProgress, signal });
  // B A = D_r; the adapter stores factors whose scale * B A is D_r.
  const f = 1 / Math.sqrt(scale);
  let A = Matrix.zeros(r, inn, { dtype: D.dtype });
  let B = Matrix.zeros(out, r, { dtype: D.dtype });
  for (let j = 0; j < inn; j++) for (let p = 0; p < c.rank; p++) A.data[p + j * r] = c.A.get(p, j) * f;
  for (let p = 0; p < c.rank; p++) for (let i = 0; i < out; i++) B.data[i + p * out] = c.B.get(i, p) * f;
  let relativeError = c.relativeError;
  if (o.roundFactors !== undefined) {
    A = o.roundFactors(A);
    B = o.roundFactors(B);
    if (!(A instanceof Matrix && B instanceof Matrix && A.rows === r && A.cols === inn && B.rows === out && B.cols === r)) {
      throw new InvalidArgumentError(`${routine}: roundFactors must return a matrix of the shape it is given`);
    }
    relativeError = relativeErrorOf(D, B.scale(scale), A);
  }
  const tunedNorm = Math.sqrt(sumSquares(tuned));
  const deltaNorm = Math.sqrt(deltaNorm2);
  return {
    A,
    B,
    rank: r,
    keptRank: c.rank,
    alpha: o.alpha,
    scale,
    shape: [out, inn],
    deltaNorm,
    tunedNorm,
    relativeError,
    tunedRelativeError: tunedNorm > 0 ? (relativeError * deltaNorm) / tunedNorm : 0,
    energyKept: c.energyKept,
    singularValues: c.singularValues,
    method: c.method,
  };
}

/**
 * The update scale * B A (out x in) of LoRA factors B (out x r) and A (r x in), as a new
 * column-major matrix (float32 when both factors are).
 * @throws ShapeError when B's columns are not A's rows.
 */
export function loraUpdate(A: Matrix, B: Matrix, scale: number): Matrix {
  if (B.cols !== A.rows) throw new ShapeError(`loraUpdate: B is ${B.rows}x${B.cols} and A is ${A.rows}x${A.cols}; B's columns must be A's rows (the rank)`);
  const dtype = A.dtype === 'float32' && B.dtype === 'float32' ? 'float32' : 'float64';
  const D = Matrix.zeros(B.rows, A.cols, { dtype });
  if (A.rows > 0) gemmInto(B, A, D, scale, 0);
  return D;
}

/**
 * W + scale * (B A), or W + scale * (B A)^T with `transpose` (PEFT's fan_in_fan_out layers,
 * whose weight is stored in x out, and embeddings), as a new column-major matrix in W's dtype.
 * @throws ShapeError when the factors do not fit W.
 */
export function mergeLoraFactors(W: Matrix, A: Matrix, B: Matrix, scale: number, transpose = false): Matrix {
  const [out, inn] = transpose ? [W.cols, W.rows] : [W.rows, W.cols];
  if (B.rows !== out || A.cols !== inn || B.cols !== A.rows) {
    throw new ShapeError(`mergeLoraFactors: B ${B.rows}x${B.cols} times A ${A.rows}x${A.cols} does not give the ${transpose ? 'transpose of the ' : ''}${W.rows}x${W.cols} weight`);
  }
  const M = W.copy();
  if (A.rows === 0) return M;
  if (transpose) gemmInto(A.T, B.T, M, scale, 1);
  else gemmInto(B, A, M, scale, 1);
  return M;
}

/** The spectrum of a LoRA update scale * B A and how much of the adapter's rank it uses. */
export interface LoraSpectrum {
  /** Singular values of scale * B A, descending (min(r, out, in) of them). */
  readonly singularValues: Float64Array;
  /** ||scale B A||_F. */
  readonly norm: number;
  /** The adapter's r (A's rows). */
  readonly rank: number;
  /**
   * Singular values above max(out, in) eps s_1, eps of the factors' dtype (numpy's
   * matrix_rank rule): the directions the update really has.
   */
  readonly numericalRank: number;
  /**
   * exp of the entropy of p_i = s_i / sum s_j (Roy & Vetterli, "The effective rank: a measure
   * of effective dimensionality", EUSIPCO 2007): r for r equal singular values, near 1 when one dominates.
   */
  readonly effectiveRank: number;
  /** Smallest rank keeping 90% of sum s_i^2. */
  readonly rank90: number;
  /** Smallest rank keeping 99% of sum s_i^2. */
  readonly rank99: number;
}

/**
 * The spectrum of the update scale * B A of factors B (out x r) and A (r x in), from two thin
 * QR factorizations and the SVD of an r x r matrix (see the file comment): O((out + in) r^2)
 * flops, the out x in update is never formed.
 * @throws ShapeError when B's columns are not A's rows.
 * @example
 * const sp = loraSpectrum(A, B, 2);
 * sp.effectiveRank; sp.numericalRank; // how much of r = A.rows the update uses
 */
export function loraSpectrum(A: Matrix, B: Matrix, scale: number): LoraSpectrum {
  if (B.cols !== A.rows) throw new ShapeError(`loraSpectrum: B is ${B.rows}x${B.cols} and A is ${A.rows}x${A.cols}; B's columns must be A's rows (the rank)`);
  const r = A.rows;
  const k = Math.min(r, B.rows, A.cols);
  let s = new Float64Array(0);
  if (k > 0) {
    const RB = qr(B.astype('float64')).R; // min(out, r) x r
    const RA = qr(A.T.astype('float64')).R; // min(in, r) x r
    const M = Matrix.zeros(RB.rows, RA.rows, { dtype: 'float64' });
    gemmInto(RB, RA.T, M, Math.abs(scale), 0);
    s = Float64Array.from(svdvals(M)).subarray(0, k);
  }
  let total = 0;
  let sum = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    total += s[i]! * s[i]!;
    sum += s[i]!;
  }
  const eps = epsOf(A.dtype === 'float64' && B.dtype === 'float64' ? 'float64' : 'float32');
  const tol = (s[0] ?? 0) * Math.max(B.rows, A.cols) * eps;
  let numericalRank = 0;
  let entropy = 0;
  for (const v of s) {
    if (v > tol) numericalRank++;
    const p = sum > 0 ? v / sum : 0;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return {
    singularValues: s,
    norm: Math.sqrt(total),
    rank: r,
    numericalRank,
    effectiveRank: sum > 0 ? Math.exp(entropy) : 0,
    rank90: total > 0 ? rankForEnergy(s, 0.9) : 0,
    rank99: total > 0 ? rankForEnergy(s, 0.99) : 0,
  };
}
