/**
 * Sparse matrices from and to files without densifying: Matrix Market coordinate files
 * become CSR/CSC straight from their triples (duplicates summed, symmetric halves mirrored,
 * pattern entries 1, as scipy.io.mmread(...).tocsr()), and CSR/CSC matrices are written as
 * coordinate files. Dense inputs (.npy, CSV/TSV, array .mtx) are read densely and converted
 * with `fromDense` (their size is what the dense readers allow).
 */
import { extname } from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import type { DType } from '../matrix/dtype.js';
import { CscMatrix, CsrMatrix, type SparseMatrix } from '../sparse/index.js';
import { readMatrixSync, readMatrix, type ReadMatrixOptions } from './format.js';
import { parseMtx, readMtx, readMtxSync, type MtxData } from './mtx.js';
import { formatReal } from './numbers.js';
import { writeChunks, writeChunksSync } from './write-chunks.js';

/** Options of the sparse readers. */
export interface SparseReadOptions {
  /** Result format: 'csr' (default) or 'csc'. */
  format?: 'csr' | 'csc';
  /** Value type; default 'float64'. */
  dtype?: DType;
}

/** Options of the sparse Matrix Market writers. */
export interface SparseMtxWriteOptions {
  /** 'real' (default) or 'integer' (every value must be an integer). */
  field?: 'real' | 'integer';
  /** Comment lines after the banner (may contain newlines). */
  comment?: string;
}

function checkFormat(format: unknown): 'csr' | 'csc' {
  if (format !== 'csr' && format !== 'csc') throw new InvalidArgumentError(`sparse format must be 'csr' or 'csc', got '${String(format)}'`);
  return format;
}

function fromMtx(d: MtxData, options: SparseReadOptions): SparseMatrix {
  const format = checkFormat(options.format ?? 'csr');
  const dtype = options.dtype ?? 'float64';
  if (!d.entries) {
    const dense = d.dense({ dtype });
    return format === 'csr' ? CsrMatrix.fromDense(dense) : CscMatrix.fromDense(dense);
  }
  const e = d.entries;
  const build = format === 'csr' ? CsrMatrix.fromCoo : CscMatrix.fromCoo;
  return build(e.row, e.col, e.val, d.rows, d.cols, { dtype });
}

/**
 * Parse Matrix Market text (a string or UTF-8 bytes) into a sparse matrix.
 * @param file - name for error messages.
 * @throws ParseError for malformed input, UnsupportedError for complex/hermitian files,
 *   NonFiniteInputError when an entry is NaN or infinite.
 */
export function parseMtxSparse(source: string | Uint8Array, options: SparseReadOptions = {}, file = '<buffer>'): SparseMatrix {
  return fromMtx(parseMtx(source, file), options);
}

function isMtx(path: string): boolean {
  return extname(path).toLowerCase() === '.mtx';
}

/**
 * Read a sparse matrix: `.mtx` coordinate files stream straight into CSR/CSC (memory
 * O(nnz), never rows x cols); other formats are read densely and converted.
 */
export async function readSparse(path: string, options: SparseReadOptions & Omit<ReadMatrixOptions, 'dtype' | 'format'> = {}): Promise<SparseMatrix> {
  const format = checkFormat(options.format ?? 'csr');
  if (isMtx(path)) return fromMtx(await readMtx(path), options);
  const dense = await readMatrix(path, { ...options, format: undefined, dtype: options.dtype ?? 'float64' });
  return format === 'csr' ? CsrMatrix.fromDense(dense) : CscMatrix.fromDense(dense);
}

/** Synchronous {@link readSparse}. */
export function readSparseSync(path: string, options: SparseReadOptions & Omit<ReadMatrixOptions, 'dtype' | 'format'> = {}): SparseMatrix {
  const format = checkFormat(options.format ?? 'csr');
  if (isMtx(path)) return fromMtx(readMtxSync(path), options);
  const dense = readMatrixSync(path, { ...options, format: undefined, dtype: options.dtype ?? 'float64' });
  return format === 'csr' ? CsrMatrix.fromDense(dense) : CscMatrix.fromDense(dense);
}

function checkField(A: SparseMatrix, options: SparseMtxWriteOptions): 'real' | 'integer' {
  const field = options.field ?? 'real';
  if (field !== 'real' && field !== 'integer') throw new InvalidArgumentError(`mtx field must be 'real' or 'integer', got '${String(field)}'`);
  if (field === 'integer') {
    for (let k = 0; k < A.nnz; k++) {
      const v = A.data[k]!;
      if (!Number.isInteger(v) || Math.abs(v) >= 2 ** 53) throw new InvalidArgumentError(`integer field: stored value ${k} is ${v}, not an exactly representable integer`);
    }
  }
  return field;
}

/** Coordinate lines of every stored entry (duplicates and explicit zeros included), in storage order. */
function* sparseMtxText(A: SparseMatrix, field: 'real' | 'integer', comment: string | undefined): Generator<string> {
  let head = `%%MatrixMarket matrix coordinate ${field} general\n`;
  if (comment !== undefined) for (const c of comment.split('\n')) head += `%${c}\n`;
  yield `${head}${A.rows} ${A.cols} ${A.nnz}\n`;
  const csr = A instanceof CsrMatrix;
  const dtype = A.dtype;
  const major = csr ? A.rows : A.cols;
  let buf: string[] = [];
  for (let i = 0; i < major; i++) {
    for (let k = A.indptr[i]!; k < A.indptr[i + 1]!; k++) {
      const j = A.indices[k]!;
      const v = A.data[k]!;
      const s = field === 'integer' ? String(v === 0 ? 0 : v) : formatReal(v, dtype);
      buf.push(csr ? `${i + 1} ${j + 1} ${s}` : `${j + 1} ${i + 1} ${s}`);
      if (buf.length === 65536) {
        yield buf.join('\n') + '\n';
        buf = [];
      }
    }
  }
  if (buf.length > 0) yield buf.join('\n') + '\n';
}

/** Matrix Market coordinate text of a sparse matrix (real values in shortest round-trip form). */
export function encodeSparseMtx(A: SparseMatrix, options: SparseMtxWriteOptions = {}): string {
  return [...sparseMtxText(A, checkField(A, options), options.comment)].join('');
}

/** Write a sparse matrix as a Matrix Market coordinate file (validated before the file is created). */
export async function writeSparseMtx(path: string, A: SparseMatrix, options: SparseMtxWriteOptions = {}): Promise<void> {
  const field = checkField(A, options);
  await writeChunks(path, sparseMtxText(A, field, options.comment));
}

/** Synchronous {@link writeSparseMtx}. */
export function writeSparseMtxSync(path: string, A: SparseMatrix, options: SparseMtxWriteOptions = {}): void {
  const field = checkField(A, options);
  writeChunksSync(path, sparseMtxText(A, field, options.comment));
}
