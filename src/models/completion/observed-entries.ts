/**
 * The observed entries of a partially known matrix (matrix completion's P_Omega(X)),
 * normalised to row-sorted CSR arrays, and the tight loops that matrix completion runs
 * over them: the residual X_ij - L_ij of a low-rank L at every observed entry, and
 * products of a sparse matrix with the observed pattern by row-major dense blocks.
 *
 * Accepted inputs: coordinate triples ({@link CooEntries}), any CSR matrix with
 * `indptr / indices / data` arrays ({@link CsrLike}, e.g. the library's `CsrMatrix`), a
 * `CscMatrix`, or a dense {@link Matrix} with NaN marking the missing entries. Stored
 * entries of a sparse matrix are the observed ones, explicit zeros included.
 */
import { InvalidArgumentError, NonFiniteInputError, ShapeError } from '../../errors.js';
import { Matrix } from '../../matrix/matrix.js';
import { CscMatrix } from '../../sparse/csc.js';

/** Observed entries as coordinate triples: X[rows[e], cols[e]] = values[e] (0-based). */
export interface CooEntries {
  /** Row index of each observed entry. */
  readonly rows: ArrayLike<number>;
  /** Column index of each observed entry. */
  readonly cols: ArrayLike<number>;
  /** Observed value of each entry (finite). */
  readonly values: ArrayLike<number>;
  /** [m, n] of the full matrix. */
  readonly shape: readonly [number, number];
}

/** A compressed-sparse-row matrix whose stored entries are the observed ones. */
export interface CsrLike {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** Row i's entries are indptr[i] .. indptr[i + 1] - 1 (length rows + 1). */
  readonly indptr: ArrayLike<number>;
  /** Column index of each stored entry. */
  readonly indices: ArrayLike<number>;
  /** Value of each stored entry. */
  readonly data: ArrayLike<number>;
}

/** Everything matrix completion accepts as "the observed entries" (a CscMatrix too). */
export type ObservedInput = CooEntries | CsrLike | CscMatrix | Matrix;

/**
 * Observed entries in row-sorted CSR form without duplicates (column indices ascending in
 * each row), plus the row of each entry for loops that run over entries.
 */
export interface ObservedCsr {
  readonly rows: number;
  readonly cols: number;
  /** Length rows + 1. */
  readonly indptr: Int32Array;
  /** Column of each entry. */
  readonly indices: Int32Array;
  /** Row of each entry (redundant with indptr; saves a search in per-entry loops). */
  readonly rowOf: Int32Array;
  /** Observed values, float64. */
  readonly values: Float64Array;
  /** The same pattern by columns (CSC), for gather-style products with S^T: length cols + 1. */
  readonly colPtr: Int32Array;
  /** Row of each CSC entry. */
  readonly cscRows: Int32Array;
  /** CSR position of each CSC entry (values of S^T are s[cscToCsr[q]]). */
  readonly cscToCsr: Int32Array;
  /** Scratch of length nnz for {@link sparseTransposeTimes} (values in CSC order). */
  readonly cscScratch: Float64Array;
}

/** Add the CSC view of a row-sorted pattern (one counting pass; rows ascend within each column). */
function withCsc(m: number, n: number, indptr: Int32Array, indices: Int32Array, rowOf: Int32Array, values: Float64Array): ObservedCsr {
  const nnz = values.length;
  const colPtr = new Int32Array(n + 1);
  for (let e = 0; e < nnz; e++) colPtr[indices[e]! + 1] = colPtr[indices[e]! + 1]! + 1;
  for (let j = 0; j < n; j++) colPtr[j + 1] = colPtr[j + 1]! + colPtr[j]!;
  const next = colPtr.slice(0, n);
  const cscRows = new Int32Array(nnz);
  const cscToCsr = new Int32Array(nnz);
  for (let e = 0; e < nnz; e++) {
    const j = indices[e]!;
    const q = next[j]!;
    next[j] = q + 1;
    cscRows[q] = rowOf[e]!;
    cscToCsr[q] = e;
  }
  return { rows: m, cols: n, indptr, indices, rowOf, values, colPtr, cscRows, cscToCsr, cscScratch: new Float64Array(nnz) };
}

function checkShape(m: number, n: number): void {
  if (!(Number.isInteger(m) && m >= 0 && Number.isInteger(n) && n >= 0)) {
    throw new ShapeError(`observed entries: shape must be two non-negative integers, got [${m}, ${n}]`);
  }
}

function isCsrLike(x: object): x is CsrLike {
  return 'indptr' in x && 'indices' in x && 'data' in x;
}

/**
 * Normalise the observed entries to {@link ObservedCsr}.
 * Cost O(nnz + m + n) (two counting-sort passes); a dense input costs O(m n).
 * @throws ShapeError for a bad shape or mismatched array lengths;
 *   InvalidArgumentError for an index out of range (the message names the entry) or a
 *   duplicate (i, j); NonFiniteInputError for a NaN or infinite observed value.
 */
export function toObservedCsr(input: ObservedInput): ObservedCsr {
  if (input instanceof Matrix) return fromDense(input);
  if (typeof input !== 'object' || input === null) {
    throw new InvalidArgumentError('observed entries: expected { rows, cols, values, shape } triples, a CSR matrix (indptr, indices, data) or a Matrix with NaN for missing entries');
  }
  if (input instanceof CscMatrix) return fromCsr({ rows: input.cols, cols: input.rows, indptr: input.indptr, indices: input.indices, data: input.data }, true);
  if (isCsrLike(input)) return fromCsr(input);
  const coo = input as Partial<CooEntries>;
  if (coo.rows === undefined || coo.cols === undefined || coo.values === undefined || coo.shape === undefined) {
    throw new InvalidArgumentError('observed entries: triples need rows, cols, values and shape: [m, n]');
  }
  const [m, n] = coo.shape;
  checkShape(m, n);
  const nnz = coo.values.length;
  if (coo.rows.length !== nnz || coo.cols.length !== nnz) {
    throw new ShapeError(`observed entries: rows (${coo.rows.length}), cols (${coo.cols.length}) and values (${nnz}) must have the same length`);
  }
  return fromTriples(m, n, coo.rows, coo.cols, coo.values);
}

/** From CSR arrays; `transposed`: they are the CSC arrays of the matrix (the CSR of its transpose). */
function fromCsr(a: CsrLike, transposed = false): ObservedCsr {
  const m = a.rows;
  const n = a.cols;
  checkShape(m, n);
  const { indptr, indices, data } = a;
  if (indptr.length !== m + 1) throw new ShapeError(`observed entries: CSR indptr has ${indptr.length} entries, need rows + 1 = ${m + 1}`);
  const nnz = indptr[m]!;
  if (indptr[0] !== 0 || indices.length < nnz || data.length < nnz) {
    throw new ShapeError(`observed entries: CSR arrays are inconsistent (indptr[0] = ${indptr[0]}, indptr[rows] = ${nnz}, ${indices.length} indices, ${data.length} values)`);
  }
  const rowOf = new Int32Array(nnz);
  for (let i = 0; i < m; i++) {
    const lo = indptr[i]!;
    const hi = indptr[i + 1]!;
    if (!(hi >= lo)) throw new ShapeError(`observed entries: CSR indptr decreases at row ${i}`);
    rowOf.fill(i, lo, hi);
  }
  return transposed ? fromTriples(n, m, indices, rowOf, data) : fromTriples(m, n, rowOf, indices, data);
}

function fromDense(A: Matrix): ObservedCsr {
  const m = A.rows;
  const n = A.cols;
  const counts = new Int32Array(m + 1);
  let nnz = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      const v = A.get(i, j);
      if (Number.isNaN(v)) continue;
      if (!Number.isFinite(v)) throw new NonFiniteInputError(`observed entries: entry (${i}, ${j}) is ${v}; only NaN (missing) or finite values are allowed`);
      counts[i + 1] = counts[i + 1]! + 1;
      nnz++;
    }
  }
  for (let i = 0; i < m; i++) counts[i + 1] = counts[i + 1]! + counts[i]!;
  const indptr = counts.slice();
  const next = counts.subarray(0, m).slice();
  const indices = new Int32Array(nnz);
  const rowOf = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      const v = A.get(i, j);
      if (Number.isNaN(v)) continue;
      const e = next[i]!;
      next[i] = e + 1;
      indices[e] = j;
      rowOf[e] = i;
      values[e] = v;
    }
  }
  return withCsc(m, n, indptr, indices, rowOf, values);
}

/** Validate triples and sort them by (row, column) with two stable counting sorts. */
function fromTriples(m: number, n: number, r: ArrayLike<number>, c: ArrayLike<number>, v: ArrayLike<number>): ObservedCsr {
  const nnz = v.length;
  for (let e = 0; e < nnz; e++) {
    const i = r[e]!;
    const j = c[e]!;
    if (!(Number.isInteger(i) && i >= 0 && i < m && Number.isInteger(j) && j >= 0 && j < n)) {
      throw new InvalidArgumentError(`observed entries: entry ${e} is at (${i}, ${j}), outside the ${m}x${n} matrix (indices are 0-based)`);
    }
    if (!Number.isFinite(v[e]!)) throw new NonFiniteInputError(`observed entries: entry ${e} at (${i}, ${j}) is ${v[e]}; observed values must be finite`);
  }
  // Pass 1: order by column; pass 2 (stable): by row. Result: row-major, columns ascending.
  const byCol = new Int32Array(nnz);
  const colStart = new Int32Array(n + 1);
  for (let e = 0; e < nnz; e++) colStart[c[e]! + 1] = colStart[c[e]! + 1]! + 1;
  for (let j = 0; j < n; j++) colStart[j + 1] = colStart[j + 1]! + colStart[j]!;
  for (let e = 0; e < nnz; e++) {
    const j = c[e]!;
    byCol[colStart[j]!] = e;
    colStart[j] = colStart[j]! + 1;
  }
  const indptr = new Int32Array(m + 1);
  for (let e = 0; e < nnz; e++) indptr[r[e]! + 1] = indptr[r[e]! + 1]! + 1;
  for (let i = 0; i < m; i++) indptr[i + 1] = indptr[i + 1]! + indptr[i]!;
  const next = indptr.slice(0, m);
  const indices = new Int32Array(nnz);
  const rowOf = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  for (let t = 0; t < nnz; t++) {
    const e = byCol[t]!;
    const i = r[e]!;
    const k = next[i]!;
    next[i] = k + 1;
    indices[k] = c[e]!;
    rowOf[k] = i;
    values[k] = v[e]!;
  }
  for (let i = 0; i < m; i++) {
    for (let k = indptr[i]! + 1; k < indptr[i + 1]!; k++) {
      if (indices[k] === indices[k - 1]) {
        throw new InvalidArgumentError(`observed entries: (${i}, ${indices[k]}) is given more than once; give each observed entry once`);
      }
    }
  }
  return withCsc(m, n, indptr, indices, rowOf, values);
}

/**
 * out[e] = X_e - <us_i, v_j> for every observed entry e = (i, j), where us (m x k) and
 * v (n x k) are row-major (k contiguous factors per row), i.e. the residual of the
 * low-rank matrix us v^T on the observed pattern. Returns sum(out^2). Cost 2 |Omega| k.
 */
export function observedResidual(obs: ObservedCsr, us: Float64Array, v: Float64Array, k: number, out: Float64Array): number {
  const { indptr, indices, values } = obs;
  let ss = 0;
  for (let i = 0; i < obs.rows; i++) {
    const lo = indptr[i]!;
    const hi = indptr[i + 1]!;
    const ui = i * k;
    for (let e = lo; e < hi; e++) {
      const vj = indices[e]! * k;
      let dot = 0;
      let t = 0;
      for (; t + 3 < k; t += 4) {
        dot += us[ui + t]! * v[vj + t]! + us[ui + t + 1]! * v[vj + t + 1]! + us[ui + t + 2]! * v[vj + t + 2]! + us[ui + t + 3]! * v[vj + t + 3]!;
      }
      for (; t < k; t++) dot += us[ui + t]! * v[vj + t]!;
      const res = values[e]! - dot;
      out[e] = res;
      ss += res * res;
    }
  }
  return ss;
}

/**
 * Y = S X for the sparse S with pattern `obs` and values `s`, X row-major n x p, Y row-major
 * m x p (overwritten). Cost 2 |Omega| p. Columns go four at a time with the sums in locals
 * (a row's entries are re-read from cache once per group instead of storing into Y per entry).
 */
export function sparseTimes(obs: ObservedCsr, s: Float64Array, X: Float64Array, p: number, Y: Float64Array): void {
  const { indptr, indices } = obs;
  const m = obs.rows;
  for (let i = 0; i < m; i++) {
    const lo = indptr[i]!;
    const hi = indptr[i + 1]!;
    const yi = i * p;
    let t = 0;
    for (; t + 3 < p; t += 4) {
      let y0 = 0, y1 = 0, y2 = 0, y3 = 0;
      for (let e = lo; e < hi; e++) {
        const a = s[e]!;
        const xj = indices[e]! * p + t;
        y0 += a * X[xj]!;
        y1 += a * X[xj + 1]!;
        y2 += a * X[xj + 2]!;
        y3 += a * X[xj + 3]!;
      }
      Y[yi + t] = y0;
      Y[yi + t + 1] = y1;
      Y[yi + t + 2] = y2;
      Y[yi + t + 3] = y3;
    }
    for (; t < p; t++) {
      let y0 = 0;
      for (let e = lo; e < hi; e++) y0 += s[e]! * X[indices[e]! * p + t]!;
      Y[yi + t] = y0;
    }
  }
}

/**
 * Z = S^T Y for the sparse S with pattern `obs` and values `s`, Y row-major m x p, Z
 * row-major n x p (overwritten). Cost 2 |Omega| p. Runs over the CSC view, so it gathers
 * like {@link sparseTimes} instead of scattering into Z.
 */
export function sparseTransposeTimes(obs: ObservedCsr, s: Float64Array, Y: Float64Array, p: number, Z: Float64Array): void {
  const { colPtr, cscRows, cscToCsr } = obs;
  const n = obs.cols;
  const nnz = cscToCsr.length;
  const sc = obs.cscScratch; // s in CSC order: one gather instead of one per column group
  for (let q = 0; q < nnz; q++) sc[q] = s[cscToCsr[q]!]!;
  for (let j = 0; j < n; j++) {
    const lo = colPtr[j]!;
    const hi = colPtr[j + 1]!;
    const zj = j * p;
    let t = 0;
    for (; t + 3 < p; t += 4) {
      let z0 = 0, z1 = 0, z2 = 0, z3 = 0;
      for (let q = lo; q < hi; q++) {
        const a = sc[q]!;
        const yi = cscRows[q]! * p + t;
        z0 += a * Y[yi]!;
        z1 += a * Y[yi + 1]!;
        z2 += a * Y[yi + 2]!;
        z3 += a * Y[yi + 3]!;
      }
      Z[zj + t] = z0;
      Z[zj + t + 1] = z1;
      Z[zj + t + 2] = z2;
      Z[zj + t + 3] = z3;
    }
    for (; t < p; t++) {
      let z0 = 0;
      for (let q = lo; q < hi; q++) z0 += sc[q]! * Y[cscRows[q]! * p + t]!;
      Z[zj + t] = z0;
    }
  }
}

/** The elements of M (r x c, any layout) row-major in a new Float64Array, column t scaled by `colScale[t]` when given. */
export function rowMajor(M: Matrix, colScale?: ArrayLike<number>): Float64Array {
  const r = M.rows;
  const c = M.cols;
  const out = new Float64Array(r * c);
  const d = M.data;
  for (let j = 0; j < c; j++) {
    const f = colScale ? colScale[j]! : 1;
    let src = M.offset + j * M.colStride;
    for (let i = 0; i < r; i++, src += M.rowStride) out[i * c + j] = d[src]! * f;
  }
  return out;
}

/** A row-major r x c Float64Array seen as a Matrix view (rowStride c, colStride 1). */
export function rowMajorView(data: Float64Array, r: number, c: number): Matrix {
  return new Matrix(data, r, c, 0, Math.max(1, c), 1);
}
