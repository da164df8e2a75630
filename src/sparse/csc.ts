/**
 * Compressed sparse column (CSC) matrices: scipy.sparse.csc_matrix for lowrank.
 *
 * The CSC arrays of A (`indptr` over columns, `indices` holding row numbers) are exactly the
 * CSR arrays of A^T, so a CscMatrix is a thin wrapper around the {@link CsrMatrix} of its
 * transpose and every operation maps onto it: A x = (A^T)^T x is the CSR scatter product,
 * A^T y the CSR gather product, column sums are row sums of A^T, and so on. `transpose()`
 * and `CsrMatrix.transpose()` convert between the two in O(1) without copying.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import type { DType, FloatArray } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import type { LinearOperator } from '../matrix/operator.js';
import { CompressedMatrix, compressCoo } from './compressed.js';
import { CsrMatrix, type CooTriples, type FromCooOptions, type FromDenseOptions, type SparseNorm } from './csr.js';
import { trusted, type Trusted } from './internal.js';
import type { SparseRandomOptions } from './random.js';

/**
 * A rows x cols sparse matrix in compressed sparse column format.
 *
 * @example
 * const A = CscMatrix.fromCoo([0, 1, 1], [2, 0, 2], [1, 2, 3], 2, 3);
 * A.colSums();                 // Float64Array [2, 0, 4]
 * A.toCsr();                   // CSR copy
 */
export class CscMatrix extends CompressedMatrix implements LinearOperator {
  /** The same arrays read as the CSR matrix of A^T (cols x rows). */
  private readonly t: CsrMatrix;

  /**
   * Wrap CSC arrays (no copy): `indptr` over the columns, `indices` holding row numbers.
   * Validated in O(nnz): lengths, indptr monotone from 0 to nnz, row indices in [0, rows),
   * values finite.
   * @throws ShapeError, InvalidArgumentError, NonFiniteInputError on invalid arrays.
   */
  constructor(indptr: Int32Array, indices: Int32Array, data: FloatArray, rows: number, cols: number, internal?: Trusted) {
    super('CSC', indptr, indices, data, rows, cols, internal);
    this.t = new CsrMatrix(indptr, indices, data, cols, rows, trusted(this.canonical));
  }

  private static wrap(t: CsrMatrix): CscMatrix {
    return new CscMatrix(t.indptr, t.indices, t.data, t.cols, t.rows, trusted(t.canonical));
  }

  // ---------------------------------------------------------------- construction

  /**
   * Build from coordinate triples (0-based `row[k]`, `col[k]`, `values[k]`); row indices come
   * out sorted in every column, duplicates summed unless `sumDuplicates: false` (scipy's
   * `coo_matrix(...).tocsc()`). O(nnz + rows + cols). Errors as {@link CsrMatrix.fromCoo}.
   */
  static fromCoo(
    row: ArrayLike<number>, col: ArrayLike<number>, values: ArrayLike<number> | number, rows: number, cols: number,
    options: FromCooOptions = {},
  ): CscMatrix {
    const c = compressCoo('CSC', row, col, values, rows, cols, options);
    return new CscMatrix(c.indptr, c.indices, c.data, rows, cols, trusted(c.canonical));
  }

  /** The nonzero entries (|a_ij| > tol) of a dense matrix. O(rows cols). */
  static fromDense(M: Matrix, options: FromDenseOptions = {}): CscMatrix {
    return CscMatrix.wrap(CsrMatrix.fromDense(M.T, options));
  }

  /** The n x n identity. */
  static identity(n: number, options: { dtype?: DType } = {}): CscMatrix {
    return CscMatrix.wrap(CsrMatrix.identity(n, options));
  }

  /** Seeded random sparse matrix; see {@link CsrMatrix.random}. */
  static random(rows: number, cols: number, density: number, options: SparseRandomOptions = {}): CscMatrix {
    return CscMatrix.wrap(CsrMatrix.random(cols, rows, density, options));
  }

  // ---------------------------------------------------------------- shape and access

  /** Element (i, j). */
  get(i: number, j: number): number {
    if (!(Number.isInteger(i) && i >= 0 && i < this.rows && Number.isInteger(j) && j >= 0 && j < this.cols)) {
      throw new InvalidArgumentError(`index (${i}, ${j}) is outside a ${this.rows}x${this.cols} matrix`);
    }
    return this.t.get(j, i);
  }

  // ---------------------------------------------------------------- conversion

  /** Dense copy (duplicates summed). */
  toDense(): Matrix {
    return this.t.toDense().T.copy();
  }

  /** COO triples in column-major order (copies). */
  toCoo(): CooTriples {
    const c = this.t.toCoo();
    return { row: c.col, col: c.row, val: c.val };
  }

  /** The same matrix in CSR format (a conversion, O(nnz + rows + cols); column indices sorted). */
  toCsr(): CsrMatrix {
    // CSC of A^T (from its CSR t) holds the CSR arrays of A.
    const c = this.t.toCsc();
    return new CsrMatrix(c.indptr, c.indices, c.data, this.rows, this.cols, trusted(c.canonical));
  }

  /** This matrix; for symmetry with {@link CsrMatrix.toCsc}. */
  toCsc(): CscMatrix {
    return this;
  }

  /** A^T as a CSR matrix sharing these arrays: O(1), no copy. */
  transpose(): CsrMatrix {
    return this.t;
  }

  /** Shorthand for {@link CscMatrix.transpose}. */
  get T(): CsrMatrix {
    return this.t;
  }

  /** Values converted to `dtype` (copy of the values). */
  astype(dtype: DType): CscMatrix {
    return CscMatrix.wrap(this.t.astype(dtype));
  }

  /** Independent copy. */
  copy(): CscMatrix {
    return CscMatrix.wrap(this.t.copy());
  }

  /** Canonical form (sorted row indices, duplicates summed); `this` when already canonical. */
  sumDuplicates(): CscMatrix {
    return this.canonical ? this : CscMatrix.wrap(this.t.sumDuplicates());
  }

  /** Columns [c0, c1) as a new CSC matrix (views of indices and data). O(c1 - c0). */
  colSlice(c0: number, c1: number): CscMatrix {
    if (!(Number.isInteger(c0) && Number.isInteger(c1) && 0 <= c0 && c0 <= c1 && c1 <= this.cols)) {
      throw new InvalidArgumentError(`column range [${c0}, ${c1}) is outside 0..${this.cols}`);
    }
    return CscMatrix.wrap(this.t.rowSlice(c0, c1));
  }

  // ---------------------------------------------------------------- reductions

  /** Sum of each row (float64). */
  rowSums(): Float64Array {
    return this.t.colSums();
  }

  /** Sum of each column (float64). */
  colSums(): Float64Array {
    return this.t.rowSums();
  }

  /** 2-norm of each row. */
  rowNorms(): Float64Array {
    return this.t.colNorms();
  }

  /** 2-norm of each column. */
  colNorms(): Float64Array {
    return this.t.rowNorms();
  }

  /** Matrix norm ('fro' default, 1, 'inf', 'max'); see {@link CsrMatrix.norm}. */
  norm(kind: SparseNorm = 'fro'): number {
    return this.t.norm(kind === 1 ? 'inf' : kind === 'inf' ? 1 : kind);
  }

  // ---------------------------------------------------------------- scaling

  /** alpha A. */
  scale(alpha: number): CscMatrix {
    return CscMatrix.wrap(this.t.scale(alpha));
  }

  /** diag(d) A. */
  scaleRows(d: ArrayLike<number>): CscMatrix {
    if (d.length !== this.rows) throw new ShapeError(`scaleRows: ${d.length} factors for ${this.rows} rows`);
    return CscMatrix.wrap(this.t.scaleCols(d));
  }

  /** A diag(d). */
  scaleCols(d: ArrayLike<number>): CscMatrix {
    if (d.length !== this.cols) throw new ShapeError(`scaleCols: ${d.length} factors for ${this.cols} columns`);
    return CscMatrix.wrap(this.t.scaleRows(d));
  }

  // ---------------------------------------------------------------- products

  /** A x (length cols -> length rows): a scatter over the columns. O(nnz + rows). */
  matvec(x: ArrayLike<number>, out?: FloatArray): FloatArray {
    if (x.length !== this.cols) throw new ShapeError(`matvec: x has ${x.length} entries, the matrix has ${this.cols} columns`);
    return this.t.rmatvec(x, out);
  }

  /** A^T y (length rows -> length cols): one dot per column. O(nnz + cols). */
  rmatvec(y: ArrayLike<number>, out?: FloatArray): FloatArray {
    if (y.length !== this.rows) throw new ShapeError(`rmatvec: y has ${y.length} entries, the matrix has ${this.rows} rows`);
    return this.t.matvec(y, out);
  }

  /** A X for X of shape cols x p. */
  apply(X: Matrix): Matrix {
    if (X.rows !== this.cols) throw new ShapeError(`apply: X has ${X.rows} rows, the matrix has ${this.cols} columns`);
    return this.t.applyTranspose(X);
  }

  /** A^T Y for Y of shape rows x p. */
  applyTranspose(Y: Matrix): Matrix {
    if (Y.rows !== this.rows) throw new ShapeError(`applyTranspose: Y has ${Y.rows} rows, the matrix has ${this.rows} rows`);
    return this.t.apply(Y);
  }

  /** Alias of {@link CscMatrix.apply}. */
  matmul(X: Matrix): Matrix {
    return this.apply(X);
  }

  /** Free the WebAssembly copy of the arrays (see {@link CsrMatrix.dispose}). */
  dispose(): void {
    this.t.dispose();
  }

  /** Short description. */
  override toString(): string {
    return `CscMatrix ${this.rows}x${this.cols} ${this.dtype}, nnz ${this.nnz}`;
  }
}

/** A CSR or CSC matrix. */
export type SparseMatrix = CsrMatrix | CscMatrix;

/** True for {@link CsrMatrix} and {@link CscMatrix} instances. */
export function isSparse(x: unknown): x is SparseMatrix {
  return x instanceof CsrMatrix || x instanceof CscMatrix;
}
