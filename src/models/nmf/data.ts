/**
 * The data matrix of an NMF fit (dense {@link Matrix} or sparse {@link CsrMatrix}) behind
 * one interface: the two products the solvers need (X B and X^T A, with B n x k and A
 * m x k column-major), and the values of W H at X's stored positions (all positions when
 * dense, the nonzeros when sparse), so the beta-divergence updates touch only the entries
 * the formulas need (scikit-learn's `_special_sparse_dot`).
 *
 * Everything is float64: float32 input is widened once (NMF's multiplicative updates and
 * loss differences are sensitive to rounding; the factors are small).
 */
import { InvalidArgumentError, NonFiniteInputError, ShapeError } from '../../errors.js';
import { kernels } from '../../kernels/index.js';
import { csrMatmatRows } from '../../kernels/sparse.js';
import type { Workspace } from '../../kernels/workspace.js';
import { productsOf, type Products } from '../../lowrank/products.js';
import { Matrix } from '../../matrix/matrix.js';
import { CsrMatrix } from '../../sparse/csr.js';

/** What an NMF accepts as data: a dense Matrix (rows = samples) or a CSR matrix. */
export type NMFInput = Matrix | CsrMatrix;

/** A nonnegative data matrix prepared for the NMF solvers. */
export interface NmfData {
  readonly m: number;
  readonly n: number;
  readonly sparse: boolean;
  /** Stored values (dense: m n column-major; sparse: the CSR data). Never modified. */
  readonly values: Float64Array;
  /** Sum of all entries. */
  readonly sum: number;
  /** Sum of squares of all entries. */
  readonly sqNorm: number;
  /** True when some entry is 0 (an unstored sparse entry counts). */
  readonly hasZero: boolean;
  /** X B (m x k, column-major) for B n x k column-major. */
  times(B: Float64Array, k: number): Float64Array;
  /** X^T A (n x k, column-major) for A m x k column-major. */
  timesT(A: Float64Array, k: number): Float64Array;
  /**
   * How {@link NmfData.timesInto} lays out factors: column-major for dense data (gemm's
   * layout), row-major for sparse data (the CSR kernels' layout, one contiguous row of k
   * values per stored entry).
   */
  readonly layout: 'column' | 'row';
  /**
   * C := X B (m x k) for B (n x k), both in {@link NmfData.layout}. With B and C in the
   * kernels' memory the product runs where they are (the Frobenius solvers keep their
   * factors there for the whole fit: ./factors.ts).
   */
  timesInto(B: Float64Array, k: number, C: Float64Array): void;
  /** C := X^T A (n x k) for A (m x k), both in {@link NmfData.layout}; see timesInto. */
  timesTInto(A: Float64Array, k: number, C: Float64Array): void;
  /** Free what the data keeps in the kernels' memory outside the workspace (sparse X^T). */
  release(): void;
  /** (W H^T-side product) values of W Ht^T at the stored positions, aligned with `values`. */
  productAt(W: Float64Array, Ht: Float64Array, k: number): Float64Array;
  /** The same pattern with other values (`v` aligned with `values`), for weighted products. */
  withValues(v: Float64Array): NmfData;
  /** The data as a float64 Matrix or CsrMatrix (shares the arrays), for the SVD of the init. */
  operand(): Matrix | CsrMatrix;
}

/** Gemm on contiguous column-major float64 arrays: C = op(A) op(B) (C rows x cols). */
export function gemm(transA: boolean, transB: boolean, rows: number, cols: number, inner: number, A: Float64Array, ldA: number, B: Float64Array, ldB: number, C: Float64Array, beta = 0, offA = 0, offC = 0, ldC = rows): void {
  if (rows === 0 || cols === 0) return;
  if (inner === 0) {
    if (beta === 0) for (let j = 0; j < cols; j++) C.fill(0, offC + j * ldC, offC + j * ldC + rows);
    return;
  }
  kernels().gemm(transA, transB, rows, cols, inner, 1, A, offA, ldA, B, 0, ldB, beta, C, offC, ldC);
}

/** Column-major float64 data of a matrix (the array itself when already so laid out). */
export function f64ColumnMajor(M: Matrix): Float64Array {
  if (M.data instanceof Float64Array && M.isColumnMajor && M.offset === 0 && M.ld === M.rows && M.data.length === M.rows * M.cols) return M.data;
  return Float64Array.from(M.toFlat('F'));
}

/** Sum, sum of squares and whether some entry is 0 (`hasZero` starts from `zero`) of the stored values. */
function valueStats(values: Float64Array, zero: boolean): { sum: number; sqNorm: number; hasZero: boolean } {
  let s = 0;
  let q = 0;
  for (let p = 0; p < values.length; p++) {
    const v = values[p]!;
    s += v;
    q += v * v;
    if (v === 0) zero = true;
  }
  return { sum: s, sqNorm: q, hasZero: zero };
}

class DenseData implements NmfData {
  readonly sparse = false;
  readonly layout = 'column';
  readonly sum: number;
  readonly sqNorm: number;
  readonly hasZero: boolean;
  /**
   * @param products - X's products prepared once (prepacked in WASM memory): the solvers
   *   multiply by X and X^T twice per iteration with k columns, and plain gemm calls would
   *   copy a JS-resident X in and pack it at every product.
   */
  constructor(readonly values: Float64Array, readonly m: number, readonly n: number, private readonly products?: Products) {
    ({ sum: this.sum, sqNorm: this.sqNorm, hasZero: this.hasZero } = valueStats(values, false));
  }
  times(B: Float64Array, k: number): Float64Array {
    const C = new Float64Array(this.m * k);
    this.timesInto(B, k, C);
    return C;
  }
  timesT(A: Float64Array, k: number): Float64Array {
    const C = new Float64Array(this.n * k);
    this.timesTInto(A, k, C);
    return C;
  }
  timesInto(B: Float64Array, k: number, C: Float64Array): void {
    if (this.products && k > 0) this.products.apply(new Matrix(B, this.n, k), new Matrix(C, this.m, k));
    else gemm(false, false, this.m, k, this.n, this.values, this.m, B, this.n, C);
  }
  timesTInto(A: Float64Array, k: number, C: Float64Array): void {
    if (this.products && k > 0) this.products.applyTranspose(new Matrix(A, this.m, k), new Matrix(C, this.n, k));
    else gemm(true, false, this.n, k, this.m, this.values, this.m, A, this.m, C);
  }
  release(): void {
    // The prepacked copy lives in the caller's workspace.
  }
  productAt(W: Float64Array, Ht: Float64Array, k: number): Float64Array {
    const C = new Float64Array(this.m * this.n);
    gemm(false, true, this.m, this.n, k, W, this.m, Ht, this.n, C);
    return C;
  }
  withValues(v: Float64Array): NmfData {
    return new DenseData(v, this.m, this.n);
  }
  operand(): Matrix {
    return new Matrix(this.values, this.m, this.n);
  }
}

class SparseData implements NmfData {
  readonly sparse = true;
  readonly layout = 'row';
  readonly sum: number;
  readonly sqNorm: number;
  readonly hasZero: boolean;
  readonly values: Float64Array;
  private readonly X: CsrMatrix;
  /** Weighted copies (one or two products each) free their WASM copy after every product. */
  private readonly temporary: boolean;
  /** X^T as CSR, built on the first {@link SparseData.timesTInto}: a gather per row of X^T. */
  private Xt?: CsrMatrix;
  constructor(X: CsrMatrix, stats = true) {
    this.X = X;
    this.temporary = !stats;
    this.values = X.data as Float64Array;
    // An unstored entry is a zero. Weighted copies (stats false) never read the statistics.
    const unstored = X.nnz < X.rows * X.cols;
    ({ sum: this.sum, sqNorm: this.sqNorm, hasZero: this.hasZero } = stats ? valueStats(this.values, unstored) : { sum: 0, sqNorm: 0, hasZero: unstored });
  }
  get m(): number {
    return this.X.rows;
  }
  get n(): number {
    return this.X.cols;
  }
  times(B: Float64Array, k: number): Float64Array {
    const C = f64ColumnMajor(this.X.apply(new Matrix(B, this.n, k)));
    if (this.temporary) this.X.dispose();
    return C;
  }
  timesT(A: Float64Array, k: number): Float64Array {
    const C = f64ColumnMajor(this.X.applyTranspose(new Matrix(A, this.m, k)));
    if (this.temporary) this.X.dispose();
    return C;
  }
  timesInto(B: Float64Array, k: number, C: Float64Array): void {
    csrMatmatRows(this.X, B, k, C);
  }
  timesTInto(A: Float64Array, k: number, C: Float64Array): void {
    // X^T A as a product with X^T's rows (a gather into registers) rather than a scatter
    // over X's rows: the transpose costs O(nnz) once per fit, the products run every sweep.
    this.Xt ??= this.X.toCsc().transpose();
    csrMatmatRows(this.Xt, A, k, C);
  }
  release(): void {
    this.Xt?.dispose();
    this.Xt = undefined;
  }
  productAt(W: Float64Array, Ht: Float64Array, k: number): Float64Array {
    const { indptr, indices } = this.X;
    const m = this.m;
    const n = this.n;
    // Row-major copies so each dot product reads two contiguous rows.
    const Wr = rowMajorOf(W, m, k);
    const Hr = rowMajorOf(Ht, n, k);
    const out = new Float64Array(indices.length);
    for (let i = 0; i < m; i++) {
      const wi = i * k;
      for (let e = indptr[i]!; e < indptr[i + 1]!; e++) {
        const hj = indices[e]! * k;
        let t = 0;
        for (let r = 0; r < k; r++) t += Wr[wi + r]! * Hr[hj + r]!;
        out[e] = t;
      }
    }
    return out;
  }
  withValues(v: Float64Array): NmfData {
    const X = this.X;
    return new SparseData(new CsrMatrix(X.indptr, X.indices, v, X.rows, X.cols), false);
  }
  operand(): CsrMatrix {
    return this.X;
  }
}

/** Row-major copy of a column-major rows x k array. */
export function rowMajorOf(A: Float64Array, rows: number, k: number): Float64Array {
  const out = new Float64Array(rows * k);
  for (let r = 0; r < k; r++) for (let i = 0; i < rows; i++) out[i * k + r] = A[i + r * rows]!;
  return out;
}

/**
 * Check and wrap NMF input: every entry finite and >= 0. Copies (never modifies) the
 * caller's arrays when they are not float64 column-major. With a workspace, dense data are
 * prepacked once into its (WASM) memory for the products with X and X^T (see
 * lowrank/products.ts): the solvers multiply by X twice per iteration, and the kernels
 * would otherwise copy a JS-resident X in and pack it at every product (on digits that
 * cost more than the products). The data must not be used after `ws` is released.
 * @throws InvalidArgumentError for a negative entry or an input that is neither a Matrix
 *   nor a CsrMatrix, NonFiniteInputError for NaN/Inf, ShapeError for an empty matrix.
 */
export function nmfData(X: NMFInput, who: string, ws?: Workspace): NmfData {
  if (X instanceof CsrMatrix) {
    if (X.rows === 0 || X.cols === 0) throw new ShapeError(`${who}: the matrix is empty (${X.rows}x${X.cols})`);
    const Xc = X.sumDuplicates();
    const d = Xc.data;
    for (let p = 0; p < d.length; p++) checkEntry(d[p]!, who);
    const f64 = d instanceof Float64Array ? Xc : Xc.astype('float64');
    return new SparseData(f64);
  }
  if (!(X instanceof Matrix)) throw new InvalidArgumentError(`${who}: expected a Matrix or a CsrMatrix`);
  if (X.rows === 0 || X.cols === 0) throw new ShapeError(`${who}: the matrix is empty (${X.rows}x${X.cols})`);
  const v = f64ColumnMajor(X);
  for (let p = 0; p < v.length; p++) checkEntry(v[p]!, who);
  if (!ws) return new DenseData(v, X.rows, X.cols);
  return new DenseData(v, X.rows, X.cols, productsOf(new Matrix(v, X.rows, X.cols), false, ws, who, { blocks: true }));
}

function checkEntry(v: number, who: string): void {
  if (!(v >= 0)) {
    if (Number.isNaN(v) || !Number.isFinite(v)) throw new NonFiniteInputError(`${who}: the data holds ${v}; NMF needs finite values`);
    throw new InvalidArgumentError(`${who}: negative value ${v} in the data; NMF needs a nonnegative matrix (shift or clip it first)`);
  }
  if (v === Infinity) throw new NonFiniteInputError(`${who}: the data holds Infinity; NMF needs finite values`);
}
