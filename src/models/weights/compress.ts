/**
 * Low-rank compression of one weight matrix: W (out x in) ~ B A with A = S_r^(1/2) V_r^T
 * (r x in) and B = U_r S_r^(1/2) (out x r), the truncated SVD with the singular values split
 * evenly between the factors (so a layer y = W x becomes y = B (A x), two thinner layers of
 * r (out + in) parameters instead of out x in).
 *
 * Plain compression truncates the SVD of W: the best rank-r approximation in the Frobenius
 * norm (Eckart & Young 1936). Data-aware compression, given calibration activations X
 * (n x in, the layer's inputs), minimizes the error of the layer's outputs instead,
 * ||(W - B A) X^T||_F, as SVD-LLM does (Wang, Zheng, Wan & Zhang, "SVD-LLM:
 * Truncation-aware Singular Value Decomposition for Large Language Model Compression",
 * arXiv:2403.07378, 2024): with the Cholesky factor X^T X = L L^T,
 *
 *   ||(W - W') X^T||_F^2 = tr((W - W') L L^T (W - W')^T) = ||(W - W') L||_F^2,
 *
 * so the optimum is W' = (W L)_r L^{-1}: truncate the SVD of the whitened W L and map back.
 * When X^T X is singular (fewer samples than inputs, dead features) a small ridge
 * lambda I is added (lambda growing from 1e-8 of the mean diagonal until the factorization
 * succeeds), which changes the objective by that much.
 *
 * The rank is given, or chosen from the spectrum: the smallest r keeping a fraction of the
 * energy, or reaching a relative error (of W, or of W X^T when data-aware). Small matrices
 * (min(out, in) <= 512) get an exact SVD; larger ones a randomized SVD in their own dtype
 * (Halko, Martinsson & Tropp 2011) — for an energy or error target with a sketch that grows
 * until the target is met (adaptive-svd.ts) — unless the rank needed is a large part of the
 * full rank, where the exact SVD is as cheap. Matrices over 64 MiB are sketched with a single
 * copy in the kernels' memory, so compressing one costs about twice its size in memory; none
 * when W already lives there (a tensor decoded straight into the kernels' memory by
 * `readMatrixInto`, as `lowrank weights compress` does): the sketch then reads W in place.
 */
import { InvalidArgumentError, NotPositiveDefiniteError, ShapeError } from '../../errors.js';
import { runSteps } from '../../fit-async.js';
import { cholesky } from '../../linalg/cholesky.js';
import { trsm } from '../../linalg/lapack/blas.js';
import { gemmInto, matmul } from '../../linalg/matmul.js';
import { svd } from '../../linalg/svd.js';
import { randomizedSvd } from '../../lowrank/randomized-svd.js';
import { energyRank } from '../../lowrank/rank-selection.js';
import type { DType } from '../../matrix/dtype.js';
import { Matrix } from '../../matrix/matrix.js';
import { either, EXACT_OR_RANDOMIZED_METHODS, int, maybe, num, oneOf, opt, RANDOMIZED_SOLVER_OPTIONS, resolveOptions, satisfies, seedRule, tableFor, type ExactOrRandomizedMethod, type RandomizedSolverOptions } from '../../options.js';
import type { LongTaskOptions } from '../../progress.js';
import { adaptiveSvdSteps, sumSquares } from './adaptive-svd.js';
import { rankForError } from './spectrum.js';

/** How {@link compressWeight} factors a matrix: the list {@link EXACT_OR_RANDOMIZED_METHODS}, shared with compressImage. */
export const COMPRESS_WEIGHT_METHODS = EXACT_OR_RANDOMIZED_METHODS;
/** A factorization method of {@link compressWeight}. */
export type CompressWeightMethod = ExactOrRandomizedMethod;

/**
 * Options of {@link compressWeight}: exactly one of `rank`, `energy` and `error`, and how to
 * compute (unknown keys are an InvalidArgumentError). `powerIters` and `oversample` are the
 * randomized SVD's ({@link RandomizedSolverOptions}: the same rules and defaults).
 */
export interface CompressWeightOptions extends LongTaskOptions, Pick<RandomizedSolverOptions, 'powerIters' | 'oversample'> {
  /** Keep this rank, an integer >= 1 (clamped to min(out, in)). */
  rank?: number;
  /**
   * Keep the smallest rank whose truncation keeps this fraction of the energy
   * sum_{i<=r} s_i^2 / sum_i s_i^2 (of W, or of W L when data-aware), in (0, 1].
   */
  energy?: number;
  /**
   * Keep the smallest rank with relative error ||W - B A||_F <= error ||W||_F (data-aware:
   * ||(W - B A) X^T||_F <= error ||W X^T||_F), in (0, 1).
   */
  error?: number;
  /**
   * Calibration activations X (n x in: one row per input the layer saw). When given, the
   * compression minimizes the output error ||(W - B A) X^T||_F (SVD-LLM whitening).
   */
  activations?: Matrix;
  /**
   * `'exact'`: full SVD (float64). `'randomized'`: randomized SVD in W's dtype (for a target,
   * growing the sketch until it is met). Default `'auto'`: exact when min(out, in) <= 512, or
   * when the rank given (plus oversampling) or the sketch a target needs passes half of it;
   * else randomized.
   */
  method?: CompressWeightMethod;
  /** Randomized: power iterations, an integer >= 0 (default 'auto': 7 for a fixed rank below 0.1 min(out, in), else 4). */
  powerIters?: number | 'auto';
  /** Randomized: sketch columns beyond the rank, >= 0 (default 10). */
  oversample?: number;
  /** Randomized: seed of the Gaussian test matrices, an integer (default 0). */
  seed?: number;
  /**
   * Data-aware: ridge lambda >= 0 added to X^T X. Default 'auto': none unless X^T X is not
   * positive definite, then the smallest of 1e-8, 1e-7, ... times its mean diagonal that makes it so.
   */
  ridge?: number | 'auto';
}

const COMPRESS_WEIGHT_OPTIONS = tableFor<Omit<CompressWeightOptions, keyof LongTaskOptions>>()({
  rank: maybe(int(1)),
  energy: maybe(num(0, 1, 'low')),
  error: maybe(num(0, 1, 'both')),
  activations: maybe(satisfies<Matrix>('a Matrix (n x in)', (v): v is Matrix => v instanceof Matrix)),
  method: opt(oneOf(COMPRESS_WEIGHT_METHODS), 'auto'),
  // The randomized SVD's own rules and defaults (the seed stays an integer here).
  powerIters: RANDOMIZED_SOLVER_OPTIONS.powerIters,
  oversample: RANDOMIZED_SOLVER_OPTIONS.oversample,
  seed: opt(seedRule, 0),
  ridge: opt(either(oneOf(['auto'] as const), num(0)), 'auto'),
});

/** What {@link compressWeight} returns: the factors and what they keep and lose. */
export interface CompressedWeight {
  /** r x in: A = S_r^(1/2) V_r^T (data-aware: times L^{-1}). W's dtype. */
  readonly A: Matrix;
  /** out x r: B = U_r S_r^(1/2). W's dtype. */
  readonly B: Matrix;
  /** The rank r. */
  readonly rank: number;
  /** [out, in]. */
  readonly shape: readonly [number, number];
  /** How the SVD was computed. */
  readonly method: 'exact' | 'randomized';
  /** Whether activations were used (SVD-LLM whitening). */
  readonly dataAware: boolean;
  /**
   * Fraction of the energy kept, sum_{i<=r} s_i^2 / ||W||_F^2 (data-aware: of W L, i.e. of
   * the outputs' ||W X^T||_F^2). For the randomized method the s_i are the sketch's (at most
   * the true ones), so this is a lower bound that the truncation attains.
   */
  readonly energyKept: number;
  /** ||W - B A||_F / ||W||_F, measured on the returned factors. */
  readonly relativeError: number;
  /** Data-aware only: ||(W - B A) X^T||_F / ||W X^T||_F on the calibration activations. */
  readonly outputRelativeError: number | undefined;
  /** The singular values computed (all of them for the exact method; the sketch's for randomized), of W or W L. */
  readonly singularValues: Float64Array;
  /** out x in. */
  readonly paramsBefore: number;
  /** r (out + in). */
  readonly paramsAfter: number;
  /** Whether the factors are smaller than W: r (out + in) < out x in. */
  readonly smaller: boolean;
  /** Ridge added to X^T X (0 without activations or when none was needed). */
  readonly ridge: number;
}

/** Matrices above this many bytes are sketched with one resident copy (see `factor`). */
const LOW_MEMORY_BYTES = 64 * 2 ** 20;

/** Below this min(out, in), the exact SVD is cheap (tenths of a second). */
const EXACT_MAX_DIM = 512;

/** Rules of the 'auto' method: see the `method` option. */
function chooseMethod(requested: CompressWeightMethod, k: number, rank: number | undefined, oversample: number): 'exact' | 'randomized' {
  if (requested !== 'auto') return requested;
  if (k <= EXACT_MAX_DIM) return 'exact';
  if (rank !== undefined && rank + oversample > k / 2) return 'exact';
  return 'randomized';
}

interface Factors {
  U: Matrix;
  s: Float64Array;
  Vt: Matrix;
  all: Float64Array;
  total: number;
  method: 'exact' | 'randomized';
}

/**
 * Compress a weight matrix W (out x in) to rank-r factors B (out x r) and A (r x in) with
 * W ~ B A: the truncated SVD, or with `activations` the truncation that minimizes the
 * layer's output error on them (SVD-LLM). See the file comment for the algorithms.
 *
 * Cost: exact, a float64 SVD of W (about 4 out in min + 8 min^3 flops); randomized,
 * (2q + 2) products of W with r + 10 columns per round; data-aware adds X^T X (n in^2),
 * its Cholesky factor and W L (out in^2).
 * @param W - the weight, out x in (a Linear layer's `weight` as stored: rows are outputs).
 * @param options - exactly one of `rank`, `energy`, `error`; `activations` (n x in) for
 *   data-aware compression; `method`, `powerIters`, `oversample`, `seed`, `ridge`;
 *   `signal` (checked between sketch rounds) and `onProgress`.
 * @throws InvalidArgumentError for a bad or unknown option, or not exactly one target;
 *   ShapeError when activations do not have `in` columns or W is empty;
 *   NonFiniteInputError on NaN/Inf; AbortedError when `signal` fires.
 * @example
 * const { A, B, rank, relativeError } = compressWeight(W, { energy: 0.9 });
 * const aware = compressWeight(W, { rank: 16, activations: X }); // X: inputs the layer saw
 */
export function compressWeight(W: Matrix, options: CompressWeightOptions): CompressedWeight {
  const routine = 'compressWeight';
  if (!(W instanceof Matrix)) throw new InvalidArgumentError(`${routine}: W must be a Matrix, got ${typeof W}`);
  const { onProgress, signal, ...rest } = (options ?? {}) as CompressWeightOptions;
  const o = resolveOptions(routine, COMPRESS_WEIGHT_OPTIONS, rest, [
    {
      ok: (v) => [v.rank, v.energy, v.error].filter((x) => x !== undefined).length === 1,
      message: (v) => `give exactly one of rank, energy and error (got ${[['rank', v.rank], ['energy', v.energy], ['error', v.error]].filter(([, x]) => x !== undefined).map(([k]) => k).join(', ') || 'none'})`,
    },
  ]);
  const [out, inn] = W.shape;
  const k = Math.min(out, inn);
  if (k === 0) throw new ShapeError(`${routine}: W is ${out}x${inn}; there is nothing to compress`);
  const X = o.activations;
  if (X !== undefined && X.cols !== inn) throw new ShapeError(`${routine}: activations must have one column per input of W (${inn}), got ${X.rows}x${X.cols}`);
  const dtype: DType = W.dtype;

  // The matrix whose SVD is truncated: W, or the whitened W L.
  let M = W;
  let L: Matrix | undefined;
  let G: Matrix | undefined;
  let ridge = 0;
  if (X !== undefined) {
    const X64 = X.dtype === 'float64' ? X : X.astype('float64');
    G = matmul(X64, X64, { transA: true });
    ({ L, ridge } = whitening(G, o.ridge, routine));
    M = matmul(W.dtype === 'float64' ? W : W.astype('float64'), L);
  }
  const rankCap = o.rank !== undefined ? Math.min(o.rank, k) : undefined;
  const method = chooseMethod(o.method, k, rankCap, o.oversample);
  const f = factor(M, { rank: rankCap, energy: o.energy, error: o.error }, method, o, { onProgress, signal });
  const r = f.s.length;

  // Split sqrt(s) into both sides: B = U S^(1/2), A = S^(1/2) Vt (then L^{-1} when whitened).
  const B = Matrix.zeros(out, r, { dtype });
  const A64 = Matrix.zeros(r, inn, { dtype: 'float64' });
  const { U, Vt } = f;
  for (let j = 0; j < r; j++) {
    const h = Math.sqrt(f.s[j]!);
    for (let i = 0; i < out; i++) B.data[i + j * out] = U.data[U.offset + i * U.rowStride + j * U.colStride]! * h;
    for (let c = 0; c < inn; c++) A64.data[j + c * r] = Vt.data[Vt.offset + j * Vt.rowStride + c * Vt.colStride]! * h;
  }
  if (L !== undefined && r > 0) {
    // A := A L^{-1}, a triangular solve from the right (BLAS trsm, side R, lower).
    trsm('R', 'L', false, false, r, inn, 1, L.data, L.offset, L.colStride, A64.data, 0, r);
  }
  const A = dtype === 'float64' ? A64 : A64.astype(dtype);
  let kept = 0;
  for (let i = r - 1; i >= 0; i--) kept += f.s[i]! ** 2;
  const relativeError = relativeErrorOf(W, B, A);
  let outputRelativeError: number | undefined;
  if (G !== undefined) outputRelativeError = outputErrorOf(W, B, A, G);
  return {
    A,
    B,
    rank: r,
    shape: [out, inn],
    method: f.method,
    dataAware: X !== undefined,
    energyKept: f.total > 0 ? Math.min(1, kept / f.total) : 1,
    relativeError,
    outputRelativeError,
    singularValues: f.all,
    paramsBefore: out * inn,
    paramsAfter: r * (out + inn),
    smaller: r * (out + inn) < out * inn,
    ridge,
  };
}

/** The Cholesky factor L of G (+ lambda I): fixed ridge, or the smallest 'auto' one that works. */
function whitening(G: Matrix, ridgeOption: number | 'auto', routine: string): { L: Matrix; ridge: number } {
  const n = G.rows;
  let trace = 0;
  for (let i = 0; i < n; i++) trace += G.get(i, i);
  const mean = trace > 0 ? trace / n : 1;
  const withRidge = (lambda: number): Matrix => {
    if (lambda === 0) return G;
    const H = G.copy();
    for (let i = 0; i < n; i++) H.data[i + i * n] = H.data[i + i * n]! + lambda;
    return H;
  };
  if (ridgeOption !== 'auto') {
    try {
      return { L: cholesky(withRidge(ridgeOption)).L, ridge: ridgeOption };
    } catch (e) {
      if (e instanceof NotPositiveDefiniteError) {
        throw new InvalidArgumentError(`${routine}: X^T X + ${ridgeOption} I is not positive definite (too few or linearly dependent activations); use a larger ridge or ridge: 'auto'`);
      }
      throw e;
    }
  }
  for (let p = -Infinity; p <= 0; p = p === -Infinity ? -8 : p + 1) {
    const lambda = p === -Infinity ? 0 : mean * 10 ** p;
    try {
      return { L: cholesky(withRidge(lambda)).L, ridge: lambda };
    } catch (e) {
      if (!(e instanceof NotPositiveDefiniteError)) throw e;
    }
  }
  throw new InvalidArgumentError(`${routine}: X^T X is not positive definite even with a ridge of its mean diagonal`);
}

/** The truncated SVD of M at the target, by the chosen method. */
function factor(
  M: Matrix,
  target: { rank?: number; energy?: number; error?: number },
  method: 'exact' | 'randomized',
  o: { powerIters: number | 'auto'; oversample: number; seed: number },
  task: LongTaskOptions,
): Factors {
  const k = Math.min(M.rows, M.cols);
  const total = sumSquares(M);
  // Beyond this size the sketch keeps one copy of M in the kernels' memory rather than
  // randomizedSvd's two packed ones, so the peak stays near twice the matrix.
  const lowMemory = M.rows * M.cols * (M.dtype === 'float32' ? 4 : 8) > LOW_MEMORY_BYTES;
  if (method === 'randomized' && total > 0) {
    if (target.rank !== undefined && lowMemory) {
      const t = runSteps(adaptiveSvdSteps(M, {
        energy: 1,
        fixedRank: target.rank,
        maxSketch: k,
        lowMemory,
        oversample: o.oversample,
        powerIters: o.powerIters === 'auto' ? (target.rank < 0.1 * k ? 7 : 4) : o.powerIters,
        seed: o.seed,
        ...task,
      }), task.signal, 'compressWeight')!;
      return { U: t.U, s: t.s, Vt: t.Vt, all: t.sketchValues, total, method };
    }
    if (target.rank !== undefined) {
      const t = randomizedSvd(M, target.rank, { powerIters: o.powerIters, oversample: o.oversample, seed: o.seed, ...task });
      return { U: t.U, s: Float64Array.from(t.s), Vt: t.Vt, all: Float64Array.from(t.s), total, method };
    }
    // Sketches up to half the full rank: beyond it the exact SVD costs about the same.
    const adaptive = runSteps(adaptiveSvdSteps(M, {
      energy: target.energy ?? 1,
      error: target.error,
      maxSketch: Math.max(1, Math.floor(k / 2)),
      lowMemory,
      oversample: o.oversample,
      powerIters: o.powerIters === 'auto' ? 4 : o.powerIters,
      seed: o.seed,
      ...task,
    }), task.signal, 'compressWeight');
    if (adaptive) return { U: adaptive.U, s: adaptive.s, Vt: adaptive.Vt, all: adaptive.sketchValues, total, method };
  }
  const f = svd(M.dtype === 'float64' ? M : M.astype('float64'));
  const s = Float64Array.from(f.s);
  let r: number;
  if (target.rank !== undefined) r = target.rank;
  else if (target.energy !== undefined) r = energyRank(s, target.energy).k;
  else r = rankForError(s, target.error!);
  r = Math.max(0, Math.min(r, k));
  return { U: f.U.colRange(0, r), s: s.slice(0, r), Vt: f.Vt.rowRange(0, r), all: s, total, method: 'exact' };
}

/** Columns of W per block when measuring errors (bounds the temporary B A block). */
const ERROR_BLOCK = 256;

/**
 * ||W - B A||_F / ||W||_F, in column blocks of W (the out x block product B A[:, cols] is
 * the only temporary), accumulated in float64. 0 for W = 0 and B A = 0.
 * @throws ShapeError when the shapes do not fit.
 */
export function relativeErrorOf(W: Matrix, B: Matrix, A: Matrix): number {
  const [out, inn] = W.shape;
  if (B.rows !== out || A.cols !== inn || B.cols !== A.rows) throw new ShapeError(`relativeErrorOf: W ${out}x${inn}, B ${B.rows}x${B.cols}, A ${A.rows}x${A.cols} do not fit W ~ B A`);
  const dtype: DType = W.dtype === 'float64' || B.dtype === 'float64' || A.dtype === 'float64' ? 'float64' : 'float32';
  const norm = sumSquares(W);
  let err = 0;
  const P = Matrix.zeros(out, Math.min(ERROR_BLOCK, inn), { dtype });
  for (let c0 = 0; c0 < inn; c0 += ERROR_BLOCK) {
    const c1 = Math.min(inn, c0 + ERROR_BLOCK);
    const Pb = P.colRange(0, c1 - c0);
    if (B.cols > 0) gemmInto(B, A.colRange(c0, c1), Pb);
    const { data: w, offset, rowStride: rs, colStride: cs } = W;
    const pd = Pb.data;
    for (let j = c0; j < c1; j++) {
      const wj = offset + j * cs;
      const pj = (j - c0) * out;
      for (let i = 0; i < out; i++) err += (w[wj + i * rs]! - pd[pj + i]!) ** 2;
    }
  }
  return norm > 0 ? Math.sqrt(err / norm) : Math.sqrt(err);
}

/**
 * The output error of factors on calibration activations, ||(W - B A) X^T||_F / ||W X^T||_F
 * (what data-aware compression minimizes), through G = X^T X (n in^2 + out in^2 flops; X is
 * never multiplied by W directly). 0 when W X^T = 0 and (B A) X^T = 0.
 * @param X - activations, n x in (one row per input the layer saw).
 * @throws ShapeError when the shapes do not fit W ~ B A or X has not `in` columns.
 */
export function outputRelativeErrorOf(W: Matrix, B: Matrix, A: Matrix, X: Matrix): number {
  const [out, inn] = W.shape;
  if (B.rows !== out || A.cols !== inn || B.cols !== A.rows) throw new ShapeError(`outputRelativeErrorOf: W ${out}x${inn}, B ${B.rows}x${B.cols}, A ${A.rows}x${A.cols} do not fit W ~ B A`);
  if (X.cols !== inn) throw new ShapeError(`outputRelativeErrorOf: activations must have one column per input of W (${inn}), got ${X.rows}x${X.cols}`);
  const X64 = X.dtype === 'float64' ? X : X.astype('float64');
  return outputErrorOf(W, B, A, matmul(X64, X64, { transA: true }));
}

/** ||(W - B A) X^T||_F / ||W X^T||_F from G = X^T X: ||D X^T||^2 = sum((D G) .* D). */
function outputErrorOf(W: Matrix, B: Matrix, A: Matrix, G: Matrix): number {
  const W64 = W.copy({ dtype: 'float64' }); // compact column-major, as quad reads it
  const D = W64.copy();
  if (B.cols > 0) gemmInto(B.astype('float64'), A.astype('float64'), D, -1, 1);
  // Both column-major and contiguous: element (i, j) at i + j * rows in each.
  const quad = (Y: Matrix) => {
    const YG = matmul(Y, G);
    let t = 0;
    for (let p = 0; p < Y.size; p++) t += YG.data[p]! * Y.data[p]!;
    return t;
  };
  const base = quad(W64);
  const e = Math.max(0, quad(D));
  return base > 0 ? Math.sqrt(e / base) : Math.sqrt(e);
}
