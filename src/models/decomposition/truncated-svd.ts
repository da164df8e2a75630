/**
 * `TruncatedSVD`: dimensionality reduction by the top-k singular triplets of the data
 * itself, without centering (scikit-learn's `TruncatedSVD`). On a term-document or TF-IDF
 * matrix this is latent semantic analysis (Deerwester, Dumais, Furnas, Landauer & Harshman
 * 1990). Because nothing is centered, a sparse matrix stays sparse: only products with it
 * are taken.
 *
 * Solvers: `'randomized'` ({@link randomizedSvd}, Halko, Martinsson & Tropp 2011, with
 * scikit-learn's defaults n_iter = 5, n_oversamples = 10) and `'lanczos'` (scikit-learn's
 * `'arpack'`: {@link lanczosSvd}, restarted Lanczos bidiagonalization to a tolerance).
 * Signs follow `svd_flip(u_based_decision=False)` as scikit-learn (largest-magnitude entry of
 * each component positive). The explained variance is the variance of each score column,
 * as scikit-learn computes it.
 */
import { InvalidArgumentError } from '../../errors.js';
import { lanczosSvd, lanczosSvdSteps } from '../../lowrank/lanczos-svd.js';
import { randomizedSvd, randomizedSvdSteps } from '../../lowrank/randomized-svd.js';
import { Matrix } from '../../matrix/matrix.js';
import { runSteps, runStepsAsync, type FitSteps } from '../../fit-async.js';
import { int, maybe, num, oneOf, opt, RANDOMIZED_SOLVER_OPTIONS, resolveOptions, tableFor, type PowerNormalizer, type RandomizedSolverOptions } from '../../options.js';
import type { LongTaskOptions } from '../../progress.js';
import type { RandomState } from '../../random.js';
import { flipByRows } from '../../lowrank/truncated-result.js';
import { checkFeatures, checkFiniteResult, checkFiniteSpectrum, checkPcaInput, columnStats, expandFrom, jsonRows, jsonVector, projectOnto, type PcaInput } from './centering.js';

/** TruncatedSVD solvers; `'arpack'` is scikit-learn's name for `'lanczos'`. */
export const TRUNCATED_SVD_ALGORITHMS = ['randomized', 'lanczos', 'arpack'] as const;
/** TruncatedSVD solver; `'arpack'` is scikit-learn's name for `'lanczos'`. */
export type TruncatedSVDAlgorithm = (typeof TRUNCATED_SVD_ALGORITHMS)[number];

/**
 * Options of {@link TruncatedSVD}: its own and the randomized solver's
 * ({@link RandomizedSolverOptions}), with `powerIters` overridden (scikit-learn's default 5,
 * and no 'auto'). Unknown keys are an error.
 */
export interface TruncatedSVDOptions extends RandomizedSolverOptions {
  /** Number of components k, 1 <= k <= min(n_samples, n_features). Default 2 (scikit-learn's). */
  components?: number;
  /** Solver; default 'randomized'. */
  algorithm?: TruncatedSVDAlgorithm;
  /** Randomized: power iterations (scikit-learn's `n_iter`), >= 0; default 5 (then 'auto' normalizes by LU, as scikit-learn). */
  powerIters?: number;
  /** Lanczos: residual tolerance relative to s_1, in (0, 1); default 1e-10 (1e-5 when the products run in float32). */
  tol?: number;
}

const TRUNCATED_SVD_OPTIONS = tableFor<TruncatedSVDOptions>()({
  ...RANDOMIZED_SOLVER_OPTIONS,
  components: opt(int(1), 2),
  algorithm: opt(oneOf(TRUNCATED_SVD_ALGORITHMS), 'randomized'),
  powerIters: opt(int(0), 5),
  tol: maybe(num(0, 1, 'both')),
});

/** Options of {@link TruncatedSVD.fit}: progress of the solver and cancellation. */
export type TruncatedSVDFitOptions = LongTaskOptions;

/** JSON form of a {@link TruncatedSVDModel}. */
export interface TruncatedSVDModelJSON {
  /** Always 'TruncatedSVD'. */
  readonly type: 'TruncatedSVD';
  /** Format version; always 1. */
  readonly version: 1;
  /** Number of input features (columns of `components`). */
  readonly nFeatures: number;
  /** Right singular vectors, one row of nFeatures values per component. */
  readonly components: number[][];
  /** Top singular values of X, descending. */
  readonly singularValues: number[];
  /** Variance (ddof 0) of each column of the training scores. */
  readonly explainedVariance: number[];
  /** explainedVariance over the total variance of X's columns. */
  readonly explainedVarianceRatio: number[];
  /** The solver that ran. */
  readonly algorithm: 'randomized' | 'lanczos';
}

/** The fitted attributes of a TruncatedSVD. */
export interface TruncatedSVDModelParts {
  /** Right singular vectors, one per row (k x n_features). */
  readonly components: Matrix;
  /** Top singular values of X, descending. */
  readonly singularValues: Float64Array;
  /** Variance (ddof 0) of each column of the training scores. */
  readonly explainedVariance: Float64Array;
  /** explainedVariance over the total variance of X's columns. */
  readonly explainedVarianceRatio: Float64Array;
  /** The solver that ran. */
  readonly algorithm: 'randomized' | 'lanczos';
}

/** What {@link TruncatedSVD.fitTransform} returns: the model and the transformed training data, as every estimator's fitTransform. */
export interface TruncatedSVDFitTransform {
  /** The fitted model. */
  readonly model: TruncatedSVDModel;
  /** X V: the training data's scores, n_samples x k (what `model.transform(X)` gives). */
  readonly transformed: Matrix;
  /** @deprecated The same matrix as `transformed` (its name before every fitTransform returned `{ model, transformed }`). */
  readonly scores: Matrix;
}

/**
 * A fitted TruncatedSVD (LSA) model: `transform(X)` = X V (n x k), `inverseTransform(Z)` =
 * Z V^T. Created by {@link TruncatedSVD.fit} or {@link TruncatedSVDModel.fromJSON}.
 */
export class TruncatedSVDModel {
  /** Right singular vectors, one per row (k x n_features, float64; `components_`). */
  readonly components: Matrix;
  /** Top singular values of X, descending (`singular_values_`). */
  readonly singularValues: Float64Array;
  /** Variance (ddof 0) of each column of the training scores (`explained_variance_`). */
  readonly explainedVariance: Float64Array;
  /** explainedVariance over the total variance of X's columns (`explained_variance_ratio_`). */
  readonly explainedVarianceRatio: Float64Array;
  /** The solver that ran. */
  readonly algorithm: 'randomized' | 'lanczos';

  /** Built by {@link TruncatedSVD.fit} and {@link TruncatedSVDModel.fromJSON} from a fit's parts. */
  constructor(parts: TruncatedSVDModelParts) {
    this.components = parts.components;
    this.singularValues = parts.singularValues;
    this.explainedVariance = parts.explainedVariance;
    this.explainedVarianceRatio = parts.explainedVarianceRatio;
    this.algorithm = parts.algorithm;
  }

  /** Number of components k. */
  get nComponents(): number {
    return this.components.rows;
  }

  /** Number of features the model expects. */
  get nFeatures(): number {
    return this.components.cols;
  }

  /**
   * Scores X V (n x k, float64); a sparse X is not densified. The input is not modified.
   * Cost 2 n n_features k flops dense, O(nnz k) sparse.
   * @throws ShapeError for the wrong number of columns; NonFiniteInputError on NaN/Inf.
   */
  transform(X: PcaInput): Matrix {
    const routine = 'TruncatedSVD.transform';
    const A = checkPcaInput(X, routine, 0, !(X instanceof Matrix));
    checkFeatures(A.shape[1], this.nFeatures, routine);
    const Z = projectOnto(A, this.components);
    if (A instanceof Matrix) checkFiniteResult(Z.data, A, routine);
    return Z;
  }

  /**
   * Back to feature space: Z V^T (n x n_features, float64), the rank-k approximation of the
   * data the scores came from.
   * @throws ShapeError when Z does not have k columns.
   */
  inverseTransform(Z: Matrix): Matrix {
    const routine = 'TruncatedSVD.inverseTransform';
    if (!(Z instanceof Matrix)) throw new InvalidArgumentError(`${routine}: expected a dense Matrix of scores`);
    const A = checkPcaInput(Z, routine, 0) as Matrix;
    checkFeatures(A.cols, this.nComponents, routine, 'components');
    return expandFrom(A, this.components);
  }

  /** Plain-data form for JSON.stringify; {@link TruncatedSVDModel.fromJSON} reads it back. */
  toJSON(): TruncatedSVDModelJSON {
    return {
      type: 'TruncatedSVD',
      version: 1,
      nFeatures: this.nFeatures,
      components: this.components.toArray(),
      singularValues: Array.from(this.singularValues),
      explainedVariance: Array.from(this.explainedVariance),
      explainedVarianceRatio: Array.from(this.explainedVarianceRatio),
      algorithm: this.algorithm,
    };
  }

  /**
   * Rebuild from {@link TruncatedSVDModel.toJSON}'s output.
   * @throws InvalidArgumentError when a field is missing or inconsistent.
   */
  static fromJSON(json: unknown): TruncatedSVDModel {
    const routine = 'TruncatedSVDModel.fromJSON';
    if (typeof json !== 'object' || json === null) throw new InvalidArgumentError(`${routine}: expected an object from toJSON()`);
    const j = json as Record<string, unknown>;
    if (j.type !== 'TruncatedSVD' || j.version !== 1) throw new InvalidArgumentError(`${routine}: expected type 'TruncatedSVD' version 1`);
    const n = j.nFeatures;
    if (!(typeof n === 'number' && Number.isInteger(n) && n >= 1)) throw new InvalidArgumentError(`${routine}: 'nFeatures' must be an integer >= 1`);
    if (j.algorithm !== 'randomized' && j.algorithm !== 'lanczos') throw new InvalidArgumentError(`${routine}: 'algorithm' must be 'randomized' or 'lanczos'`);
    const k = Array.isArray(j.components) ? j.components.length : -1;
    return new TruncatedSVDModel({
      components: jsonRows(j.components, k, n, routine, 'components'),
      singularValues: jsonVector(j.singularValues, k, routine, 'singularValues'),
      explainedVariance: jsonVector(j.explainedVariance, k, routine, 'explainedVariance'),
      explainedVarianceRatio: jsonVector(j.explainedVarianceRatio, k, routine, 'explainedVarianceRatio'),
      algorithm: j.algorithm,
    });
  }
}

/**
 * Truncated SVD / LSA (scikit-learn's `TruncatedSVD`). The constructor checks the options;
 * {@link TruncatedSVD.fit} returns a {@link TruncatedSVDModel}.
 * @example
 * const lsa = new TruncatedSVD({ components: 100 }).fit(tfidf);   // tfidf: CsrMatrix docs x terms
 * const docs = lsa.transform(tfidf);                               // docs x 100
 */
export class TruncatedSVD {
  /** Number of components k; default 2. */
  readonly components: number;
  /** Solver ('arpack' resolved to 'lanczos'); default 'randomized'. */
  readonly algorithm: 'randomized' | 'lanczos';
  /** Randomized: power iterations; default 5. */
  readonly powerIters: number;
  /** Randomized: oversampling columns; default 10. */
  readonly oversample: number;
  /** Randomized: normalizer between power iterations; default 'auto'. */
  readonly normalizer: PowerNormalizer;
  /** Lanczos: residual tolerance relative to s_1, or undefined for {@link lanczosSvd}'s default (1e-10; 1e-5 when the products run in float32). */
  readonly tol: number | undefined;
  /** Seed of the random start; default 0. */
  readonly seed: RandomState;

  /**
   * Check the options against TruncatedSVD's table and store them.
   * @throws InvalidArgumentError naming the bad option (or an unknown one).
   */
  constructor(options: TruncatedSVDOptions = {}) {
    const o = resolveOptions('TruncatedSVD', TRUNCATED_SVD_OPTIONS, options);
    this.components = o.components;
    this.algorithm = o.algorithm === 'arpack' ? 'lanczos' : o.algorithm;
    this.powerIters = o.powerIters;
    this.oversample = o.oversample;
    this.normalizer = o.normalizer;
    this.tol = o.tol;
    this.seed = o.seed;
  }

  /**
   * Fit on X (n_samples x n_features, dense or sparse; never centered, never densified).
   * Cost: randomized (2 powerIters + 2) products of X with k + oversample columns plus
   * O((n + p)(k + oversample)^2); Lanczos O(restarts ncv) single-vector products. Products
   * run in X's dtype; the model is float64.
   * @throws InvalidArgumentError when k > min(n_samples, n_features); ShapeError for empty
   *   data; NonFiniteInputError on NaN/Inf; AbortedError when `signal` aborts;
   *   ConvergenceError (Lanczos) past its restart cap, or when the singular values or the
   *   variance come out NaN/Infinity (data whose squares overflow float64).
   */
  fit(X: PcaInput, options: TruncatedSVDFitOptions = {}): TruncatedSVDModel {
    return this.fitTransform(X, options).model;
  }

  /**
   * {@link TruncatedSVD.fit} with turns of the event loop before the solver, after each of
   * its power iterations or Lanczos steps, and after it (see runStepsAsync in fit-async.ts):
   * the same model bit for bit and the same progress reports, and a timer abort takes
   * effect within about one iteration.
   * @throws (rejects with) the errors of {@link TruncatedSVD.fit}.
   */
  async fitAsync(X: PcaInput, options: TruncatedSVDFitOptions = {}): Promise<TruncatedSVDModel> {
    return (await runStepsAsync(this.steps(X, options), options.signal, 'TruncatedSVD.fitAsync')).model;
  }

  /** Fit and return the training scores X V as well (scikit-learn's `fit_transform`): `{ model, transformed }`. */
  fitTransform(X: PcaInput, options: TruncatedSVDFitOptions = {}): TruncatedSVDFitTransform {
    return runSteps(this.steps(X, options), options.signal, 'TruncatedSVD.fit');
  }

  // The fit of fit, fitTransform and fitAsync; yields before the input checks, before the
  // solver and after it.
  private *steps(X: PcaInput, options: TruncatedSVDFitOptions): FitSteps<TruncatedSVDFitTransform> {
    const routine = 'TruncatedSVD.fit';
    yield;
    const A = checkPcaInput(X, routine, 1);
    const [n, p] = A.shape;
    const k = this.components;
    if (k > Math.min(n, p)) throw new InvalidArgumentError(`TruncatedSVD: components = ${k} is more than min(n_samples, n_features) = ${Math.min(n, p)} for ${n}x${p} data`);
    const { onProgress, signal } = options;
    yield;
    // The solvers' own steps: fitAsync yields after each power iteration or Lanczos step.
    const f = this.algorithm === 'randomized'
      ? yield* randomizedSvdSteps(A, k, { powerIters: this.powerIters, oversample: this.oversample, normalizer: this.normalizer, seed: this.seed, flipSigns: false, onProgress, signal })
      : yield* lanczosSvdSteps(A, k, { tol: this.tol, seed: this.seed, flipSigns: false, onProgress, signal });
    yield;
    const components = f.Vt.copy({ dtype: 'float64' });
    flipByRows(components);
    // Scores from X V rather than U diag(s): they differ by the solver's error, and X V is
    // what transform() gives (scikit-learn does the same).
    const scores = projectOnto(A, components);
    const variance = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += scores.data[i + j * n]!;
      const mu = s / n;
      let q = 0;
      for (let i = 0; i < n; i++) {
        const d = scores.data[i + j * n]! - mu;
        q += d * d;
      }
      variance[j] = q / n;
    }
    let total = 0;
    for (const v of columnStats(A).variance) total += v;
    checkFiniteSpectrum(variance, total, routine, this.algorithm);
    const model = new TruncatedSVDModel({
      components,
      singularValues: Float64Array.from(f.s),
      explainedVariance: variance,
      explainedVarianceRatio: variance.map((v) => (total > 0 ? v / total : 0)),
      algorithm: this.algorithm,
    });
    return { model, transformed: scores, scores };
  }
}
