/**
 * Topic models by nonnegative matrix factorization of the TF-IDF matrix (Lee & Seung 1999,
 * "Learning the parts of objects by non-negative matrix factorization", Nature 401; the
 * recipe of scikit-learn's "Topic extraction with NMF and LDA" example):
 * X (documents x terms, TF-IDF) ≈ W H with W, H >= 0. Row t of H is topic t's weights over
 * the vocabulary (read through its top words), row d of W is document d's mix of topics.
 * The sparse TF-IDF matrix goes to {@link NMF} as a CsrMatrix (never densified).
 */
import { InvalidArgumentError, check } from '../../errors.js';
import { Matrix } from '../../matrix/matrix.js';
import { runSteps, runStepsAsync, type FitSteps } from '../../fit-async.js';
import { int, maybe, nested, required, resolveOptions, tableFor, type Constraint } from '../../options.js';
import type { LongTaskOptions } from '../../progress.js';
import { CsrMatrix } from '../../sparse/csr.js';
import { NMF, NMFModel, type NMFModelJSON, type NMFOptions } from '../nmf/nmf.js';
import { topTermsOf, type TermWeight } from './top-terms.js';
import { TfidfVectorizer, TfidfVectorizerModel, type TfidfVectorizerOptions, type VectorizerJSON } from './vectorize.js';

/**
 * NMF options of a topic model: those of {@link NMFOptions} (each documented there, with its
 * range and default) but the number of components (`topics` sets it) and custom factors.
 */
export type TopicNMFOptions = Omit<NMFOptions, 'components' | 'W' | 'H'>;

/** Options of {@link NMFTopics}. `topics` is required; unknown keys are an error. */
export interface NMFTopicsOptions {
  /** Number of topics k, >= 1. Required. */
  topics: number;
  /**
   * TF-IDF options. Default {@link TOPIC_VECTORIZER_DEFAULTS} `{ stopWords: 'english',
   * minDf: 2, maxDf: 0.95 }` (scikit-learn's topic-extraction example: drop words in one
   * document only, or in nearly all); what you pass replaces that default whole.
   */
  vectorizer?: TfidfVectorizerOptions;
  /**
   * NMF options (solver, init, betaLoss, tol, maxIter, alphaW, l1Ratio, seed, ...: all of
   * NMF's but components, W and H); default NMF's defaults.
   */
  nmf?: TopicNMFOptions;
}

const NMF_TOPICS_OPTIONS = tableFor<NMFTopicsOptions>()({
  topics: required(int(1)),
  vectorizer: maybe(nested<TfidfVectorizerOptions>('an object of TfidfVectorizer options')),
  nmf: maybe(nested<TopicNMFOptions>("an object of NMF options (without components, W and H)")),
});

/** Keys of NMF's options a topic model sets itself (components = topics) or cannot take (custom factors). */
const NOT_TOPIC_NMF = ['components', 'W', 'H'] as const;

const NMF_TOPICS_CONSTRAINTS: Constraint<typeof NMF_TOPICS_OPTIONS>[] = [
  {
    ok: (o) => o.nmf === undefined || NOT_TOPIC_NMF.every((k) => (o.nmf as Record<string, unknown>)[k] === undefined),
    message: (o) => `unknown option 'nmf.${NOT_TOPIC_NMF.find((k) => (o.nmf as Record<string, unknown>)[k] !== undefined)}': the number of topics is the option 'topics', and a topic model has no custom factors`,
  },
];

/** Options of {@link NMFTopics.fit}: progress of the vectorizer and the NMF iterations, and cancellation. */
export type NMFTopicsFitOptions = LongTaskOptions;

/** JSON form of a fitted topic model ({@link NMFTopicsModel.toJSON}). */
export interface NMFTopicsModelJSON {
  /** Always 'NMFTopics'. */
  type: 'NMFTopics';
  /** Format version; always 1. */
  version: 1;
  /** The fitted TF-IDF vectorizer. */
  vectorizer: VectorizerJSON;
  /** The fitted NMF model (its components are the topics' term weights). */
  nmf: NMFModelJSON;
  /** W of the training documents, one row each. */
  documentTopics: number[][];
}

/** Default TF-IDF options of topic models and the CLI `topics` command. */
export const TOPIC_VECTORIZER_DEFAULTS: Readonly<TfidfVectorizerOptions> = Object.freeze({ stopWords: 'english', minDf: 2, maxDf: 0.95 });

/**
 * NMF topic model of a collection of documents (see the module comment). The constructor
 * checks the options; {@link NMFTopics.fit} vectorizes and factors.
 * @example
 * const topics = new NMFTopics({ topics: 10 }).fit(docs);
 * topics.topTerms(8).map((t) => t.map((w) => w.term).join(' '));
 * topics.documentTopics;                    // documents x 10, >= 0
 * topics.transform(['a new speech about taxes']);
 */
export class NMFTopics {
  /** Number of topics k. */
  readonly topics: number;
  readonly #vectorizer: TfidfVectorizer;
  readonly #nmf: NMF;

  /**
   * Check the options against NMFTopics' table and store them; the vectorizer and NMF options
   * go through TfidfVectorizer's and NMF's tables.
   * @throws InvalidArgumentError naming the bad option (or an unknown one).
   */
  constructor(options: NMFTopicsOptions) {
    const o = resolveOptions('NMFTopics', NMF_TOPICS_OPTIONS, options, NMF_TOPICS_CONSTRAINTS);
    this.topics = o.topics;
    try {
      this.#vectorizer = new TfidfVectorizer(o.vectorizer ?? TOPIC_VECTORIZER_DEFAULTS);
      this.#nmf = new NMF({ ...(o.nmf ?? {}), components: o.topics });
    } catch (e) {
      if (e instanceof InvalidArgumentError) throw new InvalidArgumentError(`NMFTopics: ${e.message}`);
      throw e;
    }
  }

  /**
   * Vectorize `docs` (TF-IDF) and factor the documents x terms matrix by NMF. Cost: one pass
   * over the text, then NMF iterations of O(nnz k + (documents + terms) k^2) each.
   * @throws InvalidArgumentError when no term remains or the NNDSVD init needs k <=
   *   min(documents, terms); AbortedError when `signal` aborts; ConvergenceError as
   *   {@link NMF.fitTransform}.
   */
  fit(docs: readonly string[], options: NMFTopicsFitOptions = {}): NMFTopicsModel {
    return runSteps(this.steps(docs, options), options.signal, 'NMFTopics.fit');
  }

  /**
   * {@link NMFTopics.fit} with turns of the event loop during the vectorizer's pass over the
   * text (every few dozen documents) and between NMF iterations (see runStepsAsync in
   * fit-async.ts): the same model bit for bit and the same progress reports, abortable by a
   * timer or a button within about one step.
   * @throws (rejects with) the errors of {@link NMFTopics.fit}.
   */
  fitAsync(docs: readonly string[], options: NMFTopicsFitOptions = {}): Promise<NMFTopicsModel> {
    return runStepsAsync(this.steps(docs, options), options.signal, 'NMFTopics.fitAsync');
  }

  // The fit of fit and fitAsync: the vectorizer, then NMF's iterations.
  private *steps(docs: readonly string[], options: NMFTopicsFitOptions): FitSteps<NMFTopicsModel> {
    const { onProgress } = options;
    yield;
    const { model: vec, transformed: X } = yield* this.#vectorizer.steps(docs, { onProgress });
    const { model, transformed: W } = yield* this.#nmf.steps(X, { onProgress });
    return new NMFTopicsModel(vec, model, W);
  }
}

/** A fitted {@link NMFTopics}: vectorizer, NMF model (H = topics x terms) and W of the training documents. */
export class NMFTopicsModel {
  /** The fitted TF-IDF vectorizer (vocabulary = columns of {@link topicTerms}). */
  readonly vectorizer: TfidfVectorizerModel;
  /** The NMF model: `components` is H, `reconstructionError`, `iterations`, `converged`. */
  readonly nmf: NMFModel;
  /** W (documents x topics, >= 0): each training document's topic weights. */
  readonly documentTopics: Matrix;

  /** @internal Built by {@link NMFTopics.fit} or {@link NMFTopicsModel.fromJSON}. */
  constructor(vectorizer: TfidfVectorizerModel, nmf: NMFModel, documentTopics: Matrix) {
    this.vectorizer = vectorizer;
    this.nmf = nmf;
    this.documentTopics = documentTopics;
  }

  /** H (topics x terms, >= 0): each topic's weights over the vocabulary. */
  get topicTerms(): Matrix {
    return this.nmf.components;
  }

  /** Number of topics k (scikit-learn's `n_components_`). */
  get nComponents(): number {
    return this.nmf.nComponents;
  }

  /** Number of features the model expects: the terms of the vocabulary (columns of {@link topicTerms}). */
  get nFeatures(): number {
    return this.nmf.nFeatures;
  }

  /** @deprecated Use {@link NMFTopicsModel.nComponents} (the same number; every fitted model names it so). */
  get topics(): number {
    return this.nComponents;
  }

  /** Terms in the vocabulary. */
  get vocabulary(): readonly string[] {
    return this.vectorizer.vocabulary;
  }

  /** The `n` top words of each topic (default 10), largest weight first. */
  topTerms(n = 10): TermWeight[][] {
    check(Number.isInteger(n) && n >= 1, () => `topTerms: n must be an integer >= 1, got ${n}`);
    return topTermsOf(this.nmf.components, this.vocabulary, n);
  }

  /**
   * Topic weights (documents x topics, >= 0) of new documents (strings, or TF-IDF rows from
   * {@link vectorizer}), with the topics fixed (NMF's `transform`).
   */
  transform(docs: readonly string[] | CsrMatrix, options: LongTaskOptions = {}): Matrix {
    let X: CsrMatrix;
    if (docs instanceof CsrMatrix) {
      if (docs.cols !== this.vocabulary.length) throw new InvalidArgumentError(`NMFTopicsModel.transform: a TF-IDF matrix needs ${this.vocabulary.length} columns, got ${docs.cols}`);
      X = docs;
    } else {
      X = this.vectorizer.transform(docs);
    }
    return this.nmf.transform(X, options);
  }

  /** The topic of largest weight of each training document (-1 for a document with no weight). */
  dominantTopics(): Int32Array {
    const W = this.documentTopics;
    const out = new Int32Array(W.rows).fill(-1);
    for (let i = 0; i < W.rows; i++) {
      let best = 0;
      for (let t = 0; t < W.cols; t++) {
        if (W.get(i, t) > best) {
          best = W.get(i, t);
          out[i] = t;
        }
      }
    }
    return out;
  }

  /** Plain-JSON form; {@link NMFTopicsModel.fromJSON} restores it. */
  toJSON(): NMFTopicsModelJSON {
    return { type: 'NMFTopics', version: 1, vectorizer: this.vectorizer.toJSON(), nmf: this.nmf.toJSON(), documentTopics: this.documentTopics.toArray() };
  }

  /** Restore a model saved with {@link NMFTopicsModel.toJSON}. @throws InvalidArgumentError for anything else. */
  static fromJSON(json: unknown): NMFTopicsModel {
    const j = json as Partial<NMFTopicsModelJSON> | null;
    if (j === null || typeof j !== 'object' || j.type !== 'NMFTopics' || j.version !== 1 || !Array.isArray(j.documentTopics) || j.nmf === undefined) {
      throw new InvalidArgumentError('NMFTopicsModel.fromJSON: not an NMFTopics model JSON object (version 1)');
    }
    const vec = TfidfVectorizerModel.fromJSON(j.vectorizer);
    const nmf = NMFModel.fromJSON(j.nmf);
    if (nmf.nFeatures !== vec.vocabulary.length) throw new InvalidArgumentError('NMFTopicsModel.fromJSON: the NMF components and the vocabulary do not fit together');
    const k = nmf.nComponents;
    const rows = j.documentTopics;
    const flat = new Float64Array(rows.length * k);
    rows.forEach((r, i) => {
      if (!Array.isArray(r) || r.length !== k) throw new InvalidArgumentError(`NMFTopicsModel.fromJSON: documentTopics row ${i} must have ${k} numbers`);
      r.forEach((v, t) => (flat[t * rows.length + i] = v));
    });
    return new NMFTopicsModel(vec, nmf, new Matrix(flat, rows.length, k));
  }
}
