/**
 * SoftImpute: matrix completion by nuclear-norm regularisation,
 *
 *   minimise_Z  1/2 ||P_Omega(X - Z)||_F^2 + lambda ||Z||_*,
 *
 * where Omega is the set of observed entries (Mazumder, Hastie & Tibshirani 2010,
 * "Spectral regularization algorithms for learning large incomplete matrices", JMLR 11).
 *
 * Two solvers, both on the "sparse + low rank" form of the filled-in matrix
 * Z = P_Omega(X) + P_Omega^perp(L) = S + L (S = P_Omega(X - L) lives on the observed
 * entries only, L = U diag(d) V^T is low rank), so no m x n matrix is ever formed:
 *
 * - `'svd'` (Soft-Impute, MHT 2010 Algorithm 1): L <- SVT_lambda(S + L), the singular
 *   value soft-thresholding (nuclear-norm proximal operator) of the filled-in matrix, with
 *   its top singular triplets from a block subspace iteration (block = working rank + 5)
 *   warm-started from the previous iteration's basis: one power step plus Rayleigh-Ritz per
 *   iteration, so the subspace keeps converging across iterations. With exact SVDs the
 *   objective never increases (MHT 2010, Lemma 2); the tests check it stays monotone.
 * - `'als'` (softImpute-ALS, Hastie, Mazumder, Lee & Zadeh 2015, "Matrix completion and
 *   low-rank SVD via fast alternating least squares", JMLR 16, Algorithm 3.1): alternating
 *   ridge regressions for A = U D and B = V D with the same sparse + low rank trick, and a
 *   closing SVD step that returns the same kind of soft-thresholded SVD. Cheaper per
 *   iteration (one sparse product per half-step and no subspace iteration); the default.
 *
 * Both stop when ||L_old - L_new||_F^2 / ||L_old||_F^2 < tol (the papers' criterion).
 */
import { ConvergenceError, InvalidArgumentError, LowrankError, ShapeError, UnsupportedError, check } from '../../errors.js';
import { runSteps, runStepsAsync, type FitSteps } from '../../fit-async.js';
import { LowRank } from '../../lowrank/low-rank.js';
import { Matrix } from '../../matrix/matrix.js';
import { bool, int, maybe, num, oneOf, opt, resolveOptions, tableFor, type Constraint } from '../../options.js';
import type { LongTaskOptions } from '../../progress.js';
import { rng, type Rng } from '../../random.js';
import { jsonRows, jsonVector } from '../decomposition/centering.js';
import { rowMajor, toObservedCsr, type ObservedCsr, type ObservedInput } from './observed-entries.js';
import {
  alsFinish,
  alsHalfStep,
  alsLowRank,
  gaussianBlock,
  nuclearNorm,
  padColumns,
  relativeChange,
  residualOf,
  SparsePlusLowRank,
  subspaceSvd,
  threshold,
  zeroState,
  type AlsState,
  type LowRankState,
} from './soft-impute-steps.js';

export type { CooEntries, CsrLike, ObservedInput } from './observed-entries.js';

/** The SoftImpute solvers: softImpute-ALS and Soft-Impute (SVD). */
export const SOFT_IMPUTE_ALGORITHMS = ['als', 'svd'] as const;
/** Which SoftImpute solver to run. */
export type SoftImputeAlgorithm = (typeof SOFT_IMPUTE_ALGORITHMS)[number];

/** Options of {@link SoftImpute}. Unknown keys are an error. */
export interface SoftImputeOptions {
  /**
   * Largest rank of the completed matrix (the paper's `rank.max`), an integer >= 1; values
   * above min(m, n) are clamped. Default: no cap, the working rank starts at 8 and doubles
   * while every computed singular value survives the threshold (requires `lambda` > 0).
   */
  rank?: number;
  /**
   * Shrinkage lambda >= 0 on the singular values. Default `softImputeLambdaMax(X) / 100`, where
   * `lambdaMax` ({@link softImputeLambdaMax}) is the largest singular value of the observed matrix (zeros elsewhere):
   * lambda >= lambdaMax gives the zero matrix (softImpute's `lambda0`). lambda = 0 with a
   * `rank` is rank-constrained "hard" imputation.
   */
  lambda?: number;
  /** Iteration cap, >= 1. Default 100. */
  maxIter?: number;
  /** Stop when ||L_old - L_new||_F^2 / ||L_old||_F^2 < tol (>= 0). Default 1e-5. */
  tol?: number;
  /** Seed of the random starting block. Default 0. */
  seed?: number;
  /** `'als'` (default, faster per iteration) or `'svd'` (monotone objective). */
  algorithm?: SoftImputeAlgorithm;
}

const SOFT_IMPUTE_OPTIONS = tableFor<SoftImputeOptions>()({
  rank: maybe(int(1)),
  lambda: maybe(num(0)),
  maxIter: opt(int(1), 100),
  tol: opt(num(0), 1e-5),
  seed: opt(num(), 0),
  algorithm: opt(oneOf(SOFT_IMPUTE_ALGORITHMS), 'als'),
});

const SOFT_IMPUTE_CONSTRAINTS: Constraint<typeof SOFT_IMPUTE_OPTIONS>[] = [
  {
    ok: (o) => !(o.lambda === 0 && o.rank === undefined),
    message: () => 'lambda = 0 needs a rank (without shrinkage or a rank cap every completion that matches the observed entries is a solution)',
  },
];

/** Options of {@link SoftImputeFit.complete}. Unknown keys are an error. */
export interface CompleteOptions {
  /** Keep the observed entries as given (default true); false gives the low-rank estimate everywhere. */
  keepObserved?: boolean;
}

const COMPLETE_OPTIONS = tableFor<CompleteOptions>()({
  keepObserved: opt(bool, true),
});

/** Options of {@link softImputeLambdaMax}. Unknown keys are an error. */
export interface SoftImputeLambdaMaxOptions {
  /** Seed of the random starting block; default 0. */
  seed?: number;
}

const LAMBDA_MAX_OPTIONS = tableFor<SoftImputeLambdaMaxOptions>()({
  seed: opt(num(), 0),
});

/** Options of {@link SoftImpute.fit}: progress (`stage: 'iteration'`) and cancellation. */
export type SoftImputeFitOptions = LongTaskOptions;

/** Oversampling of the subspace iteration's block beyond the working rank ('svd'). */
const OVERSAMPLE = 5;
/** The cold-started subspace iteration stops when s_1 moves by less than this fraction. */
const INNER_TOL = 1e-10;
/**
 * Subspace steps per Soft-Impute iteration ('svd'). Warm-started, one step per iteration
 * gave the same iteration counts and answers as 2 or 6 in measurements, at a third of the cost.
 */
const INNER_STEPS = 1;
/** Steps of the cold-started subspace iteration on P_Omega(X) (start and lambdaMax). */
const INIT_STEPS = 50;
/** Working rank when `rank` is not given. */
const START_RANK = 8;

/**
 * Matrix completion by nuclear-norm regularised least squares (SoftImpute). Options are
 * checked here; {@link SoftImpute.fit} runs the solver.
 * @example
 * const fit = new SoftImpute({ rank: 5, lambda: 0.1 }).fit({ rows, cols, values, shape: [m, n] });
 * fit.predict(3, 7); fit.factors.s; fit.complete();
 */
export class SoftImpute {
  /** Largest rank of the completed matrix, or undefined for no cap. */
  readonly rank: number | undefined;
  /** Shrinkage on the singular values, or undefined for lambdaMax / 100 (computed at fit time). */
  readonly lambda: number | undefined;
  /** Iteration cap; default 100. */
  readonly maxIter: number;
  /** Relative-change stopping tolerance; default 1e-5. */
  readonly tol: number;
  /** Seed of the random starting block; default 0. */
  readonly seed: number;
  /** 'als' (default) or 'svd'. */
  readonly algorithm: SoftImputeAlgorithm;

  /**
   * Check the options against SoftImpute's table and store them.
   * @throws InvalidArgumentError naming the bad option (or an unknown one): rank < 1 or not
   *   an integer, lambda < 0 or not finite, lambda = 0 without a rank, maxIter < 1, tol < 0,
   *   an unknown algorithm.
   */
  constructor(options: SoftImputeOptions = {}) {
    const o = resolveOptions('SoftImpute', SOFT_IMPUTE_OPTIONS, options, SOFT_IMPUTE_CONSTRAINTS);
    this.rank = o.rank;
    this.lambda = o.lambda;
    this.maxIter = o.maxIter;
    this.tol = o.tol;
    this.seed = o.seed;
    this.algorithm = o.algorithm;
  }

  /**
   * Complete the matrix from its observed entries: coordinate triples, a CSR matrix
   * (`indptr`, `indices`, `data`) or a dense Matrix with NaN for missing entries.
   *
   * Cost per iteration, r the working rank: 'als' two residual passes and two sparse
   * products, about 8 |Omega| r flops, plus O((m + n) r^2); 'svd' one residual pass and two
   * sparse products of width r + 5, about 2 |Omega| (3 r + 10), plus O((m + n) (r + 5)^2).
   * Iteration counts are similar (measured: 'als' needs ~20-30% fewer to reach tol 1e-5).
   * Computation is in float64; the factors are float64.
   * @throws ShapeError, InvalidArgumentError, NonFiniteInputError for bad observed entries
   *   (see `toObservedCsr` in observed-entries.ts); AbortedError when `signal` aborts;
   *   ConvergenceError when the objective becomes NaN/Infinity (values whose squares
   *   overflow float64: rescale them).
   */
  fit(observed: ObservedInput, options: SoftImputeFitOptions = {}): SoftImputeFit {
    return runSteps(this.steps(observed, options), options.signal, 'SoftImpute.fit');
  }

  /**
   * {@link SoftImpute.fit} with a turn of the event loop between iterations (see
   * runStepsAsync in fit-async.ts): the same fit bit for bit and the same progress reports,
   * abortable by a timer or a button within about one iteration. The starting SVD of the
   * observed entries (up to 50 subspace steps) runs as one block before the first iteration.
   * @throws (rejects with) the errors of {@link SoftImpute.fit}.
   */
  fitAsync(observed: ObservedInput, options: SoftImputeFitOptions = {}): Promise<SoftImputeFit> {
    return runStepsAsync(this.steps(observed, options), options.signal, 'SoftImpute.fitAsync');
  }

  // The iteration loop of fit and fitAsync; yields before the start and before each iteration.
  private *steps(observed: ObservedInput, options: SoftImputeFitOptions): FitSteps<SoftImputeFit> {
    const { onProgress } = options;
    yield;
    const obs = toObservedCsr(observed);
    const m = obs.rows;
    const n = obs.cols;
    // Nothing to fit: with no observed entry every matrix of the right shape is a solution
    // (the zero matrix only by the shrinkage), so a completion would be made up.
    if (m === 0 || n === 0) throw new ShapeError(`SoftImpute.fit: the matrix is empty (${m}x${n}); give the shape [m, n] of the full matrix, both >= 1`);
    if (obs.values.length === 0) {
      throw new InvalidArgumentError(
        `SoftImpute.fit: no observed entries in the ${m}x${n} matrix; give at least one (rows, cols, values triples, the stored entries of a sparse matrix, or a Matrix with NaN only at the missing entries)`,
      );
    }
    const minDim = Math.min(m, n);
    const cap = Math.min(this.rank ?? minDim, minDim);
    let work = this.rank !== undefined ? cap : Math.min(cap, START_RANK);
    const random = rng(this.seed);
    const nnz = obs.values.length;
    const s = new Float64Array(nnz);

    // Start: top singular triplets of P_Omega(X) (the first Soft-Impute step from Z = 0),
    // which also give lambdaMax = sigma_1(P_Omega(X)).
    const zero = zeroState(m, n);
    let rss = residualOf(obs, zero, s);
    const p0 = Math.min(minDim, work + OVERSAMPLE);
    const start = subspaceSvd(new SparsePlusLowRank(obs, s, zero), gaussianBlock(n, p0, random), 1, INNER_TOL, INIT_STEPS);
    const lambdaMax = start.s[0] ?? 0;
    const lambda = this.lambda ?? lambdaMax / 100;
    const history = { objective: [] as number[], change: [] as number[] };
    const done = (L: LowRankState, iterations: number, converged: boolean): SoftImputeFit =>
      new SoftImputeFit(obs, new LowRank(L.U, L.d, L.V.T.copy()), {
        lambda, lambdaMax, iterations, converged, objective: history.objective, change: history.change,
        trainRmse: Math.sqrt(residualOf(obs, L, s) / nnz),
      });
    if (lambda >= lambdaMax) return done(zero, 0, true); // 0 is optimal: ||P_Omega(X)||_2 <= lambda

    const report = (it: number, L: LowRankState, change: number): void => {
      const objective = 0.5 * rss + lambda * nuclearNorm(L.d);
      // The objective is computed every iteration anyway: testing it is the divergence check.
      if (!Number.isFinite(objective)) {
        throw new ConvergenceError(
          `SoftImpute: the objective became ${objective} at iteration ${it} (algorithm '${this.algorithm}'); ` +
          'the observed values or the estimate overflow float64: rescale the values (e.g. divide by the largest)',
        );
      }
      history.objective.push(objective);
      history.change.push(change);
      onProgress?.({ stage: 'iteration', done: it, total: this.maxIter, metrics: { objective, change, rmse: Math.sqrt(rss / nnz), rank: L.d.length } });
    };

    if (this.algorithm === 'svd') {
      let L: LowRankState = zero;
      let basis = start.V;
      for (let it = 1; it <= this.maxIter; it++) {
        yield;
        const p = Math.min(minDim, work + OVERSAMPLE);
        if (basis.cols < p) basis = padColumns(basis, p - basis.cols, random);
        else if (basis.cols > p) basis = basis.colRange(0, p); // columns come by singular value
        const f = subspaceSvd(new SparsePlusLowRank(obs, s, L), basis, work, INNER_TOL, it === 1 ? INIT_STEPS : INNER_STEPS);
        basis = f.V;
        const next = threshold(f.U, f.s, f.V, lambda, work);
        // Working rank: double while every computed value survives the threshold (the
        // cap may be binding), else track the kept rank plus one (early iterates from the
        // zero-filled matrix keep many values that later die; no need to carry them).
        const grow = next.d.length === work && work < cap;
        work = grow ? Math.min(cap, 2 * work) : Math.min(cap, next.d.length + 1);
        const change = relativeChange(L, next);
        L = next;
        rss = residualOf(obs, L, s);
        report(it, L, change);
        if (change < this.tol && !grow) return done(L, it, true);
      }
      return done(L, this.maxIter, false);
    }

    // softImpute-ALS, started from the first Soft-Impute step: U, V the top singular
    // vectors of P_Omega(X), D^2 = (sigma - lambda)_+ (kept a little above 0, since a zero
    // column of D never moves again).
    let st = alsStart(start.U, start.s, start.V, lambda, work);
    rss = residualOf(obs, alsLowRank(st), s);
    for (let it = 1; it <= this.maxIter; it++) {
      yield;
      const old = alsLowRank(st);
      st = alsHalfStep(obs, s, st, lambda, 'B');
      residualOf(obs, alsLowRank(st), s);
      st = alsHalfStep(obs, s, st, lambda, 'A');
      const L = alsLowRank(st);
      rss = residualOf(obs, L, s);
      const change = relativeChange(old, L);
      const last = it === this.maxIter;
      if (change < this.tol || last) {
        const fin = alsFinish(obs, s, st, lambda).L;
        rss = residualOf(obs, fin, s);
        report(it, fin, change);
        const capped = fin.d.length === work && work < cap;
        if (capped && !last) {
          // Every value survived: the working rank may be binding. Grow and go on.
          work = Math.min(cap, 2 * work);
          st = alsGrow(fin, work, random);
          rss = residualOf(obs, alsLowRank(st), s);
          continue;
        }
        return done(fin, it, change < this.tol && !capped);
      }
      report(it, L, change);
    }
    /* c8 ignore next */
    throw new Error('unreachable');
  }
}

/** ALS state from the first Soft-Impute step's triplets (r = work columns). */
function alsStart(U: Matrix, sigma: Float64Array, V: Matrix, lambda: number, work: number): AlsState {
  const r = Math.min(work, sigma.length);
  const floor = 1e-3 * sigma[0]!;
  const D = new Float64Array(r);
  for (let i = 0; i < r; i++) D[i] = Math.sqrt(Math.max(sigma[i]! - lambda, floor));
  return { U: U.colRange(0, r).copy(), D, V: V.colRange(0, r).copy() };
}

/** Grow an ALS state to r columns: new random orthonormal U columns, zero V columns, small D. */
function alsGrow(L: LowRankState, r: number, random: Rng): AlsState {
  const k = L.d.length;
  const m = L.U.rows;
  const n = L.V.rows;
  // Random columns orthogonalised against U (modified Gram-Schmidt, twice for safety).
  const U = padColumns(L.U, r - k, random);
  for (let j = k; j < r; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let q = 0; q < j; q++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += U.data[i + q * m]! * U.data[i + j * m]!;
        for (let i = 0; i < m; i++) U.data[i + j * m] = U.data[i + j * m]! - dot * U.data[i + q * m]!;
      }
      let nrm = 0;
      for (let i = 0; i < m; i++) nrm += U.data[i + j * m]! ** 2;
      nrm = Math.sqrt(nrm) || 1;
      for (let i = 0; i < m; i++) U.data[i + j * m] = U.data[i + j * m]! / nrm;
    }
  }
  const V = Matrix.zeros(n, r);
  for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) V.data[i + j * n] = L.V.get(i, j);
  const smallest = k > 0 ? L.d[k - 1]! : 1;
  const D = new Float64Array(r);
  for (let j = 0; j < r; j++) D[j] = Math.sqrt(j < k ? L.d[j]! : smallest);
  return { U, D, V };
}

/** What a fit found besides the factors (for the {@link SoftImputeFit} constructor). */
interface FitFacts {
  readonly lambda: number;
  readonly lambdaMax: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly objective: ArrayLike<number>;
  readonly change: ArrayLike<number>;
  readonly trainRmse: number;
}

/**
 * What {@link SoftImputeFit.toJSON} returns and {@link SoftImputeFit.fromJSON} reads: the
 * factors, the fit's history and the observed entries (which {@link SoftImputeFit.complete}
 * keeps as given).
 */
export interface SoftImputeFitJSON {
  /** Always 'SoftImputeFit'. */
  readonly type: 'SoftImputeFit';
  /** Format version; always 1. */
  readonly version: 1;
  /** [m, n] of the completed matrix. */
  readonly shape: [number, number];
  /** U of the factors as m rows of k numbers. */
  readonly U: number[][];
  /** The k soft-thresholded singular values, descending. */
  readonly s: number[];
  /** Vt of the factors as k rows of n numbers. */
  readonly Vt: number[][];
  /** Shrinkage used. */
  readonly lambda: number;
  /** sigma_1 of the observed matrix. */
  readonly lambdaMax: number;
  /** Iterations run. */
  readonly iterations: number;
  /** Whether the fit converged. */
  readonly converged: boolean;
  /** The objective after each iteration. */
  readonly objective: number[];
  /** The relative change of each iteration; `null` stands for Infinity (a first step from the zero matrix). */
  readonly change: (number | null)[];
  /** Root mean square error on the observed entries. */
  readonly trainRmse: number;
  /** The observed entries, in row order (columns ascending within a row). */
  readonly observed: { readonly rows: number[]; readonly cols: number[]; readonly values: number[] };
}

/**
 * A fitted SoftImpute model: the completed matrix as low-rank factors
 * U diag(s) Vt (s = soft-thresholded singular values, descending), with the fit's history.
 * Created by {@link SoftImpute.fit} or {@link SoftImputeFit.fromJSON}.
 */
export class SoftImputeFit {
  /** The completed matrix's factors (float64; rank may be 0). */
  readonly factors: LowRank;
  /** Shrinkage used. */
  readonly lambda: number;
  /** sigma_1 of the observed matrix: the smallest lambda giving the zero matrix. */
  readonly lambdaMax: number;
  /** Iterations run. */
  readonly iterations: number;
  /** True when the relative change fell below `tol` (or the answer was 0 by lambda >= lambdaMax). */
  readonly converged: boolean;
  /** 1/2 ||P_Omega(X - L)||^2 + lambda ||L||_* after each iteration. */
  readonly objective: Float64Array;
  /** ||L_old - L_new||_F^2 / ||L_old||_F^2 of each iteration. */
  readonly change: Float64Array;
  /** Root mean square error on the observed entries. */
  readonly trainRmse: number;
  /** Number of observed entries. */
  readonly observedCount: number;
  private readonly obs: ObservedCsr;
  private us: Float64Array | undefined;
  private vr: Float64Array | undefined;

  /** @internal Built by {@link SoftImpute.fit} and {@link SoftImputeFit.fromJSON}. */
  constructor(obs: ObservedCsr, factors: LowRank, facts: FitFacts) {
    this.obs = obs;
    this.factors = factors;
    this.lambda = facts.lambda;
    this.lambdaMax = facts.lambdaMax;
    this.iterations = facts.iterations;
    this.converged = facts.converged;
    this.objective = Float64Array.from(facts.objective);
    this.change = Float64Array.from(facts.change);
    this.observedCount = obs.values.length;
    this.trainRmse = facts.trainRmse;
  }

  /** [m, n] of the completed matrix. */
  get shape(): [number, number] {
    return [this.obs.rows, this.obs.cols];
  }

  /** Rank k of the completed matrix, the number of its factors' components (scikit-learn's `n_components_`). */
  get nComponents(): number {
    return this.factors.rank;
  }

  /** @deprecated Use {@link SoftImputeFit.nComponents} (the same number; every fitted model names it so). */
  get rank(): number {
    return this.nComponents;
  }

  private rowFactors(): [Float64Array, Float64Array] {
    if (!this.us || !this.vr) {
      this.us = rowMajor(this.factors.U, this.factors.s);
      this.vr = rowMajor(this.factors.Vt.T);
    }
    return [this.us, this.vr];
  }

  private checkIndex(i: number, j: number): void {
    const [m, n] = this.shape;
    check(Number.isInteger(i) && i >= 0 && i < m && Number.isInteger(j) && j >= 0 && j < n, () => `SoftImputeFit: (${i}, ${j}) is outside the ${m}x${n} matrix (indices are 0-based)`);
  }

  /** The completed value at (i, j) (the low-rank estimate, also at observed entries). O(k). */
  predict(i: number, j: number): number {
    this.checkIndex(i, j);
    const [us, v] = this.rowFactors();
    const k = this.nComponents;
    let t = 0;
    for (let c = 0; c < k; c++) t += us[i * k + c]! * v[j * k + c]!;
    return t;
  }

  /**
   * Completed values at (rows[e], cols[e]) for every e. O(k) per entry.
   * @throws InvalidArgumentError for different lengths or an index out of range.
   */
  predictEntries(rows: ArrayLike<number>, cols: ArrayLike<number>): Float64Array {
    check(rows.length === cols.length, () => `predictEntries: ${rows.length} rows but ${cols.length} cols`);
    const out = new Float64Array(rows.length);
    for (let e = 0; e < out.length; e++) out[e] = this.predict(rows[e]!, cols[e]!);
    return out;
  }

  /**
   * The completed matrix as a dense m x n Matrix (one gemm): the low-rank estimate, with
   * the observed entries kept as given unless `keepObserved` is false.
   * @throws UnsupportedError when m n is too large to hold densely.
   */
  complete(options: CompleteOptions = {}): Matrix {
    const { keepObserved } = resolveOptions('SoftImputeFit.complete', COMPLETE_OPTIONS, options);
    const [m, n] = this.shape;
    let Z: Matrix;
    try {
      Z = this.factors.reconstruct();
    } catch (e) {
      if (e instanceof RangeError) throw new UnsupportedError(`SoftImputeFit.complete: a ${m}x${n} matrix is too large to hold densely; use predict / predictEntries or the factors`);
      throw e;
    }
    if (keepObserved) {
      const { indptr, indices, values } = this.obs;
      for (let i = 0; i < m; i++) for (let e = indptr[i]!; e < indptr[i + 1]!; e++) Z.data[i + indices[e]! * m] = values[e]!;
    }
    return Z;
  }
  /** Plain-data form for JSON.stringify; {@link SoftImputeFit.fromJSON} reads it back. O(|Omega| + (m + n) k). */
  toJSON(): SoftImputeFitJSON {
    const { rowOf, indices, values } = this.obs;
    return {
      type: 'SoftImputeFit',
      version: 1,
      shape: this.shape,
      U: this.factors.U.toArray(),
      s: Array.from(this.factors.s),
      Vt: this.factors.Vt.toArray(),
      lambda: this.lambda,
      lambdaMax: this.lambdaMax,
      iterations: this.iterations,
      converged: this.converged,
      objective: Array.from(this.objective),
      change: Array.from(this.change, (c) => (c === Infinity ? null : c)),
      trainRmse: this.trainRmse,
      observed: { rows: Array.from(rowOf), cols: Array.from(indices), values: Array.from(values) },
    };
  }

  /**
   * Rebuild a fit from {@link SoftImputeFit.toJSON}'s output (e.g. `JSON.parse` of a saved
   * file): it predicts and completes exactly as the fit it came from.
   * @throws InvalidArgumentError naming the field when one is missing, of the wrong type or
   *   size, not finite, or when the observed entries are out of range or repeated.
   */
  static fromJSON(json: unknown): SoftImputeFit {
    const routine = 'SoftImputeFit.fromJSON';
    const bad = (what: string): never => {
      throw new InvalidArgumentError(`${routine}: ${what}`);
    };
    if (typeof json !== 'object' || json === null || Array.isArray(json)) bad('expected an object from SoftImputeFit.toJSON()');
    const j = json as Record<string, unknown>;
    if (j.type !== 'SoftImputeFit' || j.version !== 1) bad("expected type 'SoftImputeFit' version 1");
    const shape = j.shape;
    const dims = Array.isArray(shape) && shape.length === 2 && shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 1);
    if (!dims) bad("'shape' must be [m, n], two integers >= 1");
    const [m, n] = shape as [number, number];
    const s = jsonVector(j.s, undefined, routine, 's');
    const k = s.length;
    if (k > Math.min(m, n)) bad(`'s' has ${k} values, more than min(m, n) = ${Math.min(m, n)}`);
    const U = jsonRows(j.U, m, k, routine, 'U');
    const Vt = jsonRows(j.Vt, k, n, routine, 'Vt');
    const number = (key: string, ok: (v: number) => boolean, rule: string): number => {
      const v = j[key];
      if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) bad(`'${key}' must be ${rule}`);
      return v as number;
    };
    const lambda = number('lambda', (v) => v >= 0, 'a finite number >= 0');
    const lambdaMax = number('lambdaMax', (v) => v >= 0, 'a finite number >= 0');
    const iterations = number('iterations', (v) => Number.isSafeInteger(v) && v >= 0, 'an integer >= 0');
    const trainRmse = number('trainRmse', (v) => v >= 0, 'a finite number >= 0');
    if (typeof j.converged !== 'boolean') bad("'converged' must be true or false");
    const objective = jsonVector(j.objective, undefined, routine, 'objective');
    const change = j.change;
    if (!Array.isArray(change) || change.length !== objective.length || !change.every((c) => c === null || (typeof c === 'number' && Number.isFinite(c) && c >= 0))) {
      bad(`'change' must be an array of ${objective.length} numbers >= 0 (null for Infinity), one per objective value`);
    }
    const o = j.observed as Record<string, unknown> | null | undefined;
    if (typeof o !== 'object' || o === null) bad("'observed' must be an object { rows, cols, values }");
    const values = jsonVector(o!.values, undefined, routine, 'observed.values');
    if (values.length === 0) bad("'observed' holds no entries (a fit needs at least one)");
    const rows = jsonVector(o!.rows, values.length, routine, 'observed.rows');
    const cols = jsonVector(o!.cols, values.length, routine, 'observed.cols');
    let obs: ObservedCsr;
    try {
      obs = toObservedCsr({ rows, cols, values, shape: [m, n] });
    } catch (e) {
      if (e instanceof LowrankError) bad(`'observed': ${e.message}`);
      throw e;
    }
    return new SoftImputeFit(obs!, new LowRank(U, s, Vt), {
      lambda, lambdaMax, iterations, trainRmse, converged: j.converged as boolean, objective,
      change: (change as (number | null)[]).map((c) => c ?? Infinity),
    });
  }
}

/**
 * lambdaMax of the observed entries: the largest singular value of P_Omega(X) (zeros at
 * missing entries), the smallest lambda for which SoftImpute returns the zero matrix
 * (softImpute's `lambda0`). Block subspace iteration with 6 columns, to about 1e-10
 * relative accuracy. Cost O(|Omega|) per step.
 * @throws ShapeError, InvalidArgumentError or NonFiniteInputError for bad observed entries,
 *   as {@link SoftImpute.fit}.
 */
export function softImputeLambdaMax(observed: ObservedInput, options: SoftImputeLambdaMaxOptions = {}): number {
  const { seed } = resolveOptions('softImputeLambdaMax', LAMBDA_MAX_OPTIONS, options);
  const obs = toObservedCsr(observed);
  const minDim = Math.min(obs.rows, obs.cols);
  if (obs.values.length === 0 || minDim === 0) return 0;
  const zero = zeroState(obs.rows, obs.cols);
  const s = Float64Array.from(obs.values);
  const f = subspaceSvd(new SparsePlusLowRank(obs, s, zero), gaussianBlock(obs.cols, Math.min(minDim, 6), rng(seed)), 1, INNER_TOL, INIT_STEPS);
  return f.s[0]!;
}
