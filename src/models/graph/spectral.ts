/**
 * Spectral embedding and spectral clustering of undirected weighted graphs, and the
 * adjusted Rand index to compare clusterings.
 *
 * Spectral clustering follows Ng, Jordan & Weiss ("On spectral clustering: analysis and an
 * algorithm", NIPS 2001): the eigenvectors of the k smallest eigenvalues of the symmetric
 * normalized Laplacian L = I - D^{-1/2} A D^{-1/2}, each row scaled to unit length, then
 * k-means (k-means++ seeding, Arthur & Vassilvitskii 2007, in scikit-learn's greedy form,
 * several restarts, the lowest inertia kept).
 *
 * How the eigenvectors are computed: L's smallest eigenvalues are the largest of
 * N = D^{-1/2} A D^{-1/2} (L = I - N), found by thick-restart Lanczos ({@link eigsh},
 * 'LA'). L's null space is known exactly: one vector D^{1/2} 1_C per connected component C
 * (e_i for an isolated vertex). A single-vector Krylov method sees a repeated eigenvalue
 * once, so those vectors are not left to Lanczos: they are put first and deflated (the
 * iteration runs on their orthogonal complement), and isolated vertices are taken out of
 * the iteration altogether.
 *
 * Each routine is written once as steps (see fit-async.ts) that yield after the input is
 * checked, after every Lanczos step and restart of the eigensolver ({@link eigshSteps}) and
 * after every k-means restart: the plain forms run them in one go, the `...Async` forms give
 * the event loop a turn between them, with the same arithmetic and so the same results.
 */
import { InvalidArgumentError } from '../../errors.js';
import { kernels } from '../../kernels/index.js';
import { type FitSteps, runSteps, runStepsAsync } from '../../fit-async.js';
import { eigshSteps, flipColumns } from '../../lowrank/eigsh.js';
import { Matrix } from '../../matrix/matrix.js';
import { int, LONG_TASK_OPTIONS, maybe, num, opt, randomStateRule, resolveOptions, tableFor } from '../../options.js';
import type { LongTaskOptions, Progress } from '../../progress.js';
import { rng, type RandomState, type Rng } from '../../random.js';
import { CsrMatrix } from '../../sparse/csr.js';
import { componentsOf, degreesOf, graphCsr, type Adjacency } from './laplacian.js';

/** Options of {@link spectralEmbedding}. */
export interface SpectralEmbeddingOptions extends LongTaskOptions {
  /** Seed of the eigensolver's start vector; default 0. */
  seed?: RandomState;
  /** Eigensolver residual tolerance relative to ||N|| (see eigsh), in (0, 1); default 1e-8. */
  tol?: number;
  /** Eigensolver: cap on restarts (see eigsh); default its own. */
  maxIter?: number;
}

const EMBEDDING_OPTIONS = tableFor<SpectralEmbeddingOptions>()({
  seed: opt(randomStateRule, 0),
  tol: opt(num(0, 1, 'both'), 1e-8),
  maxIter: maybe(int(0)),
  ...LONG_TASK_OPTIONS,
});

/** The spectral embedding of a graph. */
export interface SpectralEmbedding {
  /**
   * n x dims: column j is the unit eigenvector of the normalized Laplacian for
   * eigenvalues[j]; the entry of largest magnitude of each column is positive.
   */
  readonly embedding: Matrix;
  /** The dims smallest eigenvalues of the normalized Laplacian, ascending (in [0, 2]). */
  readonly eigenvalues: Float64Array;
  /** Connected components of the graph (each adds one zero eigenvalue). */
  readonly components: number;
}

/**
 * Spectral embedding: the eigenvectors of the `dims` smallest eigenvalues of the symmetric
 * normalized Laplacian I - D^{-1/2} A D^{-1/2} (see the file comment for how they are
 * computed). The first columns are the null vectors D^{1/2} 1_C / ||D^{1/2} 1_C|| of the
 * connected components, largest component first (isolated vertices last); scikit-learn's
 * `spectral_embedding` differs by its `drop_first` and D^{-1/2} scaling.
 * @param adjacency - symmetric n x n non-negative weights (CsrMatrix, CscMatrix or Matrix); the diagonal is ignored.
 * @param dims - number of eigenvectors, 1 <= dims <= n.
 * @param options - {@link SpectralEmbeddingOptions}.
 * @throws ShapeError / InvalidArgumentError for a bad adjacency (not square, asymmetric,
 * negative, empty, no edges) or dims; ConvergenceError from the eigensolver; AbortedError
 * when `signal` aborts (checked once the input is checked and at every step of the eigensolver).
 * @example
 * const { embedding, eigenvalues } = spectralEmbedding(A, 3);
 */
export function spectralEmbedding(adjacency: Adjacency, dims: number, options: SpectralEmbeddingOptions = {}): SpectralEmbedding {
  return runSteps(embeddingSteps(adjacency, dims, options), options?.signal, 'spectralEmbedding');
}

/**
 * {@link spectralEmbedding} with a turn of the event loop between its steps (see
 * runStepsAsync in fit-async.ts): the same embedding bit for bit and the same progress
 * reports, and a timer or a button can abort it within about one Lanczos step. Building the
 * normalized adjacency runs as one block, and so does the eigensolver on a small graph (where
 * eigsh solves a dense eigenproblem instead of iterating).
 * @throws (rejects with) the errors of {@link spectralEmbedding}; AbortedError when `signal` aborts.
 * @example
 * const { embedding } = await spectralEmbeddingAsync(A, 8, { signal: AbortSignal.timeout(10_000) });
 */
export function spectralEmbeddingAsync(adjacency: Adjacency, dims: number, options: SpectralEmbeddingOptions = {}): Promise<SpectralEmbedding> {
  return runStepsAsync(embeddingSteps(adjacency, dims, options), options?.signal, 'spectralEmbeddingAsync');
}

function* embeddingSteps(adjacency: Adjacency, dims: number, options: SpectralEmbeddingOptions): FitSteps<SpectralEmbedding> {
  const routine = 'spectralEmbedding';
  const o = resolveOptions(routine, EMBEDDING_OPTIONS, options);
  const A = graphCsr(adjacency, routine);
  return yield* embed(A, dims, o, routine);
}

// `dimsName`: what the caller calls the number of eigenvectors (spectralClustering: 'clusters').
// Yields once the input is checked, then at the eigensolver's steps.
function* embed(A: CsrMatrix, dims: number, o: { seed: RandomState; tol: number; maxIter?: number | undefined } & LongTaskOptions, routine: string, dimsName = 'dims'): FitSteps<SpectralEmbedding> {
  const n = A.rows;
  if (!(Number.isInteger(dims) && dims >= 1 && dims <= n)) throw new InvalidArgumentError(`${routine}: ${dimsName} must be an integer in [1, ${n}] for a graph of ${n} vertices, got ${dims}`);
  const d = degreesOf(A);
  let edges = 0;
  for (let i = 0; i < n; i++) if (d[i]! > 0) edges++;
  if (edges === 0) throw new InvalidArgumentError(`${routine}: the graph has no edges (every off-diagonal weight is zero); there is nothing to embed`);
  yield;
  const comps = componentsOf(A);
  // Components, largest first (ties: smallest vertex first); isolated vertices last.
  const size = new Int32Array(comps.count);
  const first = new Int32Array(comps.count).fill(n);
  for (let i = 0; i < n; i++) {
    const c = comps.labels[i]!;
    size[c]!++;
    first[c] = Math.min(first[c]!, i);
  }
  const isolated = (c: number) => size[c] === 1 && d[first[c]!] === 0;
  const order = Array.from({ length: comps.count }, (_, c) => c).sort((a, b) => Number(isolated(a)) - Number(isolated(b)) || size[b]! - size[a]! || first[a]! - first[b]!);
  const nullCount = Math.min(dims, comps.count);
  const embedding = Matrix.zeros(n, dims);
  const eigenvalues = new Float64Array(dims);
  // The null vectors D^{1/2} 1_C (e_i for an isolated vertex), normalized.
  for (let j = 0; j < nullCount; j++) {
    const c = order[j]!;
    if (isolated(c)) {
      embedding.set(first[c]!, j, 1);
      continue;
    }
    let s = 0;
    for (let i = 0; i < n; i++) if (comps.labels[i] === c) s += d[i]!;
    const scale = 1 / Math.sqrt(s);
    for (let i = 0; i < n; i++) if (comps.labels[i] === c) embedding.set(i, j, Math.sqrt(d[i]!) * scale);
  }
  const rest = dims - nullCount;
  if (rest > 0) {
    // The iteration runs on the non-isolated vertices only, deflated by the null vectors of
    // their components.
    const keep = new Int32Array(n).fill(-1);
    let m = 0;
    for (let i = 0; i < n; i++) if (d[i]! > 0) keep[i] = m++;
    const N = normalizedAdjacency(A, d, keep, m);
    const nonTrivial = order.filter((c) => !isolated(c));
    const Z = Matrix.zeros(m, nonTrivial.length);
    nonTrivial.forEach((c, j) => {
      for (let i = 0; i < n; i++) if (comps.labels[i] === c) Z.set(keep[i]!, j, Math.sqrt(d[i]!));
    });
    if (rest > m - nonTrivial.length) {
      throw new InvalidArgumentError(`${routine}: dims = ${dims} is more than the graph's ${n} vertices allow (${comps.count} components, ${n - m} isolated)`);
    }
    // eigsh's steps: the driver checks the signal at each of their yields (after every Lanczos
    // step and restart), so it is not passed down (an abort names this routine, not eigsh).
    const r = yield* eigshSteps(N, rest, { which: 'LA', deflate: Z, seed: o.seed, tol: o.tol, maxIter: o.maxIter, onProgress: o.onProgress, checkSymmetry: false });
    // N's largest eigenvalues mu (ascending in r.w) are L's smallest, 1 - mu.
    for (let j = 0; j < rest; j++) {
      const src = rest - 1 - j;
      eigenvalues[nullCount + j] = 1 - r.w[src]!;
      for (let i = 0; i < n; i++) {
        const at = keep[i]!;
        if (at >= 0) embedding.set(i, nullCount + j, r.V.get(at, src));
      }
    }
  }
  flipColumns(embedding);
  return { embedding, eigenvalues, components: comps.count };
}

/** D^{-1/2} A D^{-1/2} without the diagonal, on the vertices with keep[i] >= 0 (renumbered). */
function normalizedAdjacency(A: CsrMatrix, d: Float64Array, keep: Int32Array, m: number): CsrMatrix {
  const n = A.rows;
  const { indptr, indices, data } = A;
  const s = d.map((v) => (v > 0 ? 1 / Math.sqrt(v) : 0));
  const np = new Int32Array(m + 1);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    if (keep[i]! < 0) continue;
    for (let q = indptr[i]!; q < indptr[i + 1]!; q++) if (indices[q] !== i) nnz++;
    np[keep[i]! + 1] = nnz;
  }
  const ni = new Int32Array(nnz);
  const nv = new Float64Array(nnz);
  let at = 0;
  for (let i = 0; i < n; i++) {
    if (keep[i]! < 0) continue;
    for (let q = indptr[i]!; q < indptr[i + 1]!; q++) {
      const j = indices[q]!;
      if (j === i) continue;
      ni[at] = keep[j]!;
      nv[at++] = data[q]! * s[i]! * s[j]!;
    }
  }
  return new CsrMatrix(np, ni, nv, m, m);
}

// ------------------------------------------------------------------ spectral clustering

/** Options of {@link spectralClustering}. */
export interface SpectralClusteringOptions extends SpectralEmbeddingOptions {
  /** k-means restarts from different k-means++ seedings; the lowest inertia wins. Default 10 (scikit-learn's). */
  nInit?: number;
  /** k-means: cap on Lloyd iterations per restart; default 300. */
  kmeansMaxIter?: number;
  /**
   * k-means: stop a restart when the centers move less than tol times the mean variance of
   * the embedding's columns (scikit-learn's rule); default 1e-4.
   */
  kmeansTol?: number;
}

const CLUSTERING_OPTIONS = tableFor<SpectralClusteringOptions>()({
  ...EMBEDDING_OPTIONS,
  nInit: opt(int(1), 10),
  kmeansMaxIter: opt(int(1), 300),
  kmeansTol: opt(num(0), 1e-4),
});

/**
 * The result of {@link spectralClustering}: the spectral embedding it clustered (with
 * `dims` = clusters eigenvalues, and rows scaled to unit length), the labels and the inertia.
 */
export interface SpectralClustering extends SpectralEmbedding {
  /** Cluster of each vertex, 0 .. clusters - 1, numbered in order of first appearance. */
  readonly labels: Int32Array;
  /** The points k-means clustered: the spectral embedding with each row scaled to unit length (n x clusters). */
  readonly embedding: Matrix;
  /** k-means inertia: the sum of squared distances of the rows to their centers. */
  readonly inertia: number;
}

/**
 * Spectral clustering of a graph into `clusters` groups (Ng, Jordan & Weiss 2001; see the
 * file comment): normalized-Laplacian eigenvectors, rows scaled to unit length, seeded
 * k-means++ with `nInit` restarts. Same seed, same labels. Progress: the eigensolver's
 * restarts (stage 'restart', as eigsh), then stage 'kmeans' after each k-means restart
 * (done of nInit, metrics.inertia the best so far).
 * @param adjacency - symmetric n x n non-negative weights (CsrMatrix, CscMatrix or Matrix).
 * @param clusters - number of clusters, 1 <= clusters <= n.
 * @param options - {@link SpectralClusteringOptions}.
 * @throws as {@link spectralEmbedding}.
 * @example
 * const { labels } = spectralClustering(A, 3, { seed: 0 });
 */
export function spectralClustering(adjacency: Adjacency, clusters: number, options: SpectralClusteringOptions = {}): SpectralClustering {
  return runSteps(clusteringSteps(adjacency, clusters, options), options?.signal, 'spectralClustering');
}

/**
 * {@link spectralClustering} with a turn of the event loop between its steps (see
 * runStepsAsync in fit-async.ts): the same labels and embedding bit for bit and the same
 * progress reports; a timer or a button can abort it within about one Lanczos step or one
 * k-means restart.
 * @throws (rejects with) the errors of {@link spectralClustering}; AbortedError when `signal` aborts.
 * @example
 * const { labels } = await spectralClusteringAsync(A, 3, { seed: 0, signal: AbortSignal.timeout(10_000) });
 */
export function spectralClusteringAsync(adjacency: Adjacency, clusters: number, options: SpectralClusteringOptions = {}): Promise<SpectralClustering> {
  return runStepsAsync(clusteringSteps(adjacency, clusters, options), options?.signal, 'spectralClusteringAsync');
}

function* clusteringSteps(adjacency: Adjacency, clusters: number, options: SpectralClusteringOptions): FitSteps<SpectralClustering> {
  const routine = 'spectralClustering';
  const o = resolveOptions(routine, CLUSTERING_OPTIONS, options);
  const A = graphCsr(adjacency, routine);
  const e = yield* embed(A, clusters, o, routine, 'clusters');
  const U = e.embedding.copy();
  const n = U.rows;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < clusters; j++) s += U.get(i, j) ** 2;
    if (s > 0) {
      const f = 1 / Math.sqrt(s);
      for (let j = 0; j < clusters; j++) U.set(i, j, U.get(i, j) * f);
    }
  }
  yield;
  const km = yield* kMeans(U, clusters, { rand: rng(o.seed), nInit: o.nInit, maxIter: o.kmeansMaxIter, tol: o.kmeansTol, onProgress: o.onProgress });
  return { labels: km.labels, embedding: U, eigenvalues: e.eigenvalues, inertia: km.inertia, components: e.components };
}

// ------------------------------------------------------------------ k-means

interface KMeansSettings {
  rand: Rng;
  nInit: number;
  maxIter: number;
  tol: number;
  onProgress?: ((progress: Progress) => void) | undefined;
}

interface KMeansResult {
  labels: Int32Array;
  inertia: number;
}

/**
 * k-means of the rows of X (n x d, column-major): k-means++ seeding (greedy, 2 + floor(ln k)
 * candidates per center, as scikit-learn), Lloyd iterations with the distances from one
 * gemm (||x||^2 - 2 x.c + ||c||^2), an empty cluster re-seeded at the point farthest from
 * its center; the best of nInit restarts. Labels renumbered by first appearance. Reports
 * stage 'kmeans' and yields after each restart.
 */
function* kMeans(X: Matrix, k: number, s: KMeansSettings): Generator<void, KMeansResult, void> {
  const n = X.rows;
  const d = X.cols;
  const x = X.copy().data as Float64Array; // column-major, ld n
  const xx = new Float64Array(n);
  for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) xx[i] = xx[i]! + x[i + j * n]! ** 2;
  // scikit-learn's tolerance: tol times the mean of the columns' variances.
  let meanVar = 0;
  for (let j = 0; j < d; j++) {
    let mu = 0;
    for (let i = 0; i < n; i++) mu += x[i + j * n]!;
    mu /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[i + j * n]! - mu) ** 2;
    meanVar += v / n;
  }
  const tolAbs = (s.tol * meanVar) / d;
  let best: KMeansResult | undefined;
  for (let run = 0; run < s.nInit; run++) {
    const C = seedCenters(x, xx, n, d, k, s.rand);
    const r = lloyd(x, xx, n, d, k, C, s.maxIter, tolAbs);
    if (!best || r.inertia < best.inertia) best = r;
    s.onProgress?.({ stage: 'kmeans', done: run + 1, total: s.nInit, metrics: { inertia: best.inertia } });
    if (run + 1 < s.nInit) yield;
  }
  const labels = best!.labels;
  const map = new Int32Array(k).fill(-1);
  let next = 0;
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    if (map[l] === -1) map[l] = next++;
    labels[i] = map[l]!;
  }
  return best!;
}

/**
 * k-means++ centers (k x d, column-major) by scikit-learn's greedy variant: each new center
 * is the best (lowest potential) of 2 + floor(ln k) candidates drawn with probability
 * proportional to the squared distance to the nearest center so far. The candidates'
 * distances to every point come from one gemm, ||x||^2 - 2 X c + ||c||^2.
 */
function seedCenters(x: Float64Array, xx: Float64Array, n: number, d: number, k: number, rand: Rng): Float64Array {
  const g = kernels();
  const C = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const setCenter = (c: number, p: number) => {
    for (let j = 0; j < d; j++) C[c + j * k] = x[p + j * n]!;
  };
  const first = rand.nextInt(n);
  setCenter(0, first);
  // Squared distances to `points` (t of them) in G (n x t): ||x_i||^2 - 2 x_i.x_p + ||x_p||^2.
  const cand = new Float64Array(d * trials);
  const G = new Float64Array(n * trials);
  const distances = (points: number[]) => {
    const t = points.length;
    points.forEach((p, q) => {
      for (let j = 0; j < d; j++) cand[j + q * d] = x[p + j * n]!;
    });
    g.gemm(false, false, n, t, d, 1, x, 0, n, cand, 0, d, 0, G, 0, n);
    points.forEach((p, q) => {
      const o = q * n;
      for (let i = 0; i < n; i++) G[o + i] = Math.max(0, xx[i]! - 2 * G[o + i]! + xx[p]!);
    });
  };
  distances([first]);
  const closest = Float64Array.from(G.subarray(0, n));
  let pot = 0;
  for (let i = 0; i < n; i++) pot += closest[i]!;
  const cum = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    // Candidates by inverse-CDF sampling of the potential (uniform when all points sit on centers).
    let run = 0;
    for (let i = 0; i < n; i++) cum[i] = run += closest[i]!;
    const points: number[] = [];
    for (let t = 0; t < trials; t++) {
      if (!(pot > 0)) {
        points.push(rand.nextInt(n));
        continue;
      }
      const r = rand.nextDouble() * run;
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cum[mid]! > r) hi = mid;
        else lo = mid + 1;
      }
      points.push(lo);
    }
    distances(points);
    let bestPot = Infinity;
    let best = 0;
    for (let q = 0; q < points.length; q++) {
      const o = q * n;
      let s = 0;
      for (let i = 0; i < n; i++) s += Math.min(closest[i]!, G[o + i]!);
      if (s < bestPot) {
        bestPot = s;
        best = q;
      }
    }
    setCenter(c, points[best]!);
    const o = best * n;
    for (let i = 0; i < n; i++) closest[i] = Math.min(closest[i]!, G[o + i]!);
    pot = bestPot;
  }
  return C;
}

/** Lloyd iterations from the centers C (k x d); returns labels and inertia. */
function lloyd(x: Float64Array, xx: Float64Array, n: number, d: number, k: number, C: Float64Array, maxIter: number, tolAbs: number): KMeansResult {
  const g = kernels();
  const G = new Float64Array(n * k);
  const labels = new Int32Array(n);
  const dmin = new Float64Array(n);
  const cc = new Float64Array(k);
  const counts = new Float64Array(k);
  const next = new Float64Array(k * d);
  let inertia = 0;
  const assign = () => {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += C[c + j * k]! ** 2;
      cc[c] = s;
    }
    // G = X C^T (n x k).
    g.gemm(false, true, n, k, d, 1, x, 0, n, C, 0, k, 0, G, 0, n);
    inertia = 0;
    for (let i = 0; i < n; i++) {
      let best = Infinity;
      let at = 0;
      for (let c = 0; c < k; c++) {
        const v = xx[i]! - 2 * G[i + c * n]! + cc[c]!;
        if (v < best) {
          best = v;
          at = c;
        }
      }
      labels[i] = at;
      dmin[i] = Math.max(0, best);
      inertia += dmin[i]!;
    }
  };
  assign();
  for (let it = 0; it < maxIter; it++) {
    next.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i]!;
      counts[c]!++;
      for (let j = 0; j < d; j++) next[c + j * k] = next[c + j * k]! + x[i + j * n]!;
    }
    for (let c = 0; c < k; c++) {
      if (counts[c]! > 0) {
        for (let j = 0; j < d; j++) next[c + j * k] = next[c + j * k]! / counts[c]!;
        continue;
      }
      // An empty cluster: move its center to the point farthest from its own center.
      let far = 0;
      for (let i = 1; i < n; i++) if (dmin[i]! > dmin[far]!) far = i;
      for (let j = 0; j < d; j++) next[c + j * k] = x[far + j * n]!;
      dmin[far] = 0;
    }
    let shift = 0;
    for (let q = 0; q < k * d; q++) shift += (next[q]! - C[q]!) ** 2;
    C.set(next);
    const before = Int32Array.from(labels);
    assign();
    let same = true;
    for (let i = 0; i < n && same; i++) same = before[i] === labels[i];
    if (same || shift <= tolAbs) break;
  }
  return { labels, inertia };
}

// ------------------------------------------------------------------ adjusted Rand index

/**
 * The adjusted Rand index of two clusterings of the same items (Hubert & Arabie 1985,
 * scikit-learn's `adjusted_rand_score`): 1 for identical partitions (whatever the label
 * names), about 0 for independent random ones, negative when worse than chance. Labels are
 * any numbers (or strings); only which items share a label matters.
 * @throws InvalidArgumentError when the two labelings differ in length.
 * @example
 * adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0]); // 1
 */
export function adjustedRandIndex(a: ArrayLike<number | string>, b: ArrayLike<number | string>): number {
  if (a.length !== b.length) throw new InvalidArgumentError(`adjustedRandIndex: the labelings have ${a.length} and ${b.length} items`);
  const n = a.length;
  const ia = new Map<number | string, number>();
  const ib = new Map<number | string, number>();
  const ca: number[] = [];
  const cb: number[] = [];
  const cell = new Map<number, number>();
  const la = new Int32Array(n);
  const lb = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let x = ia.get(a[i]!);
    if (x === undefined) {
      x = ia.size;
      ia.set(a[i]!, x);
      ca.push(0);
    }
    let y = ib.get(b[i]!);
    if (y === undefined) {
      y = ib.size;
      ib.set(b[i]!, y);
      cb.push(0);
    }
    la[i] = x;
    lb[i] = y;
    ca[x]!++;
    cb[y]!++;
  }
  for (let i = 0; i < n; i++) {
    const key = la[i]! * ib.size + lb[i]!;
    cell.set(key, (cell.get(key) ?? 0) + 1);
  }
  const pairs = (m: number) => (m * (m - 1)) / 2;
  let index = 0;
  for (const m of cell.values()) index += pairs(m);
  let sa = 0;
  for (const m of ca) sa += pairs(m);
  let sb = 0;
  for (const m of cb) sb += pairs(m);
  const total = pairs(n);
  // Both partitions trivial in the same way (one cluster each, or all singletons): the
  // index is undefined (0 / 0); scikit-learn's convention is 1.
  if (total === 0 || sa === sb && (sa === 0 || sa === total) && index === sa) return 1;
  const expected = (sa * sb) / total;
  const max = (sa + sb) / 2;
  if (max === expected) return index === expected ? 1 : 0;
  return (index - expected) / (max - expected);
}
