/**
 * Randomized SVD to an energy target, growing the sketch until the target is met (the
 * fixed-precision problem of Halko, Martinsson & Tropp, "Finding structure with randomness",
 * SIAM Review 53(2), 2011, sec. 4.4, with the blocked, power-iterated range finder of their
 * Algorithm 4.4 applied to one block of new columns at a time, and Algorithm 5.1 at the end).
 *
 * The basis Q (m x l, orthonormal) grows by blocks of b columns: a Gaussian block is pushed
 * through A with q power iterations, each followed by projection against the columns already
 * found and QR, then projected twice more (classical Gram-Schmidt twice is enough: Giraud,
 * Langou & Rozložník 2005) and orthonormalized. After each block, B = Q^T A gives the
 * energy captured exactly: ||Q Q^T A||_F^2 = ||B||_F^2, and for the truncation of B's SVD to
 * rank r,
 *
 *   ||A - Q B_r||_F^2 = ||A||_F^2 - sum_{i<=r} s_i(B)^2,
 *
 * so the rank chosen from B's singular values meets the target exactly (not an estimate);
 * s_i(B) <= s_i(A), so it is never below the optimal rank and, with the oversampling below,
 * rarely above it. The sketch doubles (b = l) so the total work is within twice the last
 * round's; the caller switches to a full SVD when the sketch would pass `maxSketch`.
 */
import { InvalidArgumentError, NonFiniteInputError } from '../../errors.js';
import { activeWasm } from '../../kernels/index.js';
import type { FitSteps } from '../../fit-async.js';
import { Workspace } from '../../kernels/workspace.js';
import { gemmInto } from '../../linalg/matmul.js';
import { svd } from '../../linalg/svd.js';
import { Matrix } from '../../matrix/matrix.js';
import { qrBasis } from '../../lowrank/orthonormalize.js';
import { block, productsOf, type Products } from '../../lowrank/products.js';
import { checkAborted, type LongTaskOptions } from '../../progress.js';
import { rng, type RandomState } from '../../random.js';

/** Settings of {@link adaptiveSvdSteps}. */
export interface AdaptiveSvdSettings extends LongTaskOptions {
  /** Energy that the rank-r truncation must keep, as a fraction of ||A||_F^2 (in (0, 1]). */
  readonly energy: number;
  /** Or instead: relative Frobenius error eps to reach (the tail sum_{i>r} s_i^2 <= eps^2 ||A||_F^2). */
  readonly error?: number;
  /** Columns of the first block (default 32). */
  readonly firstBlock?: number;
  /** Largest sketch; undefined is returned when the target needs more. */
  readonly maxSketch: number;
  /** Columns beyond the chosen rank the sketch must have before it is trusted (default 10). */
  readonly oversample?: number;
  /** Power iterations per block (default 4). */
  readonly powerIters?: number;
  /** Seed of the Gaussian blocks (default 0). */
  readonly seed?: RandomState;
  /**
   * A fixed rank instead of a target: one block of rank + oversample columns (Halko et al.'s
   * Algorithms 4.4 and 5.1, as randomizedSvd), the top `fixedRank` triplets returned.
   */
  readonly fixedRank?: number;
  /**
   * Keep one copy of A in the kernels' memory instead of the two packed copies (A and A^T)
   * that make each product faster: for matrices whose copies would not fit beside the input.
   * When A itself already lives in the kernels' memory with unit row or column stride (a
   * tensor decoded straight into it), no copy at all: the products read A in place.
   */
  readonly lowMemory?: boolean;
}

/** What {@link adaptiveSvdSteps} found. */
export interface AdaptiveSvd {
  /** m x r left factors. */
  readonly U: Matrix;
  /** r singular values of B (descending), <= A's. */
  readonly s: Float64Array;
  /** r x n right factors. */
  readonly Vt: Matrix;
  /** Every singular value of B (length l). */
  readonly sketchValues: Float64Array;
  /** ||A||_F^2. */
  readonly totalEnergy: number;
  /** Columns of the final sketch. */
  readonly sketch: number;
}

/** Sum of squares of a view's entries, in float64. */
export function sumSquares(A: Matrix): number {
  const { data, offset, rowStride: rs, colStride: cs, rows, cols } = A;
  let t = 0;
  if (rs === 1 || cs === 1) {
    // One run per column (column-major) or per row (row-major).
    const [outer, inner, os, is] = rs === 1 ? [cols, rows, cs, 1] : [rows, cols, rs, 1];
    for (let o = 0; o < outer; o++) {
      let p = offset + o * os;
      for (let i = 0; i < inner; i++, p += is) t += data[p]! * data[p]!;
    }
    return t;
  }
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) t += data[offset + i * rs + j * cs]! ** 2;
  return t;
}

/**
 * The steps of the adaptive randomized SVD (see the file comment): yields after each block,
 * returns the factors of the smallest rank r meeting the target, or undefined when the
 * sketch would have to grow past `maxSketch`.
 */
export function* adaptiveSvdSteps(A: Matrix, settings: AdaptiveSvdSettings): FitSteps<AdaptiveSvd | undefined> {
  const routine = 'adaptiveSvd';
  const [m0, n0] = A.shape;
  const { onProgress, signal } = settings;
  const q = settings.powerIters ?? 4;
  const p = settings.oversample ?? 10;
  const kmax = Math.min(m0, n0);
  const lmax = Math.min(settings.maxSketch, kmax);
  if (!(lmax >= 1)) throw new InvalidArgumentError(`${routine}: maxSketch must be >= 1`);
  const total = sumSquares(A);
  // Energy the truncation must keep: e T, or T - eps^2 T for an error target.
  const fixed = settings.fixedRank;
  const need = fixed !== undefined ? 0 : settings.error !== undefined ? total - settings.error * settings.error * total : settings.energy * total;
  const transpose = m0 < n0;
  const [m, n] = transpose ? [n0, m0] : [m0, n0];
  const ws = new Workspace();
  // The sketch's blocks live in their own workspace, replaced by larger ones as the sketch
  // grows (capacity doubling, the columns found so far copied over), so memory follows the
  // sketch actually needed rather than maxSketch.
  let bws = new Workspace();
  try {
    const P = (settings.lowMemory && residentProducts(A, transpose, total, routine)) || productsOf(A, transpose, ws, routine, { blocks: !settings.lowMemory });
    const dtype = P.dtype;
    let cap = 0;
    let Q = block(bws, dtype, m, 0);
    let Bt = Q; // B^T = A^T Q (n x l), one column per basis vector
    let C = Q; // projection coefficients Q^T Y
    let Z = Q; // the Gaussian block and its power iterates
    const r0 = rng(settings.seed ?? 0);
    let l = 0;
    let b = Math.min(fixed !== undefined ? fixed + p : settings.firstBlock ?? 32, lmax);
    const reserve = (columns: number) => {
      if (columns <= cap) return;
      const next = new Workspace();
      cap = Math.min(lmax, Math.max(columns, 2 * cap));
      const Q2 = block(next, dtype, m, cap);
      const B2 = block(next, dtype, n, cap);
      if (l > 0) {
        Q2.data.set(Q.data.subarray(0, m * l));
        B2.data.set(Bt.data.subarray(0, n * l));
      }
      [Q, Bt, C, Z] = [Q2, B2, block(next, dtype, cap, cap), block(next, dtype, n, cap)];
      bws.release();
      bws = next;
    };
    const project = (Y: Matrix) => {
      if (l === 0) return;
      const Ql = Q.colRange(0, l);
      const c = C.slice(0, l, 0, Y.cols);
      gemmInto(Ql.T, Y, c);
      gemmInto(Ql, c, Y, -1, 1);
    };
    for (;;) {
      reserve(l + b);
      const Y = Q.colRange(l, l + b);
      const Om = Z.colRange(0, b);
      const od = Om.data;
      for (let j = 0; j < b; j++) for (let i = 0; i < n; i++) od[Om.offset + i + j * Om.colStride] = r0.nextNormal();
      P.apply(Om, Y);
      for (let it = 0; it < q; it++) {
        project(Y);
        qrBasis(Y, ws);
        P.applyTranspose(Y, Om);
        qrBasis(Om, ws);
        P.apply(Om, Y);
      }
      project(Y);
      project(Y);
      qrBasis(Y, ws);
      const Bb = Bt.colRange(l, l + b);
      P.applyTranspose(Y, Bb);
      l += b;
      const captured = sumSquares(Bt.colRange(0, l));
      onProgress?.({ stage: 'sketch', done: l, total: lmax, metrics: { energy: total > 0 ? captured / total : 1 } });
      checkAborted(signal, routine);
      yield;
      if (fixed !== undefined || captured >= need || l >= lmax) {
        // B^T = W S Zt (n x l, tall): B = Zt^T S W^T, A ~ Q B = (Q Zt^T) S W^T.
        const f = svd(Bt.colRange(0, l).astype('float64'));
        const sv = Float64Array.from(f.s);
        let kept = 0;
        let r = 0;
        while (r < sv.length && kept < need) kept += sv[r]! ** 2, r++;
        if (fixed !== undefined) r = Math.min(fixed, l);
        const enough = fixed !== undefined || kept >= need || l >= kmax;
        if (enough && (fixed !== undefined || r + p <= l || l >= lmax)) {
          const rr = Math.max(r, 1);
          // U = Q Zt^T[:, :r] (m x r), V = W[:, :r] (n x r).
          const Zr = f.Vt.rowRange(0, rr).T.astype(dtype);
          const U = Matrix.zeros(m, rr, { dtype });
          gemmInto(Q.colRange(0, l), Zr, U);
          const V = f.U.colRange(0, rr).astype(dtype);
          const s = sv.slice(0, rr);
          return transpose
            ? { U: V, s, Vt: U.T.copy(), sketchValues: sv, totalEnergy: total, sketch: l }
            : { U, s, Vt: V.T.copy(), sketchValues: sv, totalEnergy: total, sketch: l };
        }
        if (l >= lmax) return undefined;
        // The target is met at rank r but the sketch lacks the oversampling that makes its
        // last directions trustworthy: add just those columns.
        b = Math.min(lmax - l, Math.max(1, r + p - l));
        continue;
      }
      b = Math.min(lmax - l, l); // double the sketch
    }
  } finally {
    bws.release();
    ws.release();
  }
}

/**
 * Products with A read where it is, when it is a view of the kernels' WASM memory with unit
 * row or column stride (gemm takes either as a column-major operand or its transpose); else
 * undefined. `total` is A's sum of squares: finite exactly when every entry is (barring overflow).
 */
function residentProducts(A: Matrix, transpose: boolean, total: number, routine: string): Products | undefined {
  const w = activeWasm();
  if (!w || !w.heap.owns(A.data) || !(A.rowStride === 1 || A.colStride === 1)) return undefined;
  if (!Number.isFinite(total)) throwNonFinite(A, routine);
  const op = transpose ? A.T : A;
  const opT = op.T;
  return {
    rows: op.rows,
    cols: op.cols,
    dtype: A.dtype,
    dense: true,
    apply: (X, Y) => gemmInto(op, X, Y),
    applyTranspose: (Y, Z) => gemmInto(opT, Y, Z),
  };
}

/** A's sum of squares is not finite: name the first NaN/Inf (an overflow of the sum alone passes). */
function throwNonFinite(A: Matrix, routine: string): void {
  for (let j = 0; j < A.cols; j++) {
    for (let i = 0; i < A.rows; i++) {
      const v = A.data[A.offset + i * A.rowStride + j * A.colStride]!;
      if (!Number.isFinite(v)) throw new NonFiniteInputError(`${routine}: the input holds ${v} at (${i}, ${j}); decompositions need finite numbers`);
    }
  }
}
