/**
 * Compressed sparse row (CSR) matrices: scipy.sparse.csr_matrix for lowrank.
 *
 * Storage is the classic three arrays (Saad, "Iterative Methods for Sparse Linear Systems",
 * 2nd ed., §3.4): `indptr` (rows + 1 offsets), `indices` (column of each stored value) and
 * `data` (Float64Array or Float32Array). Row i's entries are `indices/data[indptr[i] ..
 * indptr[i+1])`. Indices are int32, so nnz < 2^31.
 *
 * A CsrMatrix is a {@link LinearOperator}: truncated solvers (Lanczos, randomized SVD) call
 * `apply` / `applyTranspose` and never densify it. Products run in WebAssembly (see
 * src/kernels/sparse.ts): the first product copies the three arrays into WASM memory once
 * and later products reuse that copy; {@link CsrMatrix.dispose} frees it early (otherwise it
 * is freed when the matrix is garbage-collected).
 *
 * Immutability: methods never modify the arrays and may return matrices that share them
 * (`transpose`, `scale` share `indptr`/`indices`). Do not modify the arrays yourself after
 * a product has run (or call `dispose()` afterwards).
 */
import { InvalidArgumentError, NonFiniteInputError, ShapeError } from '../errors.js';
import { csrMatmat, csrMatvec, releaseResidentCsr } from '../kernels/sparse.js';
import { allocFloat, type DType, type FloatArray } from '../matrix/dtype.js';
import { allocIndex } from '../matrix/memory.js';
import { Matrix } from '../matrix/matrix.js';
import type { LinearOperator } from '../matrix/operator.js';
import { checkDtype, checkFinite, transposeCompressed } from './build.js';
import { CompressedMatrix, compressCoo } from './compressed.js';
import { CscMatrix } from './csc.js';
import { trusted, type Trusted } from './internal.js';
import { crossNorms, crossSums, frobenius, sliceNorms, sliceSums } from './norms.js';
import { randomCsrArrays, type SparseRandomOptions } from './random.js';

/** Options of {@link CsrMatrix.fromCoo}. */
export interface FromCooOptions {
  /** Element type of the result; default 'float64'. */
  dtype?: DType;
  /** Sum entries given more than once (scipy's behaviour, default true); false keeps them as separate entries. */
  sumDuplicates?: boolean;
}

/** Options of {@link CsrMatrix.fromDense}. */
export interface FromDenseOptions {
  /** Keep entries with |a_ij| > tol; default 0 (every nonzero). */
  tol?: number;
  /** Element type of the result; default the dense matrix's dtype. */
  dtype?: DType;
}

/** Norms of a sparse matrix: Frobenius, max column sum (1), max row sum ('inf'), largest |a_ij| ('max'). */
export type SparseNorm = 'fro' | 1 | 'inf' | 'max';

/** COO triples (0-based). */
export interface CooTriples {
  /** Row index of each entry. */
  row: Int32Array;
  /** Column index of each entry. */
  col: Int32Array;
  /** Value of each entry. */
  val: FloatArray;
}

/**
 * A rows x cols sparse matrix in compressed sparse row format.
 *
 * @example
 * const A = CsrMatrix.fromCoo([0, 1, 1], [2, 0, 2], [1, 2, 3], 2, 3);
 * A.matvec([1, 1, 1]);          // Float64Array [1, 5]
 * A.transpose();                // CscMatrix 3x2 sharing A's arrays (O(1))
 * A.apply(Matrix.random(3, 20)) // dense 2 x 20 product
 */
export class CsrMatrix extends CompressedMatrix implements LinearOperator {
  /**
   * Wrap CSR arrays (no copy): `indptr` over the rows, `indices` holding column numbers.
   * Validates them in O(nnz): lengths, indptr monotone from 0 to nnz, indices in [0, cols),
   * values finite.
   * @throws ShapeError, InvalidArgumentError, NonFiniteInputError on invalid arrays.
   */
  constructor(indptr: Int32Array, indices: Int32Array, data: FloatArray, rows: number, cols: number, internal?: Trusted) {
    super('CSR', indptr, indices, data, rows, cols, internal);
  }

  // ---------------------------------------------------------------- construction

  /**
   * Build from coordinate triples (0-based `row[k]`, `col[k]`, `values[k]`; `values` may be
   * a single number for a pattern matrix). Column indices come out sorted in every row;
   * duplicates are summed unless `sumDuplicates: false`; explicit zeros are kept (scipy's
   * `coo_matrix((values, (row, col))).tocsr()`). O(nnz + rows + cols).
   * @throws ShapeError for arrays of different lengths, InvalidArgumentError for an index
   *   out of range, NonFiniteInputError for NaN/Inf values.
   */
  static fromCoo(
    row: ArrayLike<number>, col: ArrayLike<number>, values: ArrayLike<number> | number, rows: number, cols: number,
    options: FromCooOptions = {},
  ): CsrMatrix {
    const c = compressCoo('CSR', row, col, values, rows, cols, options);
    return new CsrMatrix(c.indptr, c.indices, c.data, rows, cols, trusted(c.canonical));
  }

  /**
   * The nonzero entries of a dense matrix (|a_ij| > tol). O(rows cols).
   * @throws NonFiniteInputError when the matrix holds NaN or Inf.
   */
  static fromDense(M: Matrix, options: FromDenseOptions = {}): CsrMatrix {
    const tol = options.tol ?? 0;
    if (!(tol >= 0)) throw new InvalidArgumentError(`tol must be >= 0, got ${tol}`);
    const dtype = checkDtype(options.dtype ?? M.dtype);
    const { rows: m, cols: n } = M;
    const indptr = allocIndex(m + 1, () => `the ${m + 1} row pointers of a sparse matrix`);
    let nnz = 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const v = M.data[M.index(i, j)]!;
        if (!Number.isFinite(v)) throw new NonFiniteInputError(`fromDense: element (${i}, ${j}) is ${v}; sparse matrices must hold finite numbers`);
        if (Math.abs(v) > tol) nnz++;
      }
      indptr[i + 1] = nnz;
    }
    const indices = new Int32Array(nnz);
    const data = allocFloat(dtype, nnz);
    let k = 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const v = M.data[M.index(i, j)]!;
        if (Math.abs(v) > tol) {
          indices[k] = j;
          data[k] = v;
          k++;
        }
      }
    }
    return new CsrMatrix(indptr, indices, data, m, n, trusted(true));
  }

  /** The n x n identity. */
  static identity(n: number, options: { dtype?: DType } = {}): CsrMatrix {
    const dtype = checkDtype(options.dtype ?? 'float64');
    if (!(Number.isInteger(n) && n >= 0 && n < 2 ** 31)) throw new InvalidArgumentError(`n must be an integer in [0, 2^31), got ${n}`);
    const indptr = allocIndex(n + 1, () => `the ${n + 1} row pointers of a sparse identity`);
    const indices = allocIndex(n, () => `the ${n} column indices of a sparse identity`);
    for (let i = 0; i < n; i++) {
      indptr[i + 1] = i + 1;
      indices[i] = i;
    }
    return new CsrMatrix(indptr, indices, allocFloat(dtype, n).fill(1), n, n, trusted(true));
  }

  /**
   * Seeded random sparse matrix: each entry is nonzero independently with probability
   * `density` (uniform positions; nnz ≈ density rows cols, binomially distributed), values
   * uniform on [0, 1) by default or normal. O(nnz + rows), no sort: 100000 x 50000 with
   * 5M nonzeros takes a fraction of a second.
   */
  static random(rows: number, cols: number, density: number, options: SparseRandomOptions = {}): CsrMatrix {
    if (options.dtype !== undefined) checkDtype(options.dtype);
    const a = randomCsrArrays(rows, cols, density, options);
    return new CsrMatrix(a.indptr, a.indices, a.data, rows, cols, trusted(true));
  }

  // ---------------------------------------------------------------- shape and access

  /**
   * Element (i, j): binary search in row i when canonical, else the sum of the matching
   * entries. O(log(row length)) or O(row length).
   */
  get(i: number, j: number): number {
    if (!(Number.isInteger(i) && i >= 0 && i < this.rows && Number.isInteger(j) && j >= 0 && j < this.cols)) {
      throw new InvalidArgumentError(`index (${i}, ${j}) is outside a ${this.rows}x${this.cols} matrix`);
    }
    return lookup(this.indptr, this.indices, this.data, i, j, this.canonical);
  }

  // ---------------------------------------------------------------- conversion

  /** Dense rows x cols copy (duplicates summed). O(rows cols + nnz) memory and time. */
  toDense(): Matrix {
    const out = Matrix.zeros(this.rows, this.cols, { dtype: this.dtype });
    const d = out.data;
    const m = this.rows;
    for (let i = 0; i < m; i++) {
      for (let k = this.indptr[i]!; k < this.indptr[i + 1]!; k++) {
        const p = i + this.indices[k]! * m;
        d[p] = d[p]! + this.data[k]!;
      }
    }
    return out;
  }

  /** COO triples in row-major order (copies). */
  toCoo(): CooTriples {
    const row = new Int32Array(this.nnz);
    for (let i = 0; i < this.rows; i++) row.fill(i, this.indptr[i]!, this.indptr[i + 1]!);
    return { row, col: this.indices.slice(), val: this.data.slice() };
  }

  /** The same matrix in CSC format (a real conversion, O(nnz + rows + cols); row indices sorted). */
  toCsc(): CscMatrix {
    const t = transposeCompressed(this.indptr, this.indices, this.data, this.rows, this.cols);
    return new CscMatrix(t.indptr, t.indices, t.data, this.rows, this.cols, trusted(this.canonical));
  }

  /** This matrix (CSR already); for symmetry with {@link CscMatrix.toCsr}. */
  toCsr(): CsrMatrix {
    return this;
  }

  /** A^T as a CSC matrix sharing these arrays (CSR of A is CSC of A^T): O(1), no copy. */
  transpose(): CscMatrix {
    return new CscMatrix(this.indptr, this.indices, this.data, this.cols, this.rows, trusted(this.canonical));
  }

  /** Shorthand for {@link CsrMatrix.transpose}. */
  get T(): CscMatrix {
    return this.transpose();
  }

  /** Same entries with values converted to `dtype` (a copy of the values; float64 -> float32 rounds). */
  astype(dtype: DType): CsrMatrix {
    checkDtype(dtype);
    const data = allocFloat(dtype, this.nnz);
    data.set(this.data);
    return new CsrMatrix(this.indptr, this.indices, data, this.rows, this.cols, trusted(this.canonical));
  }

  /** Independent copy of all three arrays. */
  copy(): CsrMatrix {
    return new CsrMatrix(this.indptr.slice(), this.indices.slice(), this.data.slice(), this.rows, this.cols, trusted(this.canonical));
  }

  /**
   * Canonical form: column indices sorted in every row and duplicates summed (scipy's
   * `sum_duplicates`). Returns `this` when already canonical. O(nnz + rows + cols).
   */
  sumDuplicates(): CsrMatrix {
    if (this.canonical) return this;
    const coo = this.toCoo();
    return CsrMatrix.fromCoo(coo.row, coo.col, coo.val, this.rows, this.cols, { dtype: this.dtype });
  }

  /** Rows [r0, r1) as a new CSR matrix (indices and data are views, indptr is rebased). O(r1 - r0). */
  rowSlice(r0: number, r1: number): CsrMatrix {
    if (!(Number.isInteger(r0) && Number.isInteger(r1) && 0 <= r0 && r0 <= r1 && r1 <= this.rows)) {
      throw new InvalidArgumentError(`row range [${r0}, ${r1}) is outside 0..${this.rows}`);
    }
    const k0 = this.indptr[r0]!;
    const k1 = this.indptr[r1]!;
    const indptr = new Int32Array(r1 - r0 + 1);
    for (let i = r0; i <= r1; i++) indptr[i - r0] = this.indptr[i]! - k0;
    return new CsrMatrix(indptr, this.indices.subarray(k0, k1), this.data.subarray(k0, k1), r1 - r0, this.cols, trusted(this.canonical));
  }

  // ---------------------------------------------------------------- reductions

  /** Sum of each row (float64, length rows). O(nnz). */
  rowSums(): Float64Array {
    return sliceSums(this.indptr, this.data, this.rows);
  }

  /** Sum of each column (float64, length cols). O(nnz). */
  colSums(): Float64Array {
    return crossSums(this.indices, this.data, this.cols);
  }

  /** 2-norm of each row (float64, overflow-safe). O(nnz). */
  rowNorms(): Float64Array {
    const c = this.sumDuplicates();
    return sliceNorms(c.indptr, c.data, c.rows);
  }

  /** 2-norm of each column (float64, overflow-safe). O(nnz). */
  colNorms(): Float64Array {
    const c = this.sumDuplicates();
    return crossNorms(c.indices, c.data, c.cols);
  }

  /** Matrix norm: 'fro' (default), 1 (max column |sum|), 'inf' (max row |sum|), 'max' (largest |a_ij|). O(nnz). */
  norm(kind: SparseNorm = 'fro'): number {
    const c = this.sumDuplicates();
    if (kind === 'fro') return frobenius(c.data);
    if (kind === 'max') {
      let best = 0;
      for (let k = 0; k < c.data.length; k++) best = Math.max(best, Math.abs(c.data[k]!));
      return best;
    }
    if (kind === 1 || kind === 'inf') {
      const abs = c.data.map(Math.abs);
      const sums = kind === 1 ? crossSums(c.indices, abs, c.cols) : sliceSums(c.indptr, abs, c.rows);
      let best = 0;
      for (let k = 0; k < sums.length; k++) best = Math.max(best, sums[k]!);
      return best;
    }
    throw new InvalidArgumentError(`norm kind must be 'fro', 1, 'inf' or 'max', got ${String(kind)}`);
  }

  // ---------------------------------------------------------------- elementwise scaling

  /** alpha A (new values, shared structure). */
  scale(alpha: number): CsrMatrix {
    checkFinite([alpha], 'scale: alpha');
    const data = this.data.map((v) => alpha * v);
    return new CsrMatrix(this.indptr, this.indices, data, this.rows, this.cols, trusted(this.canonical));
  }

  /** diag(d) A: row i multiplied by d[i] (new values, shared structure). */
  scaleRows(d: ArrayLike<number>): CsrMatrix {
    if (d.length !== this.rows) throw new ShapeError(`scaleRows: ${d.length} factors for ${this.rows} rows`);
    checkFinite(d, 'scaleRows');
    const data = allocFloat(this.dtype, this.nnz);
    for (let i = 0; i < this.rows; i++) {
      const f = d[i]!;
      for (let k = this.indptr[i]!; k < this.indptr[i + 1]!; k++) data[k] = f * this.data[k]!;
    }
    return new CsrMatrix(this.indptr, this.indices, data, this.rows, this.cols, trusted(this.canonical));
  }

  /** A diag(d): column j multiplied by d[j] (new values, shared structure). */
  scaleCols(d: ArrayLike<number>): CsrMatrix {
    if (d.length !== this.cols) throw new ShapeError(`scaleCols: ${d.length} factors for ${this.cols} columns`);
    checkFinite(d, 'scaleCols');
    const data = allocFloat(this.dtype, this.nnz);
    for (let k = 0; k < this.nnz; k++) data[k] = d[this.indices[k]!]! * this.data[k]!;
    return new CsrMatrix(this.indptr, this.indices, data, this.rows, this.cols, trusted(this.canonical));
  }

  // ---------------------------------------------------------------- products

  /**
   * A x for a vector of length cols; the result (length rows) has the matrix's dtype. Pass
   * `out` (length rows, same dtype) to write into it instead of allocating. O(nnz + rows).
   */
  matvec(x: ArrayLike<number>, out?: FloatArray): FloatArray {
    if (x.length !== this.cols) throw new ShapeError(`matvec: x has ${x.length} entries, the matrix has ${this.cols} columns`);
    const y = outVector(out, this.rows, this.dtype, 'matvec');
    csrMatvec(this, false, 1, asDtype(x, this.dtype), 0, y);
    return y;
  }

  /** A^T y for a vector of length rows (a scatter over the rows of A); result length cols. O(nnz + cols). */
  rmatvec(y: ArrayLike<number>, out?: FloatArray): FloatArray {
    if (y.length !== this.rows) throw new ShapeError(`rmatvec: y has ${y.length} entries, the matrix has ${this.rows} rows`);
    const z = outVector(out, this.cols, this.dtype, 'rmatvec');
    csrMatvec(this, true, 1, asDtype(y, this.dtype), 0, z);
    return z;
  }

  /** A X for a dense X of shape cols x p; a new column-major rows x p matrix. O(nnz p). */
  apply(X: Matrix): Matrix {
    if (X.rows !== this.cols) throw new ShapeError(`apply: X has ${X.rows} rows, the matrix has ${this.cols} columns`);
    return product(this, false, X, this.rows);
  }

  /** A^T Y for a dense Y of shape rows x p; a new column-major cols x p matrix. O(nnz p). */
  applyTranspose(Y: Matrix): Matrix {
    if (Y.rows !== this.rows) throw new ShapeError(`applyTranspose: Y has ${Y.rows} rows, the matrix has ${this.rows} rows`);
    return product(this, true, Y, this.cols);
  }

  /** Alias of {@link CsrMatrix.apply}: the sparse-dense product A X. */
  matmul(X: Matrix): Matrix {
    return this.apply(X);
  }

  /**
   * Free the WebAssembly copy of the arrays made by the first product (if any). The matrix
   * stays usable; the next product copies again. Without this call the copy is freed when
   * the matrix's `data` array is garbage-collected.
   */
  dispose(): void {
    releaseResidentCsr(this.data);
  }

  /** Short description, e.g. `CsrMatrix 3x4 float64, nnz 5`. */
  override toString(): string {
    return `CsrMatrix ${this.rows}x${this.cols} ${this.dtype}, nnz ${this.nnz}`;
  }
}

/** Value at (i, j) of compressed arrays (major index i, minor index j). */
export function lookup(indptr: Int32Array, indices: Int32Array, data: FloatArray, i: number, j: number, canonical: boolean): number {
  let lo = indptr[i]!;
  let hi = indptr[i + 1]!;
  if (!canonical) {
    let s = 0;
    for (let k = lo; k < hi; k++) if (indices[k] === j) s += data[k]!;
    return s;
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = indices[mid]!;
    if (c === j) return data[mid]!;
    if (c < j) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

/** `x` as a typed array of `dtype` (the array itself when it already is one). */
export function asDtype(x: ArrayLike<number>, dtype: DType): FloatArray {
  if (dtype === 'float64' ? x instanceof Float64Array : x instanceof Float32Array) return x as FloatArray;
  const out = allocFloat(dtype, x.length);
  for (let k = 0; k < x.length; k++) out[k] = x[k]!;
  return out;
}

/** Output vector: `out` checked, or a new array. */
export function outVector(out: FloatArray | undefined, n: number, dtype: DType, what: string): FloatArray {
  if (out === undefined) return allocFloat(dtype, n);
  if (out.length !== n) throw new ShapeError(`${what}: out has ${out.length} entries, needs ${n}`);
  if ((out instanceof Float32Array ? 'float32' : 'float64') !== dtype) throw new InvalidArgumentError(`${what}: out must be ${dtype}`);
  return out;
}

/** op(A) X as a new column-major Matrix with `ny` rows; single columns take the matvec kernel. */
export function product(A: CsrMatrix, trans: boolean, X: Matrix, ny: number): Matrix {
  const dtype = A.dtype;
  const p = X.cols;
  if (p === 1) {
    const col = X.rowStride === 1 && X.dtype === dtype ? X.data.subarray(X.offset, X.offset + X.rows) : asDtype(X.toFlat(), dtype);
    const y = allocFloat(dtype, ny);
    csrMatvec(A, trans, 1, col, 0, y);
    return new Matrix(y, ny, 1);
  }
  return new Matrix(csrMatmat(A, trans, 1, X), ny, p);
}
