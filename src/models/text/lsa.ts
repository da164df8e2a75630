/**
 * Latent semantic analysis (Deerwester, Dumais, Furnas, Landauer & Harshman 1990,
 * "Indexing by latent semantic analysis", JASIS 41): the truncated SVD X ≈ U Σ V^T of the
 * documents x terms TF-IDF matrix X (sparse, never densified; scikit-learn's
 * `TfidfVectorizer` + `TruncatedSVD` pipeline).
 *
 * - Documents live in the k-dimensional space as rows of U Σ = X V (scikit-learn's
 *   `TruncatedSVD.transform`); a new document or query q (a TF-IDF row) maps to V^T q.
 * - Query folding (Deerwester et al. §4; Berry, Dumais & O'Brien 1995): q_k = Σ^-1 V^T q,
 *   the coordinates comparable to the rows of U (folding in a training document gives its
 *   row of U exactly).
 * - Components are read through their top terms (largest weights of each row of V^T); a
 *   component's sign is arbitrary, so each is oriented to make its largest-magnitude term
 *   weight positive.
 * - Similarity search ranks documents by the cosine between V^T q and the rows of U Σ.
 */
import { ConvergenceError, InvalidArgumentError, check } from '../../errors.js';
import { Matrix } from '../../matrix/matrix.js';
import { truncatedSvdSteps, type TruncatedSvdMethod } from '../../lowrank/truncated-svd.js';
import { allFinite, runSteps, runStepsAsync, type FitSteps } from '../../fit-async.js';
import { bool, int, maybe, nested, oneOf, opt, RANDOMIZED_SOLVER_OPTIONS, required, resolveOptions, tableFor, TRUNCATED_SVD_METHODS, type PowerNormalizer, type RandomizedSolverOptions } from '../../options.js';
import type { LongTaskOptions } from '../../progress.js';
import type { RandomState } from '../../random.js';
import { CsrMatrix } from '../../sparse/csr.js';
import { rowCosine, topTermsOf, type TermWeight } from './top-terms.js';
import { TfidfVectorizer, TfidfVectorizerModel, type TfidfVectorizerOptions, type VectorizerJSON } from './vectorize.js';

/**
 * Options of {@link LSA}: its own and the randomized solver's ({@link RandomizedSolverOptions}).
 * `components` is required; unknown keys are an error.
 */
export interface LSAOptions extends RandomizedSolverOptions {
  /** Number of latent dimensions k (the rank of the truncated SVD), >= 1. Required. */
  components: number;
  /**
   * TF-IDF options. Default `{ stopWords: 'english', sublinearTf: true }` (the usual LSA
   * weighting: damped counts, no function words); what you pass replaces that default whole.
   */
  vectorizer?: TfidfVectorizerOptions;
  /** Truncated SVD solver; default 'auto' (Lanczos for the sparse TF-IDF matrix). */
  method?: TruncatedSvdMethod;
  /** Lower `components` to min(documents, terms) when it is larger, instead of throwing; default false. */
  clampComponents?: boolean;
}

const LSA_OPTIONS = tableFor<LSAOptions>()({
  components: required(int(1)),
  vectorizer: maybe(nested<TfidfVectorizerOptions>('an object of TfidfVectorizer options')),
  method: opt(oneOf(TRUNCATED_SVD_METHODS), 'auto'),
  clampComponents: opt(bool, false),
  ...RANDOMIZED_SOLVER_OPTIONS,
});

/** Options of {@link LSA.fit}: progress of the vectorizer (`'documents'`) and the SVD, and cancellation. */
export type LSAFitOptions = LongTaskOptions;

/** One search hit: a training document and its cosine similarity to the query. */
export interface DocumentScore {
  /** Index of the training document (row of `documentVectors`). */
  readonly document: number;
  /** Cosine similarity to the query, in [-1, 1]. */
  readonly score: number;
}

/** JSON form of a fitted LSA ({@link LSAModel.toJSON}). */
export interface LSAModelJSON {
  /** Always 'LSA'. */
  type: 'LSA';
  /** Format version; always 1. */
  version: 1;
  /** The fitted TF-IDF vectorizer. */
  vectorizer: VectorizerJSON;
  /** The k singular values, descending. */
  singularValues: number[];
  /** V^T as k rows of term weights. */
  components: number[][];
  /** U Σ as one row per training document. */
  documentVectors: number[][];
}

/** Default TF-IDF options of LSA and the CLI. */
export const LSA_VECTORIZER_DEFAULTS: Readonly<TfidfVectorizerOptions> = Object.freeze({ stopWords: 'english', sublinearTf: true });

/**
 * Latent semantic analysis of a collection of documents (see the module comment). The
 * constructor checks the options; {@link LSA.fit} vectorizes and factors.
 * @example
 * const lsa = new LSA({ components: 100 }).fit(docs);
 * lsa.topTerms(8)[0];                        // [{ term: 'tax', weight: 0.21 }, ...]
 * lsa.search('tax cuts for families', 5);    // [{ document: 412, score: 0.83 }, ...]
 * lsa.fold(['a new document']);              // 1 x 100, comparable to rows of U
 */
export class LSA {
  /** Number of latent dimensions k. */
  readonly components: number;
  /** Truncated SVD solver; default 'auto'. */
  readonly method: TruncatedSvdMethod;
  /** Seed (or generator) of the solver's random start; default 0. */
  readonly seed: RandomState;
  /** Randomized solver: power iterations, or 'auto' (default: 7 if k < 0.1 min(documents, terms), else 4). */
  readonly powerIters: number | 'auto';
  /** Randomized solver: oversampling columns; default 10. */
  readonly oversample: number;
  /** Randomized solver: normalizer between power iterations; default 'auto'. */
  readonly normalizer: PowerNormalizer;
  /** Lower `components` to min(documents, terms) instead of throwing; default false. */
  readonly clampComponents: boolean;
  readonly #vectorizer: TfidfVectorizer;

  /**
   * Check the options against LSA's table and store them; the vectorizer options go through
   * TfidfVectorizer's.
   * @throws InvalidArgumentError naming the bad option (or an unknown one).
   */
  constructor(options: LSAOptions) {
    const o = resolveOptions('LSA', LSA_OPTIONS, options);
    this.components = o.components;
    this.method = o.method;
    this.seed = o.seed;
    this.powerIters = o.powerIters;
    this.oversample = o.oversample;
    this.normalizer = o.normalizer;
    this.clampComponents = o.clampComponents;
    try {
      this.#vectorizer = new TfidfVectorizer(o.vectorizer ?? LSA_VECTORIZER_DEFAULTS);
    } catch (e) {
      if (e instanceof InvalidArgumentError) throw new InvalidArgumentError(`LSA: vectorizer: ${e.message}`);
      throw e;
    }
  }

  /**
   * Vectorize `docs` (TF-IDF) and compute the rank-k truncated SVD of the documents x terms
   * matrix. Cost: the vectorizer's pass over the text, then the truncated SVD (Lanczos:
   * O(nnz) per product, a few multiples of k products).
   * @throws InvalidArgumentError when k exceeds min(documents, terms) (unless
   *   `clampComponents`) or no term remains;
   *   AbortedError when `signal` aborts; ConvergenceError when the singular values come out
   *   NaN/Infinity.
   */
  fit(docs: readonly string[], options: LSAFitOptions = {}): LSAModel {
    return runSteps(this.steps(docs, options), options.signal, 'LSA.fit');
  }

  /**
   * {@link LSA.fit} with turns of the event loop between its stages (see runStepsAsync in
   * fit-async.ts): the same model bit for bit. The vectorizer yields every few dozen
   * documents and the truncated SVD after each power iteration or Lanczos step, so a timer
   * abort takes effect within about one of them.
   * @throws (rejects with) the errors of {@link LSA.fit}.
   */
  fitAsync(docs: readonly string[], options: LSAFitOptions = {}): Promise<LSAModel> {
    return runStepsAsync(this.steps(docs, options), options.signal, 'LSA.fitAsync');
  }

  // The fit of fit and fitAsync: yields before the vectorizer, before and after the SVD.
  private *steps(docs: readonly string[], options: LSAFitOptions): FitSteps<LSAModel> {
    const { onProgress, signal } = options;
    yield;
    const { model: vec, transformed: X } = yield* this.#vectorizer.steps(docs, { onProgress });
    const kmax = Math.min(X.rows, X.cols);
    const k = this.clampComponents ? Math.min(this.components, kmax) : this.components;
    if (k > kmax) throw new InvalidArgumentError(`LSA.fit: components = ${k} exceeds min(documents, terms) = min(${X.rows}, ${X.cols}); lower it`);
    yield;
    const f = yield* truncatedSvdSteps(X, k, {
      method: this.method, seed: this.seed, powerIters: this.powerIters, oversample: this.oversample, normalizer: this.normalizer,
      onProgress, signal, flipSigns: false,
    });
    // O(k): a NaN here would otherwise surface as NaN document vectors and search scores.
    if (!allFinite(f.s)) throw new ConvergenceError(`LSA.fit: the truncated SVD (method '${this.method}') returned NaN/Infinity singular values; try method '${this.method === 'lanczos' ? 'randomized' : 'lanczos'}'`);
    yield;
    const U = f.U.copy();
    const Vt = f.Vt.copy();
    orientByTerms(U, Vt);
    const docVectors = U.copy();
    for (let j = 0; j < k; j++) for (let i = 0; i < docVectors.rows; i++) docVectors.set(i, j, docVectors.get(i, j) * f.s[j]!);
    return new LSAModel(vec, Float64Array.from(f.s), Vt, docVectors);
  }
}

/** Flip (u_j, v_j) pairs so that the largest-|.| entry of each row of Vt is positive. */
function orientByTerms(U: Matrix, Vt: Matrix): void {
  for (let j = 0; j < Vt.rows; j++) {
    let best = 0;
    for (let t = 0; t < Vt.cols; t++) if (Math.abs(Vt.get(j, t)) > Math.abs(best)) best = Vt.get(j, t);
    if (best >= 0) continue;
    for (let t = 0; t < Vt.cols; t++) Vt.set(j, t, -Vt.get(j, t));
    for (let i = 0; i < U.rows; i++) U.set(i, j, -U.get(i, j));
  }
}

/** A fitted {@link LSA}: the TF-IDF vectorizer, Σ, V^T and the training documents' vectors U Σ. */
export class LSAModel {
  /** The fitted TF-IDF vectorizer (vocabulary = columns of {@link components}). */
  readonly vectorizer: TfidfVectorizerModel;
  /** Σ: singular values, descending (length k). */
  readonly singularValues: Float64Array;
  /** V^T (k x terms): each row a component's term weights (scikit-learn's `components_`). */
  readonly components: Matrix;
  /** U Σ (documents x k): the training documents in the latent space (scikit-learn's `fit_transform` output). */
  readonly documentVectors: Matrix;
  readonly #V: Matrix;

  /** @internal Built by {@link LSA.fit} or {@link LSAModel.fromJSON}. */
  constructor(vectorizer: TfidfVectorizerModel, singularValues: Float64Array, components: Matrix, documentVectors: Matrix) {
    this.vectorizer = vectorizer;
    this.singularValues = singularValues;
    this.components = components;
    this.documentVectors = documentVectors;
    this.#V = components.T.copy();
  }

  /** Number of latent dimensions k (scikit-learn's `n_components_`). */
  get nComponents(): number {
    return this.singularValues.length;
  }

  /** Number of features the model expects: the terms of the vocabulary (columns of {@link components}). */
  get nFeatures(): number {
    return this.components.cols;
  }

  /** @deprecated Use {@link LSAModel.nComponents} (the same number; every fitted model names it so). */
  get rank(): number {
    return this.nComponents;
  }

  /** Terms in the vocabulary. */
  get vocabulary(): readonly string[] {
    return this.vectorizer.vocabulary;
  }

  #weights(docs: readonly string[] | CsrMatrix): CsrMatrix {
    if (!(docs instanceof CsrMatrix)) return this.vectorizer.transform(docs);
    const X = docs;
    if (X.cols !== this.vocabulary.length) throw new InvalidArgumentError(`LSA: a TF-IDF matrix needs ${this.vocabulary.length} columns (the vocabulary), got ${X.cols}`);
    return X;
  }

  /**
   * Documents (strings, or TF-IDF rows from {@link vectorizer}) in the latent space: X V
   * (documents x k), the coordinates of {@link documentVectors} (scikit-learn's `transform`).
   */
  transform(docs: readonly string[] | CsrMatrix): Matrix {
    const X = this.#weights(docs);
    return X.astype('float64').apply(this.#V);
  }

  /**
   * Query folding: X V Σ^-1 (documents x k), the classic LSA coordinates of new documents
   * or queries, comparable to the rows of U (Deerwester et al. 1990). A zero singular value
   * gives a zero coordinate.
   */
  fold(docs: readonly string[] | CsrMatrix): Matrix {
    const Z = this.transform(docs);
    for (let j = 0; j < Z.cols; j++) {
      const s = this.singularValues[j]!;
      for (let i = 0; i < Z.rows; i++) Z.set(i, j, s > 0 ? Z.get(i, j) / s : 0);
    }
    return Z;
  }

  /** The `n` largest-weight terms of each component (default 10), largest first. */
  topTerms(n = 10): TermWeight[][] {
    check(Number.isInteger(n) && n >= 1, () => `topTerms: n must be an integer >= 1, got ${n}`);
    return topTermsOf(this.components, this.vocabulary, n);
  }

  /**
   * The `n` training documents most similar to `query` (default 10): cosine between V^T q
   * and the rows of U Σ, best first. A query without any known term matches nothing ([]).
   * O(documents k).
   */
  search(query: string, n = 10): DocumentScore[] {
    check(typeof query === 'string', () => 'search: the query must be a string');
    const q = this.transform([query]);
    return this.#rank(q.toFlat(), n, -1);
  }

  /** The `n` training documents most similar to training document `index` (itself excluded). */
  similarDocuments(index: number, n = 10): DocumentScore[] {
    const m = this.documentVectors.rows;
    check(Number.isInteger(index) && index >= 0 && index < m, () => `similarDocuments: index must be an integer in [0, ${m}), got ${index}`);
    const q = new Float64Array(this.nComponents);
    for (let j = 0; j < this.nComponents; j++) q[j] = this.documentVectors.get(index, j);
    return this.#rank(q, n, index);
  }

  #rank(q: ArrayLike<number>, n: number, skip: number): DocumentScore[] {
    check(Number.isInteger(n) && n >= 1, () => `n must be an integer >= 1, got ${n}`);
    let qn = 0;
    for (let j = 0; j < q.length; j++) qn += q[j]! * q[j]!;
    if (qn === 0) return [];
    qn = Math.sqrt(qn);
    const scores: DocumentScore[] = [];
    for (let i = 0; i < this.documentVectors.rows; i++) {
      if (i !== skip) scores.push({ document: i, score: rowCosine(this.documentVectors, i, q, qn) });
    }
    scores.sort((a, b) => b.score - a.score || a.document - b.document);
    return scores.slice(0, n);
  }

  /** Plain-JSON form; {@link LSAModel.fromJSON} restores it. */
  toJSON(): LSAModelJSON {
    return {
      type: 'LSA',
      version: 1,
      vectorizer: this.vectorizer.toJSON(),
      singularValues: Array.from(this.singularValues),
      components: this.components.toArray(),
      documentVectors: this.documentVectors.toArray(),
    };
  }

  /** Restore a model saved with {@link LSAModel.toJSON}. @throws InvalidArgumentError for anything else. */
  static fromJSON(json: unknown): LSAModel {
    const j = json as Partial<LSAModelJSON> | null;
    if (j === null || typeof j !== 'object' || j.type !== 'LSA' || j.version !== 1 || !Array.isArray(j.singularValues) || !Array.isArray(j.components) || !Array.isArray(j.documentVectors)) {
      throw new InvalidArgumentError('LSAModel.fromJSON: not an LSA model JSON object (version 1)');
    }
    const vec = TfidfVectorizerModel.fromJSON(j.vectorizer);
    const k = j.singularValues.length;
    const C = Matrix.from(j.components);
    const D = j.documentVectors.length === 0 ? Matrix.zeros(0, k) : Matrix.from(j.documentVectors);
    if (C.rows !== k || C.cols !== vec.vocabulary.length || D.cols !== k) throw new InvalidArgumentError('LSAModel.fromJSON: components, singular values and vocabulary do not fit together');
    return new LSAModel(vec, Float64Array.from(j.singularValues), C, D);
  }
}
