/**
 * A matrix held by its rank-k factors U diag(s) V^T: the result of every truncated SVD and
 * the currency of the low-rank layer. Storage is k (m + n + 1) numbers instead of m n.
 */
import { ShapeError, check } from '../errors.js';
import { gemmInto } from '../linalg/matmul.js';
import type { DType } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';

/** A rank-k matrix U diag(s) Vt with U m x k, s of length k (descending), Vt k x n. */
export class LowRank {
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

  /** U diag(s) as a new m x k matrix. */
  protected scaledU(): Matrix {
    const s = this.s;
    return this.U.map((v, _i, j) => v * s[j]!);
  }
}
