/**
 * Incremental PCA (Ross, Lim, Lin & Yang 2008, "Incremental learning for robust visual
 * tracking", IJCV 77, Algorithm 1 with the mean update of their Section 3.2; scikit-learn's
 * `IncrementalPCA`): the data arrive in batches of rows and only the current k components,
 * their singular values, the running mean and variance are kept, so memory is
 * O((k + batch) n_features) whatever the number of samples.
 *
 * Each batch B (b x p, batch mean m_B) updates the model by one thin SVD of the stacked
 *
 *     [ diag(s) V^T                              ]   (previous k components, scaled)
 *     [ B - 1 m_B^T                              ]   (the centered batch)
 *     [ sqrt(n_seen b / (n_seen + b)) (m - m_B)  ]   (mean correction row)
 *
 * whose right singular vectors are the new components. Means and variances are merged
 * with Chan, Golub & LeVeque's pairwise update (scikit-learn's `_incremental_mean_and_var`).
 * The result equals batch PCA when k covers the data's rank and approximates it otherwise.
 */
import { InvalidArgumentError, ShapeError } from '../../errors.js';
import { svd } from '../../linalg/svd.js';
import { Matrix } from '../../matrix/matrix.js';
import { runSteps, runStepsAsync, type FitSteps } from '../../fit-async.js';
import { bool, int, maybe, opt, resolveOptions, tableFor } from '../../options.js';
import type { LongTaskOptions } from '../../progress.js';
import { CscMatrix } from '../../sparse/csc.js';
import { CsrMatrix } from '../../sparse/csr.js';
import { flipByRows } from '../../lowrank/truncated-result.js';
import { centeredCopy, checkFiniteSpectrum, checkPcaInput, jsonVector, type PcaInput } from './centering.js';
import { PCAModel, pcaPartsFromJSON, type PCAModelJSON, type PCAModelParts } from './pca-model.js';

/** Options of {@link IncrementalPCA}. Unknown keys are an error. */
export interface IncrementalPCAOptions {
  /**
   * Number of components k (an integer >= 1, at most n_features and at most the first
   * batch's rows). Default: min(rows of the first batch, n_features).
   */
  components?: number;
  /** Rows per batch when `fit` is given one matrix, >= 1; default 5 n_features (scikit-learn's). */
  batchSize?: number;
  /** Scale the scores to unit variance. Default false. */
  whiten?: boolean;
}

const INCREMENTAL_PCA_OPTIONS = tableFor<IncrementalPCAOptions>()({
  components: maybe(int(1)),
  batchSize: maybe(int(1)),
  whiten: opt(bool, false),
});

/** Options of {@link IncrementalPCA.fit}: progress (`stage: 'batch'`) and cancellation between batches. */
export type IncrementalPCAFitOptions = LongTaskOptions;

/** JSON form of an {@link IncrementalPCAModel}. */
export interface IncrementalPCAModelJSON extends Omit<PCAModelJSON, 'type'> {
  /** Always 'IncrementalPCA'. */
  readonly type: 'IncrementalPCA';
  /** Per-feature variance of the samples seen, ddof 0 (nFeatures values). */
  readonly variance: number[];
  /** Batch size `fit` used, or `null` for a model built by partialFit alone. */
  readonly batchSize: number | null;
}

/** What the incremental update carries beyond the PCA attributes. */
interface IncrementalParts extends PCAModelParts {
  /** Per-feature variance (ddof 0) of the samples seen. */
  readonly variance: Float64Array;
  /** Requested components (undefined: fixed by the first batch). */
  readonly requested: number | undefined;
  /** Batch size `fit` used (undefined for partialFit-only models). */
  readonly batchSize: number | undefined;
}

/**
 * A fitted incremental PCA: a {@link PCAModel} (same transform, inverseTransform,
 * covariance) that also keeps the per-feature variance, so {@link IncrementalPCAModel.partialFit}
 * can fold in more batches. Models are immutable: `partialFit` returns a new one.
 */
export class IncrementalPCAModel extends PCAModel {
  /** Per-feature variance of the samples seen, ddof 0 (`var_`). */
  readonly variance: Float64Array;
  /** Batch size `fit` used (`batch_size_`), or undefined when built by partialFit alone. */
  readonly batchSize: number | undefined;
  private readonly requested: number | undefined;

  /** Wrap fitted attributes ({@link IncrementalPCA} builds these). */
  constructor(parts: IncrementalParts) {
    super(parts);
    this.variance = parts.variance;
    this.batchSize = parts.batchSize;
    this.requested = parts.requested;
  }

  /** Samples seen so far (`n_samples_seen_`); same as `nSamples`. */
  get nSamplesSeen(): number {
    return this.nSamples;
  }

  /**
   * Fold one more batch of rows into the model; returns the updated model (this one is
   * unchanged). Cost: a thin SVD of a (k + b + 1) x p matrix, O((k + b) p min(k + b, p)).
   * @throws ShapeError when the batch's columns differ; NonFiniteInputError on NaN/Inf.
   */
  partialFit(batch: PcaInput): IncrementalPCAModel {
    return incrementalStep(this, batch, this.requested, this.whiten, this.batchSize);
  }

  /** Plain-data form; {@link IncrementalPCAModel.fromJSON} reads it back. */
  override toJSON(): IncrementalPCAModelJSON {
    return { ...super.toJSON(), type: 'IncrementalPCA', variance: Array.from(this.variance), batchSize: this.batchSize ?? null };
  }

  /**
   * Rebuild from {@link IncrementalPCAModel.toJSON}'s output; the model can keep learning
   * with `partialFit`.
   * @throws InvalidArgumentError when a field is missing or inconsistent.
   */
  static override fromJSON(json: unknown): IncrementalPCAModel {
    const routine = 'IncrementalPCAModel.fromJSON';
    const parts = pcaPartsFromJSON(json, routine);
    const j = json as Record<string, unknown>;
    if (j.type !== 'IncrementalPCA') throw new InvalidArgumentError(`${routine}: expected type 'IncrementalPCA', got '${String(j.type)}'`);
    const b = j.batchSize;
    if (!(b === null || (typeof b === 'number' && Number.isInteger(b) && b >= 1))) throw new InvalidArgumentError(`${routine}: 'batchSize' must be null or an integer >= 1`);
    const variance = jsonVector(j.variance, parts.mean.length, routine, 'variance');
    return new IncrementalPCAModel({ ...parts, variance, batchSize: b ?? undefined, requested: parts.components.rows });
  }

  protected override get kind(): string {
    return 'IncrementalPCA';
  }
}

/**
 * Incremental PCA over batches of rows (scikit-learn's `IncrementalPCA`). The constructor
 * checks the options; {@link IncrementalPCA.fit} returns an {@link IncrementalPCAModel}.
 * @example
 * const model = new IncrementalPCA({ components: 10, batchSize: 500 }).fit(X);
 * // or stream chunks that never sit in memory together:
 * const model2 = new IncrementalPCA({ components: 10 }).fit(readChunks());
 * const more = model2.partialFit(nextChunk);
 */
export class IncrementalPCA {
  /** Requested number of components, or undefined to take min(rows of the first batch, n_features). */
  readonly components: number | undefined;
  /** Rows per batch in `fit`, or undefined for 5 n_features. */
  readonly batchSize: number | undefined;
  /** Whether the fitted model scales scores to unit variance; default false. */
  readonly whiten: boolean;

  /**
   * Check the options against IncrementalPCA's table and store them.
   * @throws InvalidArgumentError naming the bad option (or an unknown one).
   */
  constructor(options: IncrementalPCAOptions = {}) {
    const o = resolveOptions('IncrementalPCA', INCREMENTAL_PCA_OPTIONS, options);
    this.components = o.components;
    this.batchSize = o.batchSize;
    this.whiten = o.whiten;
  }

  /**
   * Fit on all rows of X, `batchSize` at a time (the last batch absorbs a remainder smaller
   * than k, as scikit-learn's `gen_batches(min_batch_size=k)`), or on an iterable of
   * batches (arrays, generators: each one a Matrix with the same columns), which need not
   * fit in memory together. A sparse X is densified one batch at a time.
   * @throws InvalidArgumentError when the first batch has fewer rows than k or k exceeds
   *   n_features; ShapeError when batches disagree on columns; NonFiniteInputError on
   *   NaN/Inf; AbortedError when `signal` aborts (checked between batches);
   *   ConvergenceError when a batch's singular values come out NaN/Infinity (data whose
   *   squares overflow float64).
   */
  fit(X: PcaInput | Iterable<PcaInput>, options: IncrementalPCAFitOptions = {}): IncrementalPCAModel {
    return runSteps(this.steps(X, options), options.signal, 'IncrementalPCA.fit');
  }

  /**
   * {@link IncrementalPCA.fit} with a turn of the event loop between batches (see
   * runStepsAsync in fit-async.ts): the same model bit for bit and the same progress
   * reports, abortable by a timer or a button within about one batch (one thin SVD). An
   * iterable of batches is read one batch per step, as by `fit`.
   * @throws (rejects with) the errors of {@link IncrementalPCA.fit}.
   */
  fitAsync(X: PcaInput | Iterable<PcaInput>, options: IncrementalPCAFitOptions = {}): Promise<IncrementalPCAModel> {
    return runStepsAsync(this.steps(X, options), options.signal, 'IncrementalPCA.fitAsync');
  }

  // The batch loop of fit and fitAsync; yields before the first batch and between batches.
  private *steps(X: PcaInput | Iterable<PcaInput>, options: IncrementalPCAFitOptions): FitSteps<IncrementalPCAModel> {
    const routine = 'IncrementalPCA.fit';
    const { onProgress } = options;
    yield;
    let model: IncrementalPCAModel | undefined;
    if (X instanceof Matrix || X instanceof CsrMatrix || X instanceof CscMatrix) {
      const A = checkPcaInput(X, routine, 1);
      const [n, p] = A.shape;
      const size = this.batchSize ?? 5 * p;
      const slices = batchSlices(n, size, this.components ?? 0);
      for (let i = 0; i < slices.length; i++) {
        const [r0, r1] = slices[i]!;
        yield;
        const batch = A instanceof CsrMatrix ? A.rowSlice(r0, r1) : A.rowRange(r0, r1);
        model = incrementalStep(model, batch, this.components, this.whiten, size);
        onProgress?.({ stage: 'batch', done: i + 1, total: slices.length, metrics: { samples: r1 } });
      }
    } else if (X !== null && typeof X === 'object' && Symbol.iterator in X) {
      let i = 0;
      for (const batch of X as Iterable<PcaInput>) {
        yield;
        model = incrementalStep(model, batch, this.components, this.whiten, this.batchSize);
        i++;
        onProgress?.({ stage: 'batch', done: i, metrics: { samples: model.nSamples } });
      }
      if (model === undefined) throw new InvalidArgumentError(`${routine}: the iterable gave no batches`);
    } else {
      throw new InvalidArgumentError(`${routine}: expected a Matrix, a CsrMatrix or an iterable of batches`);
    }
    return model!;
  }

  /**
   * One incremental step: fold `batch` into `model` (or start a model from it when `model`
   * is undefined); the same as `model.partialFit(batch)`.
   */
  partialFit(batch: PcaInput, model?: IncrementalPCAModel): IncrementalPCAModel {
    return incrementalStep(model, batch, this.components, this.whiten, this.batchSize);
  }
}

/** scikit-learn's gen_batches(n, size, min_batch_size): [start, end) row ranges. */
export function batchSlices(n: number, size: number, minBatch: number): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (let b = 0; b < Math.floor(n / size); b++) {
    const end = start + size;
    if (end + minBatch > n) continue;
    out.push([start, end]);
    start = end;
  }
  if (start < n) out.push([start, n]);
  return out;
}

/** The update of the module comment (scikit-learn's `IncrementalPCA.partial_fit`). */
function incrementalStep(
  prev: IncrementalPCAModel | undefined, input: PcaInput, requested: number | undefined, whiten: boolean, batchSize: number | undefined,
): IncrementalPCAModel {
  const routine = prev === undefined ? 'IncrementalPCA.fit' : 'IncrementalPCA.partialFit';
  const A = checkPcaInput(input, routine, 1);
  const [b, p] = A.shape;
  // A compact float64 column-major copy of the batch: x(i, j) = bd[i + j * b].
  const bd = centeredCopy(A).data as Float64Array;
  if (prev !== undefined && p !== prev.nFeatures) throw new ShapeError(`${routine}: the batch has ${p} columns, the model has ${prev.nFeatures} features`);
  let k: number;
  if (requested === undefined) k = prev === undefined ? Math.min(b, p) : prev.nComponents;
  else if (requested > p) throw new InvalidArgumentError(`IncrementalPCA: components = ${requested} is more than n_features = ${p}`);
  else if (prev === undefined && requested > b) throw new InvalidArgumentError(`IncrementalPCA: components = ${requested} is more than the ${b} rows of the first batch (the first batch needs at least k rows; raise batchSize)`);
  else k = requested;

  // Running mean and variance (Chan, Golub & LeVeque 1983 pairwise update).
  const nOld = prev?.nSamples ?? 0;
  const nTotal = nOld + b;
  const batchMean = new Float64Array(p);
  const batchSq = new Float64Array(p); // sum of squared deviations from the batch mean
  for (let j = 0; j < p; j++) {
    const o = j * b;
    let s = 0;
    for (let i = o; i < o + b; i++) s += bd[i]!;
    const mu = s / b;
    let q = 0;
    let c = 0;
    for (let i = o; i < o + b; i++) {
      const d = bd[i]! - mu;
      q += d * d;
      c += d;
    }
    batchMean[j] = mu;
    batchSq[j] = q - (c * c) / b; // scikit-learn's correction of the rounding in mu
  }
  const mean = new Float64Array(p);
  const variance = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const oldMean = prev?.mean[j] ?? 0;
    const oldVar = prev?.variance[j] ?? 0;
    const newSum = batchMean[j]! * b;
    mean[j] = (oldMean * nOld + newSum) / nTotal;
    if (nOld === 0) variance[j] = batchSq[j]! / nTotal;
    else {
      const ratio = nOld / b;
      const diff = (oldMean * nOld) / ratio - newSum;
      variance[j] = (oldVar * nOld + batchSq[j]! + (ratio / nTotal) * diff * diff) / nTotal;
    }
  }

  // The stacked matrix: previous scaled components, centered batch, mean correction.
  const kOld = prev?.nComponents ?? 0;
  const rows = prev === undefined ? b : kOld + b + 1;
  const S = Matrix.zeros(rows, p);
  const d = S.data;
  const centerOn = prev === undefined ? mean : batchMean;
  const corr = prev === undefined ? 0 : Math.sqrt((nOld / nTotal) * b);
  for (let j = 0; j < p; j++) {
    const col = j * rows;
    for (let i = 0; i < kOld; i++) d[col + i] = prev!.singularValues[i]! * prev!.components.get(i, j);
    const mu = centerOn[j]!;
    for (let i = 0; i < b; i++) d[col + kOld + i] = bd[i + j * b]! - mu;
    if (prev !== undefined) d[col + rows - 1] = corr * (prev.mean[j]! - batchMean[j]!);
  }
  const f = svd(S);
  const Vt = f.Vt;
  flipByRows(Vt);
  const s = Float64Array.from(f.s);
  let total = 0;
  for (let j = 0; j < p; j++) total += variance[j]! * nTotal;
  const explained = s.map((v) => (v * v) / (nTotal - 1));
  checkFiniteSpectrum(explained, total, routine, 'incremental');
  let noise = 0;
  if (k !== b && k !== p) {
    for (let i = k; i < explained.length; i++) noise += explained[i]!;
    noise /= explained.length - k;
  }
  return new IncrementalPCAModel({
    components: Vt.rowRange(0, k).copy({ dtype: 'float64' }),
    explainedVariance: explained.slice(0, k),
    explainedVarianceRatio: s.slice(0, k).map((v) => (total > 0 ? (v * v) / total : 0)),
    singularValues: s.slice(0, k),
    mean,
    noiseVariance: noise,
    nSamples: nTotal,
    whiten,
    solver: 'incremental',
    variance,
    requested,
    batchSize,
  });
}

