/**
 * One entry point for every matrix file format, chosen by the file's extension:
 * `.npy` (numpy), `.mtx` / `.mm` (Matrix Market), `.csv`, `.tsv` / `.tab`, `.txt` / `.dat`
 * (whitespace or detected delimiter), `.parquet` and Arrow IPC `.arrow` / `.feather`
 * (numeric columns; asynchronous calls only, see src/io/parquet.ts and src/io/arrow.ts).
 */
import { formatOf, type FileFormat } from './format-name.js';
import { InvalidArgumentError } from '../errors.js';
import type { DType } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import { readCsv, readCsvSync, writeCsv, writeCsvSync, type CsvData, type CsvDelimiter, type CsvReadOptions } from './csv.js';
import { readMtx, readMtxSync, writeMtx, writeMtxSync, type MtxFormat, type MtxWriteOptions } from './mtx.js';
import { readNpy, readNpySync, writeNpy, writeNpySync, type NpyWriteOptions } from './npy.js';

export { FILE_FORMATS, formatOf, type FileFormat } from './format-name.js';

/** Options of {@link readMatrix}. Format-specific options are ignored by other formats. */
export interface ReadMatrixOptions {
  /** Format, instead of guessing it from the extension. */
  format?: FileFormat;
  /** dtype of the returned matrix; default float32 for `<f4` npy data, float64 otherwise. */
  dtype?: DType;
  /** Text formats: delimiter (default `'\t'` for tsv, detected for csv and txt). */
  delimiter?: CsvDelimiter;
  /**
   * Text formats: whether the first row is a header (default `'auto'`: only a row of clear
   * column names, see `autoHeader` in csv-detect.ts).
   */
  header?: boolean | 'auto';
  /** npy: largest accepted header in bytes (default 10000). */
  maxHeaderSize?: number;
}

/** A matrix read from a file, with what the file said beyond the numbers. */
export interface MatrixFile {
  /** The matrix (dense; sparse Matrix Market files are densified). */
  matrix: Matrix;
  /** The file's format (from `options.format` or the extension). */
  format: FileFormat;
  /** Text formats with a header row: the column names. */
  columnNames?: string[];
  /** Whether a header row was read (and left out of the matrix); always false for npy and mtx. */
  header: boolean;
}

/** Options of {@link writeMatrix}. Format-specific options are ignored by other formats. */
export interface WriteMatrixOptions {
  /** Format, instead of taking it from the extension. */
  format?: FileFormat;
  /** Element type written (npy: `<f8` / `<f4`; text: the precision printed); default the matrix's. */
  dtype?: DType;
  /** npy: Fortran order (default true) or C order. */
  fortranOrder?: boolean;
  /** npy: write a vector as a 1-D array. */
  shape1d?: boolean;
  /** mtx: `'array'` (default) or `'coordinate'`. */
  mtxFormat?: MtxFormat;
  /** mtx: `'real'` (default) or `'integer'`. */
  field?: MtxWriteOptions['field'];
  /** mtx: `'general'` (default) or `'symmetric'`. */
  symmetry?: MtxWriteOptions['symmetry'];
  /** Text formats: delimiter (default `,` for csv, tab for tsv, space for txt). */
  delimiter?: CsvDelimiter;
  /** Text formats: column names for a header row. */
  header?: readonly string[];
}

function csvOptions(format: FileFormat, o: ReadMatrixOptions): CsvReadOptions {
  return { delimiter: o.delimiter ?? (format === 'tsv' ? '\t' : undefined), header: o.header, dtype: o.dtype };
}

function fromCsv(d: CsvData, format: FileFormat): MatrixFile {
  const out: MatrixFile = { matrix: d.matrix, format, header: d.header };
  if (d.columnNames) out.columnNames = d.columnNames;
  return out;
}

/**
 * Read a matrix and what its file says about it (format, column names).
 * @throws InvalidArgumentError for an unknown extension; otherwise as the format's reader
 *   (ParseError for malformed files, UnsupportedError for valid files a matrix cannot hold).
 */
export async function readMatrixFile(path: string, options: ReadMatrixOptions = {}): Promise<MatrixFile> {
  const format = formatOf(path, options.format);
  if (format === 'npy') {
    const a = await readNpy(path, { dtype: options.dtype, maxHeaderSize: options.maxHeaderSize });
    return { matrix: a.matrix, format, header: false };
  }
  if (format === 'mtx') return { matrix: (await readMtx(path)).dense({ dtype: options.dtype }), format, header: false };
  if (format === 'parquet' || format === 'arrow') {
    // Loaded on demand: most commands never meet a columnar file.
    const r = format === 'parquet' ? await (await import('./parquet.js')).readParquetMatrix(path, { dtype: options.dtype }) : await (await import('./arrow.js')).readArrowMatrix(path, { dtype: options.dtype });
    return { matrix: r.matrix, format, header: true, columnNames: r.columnNames };
  }
  return fromCsv(await readCsv(path, csvOptions(format, options)), format);
}

function noSync(format: FileFormat, what: string): never {
  throw new InvalidArgumentError(`${format} files are ${what} asynchronously only: use the async call (readMatrix / writeMatrix)`);
}

/** Synchronous {@link readMatrixFile}. */
export function readMatrixFileSync(path: string, options: ReadMatrixOptions = {}): MatrixFile {
  const format = formatOf(path, options.format);
  if (format === 'npy') return { matrix: readNpySync(path, { dtype: options.dtype, maxHeaderSize: options.maxHeaderSize }).matrix, format, header: false };
  if (format === 'mtx') return { matrix: readMtxSync(path).dense({ dtype: options.dtype }), format, header: false };
  if (format === 'parquet' || format === 'arrow') noSync(format, 'read');
  return fromCsv(readCsvSync(path, csvOptions(format, options)), format);
}

/**
 * Read a matrix from `.npy`, `.mtx`, `.csv`, `.tsv`, `.txt`, `.parquet` or `.arrow` / `.feather`, chosen by extension.
 * Sparse Matrix Market files are densified.
 * @example
 * const X = await readMatrix('X.npy');
 */
export async function readMatrix(path: string, options: ReadMatrixOptions = {}): Promise<Matrix> {
  return (await readMatrixFile(path, options)).matrix;
}

/** Synchronous {@link readMatrix}. */
export function readMatrixSync(path: string, options: ReadMatrixOptions = {}): Matrix {
  return readMatrixFileSync(path, options).matrix;
}

interface WritePlan {
  format: FileFormat;
  matrix: Matrix;
  npy: NpyWriteOptions;
  mtx: MtxWriteOptions;
  csv: { delimiter: CsvDelimiter; header?: readonly string[] };
}

function planWrite(path: string, matrix: Matrix, o: WriteMatrixOptions): WritePlan {
  const format = formatOf(path, o.format);
  let converted = matrix;
  if (o.dtype !== undefined && o.dtype !== matrix.dtype && format !== 'npy') {
    // Text carries no dtype: converting first makes float32 output print float32 digits.
    // (Empty matrices are rebuilt: copying a 0-row view trips Matrix.copy.)
    converted = matrix.size === 0 ? Matrix.zeros(matrix.rows, matrix.cols, { dtype: o.dtype }) : matrix.astype(o.dtype);
  }
  const npy: NpyWriteOptions = { fortranOrder: o.fortranOrder, shape1d: o.shape1d };
  if (o.dtype !== undefined) npy.dtype = o.dtype === 'float32' ? '<f4' : '<f8';
  const csv: WritePlan['csv'] = { delimiter: o.delimiter ?? (format === 'tsv' ? '\t' : format === 'txt' ? 'whitespace' : ',') };
  if (o.header !== undefined) csv.header = o.header;
  return { format, matrix: converted, npy, mtx: { format: o.mtxFormat, field: o.field, symmetry: o.symmetry }, csv };
}

/**
 * Write a matrix in the format its extension names (see {@link formatOf}).
 * @example
 * await writeMatrix('XtX.npy', matmul(X.T, X));
 */
export async function writeMatrix(path: string, matrix: Matrix, options: WriteMatrixOptions = {}): Promise<void> {
  const p = planWrite(path, matrix, options);
  if (p.format === 'npy') await writeNpy(path, p.matrix, p.npy);
  else if (p.format === 'mtx') await writeMtx(path, p.matrix, p.mtx);
  else if (p.format === 'parquet' || p.format === 'arrow') await (await import('./parquet-matrix-write.js')).writeColumnarMatrix(path, p.format, p.matrix, p.csv.header);
  else await writeCsv(path, p.matrix, p.csv);
}

/** Synchronous {@link writeMatrix}. */
export function writeMatrixSync(path: string, matrix: Matrix, options: WriteMatrixOptions = {}): void {
  const p = planWrite(path, matrix, options);
  if (p.format === 'npy') writeNpySync(path, p.matrix, p.npy);
  else if (p.format === 'mtx') writeMtxSync(path, p.matrix, p.mtx);
  else if (p.format === 'parquet' || p.format === 'arrow') noSync(p.format, 'written');
  else writeCsvSync(path, p.matrix, p.csv);
}
