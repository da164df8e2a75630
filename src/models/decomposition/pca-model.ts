/**
 * A fitted principal component analysis: what {@link PCA.fit} and
 * {@link IncrementalPCA.fit} return. Holds scikit-learn's fitted attributes
 * (`components_`, `explained_variance_`, ...) as readonly fields, and applies the model:
 * projection (`transform`), reconstruction (`inverseTransform`), the probabilistic PCA
 * covariance, and persistence as JSON.
 */
import { InvalidArgumentError } from '../../errors.js';
import { Matrix } from '../../matrix/matrix.js';
import { bool, checkOption } from '../../options.js';
import { checkFeatures, checkFiniteResult, checkPcaInput, expandFrom, jsonRows, jsonVector, projectOnto, type PcaInput } from './centering.js';

/** The solvers a fitted PCA can record: the PCA solvers with 'auto' resolved and 'arpack' as 'lanczos', and IncrementalPCA's. */
export const PCA_FITTED_SOLVERS = ['full', 'covariance-eigh', 'randomized', 'lanczos', 'incremental'] as const;
/** Which computation produced a PCA: the solver that ran ('auto' resolved). */
export type PCAFittedSolver = (typeof PCA_FITTED_SOLVERS)[number];

/**
 * The fitted attributes of a PCA (what {@link PCAModel}'s constructor takes): its readonly
 * fields, documented there.
 */
export type PCAModelParts = Pick<
  PCAModel,
  'components' | 'explainedVariance' | 'explainedVarianceRatio' | 'singularValues' | 'mean' | 'noiseVariance' | 'nSamples' | 'whiten' | 'solver'
>;

/** JSON form of a {@link PCAModel} (`toJSON` / `PCAModel.fromJSON`). */
export interface PCAModelJSON {
  /** Model class: 'PCA', or 'IncrementalPCA' for an {@link IncrementalPCAModel}. */
  readonly type: 'PCA' | 'IncrementalPCA';
  /** Format version; always 1. */
  readonly version: 1;
  /** Number of input features (columns of `components`). */
  readonly nFeatures: number;
  /** Principal axes, one row of nFeatures values per component. */
  readonly components: number[][];
  /** Variance along each component, descending. */
  readonly explainedVariance: number[];
  /** Fraction of the total variance per component. */
  readonly explainedVarianceRatio: number[];
  /** Singular values of the centered data, one per component. */
  readonly singularValues: number[];
  /** Per-feature mean (nFeatures values). */
  readonly mean: number[];
  /** Noise variance of the probabilistic PCA model. */
  readonly noiseVariance: number;
  /** Samples seen in fitting. */
  readonly nSamples: number;
  /** Whether scores are whitened. */
  readonly whiten: boolean;
  /** The solver that ran. */
  readonly solver: PCAFittedSolver;
}

/**
 * A fitted PCA model. Rows are samples: `transform(X)` maps n x nFeatures data to n x k
 * scores, `inverseTransform(Z)` maps scores back. Only {@link PCA.fit} (and friends) and
 * {@link PCAModel.fromJSON} create one, so an unfitted PCA cannot be used by mistake.
 */
export class PCAModel {
  /** Principal axes, one per row (k x nFeatures, float64, orthonormal rows). scikit-learn's `components_`. */
  readonly components: Matrix;
  /** Variance along each component, descending (`explained_variance_`). */
  readonly explainedVariance: Float64Array;
  /** Fraction of the total variance per component (`explained_variance_ratio_`). */
  readonly explainedVarianceRatio: Float64Array;
  /** Singular values of the centered data (`singular_values_`). */
  readonly singularValues: Float64Array;
  /** Per-feature mean (`mean_`). */
  readonly mean: Float64Array;
  /** Noise variance of the probabilistic PCA model (`noise_variance_`, Tipping & Bishop 1999). */
  readonly noiseVariance: number;
  /** Samples seen in fitting (`n_samples_`). */
  readonly nSamples: number;
  /** Whether scores are whitened (divided by sqrt(explainedVariance)). */
  readonly whiten: boolean;
  /** The solver that ran. */
  readonly solver: PCAFittedSolver;

  /** Wrap fitted attributes (no copies; the fit routines build these). */
  constructor(parts: PCAModelParts) {
    this.components = parts.components;
    this.explainedVariance = parts.explainedVariance;
    this.explainedVarianceRatio = parts.explainedVarianceRatio;
    this.singularValues = parts.singularValues;
    this.mean = parts.mean;
    this.noiseVariance = parts.noiseVariance;
    this.nSamples = parts.nSamples;
    this.whiten = parts.whiten;
    this.solver = parts.solver;
  }

  /** Number of components k (`n_components_`). */
  get nComponents(): number {
    return this.components.rows;
  }

  /** Number of features the model expects (`n_features_in_`). */
  get nFeatures(): number {
    return this.components.cols;
  }

  /** Total of the explained variance ratios of the kept components. */
  get totalExplainedVarianceRatio(): number {
    let t = 0;
    for (const r of this.explainedVarianceRatio) t += r;
    return t;
  }

  /**
   * Project data on the components: (X - 1 mean^T) C^T, divided column-wise by
   * sqrt(explainedVariance) (floored at machine epsilon, as scikit-learn) when whitening.
   * A sparse X is not densified (the mean is subtracted after the product). The input is
   * not modified.
   * @param X - n x nFeatures, dense or CSR/CSC.
   * @returns n x k float64 scores. Cost 2 n nFeatures k flops (gemm), O(nnz k) sparse.
   * @throws ShapeError for the wrong number of columns; NonFiniteInputError on NaN/Inf.
   */
  transform(X: PcaInput): Matrix {
    const routine = `${this.kind}.transform`;
    // Dense values are checked through the scores (NaN/Inf propagate into the products).
    const A = checkPcaInput(X, routine, 0, !(X instanceof Matrix));
    checkFeatures(A.shape[1], this.nFeatures, routine);
    const Z = projectOnto(A, this.components);
    if (A instanceof Matrix) checkFiniteResult(Z.data, A, routine);
    const shift = this.componentMeans();
    const scale = this.whiten ? whitenScale(this.explainedVariance) : undefined;
    const m = Z.rows;
    const d = Z.data;
    for (let j = 0; j < Z.cols; j++) {
      const c = shift[j]!;
      const f = scale === undefined ? 1 : 1 / scale[j]!;
      for (let i = 0; i < m; i++) d[i + j * m] = (d[i + j * m]! - c) * f;
    }
    return Z;
  }

  /**
   * Map scores back to data space: Z C + 1 mean^T (with C's rows scaled by
   * sqrt(explainedVariance) when whitening, so this inverts `transform` exactly on the span
   * of the components). For k < nFeatures the result is the projection of the original data
   * onto the principal subspace, its best rank-k approximation.
   * @param Z - n x k scores.
   * @returns n x nFeatures float64. Cost 2 n k nFeatures flops.
   * @throws ShapeError when Z does not have k columns; NonFiniteInputError on NaN/Inf.
   */
  inverseTransform(Z: Matrix): Matrix {
    if (!(Z instanceof Matrix)) throw new InvalidArgumentError(`${this.kind}.inverseTransform: expected a dense Matrix of scores`);
    const A = checkPcaInput(Z, `${this.kind}.inverseTransform`, 0) as Matrix;
    checkFeatures(A.shape[1], this.nComponents, `${this.kind}.inverseTransform`, 'components');
    let C = this.components;
    if (this.whiten) {
      const s = this.explainedVariance;
      C = C.map((v, i) => v * Math.sqrt(s[i]!));
    }
    return expandFrom(A, C, this.mean);
  }

  /**
   * Covariance of the data under the probabilistic PCA model (Tipping & Bishop 1999),
   * C^T diag(max(explainedVariance - noise, 0)) C + noise I: nFeatures x nFeatures
   * (scikit-learn's `get_covariance`, including its scaling of C by sqrt(explainedVariance)
   * for a whitened model). O(k nFeatures^2).
   */
  getCovariance(): Matrix {
    const k = this.nComponents;
    const n = this.nFeatures;
    // With whitening scikit-learn scales the components by sqrt(explainedVariance) here
    // (its `get_covariance`); we follow it so both libraries give the same matrix.
    const ev = this.explainedVariance;
    const C = this.whiten ? this.components.map((v, i) => v * Math.sqrt(ev[i]!)) : this.components;
    const w = new Float64Array(k);
    for (let i = 0; i < k; i++) w[i] = Math.max(this.explainedVariance[i]! - this.noiseVariance, 0);
    const scaled = C.map((v, i) => v * w[i]!);
    const out = Matrix.zeros(n, n);
    if (k > 0) {
      // out = scaled^T C (symmetric)
      for (let b = 0; b < n; b++) {
        for (let a = 0; a < n; a++) {
          let t = 0;
          for (let i = 0; i < k; i++) t += scaled.get(i, a) * C.get(i, b);
          out.data[a + b * n] = t;
        }
      }
    }
    for (let a = 0; a < n; a++) out.data[a + a * n] = out.data[a + a * n]! + this.noiseVariance;
    return out;
  }

  /** Plain-data form for JSON.stringify; {@link PCAModel.fromJSON} reads it back. */
  toJSON(): PCAModelJSON {
    return {
      type: 'PCA',
      version: 1,
      nFeatures: this.nFeatures,
      components: this.components.toArray(),
      explainedVariance: Array.from(this.explainedVariance),
      explainedVarianceRatio: Array.from(this.explainedVarianceRatio),
      singularValues: Array.from(this.singularValues),
      mean: Array.from(this.mean),
      noiseVariance: this.noiseVariance,
      nSamples: this.nSamples,
      whiten: this.whiten,
      solver: this.solver,
    };
  }

  /**
   * Rebuild a model from {@link PCAModel.toJSON}'s output (e.g. after JSON.parse).
   * @throws InvalidArgumentError when a field is missing or inconsistent.
   */
  static fromJSON(json: unknown): PCAModel {
    return new PCAModel(pcaPartsFromJSON(json, 'PCAModel.fromJSON'));
  }

  /** Name used in error messages. */
  protected get kind(): string {
    return 'PCA';
  }

  /** mean^T C^T: what projecting the mean adds to every score. */
  private componentMeans(): Float64Array {
    const k = this.nComponents;
    const out = new Float64Array(k);
    const C = this.components;
    for (let i = 0; i < k; i++) {
      let t = 0;
      for (let j = 0; j < this.nFeatures; j++) t += C.get(i, j) * this.mean[j]!;
      out[i] = t;
    }
    return out;
  }
}

/** sqrt(variance), floored at float64 epsilon so rank-deficient data does not divide by 0. */
function whitenScale(variance: Float64Array): Float64Array {
  const out = new Float64Array(variance.length);
  for (let i = 0; i < variance.length; i++) out[i] = Math.max(Math.sqrt(variance[i]!), 2.220446049250313e-16);
  return out;
}

/**
 * Read and check the fields shared by every PCA model JSON.
 * @throws InvalidArgumentError naming the bad field.
 */
export function pcaPartsFromJSON(json: unknown, routine: string): PCAModelParts {
  if (typeof json !== 'object' || json === null) throw new InvalidArgumentError(`${routine}: expected an object from toJSON()`);
  const j = json as Record<string, unknown>;
  if (j.version !== 1) throw new InvalidArgumentError(`${routine}: unsupported version ${String(j.version)} (expected 1)`);
  const n = j.nFeatures;
  if (!(typeof n === 'number' && Number.isInteger(n) && n >= 1)) throw new InvalidArgumentError(`${routine}: 'nFeatures' must be an integer >= 1`);
  const k = Array.isArray(j.components) ? j.components.length : -1;
  const components = jsonRows(j.components, k, n, routine, 'components');
  const nSamples = j.nSamples;
  if (!(typeof nSamples === 'number' && Number.isInteger(nSamples) && nSamples >= 0)) throw new InvalidArgumentError(`${routine}: 'nSamples' must be an integer >= 0`);
  const noiseVariance = j.noiseVariance;
  if (!(typeof noiseVariance === 'number' && Number.isFinite(noiseVariance))) throw new InvalidArgumentError(`${routine}: 'noiseVariance' must be a finite number`);
  const whiten = checkOption(routine, 'whiten', bool, j.whiten);
  if (!PCA_FITTED_SOLVERS.includes(j.solver as PCAFittedSolver)) throw new InvalidArgumentError(`${routine}: 'solver' must be one of ${PCA_FITTED_SOLVERS.join(', ')}`);
  return {
    components,
    explainedVariance: jsonVector(j.explainedVariance, k, routine, 'explainedVariance'),
    explainedVarianceRatio: jsonVector(j.explainedVarianceRatio, k, routine, 'explainedVarianceRatio'),
    singularValues: jsonVector(j.singularValues, k, routine, 'singularValues'),
    mean: jsonVector(j.mean, n, routine, 'mean'),
    noiseVariance,
    nSamples,
    whiten,
    solver: j.solver as PCAFittedSolver,
  };
}
