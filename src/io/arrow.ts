/**
 * Reading Arrow IPC files (`.arrow`, `.feather`, `.ipc`, stream `.arrows`) from disk; the
 * decoding is src/io/arrow-read.ts's (no file system: browsers use it directly). The file
 * is read into memory whole (an Arrow IPC file is already the in-memory layout: its size is
 * about the size of the columns); the Parquet reader is the one for files larger than memory.
 */
import { readFile } from 'node:fs/promises';
import type { Ratings } from '../models/recommend/data/ratings.js';
import type { LongTaskOptions } from '../progress.js';
import type { Matrix } from '../matrix/matrix.js';
import { parseArrowMatrix, parseArrowRatings } from './arrow-read.js';
import type { ReadColumnarMatrixOptions } from './parquet-read.js';
import type { ReadRatingsOptions } from './ratings.js';

export { ARROW_EXTENSIONS, isArrowPath, parseArrowMatrix, parseArrowRatings } from './arrow-read.js';

/**
 * Read a ratings table from an Arrow IPC file (`.arrow`, `.feather`, `.ipc`) or stream
 * (`.arrows`). Columns are found by name (user/userId/user_id, item/itemId/movieId/item_id,
 * rating/score, timestamp) or given by `columns`; IDs integers or strings (also
 * dictionary-encoded, as pandas categoricals are written).
 * @example
 * const r = await readArrowRatings('ratings.feather');
 * @throws ParseError naming the file (and column and row) on a missing or mistyped column, a
 *   null, an unknown compression or bytes that are not Arrow IPC.
 */
export async function readArrowRatings(path: string, options: ReadRatingsOptions & LongTaskOptions = {}): Promise<Ratings> {
  const bytes = await readFile(path);
  return parseArrowRatings(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { ...options, fileName: options.fileName ?? path });
}

/**
 * Read numeric Arrow columns as a dense matrix (one row per table row).
 * @throws ParseError naming the file and column for a non-numeric column or a null.
 */
export async function readArrowMatrix(path: string, options: ReadColumnarMatrixOptions = {}): Promise<{ matrix: Matrix; columnNames: string[] }> {
  const bytes = await readFile(path);
  return parseArrowMatrix(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { ...options, fileName: path });
}
