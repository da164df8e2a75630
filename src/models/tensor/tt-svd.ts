/**
 * TT-SVD (Oseledets 2011, "Tensor-train decomposition", Algorithm 1): the tensor train of a
 * full tensor by successive truncated SVDs of its unfoldings. With
 * delta = eps ||T||_F / sqrt(d - 1) discarded at each of the d - 1 bonds, the errors of the
 * steps are orthogonal and add in squares, so ||T - TT||_F <= eps ||T||_F; each rank is the
 * smallest that meets delta at its step.
 *
 * The k-th unfolding of the remainder is a free reshape of C-order data: the remainder C
 * (r_{k-1} x n_k ... n_d) is, read row-major, the (r_{k-1} n_k) x (n_{k+1} ... n_d) matrix
 * of the step. The first step reads a C-contiguous float64 tensor where it lies and writes
 * its remainder C_1 (r_1 x N_1, at most the tensor's size) to a work array in the kernels'
 * memory; every later step works in place there (see tt-unfolding.ts). Extra memory: that
 * array plus a few MB of chunk buffers -- and, for the tall or near-square unfoldings of
 * trains whose ranks are close to full, the dense SVD's workspace. Other layouts, float32,
 * NaN/Inf and extreme magnitudes take a checked, scaled copy of the tensor instead.
 */
import { InvalidArgumentError, NonFiniteInputError, ShapeError, check } from '../../errors.js';
import { runSteps, runStepsAsync, type FitSteps } from '../../fit-async.js';
import { kernels } from '../../kernels/index.js';
import { Workspace, withWorkspace } from '../../kernels/workspace.js';
import { LONG_TASK_OPTIONS, maybe, num, opt, resolveOptions, tableFor } from '../../options.js';
import { checkAborted, type LongTaskOptions } from '../../progress.js';
import { copyToC, unravelIndex } from '../../tensor/strided.js';
import { Tensor } from '../../tensor/tensor.js';
import { TensorTrain } from './tensor-train.js';
import { MAX_RANK_RULE, rankCaps, showIndex, type MaxRank } from './tt-options.js';
import { NeedsScaling, truncateUnfolding, type UnfoldingStep } from './tt-unfolding.js';

/** Options of {@link ttSvd}; unknown keys are an error. */
export interface TtSvdOptions extends LongTaskOptions {
  /**
   * Relative accuracy: ||T - TT||_F <= eps ||T||_F (unless maxRank caps a bond). A finite
   * number >= 0; default 1e-10. 0 keeps every nonzero singular value.
   */
  eps?: number;
  /** Rank cap: one integer >= 1 for every bond, or a list with one per bond (d - 1). Default: none. */
  maxRank?: MaxRank;
}

const TT_SVD_OPTIONS = tableFor<TtSvdOptions>()({
  eps: opt(num(0), 1e-10),
  maxRank: maybe(MAX_RANK_RULE),
  ...LONG_TASK_OPTIONS,
});

/** What {@link ttSvd} returns. */
export interface TtSvdResult {
  /** The tensor train. */
  readonly tt: TensorTrain;
  /**
   * ||T - TT||_F / ||T||_F from the discarded singular values, sqrt(sum over bonds of their
   * squares) / ||T||_F (exact in exact arithmetic, since the steps' errors are orthogonal);
   * 0 for the zero tensor.
   */
  readonly relativeError: number;
  /** ||T||_F. */
  readonly norm: number;
  /** The kept singular values of each step's unfolding (d - 1 arrays, descending). */
  readonly singularValues: readonly Float64Array[];
}

/**
 * TT-SVD of a full tensor (Oseledets 2011, Algorithm 1): ||T - TT||_F <= eps ||T||_F with
 * the smallest rank at each step for that bound (the numpy/ttpy/TensorLy algorithm with the
 * same truncation rule).
 *
 * Cost: each step is one Gram-matrix pass (m^2 N flops) and one projection (2 r m N) over
 * the current m x N unfolding -- about 3 passes over the tensor in all for small ranks --
 * where numpy's SVD of a wide unfolding costs about 6 m^2 N. When eps asks for more than a
 * Gram matrix resolves (delta^2 < 4 m eps_machine ||A||^2), a step takes R of A^T by TSQR
 * and the SVD of R^T instead: singular values to eps_machine ||A||, about 2 m^2 N flops
 * (see tt-unfolding.ts). Memory: at most one float64 copy of the tensor (the remainder
 * after the first step, r_1 x N_1), worked on in place, plus chunk buffers.
 *
 * @param T - a tensor with at least 2 axes (float64 or float32, any strides; values are
 *   computed and stored in float64).
 * @param options - see {@link TtSvdOptions}; `onProgress` is called after each bond
 *   (`{ stage: 'bond', done, total, metrics: { rank } }`) and `signal` stops the work between bonds.
 * @throws InvalidArgumentError when T is not a Tensor or has fewer than 2 axes, for bad or
 *   unknown options (a maxRank list of the wrong length); ShapeError when an axis has length 0;
 *   NonFiniteInputError naming the index of the first NaN or Infinity; AbortedError.
 * @example
 * const T = Tensor.fromFunction([10, 10, 10, 10], ([a, b, c, d]) => Math.sin((a + b + c + d) / 10));
 * const { tt, relativeError } = ttSvd(T, { eps: 1e-8 });
 * tt.ranks;        // [1, 2, 2, 2, 1]
 * relativeError;   // ~1e-16
 */
export function ttSvd(T: Tensor, options: TtSvdOptions = {}): TtSvdResult {
  return runSteps(ttSvdSteps(T, options), options.signal, 'ttSvd');
}

/**
 * {@link ttSvd} without blocking: the event loop gets a turn between bonds, and `signal`
 * stops it there.
 */
export function ttSvdAsync(T: Tensor, options: TtSvdOptions = {}): Promise<TtSvdResult> {
  return runStepsAsync(ttSvdSteps(T, options), options.signal, 'ttSvdAsync');
}

/** {@link ttSvd} as steps (a generator yielding after each bond; see fit-async.ts). */
export function* ttSvdSteps(T: Tensor, options: TtSvdOptions = {}): FitSteps<TtSvdResult> {
  const routine = 'ttSvd';
  check(T instanceof Tensor, () => `${routine}: expected a Tensor, got ${T === null ? 'null' : typeof T}`);
  const o = resolveOptions(routine, TT_SVD_OPTIONS, options);
  const d = T.ndim;
  if (d < 2) {
    throw new InvalidArgumentError(`${routine}: a ${d}-way tensor has no bonds; TT-SVD needs at least 2 axes (reshape a vector, or quantize it: quantize(v, 2))`);
  }
  const shape = [...T.shape];
  const zeroAxis = shape.findIndex((n) => n === 0);
  if (zeroAxis >= 0) throw new ShapeError(`${routine}: axis ${zeroAxis} has length 0; every axis needs at least one entry`);
  const caps = rankCaps(o.maxRank, d - 1, routine);
  const size = T.size;
  checkAborted(o.signal, routine);

  const ws = new Workspace();
  try {
    const rel = (o.eps * o.eps) / (d - 1); // delta^2 / ||T||^2
    const n0 = shape[0]!;
    const N0 = size / n0;
    // The work array: C after the first step (r_1 x N_0 numbers, at most the tensor's size),
    // then every later step in place. The first step reads T itself when it is C-contiguous
    // float64; otherwise (and for NaN/Inf or magnitudes whose squares would overflow or
    // underflow) T is copied into it first, checked and scaled by a power of two.
    let W: Float64Array | undefined;
    let scale = 1;
    let first: UnfoldingStep | undefined;
    if (T.dtype === 'float64' && T.isContiguous()) {
      try {
        first = withWorkspace((scratch) => truncateUnfolding(T.data as Float64Array, T.offset, n0, N0, { relative: rel }, caps[0]!, (r) => (W = ws.alloc('float64', r * N0, false) as Float64Array), scratch));
      } catch (e) {
        if (!(e instanceof NeedsScaling || e instanceof NonFiniteInputError)) throw e;
      }
    }
    if (!first) {
      const copy = ws.alloc('float64', size, false) as Float64Array;
      if (T.isContiguous()) copy.set(T.data.subarray(T.offset, T.offset + size));
      else copyToC(T.data, T.offset, shape, T.strides, copy, 0);
      const checked = checkAndScale(copy, shape, routine);
      scale = checked.scale;
      W = copy;
      // The zero tensor (the one whose norm stays outside the Gram's range): ranks 1.
      first = withWorkspace((scratch) => truncateUnfolding(copy, 0, n0, N0, checked.norm === 0 ? { delta2: 0, norm2: 0 } : { relative: rel }, caps[0]!, () => copy, scratch));
    }
    const work = W!;
    const normScaled = Math.sqrt(first.norm2);
    const delta2 = rel * first.norm2;

    const cores: Float64Array[] = [];
    const ranks = [1];
    const singularValues: Float64Array[] = [];
    let discarded = 0;
    // ||A_k||_F^2 of the current unfolding: what the discarded parts left of ||T||^2.
    let remaining = first.norm2;
    let r = 1;
    let len = size;
    for (let k = 0; k < d - 1; k++) {
      const m = r * shape[k]!;
      const N = len / m;
      // Each step's scratch (Gram matrix, chunk buffers) is released before the next.
      const step: UnfoldingStep = k === 0 ? first : withWorkspace((scratch) => truncateUnfolding(work, 0, m, N, { delta2, norm2: remaining }, caps[k]!, () => work, scratch));
      cores.push(step.U);
      singularValues.push(step.s.map((x) => x / scale));
      discarded += step.discarded;
      remaining = Math.max(remaining - step.discarded, 0);
      r = step.rank;
      ranks.push(r);
      len = r * N;
      o.onProgress?.({ stage: 'bond', done: k + 1, total: d - 1, metrics: { rank: r } });
      checkAborted(o.signal, routine);
      yield;
    }
    ranks.push(1);
    // The last core is what remains of the work copy: r_{d-1} x n_{d-1} (x 1), unscaled.
    const last = new Float64Array(len);
    for (let p = 0; p < len; p++) last[p] = work[p]! / scale;
    cores.push(last);
    const tt = TensorTrain.fromCoreData(shape, ranks, cores);
    const norm = normScaled / scale;
    const relativeError = normScaled === 0 ? 0 : Math.sqrt(Math.max(discarded, 0)) / normScaled;
    return { tt, relativeError, norm, singularValues };
  } finally {
    ws.release();
  }
}

/**
 * Check that every entry of W is finite (naming the first bad index) and, when its norm is
 * far from 1, scale W by a power of two (exact) that brings the norm into [0.5, 1): the Gram
 * matrices then neither overflow nor lose the small entries to underflow. Returns the
 * factor applied and the norm before it.
 */
function checkAndScale(W: Float64Array, shape: readonly number[], routine: string): { scale: number; norm: number } {
  const norm = W.length === 0 ? 0 : kernels().nrm2(W.length, W, 0, 1);
  if (!Number.isFinite(norm)) {
    // nrm2 is overflow-safe: a non-finite norm means a NaN or Infinity entry.
    for (let p = 0; p < W.length; p++) {
      if (!Number.isFinite(W[p]!)) {
        throw new NonFiniteInputError(`${routine}: the tensor holds ${W[p]} at index ${showIndex(unravelIndex(p, shape))}; TT-SVD needs finite numbers`);
      }
    }
  }
  if (norm === 0 || (norm > 2 ** -300 && norm < 2 ** 300)) return { scale: 1, norm };
  // 2^-e with 2^(e-1) <= norm < 2^e, kept representable.
  const e = Math.max(-1020, Math.min(1020, Math.floor(Math.log2(norm)) + 1));
  const f = 2 ** -e;
  kernels().scal(W.length, f, W, 0, 1);
  return { scale: f, norm };
}
