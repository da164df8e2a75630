/**
 * Embedding dimensions by truncated SVD: rotate an embedding matrix E (N vectors x n
 * dimensions) by its principal axes, so that the first d coordinates of every rotated vector
 * are the best linear reduction of E to d dimensions (Eckart & Young 1936: the projection
 * on the top-d right singular vectors of the centered E has the least squared error of any
 * rank-d projection). Storing the first d coordinates, for several d from one rotation, is
 * what Matryoshka representation learning (Kusupati et al., NeurIPS 2022) trains a network
 * to allow; for a fixed set of vectors the SVD gives it directly, as "a discrete version of
 * truncating an SVD at varying k".
 *
 * How much retrieval each size keeps is measured as recall@k of exact nearest neighbours by
 * cosine: for each query, the share of its k nearest vectors in the full space that are
 * among the k nearest in the reduced space. Two references are reported:
 * `recall` against the full-dimensional vectors in the same (centered) frame, which is 1 at
 * d = n by construction, so it measures what truncation loses; and `recallRaw` against the
 * original vectors, which also counts what centering changes (cosine is not invariant to
 * a shift; the two agree when `center` is false). Ties are counted as hits (a retrieved
 * vector whose exact cosine reaches the k-th best, as ANN benchmarks count them), so equal
 * vectors do not make recall depend on rounding.
 *
 * The axes come from the SVD of the centered E when N <= 2n or E is small, else from the
 * eigenvectors of the n x n Gram matrix E^T E (N n^2 flops instead of 4 N n^2; directions
 * whose variance is below ~1e-13 of the largest are then not resolved, which changes no
 * neighbour list).
 */
import { InvalidArgumentError, ShapeError } from '../../errors.js';
import { eigh } from '../../linalg/eigh.js';
import { matmul } from '../../linalg/matmul.js';
import { svd } from '../../linalg/svd.js';
import { Matrix } from '../../matrix/matrix.js';
import { bool, int, maybe, opt, required, resolveOptions, satisfies, tableFor } from '../../options.js';
import { checkAborted, type LongTaskOptions } from '../../progress.js';

/** Options of {@link reduceEmbeddings}. */
export interface ReduceEmbeddingsOptions extends LongTaskOptions {
  /** The sizes to reduce to: integers in [1, min(N, n)] (required, at least one). */
  dims: readonly number[];
  /**
   * Queries for the recall figures (m x n). Default: `sampleQueries` rows of E itself
   * (evenly spaced; each query's own row is then left out of its neighbours).
   */
  queries?: Matrix;
  /** Neighbours per query for recall@k, an integer >= 1 (default 10; at most N, or N - 1 without queries). */
  k?: number;
  /** Subtract the mean before rotating (PCA; default true). false: the rotation of E itself, which keeps cosines at d = n. */
  center?: boolean;
  /** Without `queries`: how many rows of E to query with, an integer >= 1 (default 1000; all rows when E has fewer). */
  sampleQueries?: number;
  /** Skip the recall figures (default false). */
  skipRecall?: boolean;
}

const REDUCE_EMBEDDINGS_OPTIONS = tableFor<Omit<ReduceEmbeddingsOptions, keyof LongTaskOptions>>()({
  dims: required(satisfies('a non-empty array of integers >= 1', (v): v is readonly number[] => Array.isArray(v) && v.length > 0 && v.every((d) => Number.isSafeInteger(d) && d >= 1))),
  queries: maybe(satisfies('a Matrix (m x n)', (v): v is Matrix => v instanceof Matrix)),
  k: opt(int(1), 10),
  center: opt(bool, true),
  sampleQueries: opt(int(1), 1000),
  skipRecall: opt(bool, false),
});

/** Recall of one reduced size. */
export interface EmbeddingRecall {
  /** The size d. */
  readonly dims: number;
  /** Mean recall@k against the full-dimensional vectors of the same frame (1 at d = n). */
  readonly recall: number;
  /** Mean recall@k against the original vectors' cosine neighbours. */
  readonly recallRaw: number;
  /** Share of the (centered) energy the first d coordinates keep: sum_{i<=d} s_i^2 / ||E - mean||_F^2. */
  readonly energy: number;
}

/** What {@link reduceEmbeddings} returns. */
export interface EmbeddingReduction {
  /** max(dims) x n: the principal axes, one per row (orthonormal rows), largest variance first. */
  readonly components: Matrix;
  /** The mean subtracted (n values; zeros when `center` is false). */
  readonly mean: Float64Array;
  /** Share of the energy along each component, sum_i s_i^2 = ||E - mean||_F^2. */
  readonly explainedVarianceRatio: Float64Array;
  /** The sizes, ascending, without repeats. */
  readonly dims: readonly number[];
  /** Recall@k for each size (empty with `skipRecall`). */
  readonly recall: readonly EmbeddingRecall[];
  /** k of recall@k. */
  readonly k: number;
  /** Queries used for recall. */
  readonly queryCount: number;
  /** Whether the queries were rows of E. */
  readonly queriesFromData: boolean;
  /** How the axes were computed. */
  readonly method: 'svd' | 'gram';
  /**
   * The first d coordinates of rotated vectors, (X - mean) C_d^T (rows are vectors), float64.
   * @throws ShapeError when X does not have n columns; InvalidArgumentError when d is not in [1, max(dims)].
   */
  reduce(X: Matrix, d: number): Matrix;
}

/** E - mean (or E) as a compact float64 column-major copy, and the mean. */
function centered(E: Matrix, center: boolean): { X: Matrix; mean: Float64Array } {
  const [N, n] = E.shape;
  const X = E.copy({ dtype: 'float64' });
  const mean = new Float64Array(n);
  if (center && N > 0) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < N; i++) s += X.data[i + j * N]!;
      const mu = s / N;
      mean[j] = mu;
      for (let i = 0; i < N; i++) X.data[i + j * N] = X.data[i + j * N]! - mu;
    }
  }
  return { X, mean };
}

/** The top-D right singular vectors of X (D x n rows) and all squared singular values. */
function axes(X: Matrix, D: number): { C: Matrix; s2: Float64Array; method: 'svd' | 'gram' } {
  const [N, n] = X.shape;
  let C: Matrix;
  let s2: Float64Array;
  let method: 'svd' | 'gram';
  if (N <= 2 * n || N * n <= 1 << 20) {
    const f = svd(X);
    C = f.Vt.rowRange(0, D).copy();
    s2 = Float64Array.from(f.s, (v) => v * v);
    method = 'svd';
  } else {
    const G = matmul(X, X, { transA: true });
    const { w, V } = eigh(G);
    C = Matrix.zeros(D, n, { dtype: 'float64' });
    for (let p = 0; p < D; p++) for (let j = 0; j < n; j++) C.data[p + j * D] = V.get(j, n - 1 - p);
    s2 = Float64Array.from({ length: n }, (_, i) => Math.max(0, w[n - 1 - i]!));
    method = 'gram';
  }
  // A fixed sign per axis (its largest entry positive), so results do not depend on the solver.
  for (let p = 0; p < D; p++) {
    let big = 0;
    for (let j = 0; j < n; j++) if (Math.abs(C.data[p + j * D]!) > Math.abs(big)) big = C.data[p + j * D]!;
    if (big < 0) for (let j = 0; j < n; j++) C.data[p + j * D] = -C.data[p + j * D]!;
  }
  return { C, s2, method };
}

/** Copy of X (rows are vectors) with every row scaled to unit length (zero rows stay zero). */
function unitRows(X: Matrix): Matrix {
  const Y = X.copy({ dtype: 'float64' });
  const [N, n] = Y.shape;
  const norms = new Float64Array(N);
  for (let j = 0; j < n; j++) for (let i = 0; i < N; i++) norms[i] = norms[i]! + Y.data[i + j * N]! ** 2;
  for (let i = 0; i < N; i++) norms[i] = norms[i]! > 0 ? 1 / Math.sqrt(norms[i]!) : 0;
  for (let j = 0; j < n; j++) for (let i = 0; i < N; i++) Y.data[i + j * N] = Y.data[i + j * N]! * norms[i]!;
  return Y;
}

/** Queries per block of the similarity products (bounds the N x block temporary). */
const QUERY_BLOCK = 64;

/**
 * For each query row of Qn, the indices of its k largest cosines with the rows of Vn (both
 * unit rows), leaving out `self[q]` when given; in blocks of queries, one product each.
 */
function topK(Vn: Matrix, Qn: Matrix, k: number, self: Int32Array | undefined): Int32Array[] {
  const N = Vn.rows;
  const out: Int32Array[] = [];
  const best = new Float64Array(k);
  const idx = new Int32Array(k);
  for (let q0 = 0; q0 < Qn.rows; q0 += QUERY_BLOCK) {
    const q1 = Math.min(Qn.rows, q0 + QUERY_BLOCK);
    const S = matmul(Vn, Qn.rowRange(q0, q1), { transB: true }); // N x block, column q contiguous
    for (let q = q0; q < q1; q++) {
      const col = (q - q0) * N;
      const skip = self ? self[q]! : -1;
      best.fill(-Infinity);
      idx.fill(-1);
      for (let i = 0; i < N; i++) {
        const v = S.data[col + i]!;
        if (v <= best[k - 1]! || i === skip) continue;
        let p = k - 1;
        while (p > 0 && best[p - 1]! < v) {
          best[p] = best[p - 1]!;
          idx[p] = idx[p - 1]!;
          p--;
        }
        best[p] = v;
        idx[p] = i;
      }
      out.push(idx.slice());
    }
  }
  return out;
}

/**
 * Mean recall@k of `found` against the exact cosines of unit rows Vn and queries Qn: a found
 * index is a hit when its exact cosine reaches the k-th best exact cosine (minus 1e-9 of
 * slack for rounding), so ties count.
 */
function recallOf(found: readonly Int32Array[], truth: readonly Int32Array[], Vn: Matrix, Qn: Matrix): number {
  let total = 0;
  const cos = (q: number, i: number): number => {
    let s = 0;
    for (let j = 0; j < Vn.cols; j++) s += Vn.get(i, j) * Qn.get(q, j);
    return s;
  };
  for (let q = 0; q < found.length; q++) {
    const t = truth[q]!;
    const kth = cos(q, t[t.length - 1]!);
    let hits = 0;
    for (const i of found[q]!) if (i >= 0 && cos(q, i) >= kth - 1e-9) hits++;
    total += hits / t.length;
  }
  return found.length > 0 ? total / found.length : 1;
}

/**
 * Reduce embedding dimensions by a PCA rotation whose every prefix is the best linear
 * reduction to that size (see the file comment), and measure recall@k of cosine nearest
 * neighbours for each size.
 *
 * Cost: the axes, N n^2 flops (Gram) or 4 N n^2 (SVD); recall, m N (n + sum of dims) flops
 * for m queries, in blocks of 64 queries (an N x 64 temporary).
 * @param E - the embeddings, one vector per row (N x n).
 * @throws ShapeError when E is empty or the queries do not have n columns;
 *   InvalidArgumentError for a size above n, a k too large for N, or a bad option;
 *   NonFiniteInputError on NaN/Inf; AbortedError when `signal` fires.
 * @example
 * const r = reduceEmbeddings(E, { dims: [64, 128, 256] });
 * r.recall;              // [{ dims: 64, recall: 0.71, ... }, ...]
 * const Z = r.reduce(E, 128); // N x 128
 */
export function reduceEmbeddings(E: Matrix, options: ReduceEmbeddingsOptions): EmbeddingReduction {
  const routine = 'reduceEmbeddings';
  if (!(E instanceof Matrix)) throw new InvalidArgumentError(`${routine}: E must be a Matrix (N x n), got ${typeof E}`);
  const { onProgress, signal, ...rest } = (options ?? {}) as ReduceEmbeddingsOptions;
  const o = resolveOptions(routine, REDUCE_EMBEDDINGS_OPTIONS, rest);
  const [N, n] = E.shape;
  if (N === 0 || n === 0) throw new ShapeError(`${routine}: E is ${N}x${n}; there is nothing to reduce`);
  if (!E.isFinite()) throw new InvalidArgumentError(`${routine}: E holds NaN or Inf`);
  const dims = [...new Set(o.dims)].sort((a, b) => a - b);
  const D = dims.at(-1)!;
  if (D > Math.min(N, n)) throw new InvalidArgumentError(`${routine}: dims must be at most ${D > n ? `n = ${n} (the vectors' size)` : `N = ${N} (the number of vectors: the rotation has at most N axes)`}, got ${D}`);
  const Q = o.queries;
  if (Q !== undefined && Q.cols !== n) throw new ShapeError(`${routine}: queries must have ${n} columns like E, got ${Q.rows}x${Q.cols}`);
  if (Q !== undefined && !Q.isFinite()) throw new InvalidArgumentError(`${routine}: the queries hold NaN or Inf`);
  const fromData = Q === undefined;
  const pool = fromData ? N - 1 : N;
  if (!o.skipRecall && o.k > pool) throw new InvalidArgumentError(`${routine}: k must be at most ${pool} (${fromData ? 'the other rows of E' : 'the rows of E'}), got ${o.k}`);

  const { X, mean } = centered(E, o.center);
  checkAborted(signal, routine);
  const { C, s2, method } = axes(X, D);
  onProgress?.({ stage: 'axes', done: 1, total: 1 });
  let total = 0;
  for (let i = s2.length - 1; i >= 0; i--) total += s2[i]!;
  const ratio = Float64Array.from(s2.subarray(0, D), (v) => (total > 0 ? v / total : 0));

  const reduce = (Y: Matrix, d: number): Matrix => {
    if (!(Number.isSafeInteger(d) && d >= 1 && d <= D)) throw new InvalidArgumentError(`${routine}.reduce: d must be an integer in [1, ${D}], got ${d}`);
    if (Y.cols !== n) throw new ShapeError(`${routine}.reduce: X must have ${n} columns, got ${Y.rows}x${Y.cols}`);
    const Yc = Y.copy({ dtype: 'float64' });
    for (let j = 0; j < n; j++) for (let i = 0; i < Yc.rows; i++) Yc.data[i + j * Yc.rows] = Yc.data[i + j * Yc.rows]! - mean[j]!;
    return matmul(Yc, C.rowRange(0, d), { transB: true });
  };

  const recall: EmbeddingRecall[] = [];
  let queryCount = 0;
  if (!o.skipRecall) {
    // The queries: given, or evenly spaced rows of E (each leaves itself out).
    let rows: Int32Array | undefined;
    let Qraw: Matrix;
    if (Q !== undefined) Qraw = Q.copy({ dtype: 'float64' });
    else {
      const m = Math.min(N, o.sampleQueries);
      rows = Int32Array.from({ length: m }, (_, i) => Math.floor((i * N) / m));
      Qraw = Matrix.zeros(m, n, { dtype: 'float64' });
      for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) Qraw.data[i + j * m] = E.get(rows[i]!, j);
    }
    queryCount = Qraw.rows;
    const Qc = Qraw.copy();
    for (let j = 0; j < n; j++) for (let i = 0; i < Qc.rows; i++) Qc.data[i + j * Qc.rows] = Qc.data[i + j * Qc.rows]! - mean[j]!;
    // References: cosine neighbours of the full vectors, centered (the frame) and raw.
    const Vn = unitRows(X);
    const Qn = unitRows(Qc);
    const truth = topK(Vn, Qn, o.k, rows);
    let VnRaw = Vn;
    let QnRaw = Qn;
    let truthRaw = truth;
    if (o.center) {
      VnRaw = unitRows(E);
      QnRaw = unitRows(Qraw);
      truthRaw = topK(VnRaw, QnRaw, o.k, rows);
    }
    const Z = matmul(X, C, { transB: true }); // N x D rotated coordinates
    const Zq = matmul(Qc, C, { transB: true });
    let done = 0;
    for (const d of dims) {
      checkAborted(signal, routine);
      const Zn = unitRows(Z.colRange(0, d));
      const Zqn = unitRows(Zq.colRange(0, d));
      const found = topK(Zn, Zqn, o.k, rows);
      let kept = 0;
      for (let i = d - 1; i >= 0; i--) kept += s2[i]!; // the order of `total`, so d = n gives exactly 1
      recall.push({
        dims: d,
        recall: recallOf(found, truth, Vn, Qn),
        recallRaw: o.center ? recallOf(found, truthRaw, VnRaw, QnRaw) : recallOf(found, truth, Vn, Qn),
        energy: total > 0 ? kept / total : 1,
      });
      onProgress?.({ stage: 'dims', done: ++done, total: dims.length });
    }
  }
  return { components: C, mean, explainedVarianceRatio: ratio, dims, recall, k: o.k, queryCount, queriesFromData: fromData, method, reduce };
}

/** Options of {@link cosineRecall}. */
export interface CosineRecallOptions {
  /** Neighbours per query, an integer in [1, N - 1] (default 10). */
  k?: number;
  /** How many rows to query with (evenly spaced), an integer >= 1 (default 1000; all rows when there are fewer). */
  sampleQueries?: number;
}

const COSINE_RECALL_OPTIONS = tableFor<CosineRecallOptions>()({
  k: opt(int(1), 10),
  sampleQueries: opt(int(1), 1000),
});

/**
 * Mean recall@k of cosine nearest neighbours among the rows of `reduced` against those among
 * the rows of `full` (row i of each is the same item, e.g. reduced = any projection of full):
 * for evenly spaced query rows, the share of their k nearest rows by `full` that are among
 * their k nearest by `reduced`, each query's own row left out and ties counted as hits (as
 * {@link reduceEmbeddings}). For comparing reductions other than the PCA prefix (random
 * projections, quantized vectors) on the same footing.
 * @throws ShapeError when the row counts differ; InvalidArgumentError when k >= N or an option is bad.
 * @example
 * cosineRecall(E, matmul(E, R)); // a random projection R (n x d)
 */
export function cosineRecall(full: Matrix, reduced: Matrix, options: CosineRecallOptions = {}): number {
  const routine = 'cosineRecall';
  const o = resolveOptions(routine, COSINE_RECALL_OPTIONS, options);
  const N = full.rows;
  if (reduced.rows !== N) throw new ShapeError(`${routine}: full has ${N} rows and reduced ${reduced.rows}; row i of each must be the same item`);
  if (o.k > N - 1) throw new InvalidArgumentError(`${routine}: k must be at most ${N - 1} (the other rows), got ${o.k}`);
  const m = Math.min(N, o.sampleQueries);
  const rows = Int32Array.from({ length: m }, (_, i) => Math.floor((i * N) / m));
  const pick = (X: Matrix) => {
    const Q = Matrix.zeros(m, X.cols, { dtype: 'float64' });
    for (let j = 0; j < X.cols; j++) for (let i = 0; i < m; i++) Q.data[i + j * m] = X.get(rows[i]!, j);
    return Q;
  };
  const Vn = unitRows(full);
  const Qn = unitRows(pick(full));
  const Zn = unitRows(reduced);
  const Zqn = unitRows(pick(reduced));
  return recallOf(topK(Zn, Zqn, o.k, rows), topK(Vn, Qn, o.k, rows), Vn, Qn);
}
