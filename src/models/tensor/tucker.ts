/**
 * Tucker decomposition X ≈ G x_0 U_0 x_1 U_1 ... x_{d-1} U_{d-1}: a small core tensor G
 * (r_0 x ... x r_{d-1}) and a factor U_k (n_k x r_k, orthonormal columns) per mode.
 *
 * Methods:
 * - 'hosvd': truncated higher-order SVD (De Lathauwer, De Moor & Vandewalle 2000, "A
 *   multilinear singular value decomposition"): U_k = the r_k leading left singular vectors
 *   of the unfolding X_(k), then G = X x_k U_k^T over all modes. Quasi-optimal: the error is
 *   at most sqrt(d) times the best.
 * - 'sthosvd': sequentially truncated HOSVD (Vannieuwenhoven, Vandebril & Meerbergen 2012,
 *   "A new truncation strategy for the higher-order singular value decomposition"): the
 *   modes in turn, each from the unfolding of the tensor already truncated in the modes
 *   before, so later SVDs work on smaller tensors; the same error bound and usually a
 *   smaller error than HOSVD. Modes are processed from the largest compression n_k / r_k
 *   down (ties by mode), which shrinks the tensor fastest.
 * - 'hooi' (default): higher-order orthogonal iteration (De Lathauwer, De Moor & Vandewalle
 *   2000, "On the best rank-(R1, ..., RN) approximation of higher-order tensors"), started
 *   from HOSVD: each U_k in turn becomes the r_k leading left singular vectors of
 *   (X x_{j != k} U_j^T)_(k), which maximizes ||G|| over U_k with the others fixed, so the
 *   error never increases and stays at most HOSVD's.
 *
 * Since the factors are orthonormal, ||X - X̂||^2 = ||X||^2 - ||G||^2, so the error costs
 * nothing once G is known (when it is below 1e-5 relative, where that difference loses
 * digits, the final error is computed from the reconstruction instead).
 *
 * Speed. The tensor is copied once into the kernels' memory; mode products are gemm calls
 * (mode-products.ts); leading singular vectors come from the eigenvectors of the smaller
 * Gram matrix of the unfolding (syrk + eigh; for a mode longer than the rest of the tensor,
 * the other Gram matrix and a QR). A HOOI sweep splits the modes in two groups at s and
 * contracts the full tensor only twice: once with the second group's factors (which serves
 * every mode of the first group, since those factors do not change meanwhile) and once with
 * the first group's new factors (serving the second group), instead of once per mode.
 */
import { ConvergenceError, InvalidArgumentError, ShapeError } from '../../errors.js';
import { runSteps, runStepsAsync, type FitSteps } from '../../fit-async.js';
import { Workspace } from '../../kernels/workspace.js';
import { Matrix } from '../../matrix/matrix.js';
import { LONG_TASK_OPTIONS, oneOf, opt, resolveOptions, tableFor } from '../../options.js';
import type { LongTaskOptions } from '../../progress.js';
import { Tensor } from '../../tensor/tensor.js';
import { FittedDecomposition, sweepConverged, TENSOR_SWEEP_OPTIONS, type FitFacts, type TensorSweepOptions } from './fit-facts.js';
import { flatInput, leadingVectors, normOf, prod, tensorShape, ttm, type Flat } from './mode-products.js';
import { splitPoint } from './mttkrp.js';

/** The Tucker methods: truncated HOSVD, sequentially truncated HOSVD, HOOI. */
export const TUCKER_METHODS = ['hosvd', 'sthosvd', 'hooi'] as const;
/** A Tucker method (see {@link tucker}). */
export type TuckerMethod = (typeof TUCKER_METHODS)[number];

/** Options of {@link tucker}: the method, HOOI's stopping rule ({@link TensorSweepOptions}: `maxIter`, `tol`) and progress (unknown keys are an error). */
export interface TuckerOptions extends TensorSweepOptions, LongTaskOptions {
  /** 'hooi' (default), 'hosvd' or 'sthosvd' (see {@link tucker}). */
  method?: TuckerMethod;
  /** Called after each HOOI iteration (`stage: 'iteration'`, metrics.relativeError) and, for the HOSVDs, each mode (`stage: 'mode'`). */
  onProgress?: LongTaskOptions['onProgress'];
  /** Cancels the work at the next mode or iteration (AbortedError). */
  signal?: AbortSignal;
}

const TUCKER_OPTIONS = tableFor<TuckerOptions>()({
  method: opt(oneOf(TUCKER_METHODS), 'hooi'),
  ...TENSOR_SWEEP_OPTIONS,
  ...LONG_TASK_OPTIONS,
});

/** What a {@link TuckerDecomposition} records about the run that made it. */
export interface TuckerFacts extends FitFacts {
  /** The method that ran. */
  readonly method: TuckerMethod;
  /** HOOI: the relative error after each iteration (empty for the HOSVDs). */
  readonly errorHistory?: ArrayLike<number>;
}

/**
 * A Tucker decomposition X ≈ G x_0 U_0 ... x_{d-1} U_{d-1}: `core` G (r_0 x ... x r_{d-1})
 * and `factors` U_k (n_k x r_k, orthonormal columns), float64. Made by {@link tucker}.
 */
export class TuckerDecomposition extends FittedDecomposition {
  /** The core tensor G, r_0 x ... x r_{d-1}, C-ordered float64. */
  readonly core: Tensor;
  /** The factor matrices U_k, n_k x r_k with orthonormal columns. */
  readonly factors: readonly Matrix[];
  /** The method that ran. */
  readonly method: TuckerMethod;
  /** HOOI: relative error after each iteration (empty for the HOSVDs). */
  readonly errorHistory: Float64Array;

  /**
   * Wrap a core and factors (normally built by {@link tucker}).
   * @throws ShapeError when the core does not have one mode per factor or a factor's
   *   column count differs from the core's length in its mode.
   */
  constructor(core: Tensor, factors: readonly Matrix[], facts: TuckerFacts) {
    if (core.ndim !== factors.length) throw new ShapeError(`TuckerDecomposition: the core has ${core.ndim} modes but ${factors.length} factors were given`);
    factors.forEach((U, k) => {
      if (U.cols !== core.shape[k]) throw new ShapeError(`TuckerDecomposition: factor ${k} is ${U.rows}x${U.cols}, the core's mode ${k} has length ${core.shape[k]}`);
    });
    super(facts);
    this.core = core;
    this.factors = Object.freeze([...factors]);
    this.method = facts.method;
    this.errorHistory = Float64Array.from(facts.errorHistory ?? []);
  }

  /** Shape of the tensor it approximates: the factors' row counts n_k. */
  get shape(): number[] {
    return this.factors.map((U) => U.rows);
  }

  /** The multilinear ranks r_k (the core's shape). */
  get ranks(): number[] {
    return [...this.core.shape];
  }

  /** Numbers stored: prod r_k + sum n_k r_k. */
  get params(): number {
    return this.core.size + this.factors.reduce((s, U) => s + U.rows * U.cols, 0);
  }

  /** Entries of the full tensor per number stored (prod n_k / params). */
  get compressionRatio(): number {
    return prod(this.shape) / this.params;
  }

  /**
   * The full tensor G x_0 U_0 ... x_{d-1} U_{d-1} (n_0 x ... x n_{d-1}, float64), by one
   * mode product per mode (gemm), expanding the modes that grow least first.
   */
  full(): Tensor {
    const ws = new Workspace();
    try {
      const core = this.core.contiguous();
      const data = ws.alloc('float64', core.size, false) as Float64Array;
      data.set(core.data.subarray(core.offset, core.offset + core.size));
      const Y = expand({ data, shape: [...core.shape] }, this.factors.map(columnMajor), this.shape, ws);
      return new Tensor(Float64Array.from(Y.data), Y.shape);
    } finally {
      ws.release();
    }
  }

  /** The same as {@link TuckerDecomposition.full}. */
  reconstruct(): Tensor {
    return this.full();
  }
}

/** A matrix's entries, column-major float64 (its own array when already so). */
function columnMajor(U: Matrix): Float64Array {
  if (U.data instanceof Float64Array && U.isColumnMajor && U.offset === 0 && U.ld === U.rows && U.data.length === U.rows * U.cols) return U.data;
  return Float64Array.from(U.toFlat('F'));
}

/** G x_k U_k over all modes (U_k n_k x r_k column-major), growing the least-growing modes first. */
function expand(G: Flat, U: readonly Float64Array[], shape: readonly number[], ws: Workspace): Flat {
  const order = G.shape.map((r, k) => k).sort((a, b) => shape[a]! / G.shape[a]! - shape[b]! / G.shape[b]! || a - b);
  let Y = G;
  for (const k of order) Y = ttm(Y, k, U[k]!, shape[k]!, false, shape[k]!, ws);
  return Y;
}

/**
 * Modes in the order that shrinks a tensor fastest: r_k / n_k ascending; on ties the last
 * mode, then the first, then the others in order (a product in an end mode is one gemm on
 * the array as it lies, one in a middle mode a gemm per slab or a transposed copy).
 */
function shrinkOrder(modes: readonly number[], shape: readonly number[], ranks: readonly number[]): number[] {
  const d = shape.length;
  const tie = (k: number): number => (k === d - 1 ? -2 : k === 0 ? -1 : k);
  return [...modes].sort((a, b) => ranks[a]! / shape[a]! - ranks[b]! / shape[b]! || tie(a) - tie(b));
}

/** X x_k U_k^T for the modes `modes` (taken in the order that shrinks fastest). */
function contract(X: Flat, modes: readonly number[], U: readonly Float64Array[], shape: readonly number[], ranks: readonly number[], ws: Workspace): Flat {
  let Y = X;
  for (const k of shrinkOrder(modes, shape, ranks)) Y = ttm(Y, k, U[k]!, shape[k]!, true, ranks[k]!, ws);
  return Y;
}

/**
 * The ranks as a list of one integer per mode, checked against the shape.
 * @throws InvalidArgumentError when ranks is not an integer >= 1 or a list of them with one
 *   entry per mode, when r_k > n_k, or when r_k exceeds the product of the other ranks
 *   (the core could not have that rank in mode k).
 */
function checkRanks(ranks: number | readonly number[], shape: readonly number[]): number[] {
  const d = shape.length;
  const given = typeof ranks === 'number' ? new Array<number>(d).fill(ranks) : ranks;
  if (!Array.isArray(given) || given.length !== d) {
    throw new InvalidArgumentError(`tucker: ranks must be an integer or a list of ${d} integers (one per mode of the ${shape.join(' x ')} tensor), got ${Array.isArray(given) ? `${given.length} numbers` : typeof ranks}`);
  }
  const r = given.map((v: unknown, k: number) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new InvalidArgumentError(`tucker: the rank of mode ${k} must be an integer >= 1, got ${String(v)}`);
    if (v > shape[k]!) throw new InvalidArgumentError(`tucker: the rank of mode ${k} is ${v} but that mode has length ${shape[k]} (shape [${shape.join(', ')}]); use at most ${shape[k]}`);
    return v;
  });
  for (let k = 0; k < d; k++) {
    const others = prod(r) / r[k]!;
    if (r[k]! > others) {
      throw new InvalidArgumentError(`tucker: the rank of mode ${k} is ${r[k]} but the other ranks multiply to ${others}; a core of ranks [${r.join(', ')}] has rank at most ${others} in mode ${k}, so use at most ${others} there`);
    }
  }
  return r;
}

/**
 * Tucker decomposition of a d-way tensor (d >= 2) with multilinear ranks `ranks`, by
 * truncated HOSVD, ST-HOSVD or HOOI (see the module comment). Computation in float64.
 *
 * Cost (N = size of T, r the ranks): HOSVD N sum n_k (Gram matrices) + d mode products;
 * ST-HOSVD less, on shrinking tensors; HOOI the HOSVD factors plus, per iteration, two
 * contractions of the full tensor (2 N r flops each) and small SVDs.
 *
 * @param T - the tensor (any dtype and strides; copied once).
 * @param ranks - r_k for each mode (or one integer for all), 1 <= r_k <= n_k and
 *   r_k <= prod_{j != k} r_j.
 * @param options - {@link TuckerOptions}: method (default 'hooi'), maxIter (100), tol
 *   (1e-10), onProgress, signal.
 * @returns the {@link TuckerDecomposition}: core, factors, relative error, iterations.
 * @throws InvalidArgumentError for a 1-way tensor, a mode of length 0, ranks that do not fit,
 *   an unknown or bad option; NonFiniteInputError naming the index of a NaN/Inf entry;
 *   ConvergenceError if the error becomes non-finite; AbortedError when `signal` aborts.
 * @example
 * const T = Tensor.random([30, 40, 50], { seed: 1 });
 * const t = tucker(T, [5, 5, 5]);              // HOOI
 * t.core.shape;                                // [5, 5, 5]
 * t.factors[2].shape;                          // [50, 5]
 * t.relativeError;                             // ||T - t.full()|| / ||T||
 */
export function tucker(T: Tensor, ranks: number | readonly number[], options: TuckerOptions = {}): TuckerDecomposition {
  return runSteps(tuckerSteps(T, ranks, options), options?.signal, 'tucker');
}

/**
 * {@link tucker} with a turn of the event loop between modes and iterations (a timer or a
 * button can abort it within about one HOOI iteration). The same result bit for bit.
 * @throws (rejects with) the errors of {@link tucker}.
 */
export function tuckerAsync(T: Tensor, ranks: number | readonly number[], options: TuckerOptions = {}): Promise<TuckerDecomposition> {
  return runStepsAsync(tuckerSteps(T, ranks, options), options?.signal, 'tuckerAsync');
}

function* tuckerSteps(T: Tensor, ranks: number | readonly number[], options: TuckerOptions): FitSteps<TuckerDecomposition> {
  const o = resolveOptions('tucker', TUCKER_OPTIONS, options);
  const shape = tensorShape(T, 'tucker');
  const r = checkRanks(ranks, shape);
  yield;
  const ws = new Workspace();
  try {
    const { X, scale } = flatInput(T, 'tucker', ws);
    const nx = normOf(X);
    const d = shape.length;
    const U: Float64Array[] = new Array<Float64Array>(d);
    const report = o.onProgress;
    let G: Flat;
    const history: number[] = [];
    let iterations = 0;
    let converged = true;
    if (o.method === 'sthosvd') {
      let Y = X;
      const order = shrinkOrder(shape.map((_, k) => k), shape, r);
      for (let t = 0; t < d; t++) {
        const k = order[t]!;
        U[k] = leadingVectors(Y, k, r[k]!, ws);
        Y = ttm(Y, k, U[k], shape[k]!, true, r[k]!, ws);
        report?.({ stage: 'mode', done: t + 1, total: d });
        yield;
      }
      G = Y;
    } else {
      for (let k = 0; k < d; k++) {
        U[k] = leadingVectors(X, k, r[k]!, ws);
        report?.({ stage: 'mode', done: k + 1, total: d });
        yield;
      }
      if (o.method === 'hosvd') {
        G = contract(X, shape.map((_, k) => k), U, shape, r, ws);
      } else {
        converged = false;
        const s = splitPoint(shape);
        const first = shape.map((_, k) => k).filter((k) => k < s);
        const second = shape.map((_, k) => k).filter((k) => k >= s);
        let core: Float64Array = new Float64Array(0);
        let captured = NaN;
        for (let it = 1; it <= o.maxIter; it++) {
          const step = new Workspace();
          try {
            core = hooiSweep(X, U, first, second, shape, r, step);
          } finally {
            step.release();
          }
          iterations = it;
          const q = nx === 0 ? 1 : normOf({ data: core, shape: r }) / nx;
          const error = Math.sqrt(Math.max(0, (1 - q) * (1 + q)));
          if (!Number.isFinite(error)) throw new ConvergenceError(`tucker: the relative error became ${error} at HOOI iteration ${it}; rescale the tensor (e.g. divide it by its largest entry)`);
          history.push(error);
          report?.({ stage: 'iteration', done: it, total: o.maxIter, metrics: { relativeError: error } });
          if (sweepConverged(o.tol, it, q * q - captured * captured)) {
            converged = true;
            break;
          }
          captured = q;
          yield;
        }
        G = { data: core, shape: r };
      }
    }
    const coreT = new Tensor(Float64Array.from(G.data, (v) => v * scale), r);
    const factors = U.map((u, k) => new Matrix(u, shape[k]!, r[k]!));
    let relativeError = 0;
    if (nx > 0) {
      const q = normOf(G) / nx;
      relativeError = Math.sqrt(Math.max(0, (1 - q) * (1 + q)));
      // Below ~1e-5 the difference of squares has lost digits: measure X - X̂ itself.
      if (relativeError < 1e-5) relativeError = exactError(X, G, U, shape, ws) / nx;
    }
    if (history.length > 0) history[history.length - 1] = relativeError;
    return new TuckerDecomposition(coreT, factors, { method: o.method, relativeError, iterations, converged, errorHistory: history });
  } finally {
    ws.release();
  }
}

/**
 * One HOOI sweep, in place on U: the first group's modes from X contracted with the second
 * group's factors, then the second group's from X contracted with the first group's new
 * factors. Returns the core X x_k U_k^T with the new factors.
 */
function hooiSweep(X: Flat, U: Float64Array[], first: readonly number[], second: readonly number[], shape: readonly number[], r: readonly number[], ws: Workspace): Float64Array {
  let core: Float64Array = new Float64Array(0);
  const groups: [readonly number[], readonly number[]][] = [[first, second], [second, first]];
  for (const [update, other] of groups) {
    const P = contract(X, other, U, shape, r, ws);
    for (let t = 0; t < update.length; t++) {
      const q = update[t]!;
      const Y = contract(P, update.filter((k) => k !== q), U, shape, r, ws);
      U[q] = leadingVectors(Y, q, r[q]!, ws);
      if (update === second && t === update.length - 1) core = Float64Array.from(ttm(Y, q, U[q], shape[q]!, true, r[q]!, ws).data);
    }
  }
  return core;
}

/** ||X - G x U|| from the reconstruction (for errors too small for ||X||^2 - ||G||^2). */
function exactError(X: Flat, G: Flat, U: readonly Float64Array[], shape: readonly number[], ws: Workspace): number {
  const g = ws.alloc('float64', G.data.length, false) as Float64Array;
  g.set(G.data);
  const F = expand({ data: g, shape: G.shape }, U, shape, ws);
  const D = F.data;
  for (let p = 0; p < D.length; p++) D[p] = X.data[p]! - D[p]!;
  return normOf(F);
}
