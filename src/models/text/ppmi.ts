/**
 * Word embeddings from the SVD of a shifted positive PMI matrix, with the hyperparameters of
 * Levy, Goldberg & Dagan (2015), "Improving distributional similarity with lessons learned
 * from word embeddings", TACL 3 (their `hyperwords` recipe), after Levy & Goldberg (2014),
 * "Neural word embedding as implicit matrix factorization" (NIPS), which shows SGNS with k
 * negative samples factors the PMI matrix shifted by log k.
 *
 * 1. Count word-context pairs within `window` tokens on either side, inside each document
 *    (line); removed rare words keep their positions (they are not squeezed out). With
 *    `dynamicWindow`, a context d tokens away counts (window - d + 1) / window: the
 *    expectation of word2vec's sampled window size.
 * 2. PMI(w, c) = ln( #(w,c) / (#(w) P_alpha(c)) ), with #(w) = sum_c #(w,c) and the
 *    context distribution smoothed: P_alpha(c) = #(c)^alpha / sum_c' #(c')^alpha (`cdsAlpha`,
 *    0.75 as word2vec's negative sampling). SPPMI = max(PMI - ln k, 0) (`shift` k).
 *    Computed on the stored pairs only: unseen pairs have PMI = -inf, so 0 after max.
 * 3. Truncated SVD SPPMI ≈ U Σ V^T of the sparse matrix (Lanczos); word vectors W = U Σ^p
 *    (eigenvalue weighting p = `eigenPower`, 0.5 by default: LGD 2015 §3.3 found the
 *    symmetric variants p = 0 or 0.5 better than p = 1), optionally + V Σ^p
 *    (`addContexts`, LGD's "w + c").
 *
 * Similarities are cosines (vectors are compared after normalising to unit length).
 * Analogies a : b :: c : ? by 3CosAdd (Mikolov et al. 2013) or 3CosMul (Levy & Goldberg
 * 2014, "Linguistic regularities in sparse and explicit word representations", CoNLL).
 */
import { InvalidArgumentError, check } from '../../errors.js';
import { truncatedSvdSteps, type TruncatedSvdMethod } from '../../lowrank/truncated-svd.js';
import { Matrix } from '../../matrix/matrix.js';
import { bool, int, maybe, nested, num, oneOf, opt, resolveOptions, tableFor, TRUNCATED_SVD_METHODS } from '../../options.js';
import { runSteps, runStepsAsync, type FitSteps } from '../../fit-async.js';
import type { LongTaskOptions } from '../../progress.js';
import { CsrMatrix } from '../../sparse/csr.js';
import { createAnalyzer, type TokenizeOptions } from './tokenize.js';

/** Options of {@link ppmiMatrix}. Unknown keys are an error. */
export interface PPMIMatrixOptions {
  /** Shift k > 0: SPPMI = max(PMI - ln k, 0); default 1 (no shift). */
  shift?: number;
  /** Context-distribution smoothing exponent alpha in (0, 1]; default 0.75 (1 = plain PMI). */
  cdsAlpha?: number;
}

/** The rules and defaults of {@link PPMIMatrixOptions}, spread into ppmiEmbeddings' table. */
const PPMI_MATRIX_OPTIONS = tableFor<PPMIMatrixOptions>()({
  shift: opt(num(0, Infinity, 'low'), 1),
  cdsAlpha: opt(num(0, 1, 'low'), 0.75),
});

/**
 * Options of {@link ppmiEmbeddings} and {@link ppmiEmbeddingsAsync}: its own, the PPMI
 * matrix's ({@link PPMIMatrixOptions}), and progress and cancellation. Unknown keys are an error.
 */
export interface PPMIEmbeddingOptions extends PPMIMatrixOptions, LongTaskOptions {
  /** Dimension of the word vectors (rank of the truncated SVD), >= 1; default 100 (at most the vocabulary size). */
  dim?: number;
  /** Context window: tokens on each side, >= 1; default 2 (LGD 2015 found small windows best for similarity). */
  window?: number;
  /** Uniform counts (default false) or word2vec's distance weighting (window - d + 1) / window. */
  dynamicWindow?: boolean;
  /** Words seen fewer times are dropped (keeping their positions), >= 1; default 5. */
  minCount?: number;
  /** Eigenvalue weighting p: vectors U Σ^p; default 0.5. */
  eigenPower?: number;
  /** Add context vectors V Σ^p to the word vectors ("w + c"); default false. */
  addContexts?: boolean;
  /** Tokenizer of string documents; default lowercase words of 2+ characters, no stop words. */
  tokenize?: TokenizeOptions;
  /**
   * Truncated SVD solver; default 'randomized' (Halko et al.; measured 4x faster than
   * Lanczos at dim 100 on a 2,800-word vocabulary with the same neighbours: embeddings do
   * not need singular vectors to a tight tolerance). 'lanczos' / 'auto' for tolerance-level accuracy.
   */
  method?: TruncatedSvdMethod;
  /** Seed of the SVD's random start; default 0. */
  seed?: number;
  /** Lower `dim` to the vocabulary size when it is larger, instead of throwing; default false. */
  clampDim?: boolean;
}

/** The table of ppmiEmbeddings: every option but progress and cancellation, which are not checked here. */
const PPMI_EMBEDDING_OPTIONS = tableFor<Omit<PPMIEmbeddingOptions, keyof LongTaskOptions>>()({
  dim: opt(int(1), 100),
  window: opt(int(1), 2),
  dynamicWindow: opt(bool, false),
  minCount: opt(int(1), 5),
  eigenPower: opt(num(), 0.5),
  addContexts: opt(bool, false),
  tokenize: maybe(nested<TokenizeOptions>('an object of tokenizer options')),
  method: opt(oneOf(TRUNCATED_SVD_METHODS), 'randomized'),
  seed: opt(num(), 0),
  clampDim: opt(bool, false),
  ...PPMI_MATRIX_OPTIONS,
});

/** A word and a score (cosine similarity, or the 3CosAdd / 3CosMul objective). */
export interface WordScore {
  /** The word. */
  readonly word: string;
  /** Its score; higher is better. */
  readonly score: number;
}

/** The analogy objectives: 3CosAdd and 3CosMul. */
export const ANALOGY_METHODS = ['add', 'mul'] as const;

/** Options of {@link WordEmbeddings.analogy}. Unknown keys are an error. */
export interface AnalogyOptions {
  /** Number of answers, >= 1; default 5. */
  n?: number;
  /** 'add' (3CosAdd, default) or 'mul' (3CosMul). */
  method?: (typeof ANALOGY_METHODS)[number];
}

const ANALOGY_OPTIONS = tableFor<AnalogyOptions>()({
  n: opt(int(1), 5),
  method: opt(oneOf(ANALOGY_METHODS), 'add'),
});

/** JSON form of {@link WordEmbeddings} (vocabulary, counts and vectors). */
export interface WordEmbeddingsJSON {
  /** Always 'WordEmbeddings'. */
  type: 'WordEmbeddings';
  /** Format version; always 1. */
  version: 1;
  /** Words, one per row of `vectors`. */
  vocabulary: string[];
  /** Corpus count of each word. */
  counts: number[];
  /** Singular values of the SPPMI matrix kept (length dim). */
  singularValues: number[];
  /** One row per word. */
  vectors: number[][];
}

/** Growable COO buffer that sums duplicates by compacting into CSR when full. */
class PairCounts {
  rows = new Int32Array(1 << 16);
  cols = new Int32Array(1 << 16);
  vals = new Float64Array(1 << 16);
  length = 0;

  constructor(readonly n: number) {}

  add(w: number, c: number, v: number): void {
    if (this.length === this.rows.length) this.compact();
    this.rows[this.length] = w;
    this.cols[this.length] = c;
    this.vals[this.length] = v;
    this.length++;
  }

  /** Sum duplicates in place; grow when that does not free at least half the buffer. */
  compact(): void {
    const csr = this.toCsr();
    const { row, col, val } = csr.toCoo();
    const nnz = val.length;
    if (nnz > this.rows.length / 2) {
      const cap = this.rows.length * 2;
      this.rows = new Int32Array(cap);
      this.cols = new Int32Array(cap);
      this.vals = new Float64Array(cap);
    }
    this.rows.set(row);
    this.cols.set(col);
    this.vals.set(val);
    this.length = nnz;
  }

  toCsr(): CsrMatrix {
    const k = this.length;
    return CsrMatrix.fromCoo(this.rows.subarray(0, k), this.cols.subarray(0, k), this.vals.subarray(0, k), this.n, this.n);
  }
}

/**
 * The (shifted, smoothed) positive PMI matrix of a word-context count matrix (see the
 * module comment, step 2), on its stored entries; entries that are not positive are
 * dropped. O(nnz).
 * @param counts - words x contexts co-occurrence counts (canonical CSR, entries >= 0).
 */
export function ppmiMatrix(counts: CsrMatrix, options: PPMIMatrixOptions = {}): CsrMatrix {
  const { shift, cdsAlpha } = resolveOptions('ppmiMatrix', PPMI_MATRIX_OPTIONS, options);
  const rowSum = counts.rowSums();
  const colSum = counts.colSums();
  let z = 0;
  for (let c = 0; c < colSum.length; c++) if (colSum[c]! > 0) z += Math.pow(colSum[c]!, cdsAlpha);
  const logShift = Math.log(shift);
  const { indptr, indices, data } = counts;
  const outPtr = new Int32Array(counts.rows + 1);
  const outIdx: number[] = [];
  const outVal: number[] = [];
  for (let w = 0; w < counts.rows; w++) {
    for (let p = indptr[w]!; p < indptr[w + 1]!; p++) {
      const n = data[p]!;
      if (!(n > 0)) continue;
      const c = indices[p]!;
      const pmi = Math.log(n) - Math.log(rowSum[w]!) - (cdsAlpha * Math.log(colSum[c]!) - Math.log(z)) - logShift;
      if (pmi > 0) {
        outIdx.push(c);
        outVal.push(pmi);
      }
    }
    outPtr[w + 1] = outIdx.length;
  }
  return new CsrMatrix(outPtr, Int32Array.from(outIdx), Float64Array.from(outVal), counts.rows, counts.cols);
}

/**
 * Documents per step of the counting passes: the drivers check the signal (and the async
 * form gives the event loop a turn) between steps; a step also ends once its documents hold
 * {@link STEP_TOKENS} tokens, so a few very long documents are not one block.
 */
const STEP_DOCUMENTS = 64;
/** Tokens per step of the counting passes (see {@link STEP_DOCUMENTS}). */
const STEP_TOKENS = 1 << 14;
/** Documents between progress reports of the tokenizing pass. */
const REPORT_EVERY = 1000;

/**
 * Word embeddings by SVD of the shifted positive PMI matrix (see the module comment).
 *
 * @param corpus - documents (strings, tokenized with `tokenize`; one line or paragraph each:
 *   windows never cross documents) or already-tokenized documents (arrays of words).
 * @returns {@link WordEmbeddings}: vocabulary (by decreasing count), vectors, the SPPMI matrix.
 * Cost: O(tokens window) to count, O(nnz) for PPMI, then a Lanczos SVD of O(nnz) per product.
 * @throws InvalidArgumentError for a bad option, an empty vocabulary after `minCount`, dim
 *   above the vocabulary size, or no positive PMI entry; AbortedError when `signal` aborts
 *   (checked every few dozen documents and at every step of the SVD).
 * @example
 * const emb = ppmiEmbeddings(lines, { dim: 100, window: 2, minCount: 5 });
 * emb.nearest('economy', 5);
 * emb.analogy('man', 'king', 'woman');   // [{ word: 'queen', score }] on a large corpus
 */
export function ppmiEmbeddings(corpus: readonly string[] | readonly (readonly string[])[], options: PPMIEmbeddingOptions = {}): WordEmbeddings {
  return runSteps(ppmiSteps(corpus, options), signalOf(options), 'ppmiEmbeddings');
}

/**
 * {@link ppmiEmbeddings} with turns of the event loop between its steps (see runStepsAsync
 * in fit-async.ts): the same embeddings bit for bit and the same progress reports, and a
 * timer or a button can abort it within a few dozen documents of the counting passes or one
 * step of the SVD. Building the PPMI matrix from the counts runs as one block (O(nnz)).
 * @throws (rejects with) the errors of {@link ppmiEmbeddings}.
 * @example
 * const emb = await ppmiEmbeddingsAsync(lines, { dim: 100, signal: AbortSignal.timeout(60_000), onProgress });
 */
export function ppmiEmbeddingsAsync(corpus: readonly string[] | readonly (readonly string[])[], options: PPMIEmbeddingOptions = {}): Promise<WordEmbeddings> {
  return runStepsAsync(ppmiSteps(corpus, options), signalOf(options), 'ppmiEmbeddingsAsync');
}

function signalOf(options: PPMIEmbeddingOptions): AbortSignal | undefined {
  return typeof options === 'object' && options !== null ? options.signal : undefined;
}

// The work of ppmiEmbeddings and ppmiEmbeddingsAsync: yields before any work, every few
// dozen documents of both counting passes, before the SVD and at each of its steps.
function* ppmiSteps(corpus: readonly string[] | readonly (readonly string[])[], options: PPMIEmbeddingOptions): FitSteps<WordEmbeddings> {
  // Progress and cancellation are LongTaskOptions; everything else goes through the table.
  const { onProgress, signal, ...rest } = typeof options === 'object' && options !== null ? options : ({} as PPMIEmbeddingOptions);
  const {
    dim: dimOption, clampDim, window, dynamicWindow, minCount, shift, cdsAlpha, eigenPower, addContexts, tokenize, method, seed,
  } = resolveOptions('ppmiEmbeddings', PPMI_EMBEDDING_OPTIONS, typeof options === 'object' && options !== null ? rest : options);
  check(Array.isArray(corpus), () => 'ppmiEmbeddings: the corpus must be an array of documents (strings or arrays of words)');
  const analyze = createAnalyzer(tokenize ?? {}, 'ppmiEmbeddings: tokenize');
  yield;

  // 1. Tokens and word counts.
  const docs: (readonly string[])[] = [];
  const freq = new Map<string, number>();
  let stepDocs = 0;
  let stepTokens = 0;
  for (let d = 0; d < corpus.length; d++) {
    const doc = corpus[d];
    let tokens: readonly string[];
    if (typeof doc === 'string') tokens = analyze(doc);
    else if (Array.isArray(doc) && doc.every((t) => typeof t === 'string')) tokens = doc;
    else throw new InvalidArgumentError(`ppmiEmbeddings: document ${d} must be a string or an array of strings`);
    docs.push(tokens);
    for (const t of tokens) freq.set(t, (freq.get(t) ?? 0) + 1);
    if (d % REPORT_EVERY === REPORT_EVERY - 1) onProgress?.({ stage: 'documents', done: d + 1, total: corpus.length });
    stepTokens += tokens.length;
    if (++stepDocs >= STEP_DOCUMENTS || stepTokens >= STEP_TOKENS) {
      yield;
      stepDocs = 0;
      stepTokens = 0;
    }
  }
  yield;
  const vocabulary = [...freq.entries()].filter(([, c]) => c >= minCount).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([w]) => w);
  const V = vocabulary.length;
  if (V === 0) throw new InvalidArgumentError(`ppmiEmbeddings: no word occurs at least minCount = ${minCount} times; lower minCount or give a larger corpus`);
  const dim = clampDim ? Math.min(dimOption, V) : dimOption;
  if (dim > V) throw new InvalidArgumentError(`ppmiEmbeddings: dim = ${dim} exceeds the vocabulary size ${V}; lower dim (or minCount)`);
  const index = new Map(vocabulary.map((w, i) => [w, i]));
  yield;

  // 2. Symmetric window co-occurrence counts.
  const pairs = new PairCounts(V);
  stepDocs = 0;
  stepTokens = 0;
  for (let d = 0; d < docs.length; d++) {
    const ids = docs[d]!.map((t) => index.get(t) ?? -1);
    for (let i = 0; i < ids.length; i++) {
      const w = ids[i]!;
      if (w < 0) continue;
      for (let dist = 1; dist <= window && i + dist < ids.length; dist++) {
        const c = ids[i + dist]!;
        if (c < 0) continue;
        const weight = dynamicWindow ? (window - dist + 1) / window : 1;
        pairs.add(w, c, weight);
        pairs.add(c, w, weight);
      }
    }
    stepTokens += ids.length * window;
    if (++stepDocs >= STEP_DOCUMENTS || stepTokens >= STEP_TOKENS) {
      yield;
      stepDocs = 0;
      stepTokens = 0;
    }
  }
  yield;
  const counts = pairs.toCsr();
  const ppmi = ppmiMatrix(counts, { shift, cdsAlpha });
  if (ppmi.nnz === 0) throw new InvalidArgumentError('ppmiEmbeddings: no word-context pair has a positive (shifted) PMI; lower shift or give a larger corpus');
  yield;

  // 3. Truncated SVD and eigenvalue weighting.
  const f = yield* truncatedSvdSteps(ppmi, dim, { method, seed, onProgress, signal });
  const vectors = Matrix.zeros(V, dim);
  for (let j = 0; j < dim; j++) {
    const sp = f.s[j]! > 0 ? Math.pow(f.s[j]!, eigenPower) : 0;
    for (let i = 0; i < V; i++) vectors.set(i, j, f.U.get(i, j) * sp + (addContexts ? f.Vt.get(j, i) * sp : 0));
  }
  const wordCounts = Float64Array.from(vocabulary, (w) => freq.get(w)!);
  return new WordEmbeddings(vocabulary, wordCounts, vectors, Float64Array.from(f.s), ppmi);
}

/**
 * Word vectors with cosine-similarity queries: {@link nearest} neighbours and
 * {@link analogy}. Built by {@link ppmiEmbeddings} (or from any vectors).
 */
export class WordEmbeddings {
  /** Words, one per row of {@link vectors} (by decreasing corpus count from {@link ppmiEmbeddings}). */
  readonly vocabulary: readonly string[];
  /** Corpus count of each word. */
  readonly counts: Float64Array;
  /** Word vectors, one row per word (words x dim). */
  readonly vectors: Matrix;
  /** Singular values of the SPPMI matrix kept (length dim). */
  readonly singularValues: Float64Array;
  /** The shifted positive PMI matrix (words x contexts, sparse); undefined after {@link fromJSON}. */
  readonly ppmi: CsrMatrix | undefined;
  readonly #index: Map<string, number>;
  /** Unit-length rows, row-major (words x dim), for cosines. */
  readonly #unit: Float64Array;

  /**
   * Wrap word vectors (rows of `vectors`, one per word of `vocabulary`).
   * @throws InvalidArgumentError when the sizes disagree or a word repeats.
   */
  constructor(vocabulary: readonly string[], counts: Float64Array, vectors: Matrix, singularValues: Float64Array, ppmi?: CsrMatrix) {
    check(vectors.rows === vocabulary.length && counts.length === vocabulary.length, () => `WordEmbeddings: ${vocabulary.length} words, ${counts.length} counts and ${vectors.rows} vectors must agree`);
    this.vocabulary = Object.freeze([...vocabulary]);
    this.counts = counts;
    this.vectors = vectors;
    this.singularValues = singularValues;
    this.ppmi = ppmi;
    this.#index = new Map(vocabulary.map((w, i) => [w, i]));
    check(this.#index.size === vocabulary.length, () => 'WordEmbeddings: the vocabulary has repeated words');
    const d = vectors.cols;
    const unit = new Float64Array(vocabulary.length * d);
    for (let i = 0; i < vocabulary.length; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += vectors.get(i, j) ** 2;
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let j = 0; j < d; j++) unit[i * d + j] = vectors.get(i, j) * inv;
    }
    this.#unit = unit;
  }

  /** Vector dimension. */
  get dim(): number {
    return this.vectors.cols;
  }

  /** Row of `word`, or -1 when it is not in the vocabulary. */
  indexOf(word: string): number {
    return this.#index.get(word) ?? -1;
  }

  /** True when `word` has a vector. */
  has(word: string): boolean {
    return this.#index.has(word);
  }

  /** The vector of `word` (a copy). @throws InvalidArgumentError for an unknown word. */
  vector(word: string): Float64Array {
    const i = this.#need(word);
    return Float64Array.from({ length: this.dim }, (_, j) => this.vectors.get(i, j));
  }

  #need(word: string): number {
    const i = this.#index.get(word);
    if (i === undefined) throw new InvalidArgumentError(`'${word}' is not in the vocabulary (${this.vocabulary.length} words)`);
    return i;
  }

  /** Cosines of every word with the unit vector q (length dim). */
  #cosines(q: Float64Array): Float64Array {
    const d = this.dim;
    const V = this.vocabulary.length;
    const out = new Float64Array(V);
    const u = this.#unit;
    for (let i = 0; i < V; i++) {
      let s = 0;
      const o = i * d;
      for (let j = 0; j < d; j++) s += u[o + j]! * q[j]!;
      out[i] = s;
    }
    return out;
  }

  #unitRow(i: number): Float64Array {
    return this.#unit.subarray(i * this.dim, (i + 1) * this.dim);
  }

  /** Cosine similarity of two words. @throws InvalidArgumentError for an unknown word. */
  similarity(a: string, b: string): number {
    const x = this.#unitRow(this.#need(a));
    const y = this.#unitRow(this.#need(b));
    let s = 0;
    for (let j = 0; j < x.length; j++) s += x[j]! * y[j]!;
    return s;
  }

  /**
   * The `n` words closest to `word` by cosine (default 10), the word itself excluded. O(words dim).
   * @throws InvalidArgumentError for an unknown word.
   */
  nearest(word: string, n = 10): WordScore[] {
    check(Number.isInteger(n) && n >= 1, () => `nearest: n must be an integer >= 1, got ${n}`);
    const i = this.#need(word);
    return this.#best(this.#cosines(this.#unitRow(i)), n, new Set([i]));
  }

  /**
   * Analogy a : b :: c : ? (e.g. man : king :: woman : queen) among the words other than
   * a, b and c. 3CosAdd: argmax_x cos(x, b) - cos(x, a) + cos(x, c). 3CosMul: argmax_x
   * cos'(x, b) cos'(x, c) / (cos'(x, a) + 0.001) with cos' = (cos + 1) / 2 (Levy & Goldberg
   * 2014), which balances the three terms better. O(words dim).
   * @throws InvalidArgumentError for an unknown word or a bad option.
   */
  analogy(a: string, b: string, c: string, options: AnalogyOptions = {}): WordScore[] {
    const { n, method } = resolveOptions('analogy', ANALOGY_OPTIONS, options);
    const [ia, ib, ic] = [this.#need(a), this.#need(b), this.#need(c)];
    const ca = this.#cosines(this.#unitRow(ia));
    const cb = this.#cosines(this.#unitRow(ib));
    const cc = this.#cosines(this.#unitRow(ic));
    const score = new Float64Array(ca.length);
    for (let x = 0; x < score.length; x++) {
      score[x] = method === 'add'
        ? cb[x]! - ca[x]! + cc[x]!
        : (((cb[x]! + 1) / 2) * ((cc[x]! + 1) / 2)) / ((ca[x]! + 1) / 2 + 1e-3);
    }
    return this.#best(score, n, new Set([ia, ib, ic]));
  }

  #best(score: Float64Array, n: number, skip: ReadonlySet<number>): WordScore[] {
    const order: number[] = [];
    for (let i = 0; i < score.length; i++) if (!skip.has(i)) order.push(i);
    order.sort((x, y) => score[y]! - score[x]! || x - y);
    return order.slice(0, n).map((i) => ({ word: this.vocabulary[i]!, score: score[i]! }));
  }

  /** Plain-JSON form (without the PPMI matrix); {@link WordEmbeddings.fromJSON} restores it. */
  toJSON(): WordEmbeddingsJSON {
    return {
      type: 'WordEmbeddings',
      version: 1,
      vocabulary: [...this.vocabulary],
      counts: Array.from(this.counts),
      singularValues: Array.from(this.singularValues),
      vectors: this.vectors.toArray(),
    };
  }

  /** Restore embeddings saved with {@link WordEmbeddings.toJSON}. @throws InvalidArgumentError for anything else. */
  static fromJSON(json: unknown): WordEmbeddings {
    const j = json as Partial<WordEmbeddingsJSON> | null;
    if (j === null || typeof j !== 'object' || j.type !== 'WordEmbeddings' || j.version !== 1 || !Array.isArray(j.vocabulary) || !Array.isArray(j.vectors) || !Array.isArray(j.counts)) {
      throw new InvalidArgumentError('WordEmbeddings.fromJSON: not a WordEmbeddings JSON object (version 1)');
    }
    const d = j.singularValues?.length ?? 0;
    const vectors = j.vectors.length === 0 ? Matrix.zeros(0, d) : Matrix.from(j.vectors);
    return new WordEmbeddings(j.vocabulary, Float64Array.from(j.counts), vectors, Float64Array.from(j.singularValues ?? []));
  }
}
