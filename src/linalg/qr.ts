/**
 * QR factorizations: Householder (blocked), complete or economy, and column-pivoted; and
 * least squares with them (LAPACK dgels for full-rank A).
 *
 * The two kinds are two types, so the TypeScript type follows the `pivoting` option:
 * `qr(A)` gives a {@link Qr} (A = Q R), `qr(A, { pivoting: true })` a {@link QrPivoted}
 * (A[:, perm] = Q R) whose `perm` and `rank` are always present.
 */
import { SingularMatrixError } from '../errors.js';
import { epsOf, type DType, type FloatArray } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import { bool, maybe, num, oneOf, opt, resolveOptions, type Constraint, type Field } from '../options.js';
import { rhsMatrix, rhsResult, type Rhs } from './args.js';
import { trsm } from './lapack/blas.js';
import { toMatrix, upperToMatrix, workCopy } from './lapack/dense.js';
import { geqp3 } from './lapack/geqp3.js';
import { geqrf, orgqr } from './lapack/geqrf.js';
import { ormrz, tzrzf } from './lapack/tzrzf.js';
import { smallQr } from './small.js';
import { kernels } from '../kernels/index.js';
import { withWorkspace, type Workspace } from '../kernels/workspace.js';

/** The shapes {@link qr} can return, as a runtime list (see {@link QrOptions.mode}). */
const QR_MODES = ['reduced', 'complete'] as const;

/** Options of {@link qr}. */
export interface QrOptions {
  /**
   * 'reduced' (default, numpy's default): Q m x k, R k x n with k = min(m, n).
   * 'complete': Q m x m, R m x n.
   */
  mode?: (typeof QR_MODES)[number];
  /**
   * Column pivoting (rank-revealing): A[:, perm] = Q R with |R_00| >= |R_11| >= ...; the
   * result is then a {@link QrPivoted}. Default false.
   */
  pivoting?: boolean;
  /**
   * With pivoting only: the numerical rank counts |R_ii| > rcond * |R_00|. A finite
   * number >= 0; default max(m, n) * eps, as numpy.linalg.matrix_rank.
   */
  rcond?: number;
}

const QR_OPTIONS = {
  mode: opt(oneOf(QR_MODES), 'reduced'),
  pivoting: opt(bool, false),
  rcond: maybe(num(0)),
} satisfies { [K in keyof Required<QrOptions>]: Field<NonNullable<QrOptions[K]>> };

const QR_CONSTRAINTS: Constraint<typeof QR_OPTIONS>[] = [
  {
    ok: (o) => o.rcond === undefined || o.pivoting,
    message: (o) => `option 'rcond' (${o.rcond}) sets the rank of a pivoted factorization; pass pivoting: true with it`,
  },
];

/**
 * What both kinds of QR share: the factors Q and R and the least-squares solve that uses
 * them. The Householder reflectors Q came from are not kept: Q^T B with the explicit Q is
 * one gemm (2 m k r flops, fewer than dormqr's 4 m k r - 2 k^2 r), and not keeping them
 * saves every qr call an m x n copy (at n = 1024, 8 MB of fresh memory per call).
 */
abstract class QrFactors {
  /** Orthonormal columns: m x k with k = min(m, n), or m x m for mode 'complete'. */
  readonly Q: Matrix;
  /** Upper triangular (trapezoidal when m < n) factor: k x n, or m x n for mode 'complete'. */
  readonly R: Matrix;
  /** Rows of A. */
  protected readonly m: number;
  /** Columns of A. */
  protected readonly n: number;
  /** RZ factorization of R's first m rows, made by the first solve with a wide A. */
  private rz: { a: FloatArray; tau: FloatArray } | undefined;

  constructor(Q: Matrix, R: Matrix, m: number, n: number) {
    this.Q = Q;
    this.R = R;
    this.m = m;
    this.n = n;
  }

  /**
   * Solve A X = B in the least-squares sense (LAPACK dgels, here with the factors already
   * made); for a pivoted factorization the same with A[:, perm], the solution's rows put
   * back in A's column order. The solve reads `Q` and `R` as returned: modifying them in
   * place changes what it solves.
   *
   * - m >= n (square or tall): X = R^{-1} (Q^T B)[0:n], the unique minimizer of
   *   ||A X - B||_F: one gemm with Q's first n columns, then one triangular solve with R
   *   (dtrtrs). Cost 2 m n r + n^2 r flops for r right-hand sides.
   * - m < n (wide): the minimum-norm solution of the underdetermined A X = B. R = [R1 R2]
   *   is reduced to [T 0] Z by orthogonal transformations from the right (dtzrzf, once, on
   *   the first wide solve: 2 m^2 (n - m) flops), then X = Z^T [T^{-1} Q^T B; 0]
   *   (dormrz), as LAPACK dgelsy does after its QR step.
   *
   * With full rank these equal `lstsq`'s SVD solution (to rounding; cond(A) eps
   * relative), at a fraction of the cost; rank-deficient problems need `lstsq`.
   *
   * @param b - the right-hand side: a length-m vector, or an m x r Matrix (one system per
   *   column). Its dtype and the factors' decide the arithmetic: float32 only when both are.
   * @returns x of length n (for a vector b) or the n x r Matrix X.
   * @throws ShapeError when b does not have m rows; NonFiniteInputError when b holds NaN or
   *   Inf; SingularMatrixError when A is numerically rank-deficient (see the subclass).
   * @example
   * qr(Matrix.from([[1, 0], [1, 1], [1, 2]])).solve([1, 2, 2]); // Float64Array [1.1667, 0.5]
   */
  solve(b: Matrix): Matrix;
  solve(b: ArrayLike<number>): FloatArray;
  solve(b: Rhs): Matrix | FloatArray {
    const { m, n } = this;
    const { B, vector } = rhsMatrix(b, m, 'qr.solve');
    this.requireFullRank();
    const k = Math.min(m, n);
    const r = B.cols;
    const dtype: DType = this.R.dtype === 'float32' && B.dtype === 'float32' ? 'float32' : 'float64';
    const X = withWorkspace((ws) => {
      const c = workCopy(B, 'qr.solve', ws, dtype);
      // Y = (Q's first k columns)^T B, k x r: Q is stored column-major with ld = m.
      const ldQ = Math.max(1, m);
      const q = ws.alloc(dtype, ldQ * k, false);
      q.set(this.Q.data.subarray(0, ldQ * k));
      const ldY = Math.max(1, k);
      const y = ws.alloc(dtype, ldY * r);
      if (k > 0 && r > 0) kernels().gemm(true, false, k, r, m, 1, q, 0, ldQ, c.a, 0, c.ld, 0, y, 0, ldY);
      if (m >= n) {
        trsm('L', 'U', false, false, n, r, 1, this.upperBlock(ws, dtype), 0, ldY, y, 0, ldY);
        return toMatrix(y, 0, ldY, n, r, dtype);
      }
      const rz = this.rzFactors();
      const t = ws.alloc(dtype, rz.a.length, false);
      t.set(rz.a);
      const rzTau = ws.alloc(dtype, rz.tau.length, false);
      rzTau.set(rz.tau);
      // W = [T^{-1} (Q^T B); 0], n x r with ld n (n > m >= 0), then X = Z^T W.
      const w = ws.alloc(dtype, n * r);
      for (let j = 0; j < r; j++) w.set(y.subarray(j * ldY, j * ldY + m), j * n);
      trsm('L', 'U', false, false, m, r, 1, t, 0, ldY, w, 0, n);
      ormrz(true, m, n, r, t, 0, ldY, rzTau, 0, w, 0, n, ws.alloc(dtype, Math.max(r, 1)));
      return toMatrix(w, 0, n, n, r, dtype);
    });
    return rhsResult(this.toColumnOrder(X), vector);
  }

  /** R's leading k x n rows (k = min(m, n)) in the workspace, column-major with ld = max(1, k). */
  private upperBlock(ws: Workspace, dtype: DType): FloatArray {
    const { m, n } = this;
    const k = Math.min(m, n);
    const ld = Math.max(1, k);
    const R = this.R.data;
    const ldR = Math.max(1, this.R.rows);
    const t = ws.alloc(dtype, ld * n, false);
    if (ldR === ld) t.set(R.subarray(0, ld * n));
    else for (let j = 0; j < n; j++) t.set(R.subarray(j * ldR, j * ldR + k), j * ld);
    return t;
  }

  /** R[j, j]. */
  protected diag(j: number): number {
    return this.R.data[j + j * Math.max(1, this.R.rows)]!;
  }

  /** @throws SingularMatrixError unless the factorization has full rank (numerically). */
  protected abstract requireFullRank(): void;

  /** The solution of the factored system, with its rows in A's column order. */
  protected abstract toColumnOrder(X: Matrix): Matrix;

  /**
   * [R1 R2] = [T 0] Z for the first m rows of R (m < n), in the factors' dtype, made once
   * (LAPACK dtzrzf).
   */
  protected rzFactors(): { a: FloatArray; tau: FloatArray } {
    if (this.rz) return this.rz;
    const { m, n } = this;
    const ld = Math.max(1, m);
    const dtype = this.R.dtype;
    this.rz = withWorkspace((ws) => {
      // R's first m rows (the upper trapezoid; R is m x n here, so ld = m).
      const a = this.upperBlock(ws, dtype);
      const tau = ws.alloc(dtype, Math.max(m, 1));
      tzrzf(m, n, a, 0, ld, tau, 0, ws.alloc(dtype, Math.max(m, 1)));
      return { a: a.slice(), tau: tau.slice() };
    });
    return this.rz;
  }
}

/**
 * The rank-deficiency error of a solve: diagonal entry j of R is negligible, so column
 * `column` of A is numerically a combination of the ones named by `earlier` (or zero).
 */
function rankDeficient(j: number, rjj: number, tol: number, column: number, earlier: string): SingularMatrixError {
  const what = j === 0 ? 'numerically zero' : `numerically a combination of ${earlier}`;
  return new SingularMatrixError(
    `qr.solve: A is rank-deficient: |R[${j}, ${j}]| = ${Math.abs(rjj)} is at or below the tolerance ${tol}, so column ${column} of A is ${what}; lstsq gives the minimum-norm solution of rank-deficient problems`,
  );
}

/**
 * A Householder QR factorization A = Q R of an m x n A (k = min(m, n)): Q has orthonormal
 * columns (m x k, or m x m for mode 'complete'), R is upper triangular (k x n, or m x n).
 * Produced by {@link qr} without pivoting; solve least-squares problems with
 * {@link Qr.solve}.
 */
export class Qr extends QrFactors {
  /**
   * Never present: only a {@link QrPivoted} has a permutation. Declared so that code holding
   * a `Qr | QrPivoted` (from `qr(A, { pivoting: flag })`) can test `if (f.perm)`.
   */
  declare readonly perm?: undefined;
  /** Never present: only a {@link QrPivoted} reveals the rank (see {@link Qr.perm}). */
  declare readonly rank?: undefined;

  /** @internal Use {@link qr}. */
  constructor(Q: Matrix, R: Matrix, m: number, n: number) {
    super(Q, R, m, n);
  }

  /**
   * Square or tall A: R's diagonal must exceed max(m, n) eps max_i |R_ii| (LAPACK dgels
   * only refuses exact zeros; a negligible R_jj gives a solution dominated by rounding
   * just as well). Without pivoting a small R_jj means column j is numerically in the
   * span of columns 0..j-1. Wide A: the same test on the diagonal of T from the RZ step,
   * whose rows of A must be independent (R1 itself may be singular then: A = [0 1]).
   */
  protected requireFullRank(): void {
    const { m, n } = this;
    const wide = m < n;
    const k = Math.min(m, n);
    const ld = Math.max(1, m);
    const t = wide ? this.rzFactors().a : undefined;
    const diag = (j: number): number => (t ? t[j + j * ld]! : this.diag(j));
    let big = 0;
    for (let j = 0; j < k; j++) big = Math.max(big, Math.abs(diag(j)));
    const tol = Math.max(m, n) * epsOf(this.R.dtype) * big;
    for (let j = 0; j < k; j++) {
      const v = diag(j);
      if (Math.abs(v) > tol) continue;
      if (!wide) throw rankDeficient(j, v, tol, j, `columns 0..${j - 1}`);
      throw new SingularMatrixError(
        `qr.solve: the ${m}x${n} A does not have full row rank: T[${j}, ${j}] = ${v}, the diagonal entry of the triangular factor [T 0] = R Z^T, is at or below the tolerance ${tol}; lstsq gives the minimum-norm solution of rank-deficient problems`,
      );
    }
  }

  protected toColumnOrder(X: Matrix): Matrix {
    return X;
  }
}

/**
 * A QR factorization with column pivoting, A[:, perm] = Q R (A P = Q R), with
 * |R_00| >= |R_11| >= ... so that R's diagonal reveals the numerical rank. Q and R have the
 * shapes of {@link Qr}'s. Produced by `qr(A, { pivoting: true })`.
 */
export class QrPivoted extends QrFactors {
  /** Column j of Q R is column perm[j] of A (length n). */
  readonly perm: Int32Array;
  /** Numerical rank: the number of |R_ii| above rcond |R_00| (see {@link QrOptions.rcond}). */
  readonly rank: number;
  /** rcond |R_00|, the cut-off that gave `rank`. */
  private readonly tol: number;

  /** @internal Use {@link qr}. */
  constructor(Q: Matrix, R: Matrix, m: number, n: number, perm: Int32Array, rank: number, tol: number) {
    super(Q, R, m, n);
    this.perm = perm;
    this.rank = rank;
    this.tol = tol;
  }

  /**
   * Full rank means `rank` = min(m, n), the same cut-off that defines `rank`, so solve and
   * rank never disagree. Then R1 (wide) or R (tall) is nonsingular and so is T.
   */
  protected requireFullRank(): void {
    const k = Math.min(this.m, this.n);
    const j = this.rank;
    if (j >= k) return;
    const rjj = this.diag(j);
    throw rankDeficient(j, rjj, this.tol, this.perm[j]!, `columns perm[0..${j - 1}] = [${[...this.perm.subarray(0, Math.min(j, 8))].join(', ')}${j > 8 ? ', ...' : ''}]`);
  }

  /** Row j of the factored system's solution is row perm[j] of A's. */
  protected toColumnOrder(X: Matrix): Matrix {
    const out = Matrix.zeros(X.rows, X.cols, { dtype: X.dtype });
    const n = X.rows;
    for (let c = 0; c < X.cols; c++) for (let j = 0; j < n; j++) out.data[this.perm[j]! + c * n] = X.data[j + c * n]!;
    return out;
  }
}

/**
 * Householder QR, A = Q R (numpy.linalg.qr; LAPACK dgeqrf + dorgqr, blocked with compact
 * WY reflectors so most flops are gemm: 4 m n k - 2 (m + n) k^2 + 4/3 k^3 for both, k =
 * min(m, n)), or with `pivoting` the rank-revealing A P = Q R (scipy.linalg.qr(pivoting=True);
 * LAPACK dgeqp3's column-norm strategy, unblocked). Works for any shape, including empty
 * ones. {@link Qr.solve} solves least-squares problems with the factors (one gemm and a
 * triangular solve).
 *
 * @param A - the m x n matrix (not modified). float32 input is factored in float32, except
 *   up to 128 x 128 without pivoting (one WASM call in float64, results rounded to float32).
 * @param options - {@link QrOptions}: `mode` ('reduced' | 'complete'), `pivoting`, and
 *   `rcond` (pivoting only).
 * @returns without pivoting a {@link Qr}: Q m x k (m x m when complete), R k x n (m x n);
 *   with `pivoting: true` a {@link QrPivoted}, which adds `perm` (length n) and `rank`.
 *   With a `pivoting` that is only known to be boolean, the union of the two.
 * @throws NonFiniteInputError on NaN or Inf; InvalidArgumentError on an unknown option, a
 *   bad `mode` or `rcond`, or `rcond` without `pivoting`.
 * @example
 * const { Q, R } = qr(Matrix.random(5, 3, { seed: 1 }));   // Q 5x3, R 3x3
 * const f = qr(A, { pivoting: true });                     // QrPivoted
 * f.Q.colRange(0, f.rank);                                 // basis of A's column space
 */
export function qr(A: Matrix, options: QrOptions & { pivoting: true }): QrPivoted;
export function qr(A: Matrix, options?: QrOptions & { pivoting?: false }): Qr;
export function qr(A: Matrix, options?: QrOptions): Qr | QrPivoted;
export function qr(A: Matrix, options?: QrOptions): Qr | QrPivoted {
  const o = resolveOptions('qr', QR_OPTIONS, options, QR_CONSTRAINTS);
  const m = A.rows;
  const n = A.cols;
  const k = Math.min(m, n);
  const qCols = o.mode === 'complete' ? m : k;
  const dtype = A.dtype;
  if (!o.pivoting) {
    // Small matrices: one WASM call (src/linalg/small.ts).
    const s = smallQr(A, qCols, o.mode === 'complete' ? m : k);
    if (s) return new Qr(s.Q, s.R, m, n);
  }
  return withWorkspace((ws) => {
    const w = workCopy(A, 'qr', ws);
    const tau = ws.alloc(dtype, Math.max(k, 1));
    let pivot: { perm: Int32Array; rank: number; tol: number } | undefined;
    if (o.pivoting) {
      const perm = new Int32Array(n);
      geqp3(m, n, w.a, 0, w.ld, perm, tau, ws.alloc(dtype, Math.max(n, 1)));
      const tol = (o.rcond ?? Math.max(m, n) * epsOf(dtype)) * (k > 0 ? Math.abs(w.a[0]!) : 0);
      let rank = 0;
      while (rank < k && Math.abs(w.a[rank + rank * w.ld]!) > tol) rank++;
      pivot = { perm, rank, tol };
    } else {
      // geqrf's scratch is released before orgqr takes its own, which reuses those pages (a
      // first call pays for each fresh page of WASM memory).
      withWorkspace((inner) => geqrf(m, n, w.a, 0, w.ld, tau, inner));
    }
    const R = upperToMatrix(w.a, 0, w.ld, o.mode === 'complete' ? m : k, n, dtype);
    // Q overwrites the factored A when it fits (qCols <= n: always but for a complete Q of a
    // tall A; orgqr allows the aliasing): one n x n block of fresh workspace memory fewer,
    // which a process's first call pays for page by page (about 3.5 ms per MB here).
    const q = qCols <= n ? w.a : ws.alloc(dtype, Math.max(1, m) * qCols);
    orgqr(m, qCols, k, w.a, 0, w.ld, tau, q, 0, Math.max(1, m), ws);
    const Q = toMatrix(q, 0, Math.max(1, m), m, qCols, dtype);
    return pivot ? new QrPivoted(Q, R, m, n, pivot.perm, pivot.rank, pivot.tol) : new Qr(Q, R, m, n);
  });
}
