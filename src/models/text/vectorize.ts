/**
 * Term-document matrices: scikit-learn's `CountVectorizer` and `TfidfVectorizer` for
 * lowrank, with the same defaults and, on the same options, the same vocabulary and
 * values (the tests compare with scikit-learn-computed fixtures). Output is a sparse
 * documents x terms {@link CsrMatrix}; nothing is ever densified.
 *
 * TF-IDF follows scikit-learn's `TfidfTransformer` (Salton & Buckley 1988 weighting with
 * scikit-learn's conventions): tf = raw count (1 + ln(count) with `sublinearTf`),
 * idf(t) = ln((1 + n) / (1 + df(t))) + 1 with `smoothIdf` (default) or ln(n / df(t)) + 1
 * without, then every row scaled to unit l2 (or l1) norm.
 */
import { InvalidArgumentError } from '../../errors.js';
import { allocFloat, DTYPES, type DType } from '../../matrix/dtype.js';
import { bool, checkOption, either, int, maybe, num, oneOf, opt, resolveOptions, satisfies, tableFor, type Resolved } from '../../options.js';
import { runSteps, runStepsAsync, type FitSteps } from '../../fit-async.js';
import type { LongTaskOptions, Progress } from '../../progress.js';
import { CsrMatrix } from '../../sparse/csr.js';
import { createAnalyzer, TOKENIZE_OPTIONS, type Analyzer, type StripAccents, type TokenizeOptions } from './tokenize.js';

/** A document-frequency bound: a count of documents, or a fraction of them. */
const DOCUMENT_FREQUENCY = satisfies('an integer >= 1 (documents) or a fraction in [0, 1)', either(int(1), num(0, 1, 'high')).test);

/**
 * Options of {@link CountVectorizer}: the analyzer's ({@link TokenizeOptions}) plus
 * vocabulary pruning. Unknown keys are an error.
 */
export interface CountVectorizerOptions extends TokenizeOptions {
  /**
   * Drop terms found in fewer documents than this: an integer >= 1 is a count of documents,
   * a number in [0, 1) a fraction of them (scikit-learn's `min_df`). Default 1.
   */
  minDf?: number;
  /**
   * Drop terms found in more documents than this: an integer >= 1 is a count, a number in
   * [0, 1) a fraction (scikit-learn's `max_df`; its default 1.0 is "no limit", which is
   * our default: leave it out). Default: no limit.
   */
  maxDf?: number;
  /** Keep only the `maxFeatures` most frequent terms (total count; ties by term order), >= 1. Default: all. */
  maxFeatures?: number;
  /** Count 1 for every term present instead of its number of occurrences; default false. */
  binary?: boolean;
  /** Element type of the matrix; default 'float64'. */
  dtype?: DType;
}

const COUNT_VECTORIZER_OPTIONS = tableFor<CountVectorizerOptions>()({
  ...TOKENIZE_OPTIONS,
  minDf: opt(DOCUMENT_FREQUENCY, 1),
  maxDf: maybe(DOCUMENT_FREQUENCY),
  maxFeatures: maybe(int(1)),
  binary: opt(bool, false),
  dtype: opt(oneOf(DTYPES), 'float64'),
});

/** Row normalizations of TF-IDF matrices. */
export const TFIDF_NORMS = ['l2', 'l1', 'none'] as const;
/** A row normalization of TF-IDF matrices. */
export type TfidfNorm = (typeof TFIDF_NORMS)[number];

/**
 * Options of {@link TfidfVectorizer}: the counting options ({@link CountVectorizerOptions})
 * plus scikit-learn's `TfidfTransformer` options. Unknown keys are an error.
 */
export interface TfidfVectorizerOptions extends CountVectorizerOptions {
  /** Row normalization: 'l2' (default: cosine similarity is a dot product), 'l1' or 'none'. */
  norm?: TfidfNorm;
  /** Weight by inverse document frequency; default true. */
  useIdf?: boolean;
  /** idf = ln((1 + n) / (1 + df)) + 1, as if one extra document held every term once; default true. */
  smoothIdf?: boolean;
  /** tf = 1 + ln(count) instead of count; default false. */
  sublinearTf?: boolean;
}

/** The weighting options (scikit-learn's `TfidfTransformer`'s), also checked alone by {@link TfidfVectorizerModel.fromJSON}. */
const TFIDF_OWN_OPTIONS = tableFor<Omit<TfidfVectorizerOptions, keyof CountVectorizerOptions>>()({
  norm: opt(oneOf(TFIDF_NORMS), 'l2'),
  useIdf: opt(bool, true),
  smoothIdf: opt(bool, true),
  sublinearTf: opt(bool, false),
});

const TFIDF_VECTORIZER_OPTIONS = tableFor<TfidfVectorizerOptions>()({ ...COUNT_VECTORIZER_OPTIONS, ...TFIDF_OWN_OPTIONS });

/** What the vectorizers' `fitTransform` returns: the model and the transformed training documents, as every estimator's fitTransform. */
export interface VectorizerFitTransform<M extends CountVectorizerModel> {
  /** The fitted vectorizer. */
  readonly model: M;
  /** The training documents' matrix, documents x vocabulary (what `model.transform(docs)` gives). */
  readonly transformed: CsrMatrix;
  /** @deprecated The same matrix as `transformed` (its name before every fitTransform returned `{ model, transformed }`). */
  readonly X: CsrMatrix;
}

/** Options of the `fit` methods: progress (`stage: 'documents'`) and cancellation. */
export type VectorizerFitOptions = LongTaskOptions;

/** JSON form of a fitted vectorizer ({@link CountVectorizerModel.toJSON}). */
export interface VectorizerJSON {
  /** Which model class this is; selects the `fromJSON` that accepts it. */
  kind: 'CountVectorizerModel' | 'TfidfVectorizerModel';
  /** Format version; always 1. */
  version: 1;
  /** The analyzer's options ({@link TokenizeOptions}), with `null` for unset ones. */
  analyzer: {
    /** Lowercase documents before tokenizing. */
    lowercase: boolean;
    /** Accent stripping mode, or `null` for none. */
    stripAccents: StripAccents | null;
    /** Token regular expression as `source` and `flags`, or `null` for the default pattern. */
    tokenPattern: { source: string; flags: string } | null;
    /** `'english'`, a list of stop words, or `null` for none. */
    stopWords: 'english' | string[] | null;
    /** Smallest and largest n-gram length `[min, max]`. */
    ngramRange: [number, number];
  };
  /** Counts were 1 per present term instead of the number of occurrences. */
  binary: boolean;
  /** Element type of the matrices produced. */
  dtype: DType;
  /** Term of each column, sorted. */
  vocabulary: string[];
  /** Number of training documents containing each term (same order as `vocabulary`). */
  documentFrequency: number[];
  /** Number of training documents. */
  documents: number;
  /** TF-IDF weighting (`norm`, `useIdf`, `smoothIdf`, `sublinearTf` as in {@link TfidfVectorizerOptions}) and the `idf` weight of each term; only for a `TfidfVectorizerModel`. */
  tfidf?: { norm: TfidfNorm; useIdf: boolean; smoothIdf: boolean; sublinearTf: boolean; idf: number[] };
}

/** Documents between progress reports. */
const REPORT_EVERY = 1000;
/**
 * Documents per step of the counting pass: the drivers check the signal (and fitAsync gives
 * the event loop a turn) between steps. A step ends early once its documents hold
 * {@link STEP_CHARS} characters, so a few very long documents are not one block.
 */
const STEP_DOCUMENTS = 64;
/** Characters per step of the counting pass (see {@link STEP_DOCUMENTS}). */
const STEP_CHARS = 1 << 16;

function checkDocuments(docs: readonly string[], what: string): void {
  if (!Array.isArray(docs)) throw new InvalidArgumentError(`${what}: documents must be an array of strings`);
}

/** Raw counts as coordinates (document, term id, count). */
interface Counts {
  rows: number[];
  cols: number[];
  vals: number[];
}

/**
 * Raw counts of `docs` over a growing (`grow`) or fixed vocabulary, columns in id order, as
 * steps: it yields before the first document and after every {@link STEP_DOCUMENTS}
 * documents (or {@link STEP_CHARS} characters), and reports progress every
 * {@link REPORT_EVERY} documents and at the end.
 */
function* countSteps(
  docs: readonly string[], analyze: Analyzer, vocab: Map<string, number>, grow: boolean, binary: boolean,
  onProgress: ((p: Progress) => void) | undefined, what: string,
): FitSteps<Counts> {
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  const counts = new Map<number, number>();
  let stepDocs = 0;
  let stepChars = 0;
  yield; // an already-aborted signal stops here, before any work
  for (let d = 0; d < docs.length; d++) {
    if (d > 0 && d % REPORT_EVERY === 0) onProgress?.({ stage: 'documents', done: d, total: docs.length });
    const doc = docs[d];
    if (typeof doc !== 'string') throw new InvalidArgumentError(`${what}: document ${d} is not a string (${typeof doc})`);
    counts.clear();
    for (const t of analyze(doc)) {
      let id = vocab.get(t);
      if (id === undefined) {
        if (!grow) continue;
        id = vocab.size;
        vocab.set(t, id);
      }
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    for (const [id, c] of counts) {
      rows.push(d);
      cols.push(id);
      vals.push(binary ? 1 : c);
    }
    stepChars += doc.length;
    if (++stepDocs >= STEP_DOCUMENTS || stepChars >= STEP_CHARS) {
      yield;
      stepDocs = 0;
      stepChars = 0;
    }
  }
  onProgress?.({ stage: 'documents', done: docs.length, total: docs.length });
  return { rows, cols, vals };
}

/** Code-point order of strings (Python's `sorted`, which scikit-learn uses for the vocabulary). */
function codePointCompare(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (astral code points) sort after every BMP character in code-point order.
      const sx = x >= 0xd800 && x <= 0xdfff;
      const sy = y >= 0xd800 && y <= 0xdfff;
      if (sx !== sy) return sx ? 1 : -1;
      return x - y;
    }
  }
  return a.length - b.length;
}

function docLimit(value: number, n: number): number {
  return value < 1 ? value * n : value;
}

/** The counting options of both vectorizers, checked by their tables, with the analyzer built. */
class CountSettings {
  readonly analyzerOptions: TokenizeOptions;
  readonly analyze: Analyzer;
  readonly minDf: number;
  readonly maxDf: number | undefined;
  readonly maxFeatures: number | undefined;
  readonly binary: boolean;
  readonly dtype: DType;

  constructor(o: Resolved<typeof COUNT_VECTORIZER_OPTIONS>, what: string) {
    const stop = o.stopWords;
    this.analyzerOptions = {
      lowercase: o.lowercase,
      stripAccents: o.stripAccents,
      tokenPattern: o.tokenPattern,
      // A one-shot iterable (a generator) is read once, here.
      stopWords: stop === undefined || typeof stop === 'string' ? stop : [...stop],
      ngramRange: o.ngramRange,
    };
    this.analyze = createAnalyzer(this.analyzerOptions, what);
    this.minDf = o.minDf;
    this.maxDf = o.maxDf;
    this.maxFeatures = o.maxFeatures;
    this.binary = o.binary;
    this.dtype = o.dtype;
  }

  /**
   * Count, sort the vocabulary, prune by document frequency and maxFeatures (scikit-learn's
   * `_count_vocab`, `_sort_features`, `_limit_features`), as steps: the counting pass's and
   * one after its last progress report.
   */
  *fitCountSteps(docs: readonly string[], onProgress: ((p: Progress) => void) | undefined, what: string): FitSteps<{ X: CsrMatrix; vocabulary: string[]; df: Int32Array }> {
    checkDocuments(docs, what);
    const ids = new Map<string, number>();
    const { rows, cols, vals } = yield* countSteps(docs, this.analyze, ids, true, this.binary, onProgress, what);
    yield;
    const n = docs.length;
    const V = ids.size;
    const terms = [...ids.keys()];
    const df = new Int32Array(V);
    const tf = new Float64Array(V);
    for (let k = 0; k < cols.length; k++) {
      df[cols[k]!] = df[cols[k]!]! + 1;
      tf[cols[k]!] = tf[cols[k]!]! + vals[k]!;
    }
    const high = this.maxDf === undefined ? Infinity : docLimit(this.maxDf, n);
    const low = docLimit(this.minDf, n);
    if (high < low) throw new InvalidArgumentError(`${what}: maxDf corresponds to fewer documents than minDf`);
    // Sorted term order, then the pruning masks in that order.
    const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => codePointCompare(terms[a]!, terms[b]!));
    let kept = order.filter((id) => df[id]! <= high && df[id]! >= low);
    if (this.maxFeatures !== undefined && kept.length > this.maxFeatures) {
      const top = new Set(kept.map((id, pos) => ({ id, pos })).sort((a, b) => tf[b.id]! - tf[a.id]! || a.pos - b.pos).slice(0, this.maxFeatures).map((e) => e.id));
      kept = kept.filter((id) => top.has(id));
    }
    if (kept.length === 0) {
      throw new InvalidArgumentError(
        V === 0 ? `${what}: the documents hold no terms (empty documents, or only stop words)` : `${what}: after pruning, no terms remain; try a lower minDf or a higher maxDf`,
      );
    }
    const newId = new Int32Array(V).fill(-1);
    kept.forEach((id, j) => (newId[id] = j));
    const r: number[] = [];
    const c: number[] = [];
    const v: number[] = [];
    for (let k = 0; k < cols.length; k++) {
      const j = newId[cols[k]!]!;
      if (j < 0) continue;
      r.push(rows[k]!);
      c.push(j);
      v.push(vals[k]!);
    }
    const X = CsrMatrix.fromCoo(r, c, v, n, kept.length, { dtype: this.dtype });
    return { X, vocabulary: kept.map((id) => terms[id]!), df: Int32Array.from(kept, (id) => df[id]!) };
  }
}

function analyzerFromJSON(a: VectorizerJSON['analyzer']): TokenizeOptions {
  return {
    lowercase: a.lowercase,
    stripAccents: a.stripAccents ?? undefined,
    tokenPattern: a.tokenPattern === null ? undefined : new RegExp(a.tokenPattern.source, a.tokenPattern.flags),
    stopWords: a.stopWords ?? undefined,
    ngramRange: a.ngramRange,
  };
}

function checkJSON(json: unknown, kind: VectorizerJSON['kind']): VectorizerJSON {
  const j = json as Partial<VectorizerJSON> | null;
  if (j === null || typeof j !== 'object' || j.kind !== kind || j.version !== 1 || !Array.isArray(j.vocabulary) || !Array.isArray(j.documentFrequency) || typeof j.analyzer !== 'object') {
    throw new InvalidArgumentError(`${kind}.fromJSON: not a ${kind} JSON object (version 1)`);
  }
  if (j.documentFrequency.length !== j.vocabulary.length) throw new InvalidArgumentError(`${kind}.fromJSON: vocabulary and documentFrequency lengths differ`);
  // The settings a model records are re-checked with the estimators' own rules.
  const owner = `${kind}.fromJSON`;
  checkOption(owner, 'binary', COUNT_VECTORIZER_OPTIONS.binary.rule, j.binary);
  checkOption(owner, 'dtype', COUNT_VECTORIZER_OPTIONS.dtype.rule, j.dtype);
  resolveOptions(owner, TOKENIZE_OPTIONS, analyzerFromJSON(j.analyzer as VectorizerJSON['analyzer']));
  return j as VectorizerJSON;
}

/**
 * A fitted {@link CountVectorizer}: the vocabulary (columns of every matrix it produces, in
 * scikit-learn's sorted order) and the analyzer, to count new documents.
 */
export class CountVectorizerModel {
  /** Term of each column, sorted (scikit-learn's `get_feature_names_out()`). */
  readonly vocabulary: readonly string[];
  /** Number of training documents containing each term. */
  readonly documentFrequency: Int32Array;
  /** Number of training documents. */
  readonly documents: number;
  /** Count 1 per present term instead of the number of occurrences. */
  readonly binary: boolean;
  /** Element type of the matrices produced. */
  readonly dtype: DType;
  /** The analyzer's options (for {@link toJSON}). */
  readonly analyzerOptions: Readonly<TokenizeOptions>;
  /** Splits a document into terms, as at fit time. */
  readonly analyze: Analyzer;
  readonly #index: Map<string, number>;

  /** @internal Built by {@link CountVectorizer.fit} or {@link CountVectorizerModel.fromJSON}. */
  constructor(vocabulary: readonly string[], documentFrequency: Int32Array, documents: number, binary: boolean, dtype: DType, analyzerOptions: TokenizeOptions) {
    this.vocabulary = Object.freeze([...vocabulary]);
    this.documentFrequency = documentFrequency;
    this.documents = documents;
    this.binary = binary;
    this.dtype = dtype;
    this.analyzerOptions = Object.freeze({ ...analyzerOptions });
    this.analyze = createAnalyzer(analyzerOptions);
    this.#index = new Map(vocabulary.map((t, j) => [t, j]));
  }

  /** Column of `term`, or -1 when it is not in the vocabulary. */
  termIndex(term: string): number {
    return this.#index.get(term) ?? -1;
  }

  /**
   * Raw term counts of `docs` (documents x vocabulary); terms outside the vocabulary are
   * ignored. O(total length). `signal` is checked every few dozen documents.
   * @throws InvalidArgumentError for a document that is not a string; AbortedError when `signal` aborts.
   */
  counts(docs: readonly string[], options: VectorizerFitOptions = {}): CsrMatrix {
    checkDocuments(docs, 'transform');
    const { rows, cols, vals } = runSteps(countSteps(docs, this.analyze, this.#index, false, this.binary, options.onProgress, 'transform'), options.signal, 'transform');
    return CsrMatrix.fromCoo(rows, cols, vals, docs.length, this.vocabulary.length, { dtype: this.dtype });
  }

  /** The documents x terms count matrix of `docs` (scikit-learn's `transform`). */
  transform(docs: readonly string[], options: VectorizerFitOptions = {}): CsrMatrix {
    return this.counts(docs, options);
  }

  /** Plain-JSON form; {@link CountVectorizerModel.fromJSON} restores it. */
  toJSON(): VectorizerJSON {
    return this.baseJSON('CountVectorizerModel');
  }

  /** The JSON fields every vectorizer model shares (analyzer options, vocabulary), tagged `kind`. */
  protected baseJSON(kind: VectorizerJSON['kind']): VectorizerJSON {
    const a = this.analyzerOptions;
    const stop = a.stopWords;
    return {
      kind,
      version: 1,
      analyzer: {
        lowercase: a.lowercase ?? true,
        stripAccents: a.stripAccents ?? null,
        tokenPattern: a.tokenPattern ? { source: a.tokenPattern.source, flags: a.tokenPattern.flags } : null,
        stopWords: stop === undefined ? null : stop === 'english' ? 'english' : [...stop],
        ngramRange: [a.ngramRange?.[0] ?? 1, a.ngramRange?.[1] ?? 1],
      },
      binary: this.binary,
      dtype: this.dtype,
      vocabulary: [...this.vocabulary],
      documentFrequency: Array.from(this.documentFrequency),
      documents: this.documents,
    };
  }

  /** Restore a model saved with {@link CountVectorizerModel.toJSON}. @throws InvalidArgumentError for anything else. */
  static fromJSON(json: unknown): CountVectorizerModel {
    const j = checkJSON(json, 'CountVectorizerModel');
    return new CountVectorizerModel(j.vocabulary, Int32Array.from(j.documentFrequency), j.documents, j.binary, j.dtype, analyzerFromJSON(j.analyzer));
  }
}

/**
 * Term counts of documents (scikit-learn's `CountVectorizer`): options are checked here,
 * {@link CountVectorizer.fit} learns the vocabulary.
 * @example
 * const { model, transformed: X } = new CountVectorizer({ stopWords: 'english', minDf: 2 }).fitTransform(docs);
 * X.shape;                 // [docs.length, model.vocabulary.length]
 * model.transform(['new text']);
 */
export class CountVectorizer {
  /** The checked options with the defaults filled in (frozen). */
  readonly options: Readonly<CountVectorizerOptions>;
  readonly #settings: CountSettings;

  /**
   * Check the options against CountVectorizer's table (the analyzer's and the counting
   * options) and store them.
   * @throws InvalidArgumentError naming the bad option (or an unknown one).
   */
  constructor(options: CountVectorizerOptions = {}) {
    const o = resolveOptions('CountVectorizer', COUNT_VECTORIZER_OPTIONS, options);
    this.#settings = new CountSettings(o, 'CountVectorizer');
    this.options = o;
  }

  /**
   * Learn the vocabulary of `docs`. O(total length + nnz log nnz).
   * @throws InvalidArgumentError when no term remains or a document is not a string;
   *   AbortedError when `signal` aborts (checked every few dozen documents).
   */
  fit(docs: readonly string[], options: VectorizerFitOptions = {}): CountVectorizerModel {
    return this.fitTransform(docs, options).model;
  }

  /**
   * {@link CountVectorizer.fit} with turns of the event loop during the pass over the text
   * (see runStepsAsync in fit-async.ts): the same model and the same progress reports,
   * abortable by a timer or a button within a few dozen documents. Sorting and pruning the
   * vocabulary after the pass run as one block.
   * @throws (rejects with) the errors of {@link CountVectorizer.fit}.
   */
  async fitAsync(docs: readonly string[], options: VectorizerFitOptions = {}): Promise<CountVectorizerModel> {
    return (await runStepsAsync(this.steps(docs, options), options.signal, 'CountVectorizer.fitAsync')).model;
  }

  /**
   * Learn the vocabulary and return the training count matrix too (one pass over the text):
   * `{ model, transformed }` (`X` is kept as a deprecated alias of `transformed`).
   * @throws the errors of {@link CountVectorizer.fit}.
   */
  fitTransform(docs: readonly string[], options: VectorizerFitOptions = {}): VectorizerFitTransform<CountVectorizerModel> {
    return runSteps(this.steps(docs, options), options.signal, 'CountVectorizer.fit');
  }

  /**
   * The fit as steps (every few dozen documents) for {@link CountVectorizer.fit},
   * {@link CountVectorizer.fitAsync} and {@link CountVectorizer.fitTransform}.
   * @internal
   */
  *steps(docs: readonly string[], options: VectorizerFitOptions): FitSteps<VectorizerFitTransform<CountVectorizerModel>> {
    const s = this.#settings;
    const { X, vocabulary, df } = yield* s.fitCountSteps(docs, options.onProgress, 'CountVectorizer.fit');
    return { model: new CountVectorizerModel(vocabulary, df, docs.length, s.binary, s.dtype, s.analyzerOptions), transformed: X, X };
  }
}

/** idf of each term from document frequencies (scikit-learn's `TfidfTransformer.fit`). */
export function inverseDocumentFrequency(df: ArrayLike<number>, documents: number, smooth = true): Float64Array {
  const idf = new Float64Array(df.length);
  const n = documents + (smooth ? 1 : 0);
  for (let j = 0; j < df.length; j++) idf[j] = Math.log(n / (df[j]! + (smooth ? 1 : 0))) + 1;
  return idf;
}

/**
 * Apply scikit-learn's `TfidfTransformer.transform` to a count matrix: sublinear tf,
 * multiply column j by idf[j], normalize rows. Returns a new matrix (the input is unchanged).
 */
export function tfidfWeight(counts: CsrMatrix, idf: Float64Array | undefined, norm: TfidfNorm, sublinearTf: boolean): CsrMatrix {
  const { indptr, indices, data, rows } = counts;
  const out = allocFloat(counts.dtype, data.length);
  for (let i = 0; i < rows; i++) {
    const p0 = indptr[i]!;
    const p1 = indptr[i + 1]!;
    let s = 0;
    for (let p = p0; p < p1; p++) {
      let v = data[p]!;
      if (sublinearTf && v !== 0) v = Math.log(v) + 1;
      if (idf !== undefined) v *= idf[indices[p]!]!;
      out[p] = v;
      s += norm === 'l2' ? v * v : Math.abs(v);
    }
    if (norm === 'none' || s === 0) continue;
    const scale = norm === 'l2' ? 1 / Math.sqrt(s) : 1 / s;
    for (let p = p0; p < p1; p++) out[p] = out[p]! * scale;
  }
  return new CsrMatrix(indptr, indices, out, rows, counts.cols);
}

/**
 * A fitted {@link TfidfVectorizer}: vocabulary, idf weights and the analyzer.
 * `transform(docs)` gives the documents x terms TF-IDF matrix of new documents.
 */
export class TfidfVectorizerModel extends CountVectorizerModel {
  /** idf weight of each term (scikit-learn's `idf_`); all ones when `useIdf` is false. */
  readonly idf: Float64Array;
  /** Row normalization applied to the output: 'l2', 'l1' or 'none'. */
  readonly norm: TfidfNorm;
  /** Whether terms are weighted by `idf`. */
  readonly useIdf: boolean;
  /** Whether `idf` was computed with smoothing (ln((1 + n) / (1 + df)) + 1). */
  readonly smoothIdf: boolean;
  /** Whether tf = 1 + ln(count) instead of the raw count. */
  readonly sublinearTf: boolean;

  /** @internal Built by {@link TfidfVectorizer.fit} or {@link TfidfVectorizerModel.fromJSON}. */
  constructor(
    count: CountVectorizerModel,
    weighting: { norm: TfidfNorm; useIdf: boolean; smoothIdf: boolean; sublinearTf: boolean; idf?: Float64Array },
  ) {
    super(count.vocabulary, count.documentFrequency, count.documents, count.binary, count.dtype, count.analyzerOptions);
    this.norm = weighting.norm;
    this.useIdf = weighting.useIdf;
    this.smoothIdf = weighting.smoothIdf;
    this.sublinearTf = weighting.sublinearTf;
    this.idf = weighting.idf ?? (weighting.useIdf ? inverseDocumentFrequency(count.documentFrequency, count.documents, weighting.smoothIdf) : new Float64Array(count.vocabulary.length).fill(1));
  }

  /** TF-IDF weights of a count matrix over this vocabulary (documents x terms). */
  weigh(counts: CsrMatrix): CsrMatrix {
    if (counts.cols !== this.vocabulary.length) throw new InvalidArgumentError(`weigh: the count matrix has ${counts.cols} columns, the vocabulary ${this.vocabulary.length} terms`);
    return tfidfWeight(counts, this.useIdf ? this.idf : undefined, this.norm, this.sublinearTf);
  }

  /** The documents x terms TF-IDF matrix of `docs` (scikit-learn's `transform`); unknown terms are ignored. */
  override transform(docs: readonly string[], options: VectorizerFitOptions = {}): CsrMatrix {
    return this.weigh(this.counts(docs, options));
  }

  override toJSON(): VectorizerJSON {
    return {
      ...this.baseJSON('TfidfVectorizerModel'),
      tfidf: { norm: this.norm, useIdf: this.useIdf, smoothIdf: this.smoothIdf, sublinearTf: this.sublinearTf, idf: Array.from(this.idf) },
    };
  }

  /** Restore a model saved with {@link TfidfVectorizerModel.toJSON}. @throws InvalidArgumentError for anything else. */
  static override fromJSON(json: unknown): TfidfVectorizerModel {
    const j = checkJSON(json, 'TfidfVectorizerModel');
    const t = j.tfidf;
    if (t === undefined || !Array.isArray(t.idf) || t.idf.length !== j.vocabulary.length) throw new InvalidArgumentError('TfidfVectorizerModel.fromJSON: missing or bad tfidf weights');
    const w = resolveOptions('TfidfVectorizerModel.fromJSON', TFIDF_OWN_OPTIONS, { norm: t.norm, useIdf: t.useIdf, smoothIdf: t.smoothIdf, sublinearTf: t.sublinearTf });
    const count = new CountVectorizerModel(j.vocabulary, Int32Array.from(j.documentFrequency), j.documents, j.binary, j.dtype, analyzerFromJSON(j.analyzer));
    return new TfidfVectorizerModel(count, { ...w, idf: Float64Array.from(t.idf) });
  }
}

/**
 * TF-IDF weighted term-document matrices (scikit-learn's `TfidfVectorizer`, same defaults:
 * lowercase, token pattern `(?u)\b\w\w+\b`, no stop words, l2 norm, smooth idf).
 * @example
 * const { model, transformed: X } = new TfidfVectorizer({ stopWords: 'english', minDf: 2, maxDf: 0.5, sublinearTf: true }).fitTransform(docs);
 * const Q = model.transform(['tax cuts for families']); // 1 x vocabulary, unit norm
 */
export class TfidfVectorizer {
  /** The checked options with the defaults filled in (frozen). */
  readonly options: Readonly<TfidfVectorizerOptions>;
  readonly #settings: CountSettings;
  readonly #weighting: Resolved<typeof TFIDF_OWN_OPTIONS>;

  /**
   * Check the options against TfidfVectorizer's table (the analyzer's, the counting and the
   * weighting options) and store them.
   * @throws InvalidArgumentError naming the bad option (or an unknown one).
   */
  constructor(options: TfidfVectorizerOptions = {}) {
    const o = resolveOptions('TfidfVectorizer', TFIDF_VECTORIZER_OPTIONS, options);
    this.#settings = new CountSettings(o, 'TfidfVectorizer');
    this.#weighting = o;
    this.options = o;
  }

  /**
   * Learn vocabulary and idf from `docs`.
   * @throws InvalidArgumentError when no term remains or a document is not a string;
   *   AbortedError when `signal` aborts (checked every few dozen documents).
   */
  fit(docs: readonly string[], options: VectorizerFitOptions = {}): TfidfVectorizerModel {
    return this.fitTransform(docs, options).model;
  }

  /**
   * {@link TfidfVectorizer.fit} with turns of the event loop during the pass over the text
   * (see runStepsAsync in fit-async.ts): the same model and the same progress reports,
   * abortable by a timer or a button within a few dozen documents. Sorting and pruning the
   * vocabulary and weighting the matrix after the pass run as one block.
   * @throws (rejects with) the errors of {@link TfidfVectorizer.fit}.
   */
  async fitAsync(docs: readonly string[], options: VectorizerFitOptions = {}): Promise<TfidfVectorizerModel> {
    return (await runStepsAsync(this.steps(docs, options), options.signal, 'TfidfVectorizer.fitAsync')).model;
  }

  /**
   * Learn vocabulary and idf, and return the training TF-IDF matrix (documents x terms) too:
   * `{ model, transformed }` (`X` is kept as a deprecated alias of `transformed`).
   * @throws the errors of {@link TfidfVectorizer.fit}.
   */
  fitTransform(docs: readonly string[], options: VectorizerFitOptions = {}): VectorizerFitTransform<TfidfVectorizerModel> {
    return runSteps(this.steps(docs, options), options.signal, 'TfidfVectorizer.fit');
  }

  /**
   * The fit as steps (every few dozen documents) for {@link TfidfVectorizer.fit},
   * {@link TfidfVectorizer.fitAsync}, {@link TfidfVectorizer.fitTransform} and the
   * estimators that vectorize inside their own steps (LSA, NMFTopics).
   * @internal
   */
  *steps(docs: readonly string[], options: VectorizerFitOptions): FitSteps<VectorizerFitTransform<TfidfVectorizerModel>> {
    const s = this.#settings;
    const { X: counts, vocabulary, df } = yield* s.fitCountSteps(docs, options.onProgress, 'TfidfVectorizer.fit');
    const count = new CountVectorizerModel(vocabulary, df, docs.length, s.binary, s.dtype, s.analyzerOptions);
    const o = this.#weighting;
    const model = new TfidfVectorizerModel(count, { norm: o.norm, useIdf: o.useIdf, smoothIdf: o.smoothIdf, sublinearTf: o.sublinearTf });
    const X = model.weigh(counts);
    return { model, transformed: X, X };
  }
}
