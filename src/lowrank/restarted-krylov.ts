/**
 * What the restarted Krylov eigensolvers share: {@link eigs} (implicitly restarted Arnoldi,
 * eigs.ts) and {@link eigsh} (thick-restart Lanczos, eigsh.ts) build the same kind of
 * basis and run the same outer loop; only the projected matrix (Hessenberg H or the
 * symmetric arrowhead-then-tridiagonal T) and how a restart compresses it differ.
 *
 * - {@link KrylovBasis}: the n x (c + m + 1) basis in the kernels' memory (c fixed leading
 *   columns to stay orthogonal to, then v_0 .. v_m), its start vector (the caller's v0 or a
 *   seeded random one), a fresh random direction after a breakdown, classical
 *   Gram-Schmidt against the leading columns (DGKS, orthonormalize.ts) and the product
 *   V_m C formed in place a block of rows at a time.
 * - {@link startVectorRule}: the option rule of their start vector `v0`.
 * - {@link convergedPairs}, {@link restartsExhausted}, {@link keptOnRestart}: the loop's
 *   residual test, its error when the restarts run out, and how many Ritz vectors a
 *   restart keeps (ARPACK's dnaup2 / dsaup2 rule with IRLBA's three extra).
 *
 * @internal
 */
import { ConvergenceError } from '../errors.js';
import { kernels } from '../kernels/index.js';
import type { Workspace } from '../kernels/workspace.js';
import { epsOf, type FloatArray } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import { satisfies } from '../options.js';
import type { Rng } from '../random.js';
import { copyStartVector, type VectorProduct } from './krylov-input.js';
import { orthogonalize } from './orthonormalize.js';

/** Option rule of a start vector `v0`: an array-like of numbers (entries are checked when copied). */
export const startVectorRule = satisfies('an array of numbers', (v): v is ArrayLike<number> =>
  typeof v === 'object' && v !== null && typeof (v as { length?: unknown }).length === 'number');

/**
 * A Krylov basis of A (n x n) of size m, with its products and orthogonalization: the
 * storage and column operations both restarted eigensolvers build on. Subclasses add the
 * projected matrix and the recurrence (`extend`) that fills columns j0 .. m.
 */
export abstract class KrylovBasis {
  protected readonly op: VectorProduct;
  protected readonly n: number;
  /** Basis size (scipy's ncv). */
  protected readonly m: number;
  /** Fixed columns at the front of W (deflated eigenvectors; 0 for none). */
  protected readonly c: number;
  /**
   * n x (c + m + 1): the fixed columns, then v_0 .. v_m. Not zeroed (66 MB for n = 200,000
   * and ncv = 40): every column is written before it is read.
   */
  protected readonly W: Matrix;
  /** Gram-Schmidt coefficients of the last {@link orthogonalizeColumn} (length c + m + 2). */
  protected readonly coef: Float64Array;
  /** Scratch of the orthogonalizations (length c + m + 2). */
  protected readonly tmp: Float64Array;
  /** Rows of the basis per gemm in {@link combine}, and the scratch that many rows need. */
  private readonly rowBlock: number;
  private readonly scratch: Float64Array;
  private readonly rand: Rng;
  protected readonly eps = epsOf('float64');
  protected readonly routine: string;
  /** First column not yet computed. */
  protected j0 = 0;
  /** Running estimate of ||A|| (largest |Ritz value| and ||A v|| seen). */
  protected normEst = 0;
  /** Norm of the residual after the last step (the coupling to v_m). */
  beta = 0;
  /** Products taken. */
  matvecs = 0;

  /**
   * Allocate the basis in `ws` and set v_0: the caller's v0 made orthogonal to Z and
   * normalized, else (v0 absent or in span(Z)) a seeded random unit vector orthogonal to Z.
   */
  constructor(
    op: VectorProduct, n: number, m: number, Z: Matrix | undefined, v0: ArrayLike<number> | undefined,
    rand: Rng, ws: Workspace, rowBlock: number, routine: string,
  ) {
    this.op = op;
    this.n = n;
    this.m = m;
    this.c = Z?.cols ?? 0;
    this.rand = rand;
    this.routine = routine;
    this.rowBlock = rowBlock;
    const cols = this.c + m + 1;
    this.W = new Matrix(ws.alloc('float64', Math.max(1, n * cols), false), n, cols, 0, 1, Math.max(1, n));
    if (Z) for (let j = 0; j < this.c; j++) this.W.data.set(Z.data.subarray(Z.offset + j * Z.colStride, Z.offset + j * Z.colStride + n), this.W.offset + j * this.W.colStride);
    this.coef = ws.f64(this.c + m + 2);
    this.tmp = ws.f64(this.c + m + 2);
    this.scratch = ws.f64(Math.min(n, rowBlock) * m);
    const o = this.col(0);
    let ok = false;
    if (v0 !== undefined) {
      copyStartVector(v0, n, this.W.data, o, routine);
      const nrm = this.orthogonalizeColumn(0, this.c, true);
      ok = nrm > 0;
      if (ok) kernels().scal(n, 1 / nrm, this.W.data, o, 1);
    }
    if (!ok) this.randomOrthogonal(0);
  }

  /** Offset of basis column j (v_j) in W's data. */
  protected col(j: number): number {
    return this.W.offset + (this.c + j) * this.W.colStride;
  }

  /** Basis column j (v_j) as an n x 1 view. */
  protected view(j: number): Matrix {
    return new Matrix(this.W.data, this.n, 1, this.col(j), 1, this.W.colStride);
  }

  /**
   * Orthogonalize v_j against the first `cols` columns of W (the fixed ones, then v_0 ..)
   * by classical Gram-Schmidt with the DGKS correction, twice over when `twice`; the
   * coefficients of the (last) pass are left in {@link coef}. Returns ||v_j|| after it.
   */
  protected orthogonalizeColumn(j: number, cols: number, twice: boolean): number {
    const { n, W } = this;
    this.coef.fill(0);
    let nrm = orthogonalize(n, cols, W.data, W.offset, W.colStride, W.data, this.col(j), this.coef, this.tmp);
    if (twice) nrm = orthogonalize(n, cols, W.data, W.offset, W.colStride, W.data, this.col(j), this.coef, this.tmp);
    return nrm;
  }

  /**
   * v_j := a seeded random unit vector orthogonal to the fixed columns and v_0 .. v_{j-1}
   * (after a breakdown: the Krylov space became invariant); zero when they span the space.
   */
  protected randomOrthogonal(j: number): void {
    const { n } = this;
    const o = this.col(j);
    const d = this.W.data;
    for (let attempt = 0; attempt < 3; attempt++) {
      for (let i = 0; i < n; i++) d[o + i] = this.rand.nextNormal();
      const nrm = this.orthogonalizeColumn(j, this.c + j, true);
      if (nrm > 1e-8 * Math.sqrt(n)) {
        kernels().scal(n, 1 / nrm, d, o, 1);
        return;
      }
    }
    d.fill(0, o, o + n);
  }

  /**
   * out[:, 0..l) := V_m C (C m x l, column-major), a block of rows at a time, so that `out`
   * may be the basis itself (each block's product is taken before its rows are overwritten).
   */
  protected combine(C: Float64Array, l: number, out: FloatArray, offOut: number, ldOut: number): void {
    const { n, m, W, scratch, rowBlock } = this;
    const g = kernels();
    for (let r0 = 0; r0 < n; r0 += rowBlock) {
      const rows = Math.min(rowBlock, n - r0);
      g.gemm(false, false, rows, l, m, 1, W.data, this.col(0) + r0, W.colStride, C, 0, m, 0, scratch, 0, rows);
      for (let j = 0; j < l; j++) out.set(scratch.subarray(j * rows, j * rows + rows), offOut + r0 + j * ldOut);
    }
  }
}

/**
 * The residual test of one restart: how many of the k wanted Ritz pairs have
 * residual(i) <= tol * normEst (pair i the i-th most wanted), and the largest relative
 * residual among them (what progress reports and error messages show).
 */
export function convergedPairs(k: number, residual: (i: number) => number, normEst: number, tol: number): { converged: number; worst: number } {
  let converged = 0;
  let worst = 0;
  for (let i = 0; i < k; i++) {
    const rel = normEst > 0 ? residual(i) / normEst : 0;
    worst = Math.max(worst, rel);
    if (rel <= tol) converged++;
  }
  return { converged, worst };
}

/**
 * The ConvergenceError of a restarted eigensolver that used up maxIter restarts: how many
 * pairs converged, the worst relative residual, and what to change (`advice` ends the list).
 */
export function restartsExhausted(
  routine: string, converged: number, k: number, tol: number, restarts: number, worst: number, ncv: number, advice: string,
): ConvergenceError {
  return new ConvergenceError(
    `${routine}: ${converged} of ${k} eigenpairs converged to tol ${tol} after ${restarts} restarts ` +
    `(largest relative residual ${worst.toExponential(2)}); raise maxIter or ncv (now ${ncv}), ${advice}`,
  );
}

/**
 * Ritz vectors a restart keeps: the k wanted, 3 more and one more per converged pair, but
 * at most half of the free room, so every restart adds at least (ncv - k) / 2 new
 * directions (ARPACK's dnaup2 / dsaup2 keep k + min(converged, (ncv - k) / 2); IRLBA adds
 * the 3), and at most `most`. Measured on the hard matrix of bench/eigsh.ts (k = 10,
 * ncv = 30): 1034 products, against 1130 when the kept set could grow to ncv - 1 and 1260
 * with a fixed (ncv + k) / 2.
 */
export function keptOnRestart(k: number, ncv: number, converged: number, most: number): number {
  return Math.min(most, k + Math.min(3 + converged, Math.max(1, Math.floor((ncv - k) / 2))));
}
