/**
 * Mode-k operations on a dense tensor held as one C-ordered float64 array, the working form
 * of Tucker and CP: mode products (TTM), the Gram matrix of a mode-k unfolding and its
 * leading left singular vectors. Every product is one gemm, or one per slab.
 *
 * Layout. A C-ordered tensor of shape (n_0, ..., n_{d-1}) seen around mode k is
 * L x n_k x R with L = n_0 ... n_{k-1} and R = n_{k+1} ... n_{d-1}: element (l, i, j) sits
 * at (l n_k + i) R + j. Slab l is then, for the column-major kernels, the R x n_k matrix
 * X_l^T with leading dimension R, and
 *
 * - the mode-k product Y = X x_k M (M m x n_k) is Y_l^T = X_l^T M^T, one gemm per slab, or
 *   a single gemm M X_(k) when R = 1 (the last mode: the whole array is then X_(k) column-major);
 * - the Gram matrix X_(k) X_(k)^T is the sum over slabs of (X_l^T)^T X_l^T, one syrk each.
 *
 * When R is small and L large (a middle mode next to a short last mode, e.g. colour
 * channels), the many thin per-slab calls would run far below gemm speed, so the unfolding
 * X_(k) is copied out once (a blocked transpose, O(N) memory traffic against O(N m) flops)
 * and one gemm / syrk runs on it. X_(k) follows TensorLy's `unfold` (columns: the other
 * modes in C order), i.e. `np.moveaxis(X, k, 0).reshape(n_k, -1)`.
 */
import { kernels } from '../../kernels/index.js';
import type { Workspace } from '../../kernels/workspace.js';
import { eigh } from '../../linalg/eigh.js';
import { qr } from '../../linalg/qr.js';
import { Matrix } from '../../matrix/matrix.js';
import { InvalidArgumentError, NonFiniteInputError } from '../../errors.js';
import { copyToC, unravelIndex } from '../../tensor/strided.js';
import { Tensor } from '../../tensor/tensor.js';

/** A dense C-ordered float64 tensor: element (i_0, ..., i_{d-1}) at sum_k i_k prod_{j > k} n_j. */
export interface Flat {
  readonly data: Float64Array;
  readonly shape: readonly number[];
}

/** prod(shape[from..to)), 1 for an empty range. */
export function prod(shape: readonly number[], from = 0, to = shape.length): number {
  let p = 1;
  for (let k = from; k < to; k++) p *= shape[k]!;
  return p;
}

/** The tensor seen around mode k: [L, n_k, R]. */
export function around(shape: readonly number[], k: number): [number, number, number] {
  return [prod(shape, 0, k), shape[k]!, prod(shape, k + 1)];
}

/**
 * Below this many entries in the trailing modes, a mode product or Gram matrix unfolds the
 * tensor once instead of running one thin gemm per slab.
 */
const SLAB_MIN = 16;

/** Tile of the blocked transposes in {@link unfoldBlock} / {@link foldBlock}. */
const TILE = 32;

/**
 * Entries of an unfolding copied out at once (8 MB of float64): the unfolding paths work
 * block by block, so their extra memory stays bounded instead of another copy of the tensor.
 */
const BLOCK_ENTRIES = 1 << 20;

/**
 * Copy rows i0..i1-1 of the mode-k unfolding X_(k) (n_k x prod(other n), other modes in C
 * order), restricted to the columns of slabs l0..l1-1, into `out`: column-major
 * (i1 - i0) x ((l1 - l0) R), column (l - l0) R + j. Blocked over (i, j) so that both sides
 * move in runs of a cache line.
 */
export function unfoldBlock(X: Flat, k: number, l0: number, l1: number, i0: number, i1: number, out: Float64Array): void {
  const [, n, R] = around(X.shape, k);
  const d = X.data;
  const b = i1 - i0;
  for (let l = l0; l < l1; l++) {
    const src0 = l * n * R;
    const dst0 = (l - l0) * R * b - i0;
    for (let ii = i0; ii < i1; ii += TILE) {
      const ie = Math.min(i1, ii + TILE);
      for (let j0 = 0; j0 < R; j0 += TILE) {
        const j1 = Math.min(R, j0 + TILE);
        for (let j = j0; j < j1; j++) {
          const dst = dst0 + j * b;
          for (let i = ii; i < ie; i++) out[dst + i] = d[src0 + i * R + j]!;
        }
      }
    }
  }
}

/**
 * The inverse of {@link unfoldBlock} over whole columns: Z is m x ((l1 - l0) R)
 * column-major, the columns of slabs l0..l1-1 of the unfolding of a tensor of shape
 * `shape` (shape[k] = m); write those slabs, C-ordered, into `out` (the whole tensor's array).
 */
export function foldBlock(Z: Float64Array, shape: readonly number[], k: number, l0: number, l1: number, out: Float64Array): void {
  const [, m, R] = around(shape, k);
  for (let l = l0; l < l1; l++) {
    const dst0 = l * m * R;
    const src0 = (l - l0) * R * m;
    for (let i0 = 0; i0 < m; i0 += TILE) {
      const i1 = Math.min(m, i0 + TILE);
      for (let j0 = 0; j0 < R; j0 += TILE) {
        const j1 = Math.min(R, j0 + TILE);
        for (let i = i0; i < i1; i++) {
          const dst = dst0 + i * R;
          for (let j = j0; j < j1; j++) out[dst + j] = Z[src0 + j * m + i]!;
        }
      }
    }
  }
}

/** Slabs per block of the unfolding paths, for rows of `rows` entries per column and R columns per slab. */
function slabsPerBlock(rows: number, R: number, L: number): number {
  return Math.max(1, Math.min(L, Math.floor(BLOCK_ENTRIES / (rows * R))));
}

/**
 * The mode-k product Y = X x_k M for an m x n_k matrix M, into a fresh array of `ws`:
 * Y has X's shape with n_k replaced by m. `A` holds M column-major (ld `ldA`), or, with
 * `transA`, holds M^T (n_k x m column-major, e.g. a factor U for X x_k U^T).
 * Cost 2 N m flops (N = X's size), in gemm.
 */
export function ttm(X: Flat, k: number, A: Float64Array, ldA: number, transA: boolean, m: number, ws: Workspace): Flat {
  const [L, n, R] = around(X.shape, k);
  const shape = X.shape.slice();
  shape[k] = m;
  const Y = ws.alloc('float64', L * m * R, false) as Float64Array;
  const K = kernels();
  if (R === 1) {
    // Y^T (m x L, column-major) = M X_(k), X_(k) = the whole array (n x L, ld n).
    K.gemm(transA, false, m, L, n, 1, A, 0, ldA, X.data, 0, n, 0, Y, 0, m);
  } else if (L === 1 || R >= SLAB_MIN) {
    // Slab l: Y_l^T (R x m) = X_l^T (R x n, ld R) M^T.
    for (let l = 0; l < L; l++) K.gemm(false, !transA, R, m, n, 1, X.data, l * n * R, R, A, 0, ldA, 0, Y, l * m * R, R);
  } else {
    // Short trailing modes: a block of slabs unfolded, one gemm, folded back.
    const lb = slabsPerBlock(Math.max(n, m), R, L);
    const U = ws.alloc('float64', n * lb * R, false) as Float64Array;
    const Z = ws.alloc('float64', m * lb * R, false) as Float64Array;
    for (let l0 = 0; l0 < L; l0 += lb) {
      const l1 = Math.min(L, l0 + lb);
      unfoldBlock(X, k, l0, l1, 0, n, U);
      K.gemm(transA, false, m, (l1 - l0) * R, n, 1, A, 0, ldA, U, 0, n, 0, Z, 0, m);
      foldBlock(Z, shape, k, l0, l1, Y);
    }
  }
  return { data: Y, shape };
}

/**
 * G := X_(k) X_(k)^T (n_k x n_k column-major, lower triangle only), by syrk: N n_k flops.
 * `G` must hold n_k^2 entries.
 */
export function gramInto(X: Flat, k: number, G: Float64Array, ws: Workspace): void {
  const [L, n, R] = around(X.shape, k);
  const K = kernels();
  if (R === 1) {
    K.syrk('L', false, n, L, 1, X.data, 0, n, 0, G, 0, n);
  } else if (L === 1 || R >= SLAB_MIN) {
    for (let l = 0; l < L; l++) K.syrk('L', true, n, R, 1, X.data, l * n * R, R, l === 0 ? 0 : 1, G, 0, n);
  } else {
    const lb = slabsPerBlock(n, R, L);
    const U = ws.alloc('float64', n * lb * R, false) as Float64Array;
    for (let l0 = 0; l0 < L; l0 += lb) {
      const l1 = Math.min(L, l0 + lb);
      unfoldBlock(X, k, l0, l1, 0, n, U);
      K.syrk('L', false, n, (l1 - l0) * R, 1, U, 0, n, l0 === 0 ? 0 : 1, G, 0, n);
    }
  }
}

/**
 * Make the largest-magnitude entry of every column of the n x r column-major `U` positive
 * (the first one on ties), as scikit-learn's `svd_flip` does for U, so factors are
 * deterministic and comparable with the numpy references.
 */
export function flipColumns(U: Float64Array, n: number, r: number): void {
  for (let c = 0; c < r; c++) {
    let best = 0;
    let at = c * n;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(U[c * n + i]!);
      if (a > best) {
        best = a;
        at = c * n + i;
      }
    }
    if (U[at]! < 0) for (let i = 0; i < n; i++) U[c * n + i] = -U[c * n + i]!;
  }
}

/**
 * The r leading left singular vectors of the unfolding X_(k) (n_k x M, M = N / n_k), as an
 * n_k x r column-major array with orthonormal columns, signs fixed by {@link flipColumns};
 * r <= min(n_k, M). Both routes work on the smaller Gram matrix of X_(k):
 *
 * - n_k <= M (a mode shorter than the rest of the tensor): the leading eigenvectors of the
 *   n_k x n_k Gram matrix X_(k) X_(k)^T (syrk, N n_k flops; eigh, O(n_k^3)).
 * - n_k > M (a tall unfolding, e.g. HOOI's (X x_{j != k} U_j^T)_(k) for a long mode): the
 *   leading eigenvectors V_r of the M x M Gram matrix X_(k)^T X_(k), then
 *   U = orth(X_(k) V_r) by a Householder QR (X_(k) V_r = U_r S_r has orthogonal columns,
 *   so QR returns U_r up to signs, and an orthonormal basis even where X_(k) is
 *   rank-deficient). About N M + O(M^3) + 2 n_k r^2 flops, against 4 n_k M^2 + 8 M^3 for a
 *   thin SVD of X_(k).
 *
 * The squared singular values only rank the vectors; the subspaces are what Tucker needs.
 */
export function leadingVectors(X: Flat, k: number, r: number, ws: Workspace): Float64Array {
  const n = X.shape[k]!;
  const M = X.data.length / n;
  const out = new Float64Array(n * r);
  if (n <= M) {
    const G = ws.alloc('float64', n * n, false) as Float64Array;
    gramInto(X, k, G, ws);
    const { V } = eigh(new Matrix(G, n, n));
    // eigh's values ascend: the leading vectors are the last columns, taken in reverse.
    for (let c = 0; c < r; c++) {
      const src = (n - 1 - c) * n;
      for (let i = 0; i < n; i++) out[c * n + i] = V.data[src + i]!;
    }
  } else {
    // G = X_(k)^T X_(k) and B = X_(k) V_r, a block of rows of X_(k) at a time.
    const K = kernels();
    const L = prod(X.shape, 0, k);
    const rb = Math.max(1, Math.min(n, Math.floor(BLOCK_ENTRIES / M)));
    const U = ws.alloc('float64', rb * M, false) as Float64Array;
    const G = ws.alloc('float64', M * M, false) as Float64Array;
    for (let i0 = 0; i0 < n; i0 += rb) {
      const i1 = Math.min(n, i0 + rb);
      unfoldBlock(X, k, 0, L, i0, i1, U);
      K.syrk('L', true, M, i1 - i0, 1, U, 0, i1 - i0, i0 === 0 ? 0 : 1, G, 0, M);
    }
    const { V } = eigh(new Matrix(G, M, M));
    const Vr = new Float64Array(M * r);
    for (let c = 0; c < r; c++) Vr.set(V.data.subarray((M - 1 - c) * M, (M - c) * M), c * M);
    const B = new Float64Array(n * r);
    for (let i0 = 0; i0 < n; i0 += rb) {
      const i1 = Math.min(n, i0 + rb);
      unfoldBlock(X, k, 0, L, i0, i1, U);
      K.gemm(false, false, i1 - i0, r, M, 1, U, 0, i1 - i0, Vr, 0, M, 0, B, i0, n);
    }
    out.set(qr(new Matrix(B, n, r)).Q.toFlat('F'));
  }
  flipColumns(out, n, r);
  return out;
}

/** Frobenius norm of a flat tensor (scaled as Tensor.norm, so entries near 1e±300 are fine). */
export function normOf(X: Flat): number {
  return new Tensor(X.data, X.shape).norm();
}

/**
 * The shape of the tensor argument of a decomposition, checked before any work.
 * @throws InvalidArgumentError when T is not a Tensor, has fewer than two modes, or a mode
 *   of length 0.
 */
export function tensorShape(T: Tensor, routine: string): number[] {
  if (!(T instanceof Tensor)) throw new InvalidArgumentError(`${routine}: expected a Tensor, got ${T === null ? 'null' : Array.isArray(T) ? 'an array (wrap it with Tensor.fromArray)' : typeof T}`);
  const shape = [...T.shape];
  if (shape.length < 2) {
    throw new InvalidArgumentError(`${routine}: the tensor has ${shape.length} mode (shape [${shape.join(', ')}]); a tensor decomposition needs at least 2 modes (reshape a vector into a tensor first)`);
  }
  const zero = shape.indexOf(0);
  if (zero >= 0) throw new InvalidArgumentError(`${routine}: mode ${zero} of the tensor has length 0 (shape [${shape.join(', ')}])`);
  return shape;
}

/** A decomposition's working copy of its tensor argument: X = scale * (the copy). */
export interface FlatInput {
  /** The working copy, C-ordered float64 in the kernels' memory, possibly scaled. */
  readonly X: Flat;
  /** The power of two the copy was divided by (1 unless the entries were extreme). */
  readonly scale: number;
}

// Entries beyond 2^±400 are scaled (by a power of two, exactly) so that Gram matrices and
// squared norms, which square them, stay inside float64's range.
const SCALE_ABOVE = 2 ** 400;
const SCALE_BELOW = 2 ** -400;

/**
 * The tensor argument of a decomposition, checked and copied once, C-ordered float64, into
 * `ws` (the kernels' memory, so every gemm on it runs in place). A tensor whose largest
 * magnitude is beyond 2^±400 is divided by a power of two near it (exact), returned as
 * `scale`, which the caller multiplies back into its result.
 * @throws as {@link tensorShape}; NonFiniteInputError naming the first NaN/Inf entry by its index.
 */
export function flatInput(T: Tensor, routine: string, ws: Workspace): FlatInput {
  const shape = tensorShape(T, routine);
  const N = T.size;
  const data = ws.alloc('float64', N, false) as Float64Array;
  // Straight into the working copy, converting float32 on the way (a view's strided
  // elements by the Tensor layer's blocked copy): one copy of the tensor, never two.
  if (T.isContiguous('C')) data.set(T.data.subarray(T.offset, T.offset + N));
  else copyToC(T.data, T.offset, T.shape, T.strides, data, 0);
  let big = 0;
  for (let p = 0; p < N; p++) {
    const v = data[p]!;
    // Written so that NaN fails the test too.
    if (!(Math.abs(v) <= Number.MAX_VALUE)) {
      throw new NonFiniteInputError(`${routine}: the tensor holds ${v} at index [${unravelIndex(p, shape).join(', ')}]; decompositions need finite numbers`);
    }
    if (Math.abs(v) > big) big = Math.abs(v);
  }
  let scale = 1;
  if (big > SCALE_ABOVE || (big > 0 && big < SCALE_BELOW)) {
    scale = 2 ** Math.round(Math.log2(big));
    const inv = 1 / scale;
    for (let p = 0; p < N; p++) data[p] = data[p]! * inv;
  }
  return { X: { data, shape }, scale };
}

