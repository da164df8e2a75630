/**
 * CP (CANDECOMP/PARAFAC) decomposition X ≈ sum_c λ_c a_0c ∘ a_1c ∘ ... ∘ a_{d-1,c}: r
 * rank-one terms, with unit-norm factor columns and weights λ sorted descending.
 *
 * CP-ALS (Kolda & Bader 2009, "Tensor decompositions and applications", section 3.4): each
 * factor in turn solves its linear least-squares problem with the others fixed,
 *
 *   A_k = X_(k) (⊙_{j != k} A_j) V^+,   V = ∘_{j != k} A_j^T A_j   (Hadamard product of Grams),
 *
 * the first product being the MTTKRP (mttkrp.ts: two gemms on the tensor per sweep, by
 * partial products) and V^+ applied through a Cholesky factorization of the r x r V (its
 * eigen-pseudo-inverse when V is singular); then A_k's columns are normalized into λ.
 *
 * Non-negative CP (`nonnegative: true`): the same MTTKRP and V, but each factor takes one
 * sweep of hierarchical ALS (HALS; Cichocki & Phan 2009, "Fast local algorithms for large
 * scale nonnegative matrix and tensor factorizations"): column by column,
 * a_c <- max(0, a_c + (m_c - A v_c) / v_cc), the exact minimizer over that column.
 *
 * Line search (`lineSearch: true`, unconstrained only): after each sweep the factors are
 * extrapolated along the sweep's step, A + (it^(1/p) - 1)(A - A_prev) (Bro 1998, "Multi-way
 * analysis in the food industry", with p = 3, raised by one after every 4 rejected
 * steps, as TensorLy does), and the extrapolated point is kept when its error is lower. It
 * costs one more gemm on the tensor per sweep (whose result the next sweep reuses when the
 * step is kept).
 *
 * The error needs no pass over the tensor: ||X - X̂||^2 = ||X||^2 - 2 <X, X̂> + ||X̂||^2
 * with <X, X̂> = sum_c λ_c (M_{d-1} ∘ A_{d-1})_c from the last MTTKRP and ||X̂||^2 =
 * λ^T (∘_k A_k^T A_k) λ. Every step above (ALS, HALS, accepted extrapolation) never
 * increases the error, so the stopping test is on its decrease.
 */
import { ConvergenceError, InvalidArgumentError, ShapeError } from '../../errors.js';
import { runSteps, runStepsAsync, type FitSteps } from '../../fit-async.js';
import { kernels } from '../../kernels/index.js';
import { eigh } from '../../linalg/eigh.js';
import { potrf, potrs } from '../../linalg/lapack/potrf.js';
import { Workspace } from '../../kernels/workspace.js';
import { Matrix } from '../../matrix/matrix.js';
import { bool, LONG_TASK_OPTIONS, oneOf, opt, resolveOptions, seedRule, tableFor, type Constraint } from '../../options.js';
import type { LongTaskOptions } from '../../progress.js';
import { rng, type Rng } from '../../random.js';
import { Tensor } from '../../tensor/tensor.js';
import { FittedDecomposition, sweepConverged, TENSOR_SWEEP_OPTIONS, type FitFacts, type TensorSweepOptions } from './fit-facts.js';
import { flatInput, leadingVectors, normOf, prod, tensorShape, type Flat } from './mode-products.js';
import { contractGroup, khatriRaoInto, khatriRaoRows, leadingLayout, splitPoint, timesLeading, timesTrailing } from './mttkrp.js';
import { toC } from './tt-dense.js';

/** How CP-ALS starts: leading singular vectors of the unfoldings, or random factors. */
export const CP_INITS = ['svd', 'random'] as const;
/** A CP starting point (see {@link cp}). */
export type CPInit = (typeof CP_INITS)[number];

/** Options of {@link cp}: the sweeps' stopping rule ({@link TensorSweepOptions}: `maxIter`, `tol`) and its own (unknown keys are an error). */
export interface CPOptions extends TensorSweepOptions, LongTaskOptions {
  /**
   * 'svd' (default): factor k starts as the r leading left singular vectors of the
   * unfolding X_(k) (random columns beyond n_k; absolute values for `nonnegative`);
   * 'random': standard normal entries (uniform in [0, 1) for `nonnegative`), from `seed`.
   */
  init?: CPInit;
  /** Non-negative factors and weights, by HALS; default false. */
  nonnegative?: boolean;
  /** Seed of the random init and of the columns 'svd' cannot fill; default 0. */
  seed?: number;
  /** Bro's extrapolation after each sweep (see the module comment); default false. Not with `nonnegative`. */
  lineSearch?: boolean;
  /** Called after each sweep: `stage: 'iteration'`, metrics fit and relativeError. */
  onProgress?: LongTaskOptions['onProgress'];
  /** Cancels the fit at the next sweep (AbortedError). */
  signal?: AbortSignal;
}

const CP_OPTIONS = tableFor<CPOptions>()({
  ...TENSOR_SWEEP_OPTIONS,
  init: opt(oneOf(CP_INITS), 'svd'),
  nonnegative: opt(bool, false),
  seed: opt(seedRule, 0),
  lineSearch: opt(bool, false),
  ...LONG_TASK_OPTIONS,
});

const CP_CONSTRAINTS: Constraint<typeof CP_OPTIONS>[] = [
  { ok: (o) => !(o.nonnegative && o.lineSearch), message: () => 'lineSearch applies to the unconstrained CP-ALS only; drop it or nonnegative' },
];


/** What a {@link CPDecomposition} records about the fit that made it. */
export interface CPFacts extends FitFacts {
  /** The fit 1 - relative error after each sweep. */
  readonly fitHistory?: ArrayLike<number>;
}

/**
 * A CP decomposition X ≈ sum_c weights[c] factors[0][:, c] ∘ ... ∘ factors[d-1][:, c]:
 * factor matrices n_k x r with unit-norm columns and weights sorted descending. Made by
 * {@link cp}.
 */
export class CPDecomposition extends FittedDecomposition {
  /** λ, length r, descending (>= 0). */
  readonly weights: Float64Array;
  /** A_k, n_k x r, unit-norm columns (a zero column where its weight is 0). */
  readonly factors: readonly Matrix[];
  /** The fit 1 - relative error after each sweep. */
  readonly fitHistory: Float64Array;

  /**
   * Wrap weights and factors (normally built by {@link cp}).
   * @throws ShapeError when a factor does not have one column per weight.
   */
  constructor(weights: ArrayLike<number>, factors: readonly Matrix[], facts: CPFacts) {
    factors.forEach((A, k) => {
      if (A.cols !== weights.length) throw new ShapeError(`CPDecomposition: factor ${k} is ${A.rows}x${A.cols}, expected ${weights.length} columns (one per weight)`);
    });
    super(facts);
    this.weights = Float64Array.from(weights);
    this.factors = Object.freeze([...factors]);
    this.fitHistory = Float64Array.from(facts.fitHistory ?? []);
  }

  /** 1 - relative error (1 is exact). */
  get fit(): number {
    return 1 - this.relativeError;
  }

  /** The number of components r. */
  get rank(): number {
    return this.weights.length;
  }

  /** Shape of the tensor it approximates: the factors' row counts n_k. */
  get shape(): number[] {
    return this.factors.map((A) => A.rows);
  }

  /** Numbers stored: r (1 + sum n_k). */
  get params(): number {
    return this.rank * (1 + this.factors.reduce((s, A) => s + A.rows, 0));
  }

  /** Entries of the full tensor per number stored. */
  get compressionRatio(): number {
    return prod(this.shape) / this.params;
  }

  /**
   * The full tensor sum_c λ_c a_0c ∘ ... ∘ a_{d-1,c} (float64, C order): one gemm of the
   * Khatri-Rao products of the leading and trailing factors, 2 N r flops.
   */
  full(): Tensor {
    const shape = this.shape;
    const r = this.rank;
    const rows = this.factors.map((A) => toC(A)); // row-major float64: entry (i, c) at i r + c
    const s = splitPoint(shape);
    const P = prod(shape, 0, s);
    const Q = prod(shape, s);
    const left = khatriRaoRows(rows.slice(0, s), shape.slice(0, s), r);
    for (let p = 0; p < P; p++) for (let c = 0; c < r; c++) left[p * r + c]! *= this.weights[c]!;
    const right = khatriRaoRows(rows.slice(s), shape.slice(s), r);
    const out = new Float64Array(P * Q);
    // X as the row-major P x Q matrix left right^T; column-major, X^T = right left^T.
    if (r > 0) kernels().gemm(true, false, Q, P, r, 1, right, 0, r, left, 0, r, 0, out, 0, Q);
    return new Tensor(out, shape);
  }

  /** The same as {@link CPDecomposition.full}. */
  reconstruct(): Tensor {
    return this.full();
  }
}

/**
 * CP decomposition of a d-way tensor (d >= 2) with `rank` components by alternating least
 * squares (or HALS for `nonnegative`), see the module comment. Computation in float64.
 *
 * Cost per sweep: two gemms on the tensor (4 N r flops), O((P_L + P_R) r) for the
 * partial contractions (P_L P_R = N), O(sum n_k r^2 + d r^3) for the normal equations;
 * one more gemm with `lineSearch`.
 *
 * @param T - the tensor (any dtype and strides; copied once).
 * @param rank - the number of components r >= 1 (may exceed the mode lengths).
 * @param options - {@link CPOptions}: maxIter (100), tol (1e-10), init ('svd'),
 *   nonnegative (false), seed (0), lineSearch (false), onProgress, signal.
 * @returns the {@link CPDecomposition}: weights (descending), unit-column factors, fit,
 *   relative error, iterations.
 * @throws InvalidArgumentError for a 1-way tensor, a mode of length 0, a bad rank or option;
 *   NonFiniteInputError naming the index of a NaN/Inf entry; ConvergenceError when the
 *   factors or the error become non-finite; AbortedError when `signal` aborts.
 * @example
 * const T = cpTensor;                         // e.g. new CPDecomposition(w, [A, B, C], ...).full()
 * const f = cp(T, 3, { maxIter: 500 });
 * f.weights;                                  // λ, descending
 * f.factors[0].shape;                         // [n_0, 3], unit-norm columns
 * f.fit;                                      // 1 - ||T - f.full()|| / ||T||
 */
export function cp(T: Tensor, rank: number, options: CPOptions = {}): CPDecomposition {
  return runSteps(cpSteps(T, rank, options), options?.signal, 'cp');
}

/**
 * {@link cp} with a turn of the event loop between sweeps (a timer or a button can abort
 * it within about one sweep). The same result bit for bit.
 * @throws (rejects with) the errors of {@link cp}.
 */
export function cpAsync(T: Tensor, rank: number, options: CPOptions = {}): Promise<CPDecomposition> {
  return runStepsAsync(cpSteps(T, rank, options), options?.signal, 'cpAsync');
}

/** The state of a CP fit: row-major factors with unit columns, weights, Grams. */
interface State {
  A: Float64Array[];
  lambda: Float64Array;
  grams: Float64Array[];
}

function* cpSteps(T: Tensor, rank: unknown, options: CPOptions): FitSteps<CPDecomposition> {
  const o = resolveOptions('cp', CP_OPTIONS, options, CP_CONSTRAINTS);
  const shape = tensorShape(T, 'cp');
  if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 1) {
    throw new InvalidArgumentError(`cp: rank must be an integer >= 1 (the number of components), got ${typeof rank === 'number' ? rank : typeof rank}`);
  }
  const r = rank;
  const d = shape.length;
  yield;
  const ws = new Workspace();
  try {
    const { X, scale } = flatInput(T, 'cp', ws);
    const nx = normOf(X);
    const random = rng(o.seed);
    const st = initialState(X, r, o.init, o.nonnegative, random, ws);
    const s = splitPoint(shape);
    const P = prod(shape, 0, s);
    const Q = prod(shape, s);
    const leftDims = shape.slice(0, s);
    const rightDims = shape.slice(s);
    const KR = ws.alloc('float64', Q * r, false) as Float64Array;
    const KL = ws.alloc('float64', P * r, false) as Float64Array;
    const TR = ws.alloc('float64', P * r, false) as Float64Array;
    const TL = ws.alloc('float64', Q * r, false) as Float64Array;
    const layout = leadingLayout(P, Q);
    // T_R is valid for the current right factors (after an accepted extrapolation, which
    // computed it already).
    let trValid = false;
    const history: number[] = [];
    let e2 = NaN;
    let iterations = 0;
    let converged = false;
    let power = 3;
    let fails = 0;
    const update = o.nonnegative ? halsUpdate : alsUpdate;
    if (nx === 0) {
      st.lambda.fill(0);
      e2 = 0;
    }
    for (let it = 1; it <= o.maxIter && nx > 0; it++) {
      const previous = o.lineSearch && it > 1 ? copyState(st) : undefined;
      if (!trValid) {
        khatriRaoInto(st.A.slice(s), rightDims, r, KR);
        timesTrailing(X, P, Q, KR, r, TR);
      }
      for (let q = 0; q < s; q++) update(st, q, contractGroup(TR, leftDims, r, q, st.A.slice(0, s)));
      khatriRaoInto(st.A.slice(0, s), leftDims, r, KL);
      timesLeading(X, P, Q, KL, r, TL, layout);
      // The last mode's MTTKRP, kept for the error (the ALS update overwrites its argument).
      let last = new Float64Array(0);
      for (let q = s; q < d; q++) {
        const M = contractGroup(TL, rightDims, r, q - s, st.A.slice(s), layout);
        if (q === d - 1) last = M.slice();
        update(st, q, M);
      }
      let next = squaredError(st, last, d - 1, nx);
      trValid = false;
      if (previous) {
        const trial = extrapolate(previous, st, it ** (1 / power));
        khatriRaoInto(trial.A.slice(s), rightDims, r, KR);
        timesTrailing(X, P, Q, KR, r, TR);
        const M0 = contractGroup(TR, leftDims, r, 0, trial.A.slice(0, s));
        const e2Trial = squaredError(trial, M0, 0, nx);
        if (e2Trial < next) {
          Object.assign(st, trial);
          next = e2Trial;
          trValid = true;
          fails = 0;
        } else if (++fails === 4) {
          power += 1;
          fails = 0;
        }
      }
      iterations = it;
      const relativeError = Math.sqrt(next);
      if (!Number.isFinite(relativeError) || !st.lambda.every(Number.isFinite)) {
        throw new ConvergenceError(`cp: the ${Number.isFinite(relativeError) ? 'weights' : 'error'} became non-finite at sweep ${it}; rescale the tensor (e.g. divide it by its largest entry) or lower the rank`);
      }
      history.push(1 - relativeError);
      o.onProgress?.({ stage: 'iteration', done: it, total: o.maxIter, metrics: { fit: 1 - relativeError, relativeError } });
      const decrease = e2 - next;
      e2 = next;
      if (sweepConverged(o.tol, it, decrease)) {
        converged = true;
        break;
      }
      yield;
    }
    for (let c = 0; c < r; c++) st.lambda[c]! *= scale;
    return finish(st, shape, { relativeError: Math.sqrt(e2), iterations, converged, fitHistory: history });
  } finally {
    ws.release();
  }
}

/** The starting factors (unit columns), weights 1, and their Grams. */
function initialState(X: Flat, r: number, init: 'svd' | 'random', nonnegative: boolean, random: Rng, ws: Workspace): State {
  const shape = X.shape;
  const A = shape.map((n, k) => {
    const F = new Float64Array(n * r);
    let filled = 0;
    if (init === 'svd') {
      filled = Math.min(r, n, X.data.length / n);
      const U = leadingVectors(X, k, filled, ws);
      for (let c = 0; c < filled; c++) for (let i = 0; i < n; i++) F[i * r + c] = nonnegative ? Math.abs(U[c * n + i]!) : U[c * n + i]!;
    }
    for (let c = filled; c < r; c++) for (let i = 0; i < n; i++) F[i * r + c] = nonnegative ? random.nextDouble() : random.nextNormal();
    normalizeColumns(F, n, r, new Float64Array(r));
    return F;
  });
  const lambda = new Float64Array(r).fill(1);
  return { A, lambda, grams: A.map((F, k) => gramOf(F, shape[k]!, r)) };
}

function copyState(st: State): State {
  return { A: st.A.map((F) => F.slice()), lambda: st.lambda.slice(), grams: st.grams.map((G) => G.slice()) };
}

/** prev + step (cur - prev) for factors and weights, renormalized. */
function extrapolate(prev: State, cur: State, step: number): State {
  const r = cur.lambda.length;
  const lambda = new Float64Array(r);
  for (let c = 0; c < r; c++) lambda[c] = prev.lambda[c]! + step * (cur.lambda[c]! - prev.lambda[c]!);
  const A = cur.A.map((F, k) => {
    const P = prev.A[k]!;
    const out = new Float64Array(F.length);
    for (let p = 0; p < F.length; p++) out[p] = P[p]! + step * (F[p]! - P[p]!);
    const norms = new Float64Array(r);
    normalizeColumns(out, F.length / r, r, norms);
    for (let c = 0; c < r; c++) lambda[c]! *= norms[c]!;
    return out;
  });
  return { A, lambda, grams: A.map((F) => gramOf(F, F.length / r, r)) };
}

/** A^T A (r x r, both triangles) of a row-major n x r factor. */
function gramOf(A: Float64Array, n: number, r: number): Float64Array {
  const G = new Float64Array(r * r);
  // A^T A = (A^T)(A^T)^T with A^T the column-major r x n array A itself.
  kernels().syrk('L', false, r, n, 1, A, 0, r, 0, G, 0, r);
  for (let j = 0; j < r; j++) for (let i = j + 1; i < r; i++) G[j + i * r] = G[i + j * r]!;
  return G;
}

/** Divide each column of the row-major n x r A by its norm, storing the norms (0 columns stay 0). */
function normalizeColumns(A: Float64Array, n: number, r: number, norms: Float64Array): void {
  norms.fill(0);
  for (let i = 0; i < n; i++) for (let c = 0; c < r; c++) norms[c]! += A[i * r + c]! ** 2;
  for (let c = 0; c < r; c++) norms[c] = Math.sqrt(norms[c]!);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < r; c++) {
      const v = norms[c]!;
      if (v > 0) A[i * r + c]! /= v;
    }
  }
}

/** V = Hadamard product of the Grams of every factor but q (r x r, full). */
function hadamardGrams(st: State, q: number): Float64Array {
  const r = st.lambda.length;
  const V = new Float64Array(r * r).fill(1);
  st.grams.forEach((G, k) => {
    if (k !== q) for (let p = 0; p < r * r; p++) V[p]! *= G[p]!;
  });
  return V;
}

/**
 * ALS update of factor q from its MTTKRP M (row-major n_q x r, overwritten): A_q = M V^+,
 * solved as V A_q^T = M^T (A_q^T is M's array seen column-major r x n_q) by Cholesky
 * (LAPACK dpotrf/dpotrs), or by V's eigen-pseudo-inverse when V is not positive definite
 * (collinear or zero components); then A_q's columns are normalized into λ.
 */
function alsUpdate(st: State, q: number, M: Float64Array): void {
  const r = st.lambda.length;
  const n = M.length / r;
  const V = hadamardGrams(st, q);
  const L = V.slice();
  if (potrf(r, L, 0, r) === 0) {
    potrs(r, n, L, 0, r, M, 0, r);
  } else {
    const Vp = pseudoInverse(V, r);
    const out = new Float64Array(n * r);
    kernels().gemm(false, false, r, n, r, 1, Vp, 0, r, M, 0, r, 0, out, 0, r);
    M.set(out);
  }
  normalizeColumns(M, n, r, st.lambda);
  st.A[q] = M;
  st.grams[q] = gramOf(M, n, r);
}

/** V^+ of a symmetric r x r V by eigh, dropping eigenvalues below r eps max |w| (numpy's pinv cutoff). */
function pseudoInverse(V: Float64Array, r: number): Float64Array {
  const { w, V: Q } = eigh(new Matrix(V, r, r));
  let big = 0;
  for (let i = 0; i < r; i++) big = Math.max(big, Math.abs(w[i]!));
  const cut = r * 2.220446049250313e-16 * big;
  const out = new Float64Array(r * r);
  for (let t = 0; t < r; t++) {
    const wt = w[t]!;
    if (!(Math.abs(wt) > cut)) continue;
    for (let j = 0; j < r; j++) {
      const qj = Q.get(j, t) / wt;
      for (let i = 0; i < r; i++) out[i + j * r]! += Q.get(i, t) * qj;
    }
  }
  return out;
}

/**
 * One HALS sweep over the columns of factor q (Cichocki & Phan 2009), started from the
 * current model (A_q scaled by λ): a_c <- max(0, a_c + (m_c - A_q v_c) / v_cc), in place
 * column by column; then the columns are normalized into λ.
 */
function halsUpdate(st: State, q: number, M: Float64Array): void {
  const r = st.lambda.length;
  const n = M.length / r;
  const V = hadamardGrams(st, q);
  const A = st.A[q]!.slice();
  for (let i = 0; i < n; i++) for (let c = 0; c < r; c++) A[i * r + c]! *= st.lambda[c]!;
  for (let c = 0; c < r; c++) {
    const vcc = V[c + c * r]!;
    if (!(vcc > 0)) {
      for (let i = 0; i < n; i++) A[i * r + c] = 0;
      continue;
    }
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let j = 0; j < r; j++) av += A[i * r + j]! * V[j + c * r]!;
      A[i * r + c] = Math.max(0, A[i * r + c]! + (M[i * r + c]! - av) / vcc);
    }
  }
  normalizeColumns(A, n, r, st.lambda);
  st.A[q] = A;
  st.grams[q] = gramOf(A, n, r);
}

/**
 * ||X - X̂||^2 / ||X||^2 from the MTTKRP M of mode q computed with the state's other factors:
 * <X, X̂> = sum_c λ_c sum_i M[i, c] A_q[i, c], ||X̂||^2 = λ^T (∘_k G_k) λ.
 */
function squaredError(st: State, M: Float64Array, q: number, nx: number): number {
  const r = st.lambda.length;
  const A = st.A[q]!;
  const n = A.length / r;
  let inner = 0;
  for (let c = 0; c < r; c++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += M[i * r + c]! * A[i * r + c]!;
    inner += st.lambda[c]! * (s / nx);
  }
  const H = hadamardGrams(st, -1);
  let model = 0;
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) model += (st.lambda[i]! / nx) * H[i + j * r]! * (st.lambda[j]! / nx);
  return Math.max(0, 1 - 2 * (inner / nx) + model);
}

/**
 * The decomposition: components sorted by weight (descending); signs fixed so that in every
 * mode but the last the largest-magnitude entry of each column is positive (the last mode
 * takes the product of the flips, so each term is unchanged).
 */
function finish(st: State, shape: readonly number[], facts: CPFacts): CPDecomposition {
  const r = st.lambda.length;
  const d = shape.length;
  const order = Array.from({ length: r }, (_, c) => c).sort((a, b) => st.lambda[b]! - st.lambda[a]! || a - b);
  const factors = st.A.map((F, k) => {
    const n = shape[k]!;
    const out = new Float64Array(n * r);
    order.forEach((c, t) => {
      for (let i = 0; i < n; i++) out[i + t * n] = F[i * r + c]!;
    });
    return out;
  });
  for (let t = 0; t < r; t++) {
    let sign = 1;
    for (let k = 0; k < d; k++) {
      const n = shape[k]!;
      const col = factors[k]!;
      let flip = k < d - 1 ? largestSign(col, t * n, n) : sign;
      if (k < d - 1) sign *= flip;
      else flip = sign;
      if (flip < 0) for (let i = 0; i < n; i++) col[t * n + i] = -col[t * n + i]!;
    }
  }
  const weights = Float64Array.from(order, (c) => st.lambda[c]!);
  return new CPDecomposition(weights, factors.map((F, k) => new Matrix(F, shape[k]!, r)), facts);
}

/** The sign of the largest-magnitude entry of col[off .. off + n) (the first on ties; +1 for zeros). */
function largestSign(col: Float64Array, off: number, n: number): number {
  let best = 0;
  let sign = 1;
  for (let i = 0; i < n; i++) {
    const v = col[off + i]!;
    if (Math.abs(v) > best) {
      best = Math.abs(v);
      sign = v < 0 ? -1 : 1;
    }
  }
  return sign;
}
