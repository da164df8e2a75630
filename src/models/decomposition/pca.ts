/**
 * Principal component analysis, as scikit-learn's `PCA` (1.9): the data are centered per
 * feature and the top right singular vectors of the centered data X - 1 mean^T become the
 * components (Pearson 1901; Hotelling 1933). Four solvers, chosen like scikit-learn's
 * `svd_solver='auto'`:
 *
 * - `'covariance-eigh'`: eigendecomposition of the n_features x n_features covariance
 *   (accumulated over centered blocks of rows by syrk, then {@link eigh}); the fastest for
 *   tall data (n_samples >= 10 n_features, n_features <= 1000), e.g. digits 1797 x 64.
 *   Its small eigenvalues are accurate to eps times the largest one (squaring), which is
 *   why it is not used for wide or ill-conditioned data.
 * - `'full'`: thin {@link svd} of the centered copy (LAPACK dgesdd's algorithm).
 * - `'randomized'`: {@link randomizedSvd} (Halko, Martinsson & Tropp 2011) of the centered
 *   data for k < 0.8 min(n_samples, n_features) on larger inputs.
 * - `'lanczos'` (scikit-learn's `'arpack'`): {@link lanczosSvd} to a tolerance; the
 *   default for sparse input, centered implicitly ({@link centeredOperator}), never densified.
 *
 * Signs follow scikit-learn's `svd_flip(u_based_decision=False)`: the largest-magnitude
 * entry of every component is positive, so components agree with scikit-learn's exactly
 * (not only up to sign) whenever the eigenvalues are distinct.
 */
import { InvalidArgumentError } from '../../errors.js';
import { eigh } from '../../linalg/eigh.js';
import { svd } from '../../linalg/svd.js';
import { lanczosSvd, lanczosSvdSteps } from '../../lowrank/lanczos-svd.js';
import { centeredOperator } from '../../lowrank/operator.js';
import { randomizedSvd, randomizedSvdSteps } from '../../lowrank/randomized-svd.js';
import { Matrix } from '../../matrix/matrix.js';
import { runSteps, runStepsAsync, type FitSteps } from '../../fit-async.js';
import { bool, either, int, maybe, num, oneOf, opt, PCA_SOLVERS, RANDOMIZED_SOLVER_OPTIONS, resolveOptions, tableFor, type Constraint, type PCASolver, type PowerNormalizer, type RandomizedSolverOptions } from '../../options.js';
import type { LongTaskOptions } from '../../progress.js';
import type { RandomState } from '../../random.js';
import { CsrMatrix } from '../../sparse/csr.js';
import { flipByRows } from '../../lowrank/truncated-result.js';
import { centeredCopy, checkFiniteResult, checkFiniteSpectrum, checkPcaInput, columnMeans, columnStats, meanAndScatter, type PcaInput } from './centering.js';
import { PCAModel, type PCAFittedSolver } from './pca-model.js';

export { PCAModel } from './pca-model.js';
export type { PCAFittedSolver, PCAModelJSON, PCAModelParts } from './pca-model.js';
export type { PcaInput } from './centering.js';

export type { PCASolver } from '../../options.js';

/**
 * Options of {@link PCA}: its own and the randomized solver's ({@link RandomizedSolverOptions}).
 * Unknown keys are an error.
 */
export interface PCAOptions extends RandomizedSolverOptions {
  /**
   * How many components to keep: an integer k >= 1 (at most min(n_samples, n_features)),
   * or a fraction in (0, 1): the fewest components whose cumulative explained variance
   * ratio exceeds it (scikit-learn's rule: `searchsorted(cumsum, f, side='right') + 1`).
   * Default: all, min(n_samples, n_features).
   */
  components?: number;
  /** Solver (see the module comment); default 'auto', resolved as scikit-learn 1.9 does. */
  solver?: PCASolver;
  /** Scale the scores to unit variance (divide by sqrt(explainedVariance)). Default false. */
  whiten?: boolean;
  /** Lanczos: residual tolerance relative to s_1, in (0, 1); default 1e-10 (1e-5 when the products run in float32). */
  tol?: number;
}

const PCA_OPTIONS = tableFor<PCAOptions>()({
  components: maybe(either(int(1), num(0, 1, 'both'))),
  solver: opt(oneOf(PCA_SOLVERS), 'auto'),
  whiten: opt(bool, false),
  tol: maybe(num(0, 1, 'both')),
  ...RANDOMIZED_SOLVER_OPTIONS,
});

const PCA_CONSTRAINTS: Constraint<typeof PCA_OPTIONS>[] = [
  {
    ok: (o) => !(o.components !== undefined && o.components < 1 && (o.solver === 'randomized' || o.solver === 'lanczos' || o.solver === 'arpack')),
    message: (o) => `components = ${o.components} is a variance fraction, which needs solver 'full', 'covariance-eigh' or 'auto' (the '${o.solver}' solver computes only k components, so it cannot tell which k reaches the fraction)`,
  },
];

/** Options of {@link PCA.fit}: progress of the iterative solvers and cancellation. */
export type PCAFitOptions = LongTaskOptions;

/** What {@link PCA.fitTransform} returns: the model and the transformed training data, as every estimator's fitTransform. */
export interface PCAFitTransform {
  /** The fitted model. */
  readonly model: PCAModel;
  /** The training data's scores, n_samples x k (whitened when `whiten`): `model.transform(X)` up to rounding. */
  readonly transformed: Matrix;
  /** @deprecated The same matrix as `transformed` (its name before every fitTransform returned `{ model, transformed }`). */
  readonly scores: Matrix;
}

/**
 * Principal component analysis (scikit-learn's `PCA`). The constructor checks the options;
 * {@link PCA.fit} returns a {@link PCAModel}.
 * @example
 * const model = new PCA({ components: 0.95 }).fit(X);     // X: n_samples x n_features
 * model.nComponents; model.explainedVarianceRatio;
 * const Z = model.transform(X);                            // n_samples x k scores
 * const Xhat = model.inverseTransform(Z);                  // best rank-k reconstruction
 */
export class PCA {
  /** Components to keep: a count k, a variance fraction in (0, 1), or undefined for all (min(n_samples, n_features)). */
  readonly components: number | undefined;
  /** Solver as requested; default 'auto' (resolved at fit time). */
  readonly solver: PCASolver;
  /** Scale the scores to unit variance; default false. */
  readonly whiten: boolean;
  /** Seed of the randomized and Lanczos solvers' random start; default 0. */
  readonly seed: RandomState;
  /** Randomized: power iterations, or 'auto' (default: 7 if k < 0.1 min(n, p), else 4). */
  readonly powerIters: number | 'auto';
  /** Randomized: oversampling columns; default 10. */
  readonly oversample: number;
  /** Randomized: normalizer between power iterations; default 'auto'. */
  readonly normalizer: PowerNormalizer;
  /** Lanczos: residual tolerance relative to s_1, or undefined for {@link lanczosSvd}'s default (1e-10; 1e-5 when the products run in float32). */
  readonly tol: number | undefined;

  /**
   * Check the options against PCA's table and store them.
   * @throws InvalidArgumentError naming the bad option (or an unknown one).
   */
  constructor(options: PCAOptions = {}) {
    const o = resolveOptions('PCA', PCA_OPTIONS, options, PCA_CONSTRAINTS);
    this.components = o.components;
    this.solver = o.solver;
    this.whiten = o.whiten;
    this.seed = o.seed;
    this.powerIters = o.powerIters;
    this.oversample = o.oversample;
    this.normalizer = o.normalizer;
    this.tol = o.tol;
  }

  /**
   * Fit the model: column means, then the components by the chosen solver.
   *
   * Cost (n samples, p features, r = min(n, p), k components): covariance-eigh n p^2 + 9 p^3
   * flops (one copy of a block of rows); full about 4 n p r + 8 r^3 (a centered copy of
   * X); randomized (2q + 2) products of X with k + 10 columns; Lanczos O(restarts ncv)
   * products. Computation is in float64 (float32 input is widened block by block; sparse
   * float32 products stay float32); the model is float64. The input is never modified.
   *
   * @param X - n_samples x n_features: a Matrix, or a CsrMatrix/CscMatrix (solvers
   *   'covariance-eigh', 'lanczos', 'randomized'; never densified as a whole).
   * @throws InvalidArgumentError for a solver that does not fit the input or the
   *   components (k > min(n, p), a fraction with a truncated solver, 'full' with sparse
   *   input); ShapeError for fewer than 2 samples; NonFiniteInputError on NaN/Inf;
   *   AbortedError when `signal` aborts; ConvergenceError (Lanczos) past its restart cap, or
   *   when the spectrum comes out NaN/Infinity (data whose squares overflow float64).
   */
  fit(X: PcaInput, options: PCAFitOptions = {}): PCAModel {
    return runSteps(this.steps(X, options, false), options.signal, 'PCA.fit').model;
  }

  /**
   * {@link PCA.fit} with turns of the event loop between its stages (see runStepsAsync in
   * fit-async.ts): the same model bit for bit and the same progress reports. fitAsync yields
   * after the input checks and column statistics, after each power iteration ('randomized')
   * or Lanczos step and restart ('lanczos'), and after the solver; the 'full' and
   * 'covariance-eigh' solvers' SVD or eigendecomposition runs as one block, so there a timer
   * abort takes effect when it returns.
   * @throws (rejects with) the errors of {@link PCA.fit}.
   */
  async fitAsync(X: PcaInput, options: PCAFitOptions = {}): Promise<PCAModel> {
    return (await runStepsAsync(this.steps(X, options, false), options.signal, 'PCA.fitAsync')).model;
  }

  /**
   * Fit and return the training scores too (scikit-learn's `fit_transform`):
   * `{ model, transformed }`, the scores from the SVD's U diag(s) (U sqrt(n - 1) when
   * whitening; 0 for components of zero variance) when the solver computed U, else
   * `model.transform(X)`.
   */
  fitTransform(X: PcaInput, options: PCAFitOptions = {}): PCAFitTransform {
    const r = runSteps(this.steps(X, options, true), options.signal, 'PCA.fit');
    return { model: r.model, transformed: r.scores!, scores: r.scores! };
  }

  /**
   * The solver 'auto' resolves to for data of this shape (scikit-learn 1.9's rule): sparse
   * input -> 'lanczos' (or 'covariance-eigh' for a variance fraction or all components);
   * p <= 1000 and n >= 10 p -> 'covariance-eigh'; max(n, p) <= 500 -> 'full';
   * an integer k < 0.8 min(n, p) -> 'randomized'; otherwise 'full'.
   */
  resolveSolver(rows: number, cols: number, sparse = false): Exclude<PCAFittedSolver, 'incremental'> {
    const s = this.solver === 'arpack' ? 'lanczos' : this.solver;
    if (s !== 'auto') return s;
    const k = this.components;
    const fraction = k !== undefined && k < 1;
    if (sparse) return (fraction || k === undefined) && cols <= 2000 ? 'covariance-eigh' : 'lanczos';
    if (cols <= 1000 && rows >= 10 * cols) return 'covariance-eigh';
    if (Math.max(rows, cols) <= 500) return 'full';
    if (k !== undefined && !fraction && k < 0.8 * Math.min(rows, cols)) return 'randomized';
    return 'full';
  }

  // The fit of fit, fitTransform and fitAsync; yields before the input checks, before the
  // solver and after it.
  private *steps(X: PcaInput, options: PCAFitOptions, wantScores: boolean): FitSteps<{ model: PCAModel; scores?: Matrix }> {
    const routine = 'PCA.fit';
    yield;
    // Dense values are checked through the column means (one pass instead of two).
    const A = checkPcaInput(X, routine, 2, !(X instanceof Matrix));
    const [n, p] = A.shape;
    const r = Math.min(n, p);
    const sparse = A instanceof CsrMatrix;
    const solver = this.resolveSolver(n, p, sparse);
    const k0 = this.components;
    if (k0 !== undefined && k0 >= 1 && k0 > r) {
      throw new InvalidArgumentError(`PCA: components = ${k0} is more than min(n_samples, n_features) = ${r} for ${n}x${p} data`);
    }
    if (sparse && solver === 'full') {
      throw new InvalidArgumentError("PCA: solver 'full' needs dense data; for a sparse matrix use 'covariance-eigh', 'lanczos' or 'randomized' (which never densify it), or pass X.toDense()");
    }
    if (k0 !== undefined && k0 < 1 && (solver === 'randomized' || solver === 'lanczos')) {
      throw new InvalidArgumentError(`PCA: components = ${k0} is a variance fraction, which needs solver 'full' or 'covariance-eigh'`);
    }
    if (solver === 'full' || solver === 'covariance-eigh') return yield* this.fitFull(A, solver, wantScores);
    return yield* this.fitTruncated(A, solver, k0 ?? r, options, wantScores);
  }

  /** scikit-learn's `_fit_full`: every eigenvalue, then the truncation. */
  private *fitFull(A: Matrix | CsrMatrix, solver: 'full' | 'covariance-eigh', wantScores: boolean): FitSteps<{ model: PCAModel; scores?: Matrix }> {
    const [n, p] = A.shape;
    // covariance-eigh gets the means from the same pass over A as the scatter matrix.
    const stats = solver === 'covariance-eigh' ? meanAndScatter(A) : undefined;
    const mean = stats?.mean ?? columnMeans(A);
    checkFiniteResult(mean, A, 'PCA.fit');
    let Vt: Matrix;
    let U: Matrix | undefined;
    let variance: Float64Array;
    let s: Float64Array;
    yield;
    if (solver === 'full') {
      const f = svd(centeredCopy(A as Matrix, mean));
      U = f.U;
      Vt = f.Vt;
      s = Float64Array.from(f.s);
      variance = s.map((v) => (v * v) / (n - 1));
    } else {
      const C = stats!.scatter;
      for (let i = 0; i < C.length; i++) C[i] = C[i]! / (n - 1);
      // O(p^2) against the O(n p^2) of building C: an overflowed covariance is named here
      // rather than as a NaN input to eigh.
      checkFiniteSpectrum(C, 0, 'PCA.fit', solver);
      const { w, V } = eigh(new Matrix(C, p, p));
      variance = new Float64Array(p);
      s = new Float64Array(p);
      Vt = Matrix.zeros(p, p);
      for (let i = 0; i < p; i++) {
        const src = p - 1 - i; // eigh is ascending
        const ev = Math.max(w[src]!, 0); // C is PSD; clip rounding below 0 (scikit-learn does too)
        variance[i] = ev;
        s[i] = Math.sqrt(ev * (n - 1));
        const v = V.data;
        const c = V.offset + src * V.colStride;
        for (let j = 0; j < p; j++) Vt.data[i + j * p] = v[c + j * V.rowStride]!;
      }
    }
    let total = 0;
    for (const v of variance) total += v;
    checkFiniteSpectrum(variance, total, 'PCA.fit', solver);
    yield;
    flipByRows(Vt, U);
    const ratio = variance.map((v) => (total > 0 ? v / total : 0));
    const k = this.componentCount(ratio, Math.min(n, p));
    let noise = 0;
    if (k < Math.min(n, p)) {
      for (let i = k; i < variance.length; i++) noise += variance[i]!;
      noise /= variance.length - k;
    }
    const model = new PCAModel({
      components: Vt.rowRange(0, k).copy({ dtype: 'float64' }),
      explainedVariance: variance.slice(0, k),
      explainedVarianceRatio: ratio.slice(0, k),
      singularValues: s.slice(0, k),
      mean,
      noiseVariance: noise,
      nSamples: n,
      whiten: this.whiten,
      solver,
    });
    if (!wantScores) return { model };
    return { model, scores: U === undefined ? model.transform(A) : scoresFromU(U, s, k, this.whiten, n) };
  }

  /** scikit-learn's `_fit_truncated`: k triplets of the centered data, the total variance from the data. */
  private *fitTruncated(A: Matrix | CsrMatrix, solver: 'randomized' | 'lanczos', k: number, options: PCAFitOptions, wantScores: boolean): FitSteps<{ model: PCAModel; scores?: Matrix }> {
    const [n, p] = A.shape;
    const r = Math.min(n, p);
    let mean: Float64Array;
    let totalVariance = 0;
    let operand: Matrix | ReturnType<typeof centeredOperator>;
    if (A instanceof CsrMatrix) {
      const stats = columnStats(A);
      mean = stats.mean;
      for (const v of stats.variance) totalVariance += v;
      totalVariance = (totalVariance * n) / (n - 1);
      operand = centeredOperator(A, mean);
    } else {
      mean = columnMeans(A);
      checkFiniteResult(mean, A, 'PCA.fit');
      const Xc = centeredCopy(A, mean);
      for (const v of Xc.data) totalVariance += v * v;
      totalVariance /= n - 1;
      operand = Xc;
    }
    const { onProgress, signal } = options;
    yield;
    // The solvers' own steps: fitAsync yields after each power iteration or Lanczos step.
    const f = solver === 'randomized'
      ? yield* randomizedSvdSteps(operand, k, { oversample: this.oversample, powerIters: this.powerIters, normalizer: this.normalizer, seed: this.seed, flipSigns: false, onProgress, signal })
      : yield* lanczosSvdSteps(operand, k, { tol: this.tol, seed: this.seed, flipSigns: false, onProgress, signal });
    const U = f.U.copy({ dtype: 'float64' });
    const Vt = f.Vt.copy({ dtype: 'float64' });
    flipByRows(Vt, U);
    const s = Float64Array.from(f.s);
    const variance = s.map((v) => (v * v) / (n - 1));
    let kept = 0;
    for (const v of variance) kept += v;
    checkFiniteSpectrum(variance, totalVariance, 'PCA.fit', solver);
    yield;
    const model = new PCAModel({
      components: Vt,
      explainedVariance: variance,
      explainedVarianceRatio: variance.map((v) => (totalVariance > 0 ? v / totalVariance : 0)),
      singularValues: s,
      mean,
      noiseVariance: k < r ? (totalVariance - kept) / (r - k) : 0,
      nSamples: n,
      whiten: this.whiten,
      solver,
    });
    return wantScores ? { model, scores: scoresFromU(U, s, k, this.whiten, n) } : { model };
  }

  /** k from the option: all r, the integer, or the smallest k whose cumulative ratio exceeds the fraction. */
  private componentCount(ratio: Float64Array, r: number): number {
    const c = this.components;
    if (c === undefined) return r;
    if (c >= 1) return c;
    let cum = 0;
    let below = 0; // entries of the cumulative sum <= c: numpy's searchsorted(side='right')
    for (const v of ratio) {
      cum += v;
      if (cum <= c) below++;
      else break;
    }
    return Math.min(below + 1, r);
  }
}

/**
 * Training scores from the SVD: U[:, :k] diag(s), divided when whitening by
 * max(sqrt(explainedVariance), eps) like `transform` (so U sqrt(n - 1), scikit-learn's
 * formula, except for components of zero variance, which score 0 instead of U's arbitrary
 * vectors).
 */
function scoresFromU(U: Matrix, s: Float64Array, k: number, whiten: boolean, n: number): Matrix {
  const m = U.rows;
  const Z = Matrix.zeros(m, k);
  const w = Math.sqrt(n - 1);
  for (let j = 0; j < k; j++) {
    const f = whiten ? s[j]! / Math.max(s[j]! / w, 2.220446049250313e-16) : s[j]!;
    for (let i = 0; i < m; i++) Z.data[i + j * m] = U.get(i, j) * f;
  }
  return Z;
}
