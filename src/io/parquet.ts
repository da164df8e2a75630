/**
 * Reading Parquet from files: a `.parquet` file or a directory of part files as Spark, Hive
 * and pyarrow's `write_to_dataset` write them (`part-*.parquet`, `_SUCCESS`, `.crc` side
 * files: names starting with `_` or `.` are skipped, as Hadoop's input formats do), read with
 * ranged reads (the footer, then each needed column chunk) a row group at a time. The
 * decoding is src/io/parquet-read.ts's (no file system: browsers use it directly).
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AsyncBuffer } from 'hyparquet';
import { ParseError } from '../errors.js';
import type { Ratings } from '../models/recommend/data/ratings.js';
import type { LongTaskOptions } from '../progress.js';
import type { Matrix } from '../matrix/matrix.js';
import { closeAll, factorsFromParts, matrixFromParts, openPart, ratingsFromParts, type OpenPart, type ReadColumnarMatrixOptions } from './parquet-read.js';
import type { ReadRatingsOptions } from './ratings.js';

export { parseParquetRatings, type ParquetPart, type ReadColumnarMatrixOptions } from './parquet-read.js';

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
 * Read numeric Parquet columns as a dense matrix (one row per table row, one column per
 * picked column; integer and float columns of any width).
 * @throws ParseError naming the file and column for a non-numeric column or a null.
 */
export async function readParquetMatrix(path: string, options: ReadColumnarMatrixOptions = {}): Promise<{ matrix: Matrix; columnNames: string[] }> {
  const parts = await openParts(path);
  try {
    return await matrixFromParts(path, parts, options);
  } finally {
    await closeAll(parts);
  }
}

/**
 * Read a two-column factor table (`id` integer or string, `features` list of numbers of one
 * length), as Spark's ALSModel stores userFactors and itemFactors: ids in file order and
 * the factors as a row-major float32 array. Used by src/io/spark.ts. With `rank` given,
 * rows of exactly that width are copied page by page.
 * @throws ParseError naming the file and column on another layout, a null or ragged rows.
 */
export async function readParquetFactors(path: string, options: LongTaskOptions & { rank?: number } = {}): Promise<{ ids: string[]; factors: Float32Array; rank: number }> {
  const parts = await openParts(path);
  try {
    return await factorsFromParts(path, parts, options);
  } finally {
    await closeAll(parts);
  }
}
