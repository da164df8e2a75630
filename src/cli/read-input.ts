/**
 * Reading the matrix files named on the command line, the same way in every command: the
 * format from the extension (an unknown one is a usage error), file system errors named
 * after the file, and the values checked right after reading, so a NaN is reported as
 * `<file>: holds NaN at row 3, column 4 (0-based)` instead of by a routine deep inside the
 * computation that no longer knows which file the numbers came from.
 */
import { NonFiniteInputError } from '../errors.js';
import { readMatrixFile, type FileFormat } from '../io/format.js';
import { readMtx, type MtxEntries } from '../io/mtx.js';
import { readTensor } from '../io/npy.js';
import type { DType } from '../matrix/dtype.js';
import type { Matrix } from '../matrix/matrix.js';
import { CsrMatrix } from '../sparse/csr.js';
import { unravelIndex } from '../tensor/strided.js';
import type { Tensor } from '../tensor/tensor.js';
import { fileFormat, onFile, UsageError } from './options.js';

/**
 * Which values a command accepts: `'finite'` (decompositions and fits), `'missing'` (NaN
 * marks a missing entry, as in `complete`; infinities are still refused) or `'any'`
 * (commands that pass values through, such as `matmul` and `convert`).
 */
export type ValuePolicy = 'finite' | 'missing' | 'any';

/** Options of {@link readMatrixInput}. */
export interface ReadInputOptions {
  /** dtype of the matrix; default as stored (float32 for `<f4` npy, else float64). */
  dtype?: DType;
  /** Text files: the delimiter (default detected; tab for .tsv). */
  delimiter?: string;
  /** Text files: whether the first row is a header (default `'auto'`). */
  header?: boolean | 'auto';
  /** Values accepted; default `'finite'`. */
  values?: ValuePolicy;
}

/** A matrix read from a command-line argument, with how it was read. */
export interface InputMatrix<M extends Matrix | CsrMatrix = Matrix> {
  matrix: M;
  /** The path as given. */
  path: string;
  format: FileFormat;
  /** Whether the first row of a text file was read as column names (false for npy, mtx). */
  header: boolean;
  /** Text files with a header row: the column names. */
  columnNames?: string[];
}

// How each matrix returned by the readers below was read, for reports built far from the
// read (runFactorCommand's JSON names the header use of its inputs without every command
// threading it through). Weak: the entry goes with the matrix.
const HEADERS = new WeakMap<object, boolean>();

/**
 * Whether `matrix` (as returned by {@link readMatrixInput} or
 * {@link readDenseOrSparseInput}) came from a text file whose first row was read as a
 * header; false for anything else.
 */
export function inputHeader(matrix: object): boolean {
  return HEADERS.get(matrix) ?? false;
}

/**
 * Read a dense matrix argument (.npy, .mtx, .csv, .tsv, .txt) and check its values.
 * @throws UsageError for an unknown extension; ParseError and file system errors naming
 *   the file; NonFiniteInputError naming the file and the first bad entry (see
 *   {@link checkValues}).
 */
export async function readMatrixInput(path: string, options: ReadInputOptions = {}): Promise<InputMatrix> {
  fileFormat(path);
  const f = await onFile(path, () => readMatrixFile(path, { dtype: options.dtype, delimiter: options.delimiter, header: options.header }));
  checkValues(f.matrix, path, options.values ?? 'finite');
  HEADERS.set(f.matrix, f.header);
  const out: InputMatrix = { matrix: f.matrix, path, format: f.format, header: f.header };
  if (f.columnNames) out.columnNames = f.columnNames;
  return out;
}

/**
 * A coordinate .mtx file as a CSR matrix (O(nnz) memory, as scipy.io.mmread(...).tocsr());
 * any other file as a dense Matrix (see {@link readMatrixInput}). For commands whose
 * computation takes sparse input without densifying it. Values must be finite.
 * @throws as {@link readMatrixInput}.
 */
export async function readDenseOrSparseInput(path: string, options: Omit<ReadInputOptions, 'values'> = {}): Promise<InputMatrix<Matrix | CsrMatrix>> {
  if (fileFormat(path) !== 'mtx') return readMatrixInput(path, options);
  const f = await onFile(path, () => readMtx(path));
  const e = f.entries;
  let matrix: Matrix | CsrMatrix;
  if (f.format === 'coordinate' && e) {
    checkEntries(e, path, 'finite');
    matrix = CsrMatrix.fromCoo(e.row, e.col, e.val, f.rows, f.cols, { dtype: options.dtype ?? 'float64' });
  } else {
    matrix = f.dense({ dtype: options.dtype });
    checkValues(matrix, path, 'finite');
  }
  HEADERS.set(matrix, false);
  return { matrix, path, format: 'mtx', header: false };
}

/** Options of {@link readTensorInput}. */
export interface ReadTensorInputOptions {
  /** dtype of the tensor; default as stored (float32 for `<f4`, else float64). */
  dtype?: DType;
  /**
   * Values accepted; default `'finite'`. `'any'` leaves the check to the computation (for a
   * routine that reports a NaN's index itself, which the command then names the file in).
   */
  values?: ValuePolicy;
}

/**
 * Read an n-d `.npy` array argument (the tensor commands) and check its values.
 * @throws UsageError for a file that is not `.npy`; ParseError and file system errors naming
 *   the file; NonFiniteInputError `<path>: holds NaN at index [i, j, k]`, naming the first
 *   refused value in C order and how many more there are.
 */
export async function readTensorInput(path: string, options: ReadTensorInputOptions = {}): Promise<Tensor> {
  if (!path.toLowerCase().endsWith('.npy')) throw new UsageError(`${path}: tensors are read from .npy files (np.save); got another extension`);
  const T = await onFile(path, () => readTensor(path, { dtype: options.dtype }));
  const policy = options.values ?? 'finite';
  // Tensor.isFinite is one pass over the storage; the index is found only when it fails.
  if (policy === 'any' || (policy === 'finite' && T.isFinite())) return T;
  const flat = T.toFlat('C');
  let bad = 0;
  let first = -1;
  for (let p = 0; p < flat.length; p++) {
    if (refusal(flat[p]!, policy)) {
      bad++;
      if (first < 0) first = p;
    }
  }
  if (first < 0) return T;
  throw complaint(path, flat[first]!, `index [${unravelIndex(first, T.shape).join(', ')}]`, bad, policy);
}

function refusal(v: number, policy: ValuePolicy): boolean {
  return policy === 'finite' ? !Number.isFinite(v) : policy === 'missing' ? v === Infinity || v === -Infinity : false;
}

function complaint(path: string, v: number, where: string, bad: number, policy: ValuePolicy): NonFiniteInputError {
  const more = bad > 1 ? `, and ${bad - 1} more ${policy === 'missing' ? 'infinite' : 'NaN or infinite'} value${bad > 2 ? 's' : ''}` : '';
  const need = policy === 'missing' ? 'NaN marks a missing entry here, but infinities are not allowed' : 'this command needs finite numbers (remove or impute them first)';
  return new NonFiniteInputError(`${path}: holds ${v} at ${where}${more}; ${need}`);
}

/**
 * Check the values of a matrix read from `path` against `policy`.
 * @throws NonFiniteInputError `<path>: holds NaN at row i, column j (0-based)`, naming the
 *   first refused value in reading order (row by row) and how many more there are.
 */
export function checkValues(A: Matrix, path: string, policy: ValuePolicy): void {
  if (policy === 'any') return;
  const { rows: m, cols: n, data } = A;
  let bad = 0;
  // Storage order first, in one pass over the array the readers return; reading order
  // only when something was found.
  if (A.rowStride === 1 && A.colStride === m) {
    for (let k = A.offset, end = A.offset + m * n; k < end; k++) if (refusal(data[k]!, policy)) bad++;
  } else {
    for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) if (refusal(data[A.index(i, j)]!, policy)) bad++;
  }
  if (bad === 0) return;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const v = data[A.index(i, j)]!;
      if (refusal(v, policy)) throw complaint(path, v, `row ${i}, column ${j} (0-based)`, bad, policy);
    }
  }
}

/**
 * {@link checkValues} for the entries of a coordinate file.
 * @throws NonFiniteInputError naming the file and the first refused entry's row and column
 *   (0-based).
 */
export function checkEntries(e: MtxEntries, path: string, policy: ValuePolicy): void {
  if (policy === 'any') return;
  let first = -1;
  let bad = 0;
  for (let k = 0; k < e.val.length; k++) {
    if (refusal(e.val[k]!, policy)) {
      if (first < 0) first = k;
      bad++;
    }
  }
  if (first >= 0) throw complaint(path, e.val[first]!, `row ${e.row[first]!}, column ${e.col[first]!} (0-based)`, bad, policy);
}
