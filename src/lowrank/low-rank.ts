/**
 * A matrix held by its rank-k factors U diag(s) V^T: the result of every truncated SVD and
 * the currency of the low-rank layer. Storage is k (m + n + 1) numbers instead of m n, and
 * products, norms and powers are computed through the factors without forming the m x n
 * matrix.
 */
import { ShapeError, check } from '../errors.js';
import { gemmInto } from '../linalg/matmul.js';
import { svd } from '../linalg/svd.js';
import type { DType } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import type { LinearOperator } from '../matrix/operator.js';

/** What {@link LowRank.toJSON} returns and {@link LowRank.fromJSON} reads. */
export interface LowRankJSON {
  /** [m, n]. */
  readonly shape: readonly [number, number];
  /** Element type of U and Vt. */
  readonly dtype: DType;
  /** U as rows (m arrays of k numbers). */
  readonly U: number[][];
  /** The k weights. */
  readonly s: number[];
  /** Vt as rows (k arrays of n numbers). */
  readonly Vt: number[][];
}

/**
 * A rank-k matrix U diag(s) Vt with U m x k, s of length k (descending), Vt k x n.
 * It is a {@link LinearOperator}: `apply` and `applyTranspose` cost (m + n) k p flops for
 * p right-hand sides, instead of m n p with the dense matrix.
 */
export class LowRank implements LinearOperator {
  /** Left factors, one per column (m x k). */
  readonly U: Matrix;
  /** Singular values (or weights), length k. */
  readonly s: Float64Array;
  /** Right factors, one per row (k x n). */
  readonly Vt: Matrix;

  /**
   * Wrap factors. U must be m x k and Vt k x n with k = s.length.
   * @throws ShapeError when the shapes do not fit together.
   */
  constructor(U: Matrix, s: ArrayLike<number>, Vt: Matrix) {
    const k = s.length;
    if (U.cols !== k || Vt.rows !== k) {
      throw new ShapeError(`LowRank: U is ${U.rows}x${U.cols}, s has ${k} values, Vt is ${Vt.rows}x${Vt.cols}; need U m x k and Vt k x n`);
    }
    this.U = U;
    this.s = s instanceof Float64Array ? s : Float64Array.from(s);
    this.Vt = Vt;
  }

  /**
   * The factors of a singular value decomposition (e.g. `svd(A)`, or `svd(A).truncate(k)`),
   * shared, not copied; float32 singular values are widened to float64.
   */
  static fromSvd(f: { readonly U: Matrix; readonly s: ArrayLike<number>; readonly Vt: Matrix }): LowRank {
    return new LowRank(f.U, f.s, f.Vt);
  }

  /** Rebuild from {@link LowRank.toJSON}'s output. @throws ShapeError on inconsistent shapes. */
  static fromJSON(json: LowRankJSON): LowRank {
    const [m, n] = json.shape;
    const k = json.s.length;
    const dtype = json.dtype;
    const U = k === 0 ? Matrix.zeros(m, 0, { dtype }) : Matrix.from(json.U, { dtype });
    const Vt = k === 0 ? Matrix.zeros(0, n, { dtype }) : Matrix.from(json.Vt, { dtype });
    if (U.rows !== m || Vt.cols !== n) throw new ShapeError(`LowRank.fromJSON: factors are ${U.rows}x${U.cols} and ${Vt.rows}x${Vt.cols}, shape says ${m}x${n}`);
    return new LowRank(U, json.s, Vt);
  }

  /** [m, n] of the represented matrix. */
  get shape(): [number, number] {
    return [this.U.rows, this.Vt.cols];
  }

  /** Number of factors k. */
  get rank(): number {
    return this.s.length;
  }

  /** Element type of the factors. */
  get dtype(): DType {
    return this.U.dtype;
  }

  /**
   * Free parameters of the factorization, k (m + n): the weights s are absorbed into U or
   * V as in a factorization U V^T (the count the rank-selection literature and this
   * project's notes use, e.g. rank 2 of a 10 x 10 matrix: 40 parameters). The factors as
   * stored hold k (m + n + 1) numbers: see {@link storedCount}.
   */
  get parameterCount(): number {
    const [m, n] = this.shape;
    return this.rank * (m + n);
  }

  /** Numbers stored in U, s and Vt: k (m + n + 1). */
  get storedCount(): number {
    const [m, n] = this.shape;
    return this.rank * (m + n + 1);
  }

  /** Entries of the dense m x n matrix, m n. */
  get denseParameterCount(): number {
    const [m, n] = this.shape;
    return m * n;
  }

  /**
   * m n / (k (m + n)): how many times smaller the factors are than the dense matrix (> 1
   * saves storage; Infinity for k = 0 of a non-empty matrix, 1 for an empty one).
   */
  get compressionRatio(): number {
    const p = this.parameterCount;
    const d = this.denseParameterCount;
    if (p === 0) return d === 0 ? 1 : Infinity;
    return d / p;
  }

  /** The first k factors (views sharing storage), the best rank-k part when s is sorted. */
  truncate(k: number): LowRank {
    check(Number.isInteger(k) && k >= 0 && k <= this.rank, () => `truncate: k must be an integer in [0, ${this.rank}], got ${k}`);
    return new LowRank(this.U.colRange(0, k), this.s.subarray(0, k), this.Vt.rowRange(0, k));
  }

  /** U diag(s) Vt as a dense m x n Matrix (one gemm, m n k multiply-adds). */
  reconstruct(): Matrix {
    const [m, n] = this.shape;
    const out = Matrix.zeros(m, n, { dtype: this.dtype });
    if (this.rank === 0 || m === 0 || n === 0) return out;
    gemmInto(this.scaledU(), this.Vt, out);
    return out;
  }

  /**
   * A X = U (diag(s) (Vt X)) for X of shape n x p, without forming A: (m + n) k p flops.
   * @throws ShapeError unless X has n rows.
   */
  apply(X: Matrix): Matrix {
    const [m, n] = this.shape;
    if (X.rows !== n) throw new ShapeError(`LowRank.apply: X has ${X.rows} rows, the ${m}x${n} matrix needs ${n}`);
    const T = Matrix.zeros(this.rank, X.cols, { dtype: this.dtype });
    if (this.rank > 0) gemmInto(this.Vt, X, T);
    scaleRows(T, this.s);
    const Y = Matrix.zeros(m, X.cols, { dtype: this.dtype });
    if (this.rank > 0) gemmInto(this.U, T, Y);
    return Y;
  }

  /**
   * A^T Y = Vt^T (diag(s) (U^T Y)) for Y of shape m x p: (m + n) k p flops.
   * @throws ShapeError unless Y has m rows.
   */
  applyTranspose(Y: Matrix): Matrix {
    const [m, n] = this.shape;
    if (Y.rows !== m) throw new ShapeError(`LowRank.applyTranspose: Y has ${Y.rows} rows, the ${m}x${n} matrix needs ${m}`);
    const T = Matrix.zeros(this.rank, Y.cols, { dtype: this.dtype });
    if (this.rank > 0) gemmInto(this.U.T, Y, T);
    scaleRows(T, this.s);
    const Z = Matrix.zeros(n, Y.cols, { dtype: this.dtype });
    if (this.rank > 0) gemmInto(this.Vt.T, T, Z);
    return Z;
  }

  /** The transpose V diag(s) U^T, as factors sharing storage (no copy). */
  get T(): LowRank {
    return new LowRank(this.Vt.T, this.s, this.U.T);
  }

  /**
   * ||U diag(s) Vt||_F from the factors: sqrt(sum_ij s_i s_j (U^T U)_ij (Vt Vt^T)_ij), two
   * k x k Gram matrices, (m + n) k^2 flops. Equals sqrt(sum s_i^2) when U and V have
   * orthonormal columns (an SVD), which this does not assume.
   */
  frobeniusNorm(): number {
    const k = this.rank;
    if (k === 0) return 0;
    const gu = Matrix.zeros(k, k);
    const gv = Matrix.zeros(k, k);
    gemmInto(this.U.T, this.U, gu);
    gemmInto(this.Vt, this.Vt.T, gv);
    // Scale by s_max so huge or tiny weights neither overflow nor underflow.
    let smax = 0;
    for (const x of this.s) smax = Math.max(smax, Math.abs(x));
    if (smax === 0) return 0;
    let t = 0;
    for (let j = 0; j < k; j++) {
      const sj = this.s[j]! / smax;
      for (let i = 0; i < k; i++) t += (this.s[i]! / smax) * sj * gu.get(i, j) * gv.get(i, j);
    }
    return smax * Math.sqrt(Math.max(0, t));
  }

  /**
   * The matrix power A^p of a square A = U S Vt (S = diag(s)), p >= 1, without forming an
   * m x m matrix: by associativity A^p = U S (Vt U S)^{p-1} Vt, so only the k x k core
   * M = Vt U S is raised to a power (binary powering, about 2 log2(p) k^3 flops). The core
   * S M^{p-1} is then re-diagonalized by a k x k SVD, P Sigma Q^T, and the result returned
   * as LowRank(U P, Sigma, Q^T Vt) (another (m + n) k^2 flops). When U and Vt have
   * orthonormal columns / rows (an SVD), that is an SVD of A^p: its s are the singular
   * values of A^p, descending, and its rank is still k (trailing values may be 0).
   *
   * p = 0 would be the identity, which is not low-rank: it is rejected. Values may
   * overflow to Infinity for large p when ||A|| > 1, as the dense power would.
   * @throws ShapeError unless A is square.
   * @throws InvalidArgumentError unless p is an integer >= 1.
   */
  power(p: number): LowRank {
    const [m, n] = this.shape;
    if (m !== n) throw new ShapeError(`LowRank.power: the matrix must be square, got ${m}x${n}`);
    check(Number.isInteger(p) && p >= 1, () => `LowRank.power: p must be an integer >= 1 (A^0 = I is not low-rank), got ${p}`);
    const k = this.rank;
    if (p === 1 || k === 0) return this;
    // M = Vt U S (k x k), in float64 whatever the factors' dtype.
    const M = Matrix.zeros(k, k);
    gemmInto(this.Vt, this.U, M);
    scaleCols(M, this.s);
    // P = M^{p-1} by binary powering.
    let e = p - 1;
    let P: Matrix | undefined;
    let B = M;
    for (;;) {
      if (e & 1) P = P === undefined ? B : mul(P, B);
      e = Math.floor(e / 2);
      if (e === 0) break;
      B = mul(B, B);
    }
    const core = P!.copy();
    scaleRows(core, this.s); // S M^{p-1}
    const f = svd(core);
    const U = Matrix.zeros(m, k, { dtype: this.dtype });
    gemmInto(this.U, f.U, U);
    const Vt = Matrix.zeros(k, n, { dtype: this.dtype });
    gemmInto(f.Vt, this.Vt, Vt);
    return new LowRank(U, f.s, Vt);
  }

  /** Plain-data form {shape, dtype, U, s, Vt} (nested arrays), e.g. for JSON.stringify. */
  toJSON(): LowRankJSON {
    const [m, n] = this.shape;
    return { shape: [m, n], dtype: this.dtype, U: this.U.toArray(), s: Array.from(this.s), Vt: this.Vt.toArray() };
  }

  /** U diag(s) as a new m x k matrix. */
  protected scaledU(): Matrix {
    const s = this.s;
    return this.U.map((v, _i, j) => v * s[j]!);
  }
}

/** X[i, :] *= d[i] in place (X column-major, freshly allocated). */
function scaleRows(X: Matrix, d: Float64Array): void {
  for (let j = 0; j < X.cols; j++) for (let i = 0; i < X.rows; i++) X.set(i, j, X.get(i, j) * d[i]!);
}

/** X[:, j] *= d[j] in place. */
function scaleCols(X: Matrix, d: Float64Array): void {
  for (let j = 0; j < X.cols; j++) for (let i = 0; i < X.rows; i++) X.set(i, j, X.get(i, j) * d[j]!);
}

function mul(A: Matrix, B: Matrix): Matrix {
  const C = Matrix.zeros(A.rows, B.cols);
  gemmInto(A, B, C);
  return C;
}
