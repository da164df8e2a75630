/**
 * Arrow IPC decoding without the file system (browsers too): the file format (`.arrow`,
 * `.feather` v2, `.ipc`) and the stream format (`.arrows`), as pyarrow, pandas
 * (`to_feather`), Polars and DuckDB write them, into ratings tables and dense matrices.
 * apache-arrow decodes; record batches are consumed one at a time into typed arrays
 * (src/io/parquet-columns.ts). Compressed buffers: ZSTD (fzstd, through hyparquet-compressors)
 * and LZ4_FRAME (src/io/arrow-lz4.ts, pyarrow's default for feather), registered with
 * apache-arrow's codec registry on first use. The Node entry points are in src/io/arrow.ts.
 */
import { CompressionType, compressionRegistry, DataType, RecordBatchReader, type Field, type RecordBatch } from 'apache-arrow';
import { decompressZstd as zstdDecompress } from 'hyparquet-compressors';
import { ParseError } from '../errors.js';
import type { Ratings } from '../models/recommend/data/ratings.js';
import { checkAborted, type LongTaskOptions } from '../progress.js';
import { decodeLz4Frames } from './arrow-lz4.js';
import { ColumnarMatrixBuilder, ColumnarRatingsBuilder, type ColumnInfo, type ColumnKind } from './parquet-columns.js';
import type { ReadColumnarMatrixOptions } from './parquet-read.js';
import type { Matrix } from '../matrix/matrix.js';
import type { ReadRatingsOptions } from './ratings.js';

/** Extensions read as Arrow IPC. */
export const ARROW_EXTENSIONS = ['.arrow', '.feather', '.ipc', '.arrows'] as const;

/** Whether `path` has an Arrow IPC extension (see {@link ARROW_EXTENSIONS}). */
export function isArrowPath(path: string): boolean {
  const p = path.toLowerCase();
  return ARROW_EXTENSIONS.some((e) => p.endsWith(e));
}

let codecsRegistered = false;

// apache-arrow's reader asks the registry for a decoder of compressed buffers; it lays the
// decoded buffers out back to back, and a buffer whose length is not a multiple of 8 shifts the
// next one off the 8-byte alignment a BigInt64Array or Float64Array view needs: padding each
// decoded buffer to 8 bytes keeps them aligned (the extra zeros lie past the data's length).
function registerCodecs(): void {
  if (codecsRegistered) return;
  codecsRegistered = true;
  const pad = (b: Uint8Array): Uint8Array => {
    if (b.length % 8 === 0 && b.byteOffset % 8 === 0) return b;
    const out = new Uint8Array(Math.ceil(b.length / 8) * 8);
    out.set(b);
    return out;
  };
  if (!compressionRegistry.get(CompressionType.ZSTD)) compressionRegistry.set(CompressionType.ZSTD, { decode: (b: Uint8Array) => pad(zstdDecompress(b)) });
  if (!compressionRegistry.get(CompressionType.LZ4_FRAME)) compressionRegistry.set(CompressionType.LZ4_FRAME, { decode: (b: Uint8Array) => pad(decodeLz4Frames(b, 'Arrow LZ4 buffer')) });
}

function kindOf(f: Field): { kind: ColumnKind; type: string } {
  const t = f.type;
  const type = String(t);
  if (DataType.isInt(t)) return { kind: 'integer', type };
  if (DataType.isFloat(t) || DataType.isDecimal(t)) return { kind: 'float', type };
  if (DataType.isUtf8(t) || DataType.isLargeUtf8(t)) return { kind: 'string', type };
  if (DataType.isDictionary(t)) {
    const v = t.dictionary;
    if (DataType.isUtf8(v) || DataType.isLargeUtf8(v)) return { kind: 'string', type };
    if (DataType.isInt(v)) return { kind: 'integer', type };
    return { kind: 'other', type };
  }
  if (DataType.isTimestamp(t)) return { kind: 'timestamp', type };
  return { kind: 'other', type };
}

interface Opened {
  schema: ColumnInfo[];
  batches: RecordBatch[];
  rows: number;
}

// The schema and record batches of an Arrow input (the batches are views into `bytes`, not copies).
function openArrow(bytes: Uint8Array, file: string): Opened {
  registerCodecs();
  let reader: RecordBatchReader;
  try {
    reader = RecordBatchReader.from(bytes);
    reader.open();
  } catch (e) {
    throw new ParseError(file, {}, `not a readable Arrow IPC file or stream (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  if (!reader.schema) throw new ParseError(file, {}, 'not a readable Arrow IPC file or stream (no schema message)');
  const schema = reader.schema.fields.map((f) => ({ name: f.name, ...kindOf(f) }));
  const batches: RecordBatch[] = [];
  const it = reader[Symbol.iterator]();
  for (;;) {
    let next: IteratorResult<RecordBatch>;
    try {
      next = it.next();
    } catch (e) {
      throw new ParseError(file, {}, `record batch ${batches.length + 1}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    if (next.done) break;
    batches.push(next.value);
  }
  return { schema, batches, rows: batches.reduce((s, b) => s + b.numRows, 0) };
}

// The columns `names` of batch `b` as arrays, refusing nulls (apache-arrow's toArray would
// give zeros in their place).
function columnsOf(b: RecordBatch, names: readonly string[], file: string, rowBase: number): Map<string, ArrayLike<unknown>> {
  const out = new Map<string, ArrayLike<unknown>>();
  for (const name of names) {
    const v = b.getChild(name);
    if (!v) throw new ParseError(file, {}, `a record batch has no column '${name}'`);
    if (v.nullCount > 0) {
      let k = 0;
      while (k < v.length && v.isValid(k)) k++;
      throw new ParseError(file, {}, `column '${name}', row ${rowBase + k + 1}: null (drop or fill missing values first)`);
    }
    out.set(name, v.toArray() as ArrayLike<unknown>);
  }
  return out;
}

/**
 * Ratings from Arrow IPC bytes (file or stream format), without the file system: for
 * browsers and fetched data. Columns as in {@link readArrowRatings}.
 */
export function parseArrowRatings(bytes: Uint8Array, options: ReadRatingsOptions & LongTaskOptions = {}): Ratings {
  const file = options.fileName ?? '<arrow>';
  const a = openArrow(bytes, file);
  const b = new ColumnarRatingsBuilder(file, a.schema, options, a.rows);
  let done = 0;
  for (const batch of a.batches) {
    checkAborted(options.signal, 'readArrowRatings');
    b.push(columnsOf(batch, b.columns, file, done), batch.numRows);
    done += batch.numRows;
    options.onProgress?.({ stage: 'rows', done, total: a.rows });
  }
  return b.end();
}

/**
 * Numeric Arrow columns as a dense matrix, from IPC bytes (file or stream format).
 * @throws ParseError naming `options.fileName` and the column for a non-numeric column or a null.
 */
export function parseArrowMatrix(bytes: Uint8Array, options: ReadColumnarMatrixOptions & { fileName?: string } = {}): { matrix: Matrix; columnNames: string[] } {
  const file = options.fileName ?? '<arrow>';
  const a = openArrow(bytes, file);
  const b = new ColumnarMatrixBuilder(file, a.schema, a.rows, options.columns, options.dtype);
  let done = 0;
  for (const batch of a.batches) {
    checkAborted(options.signal, 'readArrowMatrix');
    b.push(columnsOf(batch, b.columns, file, done), batch.numRows);
    done += batch.numRows;
  }
  return b.end();
}
