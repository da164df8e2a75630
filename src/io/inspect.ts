/**
 * `inspectFile`: what `lowrank info` shows about a matrix file (shape, storage, value
 * statistics). Sparse Matrix Market files are summarized from their entries, without
 * densifying, so a 10^6 x 10^6 matrix with a few million entries is cheap to inspect.
 */
import { stat } from 'node:fs/promises';
import type { DType } from '../matrix/dtype.js';
import type { Matrix } from '../matrix/matrix.js';
import type { ReadMatrixOptions } from './format.js';
import { formatOf, type FileFormat } from './format-name.js';
import type { MtxEntries, MtxField, MtxFormat, MtxSymmetry } from './mtx.js';
import { readNpyFileHeader, scanNpyData } from './npy-file.js';
import { npyDefaultDtype, type NpyHeader } from './npy-header.js';
import { addFloatBytes, finishInfo, streamedNpyInfo, streamsStats, type InfoBase } from './npy-info.js';
import { StatsAccumulator, type ValueStats } from './stats.js';

export { inspectNpySync } from './npy-info.js';

/** What {@link inspectFile} reports. */
export interface FileInfo extends Omit<ValueStats, 'count'> {
  /** The path as given to {@link inspectFile}. */
  path: string;
  /** File format, from `options.format` or else the file extension. */
  format: FileFormat;
  /** File size in bytes. */
  bytes: number;
  /** Number of rows of the matrix (of an n-d array: n_0, the rows of its mode-0 unfolding). */
  rows: number;
  /** Number of columns of the matrix (of an n-d array: n_1 * ... * n_{d-1}). */
  cols: number;
  /** npy files of 3 or more dimensions: the shape (absent for matrices, whose shape is rows x cols). */
  shape?: number[];
  /** dtype of the matrix `readMatrix` (or of the tensor `readTensor`) returns for this file. */
  dtype: DType;
  /** One-line description of the storage, e.g. `npy 1.0, <f8, C order`. */
  storage: string;
  /** Fraction of the rows * cols elements that are nonzero (0 for an empty matrix or array). */
  density: number;
  /** npy files: header fields. */
  npy?: { version: 1 | 2 | 3; descr: string; fortranOrder: boolean; shape: number[] };
  /** Matrix Market files: banner fields; `entries` counts stored entries after symmetric expansion. */
  mtx?: { format: MtxFormat; field: MtxField; symmetry: MtxSymmetry; entries: number };
  /** Text files: the delimiter, whether the first row was read as a header, and its column names. */
  text?: { delimiter: string; header: boolean; columnNames?: string[] };
}

/**
 * Statistics of a little-endian float file's values, read 256 KiB at a time into two buffers
 * and summarized in a tight pass over each piece (statistics ignore the order): the file is
 * never held whole. Undefined for files of another kind, which are read as matrices.
 */
async function streamedNpyStats(path: string, h: NpyHeader, requested: DType | undefined): Promise<ValueStats | undefined> {
  if (!streamsStats(h, requested)) return undefined;
  const acc = new StatsAccumulator();
  await scanNpyData(path, h, (b) => addFloatBytes(acc, b, h.type.size));
  return acc.result();
}

function denseStats(A: Matrix): ValueStats {
  if (A.isContiguous) {
    // Column-major and compact: the statistics of its storage, in one pass.
    const acc = new StatsAccumulator();
    acc.addArray(A.data.subarray(A.offset, A.offset + A.size));
    return acc.result();
  }
  const acc = new StatsAccumulator();
  for (let j = 0; j < A.cols; j++) for (let i = 0; i < A.rows; i++) acc.add(A.data[A.index(i, j)]!);
  return acc.result();
}

/**
 * Statistics of a coordinate matrix from its entries. Duplicate entries add up (as in
 * `dense()`), so positions are sorted to find them; the common duplicate-free case needs
 * one typed-array sort and no per-entry objects.
 */
export function coordinateStats(e: MtxEntries, rows: number, cols: number): ValueStats {
  const n = e.val.length;
  const exact = rows * cols <= Number.MAX_SAFE_INTEGER;
  const keys = exact ? new Float64Array(n) : new BigInt64Array(n);
  for (let k = 0; k < n; k++) {
    if (exact) keys[k] = e.col[k]! * rows + e.row[k]!;
    else keys[k] = (BigInt(e.col[k]!) << 32n) | BigInt(e.row[k]!);
  }
  const sorted = keys.slice().sort();
  const duplicated = new Set<number | bigint>();
  let removed = 0;
  for (let k = 1; k < n; k++) {
    if (sorted[k] === sorted[k - 1]) {
      duplicated.add(sorted[k]!);
      removed++;
    }
  }

  const acc = new StatsAccumulator();
  const sums = new Map<number | bigint, number>();
  for (let k = 0; k < n; k++) {
    const key = keys[k]!;
    if (duplicated.has(key)) sums.set(key, (sums.get(key) ?? 0) + e.val[k]!);
    else acc.add(e.val[k]!);
  }
  for (const v of sums.values()) acc.add(v);
  acc.addZeros(rows * cols - (n - removed)); // positions without an entry
  return acc.result();
}

/**
 * Read a matrix file (or an `.npy` array of any number of dimensions) and summarize it:
 * shape, storage, dtype, nonzeros and density, Frobenius norm, min and max (over non-NaN
 * values), NaN and infinity counts.
 * @throws as {@link readMatrix}.
 */
export async function inspectFile(path: string, options: ReadMatrixOptions = {}): Promise<FileInfo> {
  const format = formatOf(path, options.format);
  const bytes = (await stat(path)).size;
  const base: InfoBase = { path, format, bytes };
  const finish = (rows: number, cols: number, dtype: DType, storage: string, s: ValueStats): FileInfo => finishInfo(base, rows, cols, dtype, storage, s);

  if (format === 'npy') {
    // Arrays of 3 or more dimensions are read as tensors; matrices exactly as before.
    const h = await readNpyFileHeader(path, { maxHeaderSize: options.maxHeaderSize, anyRank: true });
    const streamed = await streamedNpyStats(path, h, options.dtype);
    if (streamed !== undefined) return streamedNpyInfo(base, h, options.dtype ?? npyDefaultDtype(h), streamed);
    // Other files are read whole, by the matrix and tensor readers, loaded only then: a
    // float file (the common case) is summarized without them, and loading code is most
    // of a short `lowrank info`'s time.
    const { readNpy, readTensor } = await import('./npy.js');
    if (h.shape.length > 2) {
      const t = await readTensor(path, { dtype: options.dtype, maxHeaderSize: options.maxHeaderSize });
      const acc = new StatsAccumulator();
      // As read, the tensor fills its storage (C or Fortran order); statistics ignore order.
      acc.addArray(t.data);
      const rest = t.shape.slice(1).reduce((a, b) => a * b, 1);
      const info = finish(t.shape[0]!, rest, t.dtype, `npy ${h.version}.0, ${h.type.descr}, ${h.fortranOrder ? 'Fortran' : 'C'} order`, acc.result());
      info.shape = [...t.shape];
      info.npy = { version: h.version, descr: h.type.descr, fortranOrder: h.fortranOrder, shape: [...h.shape] };
      return info;
    }
    const a = await readNpy(path, { dtype: options.dtype, maxHeaderSize: options.maxHeaderSize });
    const layout = a.shape.length === 2 ? `${a.fortranOrder ? 'Fortran' : 'C'} order` : `${a.shape.length}-D`;
    const info = finish(a.matrix.rows, a.matrix.cols, a.matrix.dtype, `npy ${a.version}.0, ${a.dtype}, ${layout}`, denseStats(a.matrix));
    info.npy = { version: a.version, descr: a.dtype, fortranOrder: a.fortranOrder, shape: a.shape };
    return info;
  }
  // The text formats' code is loaded when a file needs it (most of `lowrank info`'s time
  // on a small file is loading code).
  if (format === 'mtx') {
    const { readMtx } = await import('./mtx.js');
    const d = await readMtx(path);
    const s = d.entries ? coordinateStats(d.entries, d.rows, d.cols) : denseStats(d.dense());
    const info = finish(d.rows, d.cols, options.dtype ?? 'float64', `Matrix Market ${d.format} ${d.field} ${d.symmetry}`, s);
    info.mtx = { format: d.format, field: d.field, symmetry: d.symmetry, entries: d.nnz };
    return info;
  }
  if (format === 'parquet' || format === 'arrow') {
    const { readMatrixFile } = await import('./format.js');
    const m = await readMatrixFile(path, { format, dtype: options.dtype });
    const info = finish(m.matrix.rows, m.matrix.cols, m.matrix.dtype, `${format === 'parquet' ? 'Parquet' : 'Arrow IPC'}, columns ${m.columnNames!.join(', ')}`, denseStats(m.matrix));
    return info;
  }
  const { readCsv } = await import('./csv.js');
  const c = await readCsv(path, { delimiter: options.delimiter ?? (format === 'tsv' ? '\t' : undefined), header: options.header, dtype: options.dtype });
  const delim = c.delimiter === '\t' ? 'tab' : c.delimiter === 'whitespace' ? 'whitespace' : `'${c.delimiter}'`;
  const info = finish(c.matrix.rows, c.matrix.cols, c.matrix.dtype, `${format.toUpperCase()}, ${delim}-delimited${c.columnNames ? ', header row' : ''}`, denseStats(c.matrix));
  info.text = { delimiter: c.delimiter, header: c.header };
  if (c.columnNames) info.text.columnNames = c.columnNames;
  return info;
}
