/**
 * Centering, and the rest of what PCA, IncrementalPCA and TruncatedSVD share about their
 * data: the accepted inputs (dense rows-are-samples Matrix, or a CSR/CSC sparse matrix),
 * input checks, column statistics, centering, the covariance matrix of the centered data
 * without a centered copy of all of X, projection onto components and back, and the JSON
 * field readers of their models. (scikit-learn's `svd_flip` sign rule is `flipByRows` in
 * src/lowrank/truncated-result.ts.)
 *
 * All statistics are accumulated in float64 whatever the input dtype.
 */
import { ConvergenceError, InvalidArgumentError, NonFiniteInputError, ShapeError } from '../../errors.js';
import { allFinite } from '../../fit-async.js';
import { kernels } from '../../kernels/index.js';
import { withWorkspace } from '../../kernels/workspace.js';
import { gemmInto } from '../../linalg/matmul.js';
import { Matrix } from '../../matrix/matrix.js';
import { CscMatrix } from '../../sparse/csc.js';
import { CsrMatrix } from '../../sparse/csr.js';

/** Data the PCA-type estimators accept: rows are samples, columns are features. */
export type PcaInput = Matrix | CsrMatrix | CscMatrix;

/**
 * Check `X` (a Matrix, CsrMatrix or CscMatrix with finite entries and at least `minRows`
 * rows and one column) and return it with sparse input as canonical CSR.
 * @throws InvalidArgumentError for anything else; ShapeError for too few rows or no
 *   columns; NonFiniteInputError naming the first NaN/Inf.
 */
export function checkPcaInput(X: PcaInput, routine: string, minRows = 1, checkValues = true): Matrix | CsrMatrix {
  let A: Matrix | CsrMatrix;
  if (X instanceof Matrix) A = X;
  else if (X instanceof CsrMatrix) A = X.canonical ? X : X.sumDuplicates();
  else if (X instanceof CscMatrix) A = X.toCsr().sumDuplicates();
  else throw new InvalidArgumentError(`${routine}: expected a Matrix (rows are samples) or a CsrMatrix/CscMatrix, got ${describe(X)}`);
  const [m, n] = A instanceof Matrix ? A.shape : A.shape;
  if (m < minRows || n < 1) {
    throw new ShapeError(`${routine}: the data is ${m}x${n}; it needs at least ${minRows} sample row${minRows === 1 ? '' : 's'} and one feature column`);
  }
  if (checkValues) checkFinite(A, routine);
  return A;
}

/**
 * After a computation on dense A that propagates NaN/Inf (a sum or product over every
 * entry) gave non-finite `values`: throw the precise error (the first NaN/Inf of A), or an
 * overflow error when A is finite.
 * @throws NonFiniteInputError whenever some value is not finite.
 */
export function checkFiniteResult(values: ArrayLike<number>, A: Matrix | CsrMatrix, routine: string): void {
  let t = 0;
  for (let i = 0; i < values.length; i++) t += values[i]! - values[i]!;
  if (t === 0) return;
  checkFinite(A, routine);
  throw new NonFiniteInputError(`${routine}: the data is finite but its sums overflow float64 (entries near 1e308); rescale it first`);
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x !== 'object') return typeof x;
  return (x as object).constructor?.name ?? 'object';
}

/** @throws NonFiniteInputError naming the first NaN/Inf entry of A. */
export function checkFinite(A: Matrix | CsrMatrix, routine: string): void {
  if (A instanceof CsrMatrix) {
    const d = A.data;
    for (let t = 0; t < d.length; t++) {
      if (!Number.isFinite(d[t]!)) {
        let i = 0;
        while (A.indptr[i + 1]! <= t) i++;
        throw new NonFiniteInputError(`${routine}: the data holds ${d[t]} at (${i}, ${A.indices[t]}); PCA needs finite numbers (impute or drop missing values first)`);
      }
    }
    return;
  }
  const { data, rows, cols, offset, rowStride, colStride } = A;
  for (let j = 0; j < cols; j++) {
    const c = offset + j * colStride;
    // x - x is 0 for finite x and NaN for NaN/Inf; summing keeps the hot loop branch-free.
    let t = 0;
    if (rowStride === 1) for (let i = c; i < c + rows; i++) t += data[i]! - data[i]!;
    else for (let i = 0; i < rows; i++) t += data[c + i * rowStride]! - data[c + i * rowStride]!;
    if (t === 0) continue;
    for (let i = 0; i < rows; i++) {
      const v = data[c + i * rowStride]!;
      if (!Number.isFinite(v)) throw new NonFiniteInputError(`${routine}: the data holds ${v} at (${i}, ${j}); PCA needs finite numbers (impute or drop missing values first)`);
    }
  }
}

/**
 * The divergence check of the PCA family, O(k): throw unless the solver's singular values
 * (or eigenvalues) and the total variance are finite. The input was checked finite, so a
 * NaN/Infinity here means its squares overflowed float64 inside the solver (entries beyond
 * about 1e154), and the model would hold NaN.
 * @throws ConvergenceError naming the routine, the solver and what to do.
 */
export function checkFiniteSpectrum(values: ArrayLike<number>, totalVariance: number, routine: string, solver: string): void {
  if (allFinite(values) && Number.isFinite(totalVariance)) return;
  throw new ConvergenceError(
    `${routine}: the '${solver}' solver gave NaN/Infinity singular values or variance: the data's squares overflow float64; ` +
    'rescale it (e.g. divide by its largest entry, or standardize the columns)',
  );
}

/** Per-column mean and variance (ddof 0, as numpy's `var`), accumulated in float64. */
export interface ColumnStats {
  readonly mean: Float64Array;
  readonly variance: Float64Array;
}

/**
 * Column means and variances (two passes: the mean, then the sum of squared deviations,
 * which is exact for data far from zero, unlike E[x^2] - E[x]^2). A sparse matrix is not
 * densified: its implicit zeros contribute (rows - nnz_j) mu_j^2 (scikit-learn's
 * `mean_variance_axis`). O(rows cols) dense, O(nnz + cols) sparse.
 */
export function columnStats(A: Matrix | CsrMatrix): ColumnStats {
  const [m, n] = A.shape;
  const mean = new Float64Array(n);
  const variance = new Float64Array(n);
  if (m === 0) return { mean, variance };
  if (A instanceof CsrMatrix) {
    const { data, indices } = A; // canonical (checkPcaInput): no duplicate entries
    const count = new Float64Array(n);
    for (let t = 0; t < data.length; t++) {
      const j = indices[t]!;
      mean[j] = mean[j]! + data[t]!;
      count[j] = count[j]! + 1;
    }
    for (let j = 0; j < n; j++) mean[j] = mean[j]! / m;
    for (let t = 0; t < data.length; t++) {
      const j = indices[t]!;
      const d = data[t]! - mean[j]!;
      variance[j] = variance[j]! + d * d;
    }
    for (let j = 0; j < n; j++) variance[j] = (variance[j]! + (m - count[j]!) * mean[j]! * mean[j]!) / m;
    return { mean, variance };
  }
  const { data, offset, rowStride, colStride } = A;
  for (let j = 0; j < n; j++) {
    const c = offset + j * colStride;
    let s = 0;
    for (let i = 0; i < m; i++) s += data[c + i * rowStride]!;
    const mu = s / m;
    let q = 0;
    for (let i = 0; i < m; i++) {
      const d = data[c + i * rowStride]! - mu;
      q += d * d;
    }
    mean[j] = mu;
    variance[j] = q / m;
  }
  return { mean, variance };
}

/**
 * Column means in float64 (what `columnStats` computes, without the variance pass). A NaN or
 * Inf anywhere in a column makes its mean non-finite (see {@link checkFiniteResult}).
 * O(rows cols) dense, O(nnz) sparse.
 */
export function columnMeans(A: Matrix | CsrMatrix): Float64Array {
  const [m, n] = A.shape;
  const mean = new Float64Array(n);
  if (m === 0) return mean;
  if (A instanceof CsrMatrix) {
    const { data, indices } = A;
    for (let t = 0; t < data.length; t++) mean[indices[t]!] = mean[indices[t]!]! + data[t]!;
  } else {
    const { data, offset, rowStride, colStride } = A;
    for (let j = 0; j < n; j++) {
      const c = offset + j * colStride;
      let s = 0;
      if (rowStride === 1) for (let i = c; i < c + m; i++) s += data[i]!;
      else for (let i = 0; i < m; i++) s += data[c + i * rowStride]!;
      mean[j] = s;
    }
  }
  for (let j = 0; j < n; j++) mean[j] = mean[j]! / m;
  return mean;
}

/**
 * Rows r0..r1-1 of A minus `mean` (when given), written column-major into `out` with leading
 * dimension `ld` (sparse rows are expanded: only the block is ever dense). O((r1 - r0) cols).
 */
export function denseRowBlock(A: Matrix | CsrMatrix, r0: number, r1: number, mean: Float64Array | undefined, out: Float64Array, ld: number): void {
  const n = A.shape[1];
  const b = r1 - r0;
  if (A instanceof CsrMatrix) {
    for (let j = 0; j < n; j++) {
      const mu = mean === undefined ? 0 : mean[j]!;
      out.fill(-mu, j * ld, j * ld + b);
    }
    const { indptr, indices, data } = A;
    for (let i = r0; i < r1; i++) {
      for (let t = indptr[i]!; t < indptr[i + 1]!; t++) {
        const idx = (i - r0) + indices[t]! * ld;
        out[idx] = out[idx]! + data[t]!;
      }
    }
    return;
  }
  const { data, offset, rowStride, colStride } = A;
  for (let j = 0; j < n; j++) {
    const mu = mean === undefined ? 0 : mean[j]!;
    const c = offset + j * colStride;
    const o = j * ld - r0;
    if (rowStride === 1 && mu === 0) out.set(data.subarray(c + r0, c + r1), o + r0);
    else if (rowStride === 1) for (let i = r0; i < r1; i++) out[o + i] = data[c + i]! - mu;
    else for (let i = r0; i < r1; i++) out[o + i] = data[c + i * rowStride]! - mu;
  }
}

/** A - 1 mean^T (or a float64 copy of A without `mean`) as a new compact column-major float64 Matrix. */
export function centeredCopy(A: Matrix | CsrMatrix, mean?: Float64Array): Matrix {
  const [m, n] = A.shape;
  const out = new Float64Array(m * n);
  denseRowBlock(A, 0, m, mean, out, Math.max(1, m));
  return new Matrix(out, m, n);
}

/** Rows per block when streaming X through the covariance: about 2^20 numbers (8 MB) a block. */
function blockRows(m: number, n: number): number {
  return Math.max(1, Math.min(m, Math.max(256, Math.floor(2 ** 20 / Math.max(1, n)))));
}

/**
 * Largest tolerated n mu_j^2 / C_jj (squared mean over centered sum of squares) for the
 * uncentered formula X^T X - n mu mu^T: the cancellation then costs at most log10 of it
 * digits, leaving C accurate to ~1e4 eps relative to its diagonal.
 */
const MAX_CANCELLATION = 1e4;

/** Column means and the scatter matrix of the data about them (see {@link meanAndScatter}). */
export interface MeanScatter {
  /** Column means, float64. */
  readonly mean: Float64Array;
  /** (A - 1 mean^T)^T (A - 1 mean^T), cols x cols column-major, both triangles filled. */
  readonly scatter: Float64Array;
}

/**
 * Column means and scatter matrix (A - 1 mu^T)^T (A - 1 mu^T) of A, as accurate as the
 * centered data allows, with at most one block of rows copied at a time.
 *
 * Dense A takes one pass: each block of rows is copied (as float64) into kernel memory with
 * a column of ones appended, and syrk of [X 1] gives X^T X, the column sums X^T 1 (its last
 * row) and m at once; n mu mu^T is then subtracted (scikit-learn's formula, which saves a
 * centering pass). When some column's mean dominates its spread (n mu_j^2 > 1e4 C_jj, where
 * that cancellation would cost more than 4 digits), and for sparse A, the scatter is formed
 * from centered blocks instead. Non-finite data give a non-finite mean (see
 * {@link checkFiniteResult}) and an unspecified scatter. Cost m n^2 flops in syrk plus O(m n).
 */
export function meanAndScatter(A: Matrix | CsrMatrix): MeanScatter {
  const [m, n] = A.shape;
  const scatter = new Float64Array(n * n);
  let mean: Float64Array;
  if (A instanceof CsrMatrix || m === 0 || n === 0) {
    mean = columnMeans(A);
    if (m > 0 && n > 0) centeredBlocks(A, mean, scatter);
  } else {
    mean = new Float64Array(n);
    if (!uncenteredScatter(A, mean, scatter)) centeredBlocks(A, mean, scatter);
  }
  for (let j = 0; j < n; j++) for (let i = j + 1; i < n; i++) scatter[j + i * n] = scatter[i + j * n]!;
  return { mean, scatter };
}

/**
 * Column means of dense A into `mean` and the lower triangle of X^T X - m mu mu^T into
 * `out`; false (out unusable, mean valid) when the cancellation is too large. Non-finite
 * data return true: the caller rejects them by the mean.
 */
function uncenteredScatter(A: Matrix, mean: Float64Array, out: Float64Array): boolean {
  const [m, n] = A.shape;
  const n1 = n + 1;
  const b = blockRows(m, n1);
  withWorkspace((ws) => {
    const block = ws.alloc('float64', b * n1, false) as Float64Array;
    const C = ws.alloc('float64', n1 * n1, false) as Float64Array;
    block.fill(1, n * b, n1 * b);
    const k = kernels();
    for (let r0 = 0; r0 < m; r0 += b) {
      const r1 = Math.min(m, r0 + b);
      denseRowBlock(A, r0, r1, undefined, block, b);
      k.syrk('L', true, n1, r1 - r0, 1, block, 0, b, r0 === 0 ? 0 : 1, C, 0, n1);
    }
    for (let j = 0; j < n; j++) {
      mean[j] = C[n + j * n1]! / m;
      out.set(C.subarray(j + j * n1, n + j * n1), j + j * n);
    }
  });
  for (let j = 0; j < n; j++) {
    const mj = m * mean[j]!;
    if (!Number.isFinite(mj)) return true;
    for (let i = j; i < n; i++) out[i + j * n] = out[i + j * n]! - mj * mean[i]!;
    const shift = mj * mean[j]!;
    if (shift > MAX_CANCELLATION * Math.max(out[j + j * n]!, 0)) return false;
  }
  return true;
}

/** Lower triangle of the scatter from centered blocks of rows (exact centering; any input). */
function centeredBlocks(A: Matrix | CsrMatrix, mean: Float64Array, out: Float64Array): void {
  const [m, n] = A.shape;
  const b = blockRows(m, n);
  withWorkspace((ws) => {
    const block = ws.f64(b * n);
    const C = ws.f64(n * n);
    const k = kernels();
    for (let r0 = 0; r0 < m; r0 += b) {
      const r1 = Math.min(m, r0 + b);
      denseRowBlock(A, r0, r1, mean, block, b);
      k.syrk('L', true, n, r1 - r0, 1, block, 0, b, r0 === 0 ? 0 : 1, C, 0, n);
    }
    out.set(C);
  });
}

/**
 * X C^T for data X (m x n, dense or CSR) and components C (k x n): a new m x k float64
 * Matrix (gemm, or the sparse product). O(m n k) dense, O(nnz k) sparse.
 */
export function projectOnto(X: Matrix | CsrMatrix, C: Matrix): Matrix {
  const m = X.shape[0];
  if (X instanceof CsrMatrix) {
    const Ct = X.dtype === 'float64' ? C.T.copy() : C.T.copy({ dtype: X.dtype });
    const Z = X.apply(Ct);
    return Z.dtype === 'float64' ? Z : Z.copy({ dtype: 'float64' });
  }
  const Z = Matrix.zeros(m, C.rows);
  if (m > 0 && C.rows > 0) gemmInto(X, C.T, Z);
  return Z;
}

/** Z (m x k) times C (k x n) plus 1 mean^T (when given): a new m x n float64 Matrix. */
export function expandFrom(Z: Matrix, C: Matrix, mean?: Float64Array): Matrix {
  const m = Z.rows;
  const n = C.cols;
  const X = Matrix.zeros(m, n);
  if (m > 0 && n > 0 && C.rows > 0) gemmInto(Z, C, X);
  if (mean !== undefined) {
    const d = X.data;
    for (let j = 0; j < n; j++) {
      const mu = mean[j]!;
      for (let i = 0; i < m; i++) d[i + j * m] = d[i + j * m]! + mu;
    }
  }
  return X;
}

/**
 * Check that `X` has `features` columns for a fitted model.
 * @throws ShapeError otherwise.
 */
export function checkFeatures(cols: number, features: number, routine: string, what = 'features'): void {
  if (cols !== features) throw new ShapeError(`${routine}: the data has ${cols} columns, the model was fitted on ${features} ${what}`);
}

/** A plain number array of a JSON field, checked. @throws InvalidArgumentError otherwise. */
export function jsonVector(value: unknown, length: number | undefined, routine: string, field: string): Float64Array {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isFinite(v)) || (length !== undefined && value.length !== length)) {
    throw new InvalidArgumentError(`${routine}: '${field}' must be an array of ${length ?? 'some'} finite numbers`);
  }
  return Float64Array.from(value as number[]);
}

/** A k x n matrix of a JSON field given as k rows of n numbers. @throws InvalidArgumentError otherwise. */
export function jsonRows(value: unknown, rows: number, cols: number, routine: string, field: string): Matrix {
  if (!Array.isArray(value) || value.length !== rows) throw new InvalidArgumentError(`${routine}: '${field}' must be ${rows} rows of ${cols} numbers`);
  const M = Matrix.zeros(rows, cols);
  value.forEach((row: unknown, i) => {
    const r = jsonVector(row, cols, routine, `${field}[${i}]`);
    for (let j = 0; j < cols; j++) M.data[i + j * rows] = r[j]!;
  });
  return M;
}
