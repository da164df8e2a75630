/**
 * Parquet decoding without the file system (browsers too): ratings tables, dense matrices and
 * factor tables from parts whose bytes are an ArrayBuffer or hyparquet's AsyncBuffer. The
 * Node entry points (a path, a directory of part files) are in src/io/parquet.ts. Decoding is
 * hyparquet's with hyparquet-compressors for every codec Spark and pyarrow write (snappy,
 * gzip, zstd, brotli, lz4); flat columns go page by page into typed arrays
 * (src/io/parquet-flat.ts), a row group at a time (src/io/parquet-columns.ts).
 */
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

/** An opened Parquet file: its bytes, footer and top-level columns. */
export interface OpenPart {
  name: string;
  file: AsyncBuffer;
  metadata: FileMetaData;
  columns: ColumnInfo[];
  close?: () => Promise<void>;
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

/** Read the footer of one part. @throws ParseError naming it when it is not Parquet. */
export async function openPart(name: string, file: AsyncBuffer, close?: () => Promise<void>): Promise<OpenPart> {
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

/** Close every part's file handle (if it has one). */
export async function closeAll(parts: readonly OpenPart[]): Promise<void> {
  for (const p of parts) await p.close?.().catch(() => undefined);
}

/**
 * Feed every row group of `parts` (the `columns` only) to `push`, in file order. Before
 * reading, every part must have the columns with the same kinds as the first, and every
 * column chunk a codec we can decode.
 */
export async function forEachRowGroup(parts: readonly OpenPart[], columns: readonly string[], push: (batch: ColumnBatch, rows: number) => void, options: LongTaskOptions, what: string): Promise<void> {
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
 * Ratings from Parquet bytes held in memory (one or more part files), without the
 * file system: for browsers and fetched data.
 */
export async function parseParquetRatings(parts: readonly ParquetPart[] | ParquetPart, options: ReadRatingsOptions & LongTaskOptions = {}): Promise<Ratings> {
  const list = Array.isArray(parts) ? (parts as readonly ParquetPart[]) : [parts as ParquetPart];
  if (list.length === 0) throw new ParseError(options.fileName ?? '<parquet>', {}, 'no Parquet parts given');
  const open: OpenPart[] = [];
  for (const p of list) open.push(await openPart(p.name, asAsyncBuffer(p.file)));
  return ratingsFromParts(options.fileName ?? list[0]!.name, open, options);
}

/** A ratings table from open parts. */
export async function ratingsFromParts(name: string, parts: readonly OpenPart[], options: ReadRatingsOptions & LongTaskOptions): Promise<Ratings> {
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

/** A dense matrix from open parts (see readParquetMatrix in src/io/parquet.ts). */
export async function matrixFromParts(name: string, parts: readonly OpenPart[], options: ReadColumnarMatrixOptions = {}): Promise<{ matrix: Matrix; columnNames: string[] }> {
  const total = parts.reduce((s, p) => s + Number(p.metadata.num_rows), 0);
  const b = new ColumnarMatrixBuilder(parts.length === 1 ? parts[0]!.name : name, parts[0]!.columns, total, options.columns, options.dtype);
  await forEachRowGroup(parts, b.columns, (batch, rows) => b.push(batch, rows), options, 'readParquetMatrix');
  return b.end();
}

/** A factor table from open parts (see readParquetFactors in src/io/parquet.ts). */
export async function factorsFromParts(path: string, parts: readonly OpenPart[], options: LongTaskOptions & { rank?: number } = {}): Promise<{ ids: string[]; factors: Float32Array; rank: number }> {
  {
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
