/**
 * Reading Parquet: ratings tables and dense numeric matrices, from a `.parquet` file or a
 * directory of part files as Spark, Hive and pyarrow's `write_to_dataset` write them
 * (`part-*.parquet`, `_SUCCESS`, `.crc` side files: names starting with `_` or `.` are skipped,
 * as Hadoop's input formats do). Decoding is hyparquet's (pure JavaScript, also in browsers),
 * with hyparquet-compressors for every codec Spark and pyarrow write (snappy, gzip, zstd,
 * brotli, lz4); the file is read a row group at a time, straight into typed arrays
 * (src/io/parquet-columns.ts), so a 100-million-row file never exists as JavaScript rows.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type FileMetaData, type SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { ParseError } from '../errors.js';
import type { Ratings } from '../models/recommend/data/ratings.js';
import { checkAborted, type LongTaskOptions } from '../progress.js';
import type { DType } from '../matrix/dtype.js';
import type { Matrix } from '../matrix/matrix.js';
import { ColumnarMatrixBuilder, ColumnarRatingsBuilder, type ColumnBatch, type ColumnInfo, type ColumnKind } from './parquet-columns.js';
import type { ReadRatingsOptions } from './ratings.js';
import { flatColumns, floatListColumn, readFixedListColumn, readFlatColumn } from './parquet-flat.js';

/** One Parquet file to read: a name for messages and its bytes (an ArrayBuffer or hyparquet's AsyncBuffer for ranged reads). */
export interface ParquetPart {
  /** Path or label, used in error messages. */
  name: string;
  /** The bytes. */
  file: AsyncBuffer | ArrayBuffer | Uint8Array;
}

/** Codecs hyparquet + hyparquet-compressors decode. */
const CODECS = new Set(['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'ZSTD', 'BROTLI', 'LZ4', 'LZ4_RAW']);

interface OpenPart {
  name: string;
  file: AsyncBuffer;
  metadata: FileMetaData;
  columns: ColumnInfo[];
  close?: () => Promise<void>;
}

/** Whether `path` names a Parquet input: a `.parquet` / `.parq` / `.pq` file or a directory holding such part files. */
export async function isParquetPath(path: string): Promise<boolean> {
  if (/\.(parquet|parq|pq)$/i.test(path)) return true;
  try {
    if (!(await stat(path)).isDirectory()) return false;
    return (await partFiles(path)).some((f) => /\.(parquet|parq|pq)$/i.test(f));
  } catch {
    return false;
  }
}

/** Data files of a dataset directory, in name order (part-00000 first). */
async function partFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && !e.name.startsWith('.') && !e.name.startsWith('_')).map((e) => e.name);
  return names.sort();
}

/** A file as hyparquet's AsyncBuffer over an open handle (ranged reads: only the footer and the needed column chunks are read). */
async function fileBuffer(path: string): Promise<{ file: AsyncBuffer; close: () => Promise<void> }> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    file: {
      byteLength: size,
      async slice(start: number, end?: number): Promise<ArrayBuffer> {
        const e = Math.min(end ?? size, size);
        const out = new Uint8Array(Math.max(0, e - start));
        for (let off = 0; off < out.length; ) {
          const { bytesRead } = await handle.read(out, off, out.length - off, start + off);
          if (bytesRead === 0) break;
          off += bytesRead;
        }
        return out.buffer;
      },
    },
    close: () => handle.close(),
  };
}

function asAsyncBuffer(b: AsyncBuffer | ArrayBuffer | Uint8Array): AsyncBuffer {
  if (b instanceof ArrayBuffer) return b;
  if (b instanceof Uint8Array) return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer ? b.buffer : b.slice().buffer;
  return b;
}

/** What a Parquet column holds (see parquet-format LogicalTypes.md). */
function kindOf(t: SchemaTree): { kind: ColumnKind; type: string } {
  const e = t.element;
  if (t.children.length > 0) {
    const list = e.converted_type === 'LIST' || e.logical_type?.type === 'LIST';
    return { kind: 'other', type: list ? 'list' : 'group' };
  }
  const logical = e.logical_type?.type;
  const type = `${e.type ?? '?'}${logical ? ` (${logical})` : e.converted_type ? ` (${e.converted_type})` : ''}`;
  if (e.repetition_type === 'REPEATED') return { kind: 'other', type: `repeated ${type}` };
  if (logical === 'TIMESTAMP' || e.converted_type === 'TIMESTAMP_MILLIS' || e.converted_type === 'TIMESTAMP_MICROS' || e.type === 'INT96') return { kind: 'timestamp', type };
  if (logical === 'DECIMAL' || e.converted_type === 'DECIMAL') return { kind: 'float', type };
  switch (e.type) {
    case 'INT32':
    case 'INT64':
      return { kind: logical === 'DATE' || logical === 'TIME' || e.converted_type === 'DATE' ? 'other' : 'integer', type };
    case 'FLOAT':
    case 'DOUBLE':
      return { kind: 'float', type };
    case 'BYTE_ARRAY':
      return { kind: logical === 'STRING' || logical === 'ENUM' || e.converted_type === 'UTF8' || e.converted_type === 'ENUM' ? 'string' : 'other', type };
    default:
      return { kind: 'other', type };
  }
}

async function openPart(name: string, file: AsyncBuffer, close?: () => Promise<void>): Promise<OpenPart> {
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    await close?.();
    throw new ParseError(name, {}, `not a readable Parquet file (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  const columns = parquetSchema(metadata).children.map((c) => ({ name: c.element.name, ...kindOf(c) }));
  return { name, file, metadata, columns, close };
}

async function openParts(path: string): Promise<OpenPart[]> {
  const st = await stat(path);
  const paths = st.isDirectory() ? (await partFiles(path)).map((f) => join(path, f)) : [path];
  if (paths.length === 0) throw new ParseError(path, {}, 'the directory holds no data files (only names starting with _ or ., which are skipped)');
  const parts: OpenPart[] = [];
  try {
    for (const p of paths) {
      const { file, close } = await fileBuffer(p);
      parts.push(await openPart(p, file, close));
    }
  } catch (e) {
    await closeAll(parts);
    throw e;
  }
  return parts;
}

async function closeAll(parts: readonly OpenPart[]): Promise<void> {
  for (const p of parts) await p.close?.().catch(() => undefined);
}

/**
 * Feed every row group of `parts` (the `columns` only) to `push`, in file order. Before
 * reading, every part must have the columns with the same kinds as the first, and every
 * column chunk a codec we can decode.
 */
async function forEachRowGroup(parts: readonly OpenPart[], columns: readonly string[], push: (batch: ColumnBatch, rows: number) => void, options: LongTaskOptions, what: string): Promise<void> {
  const first = parts[0]!;
  const total = parts.reduce((s, p) => s + Number(p.metadata.num_rows), 0);
  for (const p of parts) {
    for (const name of columns) {
      const want = first.columns.find((c) => c.name === name)!;
      const got = p.columns.find((c) => c.name === name);
      if (!got) throw new ParseError(p.name, {}, `has no column '${name}' (the first part, ${first.name}, has it)`);
      if (got.kind !== want.kind) throw new ParseError(p.name, {}, `column '${name}' holds ${got.type} values; in ${first.name} it holds ${want.type}`);
    }
    for (const rg of p.metadata.row_groups) {
      for (const cc of rg.columns) {
        const path = cc.meta_data?.path_in_schema ?? [];
        const codec = cc.meta_data?.codec;
        if (columns.includes(path[0] ?? '') && codec !== undefined && !CODECS.has(codec)) {
          throw new ParseError(p.name, {}, `column '${path.join('.')}' is compressed with ${codec}, which lowrank cannot decode (rewrite with snappy, zstd or gzip)`);
        }
      }
    }
  }
  let done = 0;
  for (const p of parts) {
    let start = 0;
    // Flat columns (all of a ratings table or a matrix) take the typed-array page decoder.
    const flat = flatColumns(p.metadata, columns);
    for (let g = 0; g < p.metadata.row_groups.length; g++) {
      checkAborted(options.signal, what);
      const rows = Number(p.metadata.row_groups[g]!.num_rows);
      const end = start + rows;
      if (flat) {
        const batch = new Map<string, ArrayLike<unknown>>();
        for (const name of columns) {
          try {
            batch.set(name, await readFlatColumn(p.file, p.name, p.metadata, g, name, done));
          } catch (e) {
            if (e instanceof ParseError) throw e;
            throw new ParseError(p.name, {}, `column '${name}', row group ${g + 1}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
          }
        }
        push(batch, rows);
        start = end;
        done += rows;
        options.onProgress?.({ stage: 'rows', done, total });
        continue;
      }
      const chunks = new Map<string, { start: number; end: number; data: ArrayLike<unknown> }[]>();
      try {
        await parquetRead({
          file: p.file,
          metadata: p.metadata,
          columns: [...columns],
          rowStart: start,
          rowEnd: end,
          compressors,
          onChunk: (c) => {
            let list = chunks.get(c.columnName);
            if (!list) chunks.set(c.columnName, (list = []));
            list.push({ start: c.rowStart, end: c.rowEnd, data: c.columnData });
          },
        });
      } catch (e) {
        if (e instanceof ParseError) throw e;
        throw new ParseError(p.name, {}, `row group ${g + 1}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      const batch = new Map<string, ArrayLike<unknown>>();
      for (const name of columns) batch.set(name, rowRange(chunks.get(name) ?? [], start, end, p.name, name));
      push(batch, rows);
      start = end;
      done += rows;
      options.onProgress?.({ stage: 'rows', done, total });
    }
  }
}

// The values of rows [start, end) from the chunks hyparquet delivered (usually one exact chunk).
function rowRange(list: { start: number; end: number; data: ArrayLike<unknown> }[], start: number, end: number, file: string, column: string): ArrayLike<unknown> {
  if (list.length === 1 && list[0]!.start === start && list[0]!.end === end) return list[0]!.data;
  const out: unknown[] = new Array<unknown>(end - start);
  let filled = 0;
  for (const c of list) {
    for (let r = Math.max(start, c.start); r < Math.min(end, c.end); r++) {
      out[r - start] = c.data[r - c.start];
      filled++;
    }
  }
  if (filled < end - start) throw new ParseError(file, {}, `column '${column}': the reader returned ${filled} of the ${end - start} values of rows ${start + 1}..${end}`);
  return out;
}

/**
 * Read a ratings table from Parquet: a `.parquet` file or a directory of part files.
 * Columns are found by name (see src/io/parquet-columns.ts: user/userId/user_id,
 * item/itemId/movieId/item_id, rating/score, timestamp) or given by `columns`.
 * @example
 * const r = await readParquetRatings('s3-export/ratings/'); // part-00000-....snappy.parquet, ...
 * @throws ParseError naming the file (and column and row) on a missing or mistyped column, a
 *   null, a non-finite rating, an undecodable codec or a file that is not Parquet.
 */
export async function readParquetRatings(path: string, options: ReadRatingsOptions & LongTaskOptions = {}): Promise<Ratings> {
  const parts = await openParts(path);
  try {
    return await ratingsFromParts(options.fileName ?? path, parts, options);
  } finally {
    await closeAll(parts);
  }
}

/**
 * {@link readParquetRatings} from bytes held in memory (one or more part files), without the
 * file system: for browsers and fetched data.
 */
export async function parseParquetRatings(parts: readonly ParquetPart[] | ParquetPart, options: ReadRatingsOptions & LongTaskOptions = {}): Promise<Ratings> {
  const list = Array.isArray(parts) ? (parts as readonly ParquetPart[]) : [parts as ParquetPart];
  if (list.length === 0) throw new ParseError(options.fileName ?? '<parquet>', {}, 'no Parquet parts given');
  const open: OpenPart[] = [];
  for (const p of list) open.push(await openPart(p.name, asAsyncBuffer(p.file)));
  return ratingsFromParts(options.fileName ?? list[0]!.name, open, options);
}

async function ratingsFromParts(name: string, parts: readonly OpenPart[], options: ReadRatingsOptions & LongTaskOptions): Promise<Ratings> {
  const total = parts.reduce((s, p) => s + Number(p.metadata.num_rows), 0);
  const b = new ColumnarRatingsBuilder(parts.length === 1 ? parts[0]!.name : name, parts[0]!.columns, options, total);
  await forEachRowGroup(parts, b.columns, (batch, rows) => b.push(batch, rows), options, 'readParquetRatings');
  return b.end();
}

/** Options of {@link readParquetMatrix}. */
export interface ReadColumnarMatrixOptions extends LongTaskOptions {
  /** Columns to use, by name, in this order (default: every column, which must then all be numeric). */
  columns?: readonly string[];
  /** Element type of the matrix (default float64). */
  dtype?: DType;
}

/**
 * Read numeric Parquet columns as a dense matrix (one row per table row, one column per
 * picked column; integer and float columns of any width).
 * @throws ParseError naming the file and column for a non-numeric column or a null.
 */
export async function readParquetMatrix(path: string, options: ReadColumnarMatrixOptions = {}): Promise<{ matrix: Matrix; columnNames: string[] }> {
  const parts = await openParts(path);
  try {
    const total = parts.reduce((s, p) => s + Number(p.metadata.num_rows), 0);
    const b = new ColumnarMatrixBuilder(parts.length === 1 ? parts[0]!.name : path, parts[0]!.columns, total, options.columns, options.dtype);
    await forEachRowGroup(parts, b.columns, (batch, rows) => b.push(batch, rows), options, 'readParquetMatrix');
    return b.end();
  } finally {
    await closeAll(parts);
  }
}

/**
 * Read a two-column factor table (`id` integer or string, `features` list of numbers of one
 * length), as Spark's ALSModel stores userFactors and itemFactors: ids in file order and
 * the factors as a row-major float32 array. Used by src/io/spark.ts.
 * @throws ParseError naming the file and column on another layout, a null or ragged rows.
 */
export async function readParquetFactors(path: string, options: LongTaskOptions & { rank?: number } = {}): Promise<{ ids: string[]; factors: Float32Array; rank: number }> {
  const parts = await openParts(path);
  try {
    const first = parts[0]!;
    const id = first.columns.find((c) => c.name === 'id');
    const features = first.columns.find((c) => c.name === 'features');
    if (!id || (id.kind !== 'integer' && id.kind !== 'string')) throw new ParseError(first.name, {}, id ? `column 'id' holds ${id.type} values; expected integers` : `no column 'id' (columns: ${first.columns.map((c) => c.name).join(', ')})`);
    if (!features || features.type !== 'list') throw new ParseError(first.name, {}, features ? `column 'features' holds ${features.type} values; expected array<float>` : `no column 'features' (columns: ${first.columns.map((c) => c.name).join(', ')})`);
    const total = parts.reduce((s, p) => s + Number(p.metadata.num_rows), 0);
    if (options.rank !== undefined) {
      const fast = await fixedWidthFactors(parts, total, options.rank, options);
      if (fast) return fast;
    }
    let rank = options.rank ?? -1;
    const ids: string[] = new Array<string>(total);
    let factors = new Float32Array(rank >= 0 ? total * rank : 0);
    let n = 0;
    await forEachRowGroup(
      parts,
      ['id', 'features'],
      (batch, rows) => {
        const iv = batch.get('id')!;
        const fv = batch.get('features')!;
        for (let k = 0; k < rows; k++) {
          const row = n + k;
          const x = iv[k];
          if (x === null || x === undefined) throw new ParseError(path, {}, `column 'id', row ${row + 1}: null`);
          ids[row] = String(x);
          const f = fv[k] as ArrayLike<unknown> | null | undefined;
          if (f === null || f === undefined) throw new ParseError(path, {}, `column 'features', row ${row + 1} (id ${String(x)}): null (Spark writes a vector for every id)`);
          if (rank < 0) {
            rank = f.length;
            factors = new Float32Array(total * rank);
          }
          if (f.length !== rank) throw new ParseError(path, {}, `column 'features', row ${row + 1} (id ${String(x)}): ${f.length} values, expected the rank ${rank}`);
          for (let a = 0; a < rank; a++) {
            const v = f[a];
            if (typeof v !== 'number' || !Number.isFinite(v)) throw new ParseError(path, {}, `column 'features', row ${row + 1} (id ${String(x)}): value ${a + 1} is ${String(v)}, not a finite number`);
            factors[row * rank + a] = v;
          }
        }
        n += rows;
      },
      options,
      'readParquetFactors',
    );
    return { ids, factors, rank: Math.max(rank, 0) };
  } finally {
    await closeAll(parts);
  }
}

// Factor tables whose every row holds exactly `rank` floats (what Spark writes), page by page
// into the output (src/io/parquet-flat.ts); undefined when any part or row group is
// otherwise, and the general path then reads (and reports) it.
async function fixedWidthFactors(parts: readonly OpenPart[], total: number, rank: number, options: LongTaskOptions): Promise<{ ids: string[]; factors: Float32Array; rank: number } | undefined> {
  const lists = parts.map((p) => floatListColumn(p.metadata, 'features'));
  if (lists.some((l) => l === undefined) || !parts.every((p) => flatColumns(p.metadata, ['id']))) return undefined;
  const ids: string[] = new Array<string>(total);
  const factors = new Float32Array(total * rank);
  let n = 0;
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    for (let g = 0; g < p.metadata.row_groups.length; g++) {
      checkAborted(options.signal, 'readParquetFactors');
      const rows = Number(p.metadata.row_groups[g]!.num_rows);
      const f = await readFixedListColumn(p.file, p.name, p.metadata, g, lists[k]!, rank);
      if (!f) return undefined;
      const iv = await readFlatColumn(p.file, p.name, p.metadata, g, 'id', n);
      for (let r = 0; r < rows; r++) ids[n + r] = String(iv[r]);
      factors.set(f, n * rank);
      n += rows;
      options.onProgress?.({ stage: 'rows', done: n, total });
    }
  }
  return n === total ? { ids, factors, rank } : undefined;
}
