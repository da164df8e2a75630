/**
 * Graph Laplacians and connected components of undirected weighted graphs given by their
 * adjacency matrix (scipy.sparse.csgraph.laplacian and connected_components).
 *
 * A graph is a symmetric n x n matrix of non-negative weights: a_ij > 0 is an edge between
 * i and j. As scipy does, the diagonal (self-loops) is ignored: degrees are
 * d_i = sum_{j != i} a_ij, and
 *
 *     L = D - A                      (combinatorial; `normalized: false`)
 *     L = I - D^{-1/2} A D^{-1/2}    (symmetric normalized; `normalized: true`)
 *
 * with, for an isolated vertex (d_i = 0), L_ii = 0 in both (scipy's convention: its row and
 * column are zero, so each isolated vertex adds one zero eigenvalue, as each connected
 * component does).
 */
import { InvalidArgumentError, ShapeError } from '../../errors.js';
import { checkSymmetric } from '../../lowrank/eigsh.js';
import { Matrix } from '../../matrix/matrix.js';
import { bool, opt, resolveOptions, tableFor } from '../../options.js';
import { CscMatrix } from '../../sparse/csc.js';
import { CsrMatrix } from '../../sparse/csr.js';

/** A graph's adjacency matrix: sparse (CSR or CSC) or dense, n x n. */
export type Adjacency = CsrMatrix | CscMatrix | Matrix;

/** Options of {@link laplacian}. */
export interface LaplacianOptions {
  /** Symmetric normalized Laplacian I - D^{-1/2} A D^{-1/2} (scipy's `normed=True`); default false: D - A. */
  normalized?: boolean;
}

const LAPLACIAN_OPTIONS = tableFor<LaplacianOptions>()({
  normalized: opt(bool, false),
});

const GRAPH_ADVICE = "an undirected graph's adjacency matrix must be symmetric (for a directed graph use (A + A^T) / 2, or stationaryDistribution / pagerank)";

/**
 * The adjacency as a canonical float64 CSR matrix (sorted, duplicates summed), after
 * checking that it is square, symmetric and non-negative.
 * @internal
 * @throws ShapeError for a non-square matrix; InvalidArgumentError for a negative weight
 * (naming it) or an asymmetric pair (naming both entries).
 */
export function graphCsr(A: Adjacency, routine: string): CsrMatrix {
  if (!(A instanceof CsrMatrix || A instanceof CscMatrix || A instanceof Matrix)) {
    throw new InvalidArgumentError(`${routine}: expected an adjacency matrix (CsrMatrix, CscMatrix or Matrix)`);
  }
  const [m, n] = A.shape;
  if (m !== n) throw new ShapeError(`${routine}: the adjacency matrix is ${m}x${n}; a graph's must be square`);
  if (n === 0) throw new InvalidArgumentError(`${routine}: the graph is empty (a 0x0 adjacency matrix)`);
  const S = (A instanceof Matrix ? CsrMatrix.fromDense(A, { dtype: 'float64' }) : A instanceof CscMatrix ? A.toCsr() : A).sumDuplicates();
  const csr = S.dtype === 'float64' ? S : S.astype('float64');
  const { indptr, indices, data } = csr;
  for (let i = 0; i < n; i++) {
    for (let q = indptr[i]!; q < indptr[i + 1]!; q++) {
      if (data[q]! < 0) throw new InvalidArgumentError(`${routine}: the edge weight A[${i}, ${indices[q]}] = ${data[q]} is negative; graph weights must be >= 0`);
    }
  }
  checkSymmetric(csr, routine, 0, GRAPH_ADVICE);
  return csr;
}

/** Weighted degrees d_i = sum_{j != i} a_ij (self-loops ignored) of a canonical CSR adjacency. */
export function degreesOf(A: CsrMatrix): Float64Array {
  const n = A.rows;
  const d = new Float64Array(n);
  const { indptr, indices, data } = A;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let q = indptr[i]!; q < indptr[i + 1]!; q++) if (indices[q] !== i) s += data[q]!;
    d[i] = s;
  }
  return d;
}

/**
 * The Laplacian of an undirected graph: D - A, or I - D^{-1/2} A D^{-1/2} with
 * `normalized: true` (see the file comment; scipy.sparse.csgraph.laplacian with
 * `normed`). A sparse adjacency gives a CsrMatrix (the pattern of A plus the diagonal), a
 * dense one a Matrix. O(nnz + n).
 * @param adjacency - symmetric n x n, non-negative weights; the diagonal is ignored.
 * @param options - {@link LaplacianOptions}.
 * @throws ShapeError for a non-square matrix; InvalidArgumentError for an empty (0 x 0)
 * graph, a negative weight or an asymmetric matrix (naming the entries), or a bad option.
 * @example
 * const L = laplacian(A, { normalized: true }); // eigenvalues in [0, 2]
 */
export function laplacian(adjacency: Adjacency, options: LaplacianOptions = {}): CsrMatrix | Matrix {
  const routine = 'laplacian';
  const o = resolveOptions(routine, LAPLACIAN_OPTIONS, options);
  const A = graphCsr(adjacency, routine);
  const L = laplacianCsr(A, o.normalized);
  return adjacency instanceof Matrix ? L.toDense() : L;
}

/** The Laplacian of a canonical, checked CSR adjacency (see {@link laplacian}). @internal */
export function laplacianCsr(A: CsrMatrix, normalized: boolean): CsrMatrix {
  const n = A.rows;
  const d = degreesOf(A);
  const s = normalized ? d.map((v) => (v > 0 ? 1 / Math.sqrt(v) : 0)) : d;
  const { indptr, indices, data } = A;
  // Row i: the off-diagonal entries of A (scaled, negated) with the diagonal inserted in
  // its sorted place; A is canonical, so the result is too.
  const lp = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let off = 0;
    for (let q = indptr[i]!; q < indptr[i + 1]!; q++) if (indices[q] !== i) off++;
    lp[i + 1] = lp[i]! + off + 1;
  }
  const li = new Int32Array(lp[n]!);
  const lv = new Float64Array(lp[n]!);
  for (let i = 0; i < n; i++) {
    let at = lp[i]!;
    let placed = false;
    const diag = normalized ? (d[i]! > 0 ? 1 : 0) : d[i]!;
    for (let q = indptr[i]!; q < indptr[i + 1]!; q++) {
      const j = indices[q]!;
      if (j === i) continue;
      if (!placed && j > i) {
        li[at] = i;
        lv[at++] = diag;
        placed = true;
      }
      li[at] = j;
      lv[at++] = normalized ? -data[q]! * s[i]! * s[j]! : -data[q]!;
    }
    if (!placed) {
      li[at] = i;
      lv[at] = diag;
    }
  }
  return new CsrMatrix(lp, li, lv, n, n);
}

/** The connected components of an undirected graph. */
export interface ConnectedComponents {
  /** Number of components (isolated vertices count one each). */
  readonly count: number;
  /**
   * Component of each vertex, 0 .. count - 1, numbered in order of each component's smallest
   * vertex (scipy's labels).
   */
  readonly labels: Int32Array;
}

/**
 * Connected components of an undirected graph (scipy.sparse.csgraph.connected_components
 * with `directed=False`), by breadth-first search. O(nnz + n).
 * @throws as {@link laplacian} for a bad adjacency.
 */
export function connectedComponents(adjacency: Adjacency): ConnectedComponents {
  return componentsOf(graphCsr(adjacency, 'connectedComponents'));
}

/** Components of a canonical symmetric CSR adjacency (edges are nonzero off-diagonal entries). @internal */
export function componentsOf(A: CsrMatrix): ConnectedComponents {
  const n = A.rows;
  const labels = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const { indptr, indices, data } = A;
  let count = 0;
  for (let s = 0; s < n; s++) {
    if (labels[s] !== -1) continue;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    labels[s] = count;
    while (head < tail) {
      const u = queue[head++]!;
      for (let q = indptr[u]!; q < indptr[u + 1]!; q++) {
        const v = indices[q]!;
        if (data[q] !== 0 && labels[v] === -1) {
          labels[v] = count;
          queue[tail++] = v;
        }
      }
    }
    count++;
  }
  return { count, labels };
}
